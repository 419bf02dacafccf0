// Browser test: the electronic grid map (电子网格地图, #/map), against the real server.
//
// Runs the real build/test/pingan on a temporary demo database (沈丘县, every
// area with a generated boundary) through tests/lib/server.mjs and drives
// Debian's Chromium with playwright-core. Areas are clicked at their label
// points (GET /api/v1/areas/{code}/map gives them), which lie inside them.
// Run from the repo root: node --test tests/e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { startServer, assertCleanExit } from '../lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1), so
// that running the tests never changes tracked files.
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/map.png')
  : path.join(ROOT, 'build/test/screenshots/map.png');
const COUNTY = { code: '411624', name: '沈丘县' };

let server;
let browser;
let page;
let token; // the admin's API token, for the test's own look-ups
let apiCalls = []; // API requests the page made since the last reset
const pageErrors = [];
const consoleErrors = [];
const seen = {}; // what earlier tests found, for the later ones

before(async () => {
  server = await startServer({ demo: true });
  token = await server.login('admin');
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname.startsWith('/api/')) apiCalls.push(`${req.method()} ${u.pathname}${u.search}`);
  });
  page.on('pageerror', (e) => pageErrors.push(e));
  // Refused API calls (401 before login, 404 out of scope) are logged by
  // Chromium as "Failed to load resource"; everything else is a bug.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
});

// ---------------------------------------------------------------- helpers

async function apiGet(p, tok = token) {
  const r = await server.api('GET', p, { token: tok });
  assert.equal(r.status, 200, `GET ${p}: ${r.text}`);
  return r.json;
}
const mapOf = (code, zoom = 14) => apiGet(`/api/v1/areas/${code}/map?zoom=${zoom}`);
async function apiPost(p, body, tok = token) {
  const r = await server.api('POST', p, { token: tok, body });
  assert.equal(r.status, 201, `POST ${p}: ${r.text}`);
  return r.json;
}

const mapPage = () => page.locator('.map-page');
const areaPaths = () => page.locator('#map-canvas path.map-area');
const infoTitle = () => page.locator('#map-info-title');
const status = () => page.locator('#map-status');
const households = (code) => page.locator(`#map-info #map-households[data-code="${code}"]`);
const householdCalls = () => apiCalls.filter((c) => c.includes('/households'));

async function waitLevel(code) {
  await page.locator(`.map-page[data-state="ready"][data-level="${code}"]`).waitFor();
}
async function waitSelected(code) {
  await page.locator(`.map-page[data-selected="${code}"]`).waitFor();
}

