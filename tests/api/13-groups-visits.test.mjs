// Special groups and visits: validation, the duty from the configured rules,
// due and overdue lists moved by the clock and by visits, and who may see them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, run } from '../lib/server.mjs';

let s, gwA, gwB, leader, admin, person;
const MA = '41162400120000101';
const DAY = 86400000;

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  gwA = await s.login('g411624001200001');
  gwB = await s.login('g411624002200001');
  leader = await s.login('leader');
  const p = await s.api('POST', '/api/v1/people', { token: gwA, body: { name: '周某某', residence_type: 'registered', area: MA } });
  assert.equal(p.status, 201, p.text);
  person = p.json.id;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

// Moving the clock by days also ends the 30-minute sessions: sign in again.
async function later(ms) {
  await s.advanceClock(ms);
  admin = await s.login('admin');
  gwA = await s.login('g411624001200001');
  gwB = await s.login('g411624002200001');
  leader = await s.login('leader');
}

const addGroup = (token, body, id = person) => s.api('POST', `/api/v1/people/${id}/groups`, { token, body });

test('membership is validated', async () => {
  const cases = [
    [{ type: 'alien', risk_level: 'low' }, 'unknown_group_type', 'type'],
    [{ type: 'mental', risk_level: 'low' }, 'missing_field', 'danger_level'],
    [{ type: 'drug', risk_level: 'low', danger_level: 2 }, 'danger_level_not_allowed', 'danger_level'],
    [{ type: 'mental', risk_level: 'low', danger_level: 6 }, 'out_of_range', 'danger_level'],
    [{ type: 'mental', risk_level: 'huge', danger_level: 1 }, 'invalid_risk_level', 'risk_level'],
    [{ type: 'mental', risk_level: 'low', danger_level: 1, guardians: [{ name: '张', role: '外星人' }] }, 'invalid_guardian_role', 'guardians[0]'],
    [{ type: 'mental', risk_level: 'low', danger_level: 1, guardians: [{ name: '张', role: '民警' }, { role: '医生' }] }, 'missing_field', 'guardians[1]'],
    // The type's own items (GET /api/v1/meta/fields): unknown ones, and values of the wrong kind.
    [{ type: 'mental', risk_level: 'low', danger_level: 1, fields: { 诊断: 5 } }, 'unknown_field', 'fields'],
    [{ type: 'drug', risk_level: 'low', fields: { diagnosis: '精神分裂症' } }, 'unknown_field', 'fields'],
    [{ type: 'mental', risk_level: 'low', danger_level: 1, fields: { diagnosis: '抑郁症' } }, 'invalid_choice', 'fields.diagnosis'],
    [{ type: 'correction', risk_level: 'low', fields: { correction_type: '缓刑', start_date: '2024-02-30' } }, 'invalid_date', 'fields.start_date'],
    [{ type: 'released', risk_level: 'low', fields: { recidivist: '是' } }, 'invalid_type', 'fields.recidivist'],
    [{ type: 'mental', risk_level: 'low', danger_level: 1, fields: { incident_count: -2 } }, 'invalid_type', 'fields.incident_count'],
    [{ type: 'mental', risk_level: 'low', danger_level: 1, fields: [] }, 'invalid_type', 'fields'],
  ];
  for (const [body, code, field] of cases) {
    const r = await addGroup(gwA, body);
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
});

test('danger level 3 means weekly visits; the clock and a visit move the state', async () => {
  const r = await addGroup(gwA, { type: 'mental', risk_level: 'high', danger_level: 3, guardians: [{ name: '周父', role: '监护人' }, { name: '王医生', role: '医生' }], fields: { diagnosis: '精神分裂症', low_income: true, incident_count: 1, help: ['药物治疗', '监护补贴'] } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.visit_every_days, 7);
  assert.equal(r.json.state, 'ok');
  assert.equal(r.json.type_name, '严重精神障碍患者');
  assert.deepEqual(r.json.fields, { diagnosis: '精神分裂症', low_income: true, incident_count: 1, help: ['药物治疗', '监护补贴'] }, 'the items come back as they were given, typed');
  const dup = await addGroup(gwA, { type: 'mental', risk_level: 'low', danger_level: 1 });
  assert.equal(dup.status, 409);
  const drug = await addGroup(gwA, { type: 'drug', risk_level: 'medium' });
  assert.equal(drug.json.visit_every_days, 14, 'the configured rule for drug users');
  const list = async (q = '') => (await s.api('GET', `/api/v1/groups${q}`, { token: gwA })).json;
  assert.equal((await list('?due=overdue')).total, 0);
  await later(5 * DAY);
  const soon = await list('?due=due');
  assert.deepEqual(soon.items.map((g) => [g.type, g.state]), [['mental', 'due']]);
  await later(3 * DAY);
  const late = await list('?due=overdue');
  assert.equal(late.total, 1);
  assert.equal(late.items[0].state, 'overdue');
  assert.equal(late.items[0].person.name, '周某某');
  const v = await s.api('POST', '/api/v1/visits', { token: gwA, body: { person_id: person, kind: 'home', notes: '按时服药，情绪平稳' } });
  assert.equal(v.status, 201, v.text);
  assert.equal(v.json.by.username, 'g411624001200001');
  const after = await s.api('GET', `/api/v1/people/${person}/groups`, { token: gwA });
  assert.ok(after.json.items.every((g) => g.state === 'ok' && g.last_visit_at));
  assert.equal((await list('?due=overdue')).total, 0);
  const visits = await s.api('GET', `/api/v1/people/${person}/visits`, { token: gwA });
  assert.equal(visits.json.items[0].notes, '按时服药，情绪平稳');
});

test('visits are validated', async () => {
  const bad = [
    [{ person_id: person, kind: 'visit' }, 'invalid_kind', 'kind'],
    [{ person_id: person, kind: 'home', at: '2999-01-01' }, 'invalid_date', 'at'],
    [{ person_id: person, kind: 'home', lng: 115.1 }, 'invalid_type', 'lat'],
    [{ person_id: person, kind: 'home', lng: 200, lat: 33 }, 'out_of_range', 'lng'],
    [{ kind: 'home' }, 'missing_field', 'person_id'],
    [{ person_id: 'x', kind: 'home' }, 'invalid_type', 'person_id'],
  ];
  for (const [body, code, field] of bad) {
    const r = await s.api('POST', '/api/v1/visits', { token: gwA, body });
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
});

test('who may see special groups, and where', async () => {
  assert.equal((await s.api('GET', '/api/v1/groups', { token: leader })).status, 403, 'leaders: no membership data');
  assert.equal((await s.api('GET', `/api/v1/people/${person}/groups`, { token: leader })).status, 403);
  assert.equal((await s.api('GET', `/api/v1/people/${person}/groups`, { token: gwB })).status, 404);
  assert.equal((await s.api('GET', '/api/v1/groups', { token: gwB })).json.total, 0);
  assert.equal((await s.api('GET', '/api/v1/groups?area=411624001200001', { token: gwB })).status, 404);
  const visit = await s.api('POST', '/api/v1/visits', { token: gwB, body: { person_id: person, kind: 'home' } });
  assert.equal(visit.status, 404);
  assert.equal(visit.json.error.field, 'person_id');
  const person2 = await s.api('GET', `/api/v1/people/${person}`, { token: admin });
  assert.equal(person2.json.groups, undefined, 'the person card does not carry membership');
  const all = await s.api('GET', '/api/v1/groups?type=mental', { token: admin });
  assert.equal(all.json.total, 1);
  assert.equal((await s.api('GET', '/api/v1/groups?due=later', { token: admin })).json.error.field, 'due');
});

test('the duty rules are configuration, checked at start', () => {
  const r = run(['serve', '--db', s.db, '--visit-duties', 'mental@9=7', '--port', '1']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /visit_duties/);
});

test('the items of each group type are served for the forms', async () => {
  const r = await s.api('GET', '/api/v1/meta/fields', { token: gwA });
  assert.equal(r.status, 200, r.text);
  for (const t of ['released', 'correction', 'mental', 'drug', 'aids', 'youth']) assert.ok(r.json.group[t].length > 0, t);
  const diag = r.json.group.mental.find((f) => f.key === 'diagnosis');
  assert.equal(diag.kind, 'choice');
  assert.equal(diag.choices.length, 6);
  assert.ok(r.json.org.school.some((f) => f.key === 'safety_officer' && f.label === '安全保卫责任人'));
  assert.equal((await s.api('GET', '/api/v1/meta/fields')).status, 401, 'signed-in accounts only');
});
