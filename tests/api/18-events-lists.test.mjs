// Event lists and inboxes asked again and again, in turns, by different
// roles: each answer is the same true one. (The statements were once built
// per request in the request's arena while the statement cache keys on the
// SQL's address: one query then ran another's statement, or the cache
// filled and the server aborted.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';

const GRID = '411624001200001';
let s, disp, police, gw;

before(async () => {
  s = await startServer({ demo: true });
  [disp, police, gw] = await Promise.all(['dispatcher', 'handler', `g${GRID}`].map((u) => s.login(u)));
  const micro = await liveMicroGrid(assert, s, gw, GRID);
  for (const [minor, description] of [['1302', '治安乱点甲'], ['2902', '乱堆乱放乙'], ['1302', '治安乱点丙']]) {
    const r = await s.api('POST', '/api/v1/events', { token: gw, body: { source: 'grid_worker', description, minor, area: micro.code } });
    assert.equal(r.status, 201, r.text);
  }
  const first = (await s.api('GET', '/api/v1/events?status=reported', { token: disp })).json.items.at(-1);
  for (const action of ['register', 'dispatch']) {
    const r = await s.api('POST', `/api/v1/events/${first.id}/actions/${action}`, { token: disp, body: {} });
    assert.equal(r.status, 200, r.text);
  }
});
after(async () => { assertCleanExit(assert, await s.stop()); });

test('lists and inboxes in turns, 400 times, give the same answers', async () => {
  const asks = [
    [disp, '/api/v1/events'],
    [disp, '/api/v1/inbox'],
    [disp, '/api/v1/events?status=reported,dispatched&light=green'],
    [police, '/api/v1/inbox'],
    [police, '/api/v1/events?status=dispatched'],
    [gw, '/api/v1/inbox'],
    [disp, `/api/v1/events?area=${GRID}&source=grid_worker`],
    [disp, '/api/v1/events?status=reported'],
    [gw, '/api/v1/events?status=reported'],
    [police, '/api/v1/events'],
  ];
  const first = new Map();
  for (let i = 0; i < 400; i++) {
    const k = i % asks.length;
    const [token, path] = asks[k];
    const r = await s.api('GET', path, { token });
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.equal(r.json.total_capped ?? false, false, `${path}: a small total is exact`);
    for (const e of r.json.items) {
      assert.ok(e.id > 0 && e.status && e.area.code.startsWith(GRID), `${path}: a real event: ${JSON.stringify(e)}`);
    }
    const answer = JSON.stringify([r.json.total, r.json.items.map((e) => [e.id, e.status])]);
    if (!first.has(k)) first.set(k, answer);
    assert.equal(answer, first.get(k), `${path} (ask ${k}) answers as it did the first time`);
  }
  const answers = asks.map((_, k) => JSON.parse(first.get(k)));
  assert.equal(answers[1][0], 2, 'two reported events wait on the dispatcher');
  assert.equal(answers[3][0], 1, 'the dispatched one waits on the police');
  assert.deepEqual(answers[4][1].map((x) => x[1]), ['dispatched']);
  assert.equal(answers[5][0], 0, 'nothing closed waits on the grid worker to rate');
  // The same two reported events, whichever way the list is read: by the
  // county's dispatcher (newest backwards) or the grid's worker (its range).
  assert.deepEqual(answers[7], answers[8]);
  assert.equal(answers[7][0], 2);
  assert.deepEqual(answers[7][1].map((x) => x[0]), answers[7][1].map((x) => x[0]).sort((x, y) => y - x), 'newest first');
  assert.deepEqual(answers[9], answers[4], 'the police\'s list is its one dispatched event');
});
