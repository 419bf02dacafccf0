// 工作简报 / 督查通报 and the statistics tables as CSV / XLSX: every figure
// checked against counts this test computes itself from the raw event
// records it reads one by one — never the server's figures against
// themselves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit, liveMicroGrid, checkedApi, tempDir, firstGrid } from '../lib/server.mjs';

const COUNTY = '411624';
let s, ok, admin, disp, leader, gwA, gwB, townA, townB, microA, microB, gridA, gridB;
const ids = [];

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
const close = async (id, reporter, rating) => {
  await act(disp, id, 'register');
  await act(disp, id, 'dispatch');
  const police = await s.login('handler');
  await act(police, id, 'accept');
  await act(police, id, 'handle', { note: '已处理' });
  await act(disp, id, 'close');
  if (rating) await act(reporter, id, 'evaluate', { rating });
};

before(async () => {
  s = await startServer({ demo: true });
  ok = checkedApi(assert, s);
  admin = await s.login('admin');
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, admin);
  [townA, townB] = county.children.filter((c) => c.child_count).slice(0, 2).map((c) => c.code);
  gridA = await firstGrid(assert, s, admin, townA);
  gridB = await firstGrid(assert, s, admin, townB);
  // Thursday 15 October: the week of 12–18 October.
  await setClock('2026-10-15T10:00:00+08:00');
  microA = await liveMicroGrid(assert, s, gwA, gridA);
  microB = await liveMicroGrid(assert, s, gwB, gridB);
  const a1 = await report(gwA, microA, '1302', '村口夜间聚集赌博');
  await report(gwA, microA, '2902', '路边乱堆建筑垃圾');
  await report(gwA, microA, '2902', '楼道堆放杂物');
  await report(disp, microB, '1302', '来电反映夜市有人斗殴', 'hotline');
  const b2 = await report(gwB, microB, '2902', '沟渠边堆放秸秆');
  await close(a1.id, gwA, 5);
  await act(disp, b2.id, 'reject', { reason: '重复上报' });
  // The next week: two more, and what still waits has gone red.
  await setClock('2026-10-21T09:00:00+08:00');
  await report(gwB, microB, '2902', '占道经营');
  await report(gwA, microA, '2902', '井盖缺失');
  await setClock('2026-10-28T10:00:00+08:00');
  await ok('POST', '/api/v1/_test/sweep', null, {});
});
after(async () => { assertCleanExit(assert, await s.stop()); });

// The raw records, read one by one.
async function raw() {
  const out = [];
  for (const id of ids) {
    const e = await ok('GET', `/api/v1/events/${id}`, disp);
    const day = new Date(Date.parse(e.created_at) + 8 * 3600e3).toISOString().slice(0, 10);
    out.push({ ...e, day, month: day.slice(0, 7) });
  }
  return out;
}
const RESOLVED = new Set(['closed', 'evaluated']);
const OPEN = new Set(['reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended']);
const inArea = (code) => (e) => e.area.code.startsWith(code);
const counts = (events) => ({
  reported: events.length,
  resolved: events.filter((e) => RESOLVED.has(e.status)).length,
  red: events.filter((e) => OPEN.has(e.status) && e.light === 'red').length,
  rejected: events.filter((e) => e.status === 'rejected').length,
  rated: events.filter((e) => e.rating != null).length,
});
const pick = (t, keys) => Object.fromEntries(keys.map((k) => [k, t[k]]));

