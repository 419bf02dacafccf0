// import grids / check-grids / export grids on the command line: a whole new
// county tree, a failing import that writes nothing, GCJ-02 in and out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { run, tempDir, makeDemoDb } from '../lib/server.mjs';

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
const rect = (x0, y0, x1, y1) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
const feature = (code, name, level, parent, geometry) => ({ type: 'Feature', properties: { code, name, level, ...(parent ? { parent } : {}) }, geometry });

function county(eastStart = 115.6) {
  return {
    type: 'FeatureCollection',
    features: [
      feature('999999', '测试县', 'county', null, rect(115.5, 33.5, 115.7, 33.7)),
      feature('999999001', '西镇', 'township', '999999', rect(115.5, 33.5, 115.6, 33.7)),
      feature('999999002', '东镇', 'township', '999999', rect(eastStart, 33.5, 115.7, 33.7)),
    ],
  };
}

test('a new county tree is imported and tiles', () => {
  const dir = tempDir();
  const db = join(dir, 'p.db');
  const file = join(dir, 'county.geojson');
  writeFileSync(file, JSON.stringify(county()));
  const r = run(['import', 'grids', '--db', db, file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 area\(s\) created, 0 updated/);
  const check = run(['check-grids', '--db', db]);
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /3 areas tile without gaps or overlaps/);
  // Re-importing the same file updates, and stays valid.
  const again = run(['import', 'grids', '--db', db, file]);
  assert.match(again.stdout, /0 area\(s\) created, 3 updated/);
});

test('overlaps and gaps are listed with codes and m², and nothing is written', () => {
  for (const [east, kind] of [[115.58, 'siblings_overlap'], [115.62, 'gap_in_parent']]) {
    const dir = tempDir();
    const db = join(dir, 'p.db');
    const file = join(dir, 'bad.geojson');
    writeFileSync(file, JSON.stringify(county(east)));
    const r = run(['import', 'grids', '--db', db, file]);
    assert.equal(r.status, 1, kind);
    assert.match(r.stderr, /nothing was written/);
    assert.match(r.stderr, new RegExp(kind));
    // 0.02° × 0.2° near 33.6° N ≈ 1.85 km × 22.2 km ≈ 41 km²
    const m2 = Number(r.stderr.match(new RegExp(`${kind}\\s+\\S+\\s+(?:\\S+\\s+)?([0-9.]+) m²`))[1]);
    assert.ok(m2 > 3.5e7 && m2 < 4.7e7, `${kind} area ${m2}`);
    assert.equal(sql(db, 'SELECT count(*) FROM area'), '0', 'nothing written');
  }
  const dir = tempDir();
  const file = join(dir, 'open.geojson');
  const open = county();
  open.features[1].geometry.coordinates[0].pop();
  writeFileSync(file, JSON.stringify(open));
  const r = run(['import', 'grids', '--db', join(dir, 'p.db'), file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /features\[1\]\.geometry/);
});

test('GCJ-02 in, WGS-84 stored, GCJ-02 out again', () => {
  const dir = tempDir();
  const db = join(dir, 'p.db');
  const file = join(dir, 'county.geojson');
  writeFileSync(file, JSON.stringify(county()));
  assert.equal(run(['import', 'grids', '--db', db, '--crs', 'gcj02', file]).status, 0);
  const wgs = JSON.parse(run(['export', 'grids', '--db', db, '--code', '999999']).stdout);
  const [x, y] = wgs.features[0].geometry.coordinates[0][0];
  assert.ok(Math.abs(x - 115.5) > 0.003 && Math.abs(y - 33.5) > 0.0005, `stored as WGS-84: ${x},${y}`);
  const out = join(dir, 'back.geojson');
  assert.equal(run(['export', 'grids', '--db', db, '--code', '999999', '--crs', 'gcj02', '--out', out]).status, 0);
  const back = JSON.parse(readFileSync(out, 'utf8'));
  const [bx, by] = back.features[0].geometry.coordinates[0][0];
  assert.ok(Math.abs(bx - 115.5) < 1e-6 && Math.abs(by - 33.5) < 1e-6, `round trip: ${bx},${by}`);
  assert.deepEqual(back.features.map((f) => f.properties.code), ['999999', '999999001', '999999002']);
  const bad = run(['export', 'grids', '--db', db, '--code', '999999', '--crs', 'mars']);
  assert.equal(bad.status, 2);
});

test('the demo county tiles at every level', () => {
  const { db } = makeDemoDb();
  const r = run(['check-grids', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /12608 areas tile/);
  assert.equal(sql(db, 'SELECT count(*) FROM area WHERE boundary IS NULL'), '0');
});
