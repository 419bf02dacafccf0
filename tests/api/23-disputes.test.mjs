// The dispute ledger (矛盾纠纷排查化解): validation, parties with sealed
// identifiers, scope (a village mediator sees only its village), the tier
// clocks moved by the test clock and the sweep, the outcome and its due
// items, the event link, the figures against counts made here, the ledger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, assertCleanExit, tempDir, run, makeDemoDb, liveMicroGrid } from '../lib/server.mjs';
import { idOf } from '../lib/ids.mjs';

const DAY = 86400000;
const VILLAGE_A = '411624001200';
const GRID_A = '411624001200001';
const MA = '41162400120000101';
const MB = '41162400220000101'; // another township's micro-grid
const TOWNSHIP_A = '411624001';
const PARTY_ID = idOf('19800101', 123);

let s, admin, gwA, gwB, mediator, vmed, leader, petition, handler;
let T0;

async function signIn() {
  admin = await s.login('admin');
  gwA = await s.login('g411624001200001');
  gwB = await s.login('g411624002200001');
  mediator = await s.login('mediator');
  leader = await s.login('leader');
  petition = await s.login('petition_officer');
  handler = await s.login('handler');
  vmed = await s.login('vmed', 'Cun@Tiao2026');
}

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  const acct = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'vmed', name: '于庄村调解员', role: 'mediator', area: VILLAGE_A, password: 'Cun@Tiao2026' },
  });
  assert.equal(acct.status, 201, acct.text);
  // Everything this file creates happens after T0, the demo's year before it.
  T0 = Date.now() + 400 * DAY;
  const r = await s.api('POST', '/api/v1/_test/clock', { body: { now_ms: T0 } });
  assert.equal(r.status, 200, r.text);
  await signIn();
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };
const create = (token, body) => s.api('POST', '/api/v1/disputes', { token, body });
const act = (token, id, action, body = {}) => s.api('POST', `/api/v1/disputes/${id}/actions/${action}`, { token, body });
const get = (token, id) => s.api('GET', `/api/v1/disputes/${id}`, { token });
const list = (token, q = '') => s.api('GET', `/api/v1/disputes${q}`, { token });
const later = async (ms) => { await s.advanceClock(ms); await signIn(); };
const sweep = async () => ok(await s.api('POST', '/api/v1/_test/sweep', { body: {} }));

const base = (over = {}) => ({
  origin: 'screening', source: 'initiative', type: 'neighbour', title: '邻里排水纠纷',
  summary: '两户因院墙排水发生争执', area: MA, people_count: 2,
  parties: [{ side: 'applicant', name: '张建国' }, { side: 'respondent', name: '李秀英' }],
  ...over,
});

test('bad input is refused with the field named, and nothing is written', async () => {
  const before = ok(await list(admin, `?area=${GRID_A}`)).total;
  const cases = [
    [{ type: 'alien' }, 400, 'unknown_dispute_type', 'type'],
    [{ origin: 'rumour' }, 400, 'invalid_choice', 'origin'],
    [{ source: 'tv' }, 400, 'invalid_choice', 'source'],
    [{ title: '' }, 400, 'empty_field', 'title'],
    [{ summary: undefined }, 400, 'missing_field', 'summary'],
    [{ people_count: 0 }, 400, 'out_of_range', 'people_count'],
    [{ parties: [] }, 400, 'invalid_parties', 'parties'],
    [{ parties: '张三' }, 400, 'invalid_type', 'parties'],
    [{ parties: undefined }, 400, 'missing_field', 'parties'],
    [{ parties: [{ side: 'applicant' }] }, 400, 'invalid_party', 'parties[0]'],
    [{ parties: [{ side: 'applicant', name: '甲' }, { side: 'judge', name: '乙' }] }, 400, 'invalid_choice', 'parties[1]'],
    [{ parties: [{ side: 'applicant', name: '甲', id_number: PARTY_ID.slice(0, 17) + (PARTY_ID[17] === '1' ? '2' : '1') }] }, 400, 'invalid_check_digit', 'parties[0]'],
    [{ parties: [{ side: 'applicant', name: '甲', phone: '12' }] }, 400, 'invalid_phone', 'parties[0]'],
    [{ parties: [{ side: 'applicant', person_id: 999999999 }] }, 404, 'person_not_found', 'parties[0]'],
    [{ area: undefined }, 400, 'missing_field', 'area'],
    [{ origin: 'event' }, 400, 'missing_field', 'event_id'],
    [{ extra: 1 }, 400, 'unknown_field', null],
    [{ occurred_at: '昨天' }, 400, 'invalid_date', 'occurred_at'],
  ];
  for (const [over, status, code, field] of cases) {
    const r = await create(gwA, base(over));
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    if (field !== null) assert.equal(r.json.error.field, field, r.text);
    assert.match(r.json.error.message, /[\u4e00-\u9fa5]/);
  }
  // A place must be a village or lower (the county's mediator may name a township).
  const high = await create(mediator, base({ area: TOWNSHIP_A }));
  assert.equal(high.status, 400, high.text);
  assert.equal(high.json.error.code, 'area_too_high');
  // A place outside the caller's grid is out of scope (the router's 404).
  const out = await create(gwA, base({ area: MB }));
  assert.equal(out.status, 404);
  assert.equal(out.json.error.field, 'area');
  assert.equal(ok(await list(admin, `?area=${GRID_A}`)).total, before);
  // Roles: a petition officer reads but does not write; a department handler does neither.
  assert.equal((await create(petition, base())).status, 403);
  assert.equal((await list(petition)).status, 200);
  assert.equal((await list(handler)).status, 403);
});

