// Browser test: the ledger import (导入台账) — choose a CSV, all-or-nothing
// refusal with the error table and error file, skip_invalid, the imported
// household; then the unit (组织) and household (户) ledgers through the same
// page — against the real server.
//
// Runs the real build/test/pingan on a temporary demo database (沈丘县, no
// residents) through tests/lib/server.mjs and drives Debian's Chromium with
// playwright-core. Run from the repo root: node --test tests/e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, switchUser, goHash as goHashShared } from '../lib/browser.mjs';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';
import { idOf, usccOf } from '../lib/ids.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1), so
// that running the tests never changes tracked files.
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/import.png')
  : path.join(ROOT, 'build/test/screenshots/import.png');

const GRID = '411624001200001'; // 于庄村第1网格 of the demo county
const WORKER = `g${GRID}`;
const FILE_NAME = '于庄村台账.csv';

const maskId = (id) => `${id.slice(0, 6)}********${id.slice(14)}`;
const goodId = idOf('19920817', 362);
const badId = goodId.slice(0, 17) + (goodId[17] === '0' ? '1' : '0');

const ADDRESS = '沈丘县东城街道于庄村西街17号';
const HH_NO = '000777';
// Line 2: the head; line 3: a wrong check digit; line 4: the spouse.
const HEAD = { name: '东方明远', gender: '男', id: idOf('19780312', 135), phone: '13912340001', relation: '户主' };
const BAD = { name: '西门小红', gender: '女', id: badId, phone: '13912340002', relation: '' };
const SPOUSE = { name: '东方秀兰', gender: '女', id: idOf('19800905', 248), phone: '13912340003', relation: '配偶' };

let server;
let browser;
let context;
let page;
let apiCalls = [];
const seen = {}; // what the earlier tests found, for the later ones

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  seen.pageErrors = [];
  ({ context, page } = await openPage(browser, { onApi: (line) => apiCalls.push(line), errors: seen.pageErrors, acceptDownloads: true }));

  // One of the grid's micro-grids, as the grid worker sees them.
  const token = await server.login(WORKER);
  const micro = await liveMicroGrid(assert, server, token, GRID);
  Object.assign(seen, { token, micro });

  // The ledger as Excel saves "CSV UTF-8", without the byte order mark.
  const header = '姓名,性别,身份证号,联系电话,人口类型,现住址,所属网格,户号,与户主关系';
  const row = (p) => [p.name, p.gender, p.id, p.phone, '户籍', ADDRESS, micro.code, p.relation ? HH_NO : '', p.relation].join(',');
  seen.csv = [header, row(HEAD), row(BAD), row(SPOUSE)].join('\r\n') + '\r\n';
  seen.file = path.join(server.dir, FILE_NAME); // removed with the server's directory
  await writeFile(seen.file, seen.csv);
});

after(async () => {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
});

const importButton = () => page.getByRole('button', { name: '开始导入' });
const summary = () => page.locator('#import-result section.import-summary');
const fact = (key) => summary().locator(`[data-fact="${key}"] dd`);
const errorRows = () => page.locator('table.import-errors-table tbody tr');

const login = (username) => signIn(page, username, server.password);

const switchTo = (username) => switchUser(page, username, server.password);

const goHash = (hash) => goHashShared(page, hash);

async function downloaded(click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

// Records the texts the progress line shows during an upload.
async function watchProgress() {
  await page.evaluate(() => {
    const seen = (window.__progressTexts = []);
    const el = document.getElementById('import-progress-text');
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) seen.push(n.textContent);
    }).observe(el, { childList: true });
  });
}

