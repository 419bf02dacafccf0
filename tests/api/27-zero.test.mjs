// "三零" creation: subjects (every village; units from the registry), the
// three counts attributed from the platform's own events (a village owns
// what lies in its subtree, a unit what names it; accidents need
// casualties; refused events do not count), the four-colour rules as
// configuration with their reasons and history, letters with their yearly
// numbers and print view, the periodic review, compliance rates, the subject
// ledger import, and scope. The clock is the server's test clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid } from '../lib/server.mjs';
import { usccOf } from '../lib/ids.mjs';

const GRID_A = '411624001200001';
const VILLAGE_A = GRID_A.slice(0, 12);
const GRID_B = '411624002200001';
const VILLAGE_B = GRID_B.slice(0, 12);
const TOWN_B = GRID_B.slice(0, 9);
const DAY = 24 * 3600 * 1000;
let s, admin, disp, leader, town, gwA, microA, factory, subject, villageA, villageB;

const signIn = async () => {
  [admin, disp, leader, gwA] = await Promise.all(['admin', 'dispatcher', 'leader', `g${GRID_A}`].map((u) => s.login(u)));
  town = await s.login('town2', 'Town@Admin2026');
};
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };
const get = (token, path) => s.api('GET', `/api/v1${path}`, { token });
const post = (token, path, body) => s.api('POST', `/api/v1${path}`, { token, body });
const card = async (id) => ok(await get(disp, `/zero/subjects/${id}`));
const report = (body) => post(disp, '/events', { source: 'department', ...body });
const subjectOf = async (kind, q) => {
  const l = ok(await get(disp, `/zero/subjects?kind=${kind}&q=${encodeURIComponent(q)}`));
  assert.equal(l.total, 1, `one subject named ${q}`);
  return l.items[0];
};

before(async () => {
  s = await startServer({ demo: true });
  // A fixed instant (a Monday): the period is the year 2027.
  ok(await s.api('POST', '/api/v1/_test/clock', { body: { now_ms: Date.parse('2027-03-01T09:00:00+08:00') } }));
  // The demo's colours are of the year it was built in: a new year is the sweep's.
  ok(await s.api('POST', '/api/v1/_test/zero/sweep', {}));
  admin = await s.login('admin');
  ok(await post(admin, '/accounts', { username: 'town2', name: '乡镇管理员', role: 'admin', area: TOWN_B, password: 'Town@Admin2026' }), 201);
  await signIn();
  microA = await liveMicroGrid(assert, s, gwA, GRID_A);
  factory = ok(await post(admin, '/orgs', { uscc: usccOf('30000001'), name: '于庄机械加工厂', kind: 'enterprise', area: microA.code, contact_name: '王厂长' }), 201);
  villageA = ok(await get(disp, `/zero/subjects?kind=village&area=${VILLAGE_A}`)).items[0];
  villageB = ok(await get(disp, `/zero/subjects?kind=village&area=${VILLAGE_B}`)).items[0];
});
after(async () => { assertCleanExit(assert, await s.stop()); });

test('every village of the demo county is a subject, uncoloured until something happens', async () => {
  const all = ok(await get(disp, '/zero/subjects?kind=village&limit=1'));
  assert.equal(all.total, 581, 'the demo county\'s 581 villages and communities');
  assert.equal(all.by_colour.none, all.total, 'nothing yet this year: no warning');
  assert.equal(ok(await post(disp, '/zero/villages', {})).created, 0, 'made once');
  assert.equal(villageA.kind, 'village');
  assert.equal(villageA.area.code, VILLAGE_A);
  assert.ok(villageA.responsible, 'the village leader is responsible');
});

