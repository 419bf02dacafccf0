// Browser test: the closed loop through its pages. A grid worker on a
// 360 px phone reports with a GPS point (上报事件); the dispatcher registers
// and dispatches it on the 调度台 to 公安 with 城管 as co-handler; the police
// handler accepts and handles it on the 部门工作台; the dispatcher verifies,
// closes and rates the handling; the grid worker rates it from 待办. An
// overdue event escalates (the server's test clock and sweep, never a sleep)
// and shows red with its new handling level. A report made offline waits in
// the outbox and is sent when the network is back — and when the answer to
// a send is lost, the resend with the same idempotency key yields the same
// event, exactly one. The department sees only its own queue; a grid worker
// has no dispatch buttons; the server's field errors stand at their field.
//
// Runs the real build/test/pingan on a temporary demo database through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core.
// Run from the repo root: node --test tests/e2e/07-loop.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, switchUser, goHash, phoneOverflows, deskAndPhone, finish } from '../lib/browser.mjs';
import { startServer, microGridPoint, checkedApi } from '../lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1).
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/desk.png')
  : path.join(ROOT, 'build/test/screenshots/desk.png');

const GRID = '411624001200001'; // 于庄村第1网格
const WORKER = `g${GRID}`;
const H = 3600 * 1000;

let server;
let browser;
let desk; // the desktop page: dispatcher, handler
let phone; // the grid worker's phone (360 × 740)
let phoneCtx;
let admin;
let micro;
let point; // [lng, lat] inside micro
let depts;
const pageErrors = [];

before(async () => {
  // Sessions outlive the clock's jumps; only the test's sweep escalates.
  server = await startServer({ demo: true, env: { PINGAN_SESSION_IDLE: '86400', PINGAN_SWEEP_SECONDS: '0' } });
  // A Monday 09:00 in Shanghai, frozen: deadlines come out the same every run.
  const clock = await server.api('POST', '/api/v1/_test/clock', { body: { now_ms: Date.parse('2026-12-07T09:00:00+08:00') } });
  assert.equal(clock.status, 200, clock.text);
  admin = await server.login('admin');
  ({ micro, point } = await microGridPoint(assert, server, admin, GRID));
  depts = Object.fromEntries((await server.api('GET', '/api/v1/departments', { token: admin })).json.items.map((d) => [d.name, d.id]));

  browser = await launchBrowser();
  ({ desk, phone, phoneCtx } = await deskAndPhone(browser, server, { deskUser: 'dispatcher', worker: WORKER, point, errors: pageErrors }));
});

after(() => finish(assert, { browser, server, errors: pageErrors }));

const api = (...args) => checkedApi(assert, server)(...args);
const eventsLike = async (text) =>
  (await api('GET', '/api/v1/events?status=reported,registered,dispatched,accepted,handled,closed,evaluated&limit=200', admin)).items.filter((e) => e.description === text);

