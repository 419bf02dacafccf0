// Browser test: the command centre (指挥中心, #/dashboard) and the briefings
// (#/briefings). A leader opens the dashboard: the key figures are the
// counts this test makes itself from the raw event records, the ECharts
// charts have drawn, panels of ledgers not built yet say 暂无数据 without
// breaking the page; a map layer is switched; a click drills from the county
// to a township, a village and a grid, and the breadcrumb goes back up; a new
// event reaches the figures through the event stream (no reload, no poll); a
// statistics table is downloaded as CSV; a monthly briefing is generated,
// shown as an A4 document with SVG charts and downloaded as Excel.
//
// Runs the real build/test/pingan on a temporary demo database through
// tests/lib/server.mjs and drives Debian's Chromium with playwright-core.
// The server's test clock and the page's clock are both set to the same
// frozen day, so "this year" means the same to both on any run date.
// Run from the repo root: node --test tests/e2e/14-dashboard.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, goHash, finish } from '../lib/browser.mjs';
import { startServer, liveMicroGrid, checkedApi, PASSWORD } from '../lib/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'build/test/screenshots');
const COUNTY = '411624';
const NOW = '2026-10-28T10:00:00+08:00';
const OPEN = new Set(['reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended']);

let server, browser, page, ok, admin, disp;
let townA, village, gridA, microA, townB, microB;
const ids = [];
const errors = [];

async function firstChild(code) {
  const a = await ok('GET', `/api/v1/areas/${code}`, admin);
  return a.children.find((c) => c.child_count).code;
}
const report = async (micro, minor, description) => {
  const e = await ok('POST', '/api/v1/events', disp, { source: 'hotline', description, minor, area: micro.code });
  ids.push(e.id);
  return e;
};
// The raw records of the events this test made, read one by one.
async function raw() {
  const out = [];
  for (const id of ids) out.push(await ok('GET', `/api/v1/events/${id}`, disp));
  return out;
}
const kpi = (k) => page.locator(`#dash-kpis [data-kpi="${k}"] .dash-kpi-value`);

before(async () => {
  server = await startServer({ demo: true, env: { PINGAN_SESSION_IDLE: '86400', PINGAN_SWEEP_SECONDS: '0' } });
  ok = checkedApi(assert, server);
  admin = await server.login('admin');
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, admin);
  [townA, townB] = county.children.filter((c) => c.child_count).slice(0, 2).map((c) => c.code);
  village = await firstChild(townA);
  gridA = await firstChild(village);
  const gridB = await firstChild(await firstChild(townB));
  await ok('POST', '/api/v1/_test/clock', null, { now_ms: Date.parse('2026-10-15T10:00:00+08:00') });
  admin = await server.login('admin');
  disp = await server.login('dispatcher');
  microA = await liveMicroGrid(assert, server, await server.login(`g${gridA}`), gridA);
  microB = await liveMicroGrid(assert, server, await server.login(`g${gridB}`), gridB);
  await report(microA, '1302', '村口夜间聚集赌博');
  await report(microA, '2902', '路边乱堆建筑垃圾');
  await report(microB, '2902', '沟渠边堆放秸秆');
  // Two weeks on, the waiting ones have gone red.
  await ok('POST', '/api/v1/_test/clock', null, { now_ms: Date.parse(NOW) });
  await ok('POST', '/api/v1/_test/sweep', null, {});
  admin = await server.login('admin');
  disp = await server.login('dispatcher');
  await report(microA, '2902', '井盖缺失');

  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  ({ page } = await openPage(browser, { errors, width: 1600, height: 1000, acceptDownloads: true }));
  await page.clock.setFixedTime(new Date(NOW));
  await page.goto(server.url + '/');
  await signIn(page, 'leader', PASSWORD);
});
after(async () => {
  await finish(assert, { browser, server, errors });
});

