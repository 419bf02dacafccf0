// 统计分析: the figures of /api/v1/stats/events against counts this test
// computes itself from the raw event records it reads one by one — never the
// server's counters compared with themselves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid, checkedApi, firstGrid } from '../lib/server.mjs';

const COUNTY = '411624';
let s, ok, admin, disp, leader, gwA, gwB, townA, townB, microA, microB, gridA, gridB;
const ids = [];
const late = new Set();

const setClock = async (iso) => {
  await ok('POST', '/api/v1/_test/clock', null, { now_ms: Date.parse(iso) });
  [admin, disp, leader, gwA, gwB] = await Promise.all(['admin', 'dispatcher', 'leader', `g${gridA}`, `g${gridB}`].map((u) => s.login(u)));
};
const act = (token, id, action, body = {}) => ok('POST', `/api/v1/events/${id}/actions/${action}`, token, body);
const report = async (token, micro, minor, description, source = 'grid_worker') => {
  const e = await ok('POST', '/api/v1/events', token, { source, description, minor, area: micro.code });
  ids.push(e.id);
  return e;
};

// The first grid under the first village of a township.
before(async () => {
  s = await startServer({ demo: true });
  ok = checkedApi(assert, s);
  admin = await s.login('admin');
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, admin);
  [townA, townB] = county.children.filter((c) => c.child_count).slice(0, 2).map((c) => c.code);
  gridA = await firstGrid(assert, s, admin, townA);
  gridB = await firstGrid(assert, s, admin, townB);
  await setClock('2026-10-15T10:00:00+08:00');
  microA = await liveMicroGrid(assert, s, gwA, gridA);
  microB = await liveMicroGrid(assert, s, gwB, gridB);

  // October: four in township A, two in township B.
  const a1 = await report(gwA, microA, '1302', '村口夜间聚集赌博');
  const a2 = await report(gwA, microA, '1302', '网吧门口打架');
  const a3 = await report(gwA, microA, '2902', '路边乱堆建筑垃圾');
  const a4 = await report(gwA, microA, '2902', '楼道堆放杂物');
  const b1 = await report(disp, microB, '1302', '来电反映夜市有人斗殴', 'hotline');
  const b2 = await report(gwB, microB, '2902', '沟渠边堆放秸秆');
  // a1 goes round the loop on time and is rated 5.
  await act(disp, a1.id, 'register');
  await act(disp, a1.id, 'dispatch');
  const police = await s.login('handler');
  await act(police, a1.id, 'accept');
  await act(police, a1.id, 'handle', { note: '已处理' });
  await act(disp, a1.id, 'close');
  await act(gwA, a1.id, 'evaluate', { rating: 5 });
  // b2 is refused (不予立案).
  await act(disp, b2.id, 'reject', { reason: '重复上报' });
  // A week later every one still waiting has run past the desk's time:
  // red, and late for good; a2 is then closed.
  await setClock('2026-10-22T10:00:00+08:00');
  await ok('POST', '/api/v1/_test/sweep', null, {});
  for (const e of [a2, a3, a4, b1]) late.add(e.id);
  await act(disp, a2.id, 'register');
  await act(disp, a2.id, 'dispatch');
  const police2 = await s.login('handler');
  await act(police2, a2.id, 'accept');
  await act(police2, a2.id, 'handle', { note: '已调解' });
  await act(disp, a2.id, 'close');
  await act(gwA, a2.id, 'evaluate', { rating: 2 });
  // November: three more in A; one of October's is registered.
  await setClock('2026-11-03T09:00:00+08:00');
  await act(disp, a3.id, 'register');
  for (const d of ['占道经营', '噪音扰民', '井盖缺失']) await report(gwA, microA, '2902', d);
  await ok('POST', '/api/v1/_test/sweep', null, {});
});
after(async () => { assertCleanExit(assert, await s.stop()); });

