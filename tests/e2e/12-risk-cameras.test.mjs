// Browser test: the risk assessment ("2466") and the camera network.
// A dispatcher registers a project and takes it through the six steps —
// documents at every step, the six kinds rated, the conclusion — until it
// is closed; the list reads like the article's sentence. Then the camera
// page: the rates, the map layer with every camera, and an offline camera
// whose outage the sweep raised as an event in the loop.
//
// Runs the real build/test/pingan on a temporary demo database through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core:
// node --test tests/e2e/12-risk-cameras.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, goHash as goHashShared, phoneOverflows } from '../lib/browser.mjs';
import { startServer, assertCleanExit } from '../lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shot = (name) =>
  process.env.PINGAN_SCREENSHOTS ? path.join(ROOT, `docs/img/${name}.png`) : path.join(ROOT, `build/test/screenshots/${name}.png`);
const HOUR = 3600 * 1000;

let server, browser, page, dark, eventId;
const errors = [];

before(async () => {
  server = await startServer({ demo: true, env: { PINGAN_SWEEP_SECONDS: '0' } });
  // A camera goes dark; a day and an hour later the sweep raises it.
  let admin = await server.login('admin');
  const rates = await server.api('GET', '/api/v1/cameras/rates', { token: admin });
  await server.api('POST', '/api/v1/_test/clock', { body: { now_ms: rates.json.newest_report_ms + 60 * 1000 } });
  admin = await server.login('admin');
  const list = await server.api('GET', '/api/v1/cameras?area=411624001&status=online&limit=1', { token: admin });
  dark = list.json.items[0];
  const r = await server.api('POST', '/api/v1/cameras/status', { token: admin, body: [{ code: dark.code, status: 'offline' }] });
  assert.equal(r.status, 200, r.text);
  await server.advanceClock(25 * HOUR);
  const sw = await server.api('POST', '/api/v1/_test/sweep');
  assert.equal(sw.json.camera_outages, 1, sw.text);
  admin = await server.login('admin');
  eventId = (await server.api('GET', `/api/v1/cameras/${dark.id}`, { token: admin })).json.alert_event_id;
  assert.ok(eventId);

  browser = await launchBrowser();
  ({ page } = await openPage(browser, { errors }));
  await page.goto(server.url + '/');
  await signIn(page, 'dispatcher', server.password);
});

after(async () => {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
});

const goHash = (hash) => goHashShared(page, hash);

test('a project through the six steps, from registration to 已办结', async () => {
  await page.getByRole('link', { name: '稳评' }).click();
  await page.locator('#risk-sentence').waitFor();
  assert.match(await page.locator('#risk-sentence').textContent(), /开展社会稳定风险评估项目16个，其中完成评估12个，经研究免于评估1个，暂缓评估1个，不予实施1个，正在评估1个/);
  assert.equal(await page.locator('.risk-table tbody tr').count(), 16);

  const form = page.locator('form.risk-create');
  await form.getByLabel('事项名称').fill('东城街道农贸市场改扩建');
  await form.getByLabel('责任单位').fill('东城街道办事处');
  await form.getByLabel('所在区域编码').fill('411624001');
  await form.getByRole('button', { name: '登记' }).click();
  await page.locator('.risk-case').waitFor();
  assert.equal(await page.locator('#risk-status').textContent(), '正在评估');

  const stepForm = (n) => page.locator(`form.risk-step-form[data-step="${n}"]`);
  const complete = async (n, title, outcome) => {
    const f = stepForm(n);
    await f.getByLabel('材料标题').fill(title);
    await f.getByLabel('材料内容').fill(`${title}：详见附件。`);
    if (outcome) await f.locator('select[name=outcome]').selectOption(outcome);
    await f.getByLabel(/完成本步/).check();
    await f.getByRole('button', { name: '提交' }).click();
    await page.locator(`.risk-step[data-step="${n}"][data-done="1"]`).waitFor();
  };
  // Completing a step without any document is refused, in words.
  await stepForm(1).getByLabel(/完成本步/).check();
  await stepForm(1).getByRole('button', { name: '提交' }).click();
  await page.locator('form.risk-step-form[data-step="1"] .alert:not([hidden])').waitFor();
  assert.match(await stepForm(1).locator('.alert').textContent(), /至少需要一份材料/);

  await complete(1, '评估方案');
  await complete(2, '座谈会纪要和问卷汇总');
  // Step 3 waits for the six ratings.
  const ratings = page.locator('form.risk-ratings');
  for (const [kind, color] of [['影响环境', 'yellow'], ['安全生产', 'none'], ['民生问题', 'orange'], ['资金链断裂', 'none'], ['舆论炒作', 'yellow'], ['诱发社会风险', 'yellow']]) {
    await ratings.getByLabel(kind).selectOption(color);
  }
  await ratings.getByRole('button', { name: '保存评定' }).click();
  await page.locator('.risk-ratings .risk-level[data-level="medium"]').waitFor();
  await complete(3, '风险预测预判报告');
  assert.equal(await page.locator('form.risk-ratings select').count(), 0, 'ratings fixed after step 3');
  // A medium risk cannot simply be implemented.
  const f4 = stepForm(4);
  await f4.getByLabel('材料标题').fill('评估结论');
  await f4.locator('select[name=outcome]').selectOption('implement');
  await f4.getByLabel(/完成本步/).check();
  await f4.getByRole('button', { name: '提交' }).click();
  await page.locator('form.risk-step-form[data-step="4"] .alert:not([hidden])').waitFor();
  assert.match(await f4.locator('.alert').textContent(), /中风险/);
  await complete(4, '评估结论', 'implement_with_measures');
  await complete(5, '评估报告报备回执');
  await complete(6, '跟踪督查督办记录');
  assert.equal(await page.locator('#risk-status').textContent(), '已办结');
  assert.equal(await page.locator('[data-fact="level"] dd').textContent(), '中风险');
  assert.equal(await page.locator('[data-fact="outcome"] dd').textContent(), '采取措施后实施');
  assert.equal(await page.locator('.risk-step[data-done="1"]').count(), 6);
  assert.equal(await page.locator('.risk-step .risk-docs li').count(), 6);
  await page.screenshot({ path: shot('risk'), fullPage: true });

  await page.getByRole('link', { name: '社会稳定风险评估' }).click();
  await page.locator('#risk-sentence').waitFor();
  assert.match(await page.locator('#risk-sentence').textContent(), /项目17个，其中完成评估13个/);
});

