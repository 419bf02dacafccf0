// The closed loop: intake with idempotency and location, every step of the
// work order and the illegal ones, who may take which step in which scope,
// deadlines in working time over a weekend and a holiday, lights,
// suspension, extensions and escalation up the tree. The clock is the
// server's test clock; nothing sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';

const GRID_A = '411624001200001';
const GRID_B = '411624002200001';
const H = 3600 * 1000;
let s, admin, disp, police, chengguan, gwA, gwB, leader, microA, pointA, depts;

// Signs everyone in again (a jump of the clock ends idle sessions).
const signIn = async () => {
  [admin, disp, police, gwA, gwB, leader] = await Promise.all(
    ['admin', 'dispatcher', 'handler', `g${GRID_A}`, `g${GRID_B}`, 'leader'].map((u) => s.login(u)));
  chengguan = await s.login('cg1', 'Cheng@Guan2026');
};

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  const acct = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'cg1', name: '城管处置员', role: 'handler', area: '411624', department: '城管', password: 'Cheng@Guan2026' },
  });
  assert.equal(acct.status, 201, acct.text);
  await signIn();
  microA = await liveMicroGrid(assert, s, gwA, GRID_A);
  const map = await s.api('GET', `/api/v1/areas/${GRID_A}/map`, { token: gwA });
  pointA = map.json.features.find((f) => f.properties.code === microA.code).properties.label;
  depts = Object.fromEntries((await s.api('GET', '/api/v1/departments', { token: admin })).json.items.map((d) => [d.name, d.id]));
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const report = (token, body, headers) => s.api('POST', '/api/v1/events', { token, body, headers });
const act = (token, id, action, body = {}) => s.api('POST', `/api/v1/events/${id}/actions/${action}`, { token, body });
const get = (token, id) => s.api('GET', `/api/v1/events/${id}`, { token });
const at = (lng, lat) => ({ lng, lat });
const here = () => at(...pointA);
// Stops the server's clock at a wall time (deadlines come out exact).
const setClock = async (iso) => {
  const r = await s.api('POST', '/api/v1/_test/clock', { body: { now_ms: Date.parse(iso) } });
  assert.equal(r.status, 200, r.text);
  await signIn();
};
const later = async (ms) => {
  await s.advanceClock(ms);
  await signIn();
};
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };

test('intake: a point is located to its micro-grid with the whole chain; retries are idempotent', async () => {
  const body = { source: 'grid_worker', description: '于庄村东头垃圾堆积，已有异味', minor: '2901', ...here(), idempotency_key: 'phone-1-0001' };
  const e = ok(await report(gwA, body), 201);
  assert.equal(e.status, 'reported');
  assert.equal(e.status_name, '待立案');
  assert.equal(e.area.code, microA.code);
  assert.deepEqual(e.area_chain.map((a) => a.level), ['county', 'township', 'village', 'grid', 'microgrid']);
  assert.equal(e.area_chain[3].code, GRID_A);
  assert.equal(e.category.minor_name, '垃圾堆积');
  assert.equal(e.handling_area.code, GRID_A, 'a grid-level category is handled by its grid');
  assert.match(e.track_code, /^[2-9A-HJ-NP-Z]{10}$/);
  assert.equal(e.light, 'green');
  assert.equal(e.step, 'desk');
  assert.deepEqual(e.timeline.map((t) => [t.action, t.to, t.actor]), [['report', 'reported', `g${GRID_A}`]]);

  // The phone lost signal and sends again: the same event, not a second one.
  const again = ok(await report(gwA, body), 200);
  assert.equal(again.id, e.id);
  const viaHeader = await report(gwA, { ...body, idempotency_key: undefined }, { 'Idempotency-Key': 'phone-1-0001' });
  assert.equal(ok(viaHeader, 200).id, e.id, 'the Idempotency-Key header is the same key');
  const reused = await report(gwA, { ...body, description: '另一件事' });
  assert.equal(reused.status, 409);
  assert.equal(reused.json.error.code, 'idempotency_key_reused');
  const mismatch = await report(gwA, body, { 'Idempotency-Key': 'other' });
  assert.equal(mismatch.json.error.code, 'idempotency_key_mismatch');
  const list = ok(await s.api('GET', '/api/v1/events?status=reported', { token: gwA }));
  assert.equal(list.items.filter((x) => x.description === body.description).length, 1, 'never a duplicate');

  // Another account's key is its own.
  const other = ok(await report(disp, body), 201);
  assert.notEqual(other.id, e.id);
});