async function login(username, password) {
  await page.locator('#login-form').waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

// The screen point of an area's label (its label point, inside the area),
// or null if there the click would not reach the area (off the map, under a
// control).
async function areaPoint(code) {
  return page.evaluate((c) => {
    const label = document.querySelector(`#map-canvas .map-label[data-code="${c}"]`);
    if (!label) return null;
    const r = label.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    return hit && hit.closest && hit.closest('path.map-area') && hit.closest('path.map-area').dataset.code === c ? { x, y } : null;
  }, code);
}

// The first of the drawn areas (in the API's order) that passes ok(feature)
// and can be clicked: {feature, point}.
async function pickArea(features, ok = () => true) {
  for (const f of features) {
    if (!f.geometry || !ok(f)) continue;
    const point = await areaPoint(f.properties.code);
    if (point) return { feature: f, point };
  }
  assert.fail('no clickable area on the map');
}

async function clickArea(code) {
  const point = await areaPoint(code);
  assert.ok(point, `area ${code} is clickable`);
  await page.mouse.click(point.x, point.y);
  await waitSelected(code);
}

const crumbTexts = async () => (await page.locator('nav.map-crumbs li').allInnerTexts()).map((s) => s.trim());
const drawn = (data) => data.features.filter((f) => f.geometry).length;

// ---------------------------------------------------------------- tests

test('admin opens 网格地图 from the navigation: the 22 townships of the county', async () => {
  await page.goto(server.url + '/');
  await login('admin', server.password);
  await page.locator('#area-title').filter({ hasText: COUNTY.name }).waitFor();

  const county = await mapOf(COUNTY.code, 10);
  assert.equal(county.features.length, 22);
  seen.county = county;

  apiCalls = [];
  await page.locator('nav.sidenav a', { hasText: '网格地图' }).click();
  await waitLevel(COUNTY.code);
  assert.equal(new URL(page.url()).hash, `#/map/${COUNTY.code}`);
  assert.equal(await page.locator('nav.sidenav a[aria-current="page"]').innerText(), '网格地图');
  assert.equal(await areaPaths().count(), 22, 'one polygon per township');
  assert.equal(await page.locator('#map-canvas path.map-outline').count(), 1, 'the county outline');
  assert.ok(apiCalls.some((c) => c.startsWith(`GET /api/v1/areas/${COUNTY.code}/map?zoom=`)), apiCalls.join('\n'));
  assert.ok(!apiCalls.some((c) => /\/areas\/\d{9,}\/map/.test(c)), 'only the county level is loaded');

  // Leaflet from the build's vendor directory, nothing from elsewhere
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => new URL(s.src, location.href).pathname));
  assert.ok(scripts.includes('/vendor/leaflet/leaflet.js'), scripts.join(' '));
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => !e.name.startsWith(location.origin)).length), 0);

  // the info panel describes the county; labels where they fit
  assert.equal((await infoTitle().innerText()).trim(), COUNTY.name);
  assert.deepEqual(await crumbTexts(), [COUNTY.name]);
  assert.equal(await page.locator('#map-info .map-child').count(), 22);
  const shown = await page.locator('#map-canvas .map-label:not(.is-hidden)').count();
  assert.ok(shown > 0 && shown <= 22, `township names shown where they fit (${shown})`);

  // 护路护线: the demo railway is drawn over the townships, named on hover.
  const railway = page.locator('#map-canvas path.map-line-railway');
  await railway.waitFor();
  assert.equal(await railway.count(), 1);
  assert.ok(apiCalls.some((c) => c.startsWith(`GET /api/v1/lines?area=${COUNTY.code}&geometry=1`)), apiCalls.join('\n'));
  // A point on the line itself (the middle of its box may be off the line).
  const onLine = await railway.evaluate((el) => {
    const p = el.getPointAtLength(el.getTotalLength() / 2);
    const m = el.getScreenCTM();
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
  });
  await page.mouse.move(onLine.x, onLine.y);
  await page.locator('.map-tip', { hasText: '漯阜铁路' }).waitFor();
  assert.match(await page.locator('.map-tip', { hasText: '漯阜铁路' }).innerText(), /铁路[\s\S]*本区域内 \d+\.\d 公里/);
});

