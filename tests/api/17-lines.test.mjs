// 护路护线: lines with their responsible units, cut by the micro-grids they
// cross; seen from every grid they cross and from nowhere else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, admin, railway;
const TOWN_PASSWORD = 'Town@Admin2026';

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  const list = await s.api('GET', '/api/v1/lines?kind=railway', { token: admin });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.total, 1, 'the demo county has its railway');
  railway = (await s.api('GET', `/api/v1/lines/${list.json.items[0].id}`, { token: admin })).json;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

// The grid worker account of the grid holding a micro-grid.
const workerOf = (microCode) => `g${microCode.slice(0, -2)}`;

test('the demo railway: its units, its course, the grids it crosses and their lengths', async () => {
  assert.equal(railway.kind, 'railway');
  assert.equal(railway.kind_name, '铁路');
  assert.ok(railway.unit_name);
  assert.equal(railway.geometry.type, 'LineString');
  assert.ok(railway.length_m > 10000, `a railway through the county, not a stub: ${railway.length_m} m`);
  assert.ok(railway.grids.length > 10);
  const sum = railway.grids.reduce((t, g) => t + g.length_m, 0);
  assert.ok(Math.abs(sum - railway.length_m) <= railway.grids.length, `the pieces add up to the whole: ${sum} vs ${railway.length_m}`);
  assert.equal(railway.area.code, '411624', 'crossing several townships, it belongs to the county');
  assert.ok(new Set(railway.grids.map((g) => g.code.slice(0, 9))).size > 1);
  const gcj = await s.api('GET', `/api/v1/lines/${railway.id}?crs=gcj02`, { token: admin });
  assert.notDeepEqual(gcj.json.geometry.coordinates[0], railway.geometry.coordinates[0], 'GCJ-02 on request');
  assert.equal((await s.api('GET', `/api/v1/lines/${railway.id}?crs=bd09`, { token: admin })).json.error.field, 'crs');
});

test('a grid worker of a crossed grid sees the railway and only its own stretch', async () => {
  const micro = railway.grids[0];
  const gw = await s.login(workerOf(micro.code));
  const list = await s.api('GET', '/api/v1/lines', { token: gw });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((l) => l.id), [railway.id]);
  const mine = railway.grids.filter((g) => g.code.startsWith(micro.code.slice(0, -2)));
  const expected = mine.reduce((t, g) => t + g.length_m, 0);
  assert.ok(Math.abs(list.json.items[0].length_in_area_m - expected) <= mine.length, 'the length inside the grid');
  const one = await s.api('GET', `/api/v1/lines/${railway.id}`, { token: gw });
  assert.equal(one.status, 200);
  assert.deepEqual(one.json.grids.map((g) => g.code), mine.map((g) => g.code), 'only the crossed grids inside its scope');
});

test('a grid worker whose grid the railway does not cross cannot see it', async () => {
  const crossed = new Set(railway.grids.map((g) => g.code.slice(0, -2)));
  // Walk down the tree (GET /areas/{code} lists children) to a grid the railway misses.
  const children = async (code) => (await s.api('GET', `/api/v1/areas/${code}`, { token: admin })).json.children;
  let grid = null;
  for (const town of await children('411624')) {
    for (const village of await children(town.code)) {
      grid = (await children(village.code)).find((g) => !crossed.has(g.code));
      if (grid) break;
    }
    if (grid) break;
  }
  assert.ok(grid, 'a grid the railway does not cross');
  const gw = await s.login(`g${grid.code}`);
  assert.equal((await s.api('GET', '/api/v1/lines', { token: gw })).json.total, 0);
  const one = await s.api('GET', `/api/v1/lines/${railway.id}`, { token: gw });
  assert.equal(one.status, 404, 'the same answer as for a line that does not exist');
  assert.equal((await s.api('GET', '/api/v1/lines/999999', { token: admin })).status, 404);
  assert.equal((await s.api('GET', `/api/v1/lines?area=${railway.grids[0].code}`, { token: gw })).status, 404);
});

