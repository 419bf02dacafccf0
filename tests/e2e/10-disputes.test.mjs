// Browser test: the dispute ledger (矛盾纠纷排查化解) — a grid worker
// registers a dispute, flags it at risk (red at the top of the desk), the
// mediation is recorded, it closes with a written agreement marked for court
// confirmation, the 人民调解协议书 is printed (A4 PDF) with the parties'
// names, the follow-up falls due on the server's test clock and is recorded.
//
// Runs the real build/test/pingan on a temporary demo database and drives
// Debian's Chromium with playwright-core. Time moves only on the server
// (POST /api/v1/_test/clock): nothing here sleeps. Run from the repo root:
// node --test tests/e2e/10-disputes.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, signIn, switchUser, goHash as goHashShared, finish } from '../lib/browser.mjs';
import { startServer, liveMicroGrid } from '../lib/server.mjs';
import { idOf } from '../lib/ids.mjs';

const GRID = '411624001200001';
const WORKER = `g${GRID}`;
const DAY = 86400e3;
const APPLICANT = { name: '欧阳建国', id: idOf('19700512', 135) };
const RESPONDENT = '司马秀英';
const TITLE = '欧阳、司马两家宅基地损害赔偿纠纷';
const TERMS = '司马秀英于十日内赔偿欧阳建国院墙修复费用，双方今后互不追究。<b>不是HTML</b>';

let server;
let browser;
let page;
const errors = [];
const seen = {};

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  ({ page } = await openPage(browser, { errors }));
  const token = await server.login(WORKER);
  seen.micro = await liveMicroGrid(assert, server, token, GRID);
});

after(async () => {
  await finish(assert, { browser, server, errors });
});

const goHash = (hash) => goHashShared(page, hash);
const form = (id) => page.locator(`form#${id}`);

test('a grid worker registers a dispute; a missing title is named on its field', async () => {
  await page.goto(server.url + '/');
  await signIn(page, WORKER, server.password);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.locator('nav.sidenav a', { hasText: '矛盾纠纷' }).click();
  await page.locator('h1', { hasText: '矛盾纠纷排查化解' }).waitFor();
  assert.equal(await page.title(), '矛盾纠纷 · 平安');
  await page.locator('#dispute-new').click();
  const f = form('dispute-new-form');
  await f.waitFor();
  await f.getByLabel('纠纷类型').selectOption({ label: '损害赔偿纠纷' });
  await f.getByLabel('发生地（村或网格编码）').fill(seen.micro.code);
  await f.getByLabel('事件简述').fill('两家因宅基地院墙倒塌发生争执，网格员走访发现。');
  await f.getByLabel('当事人1 姓名').fill(APPLICANT.name);
  await f.getByLabel('当事人1 身份证号').fill(APPLICANT.id);
  await f.getByLabel('当事人2 姓名').fill(RESPONDENT);
  await f.getByRole('button', { name: '登记' }).click();
  await f.locator('[data-field="title"] .field-error').waitFor();
  assert.match(await f.locator('[data-field="title"] .field-error').innerText(), /title|纠纷名称|填写|缺少|必须/);
  await f.getByLabel('纠纷名称').fill(TITLE);
  await f.getByRole('button', { name: '登记' }).click();
  await page.locator('section.dispute-case h1', { hasText: TITLE }).waitFor();
  seen.id = Number(new URL(page.url()).hash.split('/')[2]);
  assert.ok(seen.id > 0);
  const row = (t) => page.locator('table.dispute-parties-table tr', { hasText: t });
  // The ID number is masked on the page.
  assert.match(await row(APPLICANT.name).innerText(), new RegExp(`${APPLICANT.id.slice(0, 6)}\\*{8}${APPLICANT.id.slice(14)}`));
  assert.ok(!(await page.content()).includes(APPLICANT.id));
  assert.match(await page.locator('[data-fact="tier"] dd').innerText(), /网格首诊/);
});

test('flagged at risk of 民转刑: red and first on the county desk', async () => {
  const r = form('dispute-risk-form');
  await r.getByLabel('有“民转刑”风险').check();
  await r.getByLabel('风险说明').fill('一方扬言要报复');
  await r.getByRole('button', { name: '保存风险标记' }).click();
  await page.locator('section.dispute-case.dispute-flagged').waitFor();
  await switchUser(page, 'leader', server.password);
  await goHash('#/disputes');
  const first = page.locator('table.dispute-table tbody tr').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('data-flagged'), 'true');
  const mine = page.locator(`table.dispute-table tbody tr[data-id="${seen.id}"]`);
  await mine.waitFor();
  assert.match(await mine.getAttribute('class'), /dispute-flagged/);
  const bg = await mine.locator('td').nth(1).evaluate((td) => getComputedStyle(td).backgroundColor);
  assert.equal(bg, 'rgb(253, 236, 234)'); // --red-50
  await switchUser(page, WORKER, server.password);
});

