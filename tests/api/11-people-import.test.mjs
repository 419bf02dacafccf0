// Importing the population ledger: UTF-8 and GBK, every row validated,
// all-or-nothing by default, an error list naming line and column,
// re-import updates by ID number, households from 户号 — and scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit, run, tempDir, makeDemoDb } from '../lib/server.mjs';
import { idOf, wrongCheck } from '../lib/ids.mjs';

const MA = '41162400120000101';
const header = '姓名,性别,身份证号,联系电话,人口类型,现住址,所属网格,户号,与户主关系,标签';
const good = [
  `张三,男,${idOf('19800115', 123)},13812345678,户籍,于庄村1号,${MA},H001,户主,退役军人、党员`,
  `李四,女,${idOf('19820203', 124)},,户籍,于庄村1号,${MA},H001,配偶,`,
  `赵六,男,${idOf('20000101', 133)},0394-8123456,流动,于庄村3号,${MA},,,`,
];
const bad = `王五,男,${wrongCheck(idOf('19900101', 131))},,流动,于庄村2号,${MA},,,`;
const csv = (rows) => [header, ...rows].join('\r\n') + '\r\n';

// "姓名" etc. in GBK: encode with a tiny table of the characters the test uses is overkill;
// Node has no GBK encoder, so the GBK case lives in the unit tests of util/csv.c and in
// the CLI test below, which writes bytes produced by iconv.

let s, gwA, gwB;
before(async () => {
  s = await startServer({ demo: true });
  gwA = await s.login('g411624001200001');
  gwB = await s.login('g411624002200001');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const upload = (token, body, q = '') => s.api('POST', `/api/v1/people/import${q}`, { token, raw: body, headers: { 'Content-Type': 'text/csv' } });

test('one bad row: nothing imported, the error names line and column', async () => {
  const r = await upload(gwA, csv([good[0], bad, good[1]]));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'invalid_rows');
  const e = r.json.error.import.errors[0];
  assert.equal(e.line, 3);
  assert.equal(e.column, '身份证号');
  assert.equal(e.code, 'invalid_check_digit');
  const found = await s.api('GET', `/api/v1/people?q=${encodeURIComponent('张三')}`, { token: gwA });
  assert.equal(found.json.total, 0, 'nothing was written');
});

test('--skip-invalid imports the good rows; households come from 户号; re-import updates', async () => {
  const r = await upload(gwA, csv([good[0], bad, good[1], good[2]]), '?skip_invalid=1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.created, 3);
  assert.equal(r.json.invalid, 1);
  assert.equal(r.json.households_created, 1);
  assert.equal(r.json.encoding, 'UTF-8');
  const zhang = (await s.api('GET', `/api/v1/people?q=${encodeURIComponent('张三')}`, { token: gwA })).json.items[0];
  assert.deepEqual(zhang.tags, ['退役军人', '党员']);
  const hh = await s.api('GET', `/api/v1/households/${zhang.household_id}`, { token: gwA });
  assert.deepEqual(hh.json.members.map((m) => [m.name, m.relation]), [['张三', '户主'], ['李四', '配偶']]);
  const again = await upload(gwA, csv([good[0].replace('于庄村1号', '于庄村1号东屋')]));
  assert.equal(again.json.updated, 1);
  assert.equal(again.json.created, 0);
  const z2 = await s.api('GET', `/api/v1/people/${zhang.id}`, { token: gwA });
  assert.equal(z2.json.current_address, '于庄村1号东屋');
});

test('rows outside the scope are refused; file-level errors are clear', async () => {
  const r = await upload(gwB, csv([good[2].replace('赵六', '外人').replace(/\d{18}|\d{17}X/, idOf('19700101', 141))]));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.import.errors[0].code, 'area_not_found');
  assert.equal(r.json.error.import.errors[0].column, '所属网格');
  // A number registered in another grid is neither overwritten nor moved from here.
  const moved = await upload(gwB, csv([good[0].replace(MA, '41162400220000101').replace('H001', 'B001')]), '?skip_invalid=1');
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.updated, 0);
  assert.equal(moved.json.errors[0].code, 'id_number_exists');
  assert.equal(moved.json.errors[0].column, '身份证号');
  const still = await s.api('GET', `/api/v1/people?q=${encodeURIComponent('张三')}`, { token: gwA });
  assert.equal(still.json.items[0].area.code, MA, 'still in grid A');
  const noHh = await upload(gwA, '姓名,人口类型,所属网格,与户主关系\r\n孙七,户籍,' + MA + ',子\r\n');
  assert.equal(noHh.json.error.import.errors[0].column, '与户主关系');
  const missing = await upload(gwA, '姓名,性别\r\n张三,男\r\n');
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error.code, 'missing_column');
  const binary = await upload(gwA, Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x0a, 0x00]));
  assert.equal(binary.status, 400);
  const leader = await s.login('leader');
  assert.equal((await upload(leader, csv(good))).status, 403);
});