test('parties: registry links by id, identifiers of others sealed, masked, revealed with an audited reason', async () => {
  const p = ok(await s.api('POST', '/api/v1/people', { token: gwA, body: { name: '周某某', residence_type: 'registered', area: MA } }), 201);
  const d = ok(await create(gwA, base({
    parties: [
      { side: 'applicant', person_id: p.id },
      { side: 'respondent', name: '外村人王五', id_number: PARTY_ID, phone: '+86 139-1234-5678' },
    ],
  })), 201);
  assert.equal(d.status, 'open');
  assert.equal(d.tier, 'grid');
  assert.equal(d.tier_area.code, GRID_A);
  assert.equal(d.area.code, MA);
  assert.equal(d.parties[0].name, '周某某');
  assert.equal(d.parties[0].person_id, p.id);
  assert.equal(d.parties[1].id_number, `${PARTY_ID.slice(0, 6)}********${PARTY_ID.slice(14)}`);
  assert.equal(d.parties[1].phone, '139****5678');
  assert.equal(d.timeline[0].action, 'create');
  // In clear nowhere in the database files.
  for (const f of [s.db, `${s.db}-wal`]) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f);
    assert.equal(bytes.indexOf(PARTY_ID), -1, `${f} holds the ID number`);
    assert.equal(bytes.indexOf('13912345678'), -1, `${f} holds the phone`);
  }
  const reveal = (token, body) => s.api('POST', `/api/v1/disputes/${d.id}/parties/${d.parties[1].id}/reveal`, { token, body });
  assert.equal((await reveal(mediator, { reason: '' })).status, 400);
  assert.equal((await reveal(leader, { reason: '核实身份' })).status, 403);
  const clear = ok(await reveal(mediator, { reason: '制作调解协议书' }));
  assert.equal(clear.id_number, PARTY_ID);
  assert.equal(clear.phone, '13912345678');
  const audit = ok(await s.api('GET', '/api/v1/audit?action=dispute.reveal', { token: admin }));
  const line = audit.items.find((i) => i.object === `dispute:${d.id}` && i.outcome === 'ok');
  assert.ok(line, JSON.stringify(audit.items.slice(0, 3)));
  assert.equal(line.detail.reason, '制作调解协议书');
  // Another grid's worker cannot name this grid's person as a party.
  const far = await create(gwB, base({ area: MB, parties: [{ side: 'applicant', person_id: p.id }] }));
  assert.equal(far.status, 404);
  assert.equal(far.json.error.code, 'person_not_found');
});

