// Browser test: special groups (特殊人群) and visits (走访) — register a
// person as 严重精神障碍患者 with danger level 3 on the card, see the weekly
// visit duty on #/groups, let it fall overdue with the server's test clock,
// record a visit, see it back in order; a leader sees none of it.
//
// Runs the real build/test/pingan on a temporary demo database (沈丘县, no
// residents) through tests/lib/server.mjs and drives Debian's Chromium with
// playwright-core. Time moves only on the server, through its test clock
// (POST /api/v1/_test/clock): nothing here sleeps. Run from the repo root:
// node --test tests/e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, switchUser, goHash as goHashShared, phoneOverflows } from '../lib/browser.mjs';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';
import { idOf } from '../lib/ids.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1), so
// that running the tests never changes tracked files.
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/groups.png')
  : path.join(ROOT, 'build/test/screenshots/groups.png');

const GRID = '411624001200001'; // 于庄村第1网格 of the demo county
const WORKER = `g${GRID}`;
const DAY = 86400e3;

const maskId = (id) => `${id.slice(0, 6)}********${id.slice(14)}`;
// The day of an instant in Asia/Shanghai, as the UI shows it.
const shanghaiDay = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10);

const PERSON = { name: '诸葛守仁', id: idOf('19850304', 217), address: '沈丘县东城街道于庄村南街3号' };
const GUARDIANS = { 民警: '夏侯警官', 医生: '上官大夫', 监护人: '诸葛秀梅' };
// Angle brackets stay text: the notes are never read as HTML.
const NOTES = '入户走访，情绪稳定，按时服药 <b>未见异常</b>';

let server;
let browser;
let context;
let page;
let apiCalls = [];
const seen = {}; // what the earlier tests found, for the later ones

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  seen.pageErrors = [];
  ({ context, page } = await openPage(browser, { onApi: (line) => apiCalls.push(line), errors: seen.pageErrors }));

  // The person, registered through the API into one of the grid's micro-grids.
  const token = await server.login(WORKER);
  const micro = await liveMicroGrid(assert, server, token, GRID);
  const p = await server.api('POST', '/api/v1/people', {
    token,
    body: { name: PERSON.name, id_number: PERSON.id, residence_type: 'registered', area: micro.code, current_address: PERSON.address },
  });
  assert.equal(p.status, 201, p.text);
  Object.assign(seen, { token, micro, personId: p.json.id });
});

after(async () => {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
});

const groupsSection = () => page.locator('section.person-groups');
const visitsSection = () => page.locator('section.person-visits');
const groupItem = () => groupsSection().locator('article.group-item[data-type="mental"]');
const groupFact = (key) => groupItem().locator(`[data-fact="${key}"] dd`);
const groupRow = () => page.locator('table.groups-table tbody tr', { hasText: PERSON.name });

const login = (username) => signIn(page, username, server.password);

const switchTo = (username) => switchUser(page, username, server.password);

const goHash = (hash) => goHashShared(page, hash);

// The group as the server has it now.
async function apiGroup() {
  const r = await server.api('GET', `/api/v1/people/${seen.personId}/groups`, { token: seen.token });
  assert.equal(r.status, 200, r.text);
  const g = r.json.items.find((x) => x.type === 'mental');
  assert.ok(g, r.text);
  return g;
}

