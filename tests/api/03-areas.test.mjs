// The area tree: browse, search, create, rename, move, retire, staff — and
// scope: nobody sees or changes anything outside their subtree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, admin, townAdmin;
const GRID_A = '411624001200001'; // 东城街道 于庄村 grid 1
const GRID_B = '411624002200001'; // 北城街道 张庄村 grid 1
const TOWN = '411624001';
const OTHER_TOWN = '411624002';

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  const r = await s.api('POST', '/api/v1/accounts', {
    token: admin,
    body: { username: 'town1admin', name: '东城街道管理员', role: 'admin', area: TOWN, password: 'Town@Admin2026' },
  });
  assert.equal(r.status, 201, r.text);
  townAdmin = await s.login('town1admin', 'Town@Admin2026');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

test('the county has its 22 townships with workers and counts', async () => {
  const r = await s.api('GET', '/api/v1/areas/411624', { token: admin });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, '沈丘县');
  assert.equal(r.json.level, 'county');
  assert.equal(r.json.children.length, 22);
  assert.deepEqual(r.json.ancestors, []);
  const town = r.json.children.find((c) => c.code === TOWN);
  assert.equal(town.name, '东城街道');
  assert.equal(town.child_count, 23);
  const levels = await s.api('GET', '/api/v1/levels', { token: admin });
  assert.deepEqual(levels.json.items.map((l) => l.key), ['county', 'township', 'village', 'grid', 'microgrid']);
});

test('a grid shows its worker, breadcrumbs and micro-grids', async () => {
  const r = await s.api('GET', `/api/v1/areas/${GRID_A}`, { token: admin });
  assert.equal(r.status, 200);
  assert.equal(r.json.level, 'grid');
  assert.deepEqual(r.json.ancestors.map((a) => a.code), ['411624', TOWN, '411624001200']);
  assert.equal(r.json.parent, '411624001200');
  assert.equal(r.json.workers.length, 1);
  assert.equal(r.json.workers[0].username, `g${GRID_A}`);
  assert.ok(r.json.children.length >= 3);
  assert.ok(r.json.children.every((c) => c.level === 'microgrid' && c.code.startsWith(GRID_A)));
  assert.ok(r.json.children.every((c) => c.workers.length === 1), 'every micro-grid has its worker');
});

test('a grid worker sees its grid and nothing else (404, not 403)', async () => {
  const gw = await s.login(`g${GRID_A}`);
  const own = await s.api('GET', `/api/v1/areas/${GRID_A}`, { token: gw });
  assert.equal(own.status, 200);
  assert.deepEqual(own.json.ancestors, [], 'ancestors are clipped to the scope');
  assert.equal(own.json.parent, null);
  for (const code of [GRID_B, '411624', TOWN, '411624001200', 'no-such-area']) {
    const r = await s.api('GET', `/api/v1/areas/${code}`, { token: gw });
    assert.equal(r.status, 404, code);
    assert.equal(r.json.error.code, 'not_found');
  }
  const roots = await s.api('GET', '/api/v1/areas', { token: gw });
  assert.deepEqual(roots.json.items.map((a) => a.code), [GRID_A]);
  const found = await s.api('GET', `/api/v1/areas?q=${encodeURIComponent('微网格')}&limit=200`, { token: gw });
  assert.ok(found.json.items.length >= 3);
  assert.ok(found.json.items.every((a) => a.code.startsWith(GRID_A)), 'search stays inside the scope');
  const other = await s.api('GET', `/api/v1/areas?q=${GRID_B}`, { token: gw });
  assert.deepEqual(other.json.items, []);
  const micro = own.json.children[0].code;
  const m = await s.api('GET', `/api/v1/areas/${micro}`, { token: gw });
  assert.deepEqual(m.json.ancestors.map((a) => a.code), [GRID_A]);
  const w = await s.api('POST', `/api/v1/areas/${GRID_A}/children`, { token: gw, body: { code: `${GRID_A}99`, name: 'x', level: 'microgrid' } });
  assert.equal(w.status, 403);
  assert.equal(w.json.error.code, 'forbidden');
});

