// Accounts: who may create whom, where; validation; scope; password reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, PASSWORD } from '../lib/server.mjs';

let s, admin, townAdmin;
const TOWN = '411624001';

before(async () => {
  s = await startServer({ demo: true });
  admin = await s.login('admin');
  const r = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'town1', name: '东城管理员', role: 'admin', area: TOWN, password: 'Town@Admin2026' },
  });
  assert.equal(r.status, 201, r.text);
  townAdmin = await s.login('town1', 'Town@Admin2026');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const create = (token, body) => s.api('POST', '/api/v1/accounts', { token, body });

test('creating an account validates every field', async () => {
  const base = { username: 'newuser', name: '新用户', role: 'dispatcher', area: TOWN, password: 'Good@Pass2026' };
  const cases = [
    [{ ...base, username: 'Bad Name' }, 400, 'invalid_username', 'username'],
    [{ ...base, role: 'emperor' }, 400, 'unknown_role', 'role'],
    [{ ...base, password: 'short1A' }, 400, 'weak_password', 'password'],
    [{ ...base, password: 'alllowercaseletters' }, 400, 'weak_password', 'password'],
    [{ ...base, password: 'Newuser@2026x', username: 'newuser' }, 400, 'weak_password', 'password'],
    [{ ...base, role: 'handler' }, 400, 'missing_field', 'department'],
    [{ ...base, role: 'handler', department: '外星局' }, 400, 'unknown_department', 'department'],
    [{ ...base, department: '公安' }, 400, 'department_not_allowed', 'department'],
    [{ ...base, area: '999999' }, 404, 'area_not_found', 'area'],
    [{ ...base, username: 'admin' }, 409, 'username_exists', 'username'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await create(admin, body);
    assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field);
  }
  const h = await create(admin, { ...base, username: 'police1', role: 'handler', department: '公安' });
  assert.equal(h.status, 201, h.text);
  assert.equal(h.json.department, '公安');
  assert.equal(h.json.role_name, '部门处置人员');
  const me = await s.api('GET', '/api/v1/auth/me', { token: await s.login('police1', 'Good@Pass2026') });
  assert.equal(me.json.account.department, '公安');
});

test('a township admin cannot create a county-wide account or reach outside', async () => {
  const county = await create(townAdmin, { username: 'sneaky', name: 'x', role: 'admin', area: '411624', password: 'Good@Pass2026' });
  assert.equal(county.status, 404);
  assert.equal(county.json.error.code, 'area_not_found');
  assert.equal(county.json.error.field, 'area');
  const other = await create(townAdmin, { username: 'sneaky', name: 'x', role: 'dispatcher', area: '411624002', password: 'Good@Pass2026' });
  assert.equal(other.status, 404);
  const ok = await create(townAdmin, { username: 'town1disp', name: '东城调度员', role: 'dispatcher', area: TOWN, password: 'Good@Pass2026' });
  assert.equal(ok.status, 201, ok.text);
  const list = await s.api('GET', '/api/v1/accounts?limit=500', { token: townAdmin });
  assert.ok(list.json.total > 0);
  assert.ok(list.json.items.every((a) => a.area.code.startsWith(TOWN)), 'only accounts of the township');
  const countyAdmin = (await s.api('GET', '/api/v1/accounts?role=admin', { token: admin })).json.items.find((a) => a.username === 'admin');
  assert.equal((await s.api('GET', `/api/v1/accounts/${countyAdmin.id}`, { token: townAdmin })).status, 404);
  const dis = await s.api('PATCH', `/api/v1/accounts/${countyAdmin.id}`, { token: townAdmin, body: { disabled: true } });
  assert.equal(dis.status, 404);
  const pw = await s.api('POST', `/api/v1/accounts/${countyAdmin.id}/password`, { token: townAdmin, body: { password: 'Taken@Over2026' } });
  assert.equal(pw.status, 404);
  assert.equal((await s.api('POST', '/api/v1/auth/login', { body: { username: 'admin', password: PASSWORD } })).status, 200);
});

test('roles without account rights get 403', async () => {
  for (const u of ['dispatcher', 'g411624001200001', 'mediator']) {
    const t = await s.login(u);
    const r = await create(t, { username: 'x1x', name: 'x', role: 'grid_worker', area: '411624001200001', password: 'Good@Pass2026' });
    assert.equal(r.status, 403, u);
    assert.equal(r.json.error.code, 'forbidden');
    assert.equal((await s.api('GET', '/api/v1/accounts', { token: t })).status, 403);
  }
  const leader = await s.login('leader');
  assert.equal((await s.api('GET', '/api/v1/accounts?limit=1', { token: leader })).status, 200, 'leaders may read accounts');
});

test('paging and role filter of the account list', async () => {
  const p1 = await s.api('GET', '/api/v1/accounts?role=grid_worker&limit=10', { token: admin });
  const p2 = await s.api('GET', '/api/v1/accounts?role=grid_worker&limit=10&offset=10', { token: admin });
  assert.equal(p1.json.total, 1630);
  assert.equal(p1.json.items.length, 10);
  assert.notDeepEqual(p1.json.items[0].id, p2.json.items[0].id);
  assert.ok(p1.json.items.every((a) => a.role === 'grid_worker'));
  const bad = await s.api('GET', '/api/v1/accounts?role=king', { token: admin });
  assert.equal(bad.json.error.field, 'role');
  const bad2 = await s.api('GET', '/api/v1/accounts?offset=-1', { token: admin });
  assert.equal(bad2.json.error.field, 'offset');
});

test('password reset ends sessions; nobody disables themselves', async () => {
  const list = await s.api('GET', '/api/v1/accounts?role=leader', { token: admin });
  const id = list.json.items[0].id;
  const leaderToken = await s.login('leader');
  const weak = await s.api('POST', `/api/v1/accounts/${id}/password`, { token: admin, body: { password: 'abc' } });
  assert.equal(weak.json.error.code, 'weak_password');
  const r = await s.api('POST', `/api/v1/accounts/${id}/password`, { token: admin, body: { password: 'Fresh@Chief2026' } });
  assert.equal(r.status, 204, r.text);
  assert.equal((await s.api('GET', '/api/v1/auth/me', { token: leaderToken })).status, 401);
  assert.equal((await s.api('POST', '/api/v1/auth/login', { body: { username: 'leader', password: PASSWORD } })).status, 401);
  await s.login('leader', 'Fresh@Chief2026');
  const me = (await s.api('GET', '/api/v1/auth/me', { token: admin })).json.account;
  const self = await s.api('PATCH', `/api/v1/accounts/${me.id}`, { token: admin, body: { disabled: true } });
  assert.equal(self.status, 409);
  assert.equal(self.json.error.code, 'cannot_disable_self');
  const badId = await s.api('GET', '/api/v1/accounts/abc', { token: admin });
  assert.equal(badId.status, 404);
});