test('a monthly briefing: its figures, ranking and red items are the raw counts, numbered 第1期, 第2期', async () => {
  const events = await raw();
  const oct = events.filter((e) => e.month === '2026-10');
  const b = await ok('POST', '/api/v1/briefings', leader, { kind: 'monthly', area: COUNTY, period: '2026-10' });
  assert.equal(b.kind, 'monthly');
  assert.deepEqual([b.year, b.number, b.issue], [2026, 1, '2026年第1期']);
  assert.deepEqual(b.period, { from: '2026-10-01', to: '2026-10-31' });
  assert.equal(b.area.code, COUNTY);
  assert.match(b.title, /沈丘县.*工作简报/);
  const f = b.figures;
  assert.deepEqual(pick(f.totals, ['reported', 'resolved', 'red', 'rejected', 'rated']), counts(oct));
  // Each township of the ranking, the quiet ones as zero.
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, leader);
  assert.deepEqual(f.ranking.map((r) => r.key).sort(), county.children.filter((c) => !c.retired_at).map((c) => c.code).sort());
  for (const r of f.ranking) assert.deepEqual(pick(r, ['reported', 'resolved', 'red']), pick(counts(oct.filter(inArea(r.key))), ['reported', 'resolved', 'red']), r.name);
  // 考核评价 as it stood: the county's townships (first ten), and the departments.
  const [towns, depts] = f.assessment;
  const active = county.children.filter((c) => !c.retired_at).map((c) => c.code);
  assert.deepEqual([towns.kind, towns.total, towns.items.length], ['township', active.length, Math.min(10, active.length)]);
  assert.ok(towns.items.every((x) => active.includes(x.subject.code)));
  assert.deepEqual(towns.items.map((x) => x.rank), [...towns.items.map((x) => x.rank)].sort((x, y) => x - y));
  assert.equal(depts.kind, 'department');
  // The red items: exactly the open events whose light is red.
  const red = events.filter((e) => OPEN.has(e.status) && e.light === 'red').map((e) => e.id).sort();
  assert.ok(red.length >= 3, 'the sweep turned some red');
  assert.deepEqual(f.red_items.items.map((x) => x.id).sort(), red);
  assert.equal(f.red_items.total, red.length);
  for (const x of f.red_items.items) assert.ok(!('reporter_name' in x) && !('reporter_phone' in x), 'no reporter in a briefing');
  assert.ok(f.red_items.items.every((x) => x.description && x.area && x.deadline && x.light === 'red'));
  // The daily series covers the month, and sums to the month's reports.
  assert.equal(f.series.length, 31);
  assert.equal(f.series.reduce((t, d) => t + d.reported, 0), oct.length);
  for (const d of f.series) assert.equal(d.reported, oct.filter((e) => e.day === d.start).length, d.start);
  // The same month again: the next number; another area or kind counts apart.
  const again = await ok('POST', '/api/v1/briefings', disp, { kind: 'monthly', area: COUNTY, period: '2026-10' });
  assert.equal(again.number, 2);
  const town = await ok('POST', '/api/v1/briefings', leader, { kind: 'monthly', area: townA, period: '2026-10' });
  assert.equal(town.number, 1);
  assert.deepEqual(pick(town.figures.totals, ['reported', 'resolved', 'red', 'rejected', 'rated']), counts(oct.filter(inArea(townA))));
  assert.deepEqual(town.figures.assessment.map((r) => r.kind), ['grid_worker', 'department'], 'below the county: grid workers');
});

test('briefings generated at once take numbers one after another, none twice', async () => {
  const made = await Promise.all(Array.from({ length: 6 }, () => s.api('POST', '/api/v1/briefings', { token: leader, body: { kind: 'inspection', area: townB, period: '2026-11' } })));
  for (const r of made) assert.equal(r.status, 201, r.text);
  assert.deepEqual(made.map((r) => r.json.number).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6]);
  // A new year starts again at 第1期.
  const jan = await ok('POST', '/api/v1/briefings', leader, { kind: 'inspection', area: townB, period: '2027-01' });
  assert.deepEqual([jan.year, jan.number], [2027, 1]);
});

test('a weekly briefing counts the days of its week, with the week before', async () => {
  const events = await raw();
  // Any day of the week names it: Monday 12 to Sunday 18 October.
  const b = await ok('POST', '/api/v1/briefings', leader, { kind: 'weekly', area: COUNTY, period: '2026-10-17' });
  assert.deepEqual(b.period, { from: '2026-10-12', to: '2026-10-18' });
  assert.equal(b.number, 1);
  const week = events.filter((e) => e.day >= '2026-10-12' && e.day <= '2026-10-18');
  assert.deepEqual(pick(b.figures.totals, ['reported', 'resolved', 'rated']), pick(counts(week), ['reported', 'resolved', 'rated']));
  assert.equal(b.figures.series.length, 7);
  assert.equal(b.figures.previous.reported, events.filter((e) => e.day >= '2026-10-05' && e.day <= '2026-10-11').length);
  const next = await ok('POST', '/api/v1/briefings', leader, { kind: 'weekly', area: COUNTY, period: '2026-10-19' });
  assert.equal(next.number, 2);
  const w2 = events.filter((e) => e.day >= '2026-10-19' && e.day <= '2026-10-25');
  assert.equal(next.figures.totals.reported, w2.length);
  assert.equal(next.figures.previous.reported, week.length, '环比: the week before');
  for (const r of next.figures.ranking) assert.equal(r.reported, w2.filter(inArea(r.key)).length, r.name);
});