test('scope: a village mediator sees its village only; other grids get 404', async () => {
  const inA = ok(await create(gwA, base({ title: '于庄村纠纷' })), 201);
  const inB = ok(await create(gwB, base({ area: MB, title: '外乡纠纷' })), 201);
  assert.equal((await get(vmed, inA.id)).status, 200);
  assert.equal((await get(vmed, inB.id)).status, 404);
  assert.equal((await get(gwA, inB.id)).status, 404);
  assert.equal((await act(vmed, inB.id, 'session', { mediators: '甲', notes: '乙' })).status, 404);
  const mine = ok(await list(vmed, '?limit=200'));
  assert.ok(mine.items.length > 0);
  for (const it of mine.items) assert.ok(it.area.code.startsWith(VILLAGE_A), it.area.code);
  assert.ok(mine.items.some((i) => i.id === inA.id));
  assert.ok(!mine.items.some((i) => i.id === inB.id));
  // ?area= outside the scope is refused by the router.
  assert.equal((await list(vmed, '?area=411624002')).status, 404);
  assert.equal((await s.api('GET', '/api/v1/disputes/stats?area=411624002', { token: vmed })).status, 404);
  // The county sees both.
  assert.equal((await get(leader, inB.id)).status, 200);
});

test('tier clocks: grid 3 days, village 7, township 15 — the sweep moves up what is not settled; 上交 by hand; the top stays over its limit', async () => {
  const d = ok(await create(gwA, base({ title: '时限测试' })), 201);
  assert.equal(d.tier_deadline_ms - d.tier_started_ms, 3 * DAY);
  await later(3 * DAY - 60000);
  await sweep();
  assert.equal(ok(await get(gwA, d.id)).tier, 'grid');
  await later(60001);
  const sw = await sweep();
  assert.ok(sw.disputes_escalated >= 1);
  let g = ok(await get(gwA, d.id));
  assert.equal(g.tier, 'village');
  assert.equal(g.tier_area.code, VILLAGE_A);
  assert.equal(g.tier_deadline_ms - g.tier_started_ms, 7 * DAY);
  const auto = g.timeline.at(-1);
  assert.equal(auto.action, 'auto_escalate');
  assert.equal(auto.actor, 'system');
  assert.deepEqual(auto.detail, { from_tier: 'grid', to_tier: 'village' });
  await later(7 * DAY);
  await sweep();
  g = ok(await get(gwA, d.id));
  assert.equal(g.tier, 'township');
  assert.equal(g.tier_area.code, TOWNSHIP_A);
  // 上交 by hand needs a reason, and is a timeline entry.
  assert.equal((await act(vmed, d.id, 'escalate', {})).json.error.field, 'reason');
  g = ok(await act(vmed, d.id, 'escalate', { reason: '涉及多个部门，需县级会诊' }));
  assert.equal(g.tier, 'county');
  assert.equal(g.tier_area.code, '411624');
  assert.equal(g.timeline.at(-1).action, 'escalate');
  assert.equal(g.timeline.at(-1).actor, 'vmed');
  const top = await act(vmed, d.id, 'escalate', { reason: '再上交' });
  assert.equal(top.status, 409);
  assert.equal(top.json.error.code, 'top_tier');
  assert.equal(g.over_limit, false);
  assert.equal(g.month_overdue, false);
  await later(30 * DAY + 1);
  await sweep();
  g = ok(await get(gwA, d.id));
  assert.equal(g.tier, 'county');
  assert.equal(g.over_limit, true);
  assert.equal(g.month_overdue, true); // the 2002 rules' one month, counted from registration
  const over = ok(await list(leader, '?due=over_limit&limit=200'));
  assert.ok(over.items.some((i) => i.id === d.id));
  // 稳控 stops the clock; resuming starts the tier's time again.
  g = ok(await act(vmed, d.id, 'control', { person: '李主任', measures: '专人包案，每日联系' }));
  assert.equal(g.status, 'controlled');
  assert.equal(g.over_limit, false);
  assert.equal(g.tier_deadline_ms, null);
  assert.equal((await act(vmed, d.id, 'control', { person: '李主任', measures: '再次' })).status, 409);
  g = ok(await act(vmed, d.id, 'resume', { note: '双方同意再次调解' }));
  assert.equal(g.status, 'open');
  assert.equal(g.tier_deadline_ms - g.tier_started_ms, 30 * DAY);
});

