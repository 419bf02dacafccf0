// The browser of the browser tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), headless, with the flags
// that keep it from reaching for the network this machine does not have.
import { chromium } from 'playwright-core';
import { assertCleanExit } from './server.mjs';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// Signs in through the login form and waits for the layout.
export async function signIn(page, username, password) {
  await page.locator('#login-form').waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('header.topbar').waitFor();
}

// Signs out and in again as someone else.
export async function switchUser(page, username, password) {
  await page.locator('#logout').click();
  await page.waitForURL((u) => u.hash === '#/login');
  await signIn(page, username, password);
}

// Navigates inside the single-page UI and waits for the hash to land.
export async function goHash(page, hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForURL((u) => u.hash === hash);
}

// A page as the tests use it: desktop size (or the one given), zh-CN,
// Shanghai time, a 15 s default timeout; onApi(line) hears every API request
// ("GET /api/v1/…?…") and uncaught page errors are pushed into errors.
// (serviceWorkers: 'block' where a test intercepts requests with page.route).
export async function openPage(browser, { onApi, errors, width = 1280, height = 800, acceptDownloads = false, serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads, serviceWorkers });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (onApi && u.pathname.startsWith('/api/')) onApi(`${req.method()} ${u.pathname}${u.search}`);
  });
  if (errors) page.on('pageerror', (e) => errors.push(e));
  return { context, page };
}

// How far each page scrolls sideways on a phone (375 × 740, or the width
// given): pages is a list of [hash, selector to wait for]; returns [[hash,
// overflow px]], where more than 0 means horizontal scrolling. The page's
// own size is restored after.
export async function phoneOverflows(page, pages, { width = 375 } = {}) {
  const size = page.viewportSize();
  await page.setViewportSize({ width, height: 740 });
  const out = [];
  try {
    for (const [hash, selector] of pages) {
      await goHash(page, hash);
      await page.locator(selector).first().waitFor();
      out.push([hash, await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)]);
    }
  } finally {
    await page.setViewportSize(size);
  }
  return out;
}

// The two screens of the loop tests: the desktop (signed in as deskUser)
// and a grid worker's 360 × 740 phone (as worker) whose GPS says point
// ([lng, lat]). Returns {desk, phone, phoneCtx}.
export async function deskAndPhone(browser, server, { deskUser, worker, point, errors }) {
  const { page: desk } = await openPage(browser, { errors });
  const { context: phoneCtx, page: phone } = await openPage(browser, { errors, width: 360, height: 740, serviceWorkers: 'block' });
  await phoneCtx.grantPermissions(['geolocation']);
  await phoneCtx.setGeolocation({ longitude: point[0], latitude: point[1], accuracy: 12 });
  await desk.goto(server.url + '/');
  await signIn(desk, deskUser, server.password);
  await phone.goto(server.url + '/');
  await signIn(phone, worker, server.password);
  return { desk, phone, phoneCtx };
}

// The end of a browser test file: the browser closed, the server stopped
// cleanly and no uncaught error in any page.
export async function finish(assert, { browser, server, errors }) {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
  assert.deepEqual(errors.map(String), [], 'no uncaught errors in the pages');
}
