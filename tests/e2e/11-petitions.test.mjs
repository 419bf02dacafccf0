// Browser test: a petition through its pages. The county's petition officer
// registers a visit (登记) on #/petitions/new, accepts it (受理), replies with
// a 处理意见书 (不予支持), records the petitioner's 复查 request and the
// 复查意见 on the case page; the desk lists it; the petitioner follows it on
// #/public/petition/CODE without an account — procedure, deadline nodes and
// result, no names — and rates handling and result ("两个满意"). A step the
// server refuses shows its message at the form.
//
// Runs the real build/test/pingan on a temporary demo database through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core.
// Run from the repo root: node --test tests/e2e/11-petitions.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, signIn, goHash, finish } from '../lib/browser.mjs';
import { startServer, liveMicroGrid } from '../lib/server.mjs';

const GRID = '411624001200001';
const NAME = '欧阳信访';
let server, browser, page, micro;
const errors = [];
const seen = {};

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  ({ page } = await openPage(browser, { errors }));
  micro = await liveMicroGrid(assert, server, await server.login('admin'), GRID);
});
after(async () => { await finish(assert, { browser, server, errors }); });

const status = () => page.locator('#petition-status');
async function step(action, fill = {}) {
  await page.locator('select[name=action]').selectOption(action);
  for (const [name, value] of Object.entries(fill)) {
    const el = page.locator(`form.petition-step [name=${name}]`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  await page.locator('#petition-act').click();
}

test('register, accept, reply and 复查 on the case page', async () => {
  await page.goto(`${server.url}/#/login`);
  await signIn(page, 'petition_officer', server.password);
  await goHash(page, '#/petitions/new');
  await page.getByLabel('信访事项').fill('要求解决拖欠工资问题');
  await page.getByLabel('诉求、事实和理由').fill('某工地拖欠工资三个月，请求督促支付。');
  await page.getByLabel('发生地（村、网格或微网格编码）').fill(micro.code);
  await page.locator('[name=p-name]').fill(NAME);
  await page.locator('[name=p-phone]').fill('13912345678');
  await page.locator('#petition-submit').click();
  await page.waitForURL((u) => /^#\/petitions\/\d+$/.test(u.hash));
  await assert.doesNotReject(status().filter({ hasText: '已登记' }).waitFor());
  seen.code = (await page.locator('#petition-code').textContent()).trim();
  assert.match(seen.code, /^[2-9A-HJ-NP-Z]{10}$/);
  assert.match(await page.locator('#petition-node').textContent(), /转送交办或告知/);
  assert.match(await page.locator('.petitioner-list').textContent(), /139\*+5678|1391234\*+|\*/);
  assert.doesNotMatch(await page.locator('.petitioner-list').textContent(), /13912345678/);

  // The server's error stands at the form: a reply needs its text.
  await step('accept');
  await status().filter({ hasText: '办理中' }).waitFor();
  await step('reply', { outcome: 'reject' });
  await page.locator('form.petition-step .alert').filter({ hasText: 'note' }).waitFor();
  await step('reply', { outcome: 'reject', note: '经核查，工资已于上月结清，不予支持。' });
  await status().filter({ hasText: '已答复' }).waitFor();
  await step('request_review', { reason: '对答复不服，申请复查' });
  await status().filter({ hasText: '复查中' }).waitFor();
  assert.match(await page.locator('#petition-node').textContent(), /复查答复/);
  await step('review', { outcome: 'reject', note: '复查维持原处理意见。' });
  await status().filter({ hasText: '已复查' }).waitFor();
  const steps = await page.locator('ol.timeline li strong').allTextContents();
  assert.deepEqual(steps, ['登记', '受理（书面告知）', '答复（处理意见书）', '申请复查', '复查意见']);

  // The desk lists it.
  await goHash(page, '#/petitions');
  await page.locator('table.petitions-table a', { hasText: '要求解决拖欠工资问题' }).first().waitFor();
});

test('the petitioner follows it by code without an account and rates it', async () => {
  await page.locator('#logout').click();
  await page.waitForURL((u) => u.hash === '#/login');
  await goHash(page, `#/public/petition/${seen.code}`);
  await page.locator('#public-petition-status').filter({ hasText: '已复查' }).waitFor();
  const text = await page.locator('main').textContent();
  assert.ok(!text.includes(NAME) && !text.includes('13912345678') && !text.includes('petition_officer'));
  assert.match(await page.locator('#public-petition-result').textContent(), /不予支持：复查维持原处理意见/);
  assert.deepEqual(await page.locator('ol.timeline li strong').allTextContents(), ['登记', '受理（书面告知）', '答复（处理意见书）', '申请复查', '复查意见']);
  await page.locator('select[name=handling]').selectOption('basic');
  await page.locator('select[name=result]').selectOption('unsatisfied');
  await page.locator('#petition-rate').click();
  await page.locator('#public-petition-rated').filter({ hasText: '办理基本满意，结果不满意' }).waitFor();
  assert.equal(await page.locator('#petition-rate').count(), 0, 'rated once');
  // A wrong code is said so.
  await goHash(page, '#/public/petition/ABCDEFGHJK');
  await page.locator('.petition-public .text-error').filter({ hasText: '查询码不存在' }).waitFor();
});

test('figures and the 五必访 lists render for the leader (read only)', async () => {
  await page.goto(`${server.url}/#/login`);
  await signIn(page, 'leader', server.password);
  await goHash(page, '#/petitions/stats');
  await page.locator('table.petition-stats tbody tr').first().waitFor();
  assert.equal(await page.locator('table.petition-stats tbody tr').count(), 2);
  assert.ok((await page.locator('table.petition-stats-children tbody tr').count()) > 10, 'a row per township');
  assert.match(await page.locator('#petition-yoy').textContent(), /受理量同比/);
  await goHash(page, '#/petitions');
  await page.locator('table.petitions-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#petition-new').count(), 0, 'a leader does not register petitions');
  await goHash(page, '#/petitions/visits');
  await page.locator('h1.page-title', { hasText: '五必访' }).waitFor();
  await page.locator('h2', { hasText: '领导接访日' }).waitFor();
  await page.locator('h2', { hasText: '应访名单' }).waitFor();
  // The demo's alike petitions of one village, proposed as pairs; a leader cannot confirm them.
  await goHash(page, '#/petitions/pairs');
  await page.locator('table.petition-pairs tbody tr').first().waitFor();
  assert.equal(await page.locator('table.petition-pairs button').count(), 0);
});
