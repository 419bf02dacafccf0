// 考核评价: the components of each ranked subject against what this test
// counts from the raw records it reads (events with their timelines, the
// visits it made), and the score against the documented formula applied by
// the test to those counts with the weights the county set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid, checkedApi, firstGrid } from '../lib/server.mjs';

const COUNTY = '411624';
let s, ok, admin, disp, leader, gwA, gwB, police, townA, townB, gridA, gridB, microA, microB;
const ids = [];

const login = async () => {
  [admin, disp, leader, gwA, gwB, police] = await Promise.all(['admin', 'dispatcher', 'leader', `g${gridA}`, `g${gridB}`, 'handler'].map((u) => s.login(u)));
};
const setClock = async (iso) => {
  await ok('POST', '/api/v1/_test/clock', null, { now_ms: Date.parse(iso) });
  await login();
};
const act = (token, id, action, body = {}) => ok('POST', `/api/v1/events/${id}/actions/${action}`, token, body);
const report = async (token, micro, minor, description) => {
  const e = await ok('POST', '/api/v1/events', token, { source: 'grid_worker', description, minor, area: micro.code });
  ids.push(e.id);
  return e;
};
before(async () => {
  s = await startServer({ demo: true });
  ok = checkedApi(assert, s);
  admin = await s.login('admin');
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, admin);
  [townA, townB] = county.children.filter((c) => c.child_count).slice(0, 2).map((c) => c.code);
  gridA = await firstGrid(assert, s, admin, townA);
  gridB = await firstGrid(assert, s, admin, townB);
  await setClock('2026-10-12T09:00:00+08:00');
  microA = await liveMicroGrid(assert, s, gwA, gridA);
  microB = await liveMicroGrid(assert, s, gwB, gridB);

  const a1 = await report(gwA, microA, '1302', '村口聚集赌博');
  const a2 = await report(gwA, microA, '2902', '楼道乱堆乱放');
  await report(gwA, microA, '2902', '门前堆放秸秆');
  await report(gwB, microB, '2902', '沟边倾倒垃圾');
  // a1: handled, sent back once (核查不通过), handled again, closed, rated 5.
  await act(disp, a1.id, 'register');
  await act(disp, a1.id, 'dispatch');
  await act(police, a1.id, 'accept');
  await act(police, a1.id, 'handle', { note: '已处理' });
  await act(disp, a1.id, 'reopen', { reason: '回访发现仍在聚集' });
  await act(police, a1.id, 'handle', { note: '已取缔' });
  await act(disp, a1.id, 'close');
  await act(gwA, a1.id, 'evaluate', { rating: 5 });
  // a2: solved on the spot by the grid worker, closed, rated 3.
  await act(gwA, a2.id, 'resolve', { note: '已现场清理' });
  await act(disp, a2.id, 'close');
  await act(gwA, a2.id, 'evaluate', { rating: 3 });
  // Two home visits by grid worker A.
  const p = await ok('POST', '/api/v1/people', gwA, { name: '周某某', residence_type: 'registered', area: microA.code });
  await ok('POST', `/api/v1/people/${p.id}/groups`, gwA, { type: 'mental', risk_level: 'low', danger_level: 1 });
  for (const notes of ['按时服药', '情绪平稳']) await ok('POST', '/api/v1/visits', gwA, { person_id: p.id, kind: 'home', notes });
  // Two weeks on, what still waits has gone red.
  await setClock('2026-10-26T09:00:00+08:00');
  await ok('POST', '/api/v1/_test/sweep', null, {});
});
after(async () => { assertCleanExit(assert, await s.stop()); });

async function raw() {
  const out = [];
  for (const id of ids) out.push(await ok('GET', `/api/v1/events/${id}`, disp));
  return out;
}
const OPEN = new Set(['reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended']);
const RESOLVED = new Set(['closed', 'evaluated']);