test('the dashboard shows the raw counts, draws its charts and degrades where a ledger is missing', async () => {
  await goHash(page, '#/dashboard');
  const events = await raw();
  await assert.doesNotReject(kpi('reported').filter({ hasText: new RegExp(`^${events.length}$`) }).waitFor());
  const red = events.filter((e) => OPEN.has(e.status) && e.light === 'red');
  assert.ok(red.length >= 3, 'some went red');
  assert.equal(await kpi('red').textContent(), String(red.length));
  assert.equal(await kpi('open').textContent(), String(events.filter((e) => OPEN.has(e.status)).length));
  // Every chart has drawn an SVG of some size.
  for (const id of ['trend', 'categories', 'sources', 'lights', 'rates']) {
    const svg = page.locator(`#dash-${id} .dash-chart svg`);
    await svg.waitFor();
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `${id}: ${JSON.stringify(box)}`);
    assert.ok((await page.locator(`#dash-${id} .dash-chart svg path`).count()) > 0, `${id} has drawn marks`);
  }
  // The registry figures: drawn, or said to be empty — either way ready.
  for (const id of ['residents', 'groups']) await page.locator(`#dash-${id} .dash-panel-body[data-state="ready"]`).waitFor();
  // The rankings of the statistics branch: the county's townships.
  await page.locator('#dash-assessment .dash-panel-body[data-state="ready"]').waitFor();
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, admin);
  const ranked = await page.locator('#dash-assessment tbody tr td:nth-child(2)').allTextContents();
  assert.equal(ranked.length, Math.min(10, county.children.length));
  assert.ok(ranked.every((n) => county.children.some((c) => c.name === n)), ranked.join());
  // The ledgers' own figures for the year so far (January to the end of October).
  const shown = (id, k) => page.locator(`#dash-${id} [data-figure="${k}"]`).textContent();
  const disputes = await ok('GET', `/api/v1/disputes/stats?area=${COUNTY}&from=2026-01-01&to=2026-10-31`, admin);
  const petitions = await ok('GET', `/api/v1/petitions/stats?area=${COUNTY}&from=2026-01-01&to=2026-10-31`, admin);
  const cameras = await ok('GET', `/api/v1/cameras/rates?area=${COUNTY}`, admin);
  for (const id of ['disputes', 'petitions', 'cameras']) await page.locator(`#dash-${id} .dash-panel-body[data-state="ready"]`).waitFor();
  assert.equal(await shown('disputes', 'screened'), String(disputes.screened));
  assert.equal(await shown('disputes', 'rate'), disputes.rate == null ? '—' : `${disputes.rate}%`);
  assert.equal(await shown('petitions', 'received'), String(petitions.figures.received));
  assert.equal(await shown('cameras', 'online_rate'), `${cameras.online_rate}%`);
  // The red list: the overdue events, each a link to it.
  const links = page.locator('#dash-red [data-kind="overdue"] a');
  await links.first().waitFor();
  assert.deepEqual((await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort(), red.map((e) => `#/events/${e.id}`).sort());
  // Flagged disputes still open, each a link to its case.
  const flagged = await ok('GET', `/api/v1/disputes?area=${COUNTY}&risk=1&status=active&limit=20`, admin);
  await page.locator('#dash-red [data-kind="criminal_risk"][data-state="ready"]').waitFor();
  assert.deepEqual((await page.locator('#dash-red [data-kind="criminal_risk"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort(), flagged.items.map((d) => `#/disputes/${d.id}`).sort());
  // Red three-zero subjects, each a link to its card.
  const reds = await ok('GET', `/api/v1/zero/subjects?area=${COUNTY}&colour=red&limit=20`, admin);
  await page.locator('#dash-red [data-kind="red_subject"][data-state="ready"]').waitFor();
  assert.equal(await page.locator('#dash-red [data-kind="red_subject"] a').count(), reds.items.length);
  // The ranking lists each township with its raw count.
  const row = page.locator('#dash-children tr', { has: page.locator(`a[data-code="${townA}"]`) });
  assert.equal(await row.locator('td').nth(2).textContent(), String(events.filter((e) => e.area.code.startsWith(townA)).length));
  await page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });
});

test('a map layer is switched; layers without data say so', async () => {
  const map = page.locator('#dash-map');
  await page.locator(`#dash-map path[data-code="${townA}"]`).waitFor();
  await page.locator('#dash-map[data-layer="density"][data-layer-state="ready"]').waitFor();
  const fill = (code) => page.locator(`#dash-map path[data-code="${code}"]`).getAttribute('fill');
  const quiet = (await ok('GET', `/api/v1/areas/${COUNTY}`, admin)).children.find((c) => c.code !== townA && c.code !== townB && c.child_count).code;
  assert.notEqual(await fill(townA), await fill(quiet), 'a busy township stands out from a quiet one');
  await page.locator('.dash-layer[data-layer="overdue"]').click();
  await page.locator('#dash-map[data-layer="overdue"][data-layer-state="ready"]').waitFor();
  assert.equal(await page.locator('.dash-layer[data-layer="overdue"]').getAttribute('aria-checked'), 'true');
  assert.match(await page.locator('#dash-legend').textContent(), /超期事件/);
  assert.match(page.url(), /layer=overdue/);
  await page.locator('.dash-layer[data-layer="cameras"]').click();
  await page.locator('#dash-map[data-layer="cameras"][data-layer-state="ready"]').waitFor();
  assert.match(await page.locator('#dash-legend').textContent(), /视频在线率/);
  // Three-zero compliance of each township's villages, as /zero/rates gives it.
  const rates = await ok('GET', `/api/v1/zero/rates?area=${COUNTY}&by=area`, admin);
  assert.ok(rates.groups.some((g) => g.area && g.area.code === townA), 'a row per township');
  await page.locator('.dash-layer[data-layer="zero"]').click();
  await page.locator('#dash-map[data-layer="zero"][data-layer-state="ready"]').waitFor();
  assert.match(await page.locator('#dash-legend').textContent(), /三零/);
  assert.ok(await map.isVisible());
  await page.locator('.dash-layer[data-layer="overdue"]').click();
});