test('a unit becomes a subject with its leading department; bad input names the field', async () => {
  const bad = [
    [{ department: '应急管理' }, 'missing_field', 'org_id'],
    [{ org_id: factory.id, department: '不存在的局' }, 'unknown_department', 'department'],
    [{ org_id: factory.id, department: '应急管理', colour: 'red' }, 'unknown_field', 'colour'],
  ];
  for (const [body, code, field] of bad) {
    const r = await post(disp, '/zero/subjects', body);
    assert.equal(r.status, 400, r.text);
    assert.deepEqual([r.json.error.code, r.json.error.field], [code, field]);
  }
  assert.equal((await post(disp, '/zero/subjects', { org_id: 99999999, department: '应急管理' })).status, 404);
  subject = ok(await post(disp, '/zero/subjects', { org_id: factory.id, department: '应急管理', category: '工厂', responsible: '王厂长' }), 201);
  assert.deepEqual([subject.kind, subject.department.name, subject.category, subject.colour], ['unit', '应急管理', '工厂', 'none']);
  assert.equal(subject.org.uscc, factory.uscc);
  assert.equal(subject.village.code, VILLAGE_A, 'a unit is known by its village');
  assert.equal((await post(disp, '/zero/subjects', { org_id: factory.id, department: '应急管理' })).json.error.code, 'subject_exists');
  assert.equal((await post(gwA, '/zero/subjects', { org_id: factory.id, department: '应急管理' })).status, 403, 'grid workers have no zero rights');
});

test('counts are attributed: the unit named, the village around it; accidents need casualties', async () => {
  // A traffic accident without casualties breaks nothing.
  const e0 = ok(await report({ description: '厂门口货车剐蹭，无人受伤', minor: '2601', area: microA.code, org_id: factory.id }), 201);
  assert.deepEqual([e0.org.id, e0.casualties], [factory.id, 0]);
  assert.equal((await card(subject.id)).counts.accidents, 0);
  // With casualties it is an accident, for the unit and for its village.
  const e1 = ok(await report({ description: '车间机器卷入工人手臂，一人重伤', minor: '2403', area: microA.code, org_id: factory.id, casualties: 1 }), 201);
  const u = await card(subject.id);
  assert.deepEqual([u.counts.accidents, u.colour, u.broken], [1, 'orange', true]);
  assert.match(u.reasons[0], /有人员伤亡的事故 1 起/);
  assert.deepEqual(u.measured.events.map((e) => [e.id, e.breaks]), [[e1.id, 'accident']]);
  const vA = await card(villageA.id);
  assert.deepEqual([vA.counts.accidents, vA.colour], [1, 'orange']);
  assert.equal((await card(villageB.id)).counts.accidents, 0, 'another village is not touched');
  // Cases in the village (no unit named): the village's, not the unit's.
  const c1 = ok(await report({ description: '村民家中被盗', minor: '1401', area: VILLAGE_A }), 201);
  const c2 = ok(await report({ description: '村口打架斗殴', minor: '1303', area: GRID_A }), 201);
  const v2 = await card(villageA.id);
  assert.deepEqual([v2.counts.cases, v2.colour], [2, 'red']);
  assert.match(v2.reasons[0], /刑事或重大治安案件 2 起/);
  assert.ok(v2.reasons.some((r) => /事故 1 起/.test(r)), 'every met rule says why');
  assert.equal((await card(subject.id)).counts.cases, 0);
  // A refused report does not count.
  ok(await post(disp, `/events/${c2.id}/actions/reject`, { reason: '重复上报' }));
  const v3 = await card(villageA.id);
  assert.deepEqual([v3.counts.cases, v3.colour], [1, 'orange']);
  // A petition: yellow in a village with nothing else.
  ok(await report({ description: '村民反映宅基地纠纷，到县信访局上访', minor: '5401', area: VILLAGE_B }), 201);
  const vB = await card(villageB.id);
  assert.deepEqual([vB.counts.petitions, vB.colour], [1, 'yellow']);
  assert.match(vB.reasons[0], /信访 1 件/);
  // History: each change with its time and reasons.
  const h = v3.history;
  assert.deepEqual(h.slice(0, 3).map((x) => [x.from, x.to]), [['red', 'orange'], ['orange', 'red'], ['orange', 'orange']]);
  assert.ok(h.every((x) => x.at_ms > 0 && Array.isArray(x.reasons)));
  assert.equal(c1.org, null);
  // The event's unit must lie in the reporter's scope, and exist.
  assert.equal((await post(gwA, '/events', { source: 'grid_worker', description: 'x', area: microA.code, org_id: 99999999 })).status, 404);
  assert.equal((await report({ description: 'x', area: microA.code, casualties: -1 })).json.error.field, 'casualties');
});