test('an inspection notice ranks the areas by what is overdue', async () => {
  const events = await raw();
  const b = await ok('POST', '/api/v1/briefings', leader, { kind: 'inspection', area: COUNTY, period: '2026-10' });
  assert.equal(b.kind_name, '督查通报');
  const reds = b.figures.ranking.map((r) => r.red);
  assert.deepEqual(reds, [...reds].sort((x, y) => y - x), 'most red first');
  const oct = events.filter((e) => e.month === '2026-10');
  const mostRed = [townA, townB].sort((x, y) => counts(oct.filter(inArea(y))).red - counts(oct.filter(inArea(x))).red)[0];
  assert.equal(b.figures.ranking[0].key, mostRed);
});

test('a briefing keeps the figures it was issued with', async () => {
  const first = (await ok('GET', '/api/v1/briefings?kind=monthly&area=' + COUNTY, leader)).items.find((b) => b.number === 1 && b.area.code === COUNTY);
  const before = await ok('GET', `/api/v1/briefings/${first.id}`, leader);
  // Another October event (the clock goes back into October for it) and one
  // of the red ones closed: the kept briefing does not move, a new one does.
  await setClock('2026-10-30T10:00:00+08:00');
  await report(gwA, microA, '2902', '广告牌松动');
  // (a 治安 one: the demo's 'handler' works for the police)
  const red = (await raw()).find((e) => OPEN.has(e.status) && e.light === 'red' && (e.category?.minor ?? e.minor) === '1302').id;
  assert.ok(before.figures.red_items.items.some((x) => x.id === red));
  await close(red);
  const kept = await ok('GET', `/api/v1/briefings/${first.id}`, leader);
  assert.deepEqual(kept.figures, before.figures);
  const fresh = await ok('POST', '/api/v1/briefings', leader, { kind: 'monthly', area: COUNTY, period: '2026-10' });
  const oct = (await raw()).filter((e) => e.month === '2026-10');
  assert.deepEqual(pick(fresh.figures.totals, ['reported', 'resolved', 'red', 'rejected', 'rated']), counts(oct));
  assert.equal(fresh.figures.totals.reported, before.figures.totals.reported + 1);
  assert.ok(!fresh.figures.red_items.items.some((x) => x.id === red));
});

// The sheets of a workbook (libxlsxwriter's constant-memory mode writes
// strings inline), as the text of their cells row by row.
function sheets(buf) {
  const file = join(tempDir(), 'book.xlsx');
  writeFileSync(file, buf);
  const list = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort();
  return list.map((n) => {
    const xml = execFileSync('unzip', ['-p', file, n], { encoding: 'utf8' });
    return [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((r) => [...r[1].matchAll(/<c r="([A-Z]+)\d+"[^>]*>(?:<is><t[^>]*>(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/g)].map((c) => [c[1], c[2] ?? c[3]]));
  });
}
const fetchBin = async (path, token) => {
  const res = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { res, buf: Buffer.from(await res.arrayBuffer()) };
};

test('a briefing as Excel: 概况, 排名, 红色事项', async () => {
  const events = await raw();
  const b = await ok('POST', '/api/v1/briefings', leader, { kind: 'monthly', area: townA, period: '2026-10' });
  const { res, buf } = await fetchBin(`/api/v1/briefings/${b.id}.xlsx`, leader);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(decodeURIComponent(res.headers.get('content-disposition')), /工作简报.*2026年第\d+期\.xlsx/);
  const [summary, ranking, assess, red] = sheets(buf);
  assert.equal(assess.length - 1, b.figures.assessment.reduce((t, r) => t + r.items.length, 0), 'a row per ranked subject');
  assert.match(summary[0][0][1], /工作简报.*2026年第/);
  // Row "本期": 上报 is column B, 办结 column E (see the headings).
  const head = Object.fromEntries(summary[2].map(([col, v]) => [v, col]));
  const row = Object.fromEntries(summary[3].map(([col, v]) => [col, v]));
  const oct = events.filter((e) => e.month === '2026-10' && inArea(townA)(e));
  assert.equal(Number(row[head['上报']]), oct.length);
  assert.equal(Number(row[head['办结']]), counts(oct).resolved);
  // The villages of township A, each with its count.
  const rHead = Object.fromEntries(ranking[0].map(([col, v]) => [v, col]));
  for (const r of ranking.slice(1)) {
    const cells = Object.fromEntries(r);
    assert.equal(Number(cells[rHead['上报']]), oct.filter(inArea(cells[rHead['区域编码']])).length, cells[rHead['区域']]);
  }
  assert.equal(ranking.length - 1, (await ok('GET', `/api/v1/areas/${townA}`, leader)).children.filter((c) => !c.retired_at).length);
  const redA = events.filter((e) => inArea(townA)(e) && OPEN.has(e.status) && e.light === 'red');
  assert.deepEqual(red.slice(1).map((r) => Number(r[0][1])).sort(), redA.map((e) => e.id).sort());
});

// A CSV file as rows of cells (RFC 4180 quoting).
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') q = false; else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r') { /* CRLF */ } else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += ch;
  }
  return rows;
}