test('intake: without a point the event takes the area given or the reporter\'s grid; bad input named', async () => {
  const own = ok(await report(gwA, { source: 'grid_worker', description: '路灯不亮' }), 201);
  assert.equal(own.area.code, GRID_A);
  assert.equal(own.category, null, 'a category is optional at intake');
  assert.equal(own.handling_area.code, '411624', 'unclassified: the centre at the top registers it');
  const cases = [
    [{ source: 'pigeon', description: 'x' }, 400, 'invalid_source', 'source'],
    [{ source: 'hotline' }, 400, 'missing_field', 'description'],
    [{ source: 'hotline', description: 'x', minor: '9999' }, 400, 'unknown_category', 'minor'],
    [{ source: 'hotline', description: 'x', ...at(116.4, 39.9) }, 400, 'point_outside_area', 'lng'],
    [{ source: 'hotline', description: 'x', lng: 115.1 }, 400, 'invalid_type', 'lat'],
    [{ source: 'hotline', description: 'x', reporter_phone: '12345' }, 400, 'invalid_phone', 'reporter_phone'],
    [{ source: 'hotline', description: 'x', colour: 'red' }, 400, 'unknown_field', 'colour'],
    [{ source: 'hotline', description: 'x', area: GRID_B }, 404, 'area_not_found', 'area'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await report(gwA, body);
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field, r.text);
  }
  assert.equal((await report(leader, { source: 'hotline', description: 'x' })).status, 403, 'a leader reads, does not report');
  assert.equal((await report(null, { source: 'hotline', description: 'x' })).status, 401);
  // A hotline report keeps the caller's phone sealed and shows it masked.
  const hot = ok(await report(disp, { source: 'hotline', description: '噪音扰民', area: microA.code, reporter_name: '王先生', reporter_phone: '13912345678' }), 201);
  assert.equal(hot.reporter_phone, '139****5678');
});