// Takes a step on the open event page: clicks its button, fills its form
// (fill(form) with the form's locator), confirms and waits for the status.
async function step(page, action, status, fill) {
  await page.locator(`#event-actions button[data-action="${action}"]`).click();
  const form = page.locator(`#action-form[data-action="${action}"]`);
  await form.waitFor();
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
  await page.locator(`.event-card[data-status="${status}"]`).waitFor();
}
const buttons = (page) => page.locator('#event-actions button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));
const openEvent = async (page, id) => {
  await goHash(page, `#/events/${id}`);
  await page.locator(`.event-card[data-id="${id}"]`).waitFor();
};

test('the whole loop through the pages: report, register, dispatch, accept, handle, close, rate', async () => {
  const text = '于庄村口夜间有人聚集赌博，群众反映强烈';
  // The grid worker reports from the phone with the GPS point.
  await goHash(phone, '#/report');
  await phone.getByLabel('事件描述').fill(text);
  await phone.locator('#rp-minor').selectOption('1302');
  await phone.locator('#rp-locate').click();
  await phone.locator('#rp-where[data-state="gps"]').waitFor();
  // 伤亡人数 (what makes a case break 三零's zero): checked before it is sent.
  await phone.getByLabel('伤亡人数').fill('-1');
  await phone.getByRole('button', { name: '提交上报' }).click();
  await phone.getByText('伤亡人数应为 0 到 100000 之间的整数').waitFor();
  await phone.getByLabel('伤亡人数').fill('2');
  await phone.getByRole('button', { name: '提交上报' }).click();
  await phone.locator('#report-notice[data-state="sent"]').waitFor();
  const id = Number(await phone.locator('#report-sent li').first().getAttribute('data-id'));
  assert.ok(id > 0);
  const [made] = await eventsLike(text);
  assert.equal(made.id, id);
  assert.equal((await api('GET', `/api/v1/events/${id}`, admin)).casualties, 2);
  assert.equal(made.area.code, micro.code, 'the GPS point is located to its micro-grid');
  assert.equal(made.source, 'grid_worker');

  // The dispatcher finds it on the desk with its light and opens it.
  await goHash(desk, '#/desk');
  const row = desk.locator(`.events-table tr[data-id="${id}"]`);
  await row.waitFor();
  assert.match(await row.locator('.light').textContent(), /绿灯/);
  await row.locator('a.event-desc').click();
  await desk.locator(`.event-card[data-id="${id}"]`).waitFor();
  await desk.locator('#event-map .event-point').waitFor();
  assert.deepEqual((await buttons(desk)).sort(), ['comment', 'escalate', 'merge', 'register', 'reject'].sort());
  await step(desk, 'register', 'registered', async (form) => {
    assert.equal(await form.locator('select[name=minor]').inputValue(), '1302', 'the category the worker gave');
  });
  await step(desk, 'dispatch', 'dispatched', async (form) => {
    assert.equal(await form.locator('select[name=department]').inputValue(), String(depts['公安']), 'the category\'s department by default');
    await form.getByRole('checkbox', { name: '城管' }).check();
  });
  assert.equal((await desk.locator('[data-fact=department] dd').textContent()).trim(), '公安');
  assert.equal((await desk.locator('[data-fact=co_departments] dd').textContent()).trim(), '城管');

  // The police handler accepts and reports back on the department desk.
  await switchUser(desk, 'handler', server.password);
  await goHash(desk, '#/desk');
  await desk.locator('h1.page-title', { hasText: '部门工作台' }).waitFor();
  await desk.locator(`.events-table tr[data-id="${id}"]`).click();
  await desk.locator(`.event-card[data-id="${id}"]`).waitFor();
  assert.deepEqual((await buttons(desk)).sort(), ['accept', 'comment', 'return'].sort());
  await step(desk, 'accept', 'accepted');
  assert.deepEqual((await buttons(desk)).sort(), ['comment', 'handle', 'request_extension', 'return'].sort());
  // The feedback is required: said at its field, nothing sent.
  await desk.locator('#event-actions button[data-action="handle"]').click();
  await desk.locator('#action-form button[type=submit]').click();
  assert.equal(await desk.locator('#act-handle-note-error').textContent(), '请填写处置情况');
  await desk.locator('#act-handle-note').fill('已清查现场，3人予以治安处罚');
  await desk.locator('#action-form button[type=submit]').click();
  await desk.locator('.event-card[data-status="handled"]').waitFor();

  // The dispatcher verifies from 待办, closes and rates the handling.
  await switchUser(desk, 'dispatcher', server.password);
  await goHash(desk, '#/inbox');
  await desk.locator(`.events-table tr[data-id="${id}"]`).click();
  await desk.locator(`.event-card[data-id="${id}"]`).waitFor();
  await step(desk, 'close', 'closed', (form) => form.locator('textarea[name=note]').fill('回访属实'));
  await step(desk, 'rate_handling', 'closed', (form) => form.locator('select[name=rating]').selectOption('4'));
  await desk.locator('[data-fact=handling_rating]', { hasText: '4 分' }).waitFor();

  // The reporter finds it in 待办 on the phone and rates it.
  await goHash(phone, '#/inbox');
  await phone.locator(`.events-table tr[data-id="${id}"] a`).click();
  await phone.locator(`.event-card[data-id="${id}"]`).waitFor();
  await step(phone, 'evaluate', 'evaluated', async (form) => {
    await form.locator('select[name=rating]').selectOption('5');
    await form.locator('textarea[name=comment]').fill('处理及时');
  });
  await phone.locator('[data-fact=rating]', { hasText: '5 分：处理及时' }).waitFor();
  const actions = await phone.locator('#event-timeline .timeline-item').evaluateAll((li) => li.map((x) => x.dataset.action));
  assert.deepEqual(actions, ['report', 'register', 'dispatch', 'accept', 'handle', 'close', 'rate_handling', 'evaluate']);
  const final = await api('GET', `/api/v1/events/${id}`, admin);
  assert.equal(final.status, 'evaluated');
  assert.equal(final.rating, 5);
  assert.equal(final.handling_rating, 4);
  assert.deepEqual(final.departments.map((d) => [d.name, d.lead]), [['公安', true], ['城管', false]]);
});

test('the server\'s field errors stand at their field, in Chinese', async () => {
  const gw = await server.login(WORKER);
  const e = await api('POST', '/api/v1/events', gw, { source: 'grid_worker', description: '村委会墙上小广告乱贴（重复上报）', minor: '2903', lng: point[0], lat: point[1] });
  await openEvent(desk, e.id);
  await desk.locator('#event-actions button[data-action="merge"]').click();
  await desk.locator('#act-merge-into').fill(String(e.id));
  await desk.locator('#action-form button[type=submit]').click();
  const err = desk.locator('#act-merge-into-error');
  await err.waitFor();
  assert.match(await err.textContent(), /[\u4e00-\u9fff]/, 'a Chinese message');
  assert.equal(await desk.locator('#act-merge-into').getAttribute('aria-invalid'), 'true');
  assert.equal((await api('GET', `/api/v1/events/${e.id}`, admin)).status, 'reported', 'nothing changed');
  // 不予立案 needs its reason: refused at the field before anything is sent.
  await desk.locator('#event-actions button[data-action="reject"]').click();
  await desk.locator('#action-form button[type=submit]').click();
  assert.equal(await desk.locator('#act-reject-reason-error').textContent(), '请填写原因');
  await desk.locator('#act-reject-reason').fill('已自行清除');
  await desk.locator('#action-form button[type=submit]').click();
  await desk.locator('.event-card[data-status="rejected"]').waitFor();
  assert.equal(await desk.locator('#no-actions').count(), 1, 'a rejected event has no step left');
});

test('立案 proposes the classifier\'s category; 合并 offers the possible duplicates', async () => {
  const gw = await server.login(WORKER);
  const text = '楼道里有很浓的煤气味，怀疑燃气管道漏气了';
  const first = await api('POST', '/api/v1/events', gw, { source: 'grid_worker', description: text, lng: point[0], lat: point[1] });
  assert.ok(first.proposal && first.proposal.minor, 'intake proposed a category');
  await openEvent(desk, first.id);
  await desk.locator('#event-actions button[data-action="register"]').click();
  const form = desk.locator('#action-form[data-action="register"]');
  await form.waitFor();
  assert.equal(await form.locator('select[name=minor]').inputValue(), first.proposal.minor, 'the proposal is preselected');
  assert.match(await form.locator('[data-field="minor"]').innerText(), /智能分类建议：.+（置信度 \d+%）/);
  await form.locator('button[type=submit]').click();
  await desk.locator('.event-card[data-status="registered"]').waitFor();
  assert.equal((await api('GET', `/api/v1/events/${first.id}`, admin)).category.minor, first.proposal.minor, 'confirmed as proposed');

  // The same problem reported again a few metres away.
  const again = await api('POST', '/api/v1/events', gw, { source: 'grid_worker', description: '楼道煤气味很浓，好像燃气管道漏气', lng: point[0] + 0.0002, lat: point[1] });
  await openEvent(desk, again.id);
  await desk.locator('#event-actions button[data-action="merge"]').click();
  const choice = desk.locator(`#dup-list button[data-id="${first.id}"]`);
  await choice.waitFor();
  await choice.click();
  assert.equal(await desk.locator('#act-merge-into').inputValue(), String(first.id));
  await desk.locator('#action-form button[type=submit]').click();
  await desk.locator('.event-card[data-status="merged"]').waitFor();
  assert.equal((await api('GET', `/api/v1/events/${again.id}`, admin)).merged_into, first.id);
});

test('an overdue event escalates: red, and handled one level up', async () => {
  const gw = await server.login(WORKER);
  const e = await api('POST', '/api/v1/events', gw, { source: 'grid_worker', description: '于庄村东头垃圾堆积，已有异味', minor: '2901', lng: point[0], lat: point[1] });
  assert.equal(e.handling_area.level, 'grid');
  await openEvent(desk, e.id);
  assert.equal(await desk.locator('.event-card').getAttribute('data-light'), 'green');
  assert.match(await desk.locator('[data-fact=handling] dd').textContent(), /于庄村第1网格/);

  // The desk has 2 working hours; 3 hours later it is overdue and the sweep sends it up.
  await server.advanceClock(3 * H);
  const swept = await api('POST', '/api/v1/_test/sweep', null, {});
  assert.ok(swept.escalated >= 1);
  await goHash(desk, '#/desk?light=red');
  await desk.locator(`.events-table tr[data-id="${e.id}"] .light-red`).waitFor();
  await openEvent(desk, e.id);
  assert.equal(await desk.locator('.event-card').getAttribute('data-light'), 'red');
  assert.equal(await desk.locator('.event-card .light-red').first().textContent(), '红灯');
  assert.equal((await desk.locator('[data-fact=handling] dd').textContent()).trim(), '于庄村民委员会（村社区）');
  assert.equal((await desk.locator('[data-fact=escalations] dd').textContent()).trim(), '1');
  const last = desk.locator('#event-timeline .timeline-item').last();
  assert.equal(await last.getAttribute('data-action'), 'escalate');
  assert.match(await last.textContent(), /系统/);
  assert.match(await last.textContent(), /于庄村第1网格 → 于庄村民委员会/);
  // 待办 counts it red.
  await goHash(desk, '#/inbox');
  const red = Number(await desk.locator('.light-count[data-light="red"] .light-count-n').textContent());
  const inbox = await api('GET', '/api/v1/inbox', await server.login('dispatcher'));
  assert.ok(red >= 1);
  assert.equal(red, inbox.red);
  await desk.locator(`.events-table tr[data-id="${e.id}"] .light-red`).waitFor();
});

test('offline: a report waits in the outbox and is sent once the network is back, exactly once', async () => {
  const text = '于庄村西桥护栏损坏（离线上报）';
  await goHash(phone, '#/report');
  await phone.locator('#report-form').waitFor();
  await phoneCtx.setOffline(true);
  await phone.getByLabel('事件描述').fill(text);
  await phone.getByRole('button', { name: '提交上报' }).click();
  await phone.locator('#report-notice[data-state="queued"]').waitFor();
  assert.equal(await phone.locator('#outbox-count').textContent(), '1');
  assert.equal((await eventsLike(text)).length, 0, 'nothing reached the server');
  const key = await phone.locator('.outbox-item').getAttribute('data-key');

  // Back online (the browser says so: the page sends at once), the send
  // reaches the server but its answer is lost: the report stays queued with
  // its key ...
  let lost = 0;
  await phone.route('**/api/v1/events', async (route) => {
    if (route.request().method() !== 'POST' || lost) return route.fallback();
    lost++;
    const sent = JSON.parse(route.request().postData());
    assert.equal(sent.idempotency_key, key);
    await route.fetch();
    await route.abort('connectionreset');
  });
  await phoneCtx.setOffline(false);
  await phone.locator('.outbox-item[data-state="queued"]', { hasText: '已尝试 2 次' }).waitFor();
  assert.equal(lost, 1);
  const first = await eventsLike(text);
  assert.equal(first.length, 1, 'the lost answer\'s event exists');
  // ... and the resend with the same key is the same event, not a second one.
  await phone.locator('#outbox-send').click();
  await phone.locator('#report-outbox').waitFor({ state: 'hidden' });
  await phone.locator(`#report-sent li[data-id="${first[0].id}"]`).waitFor();
  await phone.unroute('**/api/v1/events');
  const after = await eventsLike(text);
  assert.deepEqual(after.map((e) => e.id), [first[0].id], 'exactly one event');
  assert.equal(after[0].area.code, GRID, 'no point: the worker\'s own grid');
});

test('offline start: sw.js serves the page without network, the report waits and goes once back online', async () => {
  const { context, page } = await openPage(browser, { errors: pageErrors, width: 360, height: 740 });
  try {
    await page.goto(server.url + '/');
    await signIn(page, WORKER, server.password);
    await goHash(page, '#/report');
    await page.locator('#report-form').waitFor();
    // The worker has taken control once the UI's files are kept.
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller);
    await context.setOffline(true);
    await page.reload();
    await page.locator('#report-form').waitFor();
    assert.equal(await page.locator('.who-name').textContent(), '梁庆芳', 'the account last signed in');
    assert.ok(await page.locator('#rp-minor option[value="2901"]').count(), 'the categories kept for offline use');
    const text = '于庄村南渠边有人私挖沙土（离线启动后上报）';
    await page.getByLabel('事件描述').fill(text);
    await page.locator('#rp-minor').selectOption('2901');
    await page.getByRole('button', { name: '提交上报' }).click();
    await page.locator('#report-notice[data-state="queued"]').waitFor();
    assert.equal((await eventsLike(text)).length, 0);
    await context.setOffline(false);
    await page.locator('#report-outbox').waitFor({ state: 'hidden' });
    const made = await eventsLike(text);
    assert.equal(made.length, 1, 'sent once the network is back');
    assert.equal(made[0].category.minor, '2901');
  } finally {
    await context.close();
  }
});