test('configured limits: the county sets the grid tier to 5 days and the follow-up to 10', async () => {
  assert.equal((await s.api('PUT', '/api/v1/disputes/settings', { token: mediator, body: { tiers: { grid: 5 } } })).status, 403);
  const bad = await s.api('PUT', '/api/v1/disputes/settings', { token: admin, body: { tiers: { moon: 5 } } });
  assert.equal(bad.json.error.code, 'unknown_tier');
  const m = ok(await s.api('PUT', '/api/v1/disputes/settings', { token: admin, body: { tiers: { grid: 5 }, followup_days: 10 } }));
  assert.equal(m.tiers.find((t) => t.tier === 'grid').limit_days, 5);
  const d = ok(await create(gwA, base()), 201);
  assert.equal(d.tier_deadline_ms - d.tier_started_ms, 5 * DAY);
  const closed = ok(await act(gwA, d.id, 'agree', { form: 'oral', terms: '互相道歉' }));
  assert.equal(closed.followup.due_ms - closed.closed_ms, 10 * DAY);
  ok(await s.api('PUT', '/api/v1/disputes/settings', { token: admin, body: { tiers: { grid: 3 }, followup_days: 15 } }));
});

test('mediation to a written agreement: court confirmation due in 30 days, follow-up in 15, both shown due and overdue', async () => {
  const d = ok(await create(gwA, base({ type: 'damages', title: '损害赔偿纠纷' })), 201);
  const s1 = ok(await act(vmed, d.id, 'session', { mediators: '于庄村调委会 王调解员', attendees: '张建国、李秀英', notes: '听取双方陈述，分歧在赔偿金额', place: '村调解室' }));
  assert.equal(s1.sessions.length, 1);
  assert.equal(s1.sessions[0].mediators, '于庄村调委会 王调解员');
  const joint = ok(await act(vmed, d.id, 'joint', { participants: [{ unit: 'police', name: '派出所 刘警官' }, { unit: 'court', name: '人民法庭 陈法官' }] }));
  assert.equal(joint.joint.length, 2);
  assert.equal((await act(vmed, d.id, 'joint', { participants: [{ unit: 'army', name: '某' }] })).status, 400);
  assert.equal((await act(vmed, d.id, 'agree', { form: 'oral', terms: '赔偿', court_confirm: true })).json.error.code, 'court_needs_written');
  assert.equal((await act(vmed, d.id, 'agree', { form: 'written', terms: '赔偿', amount: -1 })).json.error.field, 'amount');
  const a = ok(await act(vmed, d.id, 'agree', { form: 'written', amount: 1500.5, terms: '李秀英于十日内赔偿张建国医药费1500.5元', court_confirm: true }));
  assert.equal(a.status, 'resolved');
  assert.equal(a.amount_cents, 150050);
  assert.equal(a.court.due_ms - a.agreement_ms, 30 * DAY);
  assert.equal(a.followup.due_ms - a.closed_ms, 15 * DAY);
  assert.equal(a.followup.overdue, false);
  // Closed: no more sessions.
  const again = await act(vmed, d.id, 'session', { mediators: '甲', notes: '乙' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'illegal_transition');
  assert.equal((await act(vmed, d.id, 'followup', { note: '未到回访时间也可回访', satisfied: 'yes' })).json.error.field, 'satisfied');
  await later(15 * DAY + 1);
  let due = ok(await list(vmed, '?due=followup&limit=200'));
  let it = due.items.find((i) => i.id === d.id);
  assert.ok(it);
  assert.equal(it.followup.overdue, true);
  due = ok(await list(vmed, '?due=court&limit=200'));
  it = due.items.find((i) => i.id === d.id);
  assert.equal(it.court.overdue, false);
  await later(15 * DAY);
  it = ok(await list(vmed, '?due=court&limit=200')).items.find((i) => i.id === d.id);
  assert.equal(it.court.overdue, true);
  ok(await act(vmed, d.id, 'court', { result: 'confirmed', note: '县法院已确认' }));
  const f = ok(await act(vmed, d.id, 'followup', { note: '已履行完毕，双方满意', satisfied: true }));
  assert.ok(f.followup.done_ms);
  assert.equal(f.court_result, 'confirmed');
  assert.ok(!ok(await list(vmed, '?due=followup&limit=200')).items.some((i) => i.id === d.id));
  assert.equal((await act(vmed, d.id, 'followup', { note: '再次', satisfied: true })).status, 409);
  const actions = f.timeline.map((t) => t.action);
  assert.deepEqual(actions, ['create', 'session', 'joint', 'agree', 'court', 'followup']);
});

test('failure names the routes told to the parties; risk flags put a dispute red at the top for the township and county', async () => {
  const d = ok(await create(gwA, base({ type: 'land', title: '承包地边界纠纷' })), 201);
  assert.equal((await act(vmed, d.id, 'fail', { note: '双方分歧大', routes: [] })).json.error.field, 'routes');
  assert.equal((await act(vmed, d.id, 'fail', { note: '双方分歧大', routes: ['tv'] })).json.error.code, 'invalid_choice');
  const f = ok(await act(vmed, d.id, 'fail', { note: '双方分歧大', routes: ['litigation', 'arbitration'] }));
  assert.equal(f.status, 'failed');
  assert.deepEqual(f.failure_routes, ['litigation', 'arbitration']);
  const r = ok(await create(gwA, base({ type: 'homestead', title: '宅基地纠纷，扬言报复' })), 201);
  const flagged = ok(await act(gwA, r.id, 'risk', { criminal: true, mass: false, note: '一方扬言动刀' }));
  assert.deepEqual(flagged.risk, { criminal: true, mass: false, flagged: true });
  const township = ok(await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'tdisp', name: '镇综治中心', role: 'dispatcher', area: TOWNSHIP_A, password: 'Zhen@Zong2026' },
  }), 201);
  assert.ok(township);
  const tdisp = await s.login('tdisp', 'Zhen@Zong2026');
  for (const token of [tdisp, leader]) {
    const top = ok(await list(token, '?limit=5'));
    assert.equal(top.items[0].risk.flagged, true);
    const risky = ok(await list(token, '?risk=1&limit=200'));
    assert.ok(risky.items.some((i) => i.id === r.id));
    for (const i of risky.items) assert.equal(i.risk.flagged, true);
  }
});

