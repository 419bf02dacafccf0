// The audit log: what is recorded, who may read it, that it cannot change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit, PASSWORD } from '../lib/server.mjs';

let s, admin;
before(async () => {
  s = await startServer({ demo: true });
  await s.api('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'Wrong@Pass1' } });
  admin = await s.login('admin');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const audit = (q = '', token = admin) => s.api('GET', `/api/v1/audit${q}`, { token });

test('logins are recorded, failed and successful', async () => {
  const r = await audit('?action=auth.login&object=user:admin');
  assert.equal(r.status, 200);
  const outcomes = r.json.items.map((i) => i.outcome);
  assert.ok(outcomes.includes('ok'));
  assert.ok(outcomes.includes('denied'));
  const fail = r.json.items.find((i) => i.outcome === 'denied');
  assert.equal(fail.status, 401);
  assert.equal(fail.address, '127.0.0.1');
  assert.match(fail.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('writes are recorded with their detail, failures too', async () => {
  const ok = await s.api('PATCH', '/api/v1/areas/411624001200001', { token: admin, body: { name: '审计测试网格' } });
  assert.equal(ok.status, 200);
  const bad = await s.api('PATCH', '/api/v1/areas/411624001200001', { token: admin, body: { name: '' } });
  assert.equal(bad.status, 400);
  const r = await audit('?action=area.update&object=411624001200001');
  assert.equal(r.json.total, 2);
  const [failed, done] = r.json.items;
  assert.equal(done.outcome, 'ok');
  assert.equal(done.account, 'admin');
  assert.equal(done.detail.change.name, '审计测试网格');
  assert.equal(failed.outcome, 'error');
  assert.equal(failed.status, 400);
  assert.match(done.request_id, /^[0-9a-f]{16}$/);
});

test('attempts outside the scope are recorded as denied', async () => {
  const gw = await s.login('g411624001200001');
  assert.equal((await s.api('GET', '/api/v1/areas/411624002200001', { token: gw })).status, 404);
  const r = await audit('?account=g411624001200001&action=area.get');
  assert.equal(r.json.items[0].outcome, 'denied');
  assert.equal(r.json.items[0].object, '411624002200001');
});

test('only admins read the audit, each within its scope', async () => {
  const leader = await s.login('leader');
  assert.equal((await audit('', leader)).status, 403);
  const c = await s.api('POST', '/api/v1/accounts', { token: admin, body: { username: 'town1', name: '镇管理员', role: 'admin', area: '411624001', password: 'Town@Admin2026' } });
  assert.equal(c.status, 201);
  const town = await s.login('town1', 'Town@Admin2026');
  const mine = await audit('?limit=500', town);
  assert.equal(mine.status, 200);
  assert.ok(mine.json.items.length > 0);
  // Rows of accounts inside the township (its own, and the grid worker's above).
  assert.ok(mine.json.items.some((i) => i.account === 'g411624001200001'));
  assert.ok(mine.json.items.every((i) => i.account === 'town1' || i.account.startsWith('g411624001')),
    'a township admin sees its subtree only');
  const all = await audit('?account=admin', town);
  assert.equal(all.json.total, 0);
});

test('filters: action prefix, time range, bad values', async () => {
  const auth = await audit('?action=auth.&limit=500');
  assert.ok(auth.json.items.length >= 2);
  assert.ok(auth.json.items.every((i) => i.action.startsWith('auth.')));
  const future = await audit('?from=2999-01-01');
  assert.equal(future.json.total, 0);
  const past = await audit('?to=2000-01-01');
  assert.equal(past.json.total, 0);
  const bad = await audit('?from=yesterday');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'from');
  const badLimit = await audit('?limit=100000');
  assert.equal(badLimit.json.error.field, 'limit');
});

test('no route changes the audit, and the table refuses UPDATE and DELETE', async () => {
  assert.equal((await s.api('DELETE', '/api/v1/audit', { token: admin })).status, 405);
  assert.equal((await s.api('POST', '/api/v1/audit', { token: admin, body: {} })).status, 405);
  for (const sql of ['UPDATE audit SET outcome = \'ok\';', 'DELETE FROM audit;']) {
    let msg = '';
    try {
      execFileSync('sqlite3', [s.db, sql], { stdio: 'pipe' });
    } catch (e) { msg = String(e.stderr); }
    assert.match(msg, /append-only/, sql);
  }
  const r = await audit('?limit=1');
  assert.ok(r.json.total > 0);
});