test('the command line: GBK, error file, exit codes', () => {
  const { db } = makeDemoDb();
  const dir = tempDir();
  const utf8 = join(dir, 'ledger-utf8.csv');
  const gbk = join(dir, 'ledger.csv');
  writeFileSync(utf8, csv([good[0], bad, good[1]]));
  execIconv(utf8, gbk);
  const r = run(['import', 'people', '--db', db, gbk]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /1 of 3 rows have errors/);
  const errors = readFileSync(`${gbk}.errors.csv`, 'utf8');
  assert.match(errors, /^\uFEFF行号,列,错误代码,问题\r\n3,身份证号,invalid_check_digit,/);
  const ok = run(['import', 'people', '--db', db, '--skip-invalid', gbk]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /\(GB18030\): 3 rows, 2 people added, 0 updated, 1 refused/);
  const clean = join(dir, 'clean.csv');
  writeFileSync(clean, csv([good[2]]));
  const c = run(['import', 'people', '--db', db, clean]);
  assert.equal(c.status, 0);
  assert.ok(!existsSync(`${clean}.errors.csv`), 'no error file when there is no error');
});

function execIconv(from, to) {
  writeFileSync(to, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030', from]));
}

test('key rotation: every value re-sealed under the new key, look-ups and reveal still work', async () => {
  const { db } = makeDemoDb();
  const dir = tempDir();
  const file = join(dir, 'ledger.csv');
  writeFileSync(file, csv([good[0], good[2]]));
  assert.equal(run(['import', 'people', '--db', db, file]).status, 0);
  const before = execFileSync('sqlite3', [db, 'SELECT hex(substr(id_enc, 1, 1)) || hex(id_bidx) FROM person ORDER BY id'], { encoding: 'utf8' });
  const r = run(['keys', 'rotate', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /key generation 2: 4 value\(s\) re-sealed/);
  const after = execFileSync('sqlite3', [db, 'SELECT hex(substr(id_enc, 1, 1)) || hex(id_bidx) FROM person ORDER BY id'], { encoding: 'utf8' });
  assert.notEqual(after, before);
  assert.ok(after.trim().split('\n').every((l) => l.startsWith('02')), 'every blob under key 2');
  const again = run(['keys', 'rotate', '--db', db]);
  assert.match(again.stdout, /key generation 3: 4 value/);
  assert.equal(run(['keys', 'drop-old', '--db', db]).status, 0);
  const srv = await startServer({ db });
  const tok = await srv.login('admin');
  const found = await srv.api('GET', `/api/v1/people?id_number=${idOf('19800115', 123)}`, { token: tok });
  assert.equal(found.json.total, 1, 'the blind index answers under the new key');
  const shown = await srv.api('POST', `/api/v1/people/${found.json.items[0].id}/reveal`, { token: tok, body: { reason: '轮换后核对' } });
  assert.equal(shown.json.phone, '13812345678');
  assertCleanExit(assert, await srv.stop());
});
