// Open311 GeoReport v2 at /open311/v2/: discovery, the taxonomy as services,
// POST and GET requests, in JSON and the spec's mandatory XML (the XML is
// parsed here and must say what the JSON says), and errors in the spec's
// format: a list of {code, description}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';
import { parseXml, assertXmlMatches } from '../lib/xml.mjs';

const GRID_A = '411624001200001';
const LIMIT = 8;
let s, disp, gwA, pointA;
const BASE = '/open311/v2';

before(async () => {
  s = await startServer({ demo: true, env: { PINGAN_PUBLIC_REPORT_LIMIT: String(LIMIT), PINGAN_PUBLIC_WINDOW: '3600' } });
  [disp, gwA] = await Promise.all(['dispatcher', `g${GRID_A}`].map((u) => s.login(u)));
  const micro = await liveMicroGrid(assert, s, gwA, GRID_A);
  const map = await s.api('GET', `/api/v1/areas/${GRID_A}/map`, { token: gwA });
  pointA = map.json.features.find((f) => f.properties.code === micro.code).properties.label;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const get = (path) => s.api('GET', BASE + path);
const post = (path, form) => s.api('POST', BASE + path, {
  raw: new URLSearchParams(form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
});
// The JSON and the XML answer of one GET, checked against each other.
const both = async (path, root, item) => {
  const j = await get(`${path}.json`);
  const x = await get(`${path}.xml`);
  assert.equal(j.status, 200, j.text);
  assert.equal(x.status, 200, x.text);
  assert.match(j.headers.get('content-type'), /^application\/json; charset=utf-8/);
  assert.match(x.headers.get('content-type'), /^text\/xml; charset=utf-8/);
  assert.match(x.text, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  const tree = parseXml(x.text);
  assert.equal(tree.name, root);
  assertXmlMatches(assert, tree, j.json, item);
  return { json: j.json, tree };
};
// An Open311 error: status, and a list of one {code, description} naming what.
const assertError = (r, status, ...words) => {
  assert.equal(r.status, status, r.text);
  let list;
  if (r.headers.get('content-type').startsWith('text/xml')) {
    const tree = parseXml(r.text);
    assert.equal(tree.name, 'errors');
    list = tree.children.map((e) => {
      assert.equal(e.name, 'error');
      return Object.fromEntries(e.children.map((c) => [c.name, c.name === 'code' ? Number(c.text) : c.text]));
    });
  } else {
    list = r.json;
  }
  assert.ok(Array.isArray(list) && list.length === 1, r.text);
  assert.deepEqual(Object.keys(list[0]).sort(), ['code', 'description']);
  assert.equal(list[0].code, status);
  for (const w of words) assert.ok(list[0].description.includes(w), `"${w}" in ${list[0].description}`);
};

test('discovery names the endpoint, its base URL and both formats', async () => {
  const { json } = await both('/discovery', 'discovery');
  assert.ok(json.changeset && json.contact && json.key_service);
  assert.equal(json.endpoints.length, 1);
  const ep = json.endpoints[0];
  assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(ep.url, `http://127.0.0.1:${s.port}/open311/v2`);
  assert.deepEqual(ep.formats, ['text/xml', 'application/json']);
  assert.equal(ep.type, 'production');
});

test('services are the taxonomy\'s minor categories, grouped by major category', async () => {
  const { json } = await both('/services', 'services', 'service');
  assert.equal(json.length, 162);
  const cats = (await s.api('GET', '/api/v1/categories', { token: disp })).json.items;
  assert.deepEqual(json.map((x) => x.service_code), cats.map((c) => c.minor));
  const trash = json.find((x) => x.service_code === '2901');
  assert.equal(trash.service_name, '垃圾堆积');
  assert.equal(trash.group, cats.find((c) => c.minor === '2901').major_name);
  assert.ok(json.every((x) => x.metadata === false && x.type === 'realtime'));
  const def = await both('/services/2901', 'service_definition');
  assert.deepEqual(def.json, { service_code: '2901', attributes: [] });
  assertError(await get('/services/9999.json'), 404, 'service_code');
  assertError(await get('/services/9999.xml'), 404, 'service_code');
  assertError(await get('/services.csv'), 404, 'format');
});

test('POST requests creates a resident report; GET shows it in JSON and XML, without the person', async () => {
  const r = await post('/requests.json', {
    service_code: '2901', lat: String(pointA[1]), long: String(pointA[0]), description: '垃圾桶满了 & 无人清运 <急>',
    first_name: '桂英', last_name: '李', phone: '13912345678', email: 'li@example.com',
    media_url: 'http://example.com/photo.jpg', api_key: 'anything', jurisdiction_id: 'shenqiu', device_id: 'd1',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.length, 1);
  const id = r.json[0].service_request_id;
  assert.match(id, /^[2-9A-HJ-NP-Z]{10}$/);
  assert.ok(r.json[0].service_notice.includes(id), 'the notice tells the resident the code');
  assert.ok(!('token' in r.json[0]), 'realtime: an id, never a token');

  const { json } = await both(`/requests/${id}`, 'service_requests', 'request');
  const q = json[0];
  assert.equal(q.service_request_id, id);
  assert.equal(q.status, 'open');
  assert.equal(q.status_notes, '待立案');
  assert.equal(q.service_code, '2901');
  assert.equal(q.service_name, '垃圾堆积');
  assert.equal(q.description, '垃圾桶满了 & 无人清运 <急>', 'escaped in XML, the same text');
  assert.equal(q.lat, pointA[1]);
  assert.equal(q.long, pointA[0]);
  assert.equal(q.media_url, null, 'a client\'s URL is neither fetched nor kept');
  assert.match(q.requested_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  assert.ok(q.expected_datetime > q.requested_datetime, 'the deadline');
  for (const text of [JSON.stringify(json), (await get(`/requests/${id}.xml`)).text])
    for (const w of ['李', '桂英', '13912345678', '139****5678', 'example.com', 'resident'])
      assert.ok(!text.includes(w), `no "${w}" in ${text}`);

  // The staff see the resident's report with the person, sealed and masked.
  const list = (await s.api('GET', '/api/v1/events?source=resident', { token: disp })).json.items;
  const e = list.find((x) => x.track_code === id);
  assert.equal(e.reporter_name, '李桂英');
  assert.equal(e.reporter_phone, '139****5678');

  // The tracking page knows it too: one code, two front doors.
  assert.equal((await s.api('GET', `/api/v1/public/reports/${id}`)).json.description, q.description);

  // Closed: status closed, the result in the notes.
  for (const [token, action, body] of [[disp, 'register', {}], [disp, 'dispatch', {}]]) {
    const x = await s.api('POST', `/api/v1/events/${e.id}/actions/${action}`, { token, body });
    assert.equal(x.status, 200, x.text);
  }
  const cg = await s.api('POST', '/api/v1/accounts', {
    token: await s.login('admin'), body: { username: 'cg9', name: '城管员', role: 'handler', area: '411624', department: '城管', password: 'Cheng@Guan2026' },
  });
  assert.equal(cg.status, 201, cg.text);
  const cgTok = await s.login('cg9', 'Cheng@Guan2026');
  for (const [token, action, body] of [[cgTok, 'accept', {}], [cgTok, 'handle', { note: '已清运' }], [disp, 'close', {}]]) {
    const x = await s.api('POST', `/api/v1/events/${e.id}/actions/${action}`, { token, body });
    assert.equal(x.status, 200, x.text);
  }
  const closed = (await both(`/requests/${id}`, 'service_requests', 'request')).json[0];
  assert.equal(closed.status, 'closed');
  assert.equal(closed.status_notes, '已结案：已清运');
  assert.equal(closed.expected_datetime, null);
  assert.ok(closed.updated_datetime >= closed.requested_datetime);
});

test('GET requests lists the ids the client names, narrowed by status, service and dates', async () => {
  const mk = async (code, address) => {
    const r = await post('/requests.json', { service_code: code, address_string: address });
    assert.equal(r.status, 201, r.text);
    return r.json[0].service_request_id;
  };
  const a = await mk('2901', '城关镇东大街');
  const b = await mk('1302', '槐店镇北关');
  const ids = `${a},${b},ZZZZZZZZZZ`;
  const all = (await both(`/requests`, 'service_requests', 'request')).json;
  assert.deepEqual(all, [], 'no register of the county\'s reports without ids');
  const pick = async (q) => {
    const r = await get(`/requests.json?service_request_id=${ids}${q}`);
    assert.equal(r.status, 200, r.text);
    const x = await get(`/requests.xml?service_request_id=${ids}${q}`);
    assertXmlMatches(assert, parseXml(x.text), r.json, 'request');
    return r.json.map((q_) => q_.service_request_id).sort();
  };
  assert.deepEqual(await pick(''), [a, b].sort(), 'unknown ids are left out');
  assert.deepEqual(await pick('&status=open'), [a, b].sort());
  assert.deepEqual(await pick('&status=closed'), []);
  assert.deepEqual(await pick('&status=open,closed&service_code=1302'), [b]);
  assert.deepEqual(await pick('&start_date=2000-01-01T00:00:00%2B08:00'), [a, b].sort());
  assert.deepEqual(await pick('&end_date=2000-01-01T00:00:00Z'), []);
  const q = (await get(`/requests.json?service_request_id=${a}`)).json[0];
  assert.equal(q.address, '城关镇东大街');
  assert.equal(q.lat, null);
  const future = new Date(Date.parse(q.requested_datetime) + 60000).toISOString();
  assert.deepEqual(await pick(`&start_date=${future}`), []);
  assertError(await get(`/requests.json?status=pending`), 400, 'status');
  assertError(await get(`/requests.xml?start_date=yesterday`), 400, 'start_date');
  assertError(await get(`/requests.json?end_date=2026-01-01T00:00:00`), 400, 'end_date');
  assertError(await get(`/requests.json?service_request_id=${Array(51).fill(a).join(',')}`), 400, 'service_request_id');
  assertError(await get('/requests/ZZZZZZZZZZ.json'), 404);
  assertError(await get('/requests/ZZZZZZZZZZ.xml'), 404);
});

test('bad POSTs answer in the spec\'s error format, naming the parameter; nothing is written', async () => {
  const before_ = (await s.api('GET', '/api/v1/events?source=resident&limit=1', { token: disp })).json.total;
  const p = { lat: String(pointA[1]), long: String(pointA[0]) };
  assertError(await post('/requests.json', { ...p, description: 'x' }), 400, 'service_code');
  assertError(await post('/requests.xml', { ...p, service_code: '9999' }), 404, 'service_code');
  assertError(await post('/requests.json', { service_code: '2901', description: 'x' }), 400, 'long');
  assertError(await post('/requests.json', { service_code: '2901', lat: '33.1' }), 400, 'long');
  assertError(await post('/requests.json', { service_code: '2901', lat: 'north', long: '115' }), 400, 'lat');
  assertError(await post('/requests.json', { service_code: '2901', lat: '39.9', long: '116.4' }), 400, 'point_outside_area', 'long');
  assertError(await post('/requests.json', { ...p, service_code: '2901', phone: '12345' }), 400, 'phone');
  assertError(await post('/requests.json', { ...p, service_code: '2901', description: 'x'.repeat(2001) }), 400, 'description');
  assertError(await post('/requests.json', { ...p, service_code: '2901', colour: 'red' }), 400, 'colour');
  const dup = await s.api('POST', `${BASE}/requests.json`, { raw: 'service_code=2901&service_code=2902', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assertError(dup, 400, 'invalid_form');
  const broken = await s.api('POST', `${BASE}/requests.xml`, { raw: 'service_code=%ZZ', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assertError(broken, 400, 'invalid_form');
  assertError(await s.api('DELETE', `${BASE}/requests.json`), 405);
  assertError(await get('/nothing.json'), 404);
  const after_ = (await s.api('GET', '/api/v1/events?source=resident&limit=1', { token: disp })).json.total;
  assert.equal(after_, before_, 'no partial write');
});

test('POST requests shares the public channel\'s per-address limit (429 in the spec\'s format)', async () => {
  await s.advanceClock(2 * 3600 * 1000);
  disp = await s.login('dispatcher');
  for (let i = 0; i < LIMIT; i++) {
    const r = await post('/requests.json', { service_code: '2901', address_string: `第${i}处` });
    assert.equal(r.status, 201, r.text);
  }
  const over = await post('/requests.xml', { service_code: '2901', address_string: '再一处' });
  assertError(over, 429, 'too_many_reports');
  assert.ok(Number(over.headers.get('retry-after')) > 0);
  const pub = await s.api('POST', '/api/v1/public/reports', { body: { description: 'x', address: 'y' } });
  assert.equal(pub.status, 429, 'one limit for both front doors');
});