// The raw records, read one by one, reduced to what the figures count.
async function raw() {
  const out = [];
  for (const id of ids) {
    const e = await ok('GET', `/api/v1/events/${id}`, disp);
    out.push({ ...e, month: new Date(Date.parse(e.created_at) + 8 * 3600e3).toISOString().slice(0, 7), late: late.has(id) });
  }
  return out;
}
const RESOLVED = new Set(['closed', 'evaluated']);
const OPEN = new Set(['reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended']);
function expect(events) {
  const resolved = events.filter((e) => RESOLVED.has(e.status));
  const accepted = events.filter((e) => e.status !== 'rejected' && e.status !== 'merged').length;
  const rated = events.filter((e) => e.rating != null);
  const round4 = (x) => Math.round(x * 1e4) / 1e4;
  return {
    reported: events.length,
    accepted,
    open: events.filter((e) => OPEN.has(e.status)).length,
    resolved: resolved.length,
    rejected: events.filter((e) => e.status === 'rejected').length,
    red: events.filter((e) => OPEN.has(e.status) && e.light === 'red').length,
    late: events.filter((e) => e.late).length,
    rated: rated.length,
    resolution_rate: accepted ? round4(resolved.length / accepted) : null,
    on_time_rate: resolved.length ? round4(resolved.filter((e) => !e.late).length / resolved.length) : null,
    satisfaction_rate: rated.length ? round4(rated.filter((e) => e.rating >= 4).length / rated.length) : null,
  };
}
const pick = (t, keys) => Object.fromEntries(keys.map((k) => [k, t[k]]));
const KEYS = ['reported', 'accepted', 'open', 'resolved', 'rejected', 'red', 'late', 'rated', 'resolution_rate', 'on_time_rate', 'satisfaction_rate'];
const countBy = (events, f) => {
  const m = {};
  for (const e of events) m[f(e)] = (m[f(e)] || 0) + 1;
  return m;
};
const asCounts = (items) => Object.fromEntries(items.map((x) => [x.key, x.reported]));

test('the county, township and grid totals are the counts of the raw records', async () => {
  const events = await raw();
  for (const [area, mine] of [[COUNTY, events], [townA, events.filter((e) => e.area.code.startsWith(townA))], [townB, events.filter((e) => e.area.code.startsWith(townB))], [gridA, events.filter((e) => e.area.code.startsWith(gridA))], [microA.code, events.filter((e) => e.area.code === microA.code)]]) {
    const st = await ok('GET', `/api/v1/stats/events?area=${area}&from=2026-10&to=2026-11`, leader);
    assert.equal(st.area.code, area);
    assert.deepEqual(pick(st.totals, KEYS), expect(mine), `totals of ${area}`);
  }
  // One month at a time: each event counts in the month it was reported.
  for (const month of ['2026-10', '2026-11']) {
    const st = await ok('GET', `/api/v1/stats/events?area=${townA}&from=${month}`, leader);
    assert.deepEqual(pick(st.totals, KEYS), expect(events.filter((e) => e.month === month && e.area.code.startsWith(townA))), month);
  }
  // Handling time: the mean of closed − reported over the resolved ones.
  const resolved = events.filter((e) => RESOLVED.has(e.status));
  const hours = resolved.reduce((t, e) => t + (Date.parse(e.closed_at) - Date.parse(e.created_at)), 0) / resolved.length / 3600e3;
  const st = await ok('GET', `/api/v1/stats/events?area=${COUNTY}&from=2026-10&to=2026-11`, leader);
  assert.ok(Math.abs(st.totals.avg_handle_hours - hours) < 0.01, `${st.totals.avg_handle_hours} vs ${hours}`);
  assert.equal(st.totals.avg_rating, 3.5);
});

test('breakdowns by status, source, category, light and child area', async () => {
  const events = await raw();
  const st = await ok('GET', `/api/v1/stats/events?area=${COUNTY}&from=2026-10&to=2026-11&by=status,source,minor,major,light,child`, leader);
  assert.deepEqual(asCounts(st.by.status), countBy(events, (e) => e.status));
  assert.deepEqual(asCounts(st.by.source), countBy(events, (e) => e.source));
  assert.deepEqual(asCounts(st.by.minor), countBy(events, (e) => e.category?.minor ?? e.minor));
  assert.deepEqual(asCounts(st.by.major), countBy(events, (e) => (e.category?.minor ?? e.minor).slice(0, 2)));
  assert.deepEqual(asCounts(st.by.light), countBy(events, (e) => e.light));
  const kids = asCounts(st.by.child);
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, leader);
  assert.deepEqual(Object.keys(kids).sort(), county.children.filter((c) => !c.retired_at).map((c) => c.code).sort(), 'every township, the quiet ones too');
  assert.deepEqual(Object.fromEntries(Object.entries(kids).filter(([, n]) => n)), countBy(events, (e) => e.area.code.slice(0, 9)));
  assert.equal(st.by.child[0].key, townA, 'largest first');
  assert.ok(st.by.minor.every((x) => x.name), 'categories carry their names');
  assert.equal(st.by.status.find((x) => x.key === 'rejected').name, '不予立案');
  const top1 = await ok('GET', `/api/v1/stats/events?area=${COUNTY}&from=2026-10&to=2026-11&by=child&top=1`, leader);
  assert.equal(top1.by.child.length, 1);
});

