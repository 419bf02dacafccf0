// Houses and rental housing: tenants with their dates, the owner and the
// tenants checked against the scope, rental-only lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, gwA, gwB, leader, tenant, outsider;
const MA = '41162400120000101';
const MB = '41162400220000101';

before(async () => {
  s = await startServer({ demo: true });
  gwA = await s.login('g411624001200001');
  gwB = await s.login('g411624002200001');
  leader = await s.login('leader');
  tenant = (await s.api('POST', '/api/v1/people', { token: gwA, body: { name: '外来务工甲', residence_type: 'floating', area: MA } })).json.id;
  outsider = (await s.api('POST', '/api/v1/people', { token: gwB, body: { name: '北城居民乙', residence_type: 'registered', area: MB } })).json.id;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

test('a rented house and its tenants', async () => {
  const h = await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村前街20号', area: MA, rental: true, use: 'residential' } });
  assert.equal(h.status, 201, h.text);
  assert.equal(h.json.rental, true);
  const t = await s.api('POST', `/api/v1/houses/${h.json.id}/tenants`, { token: gwA, body: { person_id: tenant, since: '2026-03-01' } });
  assert.equal(t.status, 201, t.text);
  assert.deepEqual(t.json.tenants.map((x) => [x.person.name, x.person.residence_type, x.since]), [['外来务工甲', 'floating', '2026-03-01']]);
  const own = await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村前街21号', area: MA } });
  const notRental = await s.api('POST', `/api/v1/houses/${own.json.id}/tenants`, { token: gwA, body: { person_id: tenant, since: '2026-03-01' } });
  assert.equal(notRental.status, 409);
  assert.equal(notRental.json.error.code, 'house_not_rental');
  const rentals = await s.api('GET', '/api/v1/houses?rental=1', { token: gwA });
  assert.deepEqual(rentals.json.items.map((x) => [x.address, x.current_tenants]), [['于庄村前街20号', 1]]);
  assert.equal((await s.api('GET', '/api/v1/houses', { token: gwA })).json.total, 2);
});

test('validation', async () => {
  const h = (await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村后街9号', area: MA, rental: true } })).json.id;
  const cases = [
    ['/api/v1/houses', { address: 'x', area: MA, use: 'palace' }, 'invalid_use', 'use'],
    ['/api/v1/houses', { area: MA }, 'missing_field', 'address'],
    ['/api/v1/houses', { address: 'x', area: MA, rental: 'yes' }, 'invalid_type', 'rental'],
    [`/api/v1/houses/${h}/tenants`, { person_id: tenant, since: '2026-02-30' }, 'invalid_date', 'since'],
    [`/api/v1/houses/${h}/tenants`, { person_id: tenant, since: '2026-03-01', until: '2026-01-01' }, 'invalid_date', 'until'],
    [`/api/v1/houses/${h}/tenants`, { since: '2026-03-01' }, 'missing_field', 'person_id'],
  ];
  for (const [path, body, code, field] of cases) {
    const r = await s.api('POST', path, { token: gwA, body });
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
  const bad = await s.api('GET', '/api/v1/houses?rental=2', { token: gwA });
  assert.equal(bad.json.error.field, 'rental');
});

test('scope: owners, tenants and houses of other grids are not reachable', async () => {
  const h = (await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村东街2号', area: MA, rental: true } })).json.id;
  const foreignTenant = await s.api('POST', `/api/v1/houses/${h}/tenants`, { token: gwA, body: { person_id: outsider, since: '2026-01-01' } });
  assert.equal(foreignTenant.status, 404);
  assert.equal(foreignTenant.json.error.field, 'person_id');
  const foreignOwner = await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: 'x', area: MA, owner_id: outsider } });
  assert.equal(foreignOwner.status, 404);
  assert.equal(foreignOwner.json.error.field, 'owner_id');
  assert.equal((await s.api('GET', `/api/v1/houses/${h}`, { token: gwB })).status, 404);
  assert.equal((await s.api('POST', `/api/v1/houses/${h}/tenants`, { token: gwB, body: { person_id: outsider, since: '2026-01-01' } })).status, 404);
  assert.equal((await s.api('GET', '/api/v1/houses?area=411624001200001', { token: gwB })).status, 404);
  assert.equal((await s.api('POST', '/api/v1/houses', { token: leader, body: { address: 'x', area: MA } })).status, 403);
});

test('the house card shows the point it was registered with, and none when none was given', async () => {
  const map = await s.api('GET', '/api/v1/areas/411624001200001/map', { token: gwA });
  const [lng, lat] = map.json.features.find((f) => f.properties.code === MA).properties.label;
  const h = await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村西街5号', area: MA, lng, lat } });
  assert.equal(h.status, 201, h.text);
  assert.deepEqual([h.json.lng, h.json.lat], [lng, lat]);
  const again = await s.api('GET', `/api/v1/houses/${h.json.id}`, { token: gwA });
  assert.deepEqual([again.json.lng, again.json.lat], [lng, lat]);
  const bare = await s.api('POST', '/api/v1/houses', { token: gwA, body: { address: '于庄村西街6号', area: MA } });
  assert.equal('lng' in bare.json || 'lat' in bare.json, false, bare.text);
});
