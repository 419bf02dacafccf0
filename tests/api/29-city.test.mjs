// The demo at city scale (pingan demo --scale city), built small: one county
// of 周口市 with a few thousand residents and events. Its shape is checked
// against the shipped division file and county polygons read here, its
// residents against the sealing rules, its counters against the raw events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, run, tempDir, startServer, assertCleanExit, checkedApi } from '../lib/server.mjs';

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();
const rows = (db, q) => sql(db, q).split('\n').filter(Boolean).map((l) => l.split('|'));
const LEVELS = 'city=市,county=县,township=乡镇,village=村社区,grid=网格,microgrid=微网格';
const PEOPLE = 6000;
const EVENTS = 3000;

// The shipped reference data, read independently of the binary.
const tsv = readFileSync(join(ROOT, 'data', 'zhoukou-divisions.tsv'), 'utf8').trim().split('\n').slice(1)
  .map((l) => { const [code, parent, level, name] = l.split('\t'); return { code, parent, level, name }; });
const geo = JSON.parse(readFileSync(join(ROOT, 'data', 'zhoukou-counties.geojson'), 'utf8'));
const withPolygon = new Set(geo.features.map((f) => f.properties.code));
// The first county (in code order) that has a polygon: what --counties 1 builds.
const COUNTY = tsv.filter((d) => d.level === 'county' && withPolygon.has(d.code))[0];
const under = (code) => tsv.filter((d) => d.code.startsWith(code) && d.code !== code);

let s, ok, db, dir, admin;