test('a grid worker registers the person as 严重精神障碍患者, danger level 3, on the card', async () => {
  await page.goto(server.url + '/');
  await page.waitForURL((u) => u.hash === '#/login');
  await login(WORKER);
  assert.equal(await page.locator('nav.sidenav a', { hasText: '特殊人群' }).count(), 1, 'the list is in the navigation');

  await goHash(`#/people/${seen.personId}`);
  await page.locator('article.person-card').waitFor();
  await groupsSection().locator('.empty', { hasText: '未登记为特殊人群' }).waitFor();
  await visitsSection().locator('.empty', { hasText: '暂无走访记录' }).waitFor();

  await groupsSection().getByRole('button', { name: '登记为特殊人群' }).click();
  const dialog = page.getByRole('dialog', { name: '登记为特殊人群' });
  await dialog.waitFor();
  const danger = dialog.getByLabel('危险性评估等级');
  assert.equal(await danger.isVisible(), false, 'only for 严重精神障碍患者');
  await dialog.getByLabel('人群类型').selectOption({ label: '严重精神障碍患者' });
  await danger.waitFor();
  // The six levels with the official short descriptions.
  const levels = await danger.locator('option:not([value=""])').allInnerTexts();
  assert.equal(levels.length, 6, levels.join('\n'));
  assert.match(levels[0], /^0级.*无1–5级任何行为/);
  assert.match(levels[3], /^3级.*明显打砸.*不分场合.*针对财物.*不能劝止/);
  assert.match(levels[5], /^5级.*持械针对人的暴力.*纵火.*爆炸/);

  // Without a danger level nothing is sent.
  await dialog.getByLabel('风险等级').selectOption({ label: '高' });
  apiCalls = [];
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  await dialog.locator('[data-field="danger_level"] .field-error', { hasText: '请选择危险性评估等级' }).waitFor();
  assert.deepEqual(apiCalls, [], 'no request without a danger level');
  await danger.selectOption('3');

  // "五位一体": the rows come with their roles; the grid worker's own name is in.
  const roles = await dialog.locator('.guardian-row select').evaluateAll((ss) => ss.map((s) => s.value));
  assert.deepEqual(roles, ['网格员', '民警', '医生', '监护人', '村干部']);
  const rows = dialog.locator('.guardian-row');
  for (const [role, name] of Object.entries(GUARDIANS)) {
    await rows.nth(roles.indexOf(role)).locator('input').fill(name);
  }
  // The type's own items come from the server's table: a choice, a date, a yes/no.
  await dialog.locator('[data-field="fields.diagnosis"] select').selectOption('精神分裂症');
  await dialog.locator('[data-field="fields.onset_date"] input').fill('2019-03-01');
  await dialog.locator('[data-field="fields.low_income"] select').selectOption('true');

  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/people/${seen.personId}/groups`) && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  const answer = await saved;
  assert.equal(answer.status(), 201, await answer.text());
  const sent = answer.request().postDataJSON();
  assert.equal(sent.type, 'mental');
  assert.equal(sent.danger_level, 3);
  assert.equal(sent.risk_level, 'high');
  assert.deepEqual(sent.fields, { diagnosis: '精神分裂症', onset_date: '2019-03-01', low_income: true }, 'typed items, empty ones left out');
  assert.deepEqual(
    sent.guardians.filter((g) => g.role !== '网格员'),
    Object.entries(GUARDIANS).map(([role, name]) => ({ name, role })),
    'rows without a name are not sent'
  );
  await dialog.waitFor({ state: 'hidden' });

  await groupItem().waitFor();
  assert.match(await groupItem().locator('h3').innerText(), /严重精神障碍患者/);
  assert.match(await groupFact('danger_level').innerText(), /3级/);
  assert.match(await groupFact('danger_level').innerText(), /明显打砸/);
  assert.match(await groupFact('risk_level').innerText(), /高/);
  assert.match(await groupFact('visit_every_days').innerText(), /每周/);
  assert.match(await groupFact('field-diagnosis').innerText(), /^精神分裂症$/);
  assert.match(await groupFact('field-low_income').innerText(), /^是$/);
  assert.match(await groupFact('last_visit_at').innerText(), /未走访/);
  const guardians = await groupFact('guardians').innerText();
  for (const [role, name] of Object.entries(GUARDIANS)) assert.match(guardians, new RegExp(`${name}（${role}）`));
  assert.equal((await groupItem().locator('.badge.due-state').innerText()).trim(), '正常');

  const g = await apiGroup();
  assert.equal(g.visit_every_days, 7, 'danger level 3: weekly');
  assert.equal(g.state, 'ok');
  assert.equal((await groupFact('next_due_at').innerText()).trim(), shanghaiDay(g.next_due_at));
  seen.group = g;
});

test('#/groups lists the person as 正常 with the masked ID number', async () => {
  await page.locator('nav.sidenav a', { hasText: '特殊人群' }).click();
  await page.waitForURL((u) => u.hash === '#/groups');
  const row = groupRow();
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  const cell = (label) => cells[['姓名', '证件号码', '类型', '风险等级', '危险性等级', '走访周期', '上次走访', '下次应访', '状态'].indexOf(label)].trim();
  assert.equal(cell('姓名'), PERSON.name);
  assert.equal(cell('证件号码'), maskId(PERSON.id));
  assert.equal(cell('类型'), '严重精神障碍患者');
  assert.equal(cell('风险等级'), '高');
  assert.equal(cell('危险性等级'), '3级');
  assert.equal(cell('走访周期'), '每周');
  assert.equal(cell('上次走访'), '未走访');
  assert.equal(cell('下次应访'), shanghaiDay(seen.group.next_due_at));
  assert.equal(cell('状态'), '正常');
  assert.equal(await row.locator('.badge.due-state').getAttribute('data-state'), 'ok');
  assert.ok(!(await page.locator('main').innerText()).includes(PERSON.id), 'no ID number in clear');

  // 已逾期: nobody yet.
  await page.getByLabel('状态').selectOption({ label: '已逾期' });
  await page.waitForURL((u) => u.hash === '#/groups?due=overdue');
  await page.locator('.groups-body .empty', { hasText: '没有已逾期' }).waitFor();
  assert.ok(apiCalls.some((c) => c.startsWith('GET /api/v1/groups?') && c.includes('due=overdue')), apiCalls.join('\n'));
});

test('eight days on, the weekly visit is 已逾期', async () => {
  await server.advanceClock(8 * DAY);
  // Reload the (empty) overdue list: eight idle days have ended the session,
  // so log in again and land back on it.
  assert.equal(new URL(page.url()).hash, '#/groups?due=overdue');
  await page.reload();
  await page.waitForURL((u) => u.hash === '#/login');
  await login(WORKER);
  await page.waitForURL((u) => u.hash === '#/groups?due=overdue');
  seen.token = await server.login(WORKER);
  const row = groupRow();
  await row.waitFor();
  assert.equal((await row.locator('.badge.due-state').innerText()).trim(), '已逾期');
  assert.equal(await row.locator('.badge.due-state').getAttribute('data-state'), 'overdue');
  assert.match(await page.locator('.pager-total').innerText(), /共 1 条/);

  // 全部 too shows them 已逾期; a click on the row opens the card.
  const listed = page.waitForResponse((r) => r.url().includes('/api/v1/groups?') && r.url().includes('due=all'));
  await page.getByLabel('状态').selectOption({ label: '全部' });
  await page.waitForURL((u) => u.hash === '#/groups');
  assert.equal((await listed).status(), 200);
  await groupRow().locator('.badge.due-state', { hasText: '已逾期' }).waitFor();
  await groupRow().locator('td').nth(2).click();
  await page.waitForURL((u) => u.hash === `#/people/${seen.personId}`);
  await groupItem().waitFor();
  assert.equal((await groupItem().locator('.badge.due-state').innerText()).trim(), '已逾期');
});

