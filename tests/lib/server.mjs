// Test harness: starts the real pingan binary (the sanitizer build) on a
// temporary database and a free port, and talks to it over HTTP.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync, copyFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.PINGAN_BIN || join(ROOT, 'build', 'test', 'pingan');
export const PASSWORD = 'Pingan@2026';

// Cheaper argon2id for tests (the cost is configuration; production keeps
// the default). Everything else is the production configuration.
export const TEST_ENV = {
  PINGAN_ARGON2_OPS: '1',
  PINGAN_ARGON2_MEM_KIB: '8192',
  PINGAN_LOG_LEVEL: 'warn',
  ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Runs the binary to completion: {status, stdout, stderr}.
export function run(args, { env = {}, input } = {}) {
  const r = spawnSync(BIN, args, {
    env: { ...process.env, ...TEST_ENV, ...env },
    input,
    encoding: 'utf8',
    timeout: 120000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The same without blocking the event loop, for long runs (a k-fold
// training): a test's server keeps its keep-alive connections, and a blocked
// loop would miss the server closing an idle one after connection_timeout
// and reuse a dead socket ("fetch failed").
export function runAsync(args, { env = {}, input } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { env: { ...process.env, ...TEST_ENV, ...env } });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 300000);
    p.on('error', reject);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
    p.stdin.end(input ?? '');
  });
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'pingan-test-'));
}

// The demo county is built once per binary (it takes seconds under the
// sanitizers) and copied for each test, which then owns its copy.
function demoTemplate() {
  const stamp = statSync(BIN).mtimeMs.toFixed(0);
  const template = join(tmpdir(), `pingan-demo-template-${stamp}.db`);
  if (!existsSync(template)) {
    const partial = `${template}.${process.pid}.tmp`;
    // No residents in the shared template: the registry tests make their own.
    const r = run(['demo', '--db', partial, '--password', PASSWORD, '--people', '0', '--orgs', '0']);
    if (r.status !== 0) throw new Error(`pingan demo failed (${r.status}): ${r.stderr}`);
    // A closed database in WAL mode has no -wal left: the one file is the copy
    // (with the classifier's model beside it).
    renameSync(`${partial}.model`, `${template}.model`);
    renameSync(partial, template);
  }
  return template;
}

// A fresh copy of the demo county in its own directory.
export function makeDemoDb(dir = tempDir()) {
  const db = join(dir, 'pingan.db');
  const template = demoTemplate();
  copyFileSync(template, db);
  copyFileSync(`${template}.model`, `${db}.model`);
  return { dir, db };
}

export async function startServer({ demo = false, db, env = {}, args = [] } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run make test-build`);
  const dir = db ? dirname(db) : tempDir();
  if (!db) db = demo ? makeDemoDb(dir).db : join(dir, 'pingan.db');
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--test-clock', '1', ...args], {
    // Idle connections live longer than in production (30 s): a test that
    // runs the binary synchronously for long (a training under the
    // sanitizers) blocks its event loop, and fetch would then reuse a
    // keep-alive socket the server closed meanwhile ("fetch failed").
    env: { ...process.env, ...TEST_ENV, PINGAN_CONNECTION_TIMEOUT: '600', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${stderr}`)); });
  });
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url, port, db, dir, proc, password: PASSWORD,
    get stderr() { return stderr; },
    // Stops with SIGTERM; resolves {code, signal, stderr}. Removes the temp dir.
    async stop({ keep = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      if (!keep) rmSync(dir, { recursive: true, force: true });
      return { ...r, stderr };
    },
    // One request: {status, json, text, headers}.
    async api(method, path, { token, body, headers = {}, raw } = {}) {
      const h = { ...headers };
      if (token) h.Authorization = `Bearer ${token}`;
      let payload;
      if (raw !== undefined) payload = raw;
      else if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
      const res = await fetch(url + path, { method, headers: h, body: payload });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, json, text, headers: res.headers };
    },
    async login(username, password = PASSWORD) {
      const r = await server.api('POST', '/api/v1/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return r.json.token;
    },
    async advanceClock(ms) {
      const r = await server.api('POST', '/api/v1/_test/clock', { body: { advance_ms: ms } });
      if (r.status !== 200) throw new Error(`clock: ${r.status} ${r.text}`);
    },
  };
  return server;
}

// Asserts that a server stopped cleanly: exit 0 and no sanitizer report.
export function assertCleanExit(assert, r) {
  assert.equal(r.signal, null, `server died by signal ${r.signal}\n${r.stderr}`);
  assert.equal(r.code, 0, `server exit ${r.code}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /(AddressSanitizer|LeakSanitizer|runtime error:)/, r.stderr);
}

// A live micro-grid (no children, not retired) under `grid`, as `token` sees it.
export async function liveMicroGrid(assert, server, token, grid) {
  const r = await server.api('GET', `/api/v1/areas/${grid}`, { token });
  assert.equal(r.status, 200, r.text);
  const micro = r.json.children.find((c) => !c.retired_at && !c.child_count);
  assert.ok(micro, `${grid} has a micro-grid`);
  return micro;
}

// The code of the first grid under the first village with grids of a
// township (the demo's tree, read through the API).
export async function firstGrid(assert, server, token, town) {
  const get = async (code) => {
    const r = await server.api('GET', `/api/v1/areas/${code}`, { token });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const village = (await get(town)).children.find((c) => c.child_count);
  return (await get(village.code)).children.find((c) => c.child_count).code;
}

// A request that must succeed: returns its JSON, else fails the test with the answer.
export function checkedApi(assert, server) {
  return async (method, path, token, body) => {
    const r = await server.api(method, path, { token, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.text}`);
    return r.json;
  };
}

// A live micro-grid under `grid` and a point inside it ([lng, lat], its
// label point), as `token` sees them: {micro, point}.
export async function microGridPoint(assert, server, token, grid) {
  const micro = await liveMicroGrid(assert, server, token, grid);
  const map = await server.api('GET', `/api/v1/areas/${grid}/map`, { token });
  assert.equal(map.status, 200, map.text);
  return { micro, point: map.json.features.find((f) => f.properties.code === micro.code).properties.label };
}