before(async () => {
  dir = tempDir();
  db = join(dir, 'city.db');
  const r = run(['demo', '--scale', 'city', '--db', db, '--counties', '1', '--people', String(PEOPLE),
    '--events', String(EVENTS)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /phase residents/);
  s = await startServer({ db, env: { PINGAN_AREA_LEVELS: LEVELS } });
  ok = checkedApi(assert, s);
  admin = await s.login('admin');
});

after(async () => {
  if (s) assertCleanExit(assert, await s.stop());
});

test('the unit without a polygon is the one the data notes name, and it is left out', () => {
  const counties = tsv.filter((d) => d.level === 'county');
  assert.equal(counties.length, 11);
  assert.deepEqual(counties.filter((c) => !withPolygon.has(c.code)).map((c) => c.code), ['411671']);
  assert.equal(sql(db, "SELECT count(*) FROM area WHERE code LIKE '411671%'"), '0');
});

test('the tree is the shipped divisions of the county under the city, with grids and micro-grids below', async () => {
  const city = await ok('GET', '/api/v1/areas/4116', admin);
  assert.equal(city.name, '周口市');
  assert.equal(city.level, 'city');
  assert.deepEqual(city.children.map((c) => [c.code, c.name]), [[COUNTY.code, COUNTY.name]]);
  const county = await ok('GET', `/api/v1/areas/${COUNTY.code}`, admin);
  const towns = under(COUNTY.code).filter((d) => d.level === 'township');
  assert.deepEqual(county.children.map((c) => [c.code, c.name]).sort(), towns.map((t) => [t.code, t.name]).sort());
  // Every village of the file, with its exact name and parent, and nothing else.
  const villages = under(COUNTY.code).filter((d) => d.level === 'village');
  const got = rows(db, "SELECT v.code, v.name, p.code FROM area v JOIN area p ON p.id = v.parent_id WHERE v.level = 'village' ORDER BY v.code");
  assert.deepEqual(got, villages.map((v) => [v.code, v.name, v.parent]).sort((a, b) => a[0].localeCompare(b[0])));
  // At least one grid per village and three micro-grids per grid, codes under their parents.
  const perVillage = rows(db, "SELECT p.code, count(*) FROM area g JOIN area p ON p.id = g.parent_id WHERE g.level = 'grid' GROUP BY p.code");
  assert.equal(perVillage.length, villages.length);
  assert.ok(perVillage.every(([, n]) => Number(n) >= 1));
  const perGrid = rows(db, "SELECT g.code, count(*), min(substr(m.code, 1, length(g.code)) = g.code) FROM area m JOIN area g ON g.id = m.parent_id WHERE m.level = 'microgrid' GROUP BY g.code");
  assert.equal(perGrid.length, Number(sql(db, "SELECT count(*) FROM area WHERE level = 'grid'")));
  assert.ok(perGrid.every(([, n, under_]) => Number(n) >= 3 && under_ === '1'));
  // Every area has a boundary, inside its county's polygon's box.
  assert.equal(sql(db, 'SELECT count(*) FROM area WHERE boundary IS NULL'), '0');
  const ring = geo.features.find((f) => f.properties.code === COUNTY.code).geometry.coordinates.flat(2);
  const [minx, maxx] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
  const [miny, maxy] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
  const box = sql(db, "SELECT min(min_lng), max(max_lng), min(min_lat), max(max_lat) FROM area WHERE level = 'microgrid'").split('|').map(Number);
  // Stored WGS-84, the file GCJ-02: an offset of well under 0.01°.
  assert.ok(Math.abs(box[0] - minx) < 0.01 && Math.abs(box[1] - maxx) < 0.01, `${box} vs ${minx}..${maxx}`);
  assert.ok(Math.abs(box[2] - miny) < 0.01 && Math.abs(box[3] - maxy) < 0.01, `${box} vs ${miny}..${maxy}`);
  // A point in a micro-grid is located to it.
  const [lng, lat] = sql(db, "SELECT label_lng, label_lat FROM area WHERE level = 'microgrid' ORDER BY code LIMIT 1 OFFSET 7").split('|').map(Number);
  const code = sql(db, "SELECT code FROM area WHERE level = 'microgrid' ORDER BY code LIMIT 1 OFFSET 7");
  const at = await ok('GET', `/api/v1/areas/locate?lng=${lng}&lat=${lat}`, admin);
  assert.equal(at.area.code, code);
});

test('accounts: the city roles at the city, a dispatcher per county, a grid worker per grid', async () => {
  const disp = await s.login('dispatcher');
  const me = await ok('GET', '/api/v1/auth/me', disp);
  assert.equal(me.account.area.code, '4116');
  const d = await s.login(`d${COUNTY.code}`);
  assert.equal((await ok('GET', '/api/v1/auth/me', d)).account.area.code, COUNTY.code);
  const grids = Number(sql(db, "SELECT count(*) FROM area WHERE level = 'grid'"));
  assert.equal(sql(db, "SELECT count(*) FROM account a JOIN area g ON g.id = a.area_id WHERE a.role = 'grid_worker' AND g.level = 'grid' AND a.username = 'g' || g.code"), String(grids));
});

test('residents are sealed like real ones, searchable, and the bulk path left the indexes a new database has', async () => {
  assert.equal(sql(db, 'SELECT count(*) FROM person'), String(PEOPLE));
  assert.equal(sql(db, 'SELECT count(*) FROM person WHERE id_enc IS NULL OR id_bidx IS NULL OR id_mask NOT LIKE \'%*%\''), '0');
  // The schema the migrations give a new database.
  const fresh = join(tempDir(), 'fresh.db');
  assert.equal(run(['user', 'list', '--db', fresh]).status, 0);
  const shape = (f) => sql(f, "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE tbl_name IN ('person', 'person_fts') AND sql IS NOT NULL ORDER BY name");
  assert.equal(shape(db), shape(fresh));
  assert.match(shape(db), /person_fts_insert/);
  // The full-text index holds every resident: a name and an address find
  // exactly the rows that contain them.
  const [pid, name, addr] = sql(db, 'SELECT id, name, current_address FROM person WHERE length(name) = 3 ORDER BY id LIMIT 1 OFFSET 100').split('|');
  const esc = (t) => t.replace(/'/g, "''");
  for (const q of [name, addr]) {
    const found = await ok('GET', `/api/v1/people?q=${encodeURIComponent(q)}`, admin);
    assert.equal(found.total, Number(sql(db, `SELECT count(*) FROM person WHERE instr(name, '${esc(q)}') > 0 OR instr(current_address, '${esc(q)}') > 0`)), q);
    if (q === name) assert.ok(found.items.some((p) => String(p.id) === pid), q);
  }
  // A revealed ID number: valid check digit, a 周口 region, and not in the file as text.
  const r = await ok('POST', `/api/v1/people/${pid}/reveal`, admin, { reason: '核对演示数据' });
  const id = r.id_number;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...id.slice(0, 17)].reduce((t, c, i) => t + Number(c) * w[i], 0);
  assert.equal(id[17], '10X98765432'[sum % 11]);
  assert.ok(withPolygon.has(id.slice(0, 6)), id);
  assert.equal(readFileSync(db).includes(Buffer.from(id)), false, 'the ID number is not stored in clear');
});

test('the counters follow the events: a year of them, the city, the county and a township', async () => {
  assert.equal(sql(db, 'SELECT count(*) FROM event'), String(EVENTS));
  // Months of the report in Asia/Shanghai, counted here from the raw rows.
  const months = rows(db, "SELECT strftime('%Y-%m', created_ms / 1000 + 8 * 3600, 'unixepoch'), area_path FROM event");
  const from = months.map((m) => m[0]).sort()[0];
  const to = months.map((m) => m[0]).sort().at(-1);
  const leader = await s.login('leader');
  const city = await ok('GET', `/api/v1/stats/events?area=4116&from=${from}&to=${to}&by=child,status`, leader);
  assert.equal(city.totals.reported, EVENTS, JSON.stringify(city.totals));
  assert.deepEqual(city.by.child.map((c) => [c.key, c.reported]), [[COUNTY.code, EVENTS]]);
  const byStatus = Object.fromEntries(rows(db, 'SELECT status, count(*) FROM event GROUP BY status').map(([k, n]) => [k, Number(n)]));
  assert.deepEqual(Object.fromEntries(city.by.status.map((x) => [x.key, x.reported])), byStatus);
  const town = sql(db, "SELECT code FROM area WHERE level = 'township' ORDER BY code LIMIT 1");
  const townPath = sql(db, `SELECT path FROM area WHERE code = '${town}'`);
  const t = await ok('GET', `/api/v1/stats/events?area=${town}&from=${from}&to=${to}`, leader);
  assert.equal(t.totals.reported, months.filter((m) => m[1].startsWith(townPath)).length);
});

test('bad knobs are refused with the flag named, and a database is never built twice', () => {
  const fresh = join(tempDir(), 'x.db');
  for (const [args, re] of [[['--counties', '0'], /--counties/], [['--counties', '11'], /--counties/],
    [['--people', '-1'], /--people/], [['--events', 'many'], /--events/]]) {
    const r = run(['demo', '--scale', 'city', '--db', fresh, ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re);
  }
  const scale = run(['demo', '--scale', 'province', '--db', fresh]);
  assert.equal(scale.status, 2);
  assert.match(scale.stderr, /--scale/);
  const twice = run(['demo', '--scale', 'city', '--db', db, '--counties', '1', '--people', '0', '--events', '0'],
    { env: { PINGAN_AREA_LEVELS: LEVELS } });
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /already holds/);
});
