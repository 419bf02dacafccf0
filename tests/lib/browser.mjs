// The browser of the browser tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), headless, with the flags
// that keep it from reaching for the network this machine does not have.
import { chromium } from 'playwright-core';

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
