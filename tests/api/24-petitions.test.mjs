// The petition ledger (信访): registration and its validation, the statutory
// clock of the 2022 regulation (15 / 15 / 60 + 30 / 30 / 30 days) with its
// lights and overdue list, steps out of order, the petitioner's 30-day
// windows, 第36条 (a matter closed by 复核 is not filed again), the public
// tracking code and the two ratings, identifiers sealed and their reveal
// audited, a petition officer's scope, figures against counts computed
// here, and the 五必访 lists. The clock is the server's test clock; nothing
// sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, liveMicroGrid, makeDemoDb, run } from '../lib/server.mjs';
import { idOf } from '../lib/ids.mjs';
import { png } from '../lib/images.mjs';

const DAY = 86400000;
const GRID_A = '411624001200001'; // township 411624001
const GRID_B = '411624002200001'; // township 411624002
let s, admin, officer, townOfficer, microA, microB, personA, personB;

const signIn = async () => {
  admin = await s.login('admin');
  officer = await s.login('petition_officer');
  townOfficer = await s.login('xf001', 'Xin@Fang2026');
};
const setClock = async (iso) => {
  const r = await s.api('POST', '/api/v1/_test/clock', { body: { now_ms: Date.parse(iso) } });
  assert.equal(r.status, 200, r.text);
  await signIn();
};
const later = async (ms) => { await s.advanceClock(ms); await signIn(); };
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };
const register = (token, body) => s.api('POST', '/api/v1/petitions', { token, body });
const act = (token, id, action, body = {}) => s.api('POST', `/api/v1/petitions/${id}/actions/${action}`, { token, body });
const get = (token, id) => s.api('GET', `/api/v1/petitions/${id}`, { token });
const base = (over = {}) => ({
  channel: 'visit', category: 'claim', title: '要求解决拖欠工资问题',
  content: '某建筑公司拖欠农民工工资三个月共计四万元，多次讨要未果，请求督促支付。',
  area: microA.code, petitioners: [{ name: '王某某', phone: '13912345678' }], ...over,
});

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  ok(await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'xf001', name: '乡镇信访干部', role: 'petition_officer', area: '411624001', password: 'Xin@Fang2026' },
  }), 201);
  await signIn();
  microA = await liveMicroGrid(assert, s, admin, GRID_A);
  microB = await liveMicroGrid(assert, s, admin, GRID_B);
  personA = ok(await s.api('POST', '/api/v1/people', { token: admin, body: { name: '李某甲', residence_type: 'registered', area: microA.code, id_number: idOf('19700101', 11) } }), 201).id;
  personB = ok(await s.api('POST', '/api/v1/people', { token: admin, body: { name: '张某乙', residence_type: 'registered', area: microB.code } }), 201).id;
});
after(async () => { assertCleanExit(assert, await s.stop()); });

