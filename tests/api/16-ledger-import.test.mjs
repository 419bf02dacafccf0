// Importing the household (户) and unit (组织) ledgers, as the people ledger
// is imported: UTF-8 and GBK, every row validated like the API's own
// create, all-or-nothing by default, errors by line and column, re-import
// updates by 户号 / USCC, scope, roles, audit — on the API and the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit, run, tempDir, makeDemoDb } from '../lib/server.mjs';
import { idOf, wrongCheck, usccOf, wrongUsccCheck } from '../lib/ids.mjs';

const TOWN_A = '411624001';
const GRID_A = '411624001200001';
const GRID_B = '411624002200001';
const MA = '41162400120000101'; // a micro-grid of GRID_A (town A)
const MA2 = '41162400120000102';
const MB = '41162400220000101'; // a micro-grid of GRID_B (town B)
// GB 32100 codes: two valid, one with a wrong check character.
const USCC1 = usccOf('MA000010');
const USCC2 = usccOf('MA000020', { kind: '92' });
const USCC_BAD = wrongUsccCheck(USCC1);

let s, admin, gwA, gwB, town, leader, handler, pointA;
const HEAD_ID = idOf('19750203', 117);

before(async () => {
  s = await startServer({ demo: true });
  [admin, gwA, gwB, leader, handler] = await Promise.all(
    ['admin', `g${GRID_A}`, `g${GRID_B}`, 'leader', 'handler'].map((u) => s.login(u)));
  const acct = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'towndisp', name: '东城街道调度员', role: 'dispatcher', area: TOWN_A, password: 'Town@Disp2026' },
  });
  assert.equal(acct.status, 201, acct.text);
  town = await s.login('towndisp', 'Town@Disp2026');
  const map = await s.api('GET', `/api/v1/areas/${GRID_A}/map`, { token: gwA });
  const feature = map.json.features.find((f) => f.properties.code === MA);
  assert.ok(feature, `${MA} is on the map of ${GRID_A}`);
  pointA = feature.properties.label;
  // The head of the households below, registered in town A.
  const head = await s.api('POST', '/api/v1/people', {
    token: gwA, body: { name: '于长河', id_number: HEAD_ID, residence_type: 'registered', area: MA },
  });
  assert.equal(head.status, 201, head.text);
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const csv = (header, rows) => [header, ...rows].join('\r\n') + '\r\n';
const gbk = (text) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
const upload = (what, token, body, q = '') =>
  s.api('POST', `/api/v1/${what}/import${q}`, { token, raw: body, headers: { 'Content-Type': 'text/csv' } });
// The refused rows as [line, column, code].
const located = (errors) => errors.map((e) => [e.line, e.column, e.code]);
const householdsOf = async (token, area) =>
  (await s.api('GET', `/api/v1/areas/${area}/households?limit=200`, { token })).json.items;

// ------------------------------------------------------------------ households

const HH = '户号,地址,网格,户主身份证号,房屋编号';

test('households: created with their head and house, then updated by 户号 on re-import', async () => {
  const house = await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村南街3号', area: MA } });
  assert.equal(house.status, 201, house.text);
  const r = await upload('households', gwA, csv(HH, [
    `HA001,于庄村南街3号,${MA},${HEAD_ID},${house.json.id}`,
    `HA002,于庄村南街4号,${MA},,`,
  ]));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.rows, r.json.created, r.json.updated, r.json.invalid], [2, 2, 0, 0]);
  assert.equal(r.json.encoding, 'UTF-8');
  assert.equal(r.json.households_created, undefined, 'a people-only figure');
  const listed = (await householdsOf(gwA, MA)).filter((h) => h.hh_no === 'HA001');
  assert.equal(listed.length, 1);
  const hh = await s.api('GET', `/api/v1/households/${listed[0].id}`, { token: gwA });
  assert.equal(hh.json.head.name, '于长河');
  assert.equal(hh.json.house_id, house.json.id);
  assert.equal(hh.json.address, '于庄村南街3号');

  // The same 户号, a new address and another micro-grid of the scope; no head
  // or house given: those stay.
  const again = await upload('households', gwA, gbk(csv(HH, [`HA001,于庄村南街3号东院,${MA2},,`])));
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.encoding, 'GB18030');
  assert.deepEqual([again.json.created, again.json.updated], [0, 1]);
  const moved = await s.api('GET', `/api/v1/households/${listed[0].id}`, { token: gwA });
  assert.equal(moved.json.address, '于庄村南街3号东院');
  assert.equal(moved.json.area.code, MA2);
  assert.equal(moved.json.head.name, '于长河');
  assert.equal(moved.json.house_id, house.json.id);
  assert.equal((await householdsOf(gwA, GRID_A)).filter((h) => h.hh_no === 'HA001').length, 1, 'not duplicated');
});

