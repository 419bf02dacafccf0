// Geography: boundaries on the demo tree, point location, the map view,
// export in both coordinate systems, import with the tiling check — and
// scope on all of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, admin, townAdmin, gw;
const TOWN = '411624001';
const GRID = '411624001200001';

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  const r = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'town1', name: '东城管理员', role: 'admin', area: TOWN, password: 'Town@Admin2026' },
  });
  assert.equal(r.status, 201, r.text);
  townAdmin = await s.login('town1', 'Town@Admin2026');
  gw = await s.login(`g${GRID}`);
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const map = (code, token = admin, zoom = 10) => s.api('GET', `/api/v1/areas/${code}/map?zoom=${zoom}`, { token });
const locate = (lng, lat, token = admin) => s.api('GET', `/api/v1/areas/locate?lng=${lng}&lat=${lat}`, { token });

test('the demo county has a boundary at every level, inside 沈丘县', async () => {
  const r = await map('411624', admin, 9);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.type, 'FeatureCollection');
  assert.equal(r.json.features.length, 22);
  const [minLng, minLat, maxLng, maxLat] = r.json.bbox;
  assert.ok(minLng > 114.9 && maxLng < 115.5 && minLat > 33.0 && maxLat < 33.6, JSON.stringify(r.json.bbox));
  for (const f of r.json.features) {
    assert.ok(['Polygon', 'MultiPolygon'].includes(f.geometry.type));
    assert.equal(f.properties.level, 'township');
    assert.equal(f.properties.label.length, 2);
  }
  const grid = await map(GRID);
  assert.ok(grid.json.features.length >= 3);
  assert.ok(grid.json.features.every((f) => f.geometry && f.properties.workers.length === 1));
  const bad = await s.api('GET', `/api/v1/areas/${GRID}/map?zoom=99`, { token: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'zoom');
});

test('a point is located to its micro-grid with the whole chain', async () => {
  const g = await map(GRID);
  const micro = g.json.features[0];
  const [lng, lat] = micro.properties.label;
  const r = await locate(lng, lat);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.area.code, micro.properties.code);
  assert.deepEqual(r.json.chain.map((a) => a.code), ['411624', TOWN, '411624001200', GRID, micro.properties.code]);
  // Answers come from memory, and a rename reaches them at once.
  const ren = await s.api('PATCH', `/api/v1/areas/${micro.properties.code}`, { token: admin, body: { name: '改名后的微网格' } });
  assert.equal(ren.status, 200);
  assert.equal((await locate(lng, lat)).json.area.name, '改名后的微网格');
  const outside = await locate(116.4, 39.9);
  assert.equal(outside.status, 404);
  assert.equal(outside.json.error.code, 'outside_area');
  for (const [q, field] of [['lng=abc&lat=33.3', 'lng'], ['lng=115.1&lat=', 'lat'], ['lng=200&lat=33.3', 'lng'], ['lat=33.3', 'lng'], ['lng=115.1&lat=95', 'lat']]) {
    const b = await s.api('GET', `/api/v1/areas/locate?${q}`, { token: admin });
    assert.equal(b.status, 400, q);
    assert.equal(b.json.error.code, 'invalid_query', q);
    assert.equal(b.json.error.field, field, q);
  }
});

test('locate, map and export stay inside the caller\'s scope', async () => {
  const own = await map(GRID, gw);
  assert.equal(own.status, 200);
  const [lng, lat] = own.json.features[0].properties.label;
  const mine = await locate(lng, lat, gw);
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.json.chain[0].code, GRID, 'the chain starts at the scope root');
  const other = await map('411624002200001', admin);
  const [olng, olat] = other.json.features[0].properties.label;
  const theirs = await locate(olng, olat, gw);
  assert.equal(theirs.status, 404);
  assert.equal(theirs.json.error.code, 'outside_area');
  assert.equal((await map('411624', gw)).status, 404);
  assert.equal((await s.api('GET', '/api/v1/areas/411624/export', { token: townAdmin })).status, 404);
  const exp = await s.api('GET', `/api/v1/areas/${GRID}/export`, { token: gw });
  assert.equal(exp.status, 200);
  assert.ok(exp.json.features.every((f) => f.properties.code.startsWith(GRID)));
  assert.equal(exp.json.features[0].properties.parent, null, 'the parent above the scope is not named');
  const byAdmin = await s.api('GET', `/api/v1/areas/${GRID}/export`, { token: admin });
  assert.equal(byAdmin.json.features[0].properties.parent, '411624001200');
});

