// Browser test: 考核评价 — a leader opens the rankings from the menu, sees
// the townships ranked with every component, switches to grid workers; an
// administrator makes reports the only thing that counts and the order
// follows; a grid worker has no such page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, signIn, switchUser, goHash, finish } from '../lib/browser.mjs';
import { startServer, liveMicroGrid } from '../lib/server.mjs';

const GRID_A = '411624001200001'; // a grid of the first township
const GRID_B = '411624002200001'; // a grid of the second
let server, browser, page;
const errors = [];

before(async () => {
  server = await startServer({ demo: true });
  await server.api('POST', '/api/v1/_test/clock', { body: { now_ms: Date.parse('2026-11-10T09:00:00+08:00') } });
  // Township B's worker reports twice, A's once: by reports alone B leads.
  for (const [grid, texts] of [[GRID_A, ['路灯不亮']], [GRID_B, ['垃圾未清运', '井盖缺失']]]) {
    const token = await server.login(`g${grid}`);
    const micro = await liveMicroGrid(assert, server, token, grid);
    for (const description of texts) {
      const r = await server.api('POST', '/api/v1/events', { token, body: { source: 'grid_worker', description, minor: '2902', area: micro.code } });
      assert.equal(r.status, 201, r.text);
    }
  }
  browser = await launchBrowser();
  ({ page } = await openPage(browser, { errors }));
  await page.goto(server.url + '/');
});
after(async () => finish(assert, { browser, server, errors }));

const rows = () => page.locator('#ranking-table tbody tr');

test('a leader reads the ranking with its components', async () => {
  await signIn(page, 'leader', server.password);
  await page.getByRole('link', { name: '考核评价' }).click();
  await page.locator('#ranking-table').waitFor();
  assert.equal(await page.title(), '考核评价 · 平安');
  const heads = await page.locator('#ranking-table thead th').allInnerTexts();
  for (const name of ['名次', '得分', '上报事件', '按期办结率', '满意率', '走访次数', '核查不通过', '逾期事项']) {
    assert.ok(heads.some((x) => x.includes(name)), `column ${name}: ${heads.join('|')}`);
  }
  assert.equal(await rows().count(), 22, 'the 22 townships of 沈丘县');
  assert.equal(await page.locator('#ranking-weights').count(), 0, 'only administrators change the formula');
  await page.locator('#ranking-kind').selectOption('grid_worker');
  await page.waitForURL((u) => u.hash.includes('kind=grid_worker'));
  await page.locator('#ranking-table thead th', { hasText: '网格员' }).waitFor();
  assert.ok((await rows().count()) > 100, 'every grid worker of the county');
});

test('an administrator weights reports only; the township that reported most comes first', async () => {
  await switchUser(page, 'admin', server.password);
  await goHash(page, '#/rankings?kind=township&from=2026-11&to=2026-11');
  await page.locator('#ranking-weights').waitFor();
  for (const key of ['reports', 'on_time_rate', 'satisfaction', 'visits', 'verify_fail', 'overdue']) {
    await page.locator(`#weight-${key}`).fill(key === 'reports' ? '100' : '0');
  }
  // A weight out of range is named before anything is sent.
  await page.locator('#weight-overdue').fill('-300');
  await page.getByRole('button', { name: '保存权重' }).click();
  await page.locator('#ranking-weights .alert', { hasText: '逾期事项 的权重必须是 -100 到 100 之间的数' }).waitFor();
  await page.locator('#weight-overdue').fill('0');
  await page.getByRole('button', { name: '保存权重' }).click();
  await page.locator('#ranking-table thead th', { hasText: '权重 100' }).waitFor();
  const first = rows().first();
  assert.equal(await first.locator('td').nth(1).innerText(), (await (await server.api('GET', '/api/v1/areas/411624002', { token: await server.login('admin') })).json).name);
  assert.equal(await first.locator('td.score').innerText(), '100.00');
  assert.equal((await rows().nth(1).locator('td.score').innerText()), '50.00', 'one report of two');
});

test('a grid worker has no rankings', async () => {
  await switchUser(page, `g${GRID_A}`, server.password);
  assert.equal(await page.getByRole('link', { name: '考核评价' }).count(), 0);
  await goHash(page, '#/rankings');
  await page.getByText('您的账号无权查看考核评价。').waitFor();
});