test('click a township and 进入, double-click a village and a grid, click a micro-grid', async () => {
  // township: click selects it, 进入 drills into it
  const t = await pickArea(seen.county.features, (f) => f.properties.child_count > 0);
  const township = t.feature.properties;
  await page.mouse.click(t.point.x, t.point.y);
  await waitSelected(township.code);
  assert.equal((await infoTitle().innerText()).trim(), township.name);
  const facts = page.locator('#map-info .map-facts');
  assert.match(await facts.innerText(), new RegExp(township.code));
  assert.match(await facts.innerText(), /乡镇/);
  assert.equal(await page.locator(`#map-info a[href="#/areas/${township.code}"]`).count(), 1, 'link to the area page');
  assert.deepEqual(
    (await page.locator('#map-info .map-info-crumbs li').allInnerTexts()).map((s) => s.trim()),
    [COUNTY.name, township.name]
  );
  assert.equal(await page.locator('#map-households').count(), 0, 'no 住户 above the grids');
  await page.getByRole('button', { name: '进入', exact: true }).click();
  await waitLevel(township.code);
  const tData = await mapOf(township.code);
  assert.equal(tData.features.length, township.child_count);
  assert.equal(await areaPaths().count(), drawn(tData), 'the township’s villages, nothing else');
  assert.deepEqual(await crumbTexts(), [COUNTY.name, township.name]);
  assert.equal(new URL(page.url()).hash, `#/map/${township.code}`);

  // village: double-click
  const v = await pickArea(tData.features, (f) => f.properties.child_count > 0);
  const village = v.feature.properties;
  await page.mouse.dblclick(v.point.x, v.point.y);
  await waitLevel(village.code);
  const vData = await mapOf(village.code, 16);
  assert.equal(await areaPaths().count(), drawn(vData));
  assert.deepEqual(await crumbTexts(), [COUNTY.name, township.name, village.name]);

  // grid: the info panel names its grid worker, then double-click
  const g = await pickArea(vData.features, (f) => f.properties.child_count > 0 && f.properties.workers.length > 0);
  const grid = g.feature.properties;
  await clickArea(grid.code);
  assert.match(await page.locator('#map-info [data-fact="workers"]').innerText(), new RegExp(grid.workers[0]));
  // and its 住户: none yet in the demo county
  await households(grid.code).locator('.map-households-total').waitFor();
  assert.match(await households(grid.code).innerText(), /该区域尚未登记住户/);
  assert.match(await households(grid.code).innerText(), /共 0 户/);
  await page.mouse.dblclick(g.point.x, g.point.y);
  await waitLevel(grid.code);
  const gData = await mapOf(grid.code, 17);
  assert.equal(await areaPaths().count(), drawn(gData));
  assert.equal(await page.locator('#map-canvas path.map-outline').count(), 1, 'the grid outline');
  assert.deepEqual(await crumbTexts(), [COUNTY.name, township.name, village.name, grid.name]);

  // micro-grid: one click shows its worker and its 住户 — a household
  // registered through the API just before
  const m = await pickArea(gData.features, (f) => f.properties.workers.length > 0);
  const micro = m.feature.properties;
  const household = await apiPost('/api/v1/households', { address: '于庄村测试户', area: micro.code });
  await apiPost('/api/v1/people', {
    name: '测试户主',
    residence_type: 'registered',
    area: micro.code,
    household_id: household.id,
    relation: '户主',
  });
  apiCalls = [];
  await clickArea(micro.code);
  assert.equal((await infoTitle().innerText()).trim(), micro.name);
  const workers = page.locator('#map-info [data-fact="workers"]');
  assert.match(await workers.innerText(), new RegExp(micro.workers[0]));
  assert.match(await page.locator('#map-info .map-facts').innerText(), /微网格/);
  assert.equal(await page.getByRole('button', { name: '进入', exact: true }).count(), 0, 'nothing below a micro-grid');
  assert.equal(new URL(page.url()).hash, `#/map/${grid.code}?sel=${micro.code}`);
  const row = households(micro.code).locator(`li[data-id="${household.id}"]`);
  await row.waitFor();
  const rowText = await row.innerText();
  for (const re of [/于庄村测试户/, /户主\s*测试户主/, /1 人/]) assert.match(rowText, re);
  assert.equal(await row.locator('a').getAttribute('href'), `#/households/${household.id}`);
  assert.match(await households(micro.code).innerText(), /共 1 户/);
  assert.equal(
    await households(micro.code).locator('a', { hasText: '查看全部' }).getAttribute('href'),
    `#/areas/${micro.code}`
  );
  assert.deepEqual(householdCalls(), [`GET /api/v1/areas/${micro.code}/households?limit=10`], 'one request for the selection');

  // the breadcrumb goes back up; the browser's back button returns
  await page.locator('nav.map-crumbs a', { hasText: COUNTY.name }).click();
  await waitLevel(COUNTY.code);
  assert.equal(await areaPaths().count(), 22);
  await page.goBack();
  await waitLevel(grid.code);
  await waitSelected(micro.code);

  Object.assign(seen, { township, village, grid, micro, gData, household });
});

test('住户 of a selected micro-grid: 加载中…, errors, and the household card', async () => {
  const { grid, micro, gData, household } = seen;
  assert.ok(household, 'needs the household made for the micro-grid');
  await waitLevel(grid.code);
  await waitSelected(micro.code);

  // another micro-grid whose list is slow and then fails
  const other = await pickArea(gData.features, (f) => f.properties.code !== micro.code);
  const code = other.feature.properties.code;
  let release;
  const gate = new Promise((resolve) => {
    release = resolve;
  });
  const url = `**/api/v1/areas/${code}/households?*`;
  await page.route(url, async (route) => {
    await gate;
    await route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂时不可用（测试）' } }),
    });
  });
  try {
    apiCalls = [];
    await clickArea(code);
    await households(code).locator('.map-households-loading', { hasText: '加载中…' }).waitFor();
    release();
    const alert = households(code).locator('[role=alert]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /住户加载失败：服务暂时不可用（测试）/);
    assert.deepEqual(householdCalls(), [`GET /api/v1/areas/${code}/households?limit=10`]);
  } finally {
    release();
    await page.unroute(url);
  }

  // back to the micro-grid with the household: listed again, then its card
  apiCalls = [];
  await clickArea(micro.code);
  const link = households(micro.code).locator(`li[data-id="${household.id}"] a`);
  await link.waitFor();
  assert.deepEqual(householdCalls(), [`GET /api/v1/areas/${micro.code}/households?limit=10`]);
  assert.match(await households(micro.code).innerText(), /测试户主/);
  await link.click();
  await page.locator('#household-title', { hasText: '于庄村测试户' }).waitFor();
  assert.equal(new URL(page.url()).hash, `#/households/${household.id}`);
  assert.match(await page.locator('.household-card [data-fact="head"]').innerText(), /测试户主/);
  assert.equal(await page.locator('.map-page').count(), 0, 'the map page was left');
});