// The documented formula, applied by the test.
function expectScores(items, components) {
  const max = {};
  for (const c of components) max[c.key] = Math.max(0, ...items.map((x) => (c.unit === 'count' ? x.counts[c.key] : 0)));
  return items.map((x) => {
    let score = 0;
    for (const c of components) {
      const norm = c.unit === 'rate' ? (x.counts[c.key] == null ? 0 : 100 * x.counts[c.key]) : max[c.key] ? (100 * x.counts[c.key]) / max[c.key] : 0;
      score += (c.weight * Math.round(norm * 100) / 100) / 100;
    }
    return { ...x, score: Math.round(score * 100) / 100 };
  });
}

test('townships: every component from the raw records, the score by the formula, the order by score', async () => {
  const events = await raw();
  const r = await ok('GET', `/api/v1/rankings?kind=township&area=${COUNTY}&from=2026-10&to=2026-10`, leader);
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, leader);
  assert.equal(r.total, county.children.filter((c) => !c.retired_at).length, 'every township is ranked');
  assert.deepEqual(r.components.map((c) => c.key), ['reports', 'on_time_rate', 'satisfaction', 'visits', 'verify_fail', 'overdue']);
  const counts = (town) => {
    const mine = events.filter((e) => e.area.code.startsWith(town));
    const resolved = mine.filter((e) => RESOLVED.has(e.status));
    const rated = mine.filter((e) => e.rating != null);
    return {
      reports: mine.length,
      on_time_rate: resolved.length ? resolved.filter((e) => !e.timeline.some((t) => t.action === 'escalate')).length / resolved.length : null,
      satisfaction: rated.length ? rated.filter((e) => e.rating >= 4).length / rated.length : null,
      visits: town === townA ? 2 : 0,
      verify_fail: mine.reduce((n, e) => n + e.timeline.filter((t) => t.action === 'reopen').length, 0),
      overdue: mine.filter((e) => OPEN.has(e.status) && e.light === 'red').length,
    };
  };
  const want = expectScores(r.items.map((x) => ({ code: x.subject.code, counts: counts(x.subject.code) })), r.components);
  for (const w of want) {
    const got = r.items.find((x) => x.subject.code === w.code);
    for (const [k, v] of Object.entries(w.counts)) assert.equal(got.components[k].value, v == null ? null : Math.round(v * 1e4) / 1e4, `${w.code} ${k}`);
    assert.equal(got.score, w.score, w.code);
  }
  const a = r.items.find((x) => x.subject.code === townA), b = r.items.find((x) => x.subject.code === townB);
  assert.equal(a.components.overdue.value, 1, 'A: its third report waits, red');
  assert.equal(b.components.overdue.value, 1);
  assert.ok(r.items.every((x, i) => i === 0 || x.score <= r.items[i - 1].score), 'best first');
  assert.ok(r.items.every((x, i) => x.rank === (i && x.score === r.items[i - 1].score ? r.items[i - 1].rank : i + 1)), 'ties share a rank');
  assert.equal(r.items[0].subject.code, townA, 'the township that worked ranks first');
});

test('grid workers: their own reports and visits; departments: the events they lead', async () => {
  const events = await raw();
  const g = await ok('GET', `/api/v1/rankings?kind=grid_worker&area=${townA}&from=2026-10&to=2026-10`, leader);
  const mine = g.items.find((x) => x.subject.username === `g${gridA}`);
  assert.equal(mine.rank, 1);
  assert.equal(mine.components.reports.value, events.filter((e) => e.area.code.startsWith(gridA)).length);
  assert.equal(mine.components.visits.value, 2);
  assert.equal(mine.components.verify_fail.value, 1);
  assert.equal(mine.components.satisfaction.value, 0.5);
  assert.equal(mine.components.satisfaction.of, 2);
  assert.equal(mine.subject.area.code, gridA);
  assert.ok(g.items.every((x) => x.subject.area.code.startsWith(townA)), 'only the township\'s workers');

  const d = await ok('GET', `/api/v1/rankings?kind=department&from=2026-10`, leader);
  const led = events.filter((e) => e.department);
  const police2 = d.items.find((x) => x.subject.name === '公安');
  assert.equal(police2.components.handled.value, led.filter((e) => e.department.name === '公安').length);
  assert.equal(police2.components.verify_fail.value, 1);
  assert.equal(police2.components.on_time_rate.value, 1);
  assert.ok(!('visits' in police2.components), 'departments make no visits');
  // An empty period: nothing to score, every component zero.
  const empty = await ok('GET', `/api/v1/rankings?kind=township&from=2025-01&to=2025-03`, leader);
  assert.ok(empty.items.every((x) => x.components.reports.value === 0 && x.components.visits.value === 0));
});