test('mediation: a session, then a written agreement marked for court confirmation', async () => {
  await goHash(`#/disputes/${seen.id}`);
  const s = form('dispute-session-form');
  await s.getByLabel('调解员').fill('于庄村调委会 东方调解员');
  await s.getByLabel('参加人员').fill(`${APPLICANT.name}、${RESPONDENT}`);
  await s.getByLabel('调解情况').fill('释法说理，双方同意赔偿修复院墙。');
  await s.getByRole('button', { name: '保存调解记录' }).click();
  await page.locator('#dispute-sessions ol.dispute-sessions li', { hasText: '东方调解员' }).waitFor();
  const a = form('dispute-agree-form');
  await a.getByLabel('协议金额（元）').fill('3200.5');
  await a.getByLabel('申请司法确认（30日内）').check();
  await a.getByLabel('协议内容').fill(TERMS);
  await a.getByRole('button', { name: '调解成功，结案' }).click();
  await page.locator('[data-fact="status"] .dispute-status[data-status="resolved"]').waitFor();
  assert.equal(await page.locator('[data-fact="amount"] dd').innerText(), '3200.50 元');
  assert.equal(await page.locator('section.dispute-case.dispute-flagged').count(), 0, 'closed: no longer flagged red');
  assert.equal(await page.locator('.dispute-terms').innerText(), TERMS);
});

test('the 人民调解协议书 prints on A4 with the parties, terms, amount, signature lines and mediator', async () => {
  await page.locator('#dispute-agreement-link').click();
  const sheet = page.locator('article.agreement-print');
  await sheet.waitFor();
  assert.match(await page.title(), /^人民调解协议书/);
  const text = await sheet.innerText();
  // The committee is the village's (于庄村 of the demo county), not the grid's.
  assert.match(text, /村[^\n]*人民调解委员会（盖章）/);
  assert.doesNotMatch(text, /网格人民调解委员会/);
  for (const want of ['人民调解协议书', `申请人：${APPLICANT.name}`, `被申请人：${RESPONDENT}`, TERMS, '人民币 3200.50 元', '东方调解员', '人民调解委员会（盖章）', '三十日内']) {
    assert.ok(text.includes(want), `${want} in\n${text}`);
  }
  assert.equal(await sheet.locator('.agreement-sign').count(), 4);
  assert.ok(!text.includes(APPLICANT.id), 'the ID number stays masked');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.sidenav').isVisible(), false, 'the navigation is not printed');
  assert.equal(await page.locator('#agreement-print').isVisible(), false);
  const pdf = await page.pdf({ preferCSSPageSize: true });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  await page.emulateMedia({ media: 'screen' });
});

test('the follow-up falls due on the server clock, shows overdue, and is recorded', async () => {
  await server.advanceClock(16 * DAY);
  await page.goto(server.url + '/');
  await signIn(page, WORKER, server.password);
  await goHash('#/disputes?due=followup');
  const row = page.locator(`table.dispute-table tbody tr[data-id="${seen.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /回访逾期/);
  await row.locator('a').first().click();
  const f = form('dispute-followup-form');
  await f.waitFor();
  await f.getByLabel('回访情况').fill('已按协议赔偿，双方和睦。');
  await f.getByRole('button', { name: '保存回访' }).click();
  await page.locator('#dispute-followup-done', { hasText: '当事人满意' }).waitFor();
  const actions = await page.locator('ol.dispute-timeline li').evaluateAll((ls) => ls.map((l) => l.dataset.action));
  assert.deepEqual(actions, ['create', 'risk', 'session', 'agree', 'followup']);
});

test('the figures of the grid worker\'s scope', async () => {
  await goHash('#/disputes/stats');
  await page.locator('.dispute-tile[data-figure="screened"]').waitFor();
  const n = Number(await page.locator('.dispute-tile[data-figure="screened"] .dispute-tile-value').innerText());
  const api = await server.api('GET', '/api/v1/disputes/stats', { token: await server.login(WORKER) });
  assert.equal(n, api.json.screened);
  assert.ok(n >= 1);
  assert.equal(await page.title(), '矛盾纠纷统计 · 平安');
});

test('from an event of a dispute category: the event page opens a dispute, which links back', async () => {
  const token = await server.login(WORKER);
  const ev = await server.api('POST', '/api/v1/events', { token, body: { source: 'grid_worker', description: '两户因排水沟堵塞争吵', minor: '0201', area: seen.micro.code } });
  assert.equal(ev.status, 201, ev.text);
  await goHash(`#/events/${ev.json.id}`);
  await page.locator('#event-disputes').waitFor();
  await page.locator('#event-to-dispute').click();
  const f = form('dispute-new-form');
  await f.waitFor();
  assert.equal(await f.getByLabel('发现方式').inputValue(), 'event');
  assert.equal(await f.getByLabel('关联事件编号').inputValue(), String(ev.json.id));
  await f.getByLabel('纠纷类型').selectOption({ label: '邻里纠纷' });
  await f.getByLabel('纠纷名称').fill('排水沟邻里纠纷');
  await f.getByLabel('事件简述').fill('两户因排水沟堵塞争吵。');
  await f.getByLabel('当事人1 姓名').fill('申屠甲');
  await f.getByLabel('当事人2 姓名').fill('公孙乙');
  await f.getByRole('button', { name: '登记' }).click();
  await page.locator('section.dispute-case h1', { hasText: '排水沟邻里纠纷' }).waitFor();
  // The event's place: its micro-grid, named with its village.
  assert.match(await page.locator('[data-fact="area"] dd').innerText(), new RegExp(`^\\S+ / ${seen.micro.name}$`));
  await page.locator('[data-fact="event"] a').click();
  await page.locator('#event-disputes a', { hasText: '排水沟邻里纠纷' }).waitFor();
  assert.equal(await page.locator('#event-to-dispute').count(), 0);
});