test('zooming in on a township draws its villages; zooming out goes back up', async () => {
  await page.locator('nav.sidenav a', { hasText: '网格地图' }).click();
  await waitLevel(COUNTY.code);
  const t = await pickArea(seen.county.features, (f) => f.properties.child_count > 0);
  const code = t.feature.properties.code;
  await page.mouse.move(t.point.x, t.point.y);
  let level = COUNTY.code;
  for (let i = 0; i < 6 && level === COUNTY.code; i++) {
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(400);
    await page.locator('.map-page[data-state="ready"]').waitFor();
    level = await mapPage().getAttribute('data-level');
  }
  assert.ok(level.startsWith(code) && level !== COUNTY.code, `zooming in on ${code} entered it (now ${level})`);
  assert.ok((await areaPaths().count()) > 0);
  assert.ok((await crumbTexts()).includes(t.feature.properties.name));

  for (let i = 0; i < 10 && level !== COUNTY.code; i++) {
    await page.mouse.wheel(0, 100);
    await page.waitForTimeout(400);
    await page.locator('.map-page[data-state="ready"]').waitFor();
    level = await mapPage().getAttribute('data-level');
  }
  assert.equal(level, COUNTY.code, 'zooming out returned to the county');
  assert.equal(await areaPaths().count(), 22);
});

test('search flies to a village by name', async () => {
  // a village of another township than the one clicked before
  const other = seen.county.features.find((f) => f.properties.code !== seen.township.code).properties;
  const tDetail = await apiGet(`/api/v1/areas/${other.code}`);
  const village = tDetail.children.find((c) => !c.retired_at);
  const box = page.getByRole('combobox', { name: '搜索区域名称或编码' });
  await box.fill(village.name);
  const option = page.locator(`#area-search-results [role=option][data-code="${village.code}"]`);
  await option.waitFor();
  await option.click();
  await waitLevel(other.code);
  await waitSelected(village.code);
  assert.equal((await infoTitle().innerText()).trim(), village.name);
  assert.deepEqual(await crumbTexts(), [COUNTY.name, other.name]);
  assert.ok(await page.locator(`#map-canvas path.map-area.is-selected[data-code="${village.code}"]`).count(), 'highlighted');
  assert.equal(new URL(page.url()).hash, `#/map/${other.code}?sel=${village.code}`);
  seen.searched = { township: other, village };
});