test('statistics tables as CSV (UTF-8 with BOM) and XLSX hold the raw counts', async () => {
  const events = await raw();
  const q = `area=${COUNTY}&from=2026-10&to=2026-11`;
  const { res, buf } = await fetchBin(`/api/v1/stats/events.csv?${q}&by=child`, leader);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /^attachment; .*\.csv/);
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for Excel');
  const rows = parseCsv(buf.toString('utf8').slice(1));
  const col = Object.fromEntries(rows[0].map((h, i) => [h, i]));
  assert.equal(rows[1][col['名称']], '合计');
  const all = counts(events);
  for (const [k, h] of [['reported', '上报'], ['resolved', '办结'], ['red', '超期（红灯）'], ['rejected', '不予立案'], ['rated', '已评价']]) assert.equal(Number(rows[1][col[h]]), all[k], h);
  const county = await ok('GET', `/api/v1/areas/${COUNTY}`, leader);
  assert.equal(rows.length - 2, county.children.filter((c) => !c.retired_at).length, 'a row per township');
  for (const r of rows.slice(2)) {
    const mine = counts(events.filter(inArea(r[col['编码']])));
    assert.deepEqual([Number(r[col['上报']]), Number(r[col['办结']]), Number(r[col['超期（红灯）']])], [mine.reported, mine.resolved, mine.red], r[col['名称']]);
  }
  // A quiet month and a leaf (no children): empty tables, not a failure.
  const quiet = await ok('GET', `/api/v1/stats/events?area=${townB}&from=2026-12&by=status,source,child`, leader);
  assert.deepEqual([quiet.totals.reported, quiet.by.status, quiet.by.source], [0, [], []]);
  assert.deepEqual((await ok('GET', `/api/v1/stats/events?area=${microA.code}&by=child`, leader)).by.child, []);
  const empty = await fetchBin(`/api/v1/stats/events.csv?area=${microA.code}&from=2026-12&by=minor`, leader);
  assert.deepEqual(parseCsv(empty.buf.toString('utf8').slice(1)).map((r) => r[1]), ['名称', '合计']);
  // By source, as Excel.
  const x = await fetchBin(`/api/v1/stats/events.xlsx?${q}&by=source`, leader);
  assert.equal(x.res.status, 200);
  const [sheet] = sheets(x.buf);
  const head = Object.fromEntries(sheet[0].map(([c, v]) => [v, c]));
  const bySource = {};
  for (const e of events) bySource[e.source] = (bySource[e.source] || 0) + 1;
  const got = {};
  for (const r of sheet.slice(2)) {
    const cells = Object.fromEntries(r);
    got[cells[head['编码']]] = Number(cells[head['上报']]);
  }
  assert.deepEqual(got, bySource);
  // The series, one row a day.
  const ser = await fetchBin(`/api/v1/stats/events/series.csv?area=${townB}&from=2026-10-14&to=2026-10-22`, leader);
  const srows = parseCsv(ser.buf.toString('utf8').slice(1));
  assert.equal(srows.length, 1 + 9);
  for (const r of srows.slice(1)) assert.equal(Number(r[1]), events.filter((e) => inArea(townB)(e) && e.day === r[0]).length, r[0]);
  // The same series as Excel: the same counts, day by day; errors and access as the JSON route.
  const sx = await fetchBin(`/api/v1/stats/events/series.xlsx?area=${townB}&from=2026-10-14&to=2026-10-22`, leader);
  assert.equal(sx.res.status, 200);
  const [ssheet] = sheets(sx.buf);
  const sdays = ssheet.slice(1).map((r) => Object.fromEntries(r));
  assert.equal(sdays.length, 9);
  const shead = Object.fromEntries(ssheet[0].map(([c, v]) => [v, c]));
  for (const d of sdays) assert.equal(Number(d[shead['上报']]), events.filter((e) => inArea(townB)(e) && e.day === d[shead['起始日期']]).length, d[shead['起始日期']]);
  const badx = await s.api('GET', `/api/v1/stats/events/series.xlsx?area=${townB}&grain=year`, { token: leader });
  assert.deepEqual([badx.status, badx.json.error.field], [400, 'grain']);
  assert.equal((await s.api('GET', `/api/v1/stats/events/series.xlsx?area=${townB}`, { token: gwA })).status, 403);
});

