// Social-stability risk assessment ("2466"): a project through the six
// steps with documents, the six risk kinds rated, the level by its rule,
// outcomes, exemption and postponement, the counts as the articles write
// them, and scope by the project's area.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit } from '../lib/server.mjs';

let s, dispatcher, admin;
const TOWN = '411624001';

before(async () => {
  s = await startServer({ demo: true });
  dispatcher = await s.login('dispatcher');
  admin = await s.login('admin');
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const api = (method, path, body, token = dispatcher) => s.api(method, path, { token, body });
const create = (patch = {}) => api('POST', '/api/v1/risks', {
  title: '东城街道农贸市场改扩建', kind: 'project', owner_unit: '东城街道办事处', area: TOWN,
  description: '拆除旧市场，新建两层市场，涉及摊位 320 个', ...patch,
});
const step = (id, n, body) => api('POST', `/api/v1/risks/${id}/steps/${n}`, body);
const doc = (title) => ({ documents: [{ title, body: `${title}的内容` }] });
const done = (title, extra = {}) => ({ ...doc(title), complete: true, ...extra });

test('the demo county: 16 projects counted like the article', async () => {
  const r = await api('GET', '/api/v1/risks/counts');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    [r.json.total, r.json.assessed, r.json.exempt, r.json.postponed, r.json.not_implemented, r.json.in_progress],
    [16, 12, 1, 1, 1, 1],
  );
  assert.equal(r.json.sentence, '开展社会稳定风险评估项目16个，其中完成评估12个，经研究免于评估1个，暂缓评估1个，不予实施1个，正在评估1个');
  assert.equal(r.json.by_level.high, 1);
  assert.equal(r.json.area.code, '411624');
  assert.equal(r.json.children.length, 22, 'one line per township');
  for (const k of ['total', 'assessed', 'exempt', 'postponed', 'not_implemented', 'in_progress']) {
    assert.equal(r.json.children.reduce((t, c) => t + c[k], 0), r.json[k], `${k} of the townships add up`);
  }
  const town = r.json.children.find((c) => c.total > 0);
  const t = await api('GET', `/api/v1/risks/counts?area=${town.code}`);
  assert.equal(t.json.total, town.total);
  assert.equal(t.json.sentence, town.sentence);
  const list = await api('GET', '/api/v1/risks?limit=200');
  assert.equal(list.json.total, 16);
  // A period: only what was registered in it.
  const none = await api('GET', '/api/v1/risks/counts?from=2000-01-01&to=2000-12-31');
  assert.equal(none.json.total, 0);
  assert.equal((await api('GET', '/api/v1/risks/counts?from=2026-13-01')).json.error.field, 'from');
});

test('registering: bad input names the field; the area must lie in the scope', async () => {
  for (const [patch, code, field] of [
    [{ kind: 'plan' }, 'invalid_kind', 'kind'], [{ title: '' }, 'empty_field', 'title'],
    [{ owner_unit: undefined }, 'missing_field', 'owner_unit'], [{ area: 'nowhere' }, 'area_not_found', 'area'],
    [{ budget: 5 }, 'unknown_field', 'budget'],
  ]) {
    const r = await create(patch);
    assert.ok(r.status >= 400 && r.status < 500, r.text);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field);
  }
});

