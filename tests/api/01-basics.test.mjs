// Health, error envelope, body limits, malformed input, static files, clean stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s;
before(async () => { s = await startServer({ args: ['--max-body', '2048'] }); });
after(async () => { assertCleanExit(assert, await s.stop()); });

function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

test('health answers ok with the version', async () => {
  const r = await s.api('GET', '/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.match(r.json.version, /^\d+\.\d+\.\d+$/);
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('unknown routes and methods get JSON errors', async () => {
  assertError(await s.api('GET', '/api/v1/nothing-here'), 404, 'no_such_route');
  assertError(await s.api('DELETE', '/api/v1/health'), 405, 'method_not_allowed');
});

test('protected routes need a session', async () => {
  assertError(await s.api('GET', '/api/v1/areas'), 401, 'unauthenticated');
  assertError(await s.api('GET', '/api/v1/areas', { token: 'x'.repeat(43) }), 401, 'invalid_session');
  assertError(await s.api('GET', '/api/v1/areas', { token: 'short' }), 401, 'invalid_session');
});

test('malformed JSON bodies are refused with a clear error', async () => {
  const r = await s.api('POST', '/api/v1/auth/login', { raw: '{"username": "a", ', headers: { 'Content-Type': 'application/json' } });
  assertError(r, 400, 'invalid_json');
  assert.match(r.json.error.message, /第 1 行/);
  assertError(await s.api('POST', '/api/v1/auth/login', { raw: '[1,2]' }), 400, 'body_not_object');
  assertError(await s.api('POST', '/api/v1/auth/login', { raw: '' }), 400, 'empty_body');
  assertError(await s.api('POST', '/api/v1/auth/login', { raw: '{"username":"a","username":"b","password":"x"}' }), 400, 'invalid_json');
  assertError(await s.api('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'x', extra: 1 } }), 400, 'unknown_field', 'extra');
  assertError(await s.api('POST', '/api/v1/auth/login', { body: { username: 'ad\u0000min', password: 'x' } }), 400, 'invalid_json');
  assertError(await s.api('POST', '/api/v1/auth/login', { body: { username: 'ad\u0001min', password: 'x' } }), 400, 'invalid_text', 'username');
  assertError(await s.api('POST', '/api/v1/auth/login', { body: { username: 12, password: 'x' } }), 400, 'invalid_type', 'username');
  assertError(await s.api('POST', '/api/v1/auth/login', { body: { password: 'x' } }), 400, 'missing_field', 'username');
  assertError(await s.api('POST', '/api/v1/auth/login', { body: { username: '   ', password: 'x' } }), 400, 'empty_field', 'username');
});

test('a body over the limit gets 413 as JSON, and the server goes on', async () => {
  const big = JSON.stringify({ username: 'a'.repeat(5000), password: 'x' });
  assertError(await s.api('POST', '/api/v1/auth/login', { raw: big, headers: { 'Content-Type': 'application/json' } }), 413, 'body_too_large');
  // Without a Content-Length (chunked), the limit holds while reading.
  const stream = new ReadableStream({
    start(c) { for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1000))); c.close(); },
  });
  const res = await fetch(s.url + '/api/v1/auth/login', { method: 'POST', body: stream, duplex: 'half' });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'body_too_large');
  const h = await s.api('GET', '/api/v1/health');
  assert.equal(h.status, 200);
});

test('numeric body fields are range-checked', async () => {
  const r = await s.api('POST', '/api/v1/_test/clock', { body: { advance_ms: -5 } });
  assertError(r, 400, 'out_of_range', 'advance_ms');
});

test('the UI is served as static files, safely', async () => {
  const r = await s.api('GET', '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.text, /lang="zh-CN"/);
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  const spa = await s.api('GET', '/areas/411624');
  assert.equal(spa.status, 200, 'client-side routes fall back to the app shell');
  assertError(await s.api('GET', '/missing.js'), 404, 'not_found');
  const trav = await fetch(s.url + '/..%2f..%2fetc/passwd');
  assert.notEqual(trav.status, 200);
  assertError(await s.api('POST', '/index.html'), 405, 'method_not_allowed');
});

// Found when a test stopped a server the moment it had started: the stop
// signals were blocked only after the sweeper thread had started, so a
// SIGTERM before the main thread waited for it killed the process uncleanly.
test('a stop signal the moment the server is up still shuts it down cleanly', async () => {
  for (let i = 0; i < 8; i++) {
    const srv = await startServer({});
    assertCleanExit(assert, await srv.stop());
  }
});
