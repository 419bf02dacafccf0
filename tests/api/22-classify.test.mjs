// 智能分类: POST /api/v1/classify and the command line. What the model
// answers is measured by cross-validation (docs/benchmarks.md); these tests
// check the shape of the answers, the threshold, the errors and the tools.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertCleanExit, run, runAsync, makeDemoDb } from '../lib/server.mjs';

let s, gw, cats;

before(async () => {
  s = await startServer({ demo: true });
  gw = await s.login('g411624001200001');
  cats = Object.fromEntries((await s.api('GET', '/api/v1/categories', { token: gw })).json.items.map((c) => [c.minor, c]));
});
after(async () => { assertCleanExit(assert, await s.stop()); });

const classify = (token, body) => s.api('POST', '/api/v1/classify', { token, body });

test('an answer: a minor of the taxonomy with its major, department and level; calibrated scores', async () => {
  const r = await classify(gw, { text: '村东头垃圾堆了好几天，臭气熏天，没人来清理', top: 5 });
  assert.equal(r.status, 200, r.text);
  const a = r.json;
  assert.ok(cats[a.minor], `a minor of the taxonomy: ${a.minor}`);
  assert.equal(a.major, cats[a.minor].major);
  assert.equal(a.department, cats[a.minor].department);
  assert.equal(a.level, cats[a.minor].level);
  assert.equal(a.alternatives.length, 4, 'top 5: the best and four alternatives');
  const scores = [a.score, ...a.alternatives.map((x) => x.score)];
  assert.ok(scores.every((x, i) => x >= 0 && x <= 1 && (i === 0 || x <= scores[i - 1])), scores.join(' '));
  assert.ok(a.alternatives.every((x) => cats[x.minor] && x.minor !== a.minor));
  assert.match(a.model, /^[0-9a-f]{16}$/);
  assert.equal(typeof a.needs_review, 'boolean');
  assert.equal(a.needs_review, a.score < 0.5, 'below the default threshold of 50 %');
  // The default is the best and two alternatives.
  assert.equal((await classify(gw, { text: '楼道里闻到很浓的煤气味' })).json.alternatives.length, 2);
});

