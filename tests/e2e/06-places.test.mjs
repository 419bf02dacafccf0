// Browser test: houses (房屋, 出租房屋) and units (“两新”组织 and other units) —
// a grid worker lists the grid's houses, opens the rented one and records a
// tenant found by name; registers a house; lists the units, opens one, is
// told at the field that a unit's 统一社会信用代码 is wrong, then registers it
// with a valid one. A leader sees the lists without any write button; the
// grid worker never sees a unit of another township; the map's selected
// micro-grid links to its houses and units.
//
// Runs the real build/test/pingan on a temporary demo database (沈丘县, no
// residents, no units) through tests/lib/server.mjs and drives Debian's
// Chromium with playwright-core. Run from the repo root:
// node --test tests/e2e/06-places.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, signIn, switchUser, goHash as goHashShared, phoneOverflows } from '../lib/browser.mjs';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';
import { idOf, usccOf, wrongUsccCheck } from '../lib/ids.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The README's picture is refreshed only on request (PINGAN_SCREENSHOTS=1), so
// that running the tests never changes tracked files.
const SCREENSHOT = process.env.PINGAN_SCREENSHOTS
  ? path.join(ROOT, 'docs/img/places.png')
  : path.join(ROOT, 'build/test/screenshots/places.png');

const GRID = '411624001200001'; // 于庄村第1网格 of the demo county
const OTHER_GRID = '411624002200001'; // a grid of another township
const WORKER = `g${GRID}`;

const maskId = (id) => `${id.slice(0, 6)}********${id.slice(14)}`;

const OWNER = { name: '司马房东', id: idOf('19680512', 311) };
const TENANT = { name: '欧阳租客', id: idOf('19950817', 422) };
const RENTED = '于庄村前街20号';
const OWN = '于庄村前街21号';
const UNIT = { name: '沈丘县于庄面粉厂', uscc: usccOf('10000001'), phone: '13700001111' };
const FOREIGN = { name: '北城街道外区砖厂', uscc: usccOf('20000002') };
const NEW_UNIT = { name: '于庄村新希望养殖专业合作社', uscc: usccOf('30000003', { kind: '93' }) };

let server;
let browser;
let page;
let apiCalls = [];
const seen = {};

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  seen.pageErrors = [];
  ({ page } = await openPage(browser, { onApi: (line) => apiCalls.push(line), errors: seen.pageErrors }));

  const token = await server.login(WORKER);
  const micro = await liveMicroGrid(assert, server, token, GRID);
  const map = await server.api('GET', `/api/v1/areas/${GRID}/map`, { token });
  const label = map.json.features.find((f) => f.properties.code === micro.code).properties.label;
  const person = async (p, type) => {
    const r = await server.api('POST', '/api/v1/people', { token, body: { name: p.name, id_number: p.id, residence_type: type, area: micro.code } });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const ownerId = await person(OWNER, 'registered');
  const tenantId = await person(TENANT, 'floating');
  const post = async (path, body, as = token) => {
    const r = await server.api('POST', path, { token: as, body });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const rented = await post('/api/v1/houses', { address: RENTED, area: micro.code, rental: true, owner_id: ownerId, lng: label[0], lat: label[1] });
  await post('/api/v1/houses', { address: OWN, area: micro.code, use: 'mixed' });
  const unit = await post('/api/v1/orgs', {
    name: UNIT.name, kind: 'enterprise', uscc: UNIT.uscc, area: micro.code, address: '于庄村北街1号',
    legal_rep: '王德厚', contact_name: '王厂长', contact_phone: UNIT.phone, employees: 35, party_org: true,
  });
  // A unit of another township, registered by the county.
  const admin = await server.login('admin');
  const otherMicro = await liveMicroGrid(assert, server, admin, OTHER_GRID);
  const foreign = await post('/api/v1/orgs', { name: FOREIGN.name, kind: 'enterprise', uscc: FOREIGN.uscc, area: otherMicro.code }, admin);
  Object.assign(seen, { token, micro, label, ownerId, tenantId, rentedId: rented.id, unitId: unit.id, foreignId: foreign.id });
});