test('a grid worker opens 导入台账 from the 实有人口 page', async () => {
  await page.goto(server.url + '/');
  await page.waitForURL((u) => u.hash === '#/login');
  await login(WORKER);
  await page.locator('nav.sidenav a', { hasText: '实有人口' }).click();
  await page.waitForURL((u) => u.hash === '#/people');
  await page.getByRole('link', { name: '导入台账' }).click();
  await page.waitForURL((u) => u.hash === '#/people/import');
  await page.locator('#import-form').waitFor();
  assert.equal((await page.locator('h1.page-title').innerText()).trim(), '导入台账');
  assert.equal(await page.title(), '导入台账 · 平安');
  assert.equal(await page.locator('#import-file').getAttribute('accept'), '.csv,text/csv');

  // The expected columns, and a template with that header.
  const help = await page.locator('section.import-help').innerText();
  for (const col of ['姓名', '人口类型', '所属网格', '微网格编码', '身份证号', '户号', '与户主关系', '标签', '流动', '留守']) {
    assert.ok(help.includes(col), `the help names ${col}`);
  }
  const template = await downloaded(() => page.getByRole('link', { name: '下载模板（CSV）' }).click());
  assert.equal(template.name, '实有人口台账模板.csv');
  assert.ok(template.text.startsWith('\uFEFF姓名,'), 'UTF-8 with a byte order mark, the header first');
  for (const col of ['人口类型', '所属网格', '身份证号', '性别', '户号', '与户主关系', '标签']) {
    assert.ok(template.text.split('\r\n')[0].split(',').includes(col), `the template has ${col}`);
  }

  // No file: the page says so, no request.
  apiCalls = [];
  await importButton().click();
  await page.locator('#import-file-error', { hasText: '请选择要导入的 CSV 文件' }).waitFor();
  assert.equal(await page.locator('#import-file').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(apiCalls, []);
});

test("a file without a required column shows the server's message", async () => {
  await page.setInputFiles('#import-file', {
    name: '缺列.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('姓名,人口类型\r\n张三,户籍\r\n'),
  });
  await page.locator('#import-file-info', { hasText: '缺列.csv' }).waitFor();
  await importButton().click();
  const notice = page.locator('#import-result .notice.import-file-error');
  await notice.waitFor();
  const text = await notice.innerText();
  assert.match(text, /文件无法导入/);
  assert.match(text, /缺少必需的列/);
  assert.match(text, /所属网格/);
  assert.equal(await summary().count(), 0);
});

test('a wrong check digit refuses the whole file: the error table and the error file', async () => {
  await page.setInputFiles('#import-file', seen.file);
  const size = (await stat(seen.file)).size;
  const info = page.locator('#import-file-info');
  await info.filter({ hasText: FILE_NAME }).waitFor();
  assert.match(await info.innerText(), new RegExp(`${size} 字节`));
  assert.equal(await page.locator('#import-result').innerText(), '', 'a new file clears the last answer');
  assert.equal(await page.getByLabel('跳过错误行，导入其余行').isChecked(), false);

  await watchProgress();
  const request = page.waitForRequest((r) => r.url().includes('/api/v1/people/import'));
  await importButton().click();
  const req = await request;
  assert.equal(req.method(), 'POST');
  assert.equal(new URL(req.url()).search, '', 'all or nothing by default');
  assert.equal(req.headers()['content-type'], 'text/csv');
  // The body is the file itself (Playwright does not expose a File body: the
  // server's count of rows below shows it arrived whole).

  await summary().filter({ hasText: '有 1 行错误，未导入任何数据' }).waitFor();
  assert.match(await summary().innerText(), /跳过错误行/, 'the hint names the checkbox');
  assert.equal((await fact('rows').innerText()).trim(), '3');
  assert.equal((await fact('invalid').innerText()).trim(), '1');
  assert.equal(await errorRows().count(), 1);
  const cells = await errorRows().first().locator('td').allInnerTexts();
  assert.equal(cells[0].trim(), '3');
  assert.equal(cells[1].trim(), '身份证号');
  assert.match(cells[2], /校验码/);
  assert.ok(!cells.join('').includes(BAD.id), 'no full ID number in the message');

  // The progress line went from the upload to the server's work, then hid.
  const texts = await page.evaluate(() => window.__progressTexts);
  assert.ok(texts.some((t) => /^正在上传 \d+%$/.test(t)), texts.join(' | '));
  assert.ok(texts.includes('服务器正在校验并导入…'), texts.join(' | '));
  assert.equal(await page.locator('#import-progress').isVisible(), false);
  assert.equal(await importButton().isEnabled(), true);

  const file = await downloaded(() => page.getByRole('button', { name: '下载错误文件' }).click());
  assert.equal(file.name, `${FILE_NAME}.errors.csv`);
  assert.ok(file.text.startsWith('\uFEFF行号,列,错误代码,问题\r\n'), JSON.stringify(file.text.slice(0, 40)));
  assert.ok(file.text.includes('"3","身份证号","invalid_check_digit","'), file.text);

  // Nothing was imported.
  const found = await server.api('GET', `/api/v1/people?q=${encodeURIComponent(HEAD.name)}`, { token: seen.token });
  assert.equal(found.status, 200, found.text);
  assert.equal(found.json.items.length, 0, found.text);
});

test('with 跳过错误行 the valid rows are imported', async () => {
  await page.getByLabel('跳过错误行，导入其余行').check();
  const request = page.waitForRequest((r) => r.url().includes('/api/v1/people/import'));
  await importButton().click();
  assert.equal(new URL((await request).url()).search, '?skip_invalid=1');

  await summary().filter({ hasText: '导入完成' }).waitFor();
  assert.match(await summary().locator('h2').innerText(), /已跳过 1 行错误/);
  assert.equal((await fact('created').innerText()).trim(), '2');
  assert.equal((await fact('invalid').innerText()).trim(), '1');
  assert.equal((await fact('updated').innerText()).trim(), '0');
  assert.equal((await fact('households_created').innerText()).trim(), '1');
  assert.equal((await fact('rows').innerText()).trim(), '3');
  assert.equal((await fact('encoding').innerText()).trim(), 'UTF-8');
  const labels = await summary().locator('dt').allInnerTexts();
  assert.deepEqual(labels.map((t) => t.trim()), ['编码', '行数', '新增', '更新', '跳过', '新建户']);
  // The skipped row is still listed, with its error file.
  assert.equal(await errorRows().count(), 1);
  assert.match(await errorRows().first().innerText(), /身份证号/);
  assert.equal(await page.getByRole('button', { name: '下载错误文件' }).count(), 1);

  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await page.mouse.move(640, 20); // no hover highlight in the picture
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('the imported people are found, with their household of two', async () => {
  await page.getByRole('link', { name: '到实有人口中查询导入的人员' }).click();
  await page.waitForURL((u) => u.hash === '#/people');
  await page.locator('#people-q').fill(HEAD.name);
  await page.getByRole('button', { name: '查询' }).click();
  const rows = page.locator('table.people-table tbody tr');
  await rows.filter({ hasText: HEAD.name }).first().waitFor();
  assert.equal(await rows.count(), 1);
  const row = await rows.first().innerText();
  assert.ok(row.includes(maskId(HEAD.id)) && row.includes(ADDRESS), row);

  await rows.first().getByRole('link', { name: HEAD.name }).click();
  await page.waitForURL((u) => /^#\/people\/\d+$/.test(u.hash));
  await page.locator('#person-title', { hasText: HEAD.name }).waitFor();
  assert.equal((await page.locator('[data-fact="relation"] dd').innerText()).trim(), '户主');
  await page.locator('a.household-link').click();
  await page.waitForURL((u) => /^#\/households\/\d+$/.test(u.hash));
  const card = page.locator('article.household-card');
  await card.waitFor();
  assert.equal((await page.locator('#household-title').innerText()).trim(), ADDRESS);
  assert.equal((await card.locator('[data-fact="hh_no"] dd').innerText()).trim(), HH_NO);
  assert.equal((await card.locator('[data-fact="head"] dd').innerText()).trim(), HEAD.name);
  const members = page.locator('table.members-table tbody tr');
  assert.equal(await members.count(), 2);
  const table = await page.locator('table.members-table').innerText();
  for (const m of [HEAD, SPOUSE]) assert.match(table, new RegExp(`${m.name}\\s+${m.relation}`));
  assert.ok(!table.includes(BAD.name), 'the refused row was not imported');
});

test('the import page fits a phone screen', async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await goHash('#/people/import');
    await page.locator('#import-form').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

test('组织: the unit ledger goes to its own route, refused then imported with skip_invalid', async () => {
  await goHash('#/people/import');
  await page.locator('#import-form').waitFor();
  assert.equal(await page.getByRole('radio', { name: '人口', exact: true }).isChecked(), true, 'people by default');
  await page.getByRole('radio', { name: '组织', exact: true }).check();
  const help = page.locator('section.import-help');
  await help.filter({ hasText: '统一社会信用代码' }).waitFor();
  assert.match(await help.innerText(), /个体工商户/);
  const template = await downloaded(() => page.getByRole('link', { name: '下载模板（CSV）' }).click());
  assert.equal(template.name, '组织台账模板.csv');
  assert.ok(template.text.startsWith('\uFEFF统一社会信用代码,名称,类别,'), template.text);

  const good = usccOf('MA00E2E0');
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const header = '统一社会信用代码,名称,类别,联系电话,员工数,是否有党组织,网格';
  const ledger = [header, `${good},于庄村服装厂,企业,13700003333,80,是,${seen.micro.code}`, `${bad},错码厂,企业,,,,${seen.micro.code}`].join('\r\n') + '\r\n';
  await page.setInputFiles('#import-file', { name: '组织台账.csv', mimeType: 'text/csv', buffer: Buffer.from(ledger) });
  const request = page.waitForRequest((r) => r.url().includes('/api/v1/orgs/import'));
  await importButton().click();
  assert.equal(new URL((await request).url()).search, '');
  await summary().filter({ hasText: '有 1 行错误，未导入任何数据' }).waitFor();
  const cells = await errorRows().first().locator('td').allInnerTexts();
  assert.deepEqual([cells[0].trim(), cells[1].trim()], ['3', '统一社会信用代码']);
  const file = await downloaded(() => page.getByRole('button', { name: '下载错误文件' }).click());
  assert.equal(file.name, '组织台账.csv.errors.csv');
  assert.ok(file.text.includes('"3","统一社会信用代码","invalid_check_digit","'), file.text);

  await page.getByLabel('跳过错误行，导入其余行').check();
  await importButton().click();
  await summary().filter({ hasText: '导入完成' }).waitFor();
  assert.equal((await fact('created').innerText()).trim(), '1');
  assert.equal((await fact('invalid').innerText()).trim(), '1');
  const labels = await summary().locator('dt').allInnerTexts();
  assert.deepEqual(labels.map((t) => t.trim()), ['编码', '行数', '新增', '更新', '跳过'], 'no 新建户 for units');
  const found = await server.api('GET', `/api/v1/orgs?q=${good}`, { token: seen.token });
  assert.equal(found.json.total, 1, found.text);
  assert.equal(found.json.items[0].contact_phone, '137****3333');
});

test('户: a household ledger opened by link updates the household of its 户号 and names its head', async () => {
  await goHash('#/people/import?ledger=households');
  await page.locator('#import-form').waitFor();
  assert.equal(await page.getByRole('radio', { name: '户', exact: true }).isChecked(), true);
  await page.locator('section.import-help', { hasText: '户主身份证号' }).waitFor();
  const address = '沈丘县东城街道于庄村西街17号东院';
  const ledger = ['户号,地址,网格,户主身份证号', `${HH_NO},${address},${seen.micro.code},${SPOUSE.id}`].join('\r\n') + '\r\n';
  await page.setInputFiles('#import-file', { name: '户台账.csv', mimeType: 'text/csv', buffer: Buffer.from(ledger) });
  const request = page.waitForRequest((r) => r.url().includes('/api/v1/households/import'));
  await importButton().click();
  await request;
  await summary().filter({ hasText: '导入完成' }).waitFor();
  assert.equal((await fact('updated').innerText()).trim(), '1');
  assert.equal((await fact('created').innerText()).trim(), '0');
  const list = await server.api('GET', `/api/v1/areas/${seen.micro.code}/households`, { token: seen.token });
  const hh = list.json.items.filter((x) => x.hh_no === HH_NO);
  assert.equal(hh.length, 1, list.text);
  assert.equal(hh[0].address, address);
  assert.equal(hh[0].head_name, SPOUSE.name);
});

test('a leader has no 导入台账', async () => {
  await switchTo('leader');
  await goHash('#/people');
  await page.locator('#people-search').waitFor();
  assert.equal(await page.getByRole('link', { name: '导入台账' }).count(), 0);
  assert.equal(await page.locator('#people-import').count(), 0);
  await goHash('#/people/import');
  await page.locator('.notice[role=alert]', { hasText: '无权访问' }).waitFor();
  assert.equal(await page.locator('#import-form').count(), 0);
  assert.deepEqual(seen.pageErrors.map(String), [], 'no uncaught errors in the page');
});
