// Photos on events: uploads checked by their bytes (JPEG, PNG, WebP), a size
// limit of their own, content stored once by SHA-256 beside the database,
// linked to the timeline entry of an intake or a step, and served only to
// accounts that may see the event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, assertCleanExit, liveMicroGrid, run } from '../lib/server.mjs';
import { png, jpeg, webp, pngChunk } from '../lib/images.mjs';

const GRID_A = '411624001200001';
const GRID_B = '411624002200001';
const LIMIT = 3 * 1024 * 1024; // above max_body (1 MiB): the route's own limit applies
let s, admin, disp, police, chengguan, gwA, gwB, leader, microA, pointA;

before(async () => {
  s = await startServer({ demo: true, args: ['--attachment-max-bytes', String(LIMIT)] });
  admin = await s.login('admin');
  const acct = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'cg1', name: '城管处置员', role: 'handler', area: '411624', department: '城管', password: 'Cheng@Guan2026' },
  });
  assert.equal(acct.status, 201, acct.text);
  [disp, police, gwA, gwB, leader] = await Promise.all(
    ['dispatcher', 'handler', `g${GRID_A}`, `g${GRID_B}`, 'leader'].map((u) => s.login(u)));
  chengguan = await s.login('cg1', 'Cheng@Guan2026');
  microA = await liveMicroGrid(assert, s, gwA, GRID_A);
  const map = await s.api('GET', `/api/v1/areas/${GRID_A}/map`, { token: gwA });
  pointA = map.json.features.find((f) => f.properties.code === microA.code).properties.label;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const FILES = () => `${s.db}.files`;
const stored = () => (existsSync(FILES()) ? readdirSync(FILES()).sort() : []);
const sha = (b) => createHash('sha256').update(b).digest('hex');
const upload = (token, bytes, type) => s.api('POST', '/api/v1/attachments', { token, raw: bytes, headers: { 'Content-Type': type } });
const download = async (token, id) => {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${s.url}/api/v1/attachments/${id}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
};
const report = (token, body) => s.api('POST', '/api/v1/events', { token, body });
const act = (token, id, action, body = {}) => s.api('POST', `/api/v1/events/${id}/actions/${action}`, { token, body });
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };
const refused = (r, status, code, field) => {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
};

test('JPEG, PNG and WebP are taken by their bytes; the file is stored under its SHA-256', async () => {
  for (const [bytes, type, w, h] of [[jpeg(1), 'image/jpeg', 8, 8], [png(1), 'image/png', 1, 1], [webp(1), 'image/webp', 1, 1]]) {
    const a = ok(await upload(gwA, bytes, type), 201);
    assert.equal(a.type, type);
    assert.equal(a.size, bytes.length);
    assert.deepEqual([a.width, a.height], [w, h]);
    assert.equal(a.sha256, sha(bytes));
    assert.equal(a.url, `/api/v1/attachments/${a.id}`);
    assert.ok(stored().includes(sha(bytes)), 'named by its hash in DB.files');
    assert.deepEqual(readFileSync(`${FILES()}/${a.sha256}`), bytes, 'the very bytes');
    // The uploader sees it before it is used; nobody else does.
    const mine = await download(gwA, a.id);
    assert.equal(mine.status, 200);
    assert.equal(mine.type, type);
    assert.deepEqual(mine.body, bytes);
    assert.equal((await download(disp, a.id)).status, 404, 'an unused upload is its uploader\'s alone');
  }
  assert.ok(stored().every((f) => /^[0-9a-f]{64}$/.test(f)), 'no temp file left behind');
});

test('a PNG sent as image/jpeg is stored as what it is', async () => {
  const bytes = png(2);
  const a = ok(await upload(gwA, bytes, 'image/jpeg; charset=binary'), 201);
  assert.equal(a.type, 'image/png');
  const d = await download(gwA, a.id);
  assert.equal(d.type, 'image/png');
  assert.match(d.disposition, new RegExp(`^attachment; filename="attachment-${a.id}\\.png"`));
});