after(async () => {
  if (browser) await browser.close();
  if (server) assertCleanExit(assert, await server.stop());
});

const login = (username) => signIn(page, username, server.password);
const switchTo = (username) => switchUser(page, username, server.password);
const goHash = (hash) => goHashShared(page, hash);
const fact = (card, key) => page.locator(`article.${card} [data-fact="${key}"] dd`);
const field = (form, name) => page.locator(`${form} [data-field="${name}"]`);
const rows = (table) => page.locator(`table.${table} tbody tr`);
const rowTexts = async (table, col = 0) => (await rows(table).locator(`td:nth-child(${col + 1})`).allInnerTexts()).map((s) => s.trim());

test('a grid worker lists the grid’s houses, only the rented ones, and opens the rented house', async () => {
  await page.goto(server.url + '/');
  await page.waitForURL((u) => u.hash === '#/login');
  await login(WORKER);
  const nav = page.locator('nav.sidenav a', { hasText: '房屋' });
  assert.equal(await nav.count(), 1, 'houses are in the navigation');
  assert.equal(await page.locator('nav.sidenav a', { hasText: '组织' }).count(), 1, 'units are in the navigation');
  await nav.click();
  await page.waitForURL((u) => u.hash === '#/houses');
  await rows('houses-table').first().waitFor();
  assert.deepEqual(await rowTexts('houses-table'), [RENTED, OWN]);
  assert.deepEqual(await rowTexts('houses-table', 1), ['住宅', '商住两用']);
  assert.match(await page.locator('.pager-total').innerText(), /共 2 处/);
  assert.equal(await page.locator('#house-new').count(), 1, 'a grid worker may register houses');

  apiCalls = [];
  await page.getByLabel('只看出租房屋').check();
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((u) => u.hash === '#/houses?rental=1');
  await page.locator('.pager-total', { hasText: '共 1 处' }).waitFor();
  assert.deepEqual(await rowTexts('houses-table'), [RENTED]);
  assert.ok(apiCalls.some((l) => l.startsWith('GET /api/v1/houses?') && l.includes('rental=1')), apiCalls.join('\n'));

  await rows('houses-table').first().click();
  await page.waitForURL((u) => u.hash === `#/houses/${seen.rentedId}`);
  await page.locator('article.house-card').waitFor();
  assert.equal((await page.locator('#house-title').innerText()).trim(), RENTED);
  assert.equal((await fact('house-card', 'use').innerText()).trim(), '住宅');
  assert.equal((await fact('house-card', 'rental').innerText()).trim(), '出租房屋');
  assert.equal((await fact('house-card', 'owner').innerText()).trim(), OWNER.name);
  assert.equal(await fact('house-card', 'owner').locator('a').getAttribute('href'), `#/people/${seen.ownerId}`);
  assert.equal((await fact('house-card', 'area').innerText()).trim(), seen.micro.name);
  assert.equal((await fact('house-card', 'point').innerText()).trim(), `${seen.label[0].toFixed(6)}, ${seen.label[1].toFixed(6)}`);
  await page.locator('section.house-tenants .empty', { hasText: '尚未登记承租人' }).waitFor();
});

