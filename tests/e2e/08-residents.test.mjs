// Browser test: the residents' pages (issue 5, "Residents and open
// standards"), without an account, on a 360 px phone. A resident goes from
// the login page to 我要上报, is told at the field what is missing or wrong,
// reports with the phone's GPS point and gets a tracking code to copy; the
// tracking page shows the status and the deadline nodes, and — once the
// staff have handled and closed the event (through the API here) — the
// result and a rating form that works once and then is gone. An unknown
// code, a mistyped one and the per-address limits (429 with its wait) are
// said in Chinese. The pages never show the staff layout or anything
// personal, and fit 360 px.
//
// Runs the real build/test/pingan on a temporary demo database through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core.
// Run from the repo root: node --test tests/e2e/08-residents.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, goHash, phoneOverflows, finish } from '../lib/browser.mjs';
import { startServer, microGridPoint, checkedApi } from '../lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1).
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/public-track.png')
  : path.join(ROOT, 'build/test/screenshots/public-track.png');

const GRID = '411624001200001'; // 于庄村第1网格
const H = 3600 * 1000;
const REPORT_LIMIT = 4; // reports per address and window
const GUESS_LIMIT = 3; // unknown codes per address and window
const CODE_RE = /^[2-9A-HJ-NP-Z]{10}$/;

let server;
let browser;
let phone;
let phoneCtx;
let admin;
let micro;
let point;
let code; // the resident's tracking code, from the first test
const apiCalls = [];
const pageErrors = [];

before(async () => {
  server = await startServer({
    demo: true,
    env: {
      PINGAN_SESSION_IDLE: '86400',
      PINGAN_SWEEP_SECONDS: '0',
      PINGAN_PUBLIC_REPORT_LIMIT: String(REPORT_LIMIT),
      PINGAN_PUBLIC_GUESS_LIMIT: String(GUESS_LIMIT),
      PINGAN_PUBLIC_WINDOW: '3600',
    },
  });
  const clock = await server.api('POST', '/api/v1/_test/clock', { body: { now_ms: Date.parse('2026-12-07T09:00:00+08:00') } });
  assert.equal(clock.status, 200, clock.text);
  admin = await server.login('admin');
  ({ micro, point } = await microGridPoint(assert, server, admin, GRID));

  browser = await launchBrowser();
  ({ context: phoneCtx, page: phone } = await openPage(browser, { errors: pageErrors, width: 360, height: 740, serviceWorkers: 'block', onApi: (l) => apiCalls.push(l) }));
  await phoneCtx.grantPermissions(['geolocation', 'clipboard-read', 'clipboard-write']);
  await phoneCtx.setGeolocation({ longitude: point[0], latitude: point[1], accuracy: 20 });
  await phone.goto(server.url + '/');
  await phone.locator('#login-form').waitFor();
});

after(() => finish(assert, { browser, server, errors: pageErrors }));

const api = (...args) => checkedApi(assert, server)(...args);
// The staff's view of the event behind a code.
const staffEvent = async (c) => {
  const list = await api('GET', '/api/v1/events?source=resident&status=reported,registered,dispatched,accepted,handled,closed,evaluated&limit=200', admin);
  const e = list.items.find((x) => x.track_code === c);
  assert.ok(e, `the centre sees ${c}`);
  return api('GET', `/api/v1/events/${e.id}`, admin);
};
const noStaffLayout = async () => {
  assert.equal(await phone.locator('header.topbar, nav.sidenav').count(), 0, 'no staff layout on a resident\'s page');
  assert.equal(await phone.locator('header.public-top').count(), 1);
};