test('registering a line: validated, cut by the grids, and only inside the scope of the account', async () => {
  const body = (over = {}) => ({ name: '220kV 槐店线', kind: 'power', unit_name: '国网沈丘县供电公司', hazard_level: 'medium', geometry: railway.geometry, ...over });
  const cases = [
    [body({ kind: 'canal' }), 'invalid_kind', 'kind'],
    [body({ hazard_level: 'severe' }), 'invalid_hazard_level', 'hazard_level'],
    [body({ geometry: undefined }), 'missing_field', 'geometry'],
    [body({ unit_name: undefined }), 'missing_field', 'unit_name'],
    [body({ geometry: { type: 'Polygon', coordinates: [] } }), 'unsupported_geometry', 'geometry.type'],
    [body({ geometry: { type: 'LineString', coordinates: [[115.1, 33.3]] } }), 'line_too_short', 'geometry.coordinates'],
    [body({ geometry: { type: 'LineString', coordinates: [[115.1, 33.3], [115.1, 33.3]] } }), 'line_too_short', 'geometry.coordinates'],
    [body({ geometry: { type: 'LineString', coordinates: [[115.1, 33.3], [215.1, 33.3]] } }), 'coordinate_out_of_range', 'geometry.coordinates[1]'],
    [body({ geometry: { type: 'LineString', coordinates: [[115.1, 33.3], ['115.2', 33.3]] } }), 'invalid_coordinate', 'geometry.coordinates[1]'],
    [body({ geometry: { type: 'LineString', coordinates: [[116.3, 39.9], [116.4, 39.9]] } }), 'line_outside_grids', 'geometry'],
    [body({ crs: 'bd09' }), 'invalid_crs', 'crs'],
    [body({ colour: 'red' }), 'unknown_field', 'colour'],
  ];
  for (const [b, code, field] of cases) {
    const r = await s.api('POST', '/api/v1/lines', { token: admin, body: b });
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field, r.text);
  }
  // Half of it outside the county: refused, the length outside named.
  const c = railway.geometry.coordinates;
  const out = await s.api('POST', '/api/v1/lines', { token: admin, body: body({ geometry: { type: 'LineString', coordinates: [c[0], [c[0][0] - 0.3, c[0][1]]] } }) });
  assert.equal(out.json.error.code, 'line_outside_grids', out.text);
  assert.match(out.json.error.message, /米不在任何网格内/);

  const ok = await s.api('POST', '/api/v1/lines', { token: admin, body: body() });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.kind_name, '电力线路');
  assert.equal(ok.json.grids.length, railway.grids.length, 'the same course crosses the same grids');
  assert.equal((await s.api('GET', '/api/v1/lines', { token: admin })).json.total, 2);

  // A township administrator registers inside the township only.
  const micro = railway.grids[0].code;
  const town = micro.slice(0, 9);
  const acct = await s.api('POST', '/api/v1/accounts', { token: admin, body: { username: 'townlines', name: '乡镇护路办', role: 'admin', area: town, password: TOWN_PASSWORD } });
  assert.equal(acct.status, 201, acct.text);
  const townAdmin = await s.login('townlines', TOWN_PASSWORD);
  const far = await s.api('POST', '/api/v1/lines', { token: townAdmin, body: body({ name: '跨乡线路' }) });
  assert.equal(far.status, 403, far.text);
  assert.equal(far.json.error.code, 'line_outside_scope');
  const map = await s.api('GET', `/api/v1/areas/${micro.slice(0, -2)}/map`, { token: townAdmin });
  const [a, b] = map.json.features.map((f) => f.properties.label);
  const near = await s.api('POST', '/api/v1/lines', { token: townAdmin, body: body({ name: '村道', kind: 'road', geometry: { type: 'LineString', coordinates: [a, b] } }) });
  assert.equal(near.status, 201, near.text);
  assert.ok(near.json.area.code.startsWith(town), 'it belongs to an area of the township');

  // Roles without the right to register lines.
  const gw = await s.login(workerOf(micro));
  assert.equal((await s.api('POST', '/api/v1/lines', { token: gw, body: body() })).status, 403);
  assert.equal((await s.api('POST', '/api/v1/lines', { body: body() })).status, 401);
});