test('cameras: the rates, the map layer, an offline camera and its event', async () => {
  await page.getByRole('link', { name: '视频监控' }).click();
  await page.locator('.camera-rates').waitFor();
  const api = await page.evaluate(async () => (await fetch('/api/v1/cameras/rates')).json());
  assert.equal(await page.locator('[data-rate="planned"] .camera-rate-value').textContent(), String(api.planned));
  assert.equal(await page.locator('[data-rate="installed"] .camera-rate-sub').textContent(), `安装率 ${api.install_rate.toFixed(2)}%`);
  assert.equal(await page.locator('[data-rate="online"] .camera-rate-sub').textContent(), `在线率 ${api.online_rate.toFixed(2)}%`);
  assert.equal(await page.locator('.camera-children tbody tr').count(), 22);
  // The map draws every camera of the county.
  await page.locator('#camera-map[data-ready="1"]').waitFor();
  assert.equal(await page.locator('#camera-map').getAttribute('data-cameras'), String(api.planned));
  assert.ok(await page.locator('#camera-map .leaflet-overlay-pane canvas, #camera-map .leaflet-overlay-pane path').count() > 0);

  // The offline list, the camera and the event of its outage.
  const row = page.locator(`.camera-list tr[data-id="${dark.id}"]`);
  await row.waitFor();
  await page.screenshot({ path: shot('cameras'), fullPage: false });
  await row.getByRole('link', { name: dark.name }).click();
  await page.locator('.camera-page').waitFor();
  assert.equal(await page.locator('.camera-status').first().textContent(), '离线');
  await page.locator('[data-fact="alert_event"] a').click();
  await page.waitForURL((u) => u.hash === `#/events/${eventId}`);
  await page.getByText('视频监控离线').first().waitFor();
  assert.deepEqual(errors, []);
});

test('importing the camera ledger: a bad row stops all, then the good rows with 跳过错误行', async () => {
  await goHash('#/cameras');
  const form = page.locator('form.camera-import');
  await form.waitFor();
  const csv = ['编码,名称,类别,经度,纬度,安装日期', `E2E-1,测试点位一,公共区域,${dark.lng},${dark.lat},2025-01-01`, `E2E-2,测试点位二,无人机,${dark.lng},${dark.lat},`].join('\r\n');
  await form.locator('input[type=file]').setInputFiles({ name: '点位台账.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await form.getByRole('button', { name: '导入' }).click();
  await page.locator('#camera-import-result .alert').waitFor();
  assert.match(await page.locator('#camera-import-result .alert').textContent(), /1 行有错误，未导入任何数据/);
  assert.deepEqual(await page.locator('.camera-import-errors tbody td').allTextContents().then((t) => t.slice(0, 2)), ['3', '类别']);
  await form.getByLabel(/跳过错误行/).check();
  await form.getByRole('button', { name: '导入' }).click();
  await page.locator('#camera-import-result .camera-import-ok').waitFor();
  assert.match(await page.locator('.camera-import-ok').textContent(), /新增 1 路，更新 0 路，跳过 1 行错误/);
});

test('a township drill-down keeps to the township', async () => {
  await goHash('#/cameras?area=411624001');
  // The county's page may still be up: wait for the township's.
  await page.waitForFunction(() => {
    const t = document.querySelector('h1.page-title');
    return t && t.textContent.startsWith('视频监控') && !t.textContent.endsWith('沈丘县');
  });
  assert.match(await page.locator('h1.page-title').textContent(), /视频监控 · /);
  const rows = await page.locator('.camera-children tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.code));
  assert.ok(rows.length > 0 && rows.every((c) => c.startsWith('411624001')));
});

test('the pages fit a phone', async () => {
  const over = await phoneOverflows(page, [
    ['#/cameras', '.camera-rates'],
    [`#/cameras/${dark.id}`, '.camera-page'],
    ['#/risks', '#risk-sentence'],
    ['#/risks/1', '.risk-case'],
  ]);
  assert.deepEqual(over.filter(([, px]) => px > 0), [], 'no sideways scrolling');
});
