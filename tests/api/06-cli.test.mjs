// The command line: help, configuration, users, backup while serving,
// schema version, demo, graceful shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { run, tempDir, makeDemoDb, startServer, assertCleanExit, PASSWORD } from '../lib/server.mjs';

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

test('every subcommand has --help', () => {
  const top = run(['--help']);
  assert.equal(top.status, 0);
  for (const cmd of ['serve', 'demo', 'user', 'backup', 'config']) {
    assert.match(top.stdout, new RegExp(`\\b${cmd}\\b`));
    const r = run([cmd, '--help']);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, /usage: pingan/, cmd);
  }
  const bad = run(['frobnicate']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command/);
});

test('configuration: default < file < environment < flag, with located errors', () => {
  const dir = tempDir();
  const file = join(dir, 'pingan.conf');
  writeFileSync(file, '# test\nport = 9001\nmax_body = 4096\nlog_level = warn\nconnection_timeout = 45\n');
  const r = run(['serve', '--config', file, '--print-config', '--max-body', '8192'], { env: { PINGAN_PORT: '9002' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^port = 9002 +# environment PINGAN_PORT$/m);
  assert.match(r.stdout, /^max_body = 8192 +# flag$/m);
  assert.match(r.stdout, /^connection_timeout = 45 +# .*pingan\.conf:5$/m);
  assert.match(r.stdout, /^session_idle = 1800 +# default$/m);
  const range = run(['serve', '--print-config', '--port', '70000']);
  assert.equal(range.status, 2);
  assert.match(range.stderr, /port must be between 1 and 65535/);
  writeFileSync(file, 'port = eighty\n');
  const located = run(['serve', '--config', file, '--print-config']);
  assert.match(located.stderr, /pingan\.conf:1: port must be an integer/);
  const unknown = run(['serve', '--no-such-flag', '1']);
  assert.match(unknown.stderr, /unknown flag '--no-such-flag'/);
  const sample = run(['config', '--sample']);
  assert.match(sample.stdout, /# session_idle = 1800/);
});

test('user add, list, disable, enable and reset-password', () => {
  const { db } = makeDemoDb();
  const pw = join(tempDir(), 'pw');
  writeFileSync(pw, 'Strong@Pass2026\n');
  const add = run(['user', 'add', '--db', db, '--username', 'ops1', '--role', 'dispatcher', '--area', '411624001', '--name', '调度一', '--password-file', pw]);
  assert.equal(add.status, 0, add.stderr);
  const list = run(['user', 'list', '--db', db, '--role', 'dispatcher', '--json']);
  const items = JSON.parse(list.stdout);
  assert.deepEqual(items.map((i) => i.username).sort(), ['dispatcher', 'ops1']);
  const weak = run(['user', 'add', '--db', db, '--username', 'ops2', '--role', 'dispatcher', '--area', '411624001'], { input: 'weak\n' });
  assert.notEqual(weak.status, 0);
  assert.match(weak.stderr, /password/);
  const noArea = run(['user', 'add', '--db', db, '--username', 'ops3', '--role', 'dispatcher', '--area', '1234'], { input: 'Strong@Pass2026\n' });
  assert.match(noArea.stderr, /no area with code 1234/);
  assert.equal(run(['user', 'disable', '--db', db, '--username', 'ops1']).status, 0);
  assert.match(run(['user', 'list', '--db', db, '--role', 'dispatcher']).stdout, /ops1 .* disabled/);
  assert.equal(run(['user', 'enable', '--db', db, '--username', 'ops1']).status, 0);
  const reset = run(['user', 'reset-password', '--db', db, '--username', 'ops1'], { input: 'Other@Pass2026\n' });
  assert.equal(reset.status, 0, reset.stderr);
  assert.equal(sql(db, "SELECT count(*) FROM audit WHERE action IN ('account.create','account.disable','account.enable','account.password') AND username = '(command line)'"), '4');
});

test('backup while the server writes: the copy opens and passes integrity_check', async () => {
  const s = await startServer({ demo: true });
  const admin = await s.login('admin');
  let writes = 0;
  let stop = false;
  const writer = (async () => {
    for (let i = 0; !stop && i < 2000; i++) {
      const r = await s.api('POST', '/api/v1/areas/411624001200001/children', {
        token: admin, body: { code: `411624001200001${String(50 + (i % 49)).padStart(2, '0')}${i}`, name: `备份测试${i}`, level: 'microgrid' },
      });
      if (r.status === 201) writes++;
    }
  })();
  await new Promise((r) => setTimeout(r, 150));
  const out = join(s.dir, 'copy.db');
  const b = run(['backup', '--db', s.db, '--out', out]);
  stop = true;
  await writer;
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /integrity_check: ok/);
  assert.ok(writes > 0, 'writes happened during the backup');
  assert.equal(sql(out, 'PRAGMA integrity_check'), 'ok');
  assert.ok(Number(sql(out, 'SELECT count(*) FROM area')) >= 12608);
  const same = run(['backup', '--db', s.db, '--out', s.db]);
  assert.equal(same.status, 2);
  assertCleanExit(assert, await s.stop());
});

test('migrations are recorded; a newer schema is refused', () => {
  const { db } = makeDemoDb();
  assert.equal(sql(db, 'PRAGMA user_version'), sql(db, 'SELECT max(version) FROM schema_migration'));
  assert.equal(sql(db, 'PRAGMA journal_mode'), 'wal');
  sql(db, 'PRAGMA user_version = 999');
  const r = run(['serve', '--db', db, '--port', '1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /schema version 999 is newer than this pingan/);
});

test('demo refuses a database that already holds areas', () => {
  const { db } = makeDemoDb();
  const again = run(['demo', '--db', db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already holds/);
  assert.equal(sql(db, "SELECT count(*) FROM area WHERE level = 'grid'"), '1630');
  assert.equal(sql(db, "SELECT count(*) FROM area WHERE level = 'microgrid'"), '10374');
  assert.equal(sql(db, "SELECT count(*) FROM area WHERE level = 'village'"), '581');
  assert.equal(sql(db, "SELECT count(*) FROM area WHERE level = 'township'"), '22');
  // Deterministic: a second, independent build is identical, boundaries included.
  const db2 = join(tempDir(), 'again.db');
  const built = run(['demo', '--db', db2, '--people', '0', '--orgs', '0']);
  assert.equal(built.status, 0, built.stderr);
  const q = "SELECT group_concat(code || name, ',') FROM (SELECT code, name FROM area ORDER BY code)";
  assert.equal(sql(db, q), sql(db2, q));
  const h = "SELECT hex(sha3_query('SELECT code, name, level, boundary, label_lng, label_lat FROM area ORDER BY code'))";
  assert.equal(sql(db, h), sql(db2, h));
  assert.equal(sql(db, 'SELECT count(*) FROM area WHERE boundary IS NULL'), '0', 'every area has a boundary');
  const w = "SELECT group_concat(name, ',') FROM (SELECT name FROM area_staff ORDER BY id)";
  assert.equal(sql(db, w), sql(db2, w));
});

test('demo residents: households with one head, valid sealed identifiers, a floating share', () => {
  const db = join(tempDir(), 'people.db');
  const r = run(['demo', '--db', db, '--people', '3000', '--orgs', '300']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /demo residents: 3000 people in \d+ households, \d+ special-group records/);
  const groups = Number(sql(db, 'SELECT count(*) FROM special_group'));
  assert.ok(groups > 10 && groups < 60, `about 1 % in special groups: ${groups}`);
  assert.ok(Number(sql(db, 'SELECT count(*) FROM visit')) > 0, 'with visit histories');
  assert.match(r.stdout, /demo units: 300 \(\d+ schools, \d+ enterprises\)/);
  assert.equal(sql(db, "SELECT count(*) FROM org WHERE uscc NOT GLOB '[19][12]411624*' OR length(uscc) <> 18"), '0');
  assert.equal(sql(db, 'SELECT count(*) FROM org WHERE contact_phone_enc IS NULL OR lng IS NULL'), '0');
  assert.ok(Number(sql(db, "SELECT count(*) FROM org WHERE kind = 'school'")) > 0);
  assert.equal(sql(db, 'SELECT count(*) FROM person'), '3000');
  assert.equal(sql(db, "SELECT count(*) FROM household WHERE head_id IS NULL"), '0', 'every household has its head');
  assert.equal(sql(db, "SELECT count(*) FROM person WHERE relation = '户主'"), sql(db, 'SELECT count(*) FROM household'));
  assert.equal(sql(db, 'SELECT count(*) FROM person WHERE id_enc IS NULL OR id_bidx IS NULL'), '0');
  assert.equal(sql(db, "SELECT count(*) FROM person WHERE id_mask NOT GLOB '4116[0-9][0-9]********[0-9][0-9][0-9][0-9X]'"), '0');
  const floating = Number(sql(db, "SELECT count(*) FROM person WHERE residence_type = 'floating'"));
  assert.ok(floating > 60 && floating < 600, `floating share ${floating} / 3000`);
  assert.equal(sql(db, "SELECT count(*) FROM person p JOIN area a ON a.id = p.area_id WHERE a.level <> 'microgrid'"), '0');
  // Gender agrees with the sequence code in the (masked) number's visible tail? The tail is
  // sequence digit 3 + check digit: odd = male.
  assert.equal(sql(db, "SELECT count(*) FROM person WHERE (CAST(substr(id_mask, 17, 1) AS INTEGER) % 2 = 1) <> (gender = 'M')"), '0');
});

test('SIGTERM lets a request in flight finish, then exits cleanly', async () => {
  // An unknown name is refused only after hashing at the configured cost;
  // a high cost makes that a real request in flight.
  const s = await startServer({ demo: true, env: { PINGAN_ARGON2_OPS: '4', PINGAN_ARGON2_MEM_KIB: '262144', PINGAN_LOG_LEVEL: 'info' } });
  const pending = s.api('POST', '/api/v1/auth/login', { body: { username: 'nobody', password: PASSWORD } });
  await new Promise((r) => setTimeout(r, 30));
  s.proc.kill('SIGTERM');
  const r = await pending;
  assert.equal(r.status, 401, 'the request in flight got its answer');
  const exit = await s.stop({ keep: true });
  assertCleanExit(assert, exit);
  assert.match(exit.stderr, /stopped cleanly/);
  assert.ok(existsSync(s.db));
  assert.equal(sql(s.db, 'PRAGMA integrity_check'), 'ok');
});