test('bad input is named; briefings are scoped like everything else', async () => {
  for (const [body, code, field] of [
    [{ kind: 'daily', area: COUNTY, period: '2026-10' }, 'invalid_value', 'kind'],
    [{ area: COUNTY, period: '2026-10' }, 'missing_field', 'kind'],
    [{ kind: 'monthly', area: COUNTY }, 'missing_field', 'period'],
    [{ kind: 'monthly', area: COUNTY, period: '2026-13' }, 'invalid_month', 'period'],
    [{ kind: 'weekly', area: COUNTY, period: '2026-10' }, 'invalid_date', 'period'],
    [{ kind: 'weekly', area: COUNTY, period: '2026-02-30' }, 'invalid_date', 'period'],
    [{ kind: 'monthly', area: COUNTY, period: '2026-10', colour: 'red' }, 'unknown_field', 'colour'],
    [{ kind: 'monthly', area: 42, period: '2026-10' }, 'invalid_type', 'area'],
  ]) {
    const r = await s.api('POST', '/api/v1/briefings', { token: leader, body });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual([r.json.error.code, r.json.error.field], [code, field], JSON.stringify(body));
  }
  const n0 = (await ok('GET', '/api/v1/briefings', leader)).total;
  const nf = await s.api('POST', '/api/v1/briefings', { token: leader, body: { kind: 'monthly', area: '999999', period: '2026-10' } });
  assert.deepEqual([nf.status, nf.json.error.code, nf.json.error.field], [404, 'area_not_found', 'area']);
  assert.equal((await ok('GET', '/api/v1/briefings', leader)).total, n0, 'nothing kept by a refused request');
  for (const [q, code, field] of [['', 'missing_field', 'by'], ['&by=child,source', 'invalid_query', 'by'], ['&by=colour', 'invalid_query', 'by'], ['&by=child&from=2026-13', 'invalid_month', 'from']]) {
    const r = await s.api('GET', `/api/v1/stats/events.csv?area=${COUNTY}${q}`, { token: leader });
    assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [400, code, field], q);
  }
  // Grid workers keep no figures.
  assert.equal((await s.api('POST', '/api/v1/briefings', { token: gwA, body: { kind: 'monthly', area: gridA, period: '2026-10' } })).status, 403);
  assert.equal((await s.api('GET', '/api/v1/briefings', { token: gwA })).status, 403);
  assert.equal((await s.api('GET', `/api/v1/stats/events.csv?by=child`, { token: gwA })).status, 403);
  // A township's leader: its own briefings only.
  await ok('POST', '/api/v1/accounts', admin, { username: 'townleader', name: '乡镇领导', role: 'leader', area: townB, password: 'Town@Leader2026' });
  const tl = await s.login('townleader', 'Town@Leader2026');
  const mine = await ok('POST', '/api/v1/briefings', tl, { kind: 'monthly', period: '2026-10' });
  assert.equal(mine.area.code, townB, 'the own area by default');
  const list = await ok('GET', '/api/v1/briefings?limit=200', tl);
  assert.ok(list.items.length >= 1 && list.items.every((b) => b.area.code.startsWith(townB)), 'only its subtree');
  const countyOne = (await ok('GET', '/api/v1/briefings?limit=200', leader)).items.find((b) => b.area.code === COUNTY);
  assert.equal((await s.api('GET', `/api/v1/briefings/${countyOne.id}`, { token: tl })).status, 404);
  assert.equal((await s.api('GET', `/api/v1/briefings/${countyOne.id}.xlsx`, { token: tl })).status, 404);
  const up = await s.api('POST', '/api/v1/briefings', { token: tl, body: { kind: 'monthly', area: COUNTY, period: '2026-10' } });
  assert.deepEqual([up.status, up.json.error.code], [404, 'area_not_found']);
  for (const id of ['999999', 'abc', '1.5', '-1']) {
    assert.equal((await s.api('GET', `/api/v1/briefings/${id}`, { token: leader })).status, 404, id);
    assert.equal((await s.api('GET', `/api/v1/briefings/${id}.xlsx`, { token: leader })).status, 404, id);
  }
  // Generation is audited.
  const audit = await ok('GET', `/api/v1/audit?action=briefing.create&limit=100`, admin);
  assert.ok(audit.items.some((a) => a.object === `briefing:${mine.id}` && a.outcome === 'ok'));
  assert.ok(audit.items.some((a) => a.outcome === 'denied'), 'the refused ones too');
});