test('the whole loop: report, register, dispatch to a lead and a co-handler, accept, handle, close, rate', async () => {
  const e = ok(await report(gwA, { source: 'grid_worker', description: '村口夜间聚集赌博，群众反映强烈', minor: '1302', ...here() }), 201);
  assert.equal(e.handling_area.level, 'township', '治安乱点 is handled by the township');
  assert.deepEqual(e.allowed, ['escalate', 'comment'], 'the reporter may send it up or add a note; 现场解决 is for grid-level categories');
  assert.equal((await get(police, e.id)).status, 404, 'the police see it once it is theirs');
  assert.equal((await get(gwB, e.id)).status, 404, 'another grid never sees it');

  const reg = ok(await act(disp, e.id, 'register', { note: '属实，立案' }));
  assert.equal(reg.status, 'registered');
  const bad = await act(disp, e.id, 'dispatch', { department: 999999 });
  assert.equal(bad.json.error.code, 'unknown_department');
  const d = ok(await act(disp, e.id, 'dispatch', { co_departments: [depts['城管']] }));
  assert.equal(d.status, 'dispatched');
  assert.equal(d.department.name, '公安', 'the taxonomy\'s department by default');
  assert.deepEqual(d.departments.map((x) => [x.name, x.lead]), [['公安', true], ['城管', false]]);
  assert.equal(d.step, 'accept');

  // The co-handler sees it and may add a note, but does not lead.
  const co = ok(await get(chengguan, e.id));
  assert.deepEqual(co.allowed, ['comment']);
  const notLead = await act(chengguan, e.id, 'accept');
  assert.equal(notLead.status, 403);
  assert.equal(notLead.json.error.code, 'not_your_step');
  assert.deepEqual(notLead.json.error.allowed, ['comment']);
  ok(await act(chengguan, e.id, 'comment', { note: '配合清理现场' }));

  const queue = ok(await s.api('GET', '/api/v1/events', { token: police }));
  assert.ok(queue.items.some((x) => x.id === e.id), 'in the department\'s queue');
  assert.ok(queue.items.every((x) => x.department && x.department.name === '公安'), 'only its own work');
  const inbox = ok(await s.api('GET', '/api/v1/inbox', { token: police }));
  assert.ok(inbox.items.some((x) => x.id === e.id));
  assert.equal(inbox.total, inbox.green + inbox.yellow + inbox.red);

  ok(await act(police, e.id, 'accept'));
  const twice = await act(police, e.id, 'accept');
  assert.equal(twice.status, 409, 'an illegal step');
  assert.equal(twice.json.error.code, 'illegal_transition');
  assert.deepEqual(twice.json.error.allowed.sort(), ['comment', 'handle', 'request_extension', 'return'].sort());
  const noNote = await act(police, e.id, 'handle', {});
  assert.equal(noNote.json.error.field, 'note');
  const h = ok(await act(police, e.id, 'handle', { note: '已清查，3人治安处罚' }));
  assert.equal(h.status, 'handled');
  assert.equal(h.step, 'verify');
  const c = ok(await act(disp, e.id, 'close', { note: '回访属实' }));
  assert.equal(c.status, 'closed');
  assert.ok(c.closed_at);
  const outsider = await act(gwB, e.id, 'evaluate', { rating: 5 });
  assert.equal(outsider.status, 404, 'not in its scope');
  const badRating = await act(gwA, e.id, 'evaluate', { rating: 6 });
  assert.equal(badRating.json.error.field, 'rating');
  const rated = ok(await act(gwA, e.id, 'evaluate', { rating: 5, comment: '处理及时' }));
  assert.equal(rated.status, 'evaluated');
  assert.equal(rated.rating, 5);
  assert.equal(rated.closed_at, c.closed_at, 'a rating keeps the time it was closed');
  const hr = ok(await act(disp, e.id, 'rate_handling', { rating: 4 }));
  assert.equal(hr.handling_rating, 4);
  assert.deepEqual(hr.timeline.map((t) => t.action),
    ['report', 'register', 'dispatch', 'comment', 'accept', 'handle', 'close', 'evaluate', 'rate_handling']);
  assert.deepEqual(hr.timeline.map((t) => t.to),
    ['reported', 'registered', 'dispatched', 'dispatched', 'accepted', 'handled', 'closed', 'evaluated', 'evaluated']);
  assert.equal(hr.timeline[1].actor, 'dispatcher');
  assert.equal(hr.timeline[2].detail.department, depts['公安']);
  const unknown = await act(disp, e.id, 'teleport');
  assert.equal(unknown.json.error.code, 'unknown_action');
});