test('households: every row checked, errors by line and column, all or nothing unless skip_invalid', async () => {
  const rows = [
    `HA101,于庄村北街1号,${MA},,`, // line 2: good
    `HA102,于庄村北街2号,${GRID_A},,`, // line 3: not a micro-grid
    `HA103,于庄村北街3号,${MA},${wrongCheck(idOf('19800101', 111))},`, // line 4
    `HA104,于庄村北街4号,${MA},${idOf('19600101', 113)},`, // line 5: nobody registered
    `,于庄村北街5号,${MA},,`, // line 6: no 户号
    `HA106,,${MA},,`, // line 7: no address
    `HA107,于庄村北街7号,${MA},,九号`, // line 8: not a house number
    `HA108,于庄村北街8号,${MA},,999999`, // line 9: no such house
  ];
  const r = await upload('households', gwA, csv(HH, rows));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'invalid_rows');
  const got = located(r.json.error.import.errors);
  assert.deepEqual(got, [
    [3, '网格', 'area_not_leaf'],
    [4, '户主身份证号', 'invalid_check_digit'],
    [5, '户主身份证号', 'head_not_found'],
    [6, '户号', 'empty_field'],
    [7, '地址', 'missing_field'],
    [8, '房屋编号', 'invalid_type'],
    [9, '房屋编号', 'house_not_found'],
  ]);
  assert.ok(r.json.error.import.errors.every((e) => /[\u4e00-\u9fff]/.test(e.message)), 'messages in Chinese');
  assert.equal((await householdsOf(gwA, MA)).filter((h) => h.hh_no === 'HA101').length, 0, 'nothing written');

  const skip = await upload('households', gwA, csv(HH, rows), '?skip_invalid=1');
  assert.equal(skip.status, 200, skip.text);
  assert.deepEqual([skip.json.rows, skip.json.created, skip.json.invalid], [8, 1, 7]);
  assert.equal(skip.json.errors.length, 7);
  assert.equal((await householdsOf(gwA, MA)).filter((h) => h.hh_no === 'HA101').length, 1);
});

test('households: scope — another township is neither written nor seen', async () => {
  // A township account of A cannot place a household in B.
  const r = await upload('households', town, csv(HH, [`HB001,北城街道1号,${MB},,`]));
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(located(r.json.error.import.errors), [[2, '网格', 'area_not_found']]);
  // Nor name a head registered in A from B.
  const head = await upload('households', gwB, csv(HH, [`HB002,北城街道2号,${MB},${HEAD_ID},`]));
  assert.equal(head.json.error.import.errors[0].code, 'head_not_found');
  // The 户号 of a household of A, imported in B: B gets its own, A's is untouched.
  const b = await upload('households', gwB, csv(HH, [`HA001,北城街道3号,${MB},,`]));
  assert.equal(b.status, 200, b.text);
  assert.deepEqual([b.json.created, b.json.updated], [1, 0]);
  const a = (await householdsOf(gwA, GRID_A)).filter((h) => h.hh_no === 'HA001');
  assert.equal(a.length, 1);
  assert.equal(a[0].address, '于庄村南街3号东院');
  // The county sees both: an import by the county of that 户号 is ambiguous.
  const county = await upload('households', admin, csv(HH, [`HA001,某地,${MA},,`]));
  assert.equal(county.json.error.import.errors[0].code, 'hh_no_ambiguous');
  // The township account works inside its township.
  const own = await upload('households', town, csv(HH, [`HA201,于庄村西街1号,${MA},${HEAD_ID},`]));
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.created, 1);
});