test('定位: which micro-grid is this point in?', async () => {
  // typed: the label point of a micro-grid elsewhere in the county
  const { village } = seen.searched;
  const vDetail = await apiGet(`/api/v1/areas/${village.code}`);
  const grid = vDetail.children.find((c) => c.child_count > 0 && !c.retired_at);
  const gData = await mapOf(grid.code, 17);
  const micro = gData.features.find((f) => f.geometry && f.properties.label).properties;
  await page.locator('#map-coords').fill(`${micro.label[0]},${micro.label[1]}`);
  await page.getByRole('button', { name: '查询' }).click();
  await waitLevel(grid.code);
  await waitSelected(micro.code);
  const result = page.locator(`#map-info .map-located[data-code="${micro.code}"]`);
  await result.waitFor();
  const text = await result.innerText();
  assert.match(text, new RegExp(micro.name));
  for (const name of [COUNTY.name, seen.searched.township.name, village.name, grid.name]) assert.match(text, new RegExp(name));
  assert.match(await status().innerText(), new RegExp(micro.name));
  assert.equal((await infoTitle().innerText()).trim(), micro.name);
  assert.equal(await page.locator('#map-canvas path.map-locate-marker').count(), 1, 'the point is marked');

  // clicked: 定位, then a click on another micro-grid
  const other = await pickArea(gData.features, (f) => f.properties.code !== micro.code);
  await page.locator('#map-locate').click();
  assert.equal(await page.locator('#map-locate').getAttribute('aria-pressed'), 'true');
  apiCalls = [];
  await page.mouse.click(other.point.x, other.point.y);
  await page.locator(`#map-info .map-located[data-code="${other.feature.properties.code}"]`).waitFor();
  await waitSelected(other.feature.properties.code);
  assert.ok(apiCalls.some((c) => c.startsWith('GET /api/v1/areas/locate?lng=')), apiCalls.join('\n'));
  assert.equal(await page.locator('#map-locate').getAttribute('aria-pressed'), 'false');

  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await page.mouse.move(640, 20); // no hover tooltip in the picture
  await page.screenshot({ path: SCREENSHOT });

  // outside the county, and not a coordinate at all
  await page.locator('#map-coords').fill('116.5,33.3');
  await page.getByRole('button', { name: '查询' }).click();
  await status().filter({ hasText: '该位置不在您管辖的网格内' }).waitFor();
  await page.locator('#map-coords').fill('东经115度');
  await page.getByRole('button', { name: '查询' }).click();
  await status().filter({ hasText: '经度,纬度' }).waitFor();
  assert.equal(await page.locator('#map-coords').getAttribute('aria-invalid'), 'true');
});

test('the map fits a phone screen', async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await page.locator('nav.sidenav a', { hasText: '网格地图' }).click();
    await waitLevel(COUNTY.code);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    const box = await page.locator('#map-canvas').boundingBox();
    assert.ok(box.width >= 330 && box.height >= 300, `the map is usable (${box.width}×${box.height})`);
    assert.equal(await areaPaths().count(), 22);
    const t = await pickArea(seen.county.features);
    await page.mouse.click(t.point.x, t.point.y);
    await waitSelected(t.feature.properties.code);
    assert.ok(await infoTitle().isVisible());
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

test('a grid worker’s map shows only their own grid', async () => {
  const { grid } = seen;
  assert.ok(grid, 'needs the grid found by the admin');
  await page.locator('#logout').click();
  await page.waitForURL((u) => u.hash === '#/login');
  await login(`g${grid.code}`, server.password);
  await page.locator('#area-title').filter({ hasText: grid.name }).waitFor();

  apiCalls = [];
  await page.locator('nav.sidenav a', { hasText: '网格地图' }).click();
  await waitLevel(grid.code);
  const mine = await apiGet(`/api/v1/areas/${grid.code}/map?zoom=17`, await server.login(`g${grid.code}`));
  assert.equal(await areaPaths().count(), drawn(mine), 'their micro-grids');
  const codes = await areaPaths().evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.every((c) => c.startsWith(grid.code)), codes.join(' '));
  assert.deepEqual(await crumbTexts(), [grid.name], 'nothing above their own grid');
  assert.equal(await page.locator('nav.map-crumbs a').count(), 0);
  const maps = apiCalls.filter((c) => c.includes('/map?'));
  assert.ok(maps.length > 0 && maps.every((c) => c.startsWith(`GET /api/v1/areas/${grid.code}/map?`)), maps.join('\n'));

  // a micro-grid of theirs shows its worker; the county is out of reach
  const m = await pickArea(mine.features, (f) => f.properties.workers.length > 0);
  await clickArea(m.feature.properties.code);
  assert.match(await page.locator('#map-info [data-fact="workers"]').innerText(), new RegExp(m.feature.properties.workers[0]));

  const elsewhere = seen.county.features.find((f) => !grid.code.startsWith(f.properties.code)).properties.label;
  await page.locator('#map-coords').fill(`${elsewhere[0]},${elsewhere[1]}`);
  await page.getByRole('button', { name: '查询' }).click();
  await status().filter({ hasText: '该位置不在您管辖的网格内' }).waitFor();

  await page.evaluate((code) => {
    location.hash = `#/map/${code}`;
  }, COUNTY.code);
  await page.locator('#map-info .notice[role=alert]', { hasText: '无权访问' }).waitFor();
  assert.equal(await mapPage().getAttribute('data-level'), grid.code, 'the county was not drawn');

  assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors in the page');
  assert.deepEqual(consoleErrors, [], 'no errors in the console');
});