test('month on month and year on year; the series by day, week and month', async () => {
  const events = await raw();
  const nov = await ok('GET', `/api/v1/stats/events?area=${COUNTY}&from=2026-11&to=2026-11`, leader);
  assert.deepEqual(nov.previous.period, { from: '2026-10', to: '2026-10' });
  assert.equal(nov.previous.reported, events.filter((e) => e.month === '2026-10').length);
  assert.deepEqual(nov.year_before.period, { from: '2025-11', to: '2025-11' });
  assert.equal(nov.year_before.reported, 0);

  const days = await ok('GET', `/api/v1/stats/events/series?area=${townA}&from=2026-10-14&to=2026-11-04&grain=day`, leader);
  assert.equal(days.items.length, 22, 'one entry a day, empty days included');
  const byDay = countBy(events.filter((e) => e.area.code.startsWith(townA)), (e) => new Date(Date.parse(e.created_at) + 8 * 3600e3).toISOString().slice(0, 10));
  for (const d of days.items) assert.equal(d.reported, byDay[d.start] || 0, d.start);
  const weeks = await ok('GET', `/api/v1/stats/events/series?area=${COUNTY}&from=2026-10-01&to=2026-11-30&grain=week`, leader);
  assert.equal(weeks.items[0].start, '2026-09-28', 'weeks start on Monday');
  assert.equal(weeks.items.reduce((t, w) => t + w.reported, 0), events.length);
  const months = await ok('GET', `/api/v1/stats/events/series?area=${COUNTY}&from=2026-09-15&to=2026-11-30&grain=month`, leader);
  assert.deepEqual(months.items.map((m) => [m.start, m.reported]), [['2026-09-01', 0], ['2026-10-01', 6], ['2026-11-01', 3]]);
  assert.equal(months.items[1].resolved, 2);
});

test('the counters follow a change of category', async () => {
  const before = await ok('GET', `/api/v1/stats/events?area=${gridA}&from=2026-11&by=minor`, leader);
  const e = await report(gwA, microA, '2902', '这条其实是治安问题');
  await act(disp, e.id, 'register', { minor: '1302' });
  const after = await ok('GET', `/api/v1/stats/events?area=${gridA}&from=2026-11&by=minor`, leader);
  const n = (st, k) => st.by.minor.find((x) => x.key === k)?.reported || 0;
  assert.equal(after.totals.reported, before.totals.reported + 1);
  assert.equal(n(after, '1302'), n(before, '1302') + 1);
  assert.equal(n(after, '2902'), n(before, '2902'));
});