test('search by name and by code prefix', async () => {
  const byName = await s.api('GET', `/api/v1/areas?q=${encodeURIComponent('于庄')}`, { token: admin });
  assert.ok(byName.json.items.some((a) => a.code === '411624001200'));
  const byCode = await s.api('GET', '/api/v1/areas?q=411624001200&limit=5', { token: admin });
  assert.equal(byCode.json.items[0].code, '411624001200');
  assert.equal(byCode.json.items.length, 5);
  const bad = await s.api('GET', '/api/v1/areas?q=x&limit=0', { token: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_query');
  assert.equal(bad.json.error.field, 'limit');
});

test('creating an area validates every field and writes nothing on error', async () => {
  const v = '411624001200';
  const post = (body, parent = v, token = admin) => s.api('POST', `/api/v1/areas/${parent}/children`, { token, body });
  const cases = [
    [{ name: '新网格', level: 'grid' }, 400, 'missing_field', 'code'],
    [{ code: `${v}901`, level: 'grid' }, 400, 'missing_field', 'name'],
    [{ code: `${v}901`, name: '新网格', level: 'planet' }, 400, 'unknown_level', 'level'],
    [{ code: `${v}901`, name: '新网格', level: 'township' }, 400, 'level_not_below_parent', 'level'],
    [{ code: '411624002200901', name: '新网格', level: 'grid' }, 400, 'code_not_under_parent', 'code'],
    [{ code: `${v}001`, name: '新网格', level: 'grid' }, 409, 'code_exists', 'code'],
    [{ code: `${v}901`, name: '新网格', level: 'grid', valid_from: '2026-02-30' }, 400, 'invalid_date', 'valid_from'],
    [{ code: `${v} 901`, name: '新网格', level: 'grid' }, 400, 'invalid_code', 'code'],
    [{ code: `${v}901`, name: '网'.repeat(65), level: 'grid' }, 400, 'too_long', 'name'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await post(body);
    assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
  assert.equal((await s.api('GET', `/api/v1/areas/${v}901`, { token: admin })).status, 404, 'nothing was written');
  const ok = await post({ code: `${v}901`, name: '于庄村新建网格', level: 'grid', valid_from: '2026-01-01' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.valid_from, '2026-01-01');
  assert.deepEqual(ok.json.ancestors.map((a) => a.code), ['411624', TOWN, v]);
});

test('rename, move (with its subtree) and the rules of moving', async () => {
  const g = '411624001200002';
  const ren = await s.api('PATCH', `/api/v1/areas/${g}`, { token: admin, body: { name: '于庄村二网格' } });
  assert.equal(ren.status, 200, ren.text);
  assert.equal(ren.json.name, '于庄村二网格');
  const target = '411624001201'; // 阙庄村, same township
  const mv = await s.api('PATCH', `/api/v1/areas/${g}`, { token: admin, body: { parent: target } });
  assert.equal(mv.status, 200, mv.text);
  assert.equal(mv.json.parent, target);
  const micro = mv.json.children[0].code;
  const m = await s.api('GET', `/api/v1/areas/${micro}`, { token: admin });
  assert.deepEqual(m.json.ancestors.map((a) => a.code), ['411624', TOWN, target, g], 'the subtree moved too');
  const into = await s.api('PATCH', `/api/v1/areas/${g}`, { token: admin, body: { parent: micro } });
  assert.equal(into.status, 400);
  assert.equal(into.json.error.code, 'move_into_own_subtree');
  const up = await s.api('PATCH', `/api/v1/areas/${g}`, { token: admin, body: { parent: '411624001205001' } });
  assert.equal(up.json.error.code, 'level_not_below_parent');
  const empty = await s.api('PATCH', `/api/v1/areas/${g}`, { token: admin, body: {} });
  assert.equal(empty.json.error.code, 'empty_update');
  // The grid worker of the moved grid still sees it (scope follows the tree).
  const gw = await s.login(`g${g}`);
  assert.equal((await s.api('GET', `/api/v1/areas/${micro}`, { token: gw })).status, 200);
});

test('retire keeps history and refuses areas with active children', async () => {
  const grid = '411624001203001';
  const busy = await s.api('POST', `/api/v1/areas/${grid}/retire`, { token: admin });
  assert.equal(busy.status, 409);
  assert.equal(busy.json.error.code, 'area_has_active_children');
  const micro = (await s.api('GET', `/api/v1/areas/${grid}`, { token: admin })).json.children[0].code;
  const r = await s.api('POST', `/api/v1/areas/${micro}/retire`, { token: admin, body: { reason: '合并到相邻微网格' } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.retired_at, /^\d{4}-\d\d-\d\dT/);
  const again = await s.api('POST', `/api/v1/areas/${micro}/retire`, { token: admin });
  assert.equal(again.json.error.code, 'area_retired');
  const still = await s.api('GET', `/api/v1/areas/${micro}`, { token: admin });
  assert.equal(still.status, 200, 'a retired area keeps its record');
  const child = await s.api('POST', `/api/v1/areas/${micro}/children`, { token: admin, body: { code: `${micro}1`, name: 'x', level: 'microgrid' } });
  assert.equal(child.status, 409);
  const ren = await s.api('PATCH', `/api/v1/areas/${micro}`, { token: admin, body: { name: '改名' } });
  assert.equal(ren.json.error.code, 'area_retired');
});

test('a township admin works only inside its township', async () => {
  const mine = await s.api('POST', `/api/v1/areas/411624001201/children`, { token: townAdmin, body: { code: '411624001201950', name: '阙庄村新网格', level: 'grid' } });
  assert.equal(mine.status, 201, mine.text);
  const theirs = await s.api('POST', `/api/v1/areas/411624002200/children`, { token: townAdmin, body: { code: '411624002200950', name: 'x', level: 'grid' } });
  assert.equal(theirs.status, 404);
  const county = await s.api('GET', '/api/v1/areas/411624', { token: townAdmin });
  assert.equal(county.status, 404);
  const moveOut = await s.api('PATCH', '/api/v1/areas/411624001201950', { token: townAdmin, body: { parent: '411624002200' } });
  assert.equal(moveOut.status, 404);
  assert.equal(moveOut.json.error.field, 'parent');
  assert.equal((await s.api('GET', '/api/v1/areas/411624001201950', { token: admin })).json.parent, '411624001201', 'not moved');
  const list = await s.api('GET', '/api/v1/areas', { token: townAdmin });
  assert.deepEqual(list.json.items.map((a) => a.code), [TOWN]);
  const search = await s.api('GET', `/api/v1/areas?q=${encodeURIComponent('张庄')}`, { token: townAdmin });
  assert.ok(search.json.items.every((a) => a.code.startsWith(TOWN)));
});

test('staff: workers and a leader, with accounts only from inside the scope', async () => {
  const grid = '411624001204001';
  const ok = await s.api('PUT', `/api/v1/areas/${grid}/staff`, {
    token: townAdmin,
    body: { workers: [{ name: '王小明', username: `g${grid}` }, { name: '李兼职' }], leader: { name: '赵网格长' } },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.workers.map((w) => w.name), ['王小明', '李兼职']);
  assert.equal(ok.json.leader.name, '赵网格长');
  const outside = await s.api('PUT', `/api/v1/areas/${grid}/staff`, {
    token: townAdmin, body: { workers: [{ name: '外人', username: `g${GRID_B}` }] },
  });
  assert.equal(outside.status, 400);
  assert.equal(outside.json.error.code, 'unknown_account');
  assert.equal(outside.json.error.field, 'workers[0]');
  const kept = await s.api('GET', `/api/v1/areas/${grid}`, { token: admin });
  assert.equal(kept.json.workers.length, 2, 'the failed update changed nothing');
  const bad = await s.api('PUT', `/api/v1/areas/${grid}/staff`, { token: townAdmin, body: { workers: 'x' } });
  assert.equal(bad.json.error.field, 'workers');
});

test('a cached area page never outlives a change, by the server or by another process', async () => {
  const code = '411624001206001';
  const first = await s.api('GET', `/api/v1/areas/${code}`, { token: admin });
  const again = await s.api('GET', `/api/v1/areas/${code}`, { token: admin });
  assert.equal(again.text, first.text);
  // Another connection (the sqlite3 command line) renames the grid and its first micro-grid.
  const micro = first.json.children[0].code;
  execFileSync('sqlite3', [s.db, `UPDATE area SET name = '外部改名' WHERE code IN ('${code}', '${micro}')`]);
  const seen = await s.api('GET', `/api/v1/areas/${code}`, { token: admin });
  assert.equal(seen.json.name, '外部改名');
  assert.equal(seen.json.children[0].name, '外部改名');
  // A change through the API (staff of a child) shows on the parent's page at once.
  await s.api('PUT', `/api/v1/areas/${micro}/staff`, { token: admin, body: { workers: [{ name: '新来的微网格员' }] } });
  const after = await s.api('GET', `/api/v1/areas/${code}`, { token: admin });
  assert.deepEqual(after.json.children[0].workers.map((w) => w.name), ['新来的微网格员']);
  // The same area seen from a narrower scope has its own breadcrumbs.
  const town = await s.api('GET', `/api/v1/areas/${code}`, { token: townAdmin });
  assert.deepEqual(town.json.ancestors.map((a) => a.code), [TOWN, '411624001206']);
});