test('side paths: refuse, return, merge, resolve on the spot, reopen', async () => {
  const mk = async (minor, description, token = gwA) => ok(await report(token, { source: 'grid_worker', description, minor, ...here() }), 201);
  const r1 = await mk('2901', '重复上报的垃圾');
  assert.equal((await act(disp, r1.id, 'reject', {})).json.error.field, 'reason');
  assert.equal(ok(await act(disp, r1.id, 'reject', { reason: '不属于受理范围' })).status, 'rejected');

  const a = await mk('1302', '赌博A');
  const b = await mk('1302', '赌博B（同一地点）');
  const m = ok(await act(disp, b.id, 'merge', { into: a.id }));
  assert.equal(m.status, 'merged');
  assert.equal(m.merged_into, a.id);
  assert.equal((await act(disp, a.id, 'merge', { into: a.id })).json.error.code, 'invalid_merge_target');
  assert.ok(ok(await get(disp, a.id)).timeline.some((t) => t.action === 'merge' && t.detail.from === b.id));

  ok(await act(disp, a.id, 'register'));
  ok(await act(disp, a.id, 'dispatch'));
  const ret = ok(await act(police, a.id, 'return', { reason: '不属公安职责，请改派' }));
  assert.equal(ret.status, 'registered');
  const inbox = ok(await s.api('GET', '/api/v1/inbox', { token: disp }));
  assert.ok(inbox.items.some((x) => x.id === a.id), 'back on the dispatcher\'s desk');
  ok(await act(disp, a.id, 'dispatch', { department: depts['城管'] }));
  assert.equal((await get(police, a.id)).status, 404, 'no longer the police\'s');
  ok(await act(chengguan, a.id, 'accept'));
  ok(await act(chengguan, a.id, 'handle', { note: '已处理' }));
  const re = ok(await act(disp, a.id, 'reopen', { reason: '回访发现仍在聚集' }));
  assert.equal(re.status, 'accepted', 'back to the department');
  assert.equal(re.step, 'handle');

  // 小事一格解决: a grid-level category, the grid worker on the spot.
  const small = await mk('2902', '楼道乱堆乱放');
  const solved = ok(await act(gwA, small.id, 'resolve', { note: '已现场劝导清理' }));
  assert.equal(solved.status, 'handled', 'straight to verification');
  const big = await mk('1302', '需要派出所的事');
  const refused = await act(gwA, big.id, 'resolve', { note: 'x' });
  assert.equal(refused.json.error.code, 'not_grid_level');
  const notMine = await act(gwB, small.id, 'resolve', { note: 'x' });
  assert.equal(notMine.status, 404);
  const dispatch = await act(gwA, big.id, 'register');
  assert.equal(dispatch.status, 403, 'a grid worker does not register');
  assert.ok(dispatch.json.error.allowed.includes('escalate'));
});