test('anything that is not a whole JPEG, PNG or WebP is refused, and nothing is stored', async () => {
  const before = stored();
  const good = png(3);
  const badCrc = Buffer.from(good); badCrc[good.length - 20] ^= 0xff; // inside IDAT
  const noIend = good.subarray(0, good.length - 12);
  const idatLast = good.subarray(8 + 25); // IHDR missing
  const j = jpeg(3);
  const noEoi = j.subarray(0, j.length - 2);
  const trailer = Buffer.concat([j, Buffer.from('appended')]);
  const noSof = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x3f, 0xff, 0xd9]);
  const w = webp(3);
  const badRiff = Buffer.from(w); badRiff.writeUInt32LE(w.length, 4); // claims 8 bytes more than there are
  const notVp8 = Buffer.from(w); notVp8.write('ABCD', 12, 'latin1');
  const html = Buffer.from('<html><script>alert(1)</script></html>');
  const magicOnly = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not a png at all')]);
  for (const [bytes, type, what] of [
    [html, 'image/png', 'HTML sent as a PNG'], [magicOnly, 'image/png', 'a PNG signature and nothing else'],
    [badCrc, 'image/png', 'a PNG with a wrong CRC'], [noIend, 'image/png', 'a truncated PNG'],
    [idatLast, 'image/png', 'PNG chunks without the signature'],
    [noEoi, 'image/jpeg', 'a truncated JPEG'], [trailer, 'image/jpeg', 'a JPEG with bytes appended'],
    [noSof, 'image/jpeg', 'a JPEG scan without a frame header'],
    [badRiff, 'image/webp', 'a WebP whose RIFF size lies'], [notVp8, 'image/webp', 'a WebP without a VP8 chunk'],
    [Buffer.alloc(0), 'image/png', 'nothing'],
  ]) {
    const r = await upload(gwA, bytes, type);
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid_image', what);
    assert.equal(r.json.error.field, 'body', what);
  }
  // Not an image type at all: the claim is refused before the bytes are read.
  refused(await upload(gwA, png(4), 'application/octet-stream'), 415, 'unsupported_media_type', 'Content-Type');
  refused(await upload(gwA, png(4), 'image/gif'), 415, 'unsupported_media_type', 'Content-Type');
  assert.deepEqual(stored(), before, 'refused bytes never reach the store');
});

