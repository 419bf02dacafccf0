// The camera network (雪亮工程): the registry, rates by area, the video
// platform's bulk status (JSON and CSV, all-or-nothing or keeping the good
// rows), outages raised as events by the sweep (once, one per grid, not
// when the whole feed stops), video alarms as events, and scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertCleanExit } from '../lib/server.mjs';
import { jpeg } from '../lib/images.mjs';

let s, admin, dispatcher, all;
const TOWN = '411624001';
const HOUR = 3600 * 1000;

const signIn = async () => {
  admin = await s.login('admin');
  dispatcher = await s.login('dispatcher');
};
const setClock = async (ms) => {
  const r = await s.api('POST', '/api/v1/_test/clock', { body: { now_ms: ms } });
  assert.equal(r.status, 200, r.text);
  await signIn();
};
const later = async (ms) => { await s.advanceClock(ms); await signIn(); };
const sweep = async () => {
  const r = await s.api('POST', '/api/v1/_test/sweep');
  assert.equal(r.status, 200, r.text);
  return r.json.camera_outages;
};
const camera = async (id) => (await s.api('GET', `/api/v1/cameras/${id}`, { token: admin })).json;
const report = (rows, mode = 'all_or_nothing', token = dispatcher) =>
  s.api('POST', `/api/v1/cameras/status?mode=${mode}`, { token, body: rows });