test('deadlines count working time over a weekend and a holiday; priority 1 counts natural hours', async () => {
  // Friday 2026-11-20 10:00 in Shanghai.
  await setClock('2026-11-20T10:00:00+08:00');
  const e = ok(await report(gwA, { source: 'grid_worker', description: '垃圾堆积周五', minor: '2901', ...here() }), 201);
  assert.equal(e.deadline, '2026-11-20T04:00:00.000Z', 'the desk has 2 working hours');
  ok(await act(disp, e.id, 'register'));
  ok(await act(disp, e.id, 'dispatch'));
  const acc = ok(await act(chengguan, e.id, 'accept'));
  assert.equal(acc.deadline, '2026-11-23T02:00:00.000Z', '24 working hours from Friday 10:00: Monday 10:00');

  // Monday a holiday (set by an administrator): Tuesday 10:00.
  const hol = await s.api('POST', '/api/v1/calendar', { token: admin, body: { day: '2026-11-23', workday: false, note: '测试假日' } });
  ok(hol);
  assert.equal((await s.api('POST', '/api/v1/calendar', { token: disp, body: { day: '2026-11-24', workday: false } })).status, 403);
  assert.equal((await s.api('POST', '/api/v1/calendar', { token: admin, body: { day: '2026-02-30', workday: false } })).json.error.code, 'invalid_date');
  // Everyone signed in reads the calendar, by year.
  const cal = ok(await s.api('GET', '/api/v1/calendar?year=2026', { token: gwA }));
  assert.deepEqual(cal.items.filter((d) => d.day === '2026-11-23'), [{ day: '2026-11-23', workday: false, note: '测试假日' }]);
  assert.deepEqual(ok(await s.api('GET', '/api/v1/calendar?year=2025', { token: gwA })).items, []);
  assert.equal((await s.api('GET', '/api/v1/calendar?year=12', { token: gwA })).json.error.field, 'year');
  assert.equal((await s.api('GET', '/api/v1/calendar')).status, 401);
  // A day without workday removes its exception.
  const tmp = ok(await s.api('POST', '/api/v1/calendar', { token: admin, body: { day: '2026-12-31', workday: false } }));
  assert.ok(tmp.items.some((d) => d.day === '2026-12-31'));
  assert.ok(!ok(await s.api('POST', '/api/v1/calendar', { token: admin, body: { day: '2026-12-31' } })).items.some((d) => d.day === '2026-12-31'));
  const e2 = ok(await report(gwA, { source: 'grid_worker', description: '垃圾堆积周五二', minor: '2901', ...here() }), 201);
  ok(await act(disp, e2.id, 'register'));
  ok(await act(disp, e2.id, 'dispatch'));
  assert.equal(ok(await act(chengguan, e2.id, 'accept')).deadline, '2026-11-24T02:00:00.000Z');

  // 打架斗殴 is priority 1: one natural hour, weekend or not.
  const fight = ok(await report(gwA, { source: 'grid_worker', description: '村头有人打架', minor: '1303', ...here() }), 201);
  assert.equal(fight.priority, 1);
  ok(await act(disp, fight.id, 'register'));
  ok(await act(disp, fight.id, 'dispatch'));
  assert.equal(ok(await act(police, fight.id, 'accept')).deadline, '2026-11-20T03:00:00.000Z');

  // Suspension stops the clock; resuming gives back the time that was left
  // (14 h of Friday and 10 h of Tuesday: Monday is the holiday).
  const sus = ok(await act(disp, e2.id, 'suspend', { reason: '等待天晴' }));
  assert.equal(sus.status, 'suspended');
  assert.equal(sus.paused, true);
  await setClock('2026-11-27T10:00:00+08:00'); // a week later, far past the old deadline
  assert.equal(ok(await get(disp, e2.id)).light, 'green', 'the light does not run while suspended');
  const res = ok(await act(disp, e2.id, 'resume'));
  assert.equal(res.status, 'accepted', 'back where it was');
  assert.equal(res.deadline, '2026-11-30T02:00:00.000Z', 'the 24 working hours left, from Friday 27th 10:00: Monday 30th 10:00');

  // An extension moves the deadline by working hours once granted.
  ok(await act(chengguan, e2.id, 'request_extension', { hours: 24, reason: '需协调环卫车辆' }));
  assert.equal((await act(chengguan, e2.id, 'request_extension', { hours: 8, reason: 'x' })).json.error.code, 'extension_pending');
  assert.equal((await act(chengguan, e2.id, 'handle', { note: 'x' })).json.error.code, 'extension_pending');
  const inbox = ok(await s.api('GET', '/api/v1/inbox', { token: disp }));
  assert.ok(inbox.items.some((x) => x.id === e2.id && x.extension_requested_hours === 24), 'the centre answers it');
  const granted = ok(await act(disp, e2.id, 'grant_extension'));
  assert.equal(granted.deadline, '2026-12-01T02:00:00.000Z');
  assert.equal(granted.extension_requested_hours, null);
  assert.equal((await act(disp, e2.id, 'grant_extension')).json.error.code, 'no_extension_pending');
  ok(await act(chengguan, e2.id, 'request_extension', { hours: 100, reason: '再延' }));
  ok(await act(disp, e2.id, 'refuse_extension', { reason: '不同意' }));
  assert.equal(ok(await get(disp, e2.id)).deadline, '2026-12-01T02:00:00.000Z', 'a refusal moves nothing');
});