test('the county sets the weights; the order follows', async () => {
  const rules = await ok('GET', '/api/v1/rankings/rules', leader);
  assert.equal(rules.township.find((c) => c.key === 'visits').weight, 30);
  // Only reports count now.
  const set = await ok('PUT', '/api/v1/rankings/rules', admin, { kind: 'township', weights: { reports: 100, on_time_rate: 0, satisfaction: 0, visits: 0, verify_fail: 0, overdue: 0 } });
  assert.equal(set.township.find((c) => c.key === 'reports').weight, 100);
  const r = await ok('GET', `/api/v1/rankings?kind=township&area=${COUNTY}&from=2026-10`, leader);
  const a = r.items.find((x) => x.subject.code === townA), b = r.items.find((x) => x.subject.code === townB);
  assert.equal(a.score, 100, 'the most reports: 100');
  assert.equal(b.score, Math.round(10000 * (1 / 3)) / 100, 'one report of three');
  for (const [body, code, field] of [
    [{ kind: 'village', weights: { reports: 1 } }, 'invalid_value', 'kind'],
    [{ kind: 'department', weights: { visits: 1 } }, 'unknown_component', 'weights'],
    [{ kind: 'township', weights: { reports: 101 } }, 'out_of_range', 'weights'],
    [{ kind: 'township', weights: { reports: '5' } }, 'out_of_range', 'weights'],
    [{ kind: 'township', weights: {} }, 'invalid_type', 'weights'],
    [{ kind: 'township' }, 'missing_field', 'weights'],
    [{ kind: 'township', weights: { reports: 1 }, extra: 1 }, 'unknown_field', 'extra'],
  ]) {
    const x = await s.api('PUT', '/api/v1/rankings/rules', { token: admin, body });
    assert.deepEqual([x.status, x.json.error.code, x.json.error.field], [400, code, field], JSON.stringify(body));
  }
  assert.equal((await ok('GET', '/api/v1/rankings/rules', leader)).township.find((c) => c.key === 'reports').weight, 100, 'a refused change changes nothing');
  assert.equal((await s.api('PUT', '/api/v1/rankings/rules', { token: leader, body: { kind: 'township', weights: { reports: 1 } } })).status, 403, 'leaders read the formula, admins set it');
});

test('bad queries are named; rankings are scoped', async () => {
  for (const [q, code, field] of [['', 'missing_field', 'kind'], ['kind=village', 'invalid_query', 'kind'], ['kind=township&from=2026-13', 'invalid_month', 'from'], ['kind=township&top=x', 'invalid_query', 'top']]) {
    const r = await s.api('GET', `/api/v1/rankings?${q}`, { token: leader });
    assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [400, code, field], q);
  }
  assert.equal((await s.api('GET', '/api/v1/rankings?kind=township', { token: gwA })).status, 403);
  await ok('POST', '/api/v1/accounts', admin, { username: 'townleader', name: '乡镇领导', role: 'leader', area: townA, password: 'Town@Leader2026' });
  const tl = await s.login('townleader', 'Town@Leader2026');
  const own = await ok('GET', '/api/v1/rankings?kind=grid_worker&from=2026-10', tl);
  assert.ok(own.items.length > 0 && own.items.every((x) => x.subject.area.code.startsWith(townA)));
  const r = await s.api('GET', `/api/v1/rankings?kind=grid_worker&area=${townB}`, { token: tl });
  assert.deepEqual([r.status, r.json.error.code], [404, 'area_not_found']);
});