test('the department sees only its own queue; a grid worker has no dispatch buttons', async () => {
  const gw = await server.login(WORKER);
  const disp = await server.login('dispatcher');
  const theirs = await api('POST', '/api/v1/events', gw, { source: 'grid_worker', description: '村委会墙上小广告乱贴（城管的事）', minor: '2903', lng: point[0], lat: point[1] });
  await api('POST', `/api/v1/events/${theirs.id}/actions/register`, disp, {});
  await api('POST', `/api/v1/events/${theirs.id}/actions/dispatch`, disp, { department: depts['城管'] });

  await switchUser(desk, 'handler', server.password);
  await goHash(desk, '#/desk?status=dispatched,accepted,handled,closed,evaluated');
  await desk.locator('.events-table tbody tr').first().waitFor();
  const leads = await desk.locator('.events-table tbody td[data-label="牵头部门"]').allTextContents();
  assert.ok(leads.length > 0);
  assert.deepEqual([...new Set(leads)], ['公安'], 'only the police\'s work');
  assert.equal(await desk.locator(`.events-table tr[data-id="${theirs.id}"]`).count(), 0);
  await goHash(desk, `#/events/${theirs.id}`);
  await desk.getByRole('heading', { name: '事件不存在或无权访问' }).waitFor();
  const nav = await desk.locator('nav.sidenav a').allTextContents();
  assert.ok(nav.includes('部门工作台') && !nav.includes('调度台'));

  // The grid worker sees the reported event with only its own steps.
  const fresh = await api('POST', '/api/v1/events', gw, { source: 'grid_worker', description: '村口夜间有陌生人聚集', minor: '1302', lng: point[0], lat: point[1] });
  await openEvent(phone, fresh.id);
  const mine = await buttons(phone);
  assert.deepEqual(mine.sort(), ['comment', 'escalate']);
  for (const a of ['register', 'reject', 'dispatch', 'merge', 'close']) assert.ok(!mine.includes(a), a);
  const phoneNav = await phone.locator('nav.sidenav a').allTextContents();
  assert.ok(!phoneNav.includes('调度台') && phoneNav.includes('上报事件'));
  await switchUser(desk, 'dispatcher', server.password);
});

test('the phone pages fit 360 px; the desk has its picture', async () => {
  const over = await phoneOverflows(
    phone,
    [
      ['#/report', '#report-form'],
      ['#/inbox', '#inbox-counts .light-count'],
      ['#/desk', '.events-table'],
    ],
    { width: 360 }
  );
  for (const [hash, px] of over) assert.ok(px <= 0, `${hash} scrolls sideways by ${px}px at 360px`);
  const [e] = await eventsLike('于庄村东头垃圾堆积，已有异味');
  await openEvent(phone, e.id);
  assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'the event page fits');

  await goHash(desk, '#/desk');
  await desk.locator('.events-table').waitFor();
  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await desk.screenshot({ path: SCREENSHOT, fullPage: false });
});
