// Browser test: "三零" creation — a factory, made a creation subject, is
// 正常 in the ledger; a grid worker reports a fire with an injured worker at
// its micro-grid without naming it; the dispatcher links the event to the
// factory on its card, which turns 橙色 with the reason and the breaking
// event; the ledger shows the colour; a 警示函 is issued and its A4 print
// view opens with its number. A leader reads the card without the forms.
//
// Runs the real build/test/pingan on a temporary demo database through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core.
// Nothing sleeps: the page is waited for by what it shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, switchUser, goHash, finish, phoneOverflows } from '../lib/browser.mjs';
import { startServer, liveMicroGrid } from '../lib/server.mjs';
import { usccOf } from '../lib/ids.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/zero.png')
  : path.join(ROOT, 'build/test/screenshots/zero.png');
const GRID = '411624001200001';

let server, browser, context, page, subject, event;
const errors = [];

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, { errors }));
  const admin = await server.login('admin');
  const worker = await server.login(`g${GRID}`);
  const micro = await liveMicroGrid(assert, server, worker, GRID);
  const org = await server.api('POST', '/api/v1/orgs', { token: admin, body: { uscc: usccOf('30000101'), name: '于庄纺织有限公司', kind: 'enterprise', area: micro.code } });
  assert.equal(org.status, 201, org.text);
  const s = await server.api('POST', '/api/v1/zero/subjects', { token: admin, body: { org_id: org.json.id, department: '应急管理', category: '工厂', responsible: '周经理' } });
  assert.equal(s.status, 201, s.text);
  subject = s.json;
  // The grid worker's report names no unit: the unit is not touched yet.
  const e = await server.api('POST', '/api/v1/events', { token: worker, body: { source: 'grid_worker', description: '纺织厂仓库起火，一名员工手臂烧伤送医', minor: '2103', area: micro.code, casualties: 1 } });
  assert.equal(e.status, 201, e.text);
  event = e.json;
});
after(async () => {
  await finish(assert, { browser, server, errors });
});

test('the ledger shows the factory 正常 among the county\'s subjects', async () => {
  await page.goto(server.url + '/');
  await signIn(page, 'dispatcher', server.password);
  await page.getByRole('link', { name: '三零创建' }).click();
  await page.locator('#zero-summary').waitFor();
  await page.locator('#zero-rates').waitFor();
  await goHash(page, '#/zero?kind=unit');
  const row = page.locator(`tr[data-id="${subject.id}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-colour'), 'none');
  assert.equal((await row.locator('.zero-colour').textContent()).trim(), '正常');
});

test('linking the fire to the factory breaks zero: the card turns orange with the reason', async () => {
  await page.locator(`tr[data-id="${subject.id}"] a`).click();
  const card = page.locator('#zero-card');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-colour'), 'none');
  assert.match(await page.locator('#zero-events').textContent(), /本期未破零/);
  await page.getByLabel('关联本单位的事件').fill(String(event.id));
  await page.locator('#zero-link button').click();
  await page.locator('#zero-card[data-colour="orange"]').waitFor();
  assert.equal((await card.locator('.zero-colour').first().textContent()).trim(), '橙色');
  assert.match(await card.locator('#zero-reasons').textContent(), /有人员伤亡的事故 1 起（破零）/);
  assert.match(await card.textContent(), /已破零/);
  const row = page.locator(`#zero-events tr[data-event="${event.id}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-breaks'), 'accident');
  assert.match(await row.textContent(), /火情火灾/);
  assert.match(await page.locator('#zero-history').textContent(), /橙色/);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  // Back in the ledger the factory is orange with its reason.
  await goHash(page, '#/zero?kind=unit&colour=orange');
  const lrow = page.locator(`tr[data-id="${subject.id}"]`);
  await lrow.waitFor();
  assert.match(await lrow.locator('.zero-reasons').textContent(), /事故 1 起/);
});

test('a warning letter is issued and its A4 print view opens with its number', async () => {
  await page.locator(`tr[data-id="${subject.id}"] a`).click();
  await page.locator('#zero-card').waitFor();
  const [print] = await Promise.all([context.waitForEvent('page'), page.locator('#zero-warn').click()]);
  await print.waitForLoadState();
  assert.match(await print.locator('h1').textContent(), /警示函/);
  const number = (await print.locator('.no').textContent()).trim();
  assert.match(number, /^三零警示〔\d{4}〕第1号$/);
  assert.match(await print.locator('body').textContent(), /于庄纺织有限公司/);
  await print.close();
  const letter = page.locator('#zero-letters li[data-kind="warning"]');
  await letter.waitFor();
  assert.match(await letter.textContent(), new RegExp(number.replace(/[〔〕]/g, '.')));
});

test('the subject ledger is imported from a CSV: refused rows are named, nothing else written', async () => {
  await goHash(page, '#/zero');
  const box = page.locator('#zero-import');
  await box.locator('summary').click();
  const upload = async (text) => {
    await page.setInputFiles('#zero-import-file', { name: 'subjects.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await box.getByRole('button', { name: '导入' }).click();
  };
  await upload(`统一社会信用代码,主管部门,责任人\n${usccOf('30000199')},应急管理,钱经理\n`);
  await box.locator('.zero-import-out li').waitFor();
  assert.match(await box.locator('.zero-import-out').textContent(), /第 2 行.*未在您管辖范围内登记/);
  await upload(`统一社会信用代码,主管部门,责任人\n${subject.org.uscc},应急管理,钱经理\n`);
  await box.locator('.zero-import-out', { hasText: '更新 1' }).waitFor();
  await goHash(page, `#/zero/subjects/${subject.id}`);
  await page.locator('#zero-card', { hasText: '钱经理' }).waitFor();
});

test('a leader reads the card without the forms; the pages fit a phone', async () => {
  await switchUser(page, 'leader', server.password);
  await goHash(page, `#/zero/subjects/${subject.id}`);
  await page.locator('#zero-card[data-colour="orange"]').waitFor();
  assert.equal(await page.locator('#zero-link').count(), 0);
  assert.equal(await page.locator('#zero-warn').count(), 0);
  // Another period: the card measures it (nothing broke in 2020).
  await page.locator('#zero-card-period').fill('2020');
  await page.locator('.zero-period button').click();
  await page.locator('#zero-events h2', { hasText: '2020' }).waitFor();
  assert.match(await page.locator('#zero-events').textContent(), /本期未破零/);
  const over = await phoneOverflows(page, [['#/zero', '#zero-summary'], [`#/zero/subjects/${subject.id}`, '#zero-card']]);
  for (const [hash, px] of over) assert.ok(px <= 0, `${hash} scrolls sideways by ${px}px on a phone`);
});