test('lights turn yellow and red; overdue work escalates up the tree, once per period', async () => {
  await setClock('2026-12-07T09:00:00+08:00'); // a Monday
  const e = ok(await report(gwA, { source: 'grid_worker', description: '垃圾堆积要升级', minor: '2901', ...here() }), 201);
  assert.equal(e.handling_area.level, 'grid');
  await setClock('2026-12-07T10:40:00+08:00'); // 100 of 120 minutes used
  assert.equal(ok(await get(disp, e.id)).light, 'yellow');
  await setClock('2026-12-07T11:30:00+08:00');
  assert.equal(ok(await get(disp, e.id)).light, 'red');
  const red = ok(await s.api('GET', '/api/v1/events?light=red&status=reported', { token: disp }));
  assert.ok(red.items.some((x) => x.id === e.id));
  assert.equal((await s.api('GET', '/api/v1/events?light=purple', { token: disp })).json.error.field, 'light');
  assert.equal((await s.api('GET', '/api/v1/events?status=lost', { token: disp })).json.error.field, 'status');

  ok(await s.api('POST', '/api/v1/_test/sweep', {}));
  const up = ok(await get(disp, e.id));
  assert.equal(up.escalations, 1);
  assert.equal(up.handling_area.level, 'village', 'from the grid to its village');
  const t = up.timeline.at(-1);
  assert.deepEqual([t.action, t.actor, t.detail.from_area, t.detail.to_area], ['escalate', 'system', GRID_A, GRID_A.slice(0, 12)]);
  ok(await s.api('POST', '/api/v1/_test/sweep', {}));
  assert.equal(ok(await get(disp, e.id)).escalations, 1, 'not again before the next period');
  await later(25 * H);
  ok(await s.api('POST', '/api/v1/_test/sweep', {}));
  const up2 = ok(await get(disp, e.id));
  assert.equal(up2.escalations, 2);
  assert.equal(up2.handling_area.level, 'township');
  // A grid worker may also send it up by hand, until the top.
  const manual = ok(await act(gwA, e.id, 'escalate', { note: '群众多次反映' }));
  assert.equal(manual.handling_area.level, 'county');
  assert.equal((await act(gwA, e.id, 'escalate')).json.error.code, 'already_top');
});

test('scope and roles: reads and lists stay inside the account\'s subtree and department', async () => {
  const theirs = ok(await report(gwB, { source: 'grid_worker', description: '张庄的事' }), 201);
  assert.equal((await get(gwA, theirs.id)).status, 404);
  assert.equal((await act(gwA, theirs.id, 'comment', { note: 'x' })).status, 404);
  const listA = ok(await s.api('GET', '/api/v1/events?limit=200', { token: gwA }));
  assert.ok(listA.items.every((x) => x.area.code.startsWith(GRID_A)), 'only grid A');
  assert.equal((await s.api('GET', `/api/v1/events?area=${GRID_B}`, { token: gwA })).status, 404);
  assert.ok(ok(await get(leader, theirs.id)).id, 'a county leader reads');
  assert.equal((await act(leader, theirs.id, 'comment', { note: 'x' })).status, 403, 'but takes no step');
  const police = ok(await s.api('GET', '/api/v1/events?limit=200', { token: await s.login('handler') }));
  assert.ok(police.items.length > 0);
  assert.ok(police.items.every((x) => x.department && x.department.name === '公安'), 'the police list only the police\'s work');
  assert.equal((await get(await s.login('handler'), theirs.id)).status, 404);
  const cats = ok(await s.api('GET', '/api/v1/categories', { token: gwA }));
  assert.equal(cats.items.length, 162);
  assert.equal(new Set(cats.items.map((c) => c.major)).size, 54);
  const wf = ok(await s.api('GET', '/api/v1/workflow', { token: gwA }));
  assert.ok(wf.items.find((x) => x.action === 'dispatch').who.includes('centre'));
});