test('a click drills from the county to a grid; the breadcrumb goes back up', async () => {
  const events = await raw();
  for (const code of [townA, village, gridA]) {
    await page.locator(`#dash-map path[data-code="${code}"]`).dispatchEvent('click');
    await page.waitForURL((u) => u.hash.startsWith(`#/dashboard/${code}`));
    await page.locator(`#dash-map path[data-code]`).first().waitFor();
    const mine = events.filter((e) => e.area.code.startsWith(code)).length;
    await kpi('reported').filter({ hasText: new RegExp(`^${mine}$`) }).waitFor();
  }
  assert.match(page.url(), /layer=overdue/, 'the layer goes down with the drill');
  const crumbs = await page.locator('.dash-crumbs li').allTextContents();
  assert.equal(crumbs.length, 4);
  assert.equal(crumbs[0], '沈丘县');
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-grid.png') });
  await page.locator(`.dash-crumbs a[data-code="${COUNTY}"]`).click();
  await page.waitForURL((u) => u.hash.startsWith(`#/dashboard/${COUNTY}`));
  await kpi('reported').filter({ hasText: new RegExp(`^${events.length}$`) }).waitFor();
});

test('a new event reaches the figures through the event stream', async () => {
  const before = Number(await kpi('reported').textContent());
  await page.locator('#dash-live.is-on').waitFor();
  const refreshed = Number(await page.locator('.dash-page').getAttribute('data-refreshed'));
  await report(microB, '1302', '网吧门口打架');
  await kpi('reported').filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor();
  // The whole refresh ends after the KPIs (the ledgers' panels come later).
  await page.waitForFunction((r) => Number(document.querySelector('.dash-page').dataset.refreshed) > r, refreshed);
  assert.equal(before + 1, (await raw()).length);
});

test('a statistics table downloads as CSV with the raw counts', async () => {
  const events = await raw();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#dash-children a.dash-export', { hasText: 'CSV' }).click()]);
  assert.match(dl.suggestedFilename(), /^事件统计-沈丘县-.*\.csv$/);
  const buf = await readFile(await dl.path());
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = buf.toString('utf8').slice(1).trim().split('\r\n').map((r) => r.split(','));
  assert.deepEqual(rows[1].slice(0, 3), ['', '合计', String(events.length)]);
  const a = rows.find((r) => r[0] === townA);
  assert.equal(a[2], String(events.filter((e) => e.area.code.startsWith(townA)).length));
});

test('a monthly briefing is generated, printed as A4 and downloaded', async () => {
  const events = await raw();
  await goHash(page, '#/briefings');
  await page.locator('#brief-kind').selectOption('monthly');
  await page.locator('#brief-period').fill('2026-10');
  await page.locator('#brief-area').fill(COUNTY);
  await page.locator('#brief-generate').click();
  await page.waitForURL((u) => /^#\/briefings\/\d+$/.test(u.hash));
  await page.locator('#brief-doc').waitFor();
  assert.equal(await page.locator('#brief-issue').textContent(), '2026年第1期');
  const oct = events.filter((e) => e.created_at < '2026-10-31T16:00');
  assert.match(await page.locator('#brief-summary').textContent(), new RegExp(`共上报事件 ${oct.length} 件`));
  assert.ok((await page.locator('#brief-doc svg.brief-chart').count()) >= 2, 'charts as inline SVG');
  assert.ok((await page.locator('#brief-doc svg.brief-chart path').count()) >= 2, 'the trend has its lines');
  assert.ok((await page.locator('#brief-doc svg.brief-chart rect').count()) >= 2, 'the ranking has its bars');
  // Printed: the document alone on A4.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.topbar').isVisible(), false);
  assert.equal(await page.locator('.brief-actions').isVisible(), false);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: path.join(SHOTS, 'briefing.png'), fullPage: true });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#brief-xlsx').click()]);
  assert.match(dl.suggestedFilename(), /工作简报.*2026年第1期\.xlsx$/);
  const file = await dl.path();
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.match(sheet, /沈丘县平安建设工作简报/);
  // Back in the list, the briefing is there with its number.
  await goHash(page, '#/briefings');
  await page.locator('.brief-table td', { hasText: '2026年第1期' }).waitFor();
});
