// The registry's people: validation (GB 11643, phones), personal data sealed
// at rest, masked in answers, revealed only with a reason and audited, search
// by name, address, ID number and phone — all inside the caller's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { startServer, assertCleanExit } from '../lib/server.mjs';
import { idOf } from '../lib/ids.mjs';

let s, admin, gwA, gwB, leader;
const GRID_A = '411624001200001';
const MICRO_A = '41162400120000101';
const GRID_B = '411624002200001';
const MICRO_B = '41162400220000101';
const ZHANG = idOf('19800115', 123); // odd sequence: male
const LI = idOf('19921003', 246);    // even: female

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  gwA = await s.login(`g${GRID_A}`);
  gwB = await s.login(`g${GRID_B}`);
  leader = await s.login('leader');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const create = (token, body) => s.api('POST', '/api/v1/people', { token, body });
const base = { name: '张建国', residence_type: 'registered', area: MICRO_A, current_address: '沈丘县东城街道于庄村前街12号' };

test('registering a person: derived fields, masked answer', async () => {
  const r = await create(gwA, { ...base, id_number: ZHANG, phone: '+86 138-1234-5678', tags: ['退役军人'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.gender, 'M', 'derived from the ID number');
  assert.equal(r.json.birth_date, '1980-01-15');
  assert.equal(r.json.id_number, `411624********${ZHANG.slice(14)}`);
  assert.equal(r.json.phone, '138****5678');
  assert.equal(r.json.masked, true);
  assert.deepEqual(r.json.tags, ['退役军人']);
  assert.equal(r.json.area.code, MICRO_A);
  // The sub-record of the residence type (GB/T 31000 data items).
  const fl = await create(gwA, { ...base, name: '外来务工丙', residence_type: 'floating', details: { inflow_reason: '务工', permit_type: '居住证', permit_expires: '2027-06-30', key_concern: false } });
  assert.equal(fl.status, 201, fl.text);
  assert.equal(fl.json.details.inflow_reason, '务工');
  const wrongKey = await create(gwA, { ...base, name: 'x', residence_type: 'floating', details: { nationality: '法国' } });
  assert.equal(wrongKey.json.error.field, 'details.nationality');
  const badDate = await create(gwA, { ...base, name: 'x', residence_type: 'overseas', details: { arrived_on: '2026-13-01' } });
  assert.equal(badDate.json.error.code, 'invalid_date');
  assert.equal(badDate.json.error.field, 'details.arrived_on');
  const li = await create(gwA, { ...base, name: '李秀英', id_number: LI.slice(0, 17) + LI[17].toLowerCase(), gender: 'F', phone: '0394-8123456', residence_type: 'floating' });
  assert.equal(li.status, 201, li.text);
});

test('every field is validated; nothing is silently fixed', async () => {
  const bad = ZHANG.slice(0, 17) + (ZHANG[17] === '0' ? '1' : '0');
  const cases = [
    [{ ...base, id_number: bad }, 'invalid_check_digit', 'id_number'],
    [{ ...base, id_number: '41162419800230123X' }, 'invalid_birth_date', 'id_number'],
    [{ ...base, id_number: ZHANG.slice(0, 16) }, 'invalid_length', 'id_number'],
    [{ ...base, id_number: ZHANG, gender: 'F' }, 'gender_mismatch', 'gender'],
    [{ ...base, id_number: ZHANG, birth_date: '1980-01-16' }, 'birth_date_mismatch', 'birth_date'],
    [{ ...base, phone: '1381234567' }, 'invalid_phone', 'phone'],
    [{ ...base, residence_type: 'tourist' }, 'invalid_residence_type', 'residence_type'],
    [{ ...base, birth_date: '1990-02-30' }, 'invalid_date', 'birth_date'],
    [{ ...base, birth_date: '2999-01-01' }, 'invalid_date', 'birth_date'],
    [{ ...base, tags: ['a,b'] }, 'invalid_text', 'tags[0]'],
    [{ ...base, area: GRID_A }, 'area_not_leaf', 'area'],
    [{ ...base, nickname: 'x' }, 'unknown_field', 'nickname'],
    [{ ...base, name: undefined }, 'missing_field', 'name'],
  ];
  for (const [body, code, field] of cases) {
    const r = await create(admin, body);
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field);
  }
  const dup = await create(admin, { ...base, id_number: ZHANG });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.code, 'id_number_exists');
  // A 15-digit legacy number is upgraded to 18 digits.
  const old = await create(admin, { ...base, name: '王老汉', id_number: '411624450301001' });
  assert.equal(old.status, 201, old.text);
  assert.equal(old.json.birth_date, '1945-03-01');
});