// What a video platform sends every few minutes: every camera's state.
// `except` keeps some cameras out (they fell silent); `set` overrides some.
const snapshot = async ({ except = [], set = {} } = {}) => {
  const lines = ['code,status'];
  for (const c of all) {
    if (except.includes(c.code) || !c.installed_date) continue;
    const st = set[c.code] ?? c.current;
    lines.push(`${c.code},${st}`);
  }
  const r = await s.api('POST', '/api/v1/cameras/status', {
    token: dispatcher, raw: lines.join('\r\n'), headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  // No background sweep: the test sweeps when it means to.
  s = await startServer({ demo: true, env: { PINGAN_SWEEP_SECONDS: '0' } });
  await signIn();
  const r = await s.api('GET', '/api/v1/cameras?limit=10000', { token: admin });
  assert.equal(r.status, 200, r.text);
  all = r.json.items.map((c) => ({ ...c, current: c.status === 'offline' ? 'offline' : 'online' }));
  assert.equal(all.length, r.json.total);
  // Work on the clock of the demo's own reports (the template may be old).
  const rates = await s.api('GET', '/api/v1/cameras/rates', { token: admin });
  await setClock(rates.json.newest_report_ms + 60 * 1000);
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const pct = (part, whole) => Math.round((part * 10000) / whole) / 100;

test('the demo county: thousands of cameras, the rates by the 鹿邑 definitions, children add up', async () => {
  const r = await s.api('GET', '/api/v1/cameras/rates', { token: dispatcher });
  assert.equal(r.status, 200, r.text);
  const c = r.json;
  assert.equal(c.area.code, '411624');
  assert.equal(c.planned, all.length);
  assert.ok(c.planned > 5000, `several thousand cameras: ${c.planned}`);
  assert.equal(c.installed, all.filter((x) => x.installed_date).length);
  assert.equal(c.online, all.filter((x) => x.installed_date && x.status === 'online').length);
  assert.equal(c.install_rate, pct(c.installed, c.planned), 'install rate = installed / planned');
  assert.equal(c.online_rate, pct(c.online, c.installed), 'online rate = online / installed');
  assert.ok(c.install_rate > 90 && c.install_rate < 99, `a few percent not installed: ${c.install_rate}`);
  assert.ok(c.online_rate > 95 && c.online_rate < 100, `a few offline: ${c.online_rate}`);
  assert.equal(c.children.length, 22, 'one line per township');
  for (const k of ['planned', 'installed', 'online']) {
    assert.equal(c.children.reduce((t, x) => t + x[k], 0), c[k], `${k} of the townships add up`);
  }
  // Grids without an installed camera: each really has none.
  assert.ok(c.grids_without_camera.total > 0, 'the demo leaves some grids uncovered');
  for (const g of c.grids_without_camera.items.slice(0, 5)) {
    assert.equal(g.code.length, 15, 'a grid (网格), not a micro-grid');
    assert.ok(!all.some((x) => x.area.startsWith(g.code) && x.installed_date), `${g.code} has no installed camera`);
  }
  // A township's rates are its subtree's.
  const t = await s.api('GET', `/api/v1/cameras/rates?area=${TOWN}`, { token: dispatcher });
  assert.equal(t.json.planned, all.filter((x) => x.area.startsWith(TOWN)).length);
  assert.equal(t.json.planned, c.children.find((x) => x.code === TOWN).planned);
});

test('registering a camera: its point locates its micro-grid; bad input names the field', async () => {
  const base = { code: '41162400001329990001', name: '测试村村口东', kind: 'entrance', operator: '沈丘县公安局',
    lng: all[0].lng, lat: all[0].lat, planned_date: '2024-03-01', installed_date: '2024-05-01', connected_date: '2024-05-03' };
  const bad = [
    [{ kind: 'drone' }, 400, 'invalid_kind', 'kind'],
    [{ lng: undefined, lat: undefined }, 400, 'missing_field', 'lng'],
    [{ installed_date: '2024-02-30' }, 400, 'invalid_date', 'installed_date'],
    [{ connected_date: '2024-04-01' }, 400, 'connected_before_installed', 'connected_date'],
    [{ code: '摄像机1' }, 400, 'invalid_code', 'code'],
    [{ lng: 100.0, lat: 30.0 }, 400, 'point_outside_area', 'lng'],
    [{ extra: 1 }, 400, 'unknown_field', 'extra'],
  ];
  for (const [patch, status, code, field] of bad) {
    const r = await s.api('POST', '/api/v1/cameras', { token: dispatcher, body: { ...base, ...patch } });
    assert.equal(r.status, status, `${JSON.stringify(patch)}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
  const r = await s.api('POST', '/api/v1/cameras', { token: dispatcher, body: base });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.area, all[0].area, 'the micro-grid of its point');
  assert.equal(r.json.kind_name, '出入口卡口');
  assert.equal(r.json.status, 'unknown');
  const again = await s.api('POST', '/api/v1/cameras', { token: dispatcher, body: base });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'camera_exists');
  // Its life: planned, then installed, then connected; the point stays.
  const planned = await s.api('POST', '/api/v1/cameras', { token: dispatcher, body: { ...base, code: '41162400001329990002', installed_date: undefined, connected_date: undefined } });
  assert.equal(planned.status, 201, planned.text);
  assert.equal(planned.json.installed_date, null);
  const patch = (body) => s.api('PATCH', `/api/v1/cameras/${planned.json.id}`, { token: dispatcher, body });
  let p = await patch({ connected_date: '2024-06-01' });
  assert.equal(p.status, 400);
  assert.equal(p.json.error.code, 'not_installed');
  p = await patch({ installed_date: '2024-06-01', connected_date: '2024-05-01' });
  assert.equal(p.json.error.code, 'connected_before_installed');
  assert.equal((await patch({ lng: 115 })).json.error.field, 'lng');
  assert.equal((await patch({ kind: 'drone' })).json.error.field, 'kind');
  assert.equal((await patch({ name: null })).json.error.field, 'name');
  p = await patch({ installed_date: '2024-06-01', connected_date: '2024-06-03', operator: '中国电信沈丘分公司' });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual([p.json.planned_date, p.json.installed_date, p.json.connected_date, p.json.operator, p.json.name],
    ['2024-03-01', '2024-06-01', '2024-06-03', '中国电信沈丘分公司', base.name]);
  p = await patch({ connected_date: null });
  assert.equal(p.json.connected_date, null, 'null clears a date');
  assert.equal((await s.api('PATCH', '/api/v1/cameras/99999999', { token: dispatcher, body: { name: 'x' } })).status, 404);
  // A grid worker reads the cameras of the grid; it registers none.
  const gw = await s.login(`g${all[0].area.slice(0, -2)}`);
  const w = await s.api('POST', '/api/v1/cameras', { token: gw, body: { ...base, code: 'X1' } });
  assert.equal(w.status, 403);
});

test('scope: a grid worker sees the cameras of the grid and nothing else', async () => {
  const grid = all[0].area.slice(0, -2);
  const gw = await s.login(`g${grid}`);
  const list = await s.api('GET', '/api/v1/cameras?limit=10000', { token: gw });
  assert.equal(list.status, 200);
  assert.ok(list.json.total > 0);
  assert.ok(list.json.items.every((c) => c.area.startsWith(grid)));
  assert.equal(list.json.total, all.filter((c) => c.area.startsWith(grid)).length + 2, 'with the two registered above');
  const other = all.find((c) => !c.area.startsWith(grid));
  assert.equal((await s.api('GET', `/api/v1/cameras/${other.id}`, { token: gw })).status, 404);
  assert.equal((await s.api('GET', `/api/v1/cameras/${all[0].id}`, { token: gw })).status, 200);
  assert.equal((await s.api('GET', `/api/v1/cameras/rates?area=${other.area.slice(0, 9)}`, { token: gw })).status, 404);
  assert.equal((await s.api('GET', `/api/v1/cameras?area=${other.area}`, { token: gw })).status, 404);
  const mine = await s.api('GET', '/api/v1/cameras/rates', { token: gw });
  assert.equal(mine.json.area.code, grid);
  // Leaders read; handlers have no camera permission.
  const leader = await s.login('leader');
  assert.equal((await s.api('GET', '/api/v1/cameras/rates', { token: leader })).status, 200);
  const handler = await s.login('handler');
  assert.equal((await s.api('GET', '/api/v1/cameras', { token: handler })).status, 403);
});

test('bulk status: bad rows get their row, field, code and message; all or nothing, or keep the good', async () => {
  const [a, b] = all.filter((c) => c.installed_date && c.status === 'online').slice(0, 2);
  const before = await camera(a.id);
  const rows = [
    { code: a.code, status: 'offline' },
    { code: b.code, status: 'sleeping' },
    { code: 'NO-SUCH-CAMERA', online: false },
    { code: b.code, online: true, at: '2999-01-01T00:00:00Z' },
    { status: 'online' },
  ];
  const r = await report(rows);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'invalid_rows');
  const res = r.json.error.result;
  assert.equal(res.applied, 0);
  assert.equal(res.invalid, 4);
  assert.deepEqual(res.errors.map((e) => [e.row, e.field, e.code]), [
    [2, 'status', 'invalid_status'], [3, 'code', 'camera_not_found'], [4, 'at', 'future_time'], [5, 'code', 'missing_field'],
  ]);
  assert.ok(res.errors.every((e) => /[\u4e00-\u9fff]/.test(e.message)), 'messages in Chinese');
  assert.deepEqual(await camera(a.id), before, 'nothing written');

  const k = await report(rows, 'keep_good');
  assert.equal(k.status, 200, k.text);
  assert.equal(k.json.applied, 1);
  assert.equal(k.json.invalid, 4);
  assert.equal((await camera(a.id)).status, 'offline', 'the good row kept');
  // An array or {"reports": [...]}; a late copy of an older report changes nothing.
  const old = await report({ reports: [{ code: a.code, status: 'online', at: Date.now() - 1000 * HOUR }] });
  assert.equal(old.status, 200, old.text);
  assert.equal(old.json.stale, 1);
  assert.equal((await camera(a.id)).status, 'offline');
  const back = await report([{ code: a.code, online: true }]);
  assert.equal(back.json.applied, 1);
  assert.equal((await camera(a.id)).status, 'online');
  assert.equal((await report([], 'everything')).json.error.field, 'mode');
  assert.equal((await report({ rows: [] })).json.error.code, 'invalid_type');
});

test('bulk status as CSV, also in GBK: per-row errors name the line and the column', async () => {
  const [a, b] = all.filter((c) => c.installed_date && c.status === 'online').slice(2, 4);
  const csv = `编码,状态,时间\r\n${a.code},离线,\r\n${b.code},坏了,\r\n`;
  const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv });
  const post = (body, mode) => s.api('POST', `/api/v1/cameras/status?mode=${mode}`, {
    token: dispatcher, raw: body, headers: { 'Content-Type': 'text/csv' },
  });
  const r = await post(gbk, 'all_or_nothing');
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.result.errors.map((e) => [e.row, e.field, e.code]), [[3, '状态', 'invalid_status']]);
  assert.equal((await camera(a.id)).status, 'online', 'nothing written');
  const k = await post(gbk, 'keep_good');
  assert.equal(k.status, 200, k.text);
  assert.equal(k.json.format, 'csv');
  assert.equal(k.json.applied, 1);
  assert.equal((await camera(a.id)).status, 'offline');
  await report([{ code: a.code, online: true }]);
  const missing = await post('状态\r\n在线\r\n', 'keep_good');
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error.code, 'missing_column');
});

test('a township platform account reports only its township: others are unknown to it', async () => {
  const create = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'vp001', name: '东城街道视频平台', role: 'video_platform', area: TOWN, password: 'Video@Plat2026' },
  });
  assert.equal(create.status, 201, create.text);
  const vp = await s.login('vp001', 'Video@Plat2026');
  const inside = all.find((c) => c.area.startsWith(TOWN) && c.status === 'online');
  const outside = all.find((c) => !c.area.startsWith(TOWN) && c.status === 'online');
  const r = await report([{ code: inside.code, online: true }, { code: outside.code, online: false }], 'keep_good', vp);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.applied, 1);
  assert.deepEqual(r.json.errors.map((e) => e.code), ['camera_not_found']);
  assert.equal((await camera(outside.id)).status, 'online', 'outside its scope: untouched');
  // It reads nothing else.
  assert.equal((await s.api('GET', '/api/v1/events', { token: vp })).status, 403);
  assert.equal((await s.api('GET', '/api/v1/people', { token: vp })).status, 403);
});

test('outages: raised once past the threshold, one event per grid, joined while open; a stopped feed raises nothing', async () => {
  const base = (await s.api('GET', '/api/v1/cameras/rates', { token: admin })).json.newest_report_ms;
  await setClock(base + 60 * 1000);
  // A grid with at least three installed cameras, all online.
  const byGrid = new Map();
  for (const c of all) {
    if (!c.installed_date) continue;
    const g = c.area.slice(0, -2);
    byGrid.set(g, [...(byGrid.get(g) || []), c]);
  }
  const [grid, cams] = [...byGrid].find(([, cs]) => cs.length >= 4 && cs.every((c) => c.status === 'online'));
  const [c1, c2, c3, c4] = cams;
  assert.equal(await sweep(), 0, 'the demo county in its steady state raises nothing');

  // One camera reported offline: nothing before 24 h, one event after, none again.
  await snapshot({ set: { [c1.code]: 'offline' } });
  await later(23 * HOUR);
  await snapshot({ set: { [c1.code]: 'offline' } });
  assert.equal(await sweep(), 0, 'not yet past the threshold');
  await later(2 * HOUR);
  await snapshot({ set: { [c1.code]: 'offline' } });
  assert.equal(await sweep(), 1);
  assert.equal(await sweep(), 0, 'one event per outage, not one per sweep');
  const one = await camera(c1.id);
  assert.ok(one.alert_event_id);
  const ev = (await s.api('GET', `/api/v1/events/${one.alert_event_id}`, { token: admin })).json;
  assert.equal(ev.source, 'video');
  assert.equal(ev.category.minor, '5302');
  assert.match(ev.description, new RegExp(c1.code));
  assert.equal(ev.area.code, c1.area, 'one camera: at its point, in its micro-grid');

  // Two more of the same grid fall silent (the platform reports the rest):
  // they join the open event of the grid instead of making two more.
  await snapshot({ except: [c2.code, c3.code], set: { [c1.code]: 'offline' } });
  await later(25 * HOUR);
  await snapshot({ except: [c2.code, c3.code], set: { [c1.code]: 'offline' } });
  assert.equal(await sweep(), 0, 'joined the open event of the grid');
  assert.equal((await camera(c2.id)).status, 'offline', 'silent past the threshold: offline');
  assert.equal((await camera(c2.id)).alert_event_id, one.alert_event_id);
  assert.equal((await camera(c3.id)).alert_event_id, one.alert_event_id);

  // Back online: the outage is over; a new outage of the grid after the
  // event is closed would be a new event (here: the event is still open).
  await snapshot({ except: [c2.code, c3.code], set: { [c1.code]: 'online' } });
  const back = await camera(c1.id);
  assert.equal(back.status, 'online');
  assert.equal(back.alert_event_id, null);

  // The whole feed stops for two days: the platform's fault, no events.
  await later(48 * HOUR);
  assert.equal(await sweep(), 0, 'a silent platform does not turn the county dark');
  const rates = (await s.api('GET', `/api/v1/cameras/rates?area=${grid}`, { token: admin })).json;
  assert.equal(rates.online, cams.length - 2, 'c2 and c3 still offline; c4 and the rest online as last reported');
  assert.equal((await camera(c4.id)).status, 'online');
});

test('a grid of cameras going dark together is one event, not one per camera', async () => {
  const base = (await s.api('GET', '/api/v1/cameras/rates', { token: admin })).json.newest_report_ms;
  await setClock(base + 60 * 1000);
  const byGrid = new Map();
  for (const c of all) {
    if (!c.installed_date) continue;
    const g = c.area.slice(0, -2);
    byGrid.set(g, [...(byGrid.get(g) || []), c]);
  }
  const grids = [...byGrid].filter(([, cs]) => cs.length >= 3 && cs.every((c) => c.status === 'online')).slice(5, 7);
  const dark = grids.flatMap(([, cs]) => cs);
  const set = Object.fromEntries(dark.map((c) => [c.code, 'offline']));
  await snapshot({ set });
  await later(25 * HOUR);
  await snapshot({ set });
  assert.equal(await sweep(), 2, `${dark.length} cameras in two grids: two events`);
  const ev = (await camera(dark[0].id)).alert_event_id;
  const e = (await s.api('GET', `/api/v1/events/${ev}`, { token: admin })).json;
  assert.match(e.description, new RegExp(`${grids[0][1].length} 路摄像机离线`));
  assert.equal(e.area.code, grids[0][0], 'several cameras: at the grid');
  await snapshot({ set: Object.fromEntries(dark.map((c) => [c.code, 'online'])) });
});

test('a video alarm becomes an event at the camera, once per alarm id', async () => {
  const cam = all.find((c) => c.installed_date && c.kind === 'public');
  const body = { alarm_id: 'HK-2026-000123', kind: 'fire', at: new Date(Date.now() - 60000).toISOString(), note: '广场东侧有烟' };
  const r = await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: dispatcher, body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.event.source, 'video');
  assert.equal(r.json.event.category.minor, '2103', 'fire → 火情火灾');
  assert.equal(r.json.event.area.code, cam.area);
  const again = await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: dispatcher, body });
  assert.equal(again.status, 200);
  assert.equal(again.json.event_id, r.json.event_id, 'a retried post: the same event');
  const reused = await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: dispatcher, body: { ...body, kind: 'crowd' } });
  assert.equal(reused.status, 409);
  assert.equal(reused.json.error.code, 'alarm_id_reused');
  for (const [patch, field] of [[{ kind: 'ufo' }, 'kind'], [{ at: 'yesterday' }, 'at'], [{ alarm_id: undefined }, 'alarm_id'], [{ snapshot: 0 }, 'snapshot']]) {
    const b = await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: dispatcher, body: { ...body, alarm_id: 'X9', ...patch } });
    assert.equal(b.status, 400, b.text);
    assert.equal(b.json.error.field, field);
  }
  const seen = await camera(cam.id);
  assert.equal(seen.alarms.length, 1);
  assert.equal(seen.alarms[0].event_id, r.json.event_id);
  // Out of a grid worker's scope: 404; in it, read-only: 403.
  const other = all.find((c) => !c.area.startsWith(cam.area.slice(0, -2)));
  const gw = await s.login(`g${other.area.slice(0, -2)}`);
  assert.equal((await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: gw, body })).status, 403);
  assert.equal((await s.api('GET', `/api/v1/cameras/${cam.id}`, { token: gw })).status, 404);
});

test('the platform account posts an alarm with its snapshot; the photo goes with the event', async () => {
  const vp = await s.login('vp001', 'Video@Plat2026');
  const cam = all.find((c) => c.area.startsWith(TOWN) && c.installed_date);
  const up = await s.api('POST', '/api/v1/attachments', { token: vp, raw: jpeg(41), headers: { 'Content-Type': 'image/jpeg' } });
  assert.equal(up.status, 201, up.text);
  const body = { alarm_id: 'DH-88', kind: 'dumping', at: Date.now() - 5000, snapshot: up.json.id };
  const r = await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: vp, body });
  assert.equal(r.status, 201, r.text);
  const ev = (await s.api('GET', `/api/v1/events/${r.json.event_id}`, { token: admin })).json;
  assert.equal(ev.category.minor, '3901');
  assert.deepEqual(ev.attachments.map((a) => a.id), [up.json.id], 'the snapshot linked to the event');
  const again = await s.api('POST', `/api/v1/cameras/${cam.id}/alarms`, { token: vp, body });
  assert.equal(again.status, 200, again.text);
  // A camera of another township is not there for it.
  const far = all.find((c) => !c.area.startsWith(TOWN));
  assert.equal((await s.api('POST', `/api/v1/cameras/${far.id}/alarms`, { token: vp, body: { ...body, alarm_id: 'DH-89', snapshot: undefined } })).status, 404);
});

test('the camera ledger (点位台账) in CSV, GBK too: created, updated by code, bad rows named', async () => {
  const inTown = all.find((c) => c.area.startsWith(TOWN) && c.installed_date);
  const far = all.find((c) => !c.area.startsWith(TOWN));
  const [x, y] = [inTown.lng, inTown.lat];
  const rows = [
    '编码,名称,类别,运维单位,经度,纬度,计划日期,安装日期,联网日期',
    `LEDGER-001,东城街道台账一号,公共区域,中国移动沈丘分公司,${x},${y},2025-01-01,2025-03-01,2025-03-05`,
    `LEDGER-002,东城街道台账二号,卡口,沈丘县公安局,${x},${y},2025-01-01,,`,
    `${inTown.code},${inTown.name}（改名）,学校,中国电信沈丘分公司,${inTown.lng},${inTown.lat},2024-01-01,2024-02-01,2024-02-02`,
  ];
  const bad = [
    `LEDGER-003,坏类别,无人机,,${x},${y},,,`,
    `LEDGER-004,坏日期,其他,,${x},${y},,2025-02-30,`,
    `${inTown.code},挪了位置,公共,,${inTown.lng + 0.01},${inTown.lat},,,`,
    `${far.code},别人的,公共,,${far.lng},${far.lat},,,`,
  ];
  const vp = await s.login('vp001', 'Video@Plat2026');
  const post = (text, mode, token = vp, gbk = false) => s.api('POST', `/api/v1/cameras/import?mode=${mode}`, {
    token, raw: gbk ? execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text }) : text, headers: { 'Content-Type': 'text/csv' },
  });
  const r = await post([...rows, ...bad].join('\r\n'), 'all_or_nothing', vp, true);
  assert.equal(r.status, 422, r.text);
  const res = r.json.error.result;
  assert.equal(res.encoding, 'GB18030');
  assert.deepEqual(res.errors.map((e) => [e.row, e.column, e.code]), [
    [5, '类别', 'invalid_kind'], [6, '安装日期', 'invalid_date'], [7, '经度', 'point_changed'], [8, '编码', 'camera_exists'],
  ]);
  assert.equal((await s.api('GET', '/api/v1/cameras?q=LEDGER', { token: admin })).json.total, 0, 'nothing written');
  const k = await post([...rows, ...bad].join('\r\n'), 'keep_good');
  assert.equal(k.status, 200, k.text);
  assert.deepEqual([k.json.created, k.json.updated, k.json.invalid], [2, 1, 4]);
  const made = (await s.api('GET', '/api/v1/cameras?q=LEDGER', { token: admin })).json.items;
  assert.deepEqual(made.map((c) => [c.code, c.kind, c.area]), [['LEDGER-001', 'public', inTown.area], ['LEDGER-002', 'entrance', inTown.area]]);
  assert.equal(made[1].installed_date, null);
  const upd = await camera(inTown.id);
  assert.deepEqual([upd.name, upd.kind, upd.operator, upd.connected_date], [`${inTown.name}（改名）`, 'school', '中国电信沈丘分公司', '2024-02-02']);
  // Once more: the same ledger updates, creates nothing.
  const again = await post(rows.join('\r\n'), 'all_or_nothing');
  assert.deepEqual([again.json.created, again.json.updated], [0, 3]);
  // Grid workers read cameras, they import none.
  const gw = await s.login(`g${inTown.area.slice(0, -2)}`);
  assert.equal((await post(rows.join('\r\n'), 'keep_good', gw)).status, 403);
});
