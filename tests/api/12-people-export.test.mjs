// The population ledger as Excel: the caller's scope, identifiers masked by
// default, in clear only through the audited POST with a reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit, tempDir } from '../lib/server.mjs';
import { idOf } from '../lib/ids.mjs';

const A = idOf('19750620', 111);
const MA = '41162400120000101';
let s, gwA, gwB, leader, admin;

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  gwA = await s.login('g411624001200001');
  gwB = await s.login('g411624002200001');
  leader = await s.login('leader');
  const r = await s.api('POST', '/api/v1/people', { token: gwA, body: { name: '欧阳明华', id_number: A, phone: '13912345678', residence_type: 'registered', area: MA, tags: ['党员'] } });
  assert.equal(r.status, 201, r.text);
});
after(async () => { assertCleanExit(assert, await s.stop()); });

// The sheet's XML (libxlsxwriter's constant-memory mode writes strings inline).
async function sheetOf(res) {
  const file = join(tempDir(), 'ledger.xlsx');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
}
const get = (token, q = '') => fetch(`${s.url}/api/v1/people/export${q}`, { headers: { Authorization: `Bearer ${token}` } });
const post = (token, body) => fetch(`${s.url}/api/v1/people/export`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('the ledger of a grid, masked', async () => {
  const res = await get(gwA);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="export.xlsx"; filename\*=UTF-8''%E5%AE%9E/);
  const xml = await sheetOf(res);
  assert.match(xml, /欧阳明华/);
  assert.match(xml, /公民身份号码/);
  assert.ok(xml.includes(`411624********${A.slice(14)}`), 'masked number');
  assert.ok(!xml.includes(A), 'no number in clear');
  assert.ok(!xml.includes('13912345678'));
  assert.match(xml, /139\*\*\*\*5678/);
  assert.match(xml, /户籍/);
});

test('in clear only with a reason, by a role that may, and audited', async () => {
  const noReason = await post(gwA, {});
  assert.equal(noReason.status, 400);
  const short = await post(gwA, { reason: 'x' });
  assert.equal((await short.json()).error.code, 'reason_too_short');
  const comma = await get(gwA, `?tag=${encodeURIComponent('a,b')}`);
  assert.equal((await comma.json()).error.field, 'tag');
  const res = await post(gwA, { reason: '上报县公安局核对', area: MA });
  assert.equal(res.status, 200);
  const xml = await sheetOf(res);
  assert.ok(xml.includes(A) && xml.includes('13912345678'));
  assert.equal((await post(leader, { reason: '看看' })).status, 403);
  const masked = await sheetOf(await get(leader));
  assert.ok(!masked.includes(A));
  const log = await s.api('GET', '/api/v1/audit?action=person.export', { token: admin });
  const revealed = log.json.items.find((i) => i.detail && i.detail.revealed === true);
  assert.equal(revealed.account, 'g411624001200001');
  assert.equal(revealed.detail.reason, '上报县公安局核对');
  assert.equal(revealed.detail.people, 1);
  assert.equal(revealed.detail.area, MA, 'the audit says which area went out');
  assert.ok(log.json.items.some((i) => i.detail && i.detail.revealed === false));
});

test('scope: another grid neither sees these people nor may name this grid', async () => {
  const xml = await sheetOf(await get(gwB));
  assert.ok(!xml.includes('欧阳明华'));
  const r = await get(gwB, '?area=411624001200001');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.field, 'area');
  const p = await post(gwB, { reason: '核对', area: MA });
  assert.equal(p.status, 404);
  const bad = await get(gwA, `?tag=${encodeURIComponent('a\u0001')}`);
  assert.equal(bad.status, 400);
});
