// Households: register, members with their relation to the head, the card,
// the list of a grid — and scope on all of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, gwA, gwB, admin;
const GRID_A = '411624001200001';
const MICRO_A = '41162400120000101';
const MICRO_A2 = '41162400120000102';
const MICRO_B = '41162400220000101';

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  gwA = await s.login(`g${GRID_A}`);
  gwB = await s.login('g411624002200001');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const post = (path, token, body) => s.api('POST', path, { token, body });

test('a household with its head and members', async () => {
  const hh = await post('/api/v1/households', gwA, { address: '于庄村前街12号', hh_no: '411624001200001-0012', area: MICRO_A });
  assert.equal(hh.status, 201, hh.text);
  assert.equal(hh.json.head, null);
  const id = hh.json.id;
  const head = await post('/api/v1/people', gwA, { name: '张建国', residence_type: 'registered', area: MICRO_A, household_id: id, relation: '户主' });
  assert.equal(head.status, 201, head.text);
  assert.equal(head.json.household_id, id);
  const wife = await post('/api/v1/people', gwA, { name: '李秀英', gender: 'F', residence_type: 'registered', area: MICRO_A, household_id: id, relation: '配偶' });
  assert.equal(wife.status, 201, wife.text);
  const second = await post('/api/v1/people', gwA, { name: '张二', residence_type: 'registered', area: MICRO_A, household_id: id, relation: '户主' });
  assert.equal(second.status, 409);
  assert.equal(second.json.error.code, 'household_has_head');
  const card = await s.api('GET', `/api/v1/households/${id}`, { token: gwA });
  assert.equal(card.status, 200);
  assert.equal(card.json.head.name, '张建国');
  assert.deepEqual(card.json.members.map((m) => [m.name, m.relation]), [['张建国', '户主'], ['李秀英', '配偶']]);
  const list = await s.api('GET', `/api/v1/areas/${GRID_A}/households`, { token: gwA });
  assert.equal(list.json.total, 1);
  assert.equal(list.json.items[0].head_name, '张建国');
  assert.equal(list.json.items[0].member_count, 2);
});

test('rules: leaf areas, the household\'s grid, relation needs a household', async () => {
  const notLeaf = await post('/api/v1/households', gwA, { address: 'x', area: GRID_A });
  assert.equal(notLeaf.json.error.code, 'area_not_leaf');
  const hh = (await post('/api/v1/households', gwA, { address: '于庄村后街3号', area: MICRO_A })).json.id;
  const elsewhere = await post('/api/v1/people', gwA, { name: '王五', residence_type: 'registered', area: MICRO_A2, household_id: hh, relation: '子' });
  assert.equal(elsewhere.status, 400);
  assert.equal(elsewhere.json.error.code, 'household_area_mismatch');
  const noHh = await post('/api/v1/people', gwA, { name: '王五', residence_type: 'registered', area: MICRO_A, relation: '子' });
  assert.equal(noHh.json.error.field, 'household_id');
  const badType = await post('/api/v1/people', gwA, { name: '王五', residence_type: 'registered', area: MICRO_A, household_id: 'x' });
  assert.equal(badType.json.error.field, 'household_id');
  const missing = await post('/api/v1/households', gwA, { area: MICRO_A });
  assert.equal(missing.json.error.field, 'address');
});

test('households stay inside the scope', async () => {
  const hh = (await post('/api/v1/households', gwA, { address: '于庄村东街1号', area: MICRO_A })).json.id;
  assert.equal((await s.api('GET', `/api/v1/households/${hh}`, { token: gwB })).status, 404);
  assert.equal((await s.api('GET', `/api/v1/areas/${GRID_A}/households`, { token: gwB })).status, 404);
  const foreign = await post('/api/v1/people', gwB, { name: '赵六', residence_type: 'registered', area: MICRO_B, household_id: hh, relation: '子' });
  assert.equal(foreign.status, 404, 'a household of another grid is not found');
  assert.equal(foreign.json.error.field, 'household_id');
  const theirs = await post('/api/v1/households', gwB, { address: 'x', area: MICRO_A });
  assert.equal(theirs.status, 404);
  assert.equal(theirs.json.error.field, 'area');
  const all = await s.api('GET', '/api/v1/areas/411624/households?limit=200', { token: admin });
  assert.ok(all.json.total >= 3);
});