test('a tenant found by name: a move-out before the move-in is refused at 退租日期, then recorded', async () => {
  await page.getByRole('button', { name: '登记承租人' }).click();
  const dialog = page.getByRole('dialog', { name: '登记承租人' });
  await dialog.waitFor();

  // Nothing is sent without a person.
  apiCalls = [];
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  await dialog.locator('[data-field="person_id"] .field-error', { hasText: '请查找并选择承租人' }).waitFor();
  assert.deepEqual(apiCalls.filter((l) => l.startsWith('POST')), []);

  await dialog.getByLabel('承租人').fill('欧阳');
  const option = dialog.locator('button.person-option', { hasText: TENANT.name });
  await option.waitFor();
  assert.match(await option.innerText(), new RegExp(maskId(TENANT.id).replace(/\*/g, '\\*')), 'the ID number comes masked');
  await option.click();
  await dialog.locator('.person-picked', { hasText: TENANT.name }).waitFor();
  await dialog.getByLabel('起租日期').fill('2026-03-01');
  await dialog.getByLabel('退租日期').fill('2026-01-01');
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  const untilError = dialog.locator('[data-field="until"] .field-error');
  await untilError.filter({ hasText: '退租日期' }).waitFor();
  assert.equal((await untilError.innerText()).trim(), '退租日期应为不早于起租日期的 YYYY-MM-DD', 'the label, not the JSON name');
  assert.equal(await dialog.getByLabel('退租日期').getAttribute('aria-invalid'), 'true');
  assert.equal(await dialog.locator('[data-field="since"] .field-error').isVisible(), false, 'only the field the server names');

  await dialog.getByLabel('退租日期').fill('');
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/houses/${seen.rentedId}/tenants`) && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: '登记', exact: true }).click();
  const answer = await saved;
  assert.equal(answer.status(), 201, await answer.text());
  assert.deepEqual(answer.request().postDataJSON(), { person_id: seen.tenantId, since: '2026-03-01' });
  await rows('tenants-table').first().waitFor();
  const cells = (await rows('tenants-table').first().locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(cells, [TENANT.name, '流动', maskId(TENANT.id), '2026-03-01', '—', '在租']);
  assert.ok(!(await page.locator('main').innerText()).includes(TENANT.id), 'no ID number in clear');

  await mkdir(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
});

test('a grid worker registers a rented house; its card follows', async () => {
  await goHash('#/houses');
  await page.locator('#house-new').click();
  await page.waitForURL((u) => u.hash === '#/houses/new');
  await page.locator('#house-form').waitFor();
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await field('#house-form', 'address').locator('.field-error', { hasText: '请填写地址' }).waitFor();

  await page.getByLabel('地址').fill('于庄村后街7号');
  await page.getByLabel('用途').selectOption({ label: '商用' });
  await page.getByLabel('登记为出租房屋').check();
  await field('#house-form', 'area').locator('select').last().selectOption(seen.micro.code);
  await page.getByLabel('经度').fill('abc');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await field('#house-form', 'lng').locator('.field-error', { hasText: '经度应为数字' }).waitFor();
  await page.getByLabel('经度').fill('');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForURL((u) => /^#\/houses\/\d+$/.test(u.hash));
  await page.locator('article.house-card').waitFor();
  assert.equal((await page.locator('#house-title').innerText()).trim(), '于庄村后街7号');
  assert.equal((await fact('house-card', 'use').innerText()).trim(), '商用');
  assert.equal((await fact('house-card', 'rental').innerText()).trim(), '出租房屋');
  assert.equal(await page.locator('#tenant-add').count(), 1, 'a rented house takes tenants');
});

test('a grid worker lists the units by kind and name and opens one', async () => {
  await page.locator('nav.sidenav a', { hasText: '组织' }).click();
  await page.waitForURL((u) => u.hash === '#/orgs');
  await rows('orgs-table').first().waitFor();
  assert.deepEqual(await rowTexts('orgs-table'), [UNIT.name], 'only the units of the grid');

  await page.getByLabel('类别').selectOption({ label: '学校' });
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((u) => u.hash === '#/orgs?kind=school');
  await page.locator('.places-body .empty', { hasText: '没有符合条件的单位' }).waitFor();

  await page.getByLabel('类别').selectOption({ label: '企业' });
  await page.getByLabel('名称').fill('面粉');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((u) => u.hash === `#/orgs?kind=enterprise&q=${encodeURIComponent('面粉')}`);
  await rows('orgs-table').first().waitFor();
  assert.deepEqual(await rowTexts('orgs-table'), [UNIT.name]);
  assert.deepEqual(await rowTexts('orgs-table', 1), ['企业']);

  await page.locator('table.orgs-table a', { hasText: UNIT.name }).click();
  await page.waitForURL((u) => u.hash === `#/orgs/${seen.unitId}`);
  await page.locator('article.org-card').waitFor();
  assert.equal((await page.locator('#org-title').innerText()).trim(), UNIT.name);
  assert.equal((await fact('org-card', 'uscc').innerText()).trim(), UNIT.uscc);
  assert.equal((await fact('org-card', 'kind').innerText()).trim(), '企业');
  assert.equal((await fact('org-card', 'legal_rep').innerText()).trim(), '王德厚');
  assert.equal((await fact('org-card', 'contact').innerText()).trim(), '王厂长 137****1111');
  assert.equal((await fact('org-card', 'employees').innerText()).trim(), '35 人');
  assert.equal((await fact('org-card', 'party_org').innerText()).trim(), '有');
  assert.equal((await fact('org-card', 'trade_union').innerText()).trim(), '无');
  assert.equal((await fact('org-card', 'point').innerText()).trim(), '—', 'registered without a point');
  assert.ok(!(await page.locator('main').innerText()).includes(UNIT.phone), 'the phone is masked');
});