// ------------------------------------------------------------------ orgs

const ORG = '统一社会信用代码,名称,类别,地址,经度,纬度,法定代表人,治保负责人,联系电话,员工数,是否有党组织,是否有工会,网格';

test('orgs: a GBK ledger with Chinese kinds, a point in the micro-grid, 是/否; re-import updates by USCC', async () => {
  const [lng, lat] = pointA;
  const row = (name, kind, employees, party) =>
    `${USCC1},${name},${kind},于庄村东头,${lng},${lat},王法人,赵治保,13700002222,${employees},${party},否,${MA}`;
  const r = await upload('orgs', gwA, gbk(csv(ORG, [row('于庄村小学', '学校', 46, '是')])));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.encoding, 'GB18030');
  assert.deepEqual([r.json.rows, r.json.created, r.json.updated, r.json.invalid], [1, 1, 0, 0]);
  const list = await s.api('GET', `/api/v1/orgs?q=${USCC1}`, { token: gwA });
  assert.equal(list.json.total, 1);
  const org = list.json.items[0];
  assert.equal(org.kind, 'school');
  assert.equal(org.name, '于庄村小学');
  assert.equal(org.employees, 46);
  assert.equal(org.party_org, true);
  assert.equal(org.trade_union, false);
  assert.equal(org.contact_phone, '137****2222', 'the phone is sealed and shown masked');
  assert.ok(Math.abs(org.lng - lng) < 1e-9 && Math.abs(org.lat - lat) < 1e-9);
  const bytes = Buffer.concat([s.db, `${s.db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  assert.equal(bytes.indexOf('13700002222'), -1, 'no phone in clear on disk');

  const again = await upload('orgs', gwA, csv(ORG, [row('于庄村完全小学', 'school', 52, '否')]));
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.created, again.json.updated], [0, 1]);
  const after = await s.api('GET', `/api/v1/orgs/${org.id}`, { token: gwA });
  assert.equal(after.json.name, '于庄村完全小学');
  assert.equal(after.json.employees, 52);
  assert.equal(after.json.party_org, false);
  assert.equal((await s.api('GET', `/api/v1/orgs?q=${USCC1}`, { token: gwA })).json.total, 1, 'not duplicated');

  // A school's own items (its safety officers) have no ledger columns: a
  // re-import by USCC updates the unit and keeps them.
  const uscc3 = usccOf('MA000030', { kind: '12' });
  const fields = { safety_officer: '赵主任', students: 460 };
  const school = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { uscc: uscc3, name: '于庄村中心小学', kind: 'school', area: MA, fields } });
  assert.equal(school.status, 201, school.text);
  const re = await upload('orgs', gwA, csv(ORG, [`${uscc3},于庄村中心小学,学校,于庄村,,,,,,500,否,否,${MA}`]));
  assert.deepEqual([re.status, re.json.updated], [200, 1], re.text);
  const reread = await s.api('GET', `/api/v1/orgs/${school.json.id}`, { token: gwA });
  assert.equal(reread.json.employees, 500);
  assert.deepEqual(reread.json.fields, fields, 'the safety officers survive the re-import');
});

test('orgs: rows are checked as POST /api/v1/orgs checks them', async () => {
  const rows = [
    `${USCC1.slice(0, 8)}${USCC1.slice(8).toLowerCase()},小写,企业,,,,,,,,,,${MA}`, // line 2
    `${USCC_BAD},坏码,企业,,,,,,,,,,${MA}`,
    `,无码,企业,,,,,,,,,,${MA}`,
    `${USCC1},城堡,castle,,,,,,,,,,${MA}`,
    `${USCC1},远方,企业,,116.4,39.9,,,,,,,${MA}`,
    `${USCC1},多人,企业,,,,,,,很多,,,${MA}`,
    `${USCC1},党,企业,,,,,,,,也许,,${MA}`,
    `${USCC1},电话,企业,,,,,,12345,,,,${MA}`,
    `${USCC1},半点,企业,,115.1,,,,,,,,${MA}`,
  ];
  const r = await upload('orgs', gwA, csv(ORG, rows));
  assert.equal(r.status, 422, r.text);
  const got = located(r.json.error.import.errors);
  assert.deepEqual(got.slice(1), [
    [3, '统一社会信用代码', 'invalid_check_digit'],
    [4, '统一社会信用代码', 'empty_field'],
    [5, '类别', 'invalid_kind'],
    [6, '经度', 'point_outside_area'],
    [7, '员工数', 'invalid_type'],
    [8, '是否有党组织', 'invalid_type'],
    [9, '联系电话', 'invalid_phone'],
    [10, '纬度', 'invalid_type'],
  ]);
  // Line 2 is refused by the same GB 32100 check the API runs.
  const api = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { uscc: `${USCC1.slice(0, 8)}${USCC1.slice(8).toLowerCase()}`, name: '小写', kind: 'enterprise', area: MA } });
  assert.equal(api.status, 400);
  assert.deepEqual(got[0], [2, '统一社会信用代码', api.json.error.code]);
  const still = await s.api('GET', `/api/v1/orgs?q=${USCC1}`, { token: gwA });
  assert.equal(still.json.items[0].name, '于庄村完全小学', 'nothing written');
});

test('orgs: scope, skip_invalid, audit', async () => {
  // A township account of A cannot place a unit in B; a unit of A is not
  // moved or overwritten from B.
  const r = await upload('orgs', town, csv(ORG, [`${USCC1},北城小学,学校,,,,,,,,,,${MB}`]));
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.import.errors.map((e) => [e.column, e.code]), [['网格', 'area_not_found']]);
  const moved = await upload('orgs', gwB, csv(ORG, [`${USCC1},北城小学,学校,,,,,,,,,,${MB}`]), '?skip_invalid=1');
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual([moved.json.created, moved.json.updated, moved.json.invalid], [0, 0, 1]);
  assert.equal(moved.json.errors[0].code, 'uscc_exists');
  assert.equal(moved.json.errors[0].column, '统一社会信用代码');
  const still = await s.api('GET', `/api/v1/orgs?q=${USCC1}`, { token: gwA });
  assert.equal(still.json.items[0].area.code, MA);
  // English headers work too; skip_invalid keeps the good row.
  const en = await upload('orgs', town, csv('uscc,name,kind,grid', [`${USCC_BAD},坏,enterprise,${MA}`, `${USCC2},东城个体店,个体工商户,${MA2}`]), '?skip_invalid=1');
  assert.equal(en.status, 200, en.text);
  assert.deepEqual([en.json.created, en.json.invalid], [1, 1]);
  const audit = await s.api('GET', '/api/v1/audit?action=org.import&account=towndisp', { token: admin });
  assert.equal(audit.status, 200, audit.text);
  const entry = audit.json.items.find((i) => i.outcome === 'ok');
  assert.ok(entry, audit.text);
  assert.equal(entry.detail.created, 1);
  assert.equal(entry.detail.invalid, 1);
  const refused = await s.api('GET', '/api/v1/audit?action=household.import&account=towndisp', { token: admin });
  assert.ok(refused.json.items.length >= 2, 'refused imports are audited too');
});

// ------------------------------------------------------------------ both

test('file-level problems, empty bodies, bad query, roles', async () => {
  for (const what of ['households', 'orgs']) {
    const missing = await upload(what, gwA, '名称,地址\r\n某,某\r\n');
    assert.equal(missing.status, 400, missing.text);
    assert.equal(missing.json.error.code, 'missing_column');
    assert.equal((await upload(what, gwA, '')).json.error.code, 'empty_body');
    const binary = await upload(what, gwA, Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x0a, 0x00]));
    assert.equal(binary.status, 400);
    assert.equal(binary.json.error.code, 'unsupported_encoding');
    const quote = await upload(what, gwA, what === 'orgs' ? csv(ORG, [`a"b,x,企业,,,,,,,,,,${MA}`]) : csv(HH, [`a"b,x,${MA},,`]));
    assert.equal(quote.json.error.code, 'malformed_csv');
    assert.equal((await upload(what, gwA, csv(HH, []), '?skip_invalid=yes')).json.error.code, 'invalid_query');
    const noAuth = await s.api('POST', `/api/v1/${what}/import`, { raw: csv(HH, []), headers: { 'Content-Type': 'text/csv' } });
    assert.equal(noAuth.status, 401);
    for (const token of [leader, handler]) {
      const forbidden = await upload(what, token, csv(HH, [`HX,x,${MA},,`]));
      assert.equal(forbidden.status, 403, forbidden.text);
    }
  }
  const header = await upload('households', gwA, csv(HH, []));
  assert.equal(header.status, 200, 'a header without rows imports nothing');
  assert.equal(header.json.rows, 0);
});

// ------------------------------------------------------------------ command line

test('the command line: households and orgs, GBK, error files, exit codes, audit', () => {
  const { db } = makeDemoDb();
  const dir = tempDir();
  const hh = join(dir, '户台账.csv');
  writeFileSync(hh, gbk(csv(HH, [`HC001,于庄村1号,${MA},,`, `HC002,于庄村2号,${GRID_A},,`])));
  const bad = run(['import', 'households', '--db', db, hh]);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /1 of 2 rows have errors .*nothing was imported/);
  assert.match(readFileSync(`${hh}.errors.csv`, 'utf8'), /^\uFEFF行号,列,错误代码,问题\r\n3,网格,area_not_leaf,"/);
  const ok = run(['import', 'households', '--db', db, '--skip-invalid', hh]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /\(GB18030\): 2 rows, 1 households added, 0 updated, 1 refused/);
  const again = run(['import', 'households', '--db', db, '--skip-invalid', hh]);
  assert.match(again.stdout, /2 rows, 0 households added, 1 updated, 1 refused/);
  const count = execFileSync('sqlite3', [db, "SELECT count(*) FROM household WHERE hh_no = 'HC001'"], { encoding: 'utf8' });
  assert.equal(count.trim(), '1');

  const orgs = join(dir, 'orgs.csv');
  const errs = join(dir, 'org-errors.csv');
  writeFileSync(orgs, csv(ORG, [`${USCC1},东城面粉厂,企业,,,,,,,12,是,是,${MA}`]));
  const o = run(['import', 'orgs', '--db', db, '--errors', errs, orgs]);
  assert.equal(o.status, 0, o.stderr);
  assert.match(o.stdout, /1 rows, 1 units added, 0 updated, 0 refused/);
  assert.ok(!existsSync(errs), 'no error file when there is no error');
  writeFileSync(orgs, csv(ORG, [`${USCC1},东城面粉厂,工厂,,,,,,,12,是,是,${MA}`]));
  const o2 = run(['import', 'orgs', '--db', db, '--errors', errs, orgs]);
  assert.equal(o2.status, 1);
  assert.match(readFileSync(errs, 'utf8'), /\r\n2,类别,invalid_kind,"/);
  const missing = run(['import', 'orgs', '--db', db, join(dir, 'none.csv')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot open/);
  assert.equal(run(['import', 'orgs', '--db', db]).status, 2);
  const help = run(['import', 'households', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /户主身份证号/);
  const audit = execFileSync('sqlite3', [db, "SELECT action FROM audit WHERE action IN ('household.import', 'org.import') ORDER BY id"], { encoding: 'utf8' });
  assert.deepEqual(audit.trim().split('\n'), ['household.import', 'household.import', 'org.import']);
});