test('a project through the six steps: documents, ratings, level, outcome, closed', async () => {
  const c = await create();
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.equal(c.json.status, 'in_progress');
  assert.deepEqual(c.json.steps.map((x) => x.name), ['制订评估方案', '广泛听取意见', '预测预判风险', '作出评估结论', '评估报告报备', '跟踪督查督办']);
  assert.equal(c.json.area.code, TOWN);

  // Out of order, without documents, with bad documents.
  let r = await step(id, 2, done('意见汇总'));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'step_out_of_order');
  r = await step(id, 1, { complete: true });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'documents_required');
  r = await step(id, 1, { documents: [{ title: '方案' }, { body: '没有标题' }] });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'documents[1].title');
  assert.equal((await api('GET', `/api/v1/risks/${id}`)).json.steps[0].documents.length, 0, 'nothing written');
  assert.equal((await step(id, 7, done('x'))).status, 404);

  r = await step(id, 1, doc('评估方案（草案）'));
  assert.equal(r.status, 200, r.text);
  r = await step(id, 1, done('评估方案'));
  assert.equal(r.json.steps[0].done, true);
  assert.equal(r.json.steps[0].documents.length, 2);
  assert.equal(r.json.steps[0].done_by, 'dispatcher');
  assert.equal((await step(id, 1, done('再来一份'))).json.error.code, 'step_done');
  r = await step(id, 2, done('座谈会纪要和问卷汇总'));
  assert.equal(r.json.steps_done, 2);

  // Step 3 needs all six kinds rated.
  r = await step(id, 3, done('风险分析报告'));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'ratings_incomplete');
  r = await api('PUT', `/api/v1/risks/${id}/ratings`, { ratings: { environment: 'purple' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'ratings.environment');
  r = await api('PUT', `/api/v1/risks/${id}/ratings`, { ratings: { weather: 'red' } });
  assert.equal(r.json.error.field, 'ratings.weather');
  r = await api('PUT', `/api/v1/risks/${id}/ratings`, {
    ratings: { environment: 'yellow', safety: 'none', livelihood: { color: 'orange', note: '摊户过渡安置' }, capital: 'none', opinion: 'yellow' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rated, 5);
  assert.equal(r.json.ratings.find((x) => x.kind === 'livelihood').color_name, '橙色预警');
  assert.equal((await step(id, 3, done('风险分析报告'))).json.error.code, 'ratings_incomplete');
  r = await api('PUT', `/api/v1/risks/${id}/ratings`, { ratings: { induced: 'yellow' } });
  assert.equal(r.json.level_now, 'medium', 'an orange and no red: 中');
  r = await step(id, 3, done('风险分析报告'));
  assert.equal(r.status, 200, r.text);
  r = await api('PUT', `/api/v1/risks/${id}/ratings`, { ratings: { induced: 'red' } });
  assert.equal(r.status, 409, 'ratings are fixed once step 3 is done');

  // Step 4: the outcome must fit the level.
  r = await step(id, 4, done('评估结论'));
  assert.equal(r.json.error.field, 'outcome');
  r = await step(id, 4, done('评估结论', { outcome: 'implement' }));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'outcome_not_allowed');
  r = await step(id, 4, done('评估结论', { outcome: 'exempt' }));
  assert.equal(r.json.error.code, 'invalid_outcome');
  r = await step(id, 2, { ...doc('补充意见'), outcome: 'implement' });
  assert.equal(r.json.error.field, 'outcome');
  r = await step(id, 4, done('评估结论', { outcome: 'implement_with_measures', outcome_note: '先建过渡市场' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'concluded');
  assert.equal(r.json.level, 'medium');
  assert.equal(r.json.level_name, '中风险');
  assert.equal(r.json.outcome_name, '采取措施后实施');
  r = await step(id, 5, done('报备回执'));
  r = await step(id, 6, done('督办记录'));
  assert.equal(r.json.status, 'closed');
  assert.equal(r.json.steps.every((x) => x.done), true);
  assert.equal((await step(id, 6, doc('再补一份'))).json.error.code, 'risk_closed');

  const counts = await api('GET', `/api/v1/risks/counts?area=${TOWN}`);
  assert.ok(counts.json.assessed >= 1);
});

test('a red rating means not implemented; exemption and postponement before the conclusion', async () => {
  const id = (await create({ title: '化工园区扩建' })).json.id;
  await step(id, 1, done('方案'));
  await step(id, 2, done('意见'));
  await api('PUT', `/api/v1/risks/${id}/ratings`, { ratings: { environment: 'red', safety: 'orange', livelihood: 'yellow', capital: 'none', opinion: 'none', induced: 'yellow' } });
  await step(id, 3, done('分析'));
  assert.equal((await step(id, 4, done('结论', { outcome: 'implement_with_measures' }))).json.error.code, 'outcome_not_allowed');
  const r = await step(id, 4, done('结论', { outcome: 'not_implement' }));
  assert.equal(r.json.level, 'high');
  assert.equal(r.json.outcome, 'not_implement');
  assert.equal((await api('POST', `/api/v1/risks/${id}/decision`, { outcome: 'postpone', reason: '晚了' })).json.error.code, 'risk_closed');

  const ex = (await create({ title: '调整停车收费标准', kind: 'decision' })).json.id;
  assert.equal((await api('POST', `/api/v1/risks/${ex}/decision`, { outcome: 'exempt' })).json.error.field, 'reason');
  assert.equal((await api('POST', `/api/v1/risks/${ex}/decision`, { outcome: 'implement', reason: 'x' })).json.error.code, 'invalid_outcome');
  const d = await api('POST', `/api/v1/risks/${ex}/decision`, { outcome: 'exempt', reason: '执行上级定价，经研究免于评估' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'exempt');
  assert.equal((await step(ex, 1, doc('方案'))).json.error.code, 'risk_closed');
  const before = (await api('GET', '/api/v1/risks/counts')).json;
  const pp = (await create({ title: '撤并教学点' })).json.id;
  await api('POST', `/api/v1/risks/${pp}/decision`, { outcome: 'postpone', reason: '条件不成熟' });
  const afterCounts = (await api('GET', '/api/v1/risks/counts')).json;
  assert.equal(afterCounts.postponed, before.postponed + 1);
  assert.equal(afterCounts.total, before.total + 1);
});

test('scope: a township sees its own projects only; grid workers and handlers none', async () => {
  const mk = await s.api('POST', '/api/v1/accounts', {
    token: admin, body: { username: 'town1disp', name: '东城街道综治中心', role: 'dispatcher', area: TOWN, password: 'Town@Disp2026' },
  });
  assert.equal(mk.status, 201, mk.text);
  const town = await s.login('town1disp', 'Town@Disp2026');
  const all = (await api('GET', '/api/v1/risks?limit=200')).json.items;
  const mine = (await api('GET', '/api/v1/risks?limit=200', undefined, town)).json;
  assert.ok(mine.total > 0);
  assert.ok(mine.items.every((p) => p.area.code.startsWith(TOWN)));
  assert.equal(mine.total, all.filter((p) => p.area.code.startsWith(TOWN)).length);
  const other = all.find((p) => !p.area.code.startsWith(TOWN));
  assert.equal((await api('GET', `/api/v1/risks/${other.id}`, undefined, town)).status, 404);
  assert.equal((await api('POST', `/api/v1/risks/${other.id}/steps/1`, doc('x'), town)).status, 404);
  assert.equal((await api('POST', '/api/v1/risks', { title: 't', kind: 'project', owner_unit: 'u', area: other.area.code }, town)).status, 404);
  assert.equal((await api('GET', `/api/v1/risks/counts?area=${other.area.code}`, undefined, town)).status, 404);
  const c = (await api('GET', '/api/v1/risks/counts', undefined, town)).json;
  assert.equal(c.total, mine.total);
  const leader = await s.login('leader');
  assert.equal((await api('GET', `/api/v1/risks/${other.id}`, undefined, leader)).status, 200);
  assert.equal((await api('POST', `/api/v1/risks/${other.id}/steps/1`, doc('x'), leader)).status, 403);
  const gw = await s.login('g411624001001001');
  assert.equal((await api('GET', '/api/v1/risks', undefined, gw)).status, 403);
});
