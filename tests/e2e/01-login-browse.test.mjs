// Browser test: login, area browsing and scope, against the real server.
//
// Runs the real build/test/pingan on a temporary demo database (沈丘县) through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core.
// Run from the repo root: node --test tests/e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage } from '../lib/browser.mjs';
import { startServer, assertCleanExit } from '../lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1), so
// that running the tests never changes tracked files.
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/area-browser.png')
  : path.join(ROOT, 'build/test/screenshots/area-browser.png');
const COUNTY = { code: '411624', name: '沈丘县' };

let server;
let browser;
let context;
let page;
let apiCalls = []; // API requests the page made since the last reset
const seen = {}; // what the first test found, for the later ones

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  seen.pageErrors = [];
  ({ context, page } = await openPage(browser, { onApi: (line) => apiCalls.push(line), errors: seen.pageErrors }));
});

after(async () => {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
});

const card = () => page.locator('article.area-card');
const title = () => page.locator('#area-title');
const rows = () => page.locator('table.children-table tbody tr');
const crumbs = () => page.locator('nav.crumbs li');

async function login(username, password) {
  await page.locator('#login-form').waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

// Clicks the row's 编码 cell (not the link) and checks that the page changed
// to that area with exactly one API request.
async function clickRow(row) {
  const code = await row.getAttribute('data-code');
  const name = (await row.locator('td.name a').innerText()).trim();
  const workers = (await row.locator('td.workers').innerText()).trim();
  apiCalls = [];
  await row.locator('td').first().click();
  await page.waitForURL((u) => u.hash === `#/areas/${code}`);
  await page.locator(`article.area-card[data-code="${code}"]`).waitFor();
  assert.equal((await title().innerText()).trim(), name);
  assert.deepEqual(apiCalls, [`GET /api/v1/areas/${code}`], 'one fetch per navigation');
  return { code, name, workers };
}

test('wrong password shows the Chinese error, then admin logs in', async () => {
  await page.goto(server.url + '/');
  await page.waitForURL((u) => u.hash === '#/login');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

  await login('admin', 'wrong-password');
  const alert = page.locator('#login-form [role=alert]');
  await alert.filter({ hasText: '用户名或密码错误' }).waitFor();
  assert.equal(page.url().endsWith('#/login'), true);

  await login('admin', server.password);
  await title().filter({ hasText: COUNTY.name }).waitFor();
  assert.match(page.url(), /#\/areas/);
  const header = page.locator('header.topbar');
  assert.match(await header.innerText(), /平安 · 网格化社会治理平台/);
  assert.match(await header.innerText(), /系统管理员/);
  assert.match(await header.innerText(), /沈丘县/);
  assert.equal(await card().locator('.area-code').innerText(), COUNTY.code);
  assert.ok((await rows().count()) > 0, 'the county lists its townships');
  assert.equal(await page.locator('nav.sidenav a', { hasText: '审计日志' }).count(), 1);
});

test('admin clicks down county → township → village → grid', async () => {
  const township = await clickRow(rows().first());
  assert.equal(await card().locator('.badge.level').innerText(), '乡镇');

  const village = await clickRow(rows().first());
  assert.equal(await card().locator('.badge.level').innerText(), '村社区');

  // the first grid in this village that has a worker and is not retired
  const gridRow = rows()
    .filter({ hasNot: page.locator('.badge.retired') })
    .filter({ hasNot: page.locator('td.workers .muted') })
    .first();
  const grid = await clickRow(gridRow);
  assert.equal(await card().locator('.badge.level').innerText(), '网格');
  assert.ok(grid.code.startsWith(village.code) && village.code.startsWith(township.code));

  // the worker named in the village's table is in the grid's card
  const workerName = grid.workers.split('、')[0];
  assert.ok(workerName && workerName !== '—', 'the grid row names its worker');
  const workers = card().locator('[data-fact="workers"] .people li');
  assert.match(await workers.first().innerText(), new RegExp(workerName));
  // and the worker's username, which is g + grid code in the demo
  const usernames = await card().locator('[data-fact="workers"]').innerText();
  assert.match(usernames, new RegExp(`g${grid.code}`));

  // breadcrumbs show the whole path, ancestors as links
  const trail = (await crumbs().allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(trail, [COUNTY.name, township.name, village.name, grid.name]);
  assert.equal(await page.locator('nav.crumbs a').count(), 3);

  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await page.mouse.move(640, 20); // no hover highlight in the picture
  await page.screenshot({ path: SCREENSHOT });

  Object.assign(seen, { township, village, grid, workerName });

  // a breadcrumb goes back up, the browser's back button returns
  apiCalls = [];
  await page.locator('nav.crumbs a', { hasText: township.name }).click();
  await title().filter({ hasText: township.name }).waitFor();
  assert.deepEqual(apiCalls, [`GET /api/v1/areas/${township.code}`]);
  await page.goBack();
  await title().filter({ hasText: grid.name }).waitFor();
});

test('search finds an area by code and navigates to it', async () => {
  const { village } = seen;
  assert.ok(village, 'needs the previous test');
  const box = page.getByRole('combobox', { name: '搜索区域名称或编码' });
  await box.fill(village.code);
  const option = page.locator(`#area-search-results [role=option][data-code="${village.code}"]`);
  await option.waitFor();
  await option.click();
  await page.waitForURL((u) => u.hash === `#/areas/${village.code}`);
  await title().filter({ hasText: village.name }).waitFor();
});

test('the area page fits a phone screen', async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await title().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    assert.equal(await page.locator('table.children-table thead').isVisible(), false, 'rows are stacked');
    assert.ok(await rows().first().isVisible());
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

test('admin sees the audit log with the failed and the good login', async () => {
  await page.locator('nav.sidenav a', { hasText: '审计日志' }).click();
  await page.waitForURL((u) => u.hash === '#/audit');
  const table = page.locator('table.audit-table');
  await table.waitFor();
  await page.getByLabel('操作').fill('auth.login');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((u) => u.hash.startsWith('#/audit?') && u.hash.includes('action=auth.login'));
  await table.locator('tbody tr', { hasText: 'admin' }).first().waitFor();
  const text = await table.innerText();
  assert.match(text, /auth\.login/);
  assert.match(text, /成功/);
  assert.match(text, /拒绝|错误/, 'the wrong password was audited');
});

test('a grid worker sees only their grid; the county is not found', async () => {
  const { grid, workerName } = seen;
  assert.ok(grid, 'needs the grid found by the admin');

  await page.locator('#logout').click();
  await page.waitForURL((u) => u.hash === '#/login');
  await login(`g${grid.code}`, server.password);

  await title().filter({ hasText: grid.name }).waitFor();
  assert.equal(await card().locator('.area-code').innerText(), grid.code);
  const header = await page.locator('header.topbar').innerText();
  assert.match(header, /网格员/);
  assert.match(header, new RegExp(workerName));
  assert.equal(await page.locator('nav.sidenav a', { hasText: '审计日志' }).count(), 0);
  assert.equal(await page.locator('nav.crumbs a').count(), 0, 'nothing above their own grid');

  await page.evaluate((code) => {
    location.hash = `#/areas/${code}`;
  }, COUNTY.code);
  const notice = page.locator('.notice[role=alert]');
  await notice.filter({ hasText: '无权访问' }).waitFor();
  assert.equal(await card().count(), 0, 'the county card is not shown');
  assert.doesNotMatch(await page.locator('main').innerText(), /下级乡镇/);

  await page.evaluate(() => {
    location.hash = '#/audit';
  });
  await page.locator('.notice', { hasText: '无权访问' }).waitFor();

  assert.deepEqual(seen.pageErrors.map(String), [], 'no uncaught errors in the page');
});