test('export of a subtree in WGS-84 and GCJ-02', async () => {
  const village = '411624001200';
  const w = await s.api('GET', `/api/v1/areas/${village}/export`, { token: admin });
  assert.equal(w.status, 200, w.text);
  const codes = w.json.features.map((f) => f.properties.code);
  assert.equal(codes[0], village);
  assert.ok(codes.some((c) => c.length === 15) && codes.some((c) => c.length === 17), 'grids and micro-grids');
  assert.ok(w.json.features.every((f) => f.properties.parent !== undefined && f.properties.level));
  const g = await s.api('GET', `/api/v1/areas/${village}/export?crs=gcj02`, { token: admin });
  assert.equal(g.status, 200);
  const p1 = w.json.features[0].geometry.coordinates.flat(3);
  const p2 = g.json.features[0].geometry.coordinates.flat(3);
  const dLng = p2[0] - p1[0], dLat = p2[1] - p1[1];
  assert.ok(Math.abs(dLng) > 0.003 && Math.abs(dLng) < 0.01, `GCJ-02 shifts longitude by ~0.005°, got ${dLng}`);
  assert.ok(Math.abs(dLat) > 0.0005 && Math.abs(dLat) < 0.01, `and latitude, got ${dLat}`);
  const bad = await s.api('GET', `/api/v1/areas/${village}/export?crs=mars`, { token: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'crs');
});

test('import checks the tiling before writing anything', async () => {
  // The micro-grids of one grid, exported and re-imported as they are: valid.
  const exp = await s.api('GET', `/api/v1/areas/${GRID}/export`, { token: admin });
  const micros = exp.json.features.filter((f) => f.properties.level === 'microgrid');
  const fc = { type: 'FeatureCollection', features: micros };
  const ok = await s.api('POST', '/api/v1/areas/import', { token: admin, body: fc });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.updated, micros.length);
  assert.equal(ok.json.created, 0);

  // Swap in the grid's own shape for the first micro-grid: it now overlaps all its siblings.
  const gridShape = exp.json.features.find((f) => f.properties.code === GRID).geometry;
  const broken = structuredClone(fc);
  broken.features[0].geometry = gridShape;
  const r = await s.api('POST', '/api/v1/areas/import', { token: admin, body: broken });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'tiling_violations');
  const v = r.json.error.violations;
  assert.ok(v.length >= 1);
  const overlap = v.find((x) => x.kind === 'siblings_overlap');
  assert.ok(overlap, JSON.stringify(v));
  assert.ok(overlap.codes.includes(micros[0].properties.code));
  assert.ok(overlap.area_m2 > 1000);
  // Nothing was written: the export is unchanged.
  const after = await s.api('GET', `/api/v1/areas/${GRID}/export`, { token: admin });
  assert.deepEqual(after.json, exp.json);

  // A ring that is not closed is an input error naming the feature.
  const open = structuredClone(fc);
  open.features[1].geometry = { type: 'Polygon', coordinates: [[[115.1, 33.3], [115.2, 33.3], [115.2, 33.4]]] };
  const r2 = await s.api('POST', '/api/v1/areas/import', { token: admin, body: open });
  assert.equal(r2.status, 400, r2.text);
  assert.match(r2.json.error.field, /^features\[1\]\.geometry/);

  // Not a FeatureCollection.
  const r3 = await s.api('POST', '/api/v1/areas/import', { token: admin, body: { type: 'Feature' } });
  assert.equal(r3.status, 400);
});

test('import: one\'s own outline is set from above; new codes follow the code rules', async () => {
  const exp = await s.api('GET', `/api/v1/areas/${TOWN}/export`, { token: admin });
  const own = { type: 'FeatureCollection', features: [exp.json.features[0]] };
  const r = await s.api('POST', '/api/v1/areas/import', { token: townAdmin, body: own });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'own_scope_root');
  assert.equal(r.json.error.field, 'features[0].properties.code');
  const grid = (await s.api('GET', `/api/v1/areas/${GRID}/export`, { token: admin })).json.features[0];
  const bad = { type: 'FeatureCollection', features: [{ ...grid, properties: { code: 'x y', name: '坏编码', level: 'grid', parent: '411624001200' } }] };
  const r2 = await s.api('POST', '/api/v1/areas/import', { token: admin, body: bad });
  assert.equal(r2.status, 400, r2.text);
  assert.equal(r2.json.error.code, 'invalid_code');
  assert.equal(r2.json.error.field, 'features[0].properties.code');
});

test('import is scoped: a township admin cannot touch another township', async () => {
  const exp = await s.api('GET', '/api/v1/areas/411624002200001/export', { token: admin });
  const fc = { type: 'FeatureCollection', features: exp.json.features.filter((f) => f.properties.level === 'microgrid') };
  const r = await s.api('POST', '/api/v1/areas/import', { token: townAdmin, body: fc });
  assert.equal(r.status, 404, r.text);
  assert.match(r.json.error.field, /^features\[0\]/);
  const gwTry = await s.api('POST', '/api/v1/areas/import', { token: gw, body: fc });
  assert.equal(gwTry.status, 403);
});