test('the ledger: colours first, filters, broken only, scope', async () => {
  const l = ok(await get(disp, '/zero/subjects?broken=1'));
  assert.deepEqual(l.items.map((x) => x.id).sort(), [subject.id, villageA.id, villageB.id].sort());
  assert.equal(l.items[0].colour, 'orange');
  assert.equal(ok(await get(disp, '/zero/subjects?colour=yellow')).items[0].id, villageB.id);
  assert.equal(ok(await get(disp, `/zero/subjects?department=${encodeURIComponent('应急管理')}`)).total, 1);
  for (const [q, field] of [['kind=x', 'kind'], ['colour=green', 'colour'], ['broken=2', 'broken'], [`department=${encodeURIComponent('无')}`, 'department']])
    assert.equal((await get(disp, `/zero/subjects?${q}`)).json.error.field, field);
  // A township's account sees its own subtree only.
  const mine = ok(await get(town, '/zero/subjects?broken=1'));
  assert.deepEqual(mine.items.map((x) => x.id), [villageB.id]);
  assert.equal((await get(town, `/zero/subjects/${villageA.id}`)).status, 404);
  assert.equal((await get(town, `/zero/subjects/${subject.id}`)).status, 404);
  assert.equal((await get(town, `/zero/subjects?area=${VILLAGE_A}`)).status, 404);
  assert.equal((await get(town, `/zero/rates?area=${VILLAGE_A}`)).status, 404);
  assert.equal((await get(leader, `/zero/subjects/${villageA.id}`)).status, 200, 'leaders read');
  assert.equal((await s.api('PATCH', `/api/v1/zero/subjects/${villageA.id}`, { token: leader, body: { responsible: 'x' } })).status, 403);
});

test('the rules are the county\'s configuration, validated, and recolour at once', async () => {
  const rules = ok(await get(disp, '/zero/rules'));
  assert.ok(rules.rules.length >= 5);
  assert.equal(rules.headings.length, 8);
  assert.match(rules.categories.accident, /2601/);
  const bad = [
    [{ area: '411624', rules: [] }, 'out_of_range', 'rules'],
    [{ area: '411624', rules: [{ metric: 'fun', threshold: 1, colour: 'red', reason: 'x' }] }, 'invalid_metric', 'rules[0].metric'],
    [{ area: '411624', rules: [{ metric: 'cases', threshold: 1, colour: 'green', reason: 'x' }] }, 'invalid_colour', 'rules[0].colour'],
    [{ area: '411624', rules: [{ metric: 'cases', threshold: 0, colour: 'red', reason: 'x' }] }, 'out_of_range', 'rules[0].threshold'],
    [{ area: '411624', rules: [{ metric: 'cases', threshold: 1, colour: 'red' }] }, 'missing_field', 'rules[0].reason'],
    [{ area: '411624', rules: [{ metric: 'cases', threshold: 1, colour: 'red', reason: 'x', kind: 'farm' }] }, 'invalid_kind', 'rules[0].kind'],
    [{ area: '411624', rules: rules.rules.slice(0, 1), categories: { cases: '9999' } }, 'unknown_category', 'categories.cases'],
    [{ area: '411624', rules: rules.rules.slice(0, 1), categories: { cases: '14,01' } }, 'invalid_minors', 'categories.cases'],
    [{ area: '411624', rules: rules.rules.slice(0, 1), categories: { pets: '1401' } }, 'unknown_field', 'categories.pets'],
  ];
  for (const [body, code, field] of bad) {
    const r = await s.api('PUT', '/api/v1/zero/rules', { token: disp, body });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual([r.json.error.code, r.json.error.field], [code, field]);
  }
  const put = (token, body) => s.api('PUT', '/api/v1/zero/rules', { token, body });
  assert.equal((await put(town, { area: '411624', rules: rules.rules })).status, 404, 'a township cannot name the county');
  assert.equal((await put(town, { area: TOWN_B, rules: rules.rules })).json.error.code, 'not_county');
  assert.equal((await put(leader, { area: '411624', rules: rules.rules })).status, 403);
  // A stricter county: one petition is red; petitions are only 5401.
  const strict = [{ metric: 'petitions', threshold: 1, colour: 'red', reason: '发生信访 {n} 件即红色预警' }];
  const r = ok(await put(disp, { area: '411624', rules: strict, categories: { petition: '5401' } }));
  assert.equal(r.rules.length, 1);
  const vB = await card(villageB.id);
  assert.deepEqual([vB.colour, vB.reasons], ['red', ['发生信访 1 件即红色预警']]);
  assert.deepEqual([(await card(villageA.id)).colour, (await card(subject.id)).colour], ['none', 'none'], 'no rule for cases or accidents now');
  // Back to the defaults.
  ok(await put(disp, { area: '411624', rules: rules.rules, categories: rules.categories }));
  assert.equal((await card(villageA.id)).colour, 'orange');
});