test('registration: channels, categories, up to five representatives, fields named in errors', async () => {
  let r = await register(officer, base({ channel: 'pigeon' }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_value');
  assert.equal(r.json.error.field, 'channel');
  r = await register(officer, base({ title: undefined }));
  assert.equal(r.json.error.field, 'title');
  r = await register(officer, base({ petitioners: Array.from({ length: 6 }, (_, i) => ({ name: `代表${i}` })), group_size: 30 }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'too_many_representatives');
  r = await register(officer, base({ petitioners: [{ name: '王某', id_number: '411624197001010000' }] }));
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'petitioners[0].id_number');
  r = await register(officer, base({ group_size: 1, petitioners: [{ name: 'a' }, { name: 'b' }] }));
  assert.equal(r.json.error.field, 'group_size');
  r = await register(officer, base({ area: '411624001' }));
  assert.equal(r.json.error.code, 'area_level');

  const idn = idOf('19800202', 23);
  const p = ok(await register(officer, base({
    group_size: 12, channel: 'visit', concerns: '县人社局', level: 'province',
    petitioners: [{ name: '王某某', id_number: idn, phone: '13912345678' }, { person_id: personA }],
  })), 201);
  assert.equal(p.status, 'registered');
  assert.equal(p.status_name, '已登记');
  assert.equal(p.channel_name, '来访');
  assert.equal(p.category_name, '申诉求决');
  assert.equal(p.level_name, '赴省');
  assert.match(p.track_code, /^[2-9A-HJ-NP-Z]{10}$/);
  assert.equal(p.area.code, microA.code);
  assert.equal(p.petitioners.length, 2);
  assert.equal(p.petitioners[0].id_mask, `${idn.slice(0, 6)}********${idn.slice(14)}`);
  assert.notEqual(p.petitioners[0].phone_mask, '13912345678');
  assert.equal(p.petitioners[1].person_id, personA);
  assert.equal(p.petitioners[1].name, '李某甲');
  assert.doesNotMatch(JSON.stringify(p), new RegExp(idn));
  // The ID number of a registered person links the petitioner to them.
  const linked = ok(await register(officer, base({ title: '反映邻居占用宅基地', content: '邻居建房占用我家宅基地约二十平方米', petitioners: [{ name: '李某甲', id_number: idOf('19700101', 11) }] })), 201);
  assert.equal(linked.petitioners[0].person_id, personA);

  // The reveal shows the clear numbers and is audited.
  const rv = ok(await s.api('POST', `/api/v1/petitions/${p.id}/reveal`, { token: officer, body: {} }));
  assert.equal(rv.petitioners[0].id_number, idn);
  assert.equal(rv.petitioners[0].phone, '13912345678');
  const audit = ok(await s.api('GET', '/api/v1/audit?action=petition.reveal', { token: admin }));
  assert.ok(audit.items.some((a) => a.object === `petition:${p.id}` && a.account === 'petition_officer'), JSON.stringify(audit.items.slice(0, 3)));
});

test('the statutory clock: 15 days to refer or accept, lights, overdue list, 60 days + one extension of ≤ 30', async () => {
  await setClock('2030-03-02T02:00:00Z');
  const p = ok(await register(officer, base({ title: '反映村道损坏无人修', content: '村东道路塌陷两处，雨天无法通行，多次反映无人维修' })), 201);
  assert.equal(p.node, 'refer');
  assert.equal(p.deadline, '2030-03-17T02:00:00.000Z');
  assert.equal(p.light, 'green');
  // A step out of order: 409 naming the allowed steps.
  let r = await act(officer, p.id, 'reply', { outcome: 'support', note: '已修复' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'illegal_transition');
  assert.deepEqual(r.json.error.allowed.sort(), ['accept', 'comment', 'refer', 'refuse', 'supervise']);

  await later(12 * DAY + 1000); // 80 % of 15 days used
  assert.equal(ok(await get(officer, p.id)).light, 'yellow');
  let list = ok(await s.api('GET', `/api/v1/petitions?overdue=1&q=${encodeURIComponent('村道损坏')}`, { token: officer }));
  assert.ok(!list.items.some((x) => x.id === p.id));
  await later(3 * DAY);
  assert.equal(ok(await get(officer, p.id)).light, 'red');
  list = ok(await s.api('GET', `/api/v1/petitions?overdue=1&q=${encodeURIComponent('村道损坏')}`, { token: officer }));
  assert.ok(list.items.some((x) => x.id === p.id), 'an overdue petition is on the overdue list');
  assert.ok(ok(await s.api('GET', `/api/v1/petitions?light=red&q=${encodeURIComponent('村道损坏')}`, { token: officer })).items.some((x) => x.id === p.id));

  // Referred: the receiving organ has its own 15 days to tell acceptance.
  let q = ok(await act(officer, p.id, 'refer', { handler: '县交通运输局' }));
  assert.equal(q.status, 'referred');
  assert.equal(q.handler, '县交通运输局');
  assert.equal(q.late, true, 'the referral came after its 15 days');
  assert.equal(q.node, 'notify');
  assert.equal(Date.parse(q.deadline), Date.parse('2030-03-17T02:00:01Z') + 15 * DAY);
  await later(DAY);
  q = ok(await act(officer, p.id, 'accept'));
  const acceptedAt = Date.parse(q.accepted_at);
  assert.equal(q.node, 'handle');
  assert.equal(Date.parse(q.deadline), acceptedAt + 60 * DAY);
  r = await act(officer, p.id, 'extend', { days: 31, reason: '需要协调资金' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'days');
  r = await act(officer, p.id, 'extend', { days: 30 });
  assert.equal(r.json.error.field, 'reason');
  q = ok(await act(officer, p.id, 'extend', { days: 30, reason: '需要协调维修资金' }));
  assert.equal(Date.parse(q.deadline), acceptedAt + 90 * DAY);
  assert.equal(q.extended_days, 30);
  r = await act(officer, p.id, 'extend', { days: 5, reason: '再延' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'already_extended');
  // Supervision (督办) is a flag on the petition and a step on its timeline.
  q = ok(await act(officer, p.id, 'supervise', { reason: '久拖不决' }));
  assert.equal(q.supervised, true);
  assert.ok(ok(await s.api('GET', '/api/v1/petitions?supervised=1&limit=200', { token: officer })).items.some((x) => x.id === p.id));

  await later(80 * DAY); // within the extended 90 days
  r = await act(officer, p.id, 'reply', { outcome: 'maybe', note: '已修复' });
  assert.equal(r.json.error.field, 'outcome');
  q = ok(await act(officer, p.id, 'reply', { outcome: 'support', note: '道路已于本月修复' }));
  assert.equal(q.status, 'replied');
  assert.equal(q.outcome_name, '支持');
  assert.equal(q.on_time, true);
  assert.equal(q.node, null);
  assert.equal(Date.parse(q.window_until), Date.parse(q.replied_at) + 30 * DAY);
  // 复查 must be asked within 30 days of the reply.
  await later(30 * DAY + 1);
  r = await act(officer, p.id, 'request_review', { reason: '不服' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'request_window_closed');
  assert.ok(!r.json.error.allowed.includes('request_review'));
  q = ok(await act(officer, p.id, 'close'));
  assert.equal(q.status, 'closed');
  // The timeline holds every step in order, append-only.
  assert.deepEqual(q.timeline.map((t) => t.action), ['register', 'refer', 'accept', 'extend', 'supervise', 'reply', 'close']);
});

test('a referred organ objects within 5 working days (第23条), counted over the weekend', async () => {
  // Friday 2030-04-05 10:00 in Shanghai: five working days end on Friday 2030-04-12 10:00.
  await setClock('2030-04-05T02:00:00Z');
  const a = ok(await register(officer, base({ title: '反映水渠堵塞', content: '村西水渠被垃圾堵塞' })), 201);
  const b = ok(await register(officer, base({ title: '反映桥梁裂缝', content: '村南小桥出现裂缝' })), 201);
  let q = ok(await act(officer, a.id, 'refer', { handler: '县水利局' }));
  assert.equal(q.objection_until, '2030-04-12T02:00:00.000Z');
  assert.ok(q.allowed.includes('object'));
  ok(await act(officer, b.id, 'refer', { handler: '县交通运输局' }));
  await later(7 * DAY - 1000); // Friday 09:59:59, still inside
  q = ok(await act(officer, a.id, 'object', { reason: '水渠管护属乡镇职责，不属本局职权' }));
  assert.equal(q.status, 'registered');
  assert.equal(q.node, 'refer', 'the 信访部门 has its 15 days again');
  assert.equal(Date.parse(q.deadline), Date.parse('2030-04-12T01:59:59Z') + 15 * DAY);
  await later(2000); // past Friday 10:00
  const r = await act(officer, b.id, 'object', { reason: '不属本局职权' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'objection_window_closed');
  assert.ok(!r.json.error.allowed.includes('object') && r.json.error.allowed.includes('accept'));
});

test('复查 and 复核 each within 30 days; after 复核 the same matter is not accepted again', async () => {
  await setClock('2030-09-01T00:00:00Z');
  const matter = { title: '要求补偿征地款', content: '村里征收我家承包地三亩，补偿款至今未足额发放，要求按标准补偿', petitioners: [{ person_id: personA }] };
  const p = ok(await register(officer, base(matter)), 201);
  ok(await act(officer, p.id, 'accept'));
  ok(await act(officer, p.id, 'reply', { outcome: 'reject', note: '补偿已按标准发放，不予支持' }));
  await later(10 * DAY);
  let q = ok(await act(officer, p.id, 'request_review', { reason: '对答复不服' }));
  assert.equal(q.status, 'review_requested');
  assert.equal(q.node, 'review');
  assert.equal(Date.parse(q.deadline), Date.parse('2030-09-11T00:00:00Z') + 30 * DAY);
  await later(31 * DAY);
  assert.equal(ok(await get(officer, p.id)).light, 'red');
  q = ok(await act(officer, p.id, 'review', { outcome: 'reject', note: '复查维持原处理意见' }));
  assert.equal(q.status, 'reviewed');
  assert.equal(q.late, true);
  q = ok(await act(officer, p.id, 'request_recheck', { reason: '仍然不服' }));
  assert.equal(q.node, 'recheck');
  q = ok(await act(officer, p.id, 'recheck', { outcome: 'reject', note: '复核维持复查意见' }));
  assert.equal(q.status, 'closed');
  assert.equal(q.recheck_outcome_name, '不予支持');
  // Nothing after the end.
  const r0 = await act(officer, p.id, 'request_review', { reason: '再申请' });
  assert.equal(r0.status, 409);
  assert.deepEqual(r0.json.error.allowed, []);

  // The same person with the same matter, worded a little differently.
  let r = await register(officer, base({ ...matter, title: '要求补偿征地款', content: '村里征收我家承包地三亩，补偿款一直没有足额发放，要求按标准补偿' }));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'matter_closed_after_review');
  assert.equal(r.json.error.earlier.id, p.id);
  assert.equal(r.json.error.earlier.track_code, p.track_code);
  assert.match(r.json.error.message, /第36条/);
  // Or linked explicitly, by another person.
  r = await register(officer, base({ title: '征地补偿', content: '代亲戚反映', repeat_of: p.id, petitioners: [{ name: '某亲戚' }] }));
  assert.equal(r.json.error.code, 'matter_closed_after_review');
  // Another matter of the same person is accepted; a similar one of an open matter is a repeat.
  const other = ok(await register(officer, base({ title: '反映低保评定不公', content: '本村低保评定中存在优亲厚友问题', petitioners: [{ person_id: personA }] })), 201);
  assert.equal(other.repeat_of, null);
  const again = ok(await register(officer, base({ title: '反映低保评定不公', content: '本村低保评定中存在优亲厚友的问题', petitioners: [{ person_id: personA }] })), 201);
  assert.equal(again.repeat_of, other.id);
  const sim = ok(await s.api('GET', `/api/v1/petitions/${again.id}/similar`, { token: officer }));
  assert.equal(sim.items[0].id, other.id);
  assert.equal(sim.items[0].same_person, true);
});

test('similar petitions of one village are proposed as pairs; confirming one links them', async () => {
  await setClock('2034-02-01T00:00:00Z');
  const text = { title: '反映小区供暖不热', content: '本小区冬季供暖温度长期不达标，室内不足十度，请求督促供热公司整改' };
  const a = ok(await register(officer, base({ ...text, petitioners: [{ name: '甲某' }] })), 201);
  await later(DAY);
  const b = ok(await register(officer, base({ ...text, content: '本小区冬季供暖温度长期不达标，室内不足十度，要求供热公司整改', petitioners: [{ name: '乙某' }] })), 201);
  const c = ok(await register(officer, base({ ...text, area: microB.code, petitioners: [{ name: '丙某' }] })), 201);
  const other = ok(await register(officer, base({ title: '反映路灯不亮', content: '村口路灯坏了一个月', petitioners: [{ name: '丁某' }] })), 201);
  assert.equal(b.repeat_of, null, 'different petitioners: not a repeat by itself');
  let pairs = ok(await s.api('GET', '/api/v1/petitions/pairs?from=2034-01-01&to=2034-12-31', { token: officer }));
  const ours = pairs.items.filter((p) => [a.id, b.id, c.id, other.id].includes(p.earlier.id) || [a.id, b.id, c.id, other.id].includes(p.later.id));
  assert.deepEqual(ours.map((p) => [p.earlier.id, p.later.id]), [[a.id, b.id]], 'only the pair of one village');
  assert.ok(ours[0].similarity >= 0.5);
  // The earlier petition must lie in the caller's scope too (the router checks it).
  const far = await s.api('POST', `/api/v1/petitions/${b.id}/repeat`, { token: townOfficer, body: { earlier: c.id } });
  assert.deepEqual([far.status, far.json.error.code, far.json.error.field], [404, 'not_found', 'earlier'], far.text);
  assert.equal(ok(await get(officer, b.id)).repeat_of, null, 'nothing written');
  const q = ok(await s.api('POST', `/api/v1/petitions/${b.id}/repeat`, { token: officer, body: { earlier: a.id } }));
  assert.equal(q.repeat_of, a.id);
  pairs = ok(await s.api('GET', '/api/v1/petitions/pairs?from=2034-01-01&to=2034-12-31', { token: officer }));
  assert.ok(!pairs.items.some((p) => p.later.id === b.id));
  // A township officer sees no pair outside its township.
  const town = ok(await s.api('GET', '/api/v1/petitions/pairs?from=2034-01-01&to=2034-12-31', { token: townOfficer }));
  assert.ok(town.items.every((p) => p.earlier.id !== c.id && p.later.id !== c.id));
});

test('public tracking by code: procedure, deadline nodes and result without personal data; two ratings once', async () => {
  await setClock('2030-10-01T00:00:00Z');
  const p = ok(await register(officer, base({ title: '反映噪声扰民', content: '夜间施工噪声严重影响休息', petitioners: [{ name: '赵某某', phone: '13800001111', address: '幸福路8号' }] })), 201);
  let v = ok(await s.api('GET', `/api/v1/public/petitions/${p.track_code.toLowerCase()}`));
  assert.equal(v.status_name, '已登记');
  assert.equal(v.deadline, '2030-10-16T00:00:00.000Z');
  assert.equal(v.can_rate, false);
  let r = await s.api('POST', `/api/v1/public/petitions/${p.track_code}/rating`, { body: { handling: 'satisfied', result: 'satisfied' } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'not_ratable');
  ok(await act(officer, p.id, 'accept'));
  ok(await act(officer, p.id, 'comment', { note: '内部：联系施工单位王经理' }));
  ok(await act(officer, p.id, 'reply', { outcome: 'explain', note: '已责令施工单位夜间停工' }));
  v = ok(await s.api('GET', `/api/v1/public/petitions/${p.track_code}`));
  const text = JSON.stringify(v);
  for (const secret of ['赵某某', '13800001111', '幸福路', '王经理', 'petition_officer', '夜间施工噪声'])
    assert.ok(!text.includes(secret), `the public view shows ${secret}`);
  assert.deepEqual(v.nodes.map((n) => n.action), ['register', 'accept', 'reply']);
  assert.equal(v.result.outcome_name, '解释说明');
  assert.equal(v.result.text, '已责令施工单位夜间停工');
  assert.equal(v.can_rate, true);
  r = await s.api('POST', `/api/v1/public/petitions/${p.track_code}/rating`, { body: { handling: 'great', result: 'satisfied' } });
  assert.equal(r.json.error.field, 'handling');
  v = ok(await s.api('POST', `/api/v1/public/petitions/${p.track_code}/rating`, { body: { handling: 'satisfied', result: 'basic' } }));
  assert.equal(v.rating.result_name, '基本满意');
  assert.equal(v.can_rate, false);
  r = await s.api('POST', `/api/v1/public/petitions/${p.track_code}/rating`, { body: { handling: 'unsatisfied', result: 'unsatisfied' } });
  assert.equal(r.json.error.code, 'already_rated');
  assert.equal(ok(await get(officer, p.id)).rating_result, 'basic');
  r = await s.api('GET', '/api/v1/public/petitions/ABCDEFGHJK');
  assert.equal(r.status, 404);
});

test('scope: a township petition officer sees and acts on its subtree only', async () => {
  await setClock('2030-11-01T00:00:00Z');
  const inA = ok(await register(townOfficer, base({ title: '反映A乡问题', content: 'A乡某村问题' })), 201);
  const inB = ok(await register(officer, base({ area: microB.code, title: '反映B乡问题', content: 'B乡某村问题', petitioners: [{ person_id: personB }] })), 201);
  assert.equal((await get(townOfficer, inB.id)).status, 404);
  assert.equal((await act(townOfficer, inB.id, 'accept')).status, 404);
  assert.equal((await s.api('POST', `/api/v1/petitions/${inB.id}/reveal`, { token: townOfficer, body: {} })).status, 404);
  let r = await register(townOfficer, base({ area: microB.code }));
  assert.equal(r.status, 404);
  assert.equal(r.json.error.field, 'area');
  r = await register(townOfficer, base({ petitioners: [{ person_id: personB }] }));
  assert.equal(r.status, 404);
  assert.equal(r.json.error.field, 'petitioners[0].person_id');
  const list = ok(await s.api('GET', '/api/v1/petitions?limit=200', { token: townOfficer }));
  assert.ok(list.items.some((x) => x.id === inA.id));
  assert.ok(list.items.every((x) => x.area.path.startsWith(list.items[0].area.path.split('/').slice(0, 3).join('/') + '/')));
  assert.ok(!list.items.some((x) => x.id === inB.id));
  assert.equal((await s.api('GET', '/api/v1/petitions?area=411624002', { token: townOfficer })).status, 404);
  assert.equal((await s.api('GET', '/api/v1/petitions/stats?area=411624002', { token: townOfficer })).status, 404);
  ok(await get(officer, inA.id));
  // A dispatcher reads petitions but does not register them; a grid worker neither.
  const disp = await s.login('dispatcher');
  ok(await get(disp, inA.id));
  assert.equal((await register(disp, base())).status, 403);
  const gw = await s.login(`g${GRID_A}`);
  assert.equal((await s.api('GET', '/api/v1/petitions', { token: gw })).status, 403);
});

test('figures by area and period with year on year, against counts made here', async () => {
  // Two periods the demo does not touch: 2032 and the year before.
  const made = [];
  const add = async (iso, area, over, steps = []) => {
    await setClock(iso);
    const p = ok(await register(officer, base({ area, title: `统计用事项${made.length}`, content: `统计测试第${made.length}件，内容各不相同${'甲乙丙丁戊己庚辛'[made.length % 8]}`, petitioners: [{ name: `统计人${made.length}` }], ...over })), 201);
    for (const [a, b] of steps) ok(await act(officer, p.id, a, b));
    made.push({ at: Date.parse(iso), area, level: over.level || 'local', repeat: !!over.repeat_of, steps: steps.map((x) => x[0]), id: p.id, code: p.track_code });
    return p;
  };
  const acc = ['accept', {}];
  const rep = ['reply', { outcome: 'support', note: '已解决' }];
  await add('2031-02-10T01:00:00Z', microA.code, {}, [acc]);
  await add('2031-05-10T01:00:00Z', microB.code, { level: 'beijing' });
  const first = await add('2032-01-05T01:00:00Z', microA.code, { level: 'province' }, [acc, rep]);
  await add('2032-02-05T01:00:00Z', microA.code, { repeat_of: first.id }, [acc]);
  await add('2032-03-05T01:00:00Z', microB.code, { channel: 'letter' }, [acc, rep]);
  await add('2032-04-05T01:00:00Z', microB.code, { level: 'beijing' });
  await add('2032-07-05T01:00:00Z', microA.code, {}); // after the period
  // Rate two of the replied ones: one satisfied, one not.
  ok(await s.api('POST', `/api/v1/public/petitions/${first.track_code}/rating`, { body: { handling: 'satisfied', result: 'satisfied' } }));
  ok(await s.api('POST', `/api/v1/public/petitions/${made[4].code}/rating`, { body: { handling: 'basic', result: 'unsatisfied' } }));

  const inPeriod = (m, y) => m.at >= Date.parse(`${y}-01-01T00:00:00+08:00`) && m.at < Date.parse(`${y}-06-30T00:00:00+08:00`) + DAY;
  const expect = (y, pred = () => true) => {
    const ms = made.filter((m) => inPeriod(m, y) && pred(m));
    return {
      received: ms.length,
      accepted: ms.filter((m) => m.steps.includes('accept')).length,
      replied: ms.filter((m) => m.steps.includes('reply')).length,
      repeat: ms.filter((m) => m.repeat).length,
      province: ms.filter((m) => m.level === 'province').length,
      beijing: ms.filter((m) => m.level === 'beijing').length,
    };
  };
  const pick = (f) => ({ received: f.received, accepted: f.accepted, replied: f.replied, repeat: f.repeat, province: f.province, beijing: f.beijing });
  const st = ok(await s.api('GET', '/api/v1/petitions/stats?area=411624&from=2032-01-01&to=2032-06-30', { token: officer }));
  assert.deepEqual(pick(st.figures), expect(2032));
  assert.deepEqual(pick(st.last_year.figures), expect(2031));
  assert.equal(st.last_year.from, '2031-01-01');
  assert.equal(st.figures.rated, 2);
  assert.equal(st.figures.satisfied, 1);
  assert.equal(st.figures.satisfaction_rate, 50);
  assert.equal(st.figures.on_time, 2);
  const rx = expect(2032).received, ry = expect(2031).received;
  assert.equal(st.yoy.received, Math.trunc(((rx - ry) * 10000) / ry) / 100);
  // By township: the children of the county, each its own subtree.
  const town = (code) => st.children.find((c) => c.code === code).figures;
  assert.deepEqual(pick(town('411624001')), expect(2032, (m) => m.area === microA.code));
  assert.deepEqual(pick(town('411624002')), expect(2032, (m) => m.area === microB.code));
  // A township officer's own figures are its township's.
  const own = ok(await s.api('GET', '/api/v1/petitions/stats?from=2032-01-01&to=2032-06-30', { token: townOfficer }));
  assert.equal(own.area.code, '411624001');
  assert.deepEqual(pick(own.figures), expect(2032, (m) => m.area === microA.code));
  const bad = await s.api('GET', '/api/v1/petitions/stats?from=2032-13-01', { token: officer });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'from');
  // The ledger as XLSX for the caller's scope.
  const x = await fetch(`${s.url}/api/v1/petitions/export?from=2032-01-01&to=2032-06-30`, { headers: { Authorization: `Bearer ${townOfficer}` } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
});

test('五必访: people petitioning now are due a visit from their grid worker; a visit clears it', async () => {
  await setClock('2033-01-10T00:00:00Z');
  const p = ok(await register(officer, base({ area: microB.code, title: '反映拆迁安置问题', content: '安置房迟迟未交付', petitioners: [{ person_id: personB }], group_size: 6 })), 201);
  let due = ok(await s.api('GET', '/api/v1/petitions/visits?kind=active', { token: officer }));
  const item = due.items.find((i) => i.person_id === personB);
  assert.ok(item, JSON.stringify(due));
  assert.equal(item.kind_name, '正在上访');
  assert.equal(item.petition_id, p.id);
  assert.equal(item.due, '2033-01-17T00:00:00.000Z');
  assert.ok(item.cadre, 'a responsible cadre');
  due = ok(await s.api('GET', '/api/v1/petitions/visits?kind=key_group', { token: officer }));
  assert.ok(due.items.some((i) => i.person_id === personB), 'a group of six makes a key group');
  // Not in the other township's officer's lists.
  assert.ok(!ok(await s.api('GET', '/api/v1/petitions/visits', { token: townOfficer })).items.some((i) => i.person_id === personB));
  ok(await s.api('POST', '/api/v1/petitions/visits', { token: officer, body: { person_id: personB, kind: 'active', petition_id: p.id, notes: '入户了解安置进度' } }), 201);
  due = ok(await s.api('GET', '/api/v1/petitions/visits?kind=active', { token: officer }));
  assert.ok(!due.items.some((i) => i.person_id === personB));
  // An answer left without 复查 when its 30 days run out is a closed case due a return visit.
  const done = ok(await register(officer, base({ area: microB.code, title: '反映自来水水压低', content: '楼上住户用水困难', petitioners: [{ person_id: personB }] })), 201);
  ok(await act(officer, done.id, 'accept'));
  ok(await act(officer, done.id, 'reply', { outcome: 'support', note: '已增压' }));
  const closedNow = async () => ok(await s.api('GET', '/api/v1/petitions/visits?kind=closed', { token: officer })).items.find((i) => i.person_id === personB);
  assert.equal(await closedNow(), undefined, 'not while 复查 may still be asked');
  await later(30 * DAY + 1000);
  const back = await closedNow();
  assert.ok(back, 'a return visit once the window ran out');
  assert.equal(back.petition_id, done.id);
  assert.equal(Date.parse(back.due), Date.parse(ok(await get(officer, done.id)).window_until) + 15 * DAY);
  const r = await s.api('POST', '/api/v1/petitions/visits', { token: officer, body: { person_id: personB, kind: 'often' } });
  assert.equal(r.json.error.field, 'kind');
  // Leaders' reception days and the cases taken there.
  const rec = ok(await s.api('POST', '/api/v1/petitions/receptions', { token: officer, body: { area: '411624', day: '2033-01-15', leader: '县长 某某', place: '县信访局接待大厅' } }), 201);
  const taken = ok(await register(officer, base({ title: '接访日反映事项', content: '在领导接访日当面反映', reception_id: rec.id })), 201);
  const recs = ok(await s.api('GET', '/api/v1/petitions/receptions', { token: officer }));
  assert.deepEqual(recs.items.find((x) => x.id === rec.id).cases.map((c) => c.id), [taken.id]);
});

// Found after the ledgers were merged: a petition's attachments could be
// fetched by their uploader only — not by the other officers of the place.
test('a petition\'s attachments: its officers see them, readers of events of the place do not', async () => {
  const up = ok(await s.api('POST', '/api/v1/attachments', { token: townOfficer, raw: png(7), headers: { 'Content-Type': 'image/png' } }), 201);
  const p = ok(await register(townOfficer, base({ attachments: [up.id] })), 201);
  assert.deepEqual(ok(await get(officer, p.id)).attachments, [up.id]);
  const fetch = (token) => s.api('GET', `/api/v1/attachments/${up.id}`, { token });
  assert.equal((await fetch(townOfficer)).status, 200, 'the uploader');
  assert.equal((await fetch(officer)).status, 200, 'the county\'s petition officer');
  const gw = await s.login(`g${GRID_A}`);
  assert.equal((await fetch(gw)).status, 404, 'the grid worker of the place reads events, not petitions');
  ok(await s.api('POST', '/api/v1/accounts', { token: admin, body: { username: 'xf002', name: '乙镇信访干部', role: 'petition_officer', area: '411624002', password: 'Xin@Fang2026' } }), 201);
  assert.equal((await fetch(await s.login('xf002', 'Xin@Fang2026'))).status, 404, 'another township\'s officer');
});

test('key rotation re-seals petitioners\' identifiers; the reveal still opens them', async () => {
  const { db } = makeDemoDb();
  let srv = await startServer({ db });
  let tok = await srv.login('petition_officer');
  const idn = idOf('19660606', 35);
  const p = (await srv.api('POST', '/api/v1/petitions', { token: tok, body: base({ petitioners: [{ name: '钱某', id_number: idn, phone: '13700002222' }] }) })).json;
  assert.ok(p.id, JSON.stringify(p));
  assertCleanExit(assert, await srv.stop({ keep: true }));
  const r = run(['keys', 'rotate', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 value\(s\) re-sealed/);
  assert.equal(run(['keys', 'drop-old', '--db', db]).status, 0);
  srv = await startServer({ db });
  tok = await srv.login('petition_officer');
  const rv = await srv.api('POST', `/api/v1/petitions/${p.id}/reveal`, { token: tok, body: {} });
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.json.petitioners[0].id_number, idn);
  assert.equal(rv.json.petitioners[0].phone, '13700002222');
  assertCleanExit(assert, await srv.stop());
});

test('the step table is served as it is enforced; not to those without petitions', async () => {
  const t = ok(await s.api('GET', '/api/v1/petitions/steps', { token: officer })).steps;
  const accept = t.find((x) => x.action === 'accept');
  assert.ok(accept && accept.name.startsWith('受理'));
  assert.ok(t.some((x) => x.action === 'reply'));
  // What the table says about reply is what the server does: not before acceptance.
  const p = ok(await register(officer, base({ title: '步骤表核对', content: '核对步骤表与实际处理一致' })), 201);
  const early = await act(officer, p.id, 'reply', { outcome: 'support', note: 'x' });
  assert.equal(early.status, 409, early.text);
  assert.ok(early.json.error.allowed.includes('accept'));
  assert.equal((await s.api('GET', '/api/v1/petitions/steps', { token: await s.login(`g${GRID_A}`) })).status, 403);
});