test('a wrong 统一社会信用代码 is shown at its field; a valid one registers the unit', async () => {
  await goHash('#/orgs');
  await page.locator('#org-new').click();
  await page.waitForURL((u) => u.hash === '#/orgs/new');
  await page.locator('#org-form').waitFor();
  await page.getByLabel('单位名称').fill(NEW_UNIT.name);
  await page.getByLabel('类别').selectOption({ label: '其他' });
  await page.getByLabel('统一社会信用代码').fill(wrongUsccCheck(NEW_UNIT.uscc));
  await page.getByLabel('手机').fill('13800002222');
  await page.getByLabel('已建立工会').check();
  await field('#org-form', 'area').locator('select').last().selectOption(seen.micro.code);

  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const answer = await refused;
  assert.equal(answer.status(), 400);
  assert.equal((await answer.json()).error.code, 'invalid_check_digit');
  const error = field('#org-form', 'uscc').locator('.field-error');
  await error.filter({ hasText: '校验码' }).waitFor();
  assert.match(await error.innerText(), /^统一社会信用代码校验码错误，按前17位应为/, 'Chinese, without the field’s English name');
  assert.equal(await page.getByLabel('统一社会信用代码').getAttribute('aria-invalid'), 'true');
  assert.equal(await field('#org-form', 'name').locator('.field-error').isVisible(), false);
  assert.equal(new URL(page.url()).hash, '#/orgs/new', 'nothing was registered');

  await page.getByLabel('统一社会信用代码').fill(NEW_UNIT.uscc);
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForURL((u) => /^#\/orgs\/\d+$/.test(u.hash));
  await page.locator('article.org-card').waitFor();
  assert.equal((await page.locator('#org-title').innerText()).trim(), NEW_UNIT.name);
  assert.equal((await fact('org-card', 'uscc').innerText()).trim(), NEW_UNIT.uscc);
  assert.equal((await fact('org-card', 'kind').innerText()).trim(), '其他');
  assert.equal((await fact('org-card', 'trade_union').innerText()).trim(), '有');
  assert.equal((await fact('org-card', 'contact').innerText()).trim(), '138****2222');
});

test('a school is registered with its safety officers; its card shows them under 校园安全', async () => {
  await goHash('#/orgs');
  await page.locator('#org-new').click();
  await page.locator('#org-form').waitFor();
  assert.equal(await page.locator('fieldset.org-kind-fields').isVisible(), false, 'no kind, no kind items');
  await page.getByLabel('单位名称').fill('于庄村小学');
  await page.getByLabel('类别').selectOption({ label: '学校' });
  // The school's items come from the server's table (GET /meta/fields).
  await page.locator('fieldset.org-kind-fields legend', { hasText: '校园安全' }).waitFor();
  await page.getByLabel('安全保卫责任人', { exact: true }).fill('赵主任');
  await page.getByLabel('分管安全保卫责任人').fill('李副校长');
  await page.getByLabel('在校学生人数').fill('-3');
  await field('#org-form', 'area').locator('select').last().selectOption(seen.micro.code);
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const answer = await refused;
  assert.equal(answer.status(), 400, 'a count below zero goes to the server, which names the item');
  assert.equal((await answer.json()).error.field, 'fields.students');
  await field('#org-form', 'fields.students').locator('.field-error').filter({ hasText: '在校学生人数' }).waitFor();

  await page.getByLabel('在校学生人数').fill('412');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const ok = await saved;
  assert.equal(ok.status(), 201, await ok.text());
  assert.deepEqual(ok.request().postDataJSON().fields, { students: 412, safety_leader: '李副校长', safety_officer: '赵主任' });
  await page.waitForURL((u) => /^#\/orgs\/\d+$/.test(u.hash));
  const section = page.locator('article.org-card section.org-fields');
  await section.waitFor();
  assert.equal((await section.locator('h2').innerText()).trim(), '校园安全');
  const pairs = await section.locator('.fact').evaluateAll((fs) => fs.map((f) => [f.querySelector('dt').textContent, f.querySelector('dd').textContent]));
  assert.deepEqual(pairs, [['在校学生人数', '412'], ['分管安全保卫责任人', '李副校长'], ['安全保卫责任人', '赵主任']]);
});

test('the places pages fit a phone screen', async () => {
  const overflows = await phoneOverflows(page, [
    ['#/houses', 'table.houses-table'],
    [`#/houses/${seen.rentedId}`, 'table.tenants-table'],
    ['#/houses/new', '#house-form'],
    ['#/orgs', 'table.orgs-table'],
    [`#/orgs/${seen.unitId}`, 'article.org-card'],
    ['#/orgs/new', '#org-form'],
  ]);
  for (const [hash, overflow] of overflows) assert.ok(overflow <= 0, `${hash}: no horizontal scrolling on a phone (overflow ${overflow}px)`);
});

test('the grid worker never sees the unit of another township; the county does', async () => {
  await goHash('#/orgs');
  await rows('orgs-table').first().waitFor();
  const names = await rowTexts('orgs-table');
  assert.deepEqual(names.sort(), [NEW_UNIT.name, UNIT.name, '于庄村小学'].sort(), 'the units registered in the grid, no other');
  await goHash(`#/orgs/${seen.foreignId}`);
  await page.locator('.notice[role=alert]', { hasText: '单位不存在或无权访问' }).waitFor();

  await switchTo('admin');
  await goHash(`#/orgs?q=${encodeURIComponent('砖厂')}`);
  await rows('orgs-table').first().waitFor();
  assert.deepEqual(await rowTexts('orgs-table'), [FOREIGN.name], 'the unit exists');
});

test('a leader reads houses and units without any write button', async () => {
  await switchTo('leader');
  await goHash('#/houses');
  await rows('houses-table').first().waitFor();
  assert.ok((await rowTexts('houses-table')).includes(RENTED));
  assert.equal(await page.locator('#house-new').count(), 0, 'no 登记房屋');
  await goHash(`#/houses/${seen.rentedId}`);
  await rows('tenants-table').first().waitFor();
  assert.equal(await page.locator('#tenant-add').count(), 0, 'no 登记承租人');

  await goHash('#/orgs');
  await rows('orgs-table').first().waitFor();
  assert.equal(await page.locator('#org-new').count(), 0, 'no 登记单位');
  await goHash('#/orgs/new');
  await page.locator('.notice[role=alert]', { hasText: '无权访问' }).waitFor();
  assert.equal(await page.locator('#org-form').count(), 0);
});

test('the map’s selected micro-grid links to its houses and units', async () => {
  await switchTo(WORKER);
  await goHash(`#/map/${GRID}?sel=${seen.micro.code}`);
  const link = page.locator('#map-info a.map-place-link', { hasText: '房屋' });
  await link.waitFor();
  assert.equal(await page.locator('#map-info a.map-place-link', { hasText: '组织' }).count(), 1);
  await link.click();
  await page.waitForURL((u) => u.hash === `#/houses?area=${seen.micro.code}`);
  await page.locator('.area-filter a', { hasText: seen.micro.name }).waitFor();
  await rows('houses-table').first().waitFor();
  assert.ok(apiCalls.some((l) => l.startsWith('GET /api/v1/houses?') && l.includes(`area=${seen.micro.code}`)), 'the list asks for the micro-grid');
  assert.deepEqual(seen.pageErrors, [], 'no uncaught errors in the page');
});