// An open SSE stream (GET /api/v1/stream) and the records it has received.
async function openStream(token) {
  const ctl = new AbortController();
  const res = await fetch(`${s.url}/api/v1/stream`, { headers: { Authorization: `Bearer ${token}` }, signal: ctl.signal });
  assert.equal(res.status, 200);
  const events = [];
  let wake = () => {};
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const f = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (f.event) events.push({ event: f.event, data: JSON.parse(f.data) });
          wake();
        }
      }
    } catch { /* aborted */ }
  })();
  const waitFor = (pred, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} on the stream; got ${JSON.stringify(events)}`)), 5000);
    const check = () => {
      const hit = events.find(pred);
      if (hit) { clearTimeout(timer); wake = () => {}; resolve(hit); } else wake = check;
    };
    check();
  });
  return { events, waitFor, close: () => ctl.abort() };
}

test('a flag reaches the township and the county on the stream, not another township', async () => {
  const tdisp = await s.login('tdisp', 'Zhen@Zong2026');
  const [town, county, other] = await Promise.all([openStream(tdisp), openStream(leader), openStream(gwB)]);
  const d = ok(await create(gwA, base({ title: '扬言打人' })), 201);
  ok(await act(gwA, d.id, 'risk', { criminal: true, mass: false }));
  const isMine = (e) => e.event === 'dispute' && e.data.id === d.id && e.data.action === 'risk';
  await town.waitFor(isMine, 'the flag in the township');
  await county.waitFor(isMine, 'the flag in the county');
  // Published in order: once B hears of its own flagged dispute, A's would have come before.
  const b = ok(await create(gwB, base({ area: MB, title: '聚集讨薪', risk_mass: true })), 201);
  await other.waitFor((e) => e.event === 'dispute' && e.data.id === b.id, 'the flag in township B');
  assert.ok(!other.events.some((e) => e.event === 'dispute' && e.data.id === d.id), 'township B never hears of A');
  // Unflagged disputes are not published.
  assert.ok(!county.events.some((e) => e.event === 'dispute' && e.data.action === 'create' && e.data.id === d.id));
  for (const st of [town, county, other]) st.close();
});

test('from an event of a dispute category: linked, placed, scope-checked', async () => {
  const ev = ok(await s.api('POST', '/api/v1/events', { token: gwA, body: { source: 'grid_worker', description: '两户因排水沟发生争吵', minor: '0201', area: MA } }), 201);
  const d = ok(await create(gwA, base({ origin: 'event', event_id: ev.id, area: undefined })), 201);
  assert.equal(d.event_id, ev.id);
  assert.equal(d.area.code, MA);
  assert.equal(d.origin, 'event');
  const screening = await create(gwA, base({ event_id: ev.id }));
  assert.equal(screening.json.error.code, 'event_not_allowed');
  const linked = ok(await list(gwA, `?event_id=${ev.id}`));
  assert.deepEqual(linked.items.map((i) => i.id), [d.id]);
  const other = ok(await s.api('POST', '/api/v1/events', { token: gwA, body: { source: 'grid_worker', description: '路灯不亮了好几天', minor: '2901', area: MA } }), 201);
  const no = await create(gwA, base({ origin: 'event', event_id: other.id }));
  assert.equal(no.status, 400);
  assert.equal(no.json.error.code, 'event_not_dispute');
  const far = await create(gwB, base({ origin: 'event', event_id: ev.id, area: MB }));
  assert.equal(far.status, 404);
  assert.equal(far.json.error.field, 'event_id');
});

test('figures by subtree and period equal the counts made here from the records', async () => {
  const from = new Date(T0).toISOString();
  // Some more, in another township, with a mix of outcomes and types.
  for (const [type, outcome] of [['marriage', 'agree'], ['marriage', null], ['wages', 'fail'], ['traffic', 'agree']]) {
    const d = ok(await create(gwB, base({ area: MB, type, title: `${type} 纠纷` })), 201);
    if (outcome === 'agree') ok(await act(gwB, d.id, 'agree', { form: 'oral', terms: '和解' }));
    if (outcome === 'fail') ok(await act(gwB, d.id, 'fail', { note: '未达成', routes: ['litigation'] }));
  }
  const all = ok(await list(leader, `?limit=200`)).items.filter((i) => i.created_ms >= T0);
  const expect = (items, serverNow) => {
    const e = { screened: items.length, resolved: 0, over_limit: 0, by_type: {}, by_tier: {} };
    for (const i of items) {
      const res = i.status === 'resolved';
      e.resolved += res;
      const over = i.status === 'open' && i.tier_deadline_ms < serverNow;
      e.over_limit += over;
      for (const [k, key] of [['by_type', i.type], ['by_tier', i.tier]]) {
        e[k][key] ??= { screened: 0, resolved: 0, over_limit: 0 };
        e[k][key].screened++;
        e[k][key].resolved += res;
        e[k][key].over_limit += over;
      }
    }
    return e;
  };
  const clock = ok(await s.api('POST', '/api/v1/_test/clock', { body: {} }));
  const serverNow = Date.parse(clock.now);
  for (const [area, prefix] of [['411624', '411624'], [TOWNSHIP_A, TOWNSHIP_A], ['411624002', '411624002'], [VILLAGE_A, VILLAGE_A]]) {
    const mine = all.filter((i) => i.area.code.startsWith(prefix));
    const e = expect(mine, serverNow);
    const st = ok(await s.api('GET', `/api/v1/disputes/stats?area=${area}&from=${encodeURIComponent(from)}`, { token: leader }));
    assert.equal(st.screened, e.screened, area);
    assert.equal(st.resolved, e.resolved, area);
    assert.equal(st.over_limit, e.over_limit, area);
    assert.equal(st.rate, e.screened ? Math.floor(e.resolved * 10000 / e.screened) / 100 : null);
    const byType = Object.fromEntries(st.by_type.map((t) => [t.type, { screened: t.screened, resolved: t.resolved, over_limit: t.over_limit }]));
    assert.deepEqual(byType, e.by_type, area);
    const byTier = Object.fromEntries(st.by_tier.map((t) => [t.tier, { screened: t.screened, resolved: t.resolved, over_limit: t.over_limit }]));
    assert.deepEqual(byTier, e.by_tier, area);
    assert.equal(st.by_area.reduce((n, a) => n + a.screened, 0), e.screened);
  }
  assert.ok(all.length >= 10);
  // The whole year of the demo, before T0: the figures of the ledger it ships.
  const year = ok(await s.api('GET', `/api/v1/disputes/stats?to=${encodeURIComponent(new Date(T0 - 1).toISOString())}`, { token: leader }));
  assert.ok(year.screened >= 2000, JSON.stringify(year));
  assert.ok(year.rate > 90);
  assert.equal((await s.api('GET', '/api/v1/disputes/stats?from=2026-13-01', { token: leader })).json.error.field, 'from');
});

test('the ledger of the caller\'s scope as XLSX', async () => {
  const res = await fetch(`${s.url}/api/v1/disputes/export?from=${encodeURIComponent(new Date(T0).toISOString())}`, { headers: { Authorization: `Bearer ${vmed}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const file = join(tempDir(), 'disputes.xlsx');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const xml = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.match(xml, /矛盾纠纷|纠纷名称/);
  assert.match(xml, /于庄村纠纷/);
  assert.doesNotMatch(xml, /外乡纠纷/); // another township's
  const rows = (xml.match(/<row /g) || []).length;
  const mine = ok(await list(vmed, '?limit=200')).items.filter((i) => i.created_ms >= T0).length;
  assert.equal(rows, mine + 1);
});