test('a resident reports without an account: told at the field what is missing, then a code to copy', async () => {
  // From the login page, no account.
  await phone.locator('#login-public-report').click();
  await phone.waitForURL((u) => u.hash === '#/public/report');
  await phone.locator('#pub-report-form').waitFor();
  await noStaffLayout();
  await phone.locator('#pub-minor option[value="3103"]').waitFor({ state: 'attached' });
  assert.equal(await phone.locator('#pub-minor option[value="3103"]').textContent(), '路灯不亮', 'a resident\'s word for the category');

  // Nothing filled in: the description first, then the place, both before any request.
  const before = apiCalls.length;
  await phone.getByRole('button', { name: '提交' }).click();
  assert.equal(await phone.locator('#pub-description-error').textContent(), '请填写问题描述');
  await phone.getByLabel('问题描述').fill('小区门口路灯不亮一个多星期了，夜里很黑');
  await phone.locator('#pub-minor').selectOption('3103');
  await phone.getByRole('button', { name: '提交' }).click();
  assert.equal(await phone.locator('#pub-lng-error').textContent(), '请使用当前位置，或填写问题所在的地址');
  assert.equal(apiCalls.slice(before).filter((l) => l.startsWith('POST /api/v1/public/reports')).length, 0, 'nothing sent');

  // The server's field error (a phone number it does not take) stands at its field, in Chinese.
  await phone.locator('#pub-locate').click();
  await phone.locator('#pub-where[data-state="gps"]').waitFor();
  await phone.getByLabel('姓名').fill('李桂英');
  await phone.getByLabel('手机号').fill('12345');
  await phone.getByRole('button', { name: '提交' }).click();
  const phoneError = phone.locator('#pub-reporter_phone-error');
  await phoneError.waitFor();
  assert.match(await phoneError.textContent(), /[\u4e00-\u9fff]/);
  assert.equal(await phone.locator('#pub-reporter_phone').getAttribute('aria-invalid'), 'true');

  await phone.getByLabel('手机号').fill('13912345678');
  await phone.getByRole('button', { name: '提交' }).click();
  await phone.locator('#pub-done').waitFor();
  code = (await phone.locator('#pub-code').textContent()).trim();
  assert.match(code, CODE_RE);
  await phone.locator('#pub-copy').click();
  await phone.locator('#pub-copied', { hasText: '已复制查询码' }).waitFor();
  assert.equal(await phone.evaluate(() => navigator.clipboard.readText()), code, 'the code is on the clipboard');

  // The centre has it, located by the GPS point, with who reported.
  const e = await staffEvent(code);
  assert.equal(e.source, 'resident');
  assert.equal(e.area.code, micro.code);
  assert.equal(e.category.minor, '3103');
  assert.equal(e.reporter_name, '李桂英');
});