test('bad requests are named', async () => {
  const cases = [
    [{}, 'missing_field', 'text'],
    [{ text: '' }, 'empty_field', 'text'],
    [{ text: '垃圾', top: 0 }, 'out_of_range', 'top'],
    [{ text: '垃圾', top: 17 }, 'out_of_range', 'top'],
    [{ text: '垃圾', lang: 'zh' }, 'unknown_field', 'lang'],
  ];
  for (const [body, code, field] of cases) {
    const r = await classify(gw, body);
    assert.equal(r.status, 400, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
  assert.equal((await classify(null, { text: '垃圾' })).status, 401);
});

test('the threshold decides needs_review', async () => {
  const strict = await startServer({ demo: true, env: { PINGAN_CLASSIFY_REVIEW_BELOW: '100' } });
  try {
    const t = await strict.login('dispatcher');
    const r = await strict.api('POST', '/api/v1/classify', { token: t, body: { text: '小区门口消防通道被私家车堵死了' } });
    assert.equal(r.json.needs_review, true, 'nothing scores 100 %');
  } finally {
    assertCleanExit(assert, await strict.stop());
  }
});

test('pingan classify reads lines and writes JSON lines; pingan train reports k-fold figures', async () => {
  const { db } = makeDemoDb();
  const r = run(['classify', '--db', db, '--top', '2'], { input: '燃气管道漏气了\n门口有人占道摆摊卖菜\n' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  for (const a of lines) {
    assert.ok(cats[a.minor]);
    assert.equal(a.alternatives.length, 1);
  }
  assert.equal(run(['classify', '--db', db, '--top', 'x']).status, 2);
  // Tens of seconds under the sanitizers: the event loop keeps running.
  const t = await runAsync(['train', '--db', db, '--folds', '2', '--model', `${db}.2.model`]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /trained on \d+ examples \(\d+ shipped, 0 confirmed\)/);
  assert.match(t.stdout, /2-fold cross-validation: top-1 minor [\d.]+ %, top-3 minor [\d.]+ %, top-1 major [\d.]+ %/);
  const again = run(['classify', '--db', db, '--model', `${db}.2.model`], { input: '路灯不亮\n' });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(run(['train', '--db', db, '--folds', '1']).status, 2);
  const missing = run(['classify', '--db', db, '--model', '/nonexistent/dir/x.model'], { input: 'x\n' });
  assert.notEqual(missing.status, 0, 'a model that can be neither read nor written is an error');
});

test('possible duplicates: open events near by, reported about the same time, with alike texts', async () => {
  const map = await s.api('GET', '/api/v1/areas/411624001200001/map', { token: gw });
  const [lng, lat] = map.json.features[0].properties.label;
  const report = async (token, description, at = [lng, lat]) => {
    const r = await s.api('POST', '/api/v1/events', { token, body: { source: 'grid_worker', description, lng: at[0], lat: at[1] } });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const first = await report(gw, '于庄村东头垃圾堆积好几天了，臭气熏天没人清理');
  const same = await report(gw, '于庄村东头的垃圾堆了好几天了，臭得很，没人来清理！！');
  const other = await report(gw, '于庄村东头路灯不亮已经一个星期了');
  const elsewhere = await s.api('GET', '/api/v1/areas/411624002200001/map', { token: await s.login('g411624002200001') });
  const far = await report(await s.login('dispatcher'), '于庄村东头垃圾堆积好几天了，臭气熏天没人清理', elsewhere.json.features[0].properties.label);
  const dups = await s.api('GET', `/api/v1/events/${same}/duplicates`, { token: gw });
  assert.equal(dups.status, 200, dups.text);
  const ids = dups.json.items.map((x) => x.id);
  assert.ok(ids.includes(first), 'the same problem, reported twice');
  assert.ok(!ids.includes(other), 'a different problem at the same place');
  assert.ok(!ids.includes(far), 'the same words far away');
  const hit = dups.json.items.find((x) => x.id === first);
  assert.ok(hit.similarity >= 0.3 && hit.similarity <= 1 && hit.distance_m <= 300, JSON.stringify(hit));
  // Scope: a department does not search; another grid does not see the event.
  assert.equal((await s.api('GET', `/api/v1/events/${same}/duplicates`, { token: await s.login('handler') })).status, 404);
  assert.equal((await s.api('GET', `/api/v1/events/${same}/duplicates`, { token: await s.login('g411624002200001') })).status, 404);
  // The dispatcher merges it: the duplicate leaves the open events.
  const disp = await s.login('dispatcher');
  const m = await s.api('POST', `/api/v1/events/${same}/actions/merge`, { token: disp, body: { into: first } });
  assert.equal(m.status, 200, m.text);
  const after = await s.api('GET', `/api/v1/events/${first}/duplicates`, { token: disp });
  assert.ok(!after.json.items.some((x) => x.id === same), 'a merged event is no longer proposed');
});

test('intake proposes a category; what the dispatcher settles becomes an example for training', async () => {
  const disp = await s.login('dispatcher');
  const text = '小区地下车库有很重的燃气味道，怀疑管道漏气了';
  const proposal = (await classify(disp, { text })).json;
  const e = await s.api('POST', '/api/v1/events', { token: gw, body: { source: 'grid_worker', description: text } });
  assert.equal(e.status, 201, e.text);
  assert.equal(e.json.category, null, 'the category is proposed, not set');
  assert.deepEqual(
    [e.json.proposal.minor, e.json.proposal.model, e.json.proposal.needs_review],
    [proposal.minor, proposal.model, proposal.needs_review],
    'the same model, the same answer');
  assert.ok(Math.abs(e.json.proposal.score - proposal.score) < 1e-9);
  const given = await s.api('POST', '/api/v1/events', { token: gw, body: { source: 'grid_worker', description: text, minor: '2201' } });
  assert.equal(given.json.proposal, null, 'nothing is proposed for a category given at intake');

  const before = await runAsync(['train', '--db', s.db, '--folds', '0', '--model', `${s.db}.x.model`]);
  assert.equal(before.status, 0, before.stderr);
  const confirmed = (out) => Number(out.match(/(\d+) confirmed/)[1]);
  const n0 = confirmed(before.stdout);
  // The dispatcher registers it under a category of his choice.
  const other = proposal.minor === '2202' ? '2203' : '2202';
  const reg = await s.api('POST', `/api/v1/events/${e.json.id}/actions/register`, { token: disp, body: { minor: other } });
  assert.equal(reg.status, 200, reg.text);
  assert.equal(reg.json.proposal.minor, proposal.minor, 'the proposal stays on record');
  const after = await runAsync(['train', '--db', s.db, '--folds', '0', '--model', `${s.db}.x.model`]);
  assert.equal(confirmed(after.stdout), n0 + 1, 'one more example: the corrected category');
  // The server retrains on its schedule (train_every_h; here the test route
  // that runs the same step): the new model is in use at once.
  const trained = await s.api('POST', '/api/v1/_test/train', {});
  assert.equal(trained.status, 200, trained.text);
  assert.ok(trained.json.new_examples >= 1);
  const now = (await classify(disp, { text })).json;
  assert.notEqual(now.model, proposal.model, 'a new model version');
  assert.equal((await s.api('POST', '/api/v1/_test/train', {})).json.new_examples, 0, 'nothing new, no training');
  // A refused registration teaches nothing.
  const spam = await s.api('POST', '/api/v1/events', { token: gw, body: { source: 'grid_worker', description: '测试测试测试' } });
  await s.api('POST', `/api/v1/events/${spam.json.id}/actions/reject`, { token: disp, body: { reason: '测试数据' } });
  assert.equal(confirmed((await runAsync(['train', '--db', s.db, '--folds', '0', '--model', `${s.db}.x.model`])).stdout), n0 + 1);
});