// Found after the ledgers were merged: key rotation left the parties'
// identifiers and hotline callers' phones sealed with the old key, so
// `keys drop-old` would have made them unreadable for good.
test('key rotation re-seals dispute parties\' identifiers and callers\' phones; the reveal still opens them', async () => {
  const { db } = makeDemoDb();
  const rotate = () => {
    const r = run(['keys', 'rotate', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    return Number(/(\d+) value\(s\) re-sealed/.exec(r.stdout)[1]);
  };
  let srv = await startServer({ db }); // the key file is made at the first start
  assertCleanExit(assert, await srv.stop({ keep: true }));
  const before = rotate();
  srv = await startServer({ db });
  let tok = await srv.login('mediator');
  const gw = await srv.login(`g${GRID_A}`);
  const micro = await liveMicroGrid(assert, srv, gw, GRID_A);
  const d = (await srv.api('POST', '/api/v1/disputes', { token: tok, body: base({ area: micro.code, parties: [{ side: 'applicant', name: '孙某', id_number: PARTY_ID, phone: '13811112222' }, { side: 'respondent', name: '赵某' }] }) })).json;
  assert.ok(d.id, JSON.stringify(d));
  const disp = await srv.login('dispatcher');
  const ev = await srv.api('POST', '/api/v1/events', { token: disp, body: { source: 'hotline', description: '来电反映噪音扰民', area: micro.code, reporter_name: '孙先生', reporter_phone: '13900003333' } });
  assert.equal(ev.status, 201, ev.text);
  assertCleanExit(assert, await srv.stop({ keep: true }));
  assert.equal(rotate(), before + 3, 'the two identifiers of the party and the caller\'s phone');
  assert.equal(run(['keys', 'drop-old', '--db', db]).status, 0);
  srv = await startServer({ db });
  tok = await srv.login('mediator');
  const rv = await srv.api('POST', `/api/v1/disputes/${d.id}/parties/${d.parties[0].id}/reveal`, { token: tok, body: { reason: '核对身份' } });
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.json.id_number, PARTY_ID);
  assert.equal(rv.json.phone, '13811112222');
  assertCleanExit(assert, await srv.stop());
});

test('the ledger\'s reference lists: dispute types, tiers with their limits, sources; not for departments', async () => {
  const m = ok(await s.api('GET', '/api/v1/disputes/meta', { token: mediator }));
  assert.deepEqual(m.tiers.map((t) => [t.tier, t.level]), [['grid', 'grid'], ['village', 'village'], ['township', 'township'], ['county', 'county']]);
  assert.ok(m.tiers.every((t) => Number.isInteger(t.limit_days) && t.limit_days > 0));
  assert.ok(m.types.some((t) => t.code === 'neighbour' && t.name), 'the 人民调解 types, with their names');
  assert.ok(m.sources.some((x) => x.code === 'initiative'));
  // The majors of the 矛盾纠纷 domain, as the shipped taxonomy has them.
  const rows = readFileSync(new URL('../../data/taxonomy.tsv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  assert.deepEqual(m.event_majors, [...new Set(rows.filter((r) => r[2] === '矛盾纠纷').map((r) => r[1]))].sort());
  assert.ok(m.event_majors.length > 0);
  assert.equal((await s.api('GET', '/api/v1/disputes/meta', { token: await s.login('handler') })).status, 403);
  assert.equal((await s.api('GET', '/api/v1/disputes/meta')).status, 401);
});