test('the tracking page: status and deadline nodes, then the result and one rating after the staff close it', async () => {
  assert.ok(code, 'the first test made a report');
  await phone.locator('#pub-track-link').click();
  await phone.waitForURL((u) => u.hash === `#/public/track/${code}`);
  await phone.locator('#pub-report[data-status="reported"]').waitFor();
  await noStaffLayout();
  assert.equal(await phone.locator('#pub-nodes .timeline-item').count(), 1);
  assert.match(await phone.locator('#pub-nodes .timeline-item').textContent(), /上报.*待立案.*时限：2026-12-07/);
  assert.equal(await phone.locator('#pub-rate-form').count(), 0, 'no rating before it is closed');
  assert.equal(await phone.locator('#pub-result').count(), 0);

  // The staff take it through the loop (through the API here).
  const [disp, handler] = [await server.login('dispatcher'), await server.login('handler')];
  const e = await staffEvent(code);
  const step = (token, action, body = {}) => api('POST', `/api/v1/events/${e.id}/actions/${action}`, token, body);
  await step(disp, 'register', { minor: '1302', note: '内部：已核实' });
  await step(disp, 'dispatch', {});
  await step(handler, 'accept');
  await step(disp, 'comment', { note: '内部备注：报告人李桂英' });
  await step(handler, 'handle', { note: '路灯已更换，恢复照明' });
  await step(disp, 'close', { note: '回访属实' });

  await phone.reload();
  await phone.locator('#pub-report[data-status="closed"]').waitFor();
  assert.equal((await phone.locator('#pub-result .timeline-note').textContent()).trim(), '路灯已更换，恢复照明');
  const nodes = await phone.locator('#pub-nodes .timeline-item').evaluateAll((li) => li.map((x) => x.dataset.action));
  assert.deepEqual(nodes, ['report', 'register', 'dispatch', 'accept', 'handle', 'close'], 'the internal remark is not shown');
  assert.ok((await phone.locator('#pub-nodes .timeline-detail').count()) >= 4, 'the steps that started a clock show their deadline');
  assert.equal((await phone.locator('[data-fact=department] dd').textContent()).trim(), '公安');
  const text = await phone.locator('#main').textContent();
  for (const secret of ['李桂英', '13912345678', '139****5678', '内部', '回访属实', 'dispatcher', 'handler'])
    assert.ok(!text.includes(secret), `nothing personal or internal on the page: ${secret}`);

  // The rating: said at its field when missing, then sent once; the form is gone after.
  const form = phone.locator('#pub-rate-form');
  await form.getByRole('button', { name: '提交评价' }).click();
  assert.equal(await phone.locator('#pub-rate-rating-error').textContent(), '请选择满意程度');
  await form.getByLabel('4 分 · 满意').check();
  await form.getByLabel('评价意见').fill('处理及时，谢谢');
  await form.getByRole('button', { name: '提交评价' }).click();
  await phone.locator('#pub-notice', { hasText: '感谢您的评价' }).waitFor();
  await phone.locator('#pub-report[data-status="evaluated"]').waitFor();
  assert.equal(await phone.locator('#pub-rate-form').count(), 0, 'rated once: no form');
  assert.match(await phone.locator('#pub-rated').textContent(), /4 分 · 满意.*处理及时，谢谢/);
  const after_ = await staffEvent(code);
  assert.equal(after_.rating, 4);
  assert.equal(after_.timeline.filter((t) => t.action === 'evaluate').length, 1);

  // A second visit: still no form.
  await phone.reload();
  await phone.locator('#pub-rated').waitFor();
  assert.equal(await phone.locator('#pub-rate-form').count(), 0);
  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await phone.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('codes: typed in lower case they are found; a mistyped one is refused at once; an unknown one is a 404 in Chinese', async () => {
  assert.ok(code);
  await goHash(phone, '#/public/track');
  await phone.locator('#pub-track-form').waitFor();
  assert.ok(await phone.locator(`#pub-mine a[href="#/public/track/${code}"]`).count(), 'the code reported from this phone is listed');
  await phone.getByLabel('查询码').fill(` ${code.toLowerCase()} `);
  await phone.getByRole('button', { name: '查询' }).click();
  await phone.waitForURL((u) => u.hash === `#/public/track/${code}`);
  await phone.locator('#pub-report[data-status="evaluated"]').waitFor();

  // Not the shape of a code: said at the field, no request (no guess spent).
  const before = apiCalls.length;
  await phone.getByLabel('查询码').fill('ABC1');
  await phone.getByRole('button', { name: '查询' }).click();
  assert.match(await phone.locator('#pub-track-code-error').textContent(), /10 位/);
  assert.deepEqual(apiCalls.slice(before).filter((l) => l.includes('/public/reports/')), []);

  await phone.getByLabel('查询码').fill('ZZZZZZZZZZ');
  await phone.getByRole('button', { name: '查询' }).click();
  const err = phone.locator('#pub-error[data-status="404"]');
  await err.waitFor();
  assert.match(await err.textContent(), /查询码不存在/);
  assert.equal(await phone.locator('#pub-report').count(), 0);
});

test('the per-address limits: too many reports or unknown codes are refused with the wait, in Chinese', async () => {
  // Fill the report limit from the same address (the browser and this test are both 127.0.0.1).
  const made = (await api('GET', '/api/v1/events?source=resident&limit=1', admin)).total;
  for (let i = made; i < REPORT_LIMIT; i++)
    await api('POST', '/api/v1/public/reports', null, { description: `第${i}件：楼道堆放杂物`, address: '幸福小区3号楼' });
  await goHash(phone, '#/public/report');
  await phone.getByLabel('问题描述').fill('再报一件：井盖缺失');
  await phone.getByLabel('地址').fill('槐店镇文化路');
  await phone.getByRole('button', { name: '提交' }).click();
  const alert = phone.locator('#pub-report-form .alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^上报过于频繁，请 \d+ 分钟后再试。$/);

  // Unknown codes: GUESS_LIMIT in the window (one spent above), then even a right code waits.
  for (let i = 1; i < GUESS_LIMIT; i++) assert.equal((await server.api('GET', '/api/v1/public/reports/YYYYYYYYYY')).status, 404);
  await goHash(phone, `#/public/track/${code}`);
  const limited = phone.locator('#pub-error[data-status="429"]');
  await limited.waitFor();
  assert.match(await limited.textContent(), /^查询过于频繁，请 \d+ 分钟后再试。$/);

  // A new window: both work again.
  await server.advanceClock(2 * H);
  await phone.reload();
  await phone.locator('#pub-report[data-status="evaluated"]').waitFor();
});

test('the residents\' pages fit 360 px and never show the staff layout, signed in or not', async () => {
  const over = await phoneOverflows(
    phone,
    [
      ['#/public/report', '#pub-report-form'],
      ['#/public/track', '#pub-track-form'],
      [`#/public/track/${code}`, '#pub-report'],
    ],
    { width: 360 }
  );
  for (const [hash, px] of over) assert.ok(px <= 0, `${hash} scrolls sideways by ${px}px at 360px`);
  await goHash(phone, '#/public');
  await phone.waitForURL((u) => u.hash === '#/public/report');
  await goHash(phone, '#/desk');
  await phone.locator('#login-form').waitFor();
  // A staff member signed in on the same phone sees the residents' page as a resident does.
  await phone.getByLabel('用户名').fill('dispatcher');
  await phone.getByLabel('密码').fill(server.password);
  await phone.getByRole('button', { name: '登录' }).click();
  await phone.locator('header.topbar').waitFor();
  await goHash(phone, `#/public/track/${code}`);
  await phone.locator('#pub-report').waitFor();
  await noStaffLayout();
});