test('letters: numbered per kind and year, recorded, printable; none for a subject that kept zero', async () => {
  const kept = ok(await get(disp, '/zero/subjects?kind=village&colour=none&limit=1')).items[0];
  const no = await post(disp, `/zero/subjects/${kept.id}/letters`, { kind: 'warning' });
  assert.deepEqual([no.status, no.json.error.code], [409, 'not_broken']);
  assert.equal((await post(disp, `/zero/subjects/${subject.id}/letters`, { kind: 'memo' })).json.error.field, 'kind');
  assert.equal((await post(disp, `/zero/subjects/${subject.id}/letters`, { kind: 'warning', deadline: '2027-02-30' })).json.error.field, 'deadline');
  const w1 = ok(await post(disp, `/zero/subjects/${subject.id}/letters`, { kind: 'warning', deadline: '2027-03-15' }), 201);
  assert.equal(w1.number, '三零警示〔2027〕第1号');
  assert.equal(w1.addressee, '于庄机械加工厂');
  assert.match(w1.body, /事故 1 起/);
  assert.match(w1.body, /2027-03-15前/);
  assert.equal(w1.events.length, 1);
  const w2 = ok(await post(disp, `/zero/subjects/${villageA.id}/letters`, { kind: 'warning' }), 201);
  assert.equal(w2.number, '三零警示〔2027〕第2号');
  const d1 = ok(await post(disp, `/zero/subjects/${subject.id}/letters`, { kind: 'supervision' }), 201);
  assert.deepEqual([d1.number, d1.addressee], ['三零督办〔2027〕第1号', '县应急管理']);
  const dv = ok(await post(disp, `/zero/subjects/${villageA.id}/letters`, { kind: 'supervision' }), 201);
  assert.match(dv.addressee, /党委、政府$/, 'a village\'s supervision letter goes to its township');
  const c = await card(subject.id);
  assert.deepEqual(c.letters.map((l) => l.number), ['三零督办〔2027〕第1号', '三零警示〔2027〕第1号']);
  const p = await get(leader, `/zero/subjects/${subject.id}/letters/${w1.id}/print`);
  assert.equal(p.status, 200);
  assert.match(p.headers.get('content-type'), /^text\/html/);
  assert.match(p.text, /警示函/);
  assert.match(p.text, /三零警示〔2027〕第1号/);
  assert.match(p.text, /@page\{size:A4/);
  assert.equal((await get(disp, `/zero/subjects/${villageA.id}/letters/${w1.id}/print`)).status, 404, 'a letter is read under its own subject');
  assert.equal((await get(town, `/zero/subjects/${subject.id}/letters/${w1.id}`)).status, 404);
});

test('review of the eight headings; compliance rates by area and by department', async () => {
  const scores = { leadership: 90, prevention: 85, disputes: 88, key_groups: 80, hazards: 60, rule_of_law: 70, services: 75, satisfaction: 70 };
  const miss = await post(disp, `/zero/subjects/${villageB.id}/reviews`, { period: '2027', scores: { ...scores, satisfaction: undefined } });
  assert.deepEqual([miss.json.error.code, miss.json.error.field], ['missing_field', 'scores.satisfaction']);
  assert.equal((await post(disp, `/zero/subjects/${villageB.id}/reviews`, { period: '2027', scores: { ...scores, hazards: 101 } })).json.error.field, 'scores.hazards');
  assert.equal((await post(disp, `/zero/subjects/${villageB.id}/reviews`, { period: '27', scores })).json.error.field, 'period');
  // A village that kept zero but failed its review does not comply.
  const kept = ok(await get(disp, `/zero/subjects?kind=village&colour=none&area=${TOWN_B}&limit=1`)).items[0];
  const rv = ok(await post(disp, `/zero/subjects/${kept.id}/reviews`, { period: '2027', scores }), 201);
  assert.deepEqual([rv.reviews[0].total, rv.reviews[0].passed], [77.25, false]);
  const rates = ok(await get(disp, '/zero/rates?period=2027'));
  const v = rates.villages;
  assert.equal(v.compliant, v.total - 3, 'two villages broke zero, one failed its review');
  assert.equal(v.rate, Math.round(v.compliant * 10000 / v.total) / 100);
  assert.deepEqual([rates.units.total, rates.units.compliant], [1, 0]);
  const townRow = rates.groups.find((g) => g.area && g.area.code === TOWN_B);
  assert.equal(townRow.villages.total - townRow.villages.compliant, 2, 'village B broke, the reviewed one failed');
  const byDept = ok(await get(disp, '/zero/rates?period=2027&by=department'));
  const em = byDept.groups.find((g) => g.department && g.department.name === '应急管理');
  assert.deepEqual([em.units.total, em.units.compliant], [1, 0]);
  // Another period: nothing broke in 2020.
  const last = ok(await get(disp, '/zero/rates?period=2020'));
  assert.equal(last.villages.compliant, last.villages.total);
  assert.equal(ok(await get(disp, '/zero/rates?period=2027-Q1')).villages.compliant, v.compliant + 1, 'the review is for 2027, not its first quarter');
  for (const q of ['period=2027-Q5', 'period=202', 'by=town'])
    assert.equal((await get(disp, `/zero/rates?${q}`)).status, 400);
  // In a township's scope the totals are its own.
  const mine = ok(await get(town, '/zero/rates?period=2027'));
  assert.equal(mine.villages.total, townRow.villages.total);
});

test('the subject ledger import names units by USCC, all or nothing', async () => {
  const second = ok(await post(admin, '/orgs', { uscc: usccOf('30000002'), name: '于庄小学', kind: 'school', area: microA.code }), 201);
  const csv = `统一社会信用代码,主管部门,主体类别,责任人\n${second.uscc},教育,学校,李校长\n${factory.uscc},应急管理,工厂,赵厂长\n`;
  const r = ok(await s.api('POST', '/api/v1/zero/subjects/import', { token: disp, raw: csv, headers: { 'Content-Type': 'text/csv' } }));
  assert.deepEqual([r.rows, r.created, r.updated, r.invalid], [2, 1, 1, 0]);
  assert.equal((await subjectOf('unit', '于庄小学')).department.name, '教育');
  assert.equal((await card(subject.id)).responsible, '赵厂长');
  const bad = `统一社会信用代码,主管部门\n${usccOf('30000003')},教育\n${second.uscc},无此部门\n`;
  const b = await s.api('POST', '/api/v1/zero/subjects/import', { token: disp, raw: bad, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(b.status, 422, b.text);
  assert.deepEqual(b.json.error.import.errors.map((e) => e.code), ['org_not_found', 'unknown_department']);
  assert.equal((await subjectOf('unit', '于庄小学')).department.name, '教育', 'nothing written');
});

test('time-based rules: overdue work turns a village blue at the sweep', async () => {
  const plain = ok(await get(disp, `/zero/subjects?kind=village&colour=none&area=${TOWN_B}&limit=2`)).items.find((x) => x.id !== villageB.id);
  ok(await report({ description: '路边垃圾堆积', minor: '2901', area: plain.area.code }), 201);
  assert.equal((await card(plain.id)).colour, 'none');
  await s.advanceClock(10 * DAY);
  await signIn();
  ok(await s.api('POST', '/api/v1/_test/zero/sweep', {}));
  const c = await card(plain.id);
  assert.equal(c.colour, 'blue');
  assert.deepEqual(c.reasons, ['有超期未办结的事件 1 件']);
  assert.equal(c.broken, false, 'overdue work warns but does not break zero');
});

test('an event reported without its unit is linked to it later; the unit turns colour', async () => {
  const e = ok(await post(gwA, '/events', { source: 'grid_worker', description: '工厂仓库起火，一名员工烧伤', minor: '2103', area: microA.code, casualties: 1 }), 201);
  const before = await card(subject.id);
  assert.equal(before.counts.accidents, 1, 'not the unit\'s until linked');
  const link = (token, id, body) => post(token, `/zero/subjects/${id}/events`, body);
  assert.equal((await link(disp, villageA.id, { event_id: e.id })).json.error.code, 'not_a_unit');
  assert.equal((await link(disp, subject.id, { event_id: 99999999 })).status, 404);
  assert.equal((await link(disp, subject.id, {})).json.error.field, 'event_id');
  assert.equal((await link(town, subject.id, { event_id: e.id })).status, 404, 'neither is in a township\'s scope elsewhere');
  const after = ok(await link(disp, subject.id, { event_id: e.id }));
  assert.deepEqual([after.counts.accidents, after.colour], [2, 'red']);
  assert.ok(after.measured.events.some((x) => x.id === e.id && x.breaks === 'accident'));
  assert.equal(after.history[0].to, 'red');
  assert.equal(ok(await get(disp, `/events/${e.id}`)).org.id, factory.id);
});

test('a resident\'s report recolours its village at once; a unit that moves takes its subject along', async () => {
  const map = ok(await get(admin, `/areas/${GRID_B}/map`));
  const [lng, lat] = map.features[0].properties.label;
  const before = (await card(villageB.id)).counts.cases;
  ok(await s.api('POST', '/api/v1/public/reports', { body: { description: '村口夜间有人撬车门盗窃', minor: '1402', lng, lat, idempotency_key: 'resident-zero-000001' } }), 201);
  assert.equal((await card(villageB.id)).counts.cases, before + 1);
  // The factory moves to a micro-grid of GRID_B (the unit ledger updates it): its subject follows.
  assert.equal((await get(town, `/zero/subjects/${subject.id}`)).status, 404);
  const csv = `统一社会信用代码,名称,类别,网格\n${factory.uscc},于庄机械加工厂,企业,${map.features[0].properties.code}\n`;
  ok(await s.api('POST', '/api/v1/orgs/import', { token: admin, raw: csv, headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(ok(await get(town, `/zero/subjects/${subject.id}`)).area.code, map.features[0].properties.code);
});

test('the petition and dispute ledgers count: a petition received, a dispute flagged 民转刑', async () => {
  const officer = await s.login('petition_officer');
  assert.deepEqual(ok(await get(disp, '/zero/rules')).sources, { petitions: true, disputes: true });
  const microB = await liveMicroGrid(assert, s, admin, GRID_B);
  const v0 = await card(villageB.id);
  const u0 = await card(subject.id);
  const petition = (body) => post(officer, '/petitions', {
    channel: 'visit', category: 'claim', title: '要求解决拖欠工资问题',
    content: '某建筑公司拖欠农民工工资三个月，多次讨要未果，请求督促支付。',
    area: microB.code, petitioners: [{ name: '王某某', phone: '13912345678' }], ...body,
  });
  ok(await petition({}), 201);
  const v1 = await card(villageB.id);
  assert.equal(v1.counts.petitions, v0.counts.petitions + 1, 'the village\'s petitions, at once');
  assert.ok(v1.reasons.some((r) => /信访/.test(r)));
  // A petition concerning the factory (now in GRID_B) is the factory's too.
  ok(await petition({ title: '反映工厂噪声扰民', org_id: factory.id }), 201);
  const u1 = await card(subject.id);
  assert.equal(u1.counts.petitions, u0.counts.petitions + 1);
  assert.equal((await card(villageB.id)).counts.petitions, v0.counts.petitions + 2);
  // A dispute breaks nothing; flagged 民转刑 it is a risk the colour shows.
  const d = ok(await post(disp, '/disputes', {
    origin: 'screening', source: 'initiative', type: 'homestead', title: '宅基地纠纷，扬言报复',
    summary: '两户因宅基地边界争执，一方扬言报复', area: microB.code, people_count: 2,
    parties: [{ side: 'applicant', name: '张建国' }, { side: 'respondent', name: '李秀英' }],
  }), 201);
  assert.equal((await card(villageB.id)).measured.metrics.criminal_risks, v0.measured.metrics.criminal_risks);
  ok(await post(disp, `/disputes/${d.id}/actions/risk`, { criminal: true, mass: false, note: '一方扬言动刀' }));
  const v2 = await card(villageB.id);
  assert.equal(v2.measured.metrics.criminal_risks, v0.measured.metrics.criminal_risks + 1);
  assert.ok(v2.reasons.some((r) => /民转刑/.test(r)), v2.reasons.join());
  // The rates see the ledgers too: village B broke zero (its petitions).
  const rates = ok(await get(disp, `/zero/rates?area=${TOWN_B}`));
  const row = rates.groups.find((g) => g.area && g.area.code === VILLAGE_B);
  assert.deepEqual([row.villages.total, row.villages.compliant], [1, 0]);
});
