// Pingan (平安) petition ledger (信访台账).
//
// Plain ES2020, no framework. Registers itself in window.PinganModules for
// the staff pages #/petitions (the desk: lights, overdue, supervised),
// #/petitions/new (registration), #/petitions/ID (the case: its clock, the
// steps allowed now, the timeline), #/petitions/stats (figures by area with
// year on year) and #/petitions/visits (五必访), and in
// window.PinganPublicPages for the petitioner's #/public/petition[/CODE]
// (web/public.js): procedure, deadline nodes and result by code, and the
// two ratings. Every string from the server goes into the page as text,
// never as HTML.
'use strict';

(() => {
  const enc = encodeURIComponent;
  const READ = ['admin', 'leader', 'dispatcher', 'petition_officer'];
  const WRITE = ['admin', 'petition_officer'];
  const CODE_RE = /^[2-9A-HJ-NP-Z]{10}$/;
  const CHANNELS = [['visit', '来访'], ['letter', '来信'], ['phone', '电话'], ['online', '网上信访'], ['fax', '传真']];
  const CATEGORIES = [['claim', '申诉求决'], ['suggestion', '建议意见'], ['accusation', '检举控告']];
  const LEVELS = [['local', '本级'], ['city', '赴市'], ['province', '赴省'], ['beijing', '进京']];
  const OUTCOMES = [['support', '支持'], ['explain', '解释说明'], ['reject', '不予支持']];
  const RATINGS = [['satisfied', '满意'], ['basic', '基本满意'], ['unsatisfied', '不满意']];
  const STATUSES = [
    ['registered', '已登记'], ['referred', '已转送交办'], ['accepted', '办理中'], ['replied', '已答复'],
    ['review_requested', '复查中'], ['reviewed', '已复查'], ['recheck_requested', '复核中'],
    ['closed', '已终结'], ['refused', '不予受理'],
  ];
  const LIGHT_NAMES = { green: '正常', yellow: '临期', red: '超期' };
  // What each step asks for (domain/petitionflow.c).
  const STEPS = {
    refer: ['转送/交办', ['handler']],
    object: ['异议（非本机关职权）', ['reason']],
    accept: ['受理（书面告知）', []],
    refuse: ['不予受理（书面告知）', ['reason']],
    extend: ['延期（告知理由）', ['days', 'reason']],
    reply: ['答复（处理意见书）', ['outcome', 'note']],
    request_review: ['申请复查', ['reason']],
    review: ['复查意见', ['outcome', 'note']],
    request_recheck: ['申请复核', ['reason']],
    recheck: ['复核意见', ['outcome', 'note']],
    close: ['终结', []],
    supervise: ['督办', ['reason']],
    comment: ['备注', ['note']],
  };
  const isAbort = (e, signal) => (e && e.name === 'AbortError') || (signal && signal.aborted);
  const opts = (h, list, value) => list.map(([k, v]) => h('option', { value: k, selected: k === value }, v));

  function light(h, l) {
    if (!LIGHT_NAMES[l]) return h('span.muted', null, '—');
    return h('span.light', { class: `light-${l}`, dataset: { light: l } }, LIGHT_NAMES[l]);
  }

  function table(h, cls, cols, items) {
    return h(
      'div.table-wrap',
      null,
      h(
        'table.data-table',
        { class: cls },
        h('thead', null, h('tr', null, ...cols.map(([t]) => h('th', null, t)))),
        h('tbody', null, ...items.map((it) => h('tr', null, ...cols.map(([, f]) => h('td', null, f(it))))))
      )
    );
  }

  function field(h, label, input, hint) {
    return h('div.field', null, h('label', null, h('span', null, label), input), hint ? h('p.muted.small', null, hint) : null);
  }

  // ---------------------------------------------------------------- desk

  async function showDesk(main, { params, signal, ui }) {
    const { h } = ui;
    const acct = ui.account();
    document.title = '信访台账 · 平安';
    const status = params.get('status') || '';
    const lightF = params.get('light') || '';
    const overdue = params.get('overdue') === '1';
    const go = (p) => ui.go(`#/petitions?${new URLSearchParams(p)}`);
    const body = h('div', null, h('p.muted.loading-text', null, '正在加载…'));
    const filters = h(
      'div.petition-filters',
      null,
      h('select', { name: 'status', 'aria-label': '状态', onchange: (e) => go({ status: e.target.value, light: lightF }) },
        h('option', { value: '' }, '全部状态'), ...opts(h, STATUSES, status)),
      h('select', { name: 'light', 'aria-label': '时限', onchange: (e) => go({ status, light: e.target.value }) },
        h('option', { value: '' }, '全部时限'), ...opts(h, Object.entries(LIGHT_NAMES), lightF)),
      h('a', { href: overdue ? '#/petitions' : '#/petitions?overdue=1', id: 'petition-overdue' }, overdue ? '全部信访件' : '超期清单')
    );
    main.replaceChildren(
      h(
        'div.petitions-page',
        null,
        h('div.page-head', null, h('h1.page-title', null, overdue ? '超期信访件' : '信访台账'),
          h('div.petition-links', null,
            WRITE.includes(acct.role) ? h('a.button.primary', { href: '#/petitions/new', id: 'petition-new' }, '登记信访') : null,
            h('a.button', { href: '#/petitions/stats' }, '统计'),
            h('a.button', { href: '#/petitions/visits' }, '五必访'),
            h('a.button', { href: '#/petitions/pairs' }, '疑似重复'),
            h('a.button', { href: '/api/v1/petitions/export', download: '' }, '导出台账'))),
        filters,
        body
      )
    );
    ui.busy(true);
    try {
      const q = new URLSearchParams({ limit: '50' });
      if (status) q.set('status', status);
      if (lightF) q.set('light', lightF);
      if (overdue) q.set('overdue', '1');
      const r = await ui.api(`/petitions?${q}`, { signal });
      const counts = h('div.light-counts', null,
        ...['green', 'yellow', 'red'].map((l) => h('div.light-count', { class: `light-count-${l}` }, h('span.light-count-n', null, String(r.counts[l])), LIGHT_NAMES[l])));
      body.replaceChildren(
        counts,
        h('p.muted.small', null, `共 ${r.total} 件`),
        r.items.length
          ? table(h, 'petitions-table', [
            ['时限', (p) => light(h, p.light)],
            ['事项', (p) => h('a', { href: `#/petitions/${p.id}` }, p.title)],
            ['信访人', (p) => p.petitioner_names || ''],
            ['渠道', (p) => p.channel_name],
            ['发生地', (p) => p.area.name],
            ['状态', (p) => h('span.badge.status', { dataset: { status: p.status } }, p.status_name)],
            ['当前节点', (p) => p.node_name || '—'],
            ['期限', (p) => (p.deadline ? ui.fmtTime(p.deadline).slice(0, 16) : '—')],
            ['标记', (p) => [p.supervised ? h('span.badge.petition-flag', null, '督办') : null, p.repeat_of ? h('span.badge.petition-flag', null, '重复') : null, p.level !== 'local' ? h('span.badge.petition-flag', null, p.level_name) : null]],
          ], r.items)
          : h('p.muted.empty', null, '没有符合条件的信访件。')
      );
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      body.replaceChildren(e.status === 403 ? ui.message('无权访问', e.message, true) : ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- registration

  function showNew(main, { ui }) {
    const { h } = ui;
    document.title = '登记信访 · 平安';
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const rows = h('div.petitioner-rows');
    const addRow = () => {
      if (rows.children.length >= 5) return;
      const n = rows.children.length + 1;
      rows.append(h('fieldset.petitioner-row', null, h('legend', null, `信访人 ${n}`),
        field(h, '姓名', h('input', { name: 'p-name', maxlength: '50' })),
        field(h, '公民身份号码', h('input', { name: 'p-id', maxlength: '18', autocomplete: 'off' })),
        field(h, '联系电话', h('input', { name: 'p-phone', maxlength: '20', autocomplete: 'off' })),
        field(h, '实有人口编号（可选）', h('input', { name: 'p-person', inputmode: 'numeric' }))));
    };
    addRow();
    const form = h(
      'form.petition-form',
      { novalidate: true },
      alert,
      field(h, '渠道', h('select', { name: 'channel' }, ...opts(h, CHANNELS, 'visit'))),
      field(h, '类别', h('select', { name: 'category' }, ...opts(h, CATEGORIES, 'claim'))),
      field(h, '信访事项', h('input', { name: 'title', maxlength: '100', required: true })),
      field(h, '诉求、事实和理由', h('textarea', { name: 'content', rows: '5', maxlength: '5000', required: true })),
      field(h, '发生地（村、网格或微网格编码）', h('input', { name: 'area', required: true, value: ui.account().area ? ui.account().area.code : '' })),
      field(h, '涉及单位', h('input', { name: 'concerns', maxlength: '100' })),
      field(h, '人数', h('input', { name: 'group_size', type: 'number', min: '1', value: '1' }), '多人走访时填写总人数，信访人为推选的代表（不超过 5 人）'),
      field(h, '越级情况', h('select', { name: 'level' }, ...opts(h, LEVELS, 'local'))),
      rows,
      h('div.form-actions', null,
        h('button', { type: 'button', onclick: addRow }, '增加代表'),
        h('button.primary', { type: 'submit', id: 'petition-submit' }, '登记'))
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      alert.hidden = true;
      const f = new FormData(form);
      const petitioners = [...rows.children].map((row) => {
        const v = (n) => row.querySelector(`[name=${n}]`).value.trim();
        const p = {};
        if (v('p-name')) p.name = v('p-name');
        if (v('p-id')) p.id_number = v('p-id');
        if (v('p-phone')) p.phone = v('p-phone');
        if (v('p-person')) p.person_id = Number(v('p-person'));
        return p;
      }).filter((p) => Object.keys(p).length);
      const body = {
        channel: f.get('channel'), category: f.get('category'), title: f.get('title').trim(),
        content: f.get('content').trim(), area: f.get('area').trim(), level: f.get('level'),
        group_size: Number(f.get('group_size')) || 1, petitioners,
      };
      if (f.get('concerns').trim()) body.concerns = f.get('concerns').trim();
      try {
        const p = await ui.api('/petitions', { method: 'POST', body });
        ui.go(`#/petitions/${p.id}`);
      } catch (e) {
        alert.textContent = e.code === 'matter_closed_after_review' ? `${e.message}` : `${e.message}${e.field ? `（${e.field}）` : ''}`;
        alert.hidden = false;
      }
    });
    main.replaceChildren(h('div.petitions-page', null,
      h('nav.crumbs', null, h('a', { href: '#/petitions' }, '信访台账'), ' / 登记'),
      h('h1.page-title', null, '登记信访事项'), form));
  }

  // ---------------------------------------------------------------- the case

  function stepForm(ui, p, after) {
    const { h } = ui;
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const action = h('select', { name: 'action', 'aria-label': '办理步骤' }, ...p.allowed.map((a) => h('option', { value: a }, STEPS[a] ? STEPS[a][0] : a)));
    const inputs = {
      handler: field(h, '承办单位', h('input', { name: 'handler', maxlength: '100' })),
      outcome: field(h, '处理意见', h('select', { name: 'outcome' }, ...opts(h, OUTCOMES, 'support'))),
      note: field(h, '意见书内容', h('textarea', { name: 'note', rows: '3', maxlength: '5000' })),
      days: field(h, '延长天数（不超过 30 日）', h('input', { name: 'days', type: 'number', min: '1', max: '30', value: '30' })),
      reason: field(h, '理由', h('textarea', { name: 'reason', rows: '2', maxlength: '1000' })),
    };
    const sync = () => {
      const needs = (STEPS[action.value] || ['', []])[1];
      for (const [k, el] of Object.entries(inputs)) el.hidden = !needs.includes(k);
    };
    action.addEventListener('change', sync);
    sync();
    const form = h('form.petition-step', { novalidate: true }, alert, field(h, '办理步骤', action), ...Object.values(inputs),
      h('div.form-actions', null, h('button.primary', { type: 'submit', id: 'petition-act' }, '提交')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      alert.hidden = true;
      const needs = (STEPS[action.value] || ['', []])[1];
      const body = {};
      for (const k of needs) {
        const v = form.querySelector(`[name=${k}]`).value.trim();
        if (v) body[k] = k === 'days' ? Number(v) : v;
      }
      try {
        await ui.api(`/petitions/${p.id}/actions/${enc(action.value)}`, { method: 'POST', body });
        after();
      } catch (e) {
        alert.textContent = `${e.message}${e.field ? `（${e.field}）` : ''}`;
        alert.hidden = false;
      }
    });
    return form;
  }

  async function showCase(main, id, { signal, ui }) {
    const { h, fact } = ui;
    document.title = '信访件 · 平安';
    main.replaceChildren(h('p.muted.loading-text', null, '正在加载…'));
    ui.busy(true);
    try {
      const p = await ui.api(`/petitions/${enc(id)}`, { signal });
      document.title = `${p.title} · 信访件 · 平安`;
      const acct = ui.account();
      const write = WRITE.includes(acct.role);
      const people = h('ul.petitioner-list', null, ...p.petitioners.map((x) =>
        h('li', null, x.name, x.id_mask ? h('span.badge.masked', null, x.id_mask) : null, x.phone_mask ? h('span.muted.small', null, ` ${x.phone_mask}`) : null,
          x.person_id ? h('a.small', { href: `#/people/${x.person_id}` }, ' 实有人口') : null)));
      const timeline = h('ol.timeline', null, ...p.timeline.map((t) =>
        h('li', null, h('div.timeline-head', null, h('strong', null, t.action_name), ' ', h('span.muted.small', null, `${ui.fmtTime(t.at).slice(0, 16)} · ${t.actor} · ${t.to_name}`)),
          t.detail && t.detail.outcome_name ? h('p.timeline-detail.small', null, `处理意见：${t.detail.outcome_name}`) : null,
          t.detail && t.detail.deadline ? h('p.timeline-detail.small.muted', null, `期限：${ui.fmtTime(t.detail.deadline).slice(0, 16)}`) : null,
          t.note ? h('p.timeline-note', null, t.note) : null)));
      // Proposed repeat pairs: alike matters in the same village or of the same persons.
      const similar = h('div.petition-similar');
      ui.api(`/petitions/${enc(id)}/similar`, { signal }).then((r) => {
        if (!r.items.length) return;
        similar.replaceChildren(h('h2', null, '疑似重复信访'), h('ul', null, ...r.items.map((x) => h('li', null,
          h('a', { href: `#/petitions/${x.id}` }, x.title), ` · ${x.status_name} · 相似度 ${Math.round(x.similarity * 100)}%${x.same_person ? ' · 同一信访人' : ''}`,
          write && x.id < p.id && p.repeat_of !== x.id
            ? h('button.small', { type: 'button', onclick: async () => {
              await ui.api(`/petitions/${p.id}/repeat`, { method: 'POST', body: { earlier: x.id } });
              ui.route();
            } }, '认定为重复信访')
            : null))));
      }).catch(() => {});
      main.replaceChildren(h(
        'div.petitions-page.petition-case',
        null,
        h('nav.crumbs', null, h('a', { href: '#/petitions' }, '信访台账'), ` / ${p.id}`),
        h('div.page-head', null, h('h1.page-title', null, p.title), h('span.badge.status', { id: 'petition-status', dataset: { status: p.status } }, p.status_name)),
        h('div.petition-columns', null,
          h('section.card', null,
            h('dl.facts', null,
              fact('查询码', h('span.mono', { id: 'petition-code' }, p.track_code)),
              fact('渠道', p.channel_name), fact('类别', p.category_name),
              fact('登记时间', ui.fmtTime(p.received_at).slice(0, 16)),
              fact('发生地', `${p.area.name}（${p.area.code}）`), fact('涉及单位', p.concerns || '—'),
              fact('承办单位', p.handler || '—'), fact('人数', String(p.group_size)),
              fact('越级', p.level_name),
              fact('当前节点', p.node_name ? h('span', { id: 'petition-node' }, p.node_name, ' ', light(h, p.light)) : '—'),
              fact('办理期限', p.deadline ? ui.fmtTime(p.deadline).slice(0, 16) : '—'),
              p.window_until ? fact('申请复查/复核截止', ui.fmtTime(p.window_until).slice(0, 16)) : null,
              fact('答复意见', p.outcome_name || '—'),
              p.review_outcome_name ? fact('复查意见', p.review_outcome_name) : null,
              p.recheck_outcome_name ? fact('复核意见', p.recheck_outcome_name) : null,
              p.on_time === null ? null : fact('按期答复', p.on_time ? '是' : '否'),
              fact('督办', p.supervised ? '是' : '否'),
              p.repeat_of ? fact('重复信访', h('a', { href: `#/petitions/${p.repeat_of}` }, `信访件 ${p.repeat_of}`)) : null,
              p.rating_result ? fact('信访人评价', `办理${RATINGS.find((r) => r[0] === p.rating_handling)[1]}，结果${RATINGS.find((r) => r[0] === p.rating_result)[1]}`) : null),
            h('h2', null, '信访人'), people,
            h('h2', null, '信访内容'), h('p.petition-content', null, p.content), similar),
          h('section.card', null,
            write && p.allowed.length ? [h('h2', null, '办理'), stepForm(ui, p, () => ui.route())] : null,
            h('h2', null, '办理记录'), timeline))
      ));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      main.replaceChildren(e.status === 404 ? ui.message('信访件不存在', '信访件不存在或不在您的管辖范围内。', true) : ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- figures

  async function showStats(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '信访统计 · 平安';
    const today = new Date().toISOString().slice(0, 10);
    const from = params.get('from') || `${today.slice(0, 4)}-01-01`;
    const to = params.get('to') || today;
    const area = params.get('area') || '';
    const body = h('div', null, h('p.muted.loading-text', null, '正在加载…'));
    const form = h('form.petition-filters', null,
      h('input', { name: 'from', type: 'date', value: from, 'aria-label': '起始日期' }),
      h('input', { name: 'to', type: 'date', value: to, 'aria-label': '截止日期' }),
      h('button', { type: 'submit' }, '统计'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams({ from: form.from.value, to: form.to.value });
      if (area) q.set('area', area);
      ui.go(`#/petitions/stats?${q}`);
    });
    main.replaceChildren(h('div.petitions-page', null,
      h('nav.crumbs', null, h('a', { href: '#/petitions' }, '信访台账'), ' / 统计'),
      h('h1.page-title', null, '信访统计'), form, body));
    ui.busy(true);
    try {
      const q = new URLSearchParams({ from, to });
      if (area) q.set('area', area);
      const s = await ui.api(`/petitions/stats?${q}`, { signal });
      const pct = (v) => (v === null || v === undefined ? '—' : `${v}%`);
      const cols = [
        ['区域', (r) => (r.code ? h('a', { href: `#/petitions/stats?${new URLSearchParams({ from, to, area: r.code })}` }, r.name) : r.name)],
        ['受理', (r) => String(r.figures.received)],
        ['已受理', (r) => String(r.figures.accepted)],
        ['按期答复率', (r) => pct(r.figures.on_time_rate)],
        ['满意率', (r) => pct(r.figures.satisfaction_rate)],
        ['重复', (r) => String(r.figures.repeat)],
        ['赴省', (r) => String(r.figures.province)],
        ['进京', (r) => String(r.figures.beijing)],
        ['超期', (r) => String(r.figures.overdue)],
      ];
      body.replaceChildren(...[
        h('h2', null, `${s.area.name}（${s.from} 至 ${s.to}）`),
        table(h, 'petition-stats', cols, [{ name: '本期', figures: s.figures }, { name: `去年同期（${s.last_year.from} 至 ${s.last_year.to}）`, figures: s.last_year.figures }]),
        h('p', { id: 'petition-yoy' }, `受理量同比：${pct(s.yoy.received)}；越级同比：${pct(s.yoy.above_level)}；重复同比：${pct(s.yoy.repeat)}`),
        s.children.length ? [h('h2', null, '按下级区域'), table(h, 'petition-stats-children', cols, s.children)] : null,
      ].flat().filter(Boolean));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- 五必访

  async function showVisits(main, { signal, ui }) {
    const { h } = ui;
    document.title = '五必访 · 平安';
    const body = h('div', null, h('p.muted.loading-text', null, '正在加载…'));
    main.replaceChildren(h('div.petitions-page', null,
      h('nav.crumbs', null, h('a', { href: '#/petitions' }, '信访台账'), ' / 五必访'),
      h('h1.page-title', null, '五必访'),
      h('p.muted.page-intro', null, '信访苗头、正在上访、长期上访、已结案回访、重点群体：责任人应在应访日期前走访，登记走访后移出名单。'),
      body));
    ui.busy(true);
    try {
      const [r, rec] = await Promise.all([ui.api('/petitions/visits', { signal }), ui.api('/petitions/receptions', { signal })]);
      const write = WRITE.includes(ui.account().role);
      const receptions = [h('h2', null, '领导接访日'), rec.items.length
        ? table(h, 'petition-receptions', [
          ['日期', (x) => x.day], ['接访领导', (x) => x.leader], ['地点', (x) => x.place],
          ['接访案件', (x) => (x.cases.length ? h('span', null, ...x.cases.map((c) => h('a', { href: `#/petitions/${c.id}` }, `${c.title}（${c.status_name}） `))) : '—')],
        ], rec.items)
        : h('p.muted.empty', null, '暂无领导接访日安排。')];
      body.replaceChildren(...receptions,
        h('h2', null, '应访名单'),
        r.items.length
          ? table(h, 'petition-visits', [
            ['名单', (v) => v.kind_name],
            ['姓名', (v) => h('a', { href: `#/people/${v.person_id}` }, v.name)],
            ['所在网格', (v) => v.area.name],
            ['信访件', (v) => h('a', { href: `#/petitions/${v.petition_id}` }, v.title)],
            ['责任人', (v) => v.cadre || '—'],
            ['应访日期', (v) => h('span', { class: v.overdue ? 'text-error' : '' }, ui.fmtTime(v.due).slice(0, 10))],
            ['', (v) => (write ? h('button', { type: 'button', onclick: async () => {
              await ui.api('/petitions/visits', { method: 'POST', body: { person_id: v.person_id, kind: v.kind, petition_id: v.petition_id } });
              ui.route();
            } }, '登记走访') : null)],
          ], r.items)
          : h('p.muted.empty', null, '当前没有应访对象。')
      );
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- repeat pairs

  async function showPairs(main, { signal, ui }) {
    const { h } = ui;
    document.title = '疑似重复信访 · 平安';
    const body = h('div', null, h('p.muted.loading-text', null, '正在加载…'));
    main.replaceChildren(h('div.petitions-page', null,
      h('nav.crumbs', null, h('a', { href: '#/petitions' }, '信访台账'), ' / 疑似重复'),
      h('h1.page-title', null, '疑似重复信访'),
      h('p.muted.page-intro', null, '同一村（社区）内事项相似、尚未认定为重复的信访件，最相似的在前。'),
      body));
    ui.busy(true);
    try {
      const r = await ui.api('/petitions/pairs', { signal });
      const write = WRITE.includes(ui.account().role);
      const side = (x) => h('a', { href: `#/petitions/${x.id}` }, `${x.title}（${ui.fmtTime(x.received_at).slice(0, 10)}）`);
      body.replaceChildren(r.items.length
        ? table(h, 'petition-pairs', [
          ['先登记', (p) => side(p.earlier)],
          ['后登记', (p) => side(p.later)],
          ['相似度', (p) => `${Math.round(p.similarity * 100)}%`],
          ['同一信访人', (p) => (p.same_person ? '是' : '')],
          ['', (p) => (write ? h('button', { type: 'button', onclick: async () => {
            await ui.api(`/petitions/${p.later.id}/repeat`, { method: 'POST', body: { earlier: p.earlier.id } });
            ui.route();
          } }, '认定为重复信访') : null)],
        ], r.items)
        : h('p.muted.empty', null, '没有疑似重复的信访件。'));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  function show(main, opts) {
    const { ui, parts } = opts;
    const acct = ui.account();
    if (!acct || !READ.includes(acct.role)) {
      document.title = '信访台账 · 平安';
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看信访台账。', true));
      return;
    }
    const sub = parts[1];
    if (!sub) return showDesk(main, opts);
    if (sub === 'new') return WRITE.includes(acct.role) ? showNew(main, opts) : main.replaceChildren(ui.message('无权访问', '您的账号不能登记信访。', true));
    if (sub === 'stats') return showStats(main, opts);
    if (sub === 'visits') return showVisits(main, opts);
    if (sub === 'pairs') return showPairs(main, opts);
    return showCase(main, sub, opts);
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['petitions'],
    navPages(role) {
      return READ.includes(role) ? [['petitions', '信访台账', '#/petitions']] : [];
    },
    show,
  });

  // ---------------------------------------------------------------- the petitioner's page

  // #/public/petition[/CODE]: no account; the public API only.
  function showPublic(app, { code, ui, frame }) {
    const { h } = ui;
    document.title = '信访事项查询 · 平安';
    const input = h('input', { name: 'code', value: code || '', maxlength: '10', autocomplete: 'off', 'aria-label': '查询码' });
    const form = h('form.public-track-form', null, h('label', null, '查询码 ', input), h('button.primary', { type: 'submit' }, '查询'));
    const out = h('div.petition-public');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      ui.go(`#/public/petition/${enc(input.value.trim().toUpperCase())}`);
    });
    app.replaceChildren(frame(ui, '信访事项查询', h('h1', null, '信访事项办理进度查询'), form, out));
    const c = (code || '').trim().toUpperCase();
    if (!c) return;
    if (!CODE_RE.test(c)) {
      out.replaceChildren(h('p.text-error', null, '查询码应为 10 位字母和数字。'));
      return;
    }
    const draw = (v) => {
      const rateForm = h('form.petition-rate', null,
        h('h2', null, '评价（两个满意）'),
        h('label', null, '对办理过程 ', h('select', { name: 'handling' }, ...opts(h, RATINGS, 'satisfied'))),
        h('label', null, '对办理结果 ', h('select', { name: 'result' }, ...opts(h, RATINGS, 'satisfied'))),
        h('button.primary', { type: 'submit', id: 'petition-rate' }, '提交评价'));
      rateForm.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
          draw(await ui.api(`/public/petitions/${enc(c)}/rating`, { method: 'POST', body: { handling: rateForm.handling.value, result: rateForm.result.value }, auth: false }));
        } catch (e) {
          rateForm.append(h('p.text-error', null, e.message));
        }
      });
      out.replaceChildren(...[
        h('dl.facts', null,
          ui.h('div.fact', null, h('dt', null, '信访事项'), h('dd', null, v.title)),
          ui.h('div.fact', null, h('dt', null, '状态'), h('dd', { id: 'public-petition-status' }, v.status_name)),
          ui.h('div.fact', null, h('dt', null, '登记时间'), h('dd', null, ui.fmtTime(v.received_at).slice(0, 16))),
          v.node_name ? ui.h('div.fact', null, h('dt', null, '当前节点'), h('dd', null, `${v.node_name}，期限 ${ui.fmtTime(v.deadline).slice(0, 16)}`)) : null,
          v.window_until ? ui.h('div.fact', null, h('dt', null, '可申请复查/复核至'), h('dd', null, ui.fmtTime(v.window_until).slice(0, 16))) : null),
        h('h2', null, '办理程序'),
        h('ol.timeline', null, ...v.nodes.map((n) => h('li', null, h('strong', null, n.action_name), ' ',
          h('span.muted.small', null, ui.fmtTime(n.at).slice(0, 16)), n.deadline ? h('span.muted.small', null, `，下一期限 ${ui.fmtTime(n.deadline).slice(0, 16)}`) : null,
          n.outcome_name ? h('span', null, `（${n.outcome_name}）`) : null))),
        v.result ? [h('h2', null, '办理结果'), h('p', { id: 'public-petition-result' }, `${v.result.outcome_name}${v.result.text ? `：${v.result.text}` : ''}`)] : null,
        v.rating ? h('p', { id: 'public-petition-rated' }, `您的评价：办理${v.rating.handling_name}，结果${v.rating.result_name}。感谢您的评价。`) : null,
        v.can_rate ? rateForm : null,
      ].flat().filter(Boolean));
    };
    ui.api(`/public/petitions/${enc(c)}`, { auth: false })
      .then(draw)
      .catch((e) => out.replaceChildren(h('p.text-error', null, e.status === 404 ? '查询码不存在。' : e.message)));
  }

  (window.PinganPublicPages = window.PinganPublicPages || []).push({ page: 'petition', show: showPublic });
})();