// An open event stream (GET /api/v1/stream): its events as they arrive.
async function openStream(token) {
  const ctl = new AbortController();
  const res = await fetch(`${s.url}/api/v1/stream`, { headers: { Authorization: `Bearer ${token}` }, signal: ctl.signal });
  const events = [];
  let wake = () => {};
  const stream = { res, events, close: () => ctl.abort() };
  if (res.status !== 200) return stream;
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const lines = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (lines.event) events.push({ event: lines.event, id: lines.id, data: JSON.parse(lines.data) });
          wake();
        }
      }
    } catch { /* aborted */ }
  })();
  // Resolves with the first event matching pred; fails after 5 s without one.
  stream.waitFor = (pred, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} on the stream; got ${JSON.stringify(events)}`)), 5000);
    const check = () => {
      const hit = events.find(pred);
      if (hit) { clearTimeout(timer); wake = () => {}; resolve(hit); } else wake = check;
    };
    check();
  });
  return stream;
}

test('the event stream pushes new and changed events inside the account\'s scope only', async () => {
  await signIn();
  assert.equal((await fetch(`${s.url}/api/v1/stream`)).status, 401);
  const [a, b, p] = await Promise.all([openStream(gwA), openStream(gwB), openStream(police)]);
  assert.equal(a.res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const inA = ok(await report(gwA, { source: 'grid_worker', description: '流：于庄的事', minor: '1302', ...here() }), 201);
  const got = await a.waitFor((e) => e.data.id === inA.id, 'the report in grid A');
  assert.deepEqual([got.event, got.data.action, got.data.status], ['event', 'report', 'reported']);
  const inB = ok(await report(gwB, { source: 'grid_worker', description: '流：张庄的事' }), 201);
  await b.waitFor((e) => e.data.id === inB.id, 'the report in grid B');
  // Published in order: once A hears of its next event, B's would have come before it.
  ok(await act(disp, inA.id, 'register'));
  await a.waitFor((e) => e.data.id === inA.id && e.data.action === 'register', 'the registration');
  assert.ok(!a.events.some((e) => e.data.id === inB.id), 'grid A never hears of grid B');
  assert.ok(!b.events.some((e) => e.data.id === inA.id), 'nor B of A');
  // A department hears of the work dispatched to it, not of others'.
  const other = ok(await report(gwA, { source: 'grid_worker', description: '流：城管的事', minor: '2901', ...here() }), 201);
  ok(await act(disp, other.id, 'register'));
  ok(await act(disp, other.id, 'dispatch'));
  ok(await act(disp, inA.id, 'dispatch'));
  await p.waitFor((e) => e.data.id === inA.id && e.data.action === 'dispatch', 'the dispatch to the police');
  assert.ok(!p.events.some((e) => e.data.id === other.id), 'the police do not hear of 城管 work');
  assert.ok(!p.events.some((e) => e.data.id === inB.id), 'nor of an undispatched report');
  a.close();
  b.close();
  // p stays open: the server must still stop cleanly with a stream open.
});

test('a county sets its own handling time for a category; null goes back to the taxonomy\'s', async () => {
  await setClock('2026-12-14T10:00:00+08:00'); // a Monday
  const set = (token, minor, body) => s.api('POST', `/api/v1/categories/${minor}`, { token, body });
  assert.equal((await set(disp, '2901', { deadline_h: 48 })).status, 403, 'administrators only');
  assert.equal((await set(admin, '9999', { deadline_h: 48 })).status, 404);
  assert.equal((await set(admin, '2901', { deadline_h: 0 })).json.error.code, 'out_of_range');
  assert.equal((await set(admin, '2901', {})).json.error.field, 'deadline_h');
  const r = ok(await set(admin, '2901', { deadline_h: 48 }));
  const cat = r.items.find((c) => c.minor === '2901');
  assert.deepEqual([cat.deadline_h, cat.taxonomy_deadline_h], [48, 24]);
  const e = ok(await report(gwA, { source: 'grid_worker', description: '垃圾堆积：县里的时限', minor: '2901', ...here() }), 201);
  ok(await act(disp, e.id, 'register'));
  ok(await act(disp, e.id, 'dispatch'));
  const acc = ok(await act(chengguan, e.id, 'accept'));
  assert.equal(acc.deadline, '2026-12-16T02:00:00.000Z', '48 working hours from Monday 10:00: Wednesday 10:00');
  assert.equal(acc.category.deadline_h, 48);
  const back = ok(await set(admin, '2901', { deadline_h: null }));
  assert.equal(back.items.find((c) => c.minor === '2901').deadline_h, 24);
});
