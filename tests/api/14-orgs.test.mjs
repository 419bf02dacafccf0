// Organisations: GB 32100 codes, a point inside the unit's micro-grid, the
// contact's phone sealed and masked, scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, gwA, gwB, admin, micro;
const GRID_A = '411624001200001';

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  gwA = await s.login(`g${GRID_A}`);
  gwB = await s.login('g411624002200001');
  const map = await s.api('GET', `/api/v1/areas/${GRID_A}/map`, { token: gwA });
  micro = map.json.features[0].properties;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const base = () => ({ name: '沈丘县于庄面粉厂', kind: 'enterprise', area: micro.code });

test('a unit with a valid USCC, its point in its micro-grid, the contact phone masked', async () => {
  const [lng, lat] = micro.label;
  const r = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { ...base(), uscc: '91350100M000100Y43', lng, lat, contact_name: '王厂长', contact_phone: '13700001111', employees: 35, party_org: true } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind_name, '企业');
  assert.equal(r.json.contact_phone, '137****1111');
  assert.equal(r.json.employees, 35);
  const bytes = Buffer.concat([s.db, `${s.db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  assert.equal(bytes.indexOf('13700001111'), -1, 'the contact phone is sealed');
  const dup = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { ...base(), uscc: '91350100M000100Y43' } });
  assert.equal(dup.status, 409);
  const list = await s.api('GET', `/api/v1/orgs?q=${encodeURIComponent('面粉')}`, { token: gwA });
  assert.equal(list.json.total, 1);
  assert.equal((await s.api('GET', `/api/v1/orgs/${r.json.id}`, { token: gwA })).json.name, '沈丘县于庄面粉厂');
});

test('a school carries its safety officers; an enterprise its hazardous-chemicals flag', async () => {
  const fields = { school_type: '小学', students: 412, principal: '王校长', safety_leader: '李副校长', safety_officer: '赵主任', guards: 2 };
  const r = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { ...base(), name: '于庄村小学', kind: 'school', fields } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.fields, fields);
  assert.deepEqual((await s.api('GET', `/api/v1/orgs/${r.json.id}`, { token: gwA })).json.fields, fields);
  const f = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { ...base(), name: '于庄化工厂', fields: { hazardous_chemicals: true } } });
  assert.equal(f.status, 201, f.text);
  assert.equal(f.json.fields.hazardous_chemicals, true);
  assert.equal((await s.api('GET', `/api/v1/orgs/${r.json.id}`, { token: gwB })).status, 404, 'another grid cannot read the school');
});

test('validation: codes, kinds, points', async () => {
  const cases = [
    [{ ...base(), uscc: '91350100M000100Y44' }, 'invalid_check_digit', 'uscc'],
    [{ ...base(), uscc: '91350100m000100y43' }, 'invalid_characters', 'uscc'],
    [{ ...base(), uscc: '9135' }, 'invalid_length', 'uscc'],
    [{ ...base(), kind: 'castle' }, 'invalid_kind', 'kind'],
    [{ ...base(), contact_phone: '12345' }, 'invalid_phone', 'contact_phone'],
    [{ ...base(), lng: 116.4, lat: 39.9 }, 'point_outside_area', 'lng'],
    [{ ...base(), lng: 115.1 }, 'invalid_type', 'lat'],
    [{ ...base(), area: GRID_A }, 'area_not_leaf', 'area'],
    [{ ...base(), employees: -3 }, 'out_of_range', 'employees'],
    [{ ...base(), kind: 'school', fields: { students: '四百' } }, 'invalid_type', 'fields.students'],
    [{ ...base(), fields: { safety_officer: '李主任' } }, 'unknown_field', 'fields'],
    [{ ...base(), kind: 'other', fields: { anything: '1' } }, 'unknown_field', 'fields'],
  ];
  for (const [body, code, field] of cases) {
    const r = await s.api('POST', '/api/v1/orgs', { token: gwA, body });
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
});

test('scope', async () => {
  const created = await s.api('POST', '/api/v1/orgs', { token: gwA, body: { ...base(), name: '于庄小学', kind: 'school' } });
  assert.equal((await s.api('GET', `/api/v1/orgs/${created.json.id}`, { token: gwB })).status, 404);
  assert.equal((await s.api('GET', '/api/v1/orgs', { token: gwB })).json.total, 0);
  const foreign = await s.api('POST', '/api/v1/orgs', { token: gwB, body: base() });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.json.error.field, 'area');
  assert.equal((await s.api('GET', '/api/v1/orgs?area=411624001200001', { token: gwB })).status, 404);
  const all = await s.api('GET', '/api/v1/orgs?kind=school', { token: admin });
  assert.ok(all.json.items.some((o) => o.id === created.json.id), 'the county sees the school');
  assert.ok(all.json.items.every((o) => o.kind === 'school'));
});