test('bad queries are named; the figures are scoped like everything else', async () => {
  for (const [q, code, field] of [
    ['from=2026-13', 'invalid_month', 'from'],
    ['from=2026-1', 'invalid_month', 'from'],
    ['to=abc', 'invalid_month', 'to'],
    ['from=2026-11&to=2026-10', 'invalid_period', 'to'],
    ['by=colour', 'invalid_query', 'by'],
    ['top=-1', 'invalid_query', 'top'],
    ['area=999999', 'area_not_found', 'area'],
  ]) {
    const r = await s.api('GET', `/api/v1/stats/events?${q}`, { token: leader });
    assert.equal(r.status, q.startsWith('area') ? 404 : 400, r.text);
    assert.deepEqual([r.json.error.code, r.json.error.field], [code, field], q);
  }
  for (const [q, code, field] of [['from=2026-02-30', 'invalid_date', 'from'], ['grain=year', 'invalid_query', 'grain'], ['from=2026-11-02&to=2026-11-01', 'invalid_period', 'to']]) {
    const r = await s.api('GET', `/api/v1/stats/events/series?${q}`, { token: leader });
    assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [400, code, field], q);
  }
  // Grid workers and department handlers keep no figures.
  assert.equal((await s.api('GET', '/api/v1/stats/events', { token: gwA })).status, 403);
  assert.equal((await s.api('GET', '/api/v1/stats/events', { token: await s.login('handler') })).status, 403);
  assert.equal((await s.api('GET', '/api/v1/stats/events')).status, 401);
  // A township's leader sees its township by default, and not the next one.
  await ok('POST', '/api/v1/accounts', admin, { username: 'townleader', name: '乡镇领导', role: 'leader', area: townA, password: 'Town@Leader2026' });
  const tl = await s.login('townleader', 'Town@Leader2026');
  const own = await ok('GET', '/api/v1/stats/events?from=2026-10&to=2026-11', tl);
  assert.equal(own.area.code, townA);
  const events = await raw();
  assert.equal(own.totals.reported, events.filter((e) => e.area.code.startsWith(townA)).length);
  const other = await s.api('GET', `/api/v1/stats/events?area=${townB}`, { token: tl });
  assert.deepEqual([other.status, other.json.error.code], [404, 'area_not_found']);
  const up = await s.api('GET', `/api/v1/stats/events/series?area=${COUNTY}`, { token: tl });
  assert.equal(up.status, 404, 'nor the county above it');
});

test('registry figures: residents by residence, special groups by type, overdue visits — against the registry\'s own lists', async () => {
  const people = [['甲某', 'registered'], ['乙某', 'floating'], ['丙某', 'floating'], ['丁某', 'left_behind']];
  const ids2 = [];
  for (const [name, residence_type] of people) {
    ids2.push((await ok('POST', '/api/v1/people', gwA, { name, residence_type, area: microA.code })).id);
  }
  await ok('POST', `/api/v1/people/${ids2[0]}/groups`, gwA, { type: 'mental', risk_level: 'low', danger_level: 1 });
  await ok('POST', `/api/v1/people/${ids2[1]}/groups`, gwA, { type: 'drug', risk_level: 'medium' });
  await ok('POST', `/api/v1/people/${ids2[2]}/groups`, gwA, { type: 'youth', risk_level: 'low' });
  const check = async () => {
    for (const area of [COUNTY, townA, gridA]) {
      const st = await ok('GET', `/api/v1/stats/registry?area=${area}`, leader);
      const n = (items, k) => items.find((x) => x.key === k).n;
      for (const rt of ['registered', 'floating', 'overseas', 'left_behind']) {
        const list = await ok('GET', `/api/v1/people?area=${area}&residence_type=${rt}&limit=1`, disp);
        assert.equal(n(st.residents.by_residence, rt), list.total, `${area} ${rt}`);
      }
      const all = await ok('GET', `/api/v1/people?area=${area}&limit=1`, disp);
      assert.equal(st.residents.total, all.total);
      for (const type of ['mental', 'drug', 'youth', 'released']) {
        const g = await ok('GET', `/api/v1/groups?area=${area}&type=${type}&limit=1`, disp);
        assert.equal(n(st.special_groups.by_type, type), g.total, `${area} ${type}`);
      }
      const overdue = await ok('GET', `/api/v1/groups?area=${area}&due=overdue&limit=1`, disp);
      assert.equal(st.special_groups.overdue_visits, overdue.total, `${area} overdue`);
    }
  };
  await check();
  // Months later every visit is overdue; a visit puts one right.
  await setClock('2027-03-01T10:00:00+08:00');
  await ok('POST', '/api/v1/visits', gwA, { person_id: ids2[1], kind: 'home', notes: '已走访' });
  await check();
  const st = await ok('GET', `/api/v1/stats/registry?area=${gridA}`, leader);
  assert.equal(st.special_groups.overdue_visits, 2, 'two of three are overdue');
  assert.equal((await s.api('GET', '/api/v1/stats/registry', { token: gwA })).status, 403);
});
