// Login, cookie and bearer sessions, lockout, idle expiry, throttling, logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, PASSWORD } from '../lib/server.mjs';

let s;
before(async () => { s = await startServer({ demo: true, args: ['--throttle-failures', '12'] }); });
after(async () => { assertCleanExit(assert, await s.stop()); });

const login = (username, password) => s.api('POST', '/api/v1/auth/login', { body: { username, password } });

test('login returns a token and an HttpOnly SameSite=Strict cookie', async () => {
  const r = await login('admin', PASSWORD);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.token.length, 43);
  assert.equal(r.json.account.username, 'admin');
  assert.equal(r.json.account.role, 'admin');
  assert.equal(r.json.account.area.code, '411624');
  assert.equal(r.json.expires_in, 1800);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^pingan_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const viaCookie = await s.api('GET', '/api/v1/auth/me', { headers: { Cookie: cookie.split(';')[0] } });
  assert.equal(viaCookie.status, 200);
  assert.equal(viaCookie.json.account.username, 'admin');
  const viaBearer = await s.api('GET', '/api/v1/auth/me', { token: r.json.token });
  assert.equal(viaBearer.json.account.name, '系统管理员');
});

test('wrong password and unknown user give the same answer', async () => {
  const a = await login('leader', 'Wrong@12345');
  const b = await login('nosuchuser', 'Wrong@12345');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.error.code, 'invalid_credentials');
  assert.deepEqual(a.json, b.json);
});

test('five failures lock the account for 15 minutes, even against the right password', async () => {
  for (let i = 1; i <= 4; i++) assert.equal((await login('mediator', 'Wrong@12345')).status, 401);
  const fifth = await login('mediator', 'Wrong@12345');
  assert.equal(fifth.status, 423);
  assert.equal(fifth.json.error.code, 'account_locked');
  const right = await login('mediator', PASSWORD);
  assert.equal(right.status, 423, 'the right password is refused while locked');
  await s.advanceClock(14 * 60 * 1000);
  assert.equal((await login('mediator', PASSWORD)).status, 423, 'still locked after 14 minutes');
  await s.advanceClock(60 * 1000 + 1000);
  const after15 = await login('mediator', PASSWORD);
  assert.equal(after15.status, 200, after15.text);
});

test('sessions expire after 30 idle minutes; use keeps them alive', async () => {
  const token = await s.login('dispatcher');
  await s.advanceClock(29 * 60 * 1000);
  assert.equal((await s.api('GET', '/api/v1/auth/me', { token })).status, 200);
  await s.advanceClock(29 * 60 * 1000);
  assert.equal((await s.api('GET', '/api/v1/auth/me', { token })).status, 200, 'the last request renewed it');
  await s.advanceClock(31 * 60 * 1000);
  const r = await s.api('GET', '/api/v1/auth/me', { token });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'session_expired');
  const again = await s.api('GET', '/api/v1/auth/me', { token });
  assert.equal(again.json.error.code, 'invalid_session', 'an expired session is gone');
});

test('logout ends the session and clears the cookie', async () => {
  const token = await s.login('handler');
  const r = await s.api('POST', '/api/v1/auth/logout', { token });
  assert.equal(r.status, 204);
  assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await s.api('GET', '/api/v1/auth/me', { token })).status, 401);
});

test('a disabled account cannot log in and loses its sessions', async () => {
  const admin = await s.login('admin');
  const victim = await s.login('petition_officer');
  const list = await s.api('GET', '/api/v1/accounts?role=petition_officer', { token: admin });
  const id = list.json.items[0].id;
  const d = await s.api('PATCH', `/api/v1/accounts/${id}`, { token: admin, body: { disabled: true } });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.disabled, true);
  assert.equal((await s.api('GET', '/api/v1/auth/me', { token: victim })).status, 401);
  const r = await login('petition_officer', PASSWORD);
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'account_disabled');
  await s.api('PATCH', `/api/v1/accounts/${id}`, { token: admin, body: { disabled: false } });
  assert.equal((await login('petition_officer', PASSWORD)).status, 200);
});

test('many failures from one address are throttled with 429 and Retry-After', async () => {
  // Earlier tests used up some of the 12 allowed; spread over different names.
  let r;
  for (let i = 0; i < 20; i++) {
    r = await login(`ghost${i}`, 'Wrong@12345');
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'too_many_attempts');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.equal((await login('admin', PASSWORD)).status, 429, 'even a right password waits');
  await s.advanceClock(11 * 60 * 1000);
  assert.equal((await login('admin', PASSWORD)).status, 200);
});