test('the database file holds no ID number or phone in clear', async () => {
  await s.api('GET', '/api/v1/health'); // let the writes settle
  const bytes = Buffer.concat([s.db, `${s.db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  for (const secret of [ZHANG, LI, '13812345678', '8123456', ZHANG.slice(6, 14)]) {
    assert.equal(bytes.indexOf(secret), -1, `${secret} is in the database file`);
  }
  const key = `${s.db}.key`;
  assert.ok(existsSync(key), 'the key file sits beside the database');
  assert.equal(statSync(key).mode & 0o777, 0o600);
});

test('search by name, address, ID number and phone, inside the scope', async () => {
  const byName = await s.api('GET', `/api/v1/people?q=${encodeURIComponent('张建')}`, { token: gwA });
  assert.ok(byName.json.items.some((p) => p.name === '张建国'), byName.text);
  const byAddr = await s.api('GET', `/api/v1/people?q=${encodeURIComponent('前街12号')}`, { token: gwA });
  assert.ok(byAddr.json.total >= 2);
  const byId = await s.api('GET', `/api/v1/people?id_number=${ZHANG}`, { token: gwA });
  assert.equal(byId.json.total, 1);
  assert.equal(byId.json.items[0].name, '张建国');
  const byPhone = await s.api('GET', `/api/v1/people?phone=${encodeURIComponent('138 1234 5678')}`, { token: admin });
  assert.equal(byPhone.json.items[0].name, '张建国');
  const floating = await s.api('GET', '/api/v1/people?residence_type=floating', { token: gwA });
  assert.ok(floating.json.items.every((p) => p.residence_type === 'floating'));
  const tagged = await s.api('GET', `/api/v1/people?tag=${encodeURIComponent('退役军人')}`, { token: gwA });
  assert.deepEqual(tagged.json.items.map((p) => p.name), ['张建国']);
  // The grid worker of another grid finds nobody, even by exact ID number.
  for (const q of [`id_number=${ZHANG}`, `q=${encodeURIComponent('张建国')}`, `phone=13812345678`]) {
    const r = await s.api('GET', `/api/v1/people?${q}`, { token: gwB });
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 0, q);
  }
  const comma = await s.api('GET', `/api/v1/people?tag=${encodeURIComponent('a,b')}`, { token: admin });
  assert.equal(comma.json.error.field, 'tag');
  const bad = await s.api('GET', '/api/v1/people?id_number=123', { token: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'id_number');
  const outside = await s.api('GET', `/api/v1/people?area=${GRID_B}`, { token: gwA });
  assert.equal(outside.status, 404);
});

test('reading and revealing: scope, roles, reasons, audit', async () => {
  const id = (await s.api('GET', `/api/v1/people?id_number=${ZHANG}`, { token: admin })).json.items[0].id;
  assert.equal((await s.api('GET', `/api/v1/people/${id}`, { token: gwA })).status, 200);
  assert.equal((await s.api('GET', `/api/v1/people/${id}`, { token: gwB })).status, 404, 'another grid: not found');
  const noReason = await s.api('POST', `/api/v1/people/${id}/reveal`, { token: gwA, body: {} });
  assert.equal(noReason.json.error.field, 'reason');
  const r = await s.api('POST', `/api/v1/people/${id}/reveal`, { token: gwA, body: { reason: '入户走访核对身份' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id_number, ZHANG);
  assert.equal(r.json.phone, '13812345678');
  const other = await s.api('POST', `/api/v1/people/${id}/reveal`, { token: gwB, body: { reason: '入户走访核对身份' } });
  assert.equal(other.status, 404, 'a grid worker cannot unmask a person of another grid');
  const lead = await s.api('POST', `/api/v1/people/${id}/reveal`, { token: leader, body: { reason: '想看看' } });
  assert.equal(lead.status, 403, 'leaders see masked data only');
  assert.equal((await s.api('GET', `/api/v1/people/${id}`, { token: leader })).json.id_number.includes('*'), true);
  const handler = await s.login('handler');
  assert.equal((await s.api('GET', '/api/v1/people', { token: handler })).status, 403);
  const log = await s.api('GET', `/api/v1/audit?action=person.reveal&object=person:${id}`, { token: admin });
  const ok = log.json.items.find((i) => i.outcome === 'ok');
  assert.equal(ok.account, `g${GRID_A}`);
  assert.equal(ok.detail.reason, '入户走访核对身份');
  assert.ok(log.json.items.some((i) => i.outcome === 'denied' && i.account === `g${GRID_B}`));
  const lookups = await s.api('GET', `/api/v1/audit?action=person.search&account=g${GRID_B}`, { token: admin });
  assert.ok(lookups.json.total >= 2, 'look-ups by ID number or phone are audited');
  const mine = await s.api('GET', `/api/v1/audit?action=person.search&account=g${GRID_A}`, { token: admin });
  const byId = mine.json.items.find((i) => i.detail && i.detail.by === 'id_number');
  assert.deepEqual(byId.detail.people, [id], 'the audit says whose data was shown, not the number');
  assert.ok(!JSON.stringify(mine.json).includes(ZHANG));
  const short = await s.api('POST', `/api/v1/people/${id}/reveal`, { token: gwA, body: { reason: '查  ' } });
  assert.equal(short.json.error.code, 'reason_too_short');
});