test('the size limit is the upload\'s own: above max_body is fine, above attachment_max_bytes is 413', async () => {
  // A valid PNG padded with an ancillary chunk to the size wanted.
  const padded = (total) => {
    const base = png(5);
    const extra = total - base.length - 12;
    const pad = pngChunk('teXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(extra - 8, 0x61)]));
    return Buffer.concat([base.subarray(0, 33), pad, base.subarray(33)]);
  };
  const big = padded(2 * 1024 * 1024);
  const a = ok(await upload(gwA, big, 'image/png'), 201);
  assert.equal(a.size, big.length);
  const before = stored();
  const tooBig = padded(LIMIT + 1);
  refused(await upload(gwA, tooBig, 'image/png'), 413, 'body_too_large');
  assert.deepEqual(stored(), before);
  // Other routes keep max_body.
  const json = await s.api('POST', '/api/v1/events', { token: gwA, raw: Buffer.alloc(1024 * 1024 + 1, 0x20), headers: { 'Content-Type': 'application/json' } });
  assert.equal(json.status, 413);
});

test('the same bytes are stored once: a retry gets its id back, another account a row of its own', async () => {
  const bytes = jpeg(42);
  const first = ok(await upload(gwA, bytes, 'image/jpeg'), 201);
  const retry = ok(await upload(gwA, bytes, 'image/jpeg'), 200);
  assert.equal(retry.id, first.id, 'a phone retrying gets the same upload');
  const other = ok(await upload(disp, bytes, 'image/jpeg'), 201);
  assert.notEqual(other.id, first.id);
  assert.equal(other.sha256, first.sha256);
  assert.equal(stored().filter((f) => f === sha(bytes)).length, 1, 'one file');
});

test('intake and steps carry photos on their timeline entries; only those who see the event see them', async () => {
  const p1 = ok(await upload(gwA, jpeg(100), 'image/jpeg'), 201);
  const p2 = ok(await upload(gwA, webp(100), 'image/webp'), 201);
  const body = { source: 'grid_worker', description: '村口夜间聚集赌博，附现场照片', minor: '1302', lng: pointA[0], lat: pointA[1], idempotency_key: 'att-1', attachments: [p1.id, p2.id] };
  const e = ok(await report(gwA, body), 201);
  assert.deepEqual(e.timeline[0].attachments.map((x) => [x.id, x.type]), [[p1.id, 'image/jpeg'], [p2.id, 'image/webp']]);
  assert.deepEqual(e.attachments.map((x) => x.id), [p1.id, p2.id]);
  assert.equal(e.attachments[0].timeline_id, e.timeline[0].id);
  // A retry is the same event; its photos are not linked twice.
  const again = ok(await report(gwA, body), 200);
  assert.equal(again.id, e.id);
  assert.equal(again.attachments.length, 2);

  // Now the event's: the dispatcher and the leader of the county see them, the other grid does not.
  for (const t of [gwA, disp, leader]) assert.equal((await download(t, p1.id)).status, 200);
  assert.equal((await download(gwB, p1.id)).status, 404, 'another grid');
  assert.equal((await download(police, p1.id)).status, 404, 'a department not (yet) on the event');
  assert.equal((await download(null, p1.id)).status, 401);

  ok(await act(disp, e.id, 'register', { note: '属实，立案' }));
  ok(await act(disp, e.id, 'dispatch', {}));
  ok(await act(police, e.id, 'accept'));
  assert.equal((await download(police, p1.id)).status, 200, 'the lead department once it is theirs');
  assert.equal((await download(chengguan, p1.id)).status, 404, 'a department not on the event');

  const evidence = ok(await upload(police, png(100), 'image/png'), 201);
  const h = ok(await act(police, e.id, 'handle', { note: '已清查，附处置照片', attachments: [evidence.id] }));
  const entry = h.timeline.find((t) => t.action === 'handle');
  assert.deepEqual(entry.attachments.map((x) => x.id), [evidence.id]);
  assert.deepEqual(h.timeline.find((t) => t.action === 'register').attachments, [], 'an entry without photos has none');
  assert.deepEqual(h.attachments.map((x) => x.id), [p1.id, p2.id, evidence.id]);
  assert.equal((await download(gwA, evidence.id)).status, 200, 'the reporter sees the evidence of the event');
  assert.equal((await download(gwB, evidence.id)).status, 404);
  // GET of the event shows the same.
  const got = ok(await s.api('GET', `/api/v1/events/${e.id}`, { token: disp }));
  assert.deepEqual(got.timeline.map((t) => t.attachments.length), h.timeline.map((t) => t.attachments.length));
});

test('an attachment is linked once, by its uploader; a bad list writes nothing', async () => {
  const mine = ok(await upload(gwA, png(200), 'image/png'), 201);
  const theirs = ok(await upload(disp, png(201), 'image/png'), 201);
  const base = { source: 'grid_worker', description: '路灯损坏', lng: pointA[0], lat: pointA[1] };
  const countBefore = ok(await s.api('GET', '/api/v1/events?limit=1', { token: gwA })).total;

  refused(await report(gwA, { ...base, attachments: [theirs.id] }), 404, 'attachment_not_found', 'attachments');
  refused(await report(gwA, { ...base, attachments: [mine.id, 99999999] }), 404, 'attachment_not_found', 'attachments');
  refused(await report(gwA, { ...base, attachments: 'x' }), 400, 'invalid_type', 'attachments');
  refused(await report(gwA, { ...base, attachments: [mine.id, mine.id] }), 400, 'duplicate_attachment', 'attachments');
  refused(await report(gwA, { ...base, attachments: [] }), 400, 'out_of_range', 'attachments');
  refused(await report(gwA, { ...base, attachments: Array.from({ length: 10 }, (_, i) => i + 1) }), 400, 'out_of_range', 'attachments');
  refused(await report(gwA, { ...base, attachments: [0] }), 400, 'invalid_type', 'attachments');
  assert.equal(ok(await s.api('GET', '/api/v1/events?limit=1', { token: gwA })).total, countBefore, 'no event half-made');
  assert.equal((await download(disp, mine.id)).status, 404, 'still unlinked after the failures');

  const e = ok(await report(gwA, { ...base, attachments: [mine.id] }), 201);
  refused(await report(gwA, { ...base, description: '另一件', attachments: [mine.id] }), 404, 'attachment_not_found', 'attachments');
  refused(await act(gwA, e.id, 'comment', { note: '补充', attachments: [mine.id] }), 404, 'attachment_not_found', 'attachments');
  const after = ok(await s.api('GET', `/api/v1/events/${e.id}`, { token: gwA }));
  assert.equal(after.timeline.length, 1, 'the refused comment left no entry');
  // The same bytes again make a fresh upload that can go on the comment.
  const again = ok(await upload(gwA, png(200), 'image/png'), 201);
  assert.notEqual(again.id, mine.id);
  const c = ok(await act(gwA, e.id, 'comment', { note: '补充照片', attachments: [again.id] }));
  assert.deepEqual(c.timeline.at(-1).attachments.map((x) => x.id), [again.id]);
});

test('only accounts that may report upload; the audit names the upload', async () => {
  refused(await upload(leader, png(300), 'image/png'), 403, 'forbidden');
  const a = ok(await upload(gwA, png(301), 'image/png'), 201);
  const audit = ok(await s.api('GET', '/api/v1/audit?action=attachment.create&limit=200', { token: admin }));
  const line = audit.items.find((x) => x.object === `attachment:${a.id}`);
  assert.ok(line, 'an audit line for the upload');
  assert.equal(line.outcome, 'ok');
});

test('pingan backup copies the photos beside the database copy, checked against their names', async () => {
  const out = join(s.dir, 'backup.db');
  const b = run(['backup', '--db', s.db, '--out', out]);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /attachments of .* copied to .*backup\.db\.files \((\d+) new\)/);
  assert.deepEqual(readdirSync(`${out}.files`).sort(), stored(), 'every stored file');
  const again = run(['backup', '--db', s.db, '--out', join(s.dir, 'backup2.db')]);
  assert.equal(again.status, 0, again.stderr);
  // A damaged file is found, not copied silently.
  const victim = stored()[0];
  writeFileSync(`${FILES()}/${victim}`, Buffer.from(readFileSync(`${FILES()}/${victim}`).map((x) => x ^ 1)));
  const bad = run(['backup', '--db', s.db, '--out', join(s.dir, 'backup3.db')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /散列不符/);
});
