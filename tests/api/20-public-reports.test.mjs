// The public channel (issue 5, "Residents and open standards"): a resident
// reports without an account and gets a tracking code; the code shows the
// status, the deadline nodes and the result and nothing personal ("三个公开");
// the resident rates once, through the same step table; reports are limited
// per address and guessing codes is throttled. The clock is the server's
// test clock; nothing sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';

const GRID_A = '411624001200001';
const H = 3600 * 1000;
const LIMIT = 12;
const GUESSES = 6;
let s, disp, police, gwA, pointA;

const signIn = async () => {
  [disp, police, gwA] = await Promise.all(['dispatcher', 'handler', `g${GRID_A}`].map((u) => s.login(u)));
};

before(async () => {
  s = await startServer({
    demo: true,
    env: { PINGAN_PUBLIC_REPORT_LIMIT: String(LIMIT), PINGAN_PUBLIC_GUESS_LIMIT: String(GUESSES), PINGAN_PUBLIC_WINDOW: '3600' },
  });
  await signIn();
  const micro = await liveMicroGrid(assert, s, gwA, GRID_A);
  const map = await s.api('GET', `/api/v1/areas/${GRID_A}/map`, { token: gwA });
  pointA = map.json.features.find((f) => f.properties.code === micro.code).properties.label;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const report = (body, headers) => s.api('POST', '/api/v1/public/reports', { body, headers });
const track = (code) => s.api('GET', `/api/v1/public/reports/${code}`);
const rate = (code, body) => s.api('POST', `/api/v1/public/reports/${code}/rating`, { body });
const act = (token, id, action, body = {}) => s.api('POST', `/api/v1/events/${id}/actions/${action}`, { token, body });
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };
const here = () => ({ lng: pointA[0], lat: pointA[1] });
// A new window for the per-address limits (sessions end with the jump).
const nextWindow = async () => { await s.advanceClock(2 * H); await signIn(); };
// The staff's view of the event behind a code.
const staffEvent = async (code) => {
  const list = ok(await s.api('GET', '/api/v1/events?source=resident&limit=200', { token: disp }));
  const e = list.items.find((x) => x.track_code === code);
  assert.ok(e, `the centre sees ${code}`);
  return ok(await s.api('GET', `/api/v1/events/${e.id}`, { token: disp }));
};
// Nothing personal in a public answer: no reporter, no staff, no notes' authors.
const assertNothingPersonal = (text, ...secrets) => {
  for (const word of ['reporter', 'actor', 'username', 'phone', 'dispatcher', `g${GRID_A}`, ...secrets])
    assert.ok(!text.includes(word), `the public view must not contain "${word}": ${text}`);
};

test('a resident reports with a point, a name and a phone: a tracking code, the phone sealed', async () => {
  const body = { description: '小区门口路灯不亮，夜里很黑', minor: '2901', ...here(), reporter_name: '李桂英', reporter_phone: '13912345678' };
  const r = ok(await report(body), 201);
  assert.match(r.track_code, /^[2-9A-HJ-NP-Z]{10}$/);
  assert.equal(r.status, 'reported');
  assert.equal(r.status_name, '待立案');
  assert.equal(r.category.minor_name, '垃圾堆积');
  assert.equal(r.can_rate, false);
  assert.deepEqual(r.nodes.map((n) => [n.action, n.status_name]), [['report', '待立案']]);
  assert.ok(r.nodes[0].deadline > r.nodes[0].at, 'the first deadline node: the centre\'s desk time');
  assertNothingPersonal(JSON.stringify(r), '李桂英', '13912345678', '139****5678');

  // The centre sees who reported, with the phone masked and sealed.
  const e = await staffEvent(r.track_code);
  assert.equal(e.source, 'resident');
  assert.equal(e.reporter_name, '李桂英');
  assert.equal(e.reporter_phone, '139****5678');
  assert.equal(e.area_chain[3].code, GRID_A, 'located to its grid');
  assert.deepEqual(e.timeline.map((t) => [t.action, t.actor]), [['report', 'resident']]);

  // An address is enough: the county's centre takes it.
  const addr = ok(await report({ description: '集市上有人占道经营', address: '槐店镇文化路与建设路口' }), 201);
  assert.equal((await staffEvent(addr.track_code)).area.code, '411624');
});

test('retries with an idempotency key return the same report; short or reused keys are refused', async () => {
  const key = 'pub-7f3a9c2e51d04b8a';
  const body = { description: '河道里有死鱼', address: '沙河桥下', idempotency_key: key };
  const first = ok(await report(body), 201);
  const again = ok(await report(body), 200);
  assert.equal(again.track_code, first.track_code, 'the phone lost signal: the same report');
  const viaHeader = ok(await report({ ...body, idempotency_key: undefined }, { 'Idempotency-Key': key }), 200);
  assert.equal(viaHeader.track_code, first.track_code);
  const reused = await report({ ...body, description: '另一件事' });
  assert.equal(reused.status, 409);
  assert.equal(reused.json.error.code, 'idempotency_key_reused');
  const short = await report({ ...body, idempotency_key: 'k1' });
  assert.equal(short.status, 400);
  assert.equal(short.json.error.code, 'idempotency_key_too_short');
  assert.equal(short.json.error.field, 'idempotency_key');
});

test('bad reports are refused naming the field, and nothing is written', async () => {
  await nextWindow();
  const before = ok(await s.api('GET', '/api/v1/events?source=resident&limit=1', { token: disp })).total;
  const cases = [
    [{ address: '某处' }, 400, 'missing_field', 'description'],
    [{ description: '   ', address: '某处' }, 400, 'empty_field', 'description'],
    [{ description: 'x'.repeat(2001), address: '某处' }, 400, 'too_long', 'description'],
    [{ description: '有问题' }, 400, 'missing_field', 'lng'],
    [{ description: '有问题', lng: 116.4, lat: 39.9 }, 400, 'point_outside_area', 'lng'],
    [{ description: '有问题', lng: 115.1 }, 400, 'invalid_type', 'lat'],
    [{ description: '有问题', address: '某处', minor: '9999' }, 400, 'unknown_category', 'minor'],
    [{ description: '有问题', address: '某处', reporter_phone: '12345' }, 400, 'invalid_phone', 'reporter_phone'],
    [{ description: '有问题', address: '某处', source: 'grid_worker' }, 400, 'unknown_field', 'source'],
    [{ description: '有问题', address: '某处', area: GRID_A }, 400, 'unknown_field', 'area'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await report(body);
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field, r.text);
  }
  const notJson = await s.api('POST', '/api/v1/public/reports', { raw: 'description=x', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(notJson.status, 400);
  const big = await s.api('POST', '/api/v1/public/reports', {
    raw: JSON.stringify({ description: 'x', address: 'y', pad: 'p'.repeat(20000) }), headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(big.status, 413, 'a resident\'s report is small');
  assert.equal(big.json.error.code, 'body_too_large');
  const after_ = ok(await s.api('GET', '/api/v1/events?source=resident&limit=1', { token: disp })).total;
  assert.equal(after_, before, 'no partial write');
});

test('the tracking page shows the deadline nodes and the result, never people; the resident rates once, when closed', async () => {
  const r = ok(await report({ description: '村口夜间聚集赌博', minor: '1302', ...here(), reporter_name: '王建国', reporter_phone: '13700001111' }), 201);
  const code = r.track_code;
  const e = await staffEvent(code);
  ok(await act(disp, e.id, 'register', { note: '属实，立案' }));
  ok(await act(disp, e.id, 'dispatch', {}));
  ok(await act(police, e.id, 'accept'));
  ok(await act(disp, e.id, 'comment', { note: '内部备注：举报人王建国是村民组长' }));

  // Not closed yet: no rating.
  const early = await rate(code, { rating: 5 });
  assert.equal(early.status, 409, early.text);
  assert.equal(early.json.error.code, 'illegal_transition');
  const mid = ok(await track(code));
  assert.equal(mid.status_name, '处置中');
  assert.equal(mid.department, '公安', 'the agency responsible is public');
  assert.ok(mid.deadline, 'the handling deadline while open');
  assert.equal(mid.result, null);

  ok(await act(police, e.id, 'handle', { note: '已清查，赌具已收缴' }));
  ok(await act(disp, e.id, 'close', { note: '回访属实' }));
  const done = ok(await track(code.toLowerCase()));
  assert.equal(done.status, 'closed');
  assert.equal(done.status_name, '已结案');
  assert.equal(done.result, '已清查，赌具已收缴', 'the result is the handling note');
  assert.equal(done.can_rate, true);
  assert.equal(done.deadline, null);
  assert.ok(done.closed_at);
  assert.deepEqual(done.nodes.map((n) => n.action), ['report', 'register', 'dispatch', 'accept', 'handle', 'close'],
    'the internal remark is not a public node');
  assert.ok(done.nodes.filter((n) => n.deadline).length >= 4, 'each step that starts a clock shows its deadline');
  assertNothingPersonal(JSON.stringify(done), '王建国', '13700001111', '137****1111', '内部备注', '属实，立案', '回访属实', 'handler');

  const bad = await rate(code, { rating: 6 });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'rating');
  const extra = await rate(code, { rating: 5, reporter_name: 'x' });
  assert.equal(extra.json.error.code, 'unknown_field');
  const rated = ok(await rate(code, { rating: 4, comment: '处理及时，感谢' }));
  assert.equal(rated.status, 'evaluated');
  assert.equal(rated.status_name, '已评价');
  assert.equal(rated.rating, 4);
  assert.equal(rated.can_rate, false);
  assert.equal(rated.closed_at, done.closed_at, 'the rating keeps when it was closed');
  const twice = await rate(code, { rating: 1 });
  assert.equal(twice.status, 409, 'only once');
  assert.equal(twice.json.error.code, 'illegal_transition');

  // The same step as a reporter's account takes: the timeline records it.
  const after_ = ok(await s.api('GET', `/api/v1/events/${e.id}`, { token: disp }));
  const last = after_.timeline.at(-1);
  assert.deepEqual([last.action, last.actor, last.from, last.to, last.detail.rating], ['evaluate', 'resident', 'closed', 'evaluated', 4]);
  assert.equal(after_.rating, 4);
  assert.equal(after_.rating_comment, '处理及时，感谢');
});

test('a wrong code answers 404 and reveals nothing; staff events cannot be tracked; guessing is throttled', async () => {
  await nextWindow();
  const mine = ok(await report({ description: '楼道堆放杂物', address: '幸福小区3号楼' }), 201);
  // A grid worker's event has a code too, but it is not the public's.
  const staff = ok(await s.api('POST', '/api/v1/events', { token: gwA, body: { source: 'grid_worker', description: '重点人员走访异常', ...here() } }), 201);
  const answers = [];
  for (const code of ['ZZZZZZZZZZ', 'short', 'ABCDEFGHI0', staff.track_code]) {
    const r = await track(code);
    assert.equal(r.status, 404, `${code}: ${r.text}`);
    answers.push(r.json);
  }
  assert.ok(answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0])), 'every miss looks the same');
  assert.equal((await rate(staff.track_code, { rating: 1 })).status, 404);
  // GUESSES misses in the window (5 so far): one more, then every lookup is refused.
  assert.equal((await track('YYYYYYYYYY')).status, 404);
  const refused = await track(mine.track_code);
  assert.equal(refused.status, 429, 'past the limit even a right code is refused: no oracle');
  assert.equal(refused.json.error.code, 'too_many_lookups');
  const wait = Number(refused.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 3600, `Retry-After ${wait}`);
  assert.equal((await rate(mine.track_code, { rating: 5 })).status, 429);
  await nextWindow();
  assert.equal((await track(mine.track_code)).status, 200, 'a new window');
});

test('reports are limited per client address and window (429 with Retry-After)', async () => {
  await nextWindow();
  for (let i = 0; i < LIMIT; i++)
    ok(await report({ description: `第${i}件事`, address: '城关镇' }), 201);
  const over = await report({ description: '再来一件', address: '城关镇' });
  assert.equal(over.status, 429, over.text);
  assert.equal(over.json.error.code, 'too_many_reports');
  const wait = Number(over.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 3600, `Retry-After ${wait}`);
  // Accounts are not limited by it: a grid worker keeps reporting.
  ok(await s.api('POST', '/api/v1/events', { token: gwA, body: { source: 'grid_worker', description: '照常上报', ...here() } }), 201);
  await nextWindow();
  ok(await report({ description: '一小时后', address: '城关镇' }), 201);
});