test('a visit recorded on the card moves the next due date: 正常 again', async () => {
  await visitsSection().getByRole('button', { name: '记录走访' }).click();
  const dialog = page.getByRole('dialog', { name: '记录走访' });
  await dialog.waitFor();
  apiCalls = [];
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.locator('[data-field="notes"] .field-error', { hasText: '请填写走访情况' }).waitFor();
  assert.deepEqual(apiCalls, [], 'no request without notes');

  await dialog.getByLabel('走访方式').selectOption({ label: '入户走访' });
  await dialog.getByLabel('走访情况').fill(NOTES);
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/visits') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: '保存' }).click();
  const answer = await saved;
  assert.equal(answer.status(), 201, await answer.text());
  const visit = await answer.json();
  assert.deepEqual(answer.request().postDataJSON(), { person_id: seen.personId, kind: 'home', notes: NOTES });
  await dialog.waitFor({ state: 'hidden' });

  // The list and the group update without leaving the card.
  const vrow = visitsSection().locator('table.visits-table tbody tr').first();
  await vrow.waitFor();
  const text = await vrow.innerText();
  assert.ok(text.includes(NOTES), `the notes as text: ${text}`);
  assert.match(text, /入户走访/);
  assert.equal(await visitsSection().locator('b').count(), 0, 'no markup from the notes');
  await groupItem().locator('.badge.due-state', { hasText: '正常' }).waitFor();
  const g = await apiGroup();
  assert.equal(g.state, 'ok');
  assert.ok(Date.parse(g.next_due_at) > Date.parse(seen.group.next_due_at), 'the next due date moved on');
  const ahead = Date.parse(g.next_due_at) - Date.parse(visit.at);
  assert.ok(ahead > 6 * DAY && ahead <= 8 * DAY, `about a week after the visit (${ahead / DAY} days)`);
  assert.equal((await groupFact('next_due_at').innerText()).trim(), shanghaiDay(g.next_due_at));
  assert.doesNotMatch(await groupFact('last_visit_at').innerText(), /未走访/);

  await goHash('#/groups');
  const row = groupRow();
  await row.locator('.badge.due-state', { hasText: '正常' }).waitFor();
  assert.equal(await row.locator('.badge.due-state').getAttribute('data-state'), 'ok');
  assert.match(await row.innerText(), new RegExp(shanghaiDay(g.next_due_at)));

  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await page.mouse.move(640, 20); // no hover highlight in the picture
  await page.screenshot({ path: SCREENSHOT });
});

test('the pages fit a phone screen', async () => {
  const overflows = await phoneOverflows(page, [
    ['#/groups', 'table.groups-table'],
    [`#/people/${seen.personId}`, 'article.group-item'],
  ]);
  for (const [hash, overflow] of overflows) assert.ok(overflow <= 0, `${hash}: no horizontal scrolling on a phone (overflow ${overflow}px)`);
});

test('a leader has no 特殊人群: no entry, 无权访问, nothing on the card', async () => {
  await switchTo('leader');
  assert.equal(await page.locator('nav.sidenav a', { hasText: '特殊人群' }).count(), 0);
  await goHash('#/groups');
  await page.locator('.notice[role=alert]', { hasText: '无权访问' }).waitFor();
  assert.equal(await page.locator('table.groups-table').count(), 0);

  await goHash(`#/people/${seen.personId}`);
  await page.locator('article.person-card').waitFor();
  assert.equal(await groupsSection().count(), 0);
  assert.equal(await visitsSection().count(), 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /严重精神障碍/);

  // The server says the same of the membership.
  const token = await server.login('leader');
  for (const p of ['/api/v1/groups', `/api/v1/people/${seen.personId}/groups`]) {
    const r = await server.api('GET', p, { token });
    assert.equal(r.status, 403, `${p}: ${r.text}`);
  }
  assert.deepEqual(seen.pageErrors.map(String), [], 'no uncaught errors in the page');
});
