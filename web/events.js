// Pingan (平安) work orders (工单) of the closed loop: 待办 (#/inbox), the
// desks (#/desk: 调度台 for the centre, 部门工作台 for a department's
// handlers, the grid's or the county's events for everyone else) and the
// event page (#/events/ID) with its map, photos, timeline and the steps the
// caller may take now.
//
// Plain ES2020, no framework. Loaded after registry.js (formFields, pager),
// places.js (linkTable, filterForm, listHash) and map.js (loadLeaflet), and
// before app.js, whose router calls PinganEvents.show(). The buttons of the
// event page are exactly the server's `allowed` (src/domain/workflow.c);
// each opens a small form with what its step needs. The server decides and
// re-checks everything; a refused step shows its message and the page is
// reloaded with what is allowed now. Every string from the server goes into
// the page as text, never as HTML.
'use strict';

(() => {
  const PAGE = 20; // as the registry's pager
  const enc = encodeURIComponent;
  const reg = () => window.PinganRegistry;
  const lists = () => window.PinganPlaces.lists;
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');

  // The statuses of src/domain/workflow.c, in the loop's order.
  const STATUSES = [
    ['reported', '待立案'],
    ['registered', '待派遣'],
    ['dispatched', '待签收'],
    ['accepted', '处置中'],
    ['handled', '待核查'],
    ['suspended', '挂起'],
    ['closed', '已结案'],
    ['evaluated', '已评价'],
    ['rejected', '不予立案'],
    ['merged', '已合并'],
  ];
  const STATUS_NAMES = Object.fromEntries(STATUSES);
  const OPEN = 'reported,registered,dispatched,accepted,handled,suspended';
  const LIGHTS = [
    ['red', '红灯', '已超时'],
    ['yellow', '黄灯', '临近时限'],
    ['green', '绿灯', '时限内'],
  ];
  const LIGHT_NAMES = Object.fromEntries(LIGHTS.map(([k, n]) => [k, n]));
  const LIGHT_HINTS = Object.fromEntries(LIGHTS.map(([k, , t]) => [k, t]));
  const SOURCE_NAMES = {
    grid_worker: '网格员上报',
    resident: '群众上报',
    hotline: '热线电话',
    video: '视频告警',
    department: '部门移交',
    inspection: '巡查发现',
  };
  const STEP_NAMES = { desk: '综治中心立案派遣', accept: '部门签收', handle: '部门处置', verify: '综治中心核查' };

  // What each step is called and what its form asks for (workflow.h's
  // NEED_*): fields are [name, required]; `tone` colours the button.
  const ACTIONS = {
    register: { label: '立案', fields: [['minor', true], ['note', false]], tone: 'primary' },
    reject: { label: '不予立案', fields: [['reason', true]], tone: 'danger' },
    dispatch: { label: '派遣', fields: [['department', true], ['co_departments', false], ['note', false]], tone: 'primary' },
    accept: { label: '签收', fields: [['note', false]], tone: 'primary' },
    return: { label: '退回', fields: [['reason', true]], tone: 'danger' },
    handle: { label: '处置反馈', fields: [['note', true]], tone: 'primary' },
    resolve: { label: '现场解决', fields: [['minor', false], ['note', true]], tone: 'primary' },
    close: { label: '核查结案', fields: [['note', false]], tone: 'primary' },
    reopen: { label: '核查不通过', fields: [['reason', true]], tone: 'danger' },
    evaluate: { label: '评价', fields: [['rating', true], ['comment', false]], tone: 'primary' },
    rate_handling: { label: '考评处置', fields: [['rating', true], ['comment', false]] },
    request_extension: { label: '申请延期', fields: [['hours', true], ['reason', true]] },
    grant_extension: { label: '同意延期', fields: [['note', false]], tone: 'primary' },
    refuse_extension: { label: '不同意延期', fields: [['reason', true]], tone: 'danger' },
    escalate: { label: '上报上级', fields: [['note', false]] },
    suspend: { label: '挂起', fields: [['reason', true]] },
    resume: { label: '恢复', fields: [['note', false]] },
    merge: { label: '合并', fields: [['into', true]] },
    comment: { label: '备注', fields: [['note', true]] },
  };
  // The timeline's action names for the steps that are not buttons.
  const TIMELINE_NAMES = { report: '上报' };
  // Labels of the form fields; the note's label depends on the step.
  const FIELD_LABELS = {
    minor: '事件分类',
    note: '说明',
    reason: '原因',
    department: '牵头部门',
    co_departments: '协办部门',
    rating: '评分',
    comment: '评价意见',
    hours: '延期时长（小时）',
    into: '并入事件编号',
  };
  const NOTE_LABELS = { handle: '处置情况', resolve: '处置情况', comment: '备注内容', close: '核查意见' };
  const RATINGS = [
    ['5', '5 分 · 非常满意'],
    ['4', '4 分 · 满意'],
    ['3', '3 分 · 基本满意'],
    ['2', '2 分 · 不满意'],
    ['1', '1 分 · 非常不满意'],
  ];

  const CENTRE = ['admin', 'dispatcher'];
  const READERS = ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'mediator', 'petition_officer'];
  const canRead = (role) => READERS.includes(role);
  const eventHref = (id) => '#/events/' + enc(id);
  // The desk's title by role.
  const deskTitle = (role) => (CENTRE.includes(role) ? '调度台' : role === 'handler' ? '部门工作台' : role === 'grid_worker' ? '网格事件' : '事件总览');

  // ---------------------------------------------------------------- reference data

  // The categories and departments change rarely: each is loaded once per
  // page load (again after a failure).
  const loaded = new Map(); // path -> Promise of its items
  const reference = (ui, path) => {
    if (!loaded.has(path)) {
      loaded.set(
        path,
        ui.api(path).then(
          (d) => (d && d.items) || [],
          (e) => {
            loaded.delete(path);
            throw e;
          }
        )
      );
    }
    return loaded.get(path);
  };
  const categories = (ui) => reference(ui, '/categories');
  const departments = (ui) => reference(ui, '/departments');

  // A select of the minor categories grouped by major ("" first: emptyLabel).
  function categorySelect(h, items, { name = 'minor', value = '', emptyLabel = '请选择事件分类' } = {}) {
    const groups = new Map();
    for (const c of items) {
      if (!groups.has(c.major)) groups.set(c.major, h('optgroup', { label: `${c.major} ${c.major_name}` }));
      groups.get(c.major).append(h('option', { value: c.minor }, `${c.minor} ${c.minor_name}`));
    }
    const s = h('select', { name }, h('option', { value: '' }, emptyLabel), [...groups.values()]);
    s.value = value || '';
    return s;
  }

  // ---------------------------------------------------------------- small views

  function lightBadge(ui, light, paused) {
    const { h } = ui;
    if (paused) return h('span.light.light-paused', { title: '挂起中，时限暂停计算' }, '暂停');
    if (!LIGHT_NAMES[light]) return h('span.muted', null, '—');
    return h('span.light', { class: `light-${light}`, title: LIGHT_HINTS[light], dataset: { light } }, LIGHT_NAMES[light]);
  }

  const statusBadge = (ui, e) => ui.h('span.badge.status', { dataset: { status: e.status } }, e.status_name || STATUS_NAMES[e.status] || e.status);
  const catName = (e) => (e.category ? e.category.minor_name : '');
  const levelOf = (ui, a) => (a ? ui.lvl(a) : '');

  // The queue and inbox table: one row an event, opening its page.
  function eventTable(ui, items) {
    const { h } = ui;
    return lists().linkTable(ui, 'events-table', items, eventHref, [
      ['时限', (e) => lightBadge(ui, e.light, e.paused), 'nowrap'],
      ['编号', (e) => h('span.mono', null, String(e.id)), 'num'],
      ['事件', (e) => h('a.event-desc', { href: eventHref(e.id) }, e.description), 'name'],
      ['分类', (e) => catName(e) || h('span.muted', null, '未分类')],
      ['所在网格', (e) => (e.area ? e.area.name : '')],
      ['状态', (e) => statusBadge(ui, e), 'nowrap'],
      ['处置层级', (e) => (e.handling_area ? `${e.handling_area.name}（${levelOf(ui, e.handling_area)}）` : '')],
      ['牵头部门', (e) => (e.department ? e.department.name : h('span.muted', null, '—'))],
      ['截止时间', (e) => (e.deadline ? ui.fmtTime(e.deadline).slice(0, 16) : h('span.muted', null, '—')), 'nowrap'],
    ]);
  }

  // ---------------------------------------------------------------- pages

  // opts {page: 'inbox'|'desk'|'events', id, params, signal, ui}
  function show(main, opts) {
    const { ui } = opts;
    const acct = ui.account();
    if (!acct || !canRead(acct.role) || !reg() || !window.PinganPlaces) {
      document.title = '工单 · 平安';
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看事件工单。', true));
      return;
    }
    if (opts.page === 'inbox') return showInbox(main, opts);
    if (opts.page === 'desk') return showDesk(main, opts);
    if (/^\d+$/.test(opts.id || '')) return showEvent(main, opts.id, opts);
    document.title = '页面不存在 · 平安';
    main.replaceChildren(ui.message('页面不存在', '您访问的页面不存在。', true));
  }

  // 待办: what waits on me, counted by light, the most urgent first.
  async function showInbox(main, { signal, ui }) {
    const { h } = ui;
    document.title = '待办 · 平安';
    const body = h('div.registry-body.events-body', null, h('p.muted.loading-text', null, '正在加载…'));
    const counts = h('div.light-counts', { id: 'inbox-counts' });
    main.replaceChildren(h('div.events-page.inbox-page', null, h('h1.page-title', null, '待办'), counts, body));
    ui.busy(true);
    try {
      const data = await ui.api('/inbox?limit=100', { signal });
      if (signal.aborted) return;
      counts.replaceChildren(
        h('div.light-count', { dataset: { light: 'total' } }, h('span.light-count-n', null, String(data.total ?? 0)), h('span', null, '待办合计')),
        ...LIGHTS.map(([k, name, hint]) =>
          h('div.light-count', { class: `light-count-${k}`, dataset: { light: k } }, h('span.light-count-n', null, String(data[k] ?? 0)), h('span', null, `${name} · ${hint}`))
        )
      );
      const items = data.items || [];
      body.replaceChildren(items.length ? h('div.table-wrap', null, eventTable(ui, items)) : h('p.muted.empty', null, '暂无待办事项。'));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // The desk: the events of the account's scope (a department's: its own),
  // filtered by status, light and category.
  async function showDesk(main, { params, signal, ui }) {
    const { h } = ui;
    const role = ui.account().role;
    const title = deskTitle(role);
    document.title = `${title} · 平安`;
    const f = {
      status: params.get('status') || (role === 'handler' ? 'dispatched,accepted' : OPEN),
      light: params.get('light') || '',
      minor: params.get('minor') || '',
    };
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const deskHash = (nf, o) => lists().listHash('desk', { ...nf, status: nf.status === OPEN ? '' : nf.status }, o);

    const statusSel = h(
      'select',
      { id: 'desk-status', name: 'status' },
      h('option', { value: OPEN }, '全部在办'),
      role === 'handler' ? h('option', { value: 'dispatched,accepted' }, '待签收和处置中') : null,
      STATUSES.map(([k, n]) => h('option', { value: k }, n)),
      h('option', { value: Object.keys(STATUS_NAMES).join(',') }, '全部状态')
    );
    statusSel.value = f.status;
    if (statusSel.value !== f.status) statusSel.value = OPEN;
    const lightSel = h('select', { id: 'desk-light', name: 'light' }, h('option', { value: '' }, '全部'), LIGHTS.map(([k, n, t]) => h('option', { value: k }, `${n}（${t}）`)));
    lightSel.value = f.light;
    const catBox = h('div.desk-cat', null, h('select', { id: 'desk-minor', name: 'minor', disabled: true }, h('option', { value: f.minor }, f.minor || '全部分类')));
    const field = (id, label, control) => h('div.field', null, h('label', { for: id }, label), control);
    const filters = lists().filterForm(
      ui,
      'desk-filters',
      [field('desk-status', '状态', statusSel), field('desk-light', '时限', lightSel), h('div.field', null, h('label', { for: 'desk-minor' }, '事件分类'), catBox)],
      () => {
        const minor = main.querySelector('#desk-minor');
        ui.go(deskHash({ status: statusSel.value, light: lightSel.value, minor: minor ? minor.value : '' }, 0));
      },
      '#/desk'
    );
    const body = h('div.registry-body.events-body', null, h('p.muted.loading-text', null, '正在加载…'));
    const intro =
      role === 'handler'
        ? `本部门（${ui.account().department || ''}）的工单：签收、处置反馈、退回或申请延期。`
        : CENTRE.includes(role)
          ? '统一受理、统一派单：立案、派遣、核查结案，红灯为已超时。'
          : '';
    main.replaceChildren(
      h('div.events-page.desk-page', { dataset: { role } }, h('h1.page-title', null, title), intro ? h('p.muted.page-intro', null, intro) : null, filters, body)
    );
    categories(ui)
      .then((items) => {
        if (signal.aborted) return;
        const s = categorySelect(h, items, { value: f.minor, emptyLabel: '全部分类' });
        s.id = 'desk-minor';
        catBox.replaceChildren(s);
      })
      .catch(() => {});

    const q = new URLSearchParams({ status: f.status, limit: String(PAGE), offset: String(offset) });
    if (f.light) q.set('light', f.light);
    if (f.minor) q.set('minor', f.minor);
    ui.busy(true);
    try {
      const data = await ui.api('/events?' + q.toString(), { signal });
      if (signal.aborted) return;
      const items = data.items || [];
      const total = Number(data.total ?? items.length);
      body.replaceChildren(
        ...(items.length
          ? [h('div.table-wrap', null, eventTable(ui, items)), reg().pager(ui, total, offset, items.length, (o) => ui.go(deskHash(f, o)), '件')]
          : [h('p.muted.empty', null, offset ? '没有更多事件。' : '没有符合条件的事件。')])
      );
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      body.replaceChildren(e.status === 403 ? ui.message('无权访问', e.message, true) : ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- the event page

  async function showEvent(main, id, { signal, ui }) {
    const { h } = ui;
    document.title = `事件 ${id} · 平安`;
    ui.busy(true);
    let ev;
    try {
      ev = await ui.api('/events/' + enc(id), { signal });
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      main.replaceChildren(
        e.status === 404 || e.status === 403
          ? ui.message('事件不存在或无权访问', e.message, true, h('a.button', { href: '#/inbox' }, '返回待办'))
          : ui.errorView(e, () => ui.route())
      );
      return;
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
    if (signal.aborted) return;
    renderEvent(main, ev, { signal, ui });
  }

  function renderEvent(main, ev, { signal, ui, notice }) {
    const { h, fact } = ui;
    document.title = `事件 ${ev.id} · 平安`;
    const dash = () => h('span.muted', null, '—');
    const or = (v) => (v === '' || v === null || v === undefined ? dash() : v);
    const chain = ev.area_chain || [];
    const names = new Map(chain.map((a) => [a.code, a.name]));
    const lead = (ev.departments || []).filter((d) => d.lead);
    const co = (ev.departments || []).filter((d) => !d.lead);
    const status = h('p.event-notice', { id: 'event-notice', role: 'status', hidden: !notice }, notice || '');
    const card = h(
      'article.card.event-card',
      { dataset: { id: String(ev.id), status: ev.status, light: ev.paused ? 'paused' : ev.light || '' } },
      h(
        'header.card-head',
        null,
        h('h1', { id: 'event-title' }, `事件 ${ev.id}`),
        statusBadge(ui, ev),
        lightBadge(ui, ev.light, ev.paused),
        ev.track_code ? h('span.muted.mono.small', { title: '查询码' }, ev.track_code) : null
      ),
      h('p.event-description', { id: 'event-description' }, ev.description),
      h(
        'dl.facts',
        null,
        fact('事件分类', ev.category ? `${ev.category.major_name} / ${ev.category.minor_name}` : h('span.muted', null, '未分类'), 'category'),
        fact('来源', SOURCE_NAMES[ev.source] || ev.source, 'source'),
        fact('所在区域', chain.length ? chain.map((a) => a.name).join(' / ') : ev.area ? ev.area.name : '', 'area'),
        fact('处置层级', ev.handling_area ? `${ev.handling_area.name}（${levelOf(ui, ev.handling_area)}）` : dash(), 'handling'),
        fact('当前环节', or(STEP_NAMES[ev.step] || ev.step), 'step'),
        fact('截止时间', ev.deadline ? h('span', null, ui.fmtTime(ev.deadline), ' ', lightBadge(ui, ev.light, ev.paused)) : dash(), 'deadline'),
        fact('牵头部门', lead.length ? lead.map((d) => d.name).join('、') : dash(), 'department'),
        fact('协办部门', co.length ? co.map((d) => d.name).join('、') : dash(), 'co_departments'),
        fact('地址', or(ev.address), 'address'),
        ev.reporter_name || ev.reporter_phone ? fact('报告人', [ev.reporter_name, ev.reporter_phone].filter(Boolean).join(' '), 'reporter') : null,
        fact('上报时间', ui.fmtTime(ev.created_at), 'created'),
        ev.escalations ? fact('升级次数', String(ev.escalations), 'escalations') : null,
        ev.extension_requested_hours ? fact('延期申请', `${ev.extension_requested_hours} 小时，待审批`, 'extension') : null,
        ev.merged_into ? fact('已并入', h('a', { href: eventHref(ev.merged_into) }, `事件 ${ev.merged_into}`), 'merged') : null,
        ev.rating ? fact('群众评价', `${ev.rating} 分${ev.rating_comment ? '：' + ev.rating_comment : ''}`, 'rating') : null,
        ev.handling_rating ? fact('处置考评', `${ev.handling_rating} 分`, 'handling_rating') : null
      )
    );
    const actions = actionPanel(main, ev, { signal, ui });
    const mapBox = h('section.card.event-map-card', null, h('h2', null, '位置'), h('div.event-map', { id: 'event-map', role: 'region', 'aria-label': '事件位置地图' }));
    const timeline = timelineView(ui, ev, names);
    main.replaceChildren(
      h(
        'div.events-page.event-page',
        null,
        h('nav.crumbs', { 'aria-label': '位置' }, h('ol', null, h('li', null, h('a', { href: '#/desk' }, deskTitle(ui.account().role))), h('li', { 'aria-current': 'page' }, `事件 ${ev.id}`))),
        status,
        card,
        actions,
        window.PinganDisputes ? window.PinganDisputes.eventSection(ev, ui) : null, // web/disputes.js
        h('div.event-columns', null, mapBox, h('div.event-side', null, timeline))
      )
    );
    drawMap(ui, signal, mapBox.querySelector('.event-map'), ev);
  }

  // The buttons of the steps the server allows now, and the form of the one chosen.
  function actionPanel(main, ev, ctx) {
    const { h } = ctx.ui;
    const allowed = (ev.allowed || []).filter((a) => ACTIONS[a]);
    const formBox = h('div.action-form-box');
    const buttons = allowed.map((a) =>
      h(
        'button',
        {
          type: 'button',
          class: ACTIONS[a].tone === 'primary' ? 'primary' : ACTIONS[a].tone === 'danger' ? 'button-danger' : 'ghost-dark',
          dataset: { action: a },
          onclick: (evt) => {
            for (const b of evt.currentTarget.parentNode.children) b.setAttribute('aria-pressed', b === evt.currentTarget ? 'true' : 'false');
            openForm(main, ev, a, formBox, ctx);
          },
        },
        ACTIONS[a].label
      )
    );
    return h(
      'section.card.event-actions',
      { id: 'event-actions', 'aria-label': '可办理的操作' },
      h('h2', null, '办理'),
      allowed.length ? h('div.action-buttons', null, buttons) : h('p.muted', { id: 'no-actions' }, '当前没有需要您办理的操作。'),
      formBox
    );
  }

  async function openForm(main, ev, action, box, ctx) {
    const { ui } = ctx;
    const { h } = ui;
    const spec = ACTIONS[action];
    const needs = spec.fields.map(([n]) => n);
    box.replaceChildren(h('p.muted', null, '正在加载…'));
    let cats = [];
    let depts = [];
    try {
      [cats, depts] = await Promise.all([
        needs.includes('minor') || needs.includes('department') ? categories(ui) : [],
        needs.includes('department') ? departments(ui) : [],
      ]);
    } catch (e) {
      if (e.status === 401) return;
      box.replaceChildren(h('p.text-error', { role: 'alert' }, e.message));
      return;
    }
    const { field, clear, show: showError } = reg().formFields(h, `act-${action}`);
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const controls = {};
    const area = (name, required) => h('textarea', { name, rows: '3', maxlength: name === 'note' ? '2000' : '500', required });
    const build = {
      minor: (req) => {
        // Without a category, the classifier's proposal is preselected: the
        // dispatcher confirms it or picks another (which teaches the model).
        const proposed = !ev.category && ev.proposal ? ev.proposal : null;
        const s = categorySelect(h, cats, {
          value: ev.category ? ev.category.minor : proposed ? proposed.minor : '',
          emptyLabel: req ? '请选择事件分类' : '不变',
        });
        const hint = proposed
          ? `智能分类建议：${proposed.minor_name || proposed.minor}（置信度 ${Math.round(proposed.score * 100)}%）${proposed.needs_review ? '，置信度低，请人工确认' : '，请确认或改选'}`
          : req
            ? '立案须确定事件的大类和小类'
            : null;
        const f = field('minor', FIELD_LABELS.minor, (controls.minor = s), { required: req, hint });
        if (proposed) f.dataset.proposed = proposed.minor;
        return f;
      },
      department: () => {
        const byName = new Map(depts.map((d) => [d.name, d.id]));
        const cat = ev.category && cats.find((c) => c.minor === ev.category.minor);
        const s = h('select', { name: 'department' }, depts.map((d) => h('option', { value: String(d.id) }, d.name)));
        const lead = (ev.departments || []).find((d) => d.lead);
        const preset = lead ? lead.id : cat ? byName.get(cat.department) : null;
        if (preset) s.value = String(preset);
        return field('department', FIELD_LABELS.department, (controls.department = s), {
          required: true,
          hint: cat ? `按分类“${cat.minor_name}”默认派给${cat.department}` : null,
        });
      },
      co_departments: () => {
        const current = new Set((ev.departments || []).filter((d) => !d.lead).map((d) => d.id));
        const group = h(
          'div.check-list',
          { role: 'group', tabindex: '-1' },
          depts.map((d) => h('label.check', null, h('input', { type: 'checkbox', name: 'co_departments', value: String(d.id), checked: current.has(d.id) }), h('span', null, d.name)))
        );
        controls.co_departments = group;
        return field('co_departments', FIELD_LABELS.co_departments, group, { wide: true, hint: '“1+5+N”：可选多个协办部门' });
      },
      rating: () => {
        const s = h('select', { name: 'rating' }, h('option', { value: '' }, '请选择'), RATINGS.map(([v, t]) => h('option', { value: v }, t)));
        return field('rating', FIELD_LABELS.rating, (controls.rating = s), { required: true });
      },
      hours: () => field('hours', FIELD_LABELS.hours, (controls.hours = h('input', { name: 'hours', type: 'number', min: '1', max: '720', step: '1', inputmode: 'numeric' })), { required: true, hint: '1–720 小时，按工作时间计' }),
      into: () => {
        const input = (controls.into = h('input', { name: 'into', type: 'text', inputmode: 'numeric', autocomplete: 'off' }));
        const f = field('into', FIELD_LABELS.into, input, { required: true, wide: true, hint: '同一问题的另一事件的编号' });
        // The possible duplicates (near by, about the same time, alike), as choices.
        const list = h('ul.dup-list', { id: 'dup-list', 'aria-label': '疑似重复事件' });
        f.append(list);
        ui.api(`/events/${enc(ev.id)}/duplicates`).then(
          (d) => {
            const items = (d && d.items) || [];
            list.replaceChildren(
              ...(items.length
                ? items.map((x) =>
                    h(
                      'li',
                      null,
                      h(
                        'button.ghost-dark',
                        { type: 'button', dataset: { id: String(x.id) }, onclick: () => { input.value = String(x.id); input.focus(); } },
                        `#${x.id}`
                      ),
                      ` 相似度 ${Math.round(x.similarity * 100)}%，相距 ${Math.round(x.distance_m)} 米：`,
                      h('span.muted', null, x.description)
                    )
                  )
                : [h('li.muted', null, '附近没有疑似重复的事件')])
            );
          },
          () => list.replaceChildren() // the form works without the suggestions
        );
        return f;
      },
    };
    const rows = spec.fields.map(([name, req]) => {
      if (build[name]) return build[name](req);
      const label = name === 'note' ? NOTE_LABELS[action] || FIELD_LABELS.note : FIELD_LABELS[name];
      return field(name, label, (controls[name] = area(name, req)), { required: req, wide: true });
    });
    const submit = h('button', { type: 'submit', class: spec.tone === 'danger' ? 'button-danger' : 'primary' }, `确认${spec.label}`);
    const form = h(
      'form.card.action-form',
      { id: `action-form`, dataset: { action }, novalidate: true },
      h('h3', null, spec.label),
      alert,
      h('div.action-fields', null, rows),
      h('div.form-actions', null, submit, h('button.ghost-dark', { type: 'button', onclick: () => box.replaceChildren() }, '取消'))
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(alert);
      const body = {};
      for (const [name, req] of spec.fields) {
        const c = controls[name];
        let v;
        if (name === 'co_departments') {
          v = [...c.querySelectorAll('input:checked')].map((x) => Number(x.value));
          if (v.length) body[name] = v;
          continue;
        }
        v = c.value.trim();
        if (!v) {
          if (req) return showError(name, `请填写${name === 'note' ? NOTE_LABELS[action] || FIELD_LABELS.note : FIELD_LABELS[name]}`, alert);
          continue;
        }
        if (['department', 'rating', 'hours', 'into'].includes(name)) {
          if (!/^\d+$/.test(v)) return showError(name, `${FIELD_LABELS[name]}应为整数`, alert);
          v = Number(v);
        }
        body[name] = v;
      }
      submit.disabled = true;
      try {
        const next = await ui.api(`/events/${enc(ev.id)}/actions/${enc(action)}`, { method: 'POST', body });
        if (ctx.signal.aborted) return;
        renderEvent(main, next, { ...ctx, notice: `已${spec.label}：${next.status_name || ''}` });
      } catch (err) {
        submit.disabled = false;
        if (err.status === 401) return;
        if (err.code === 'illegal_transition' || err.code === 'not_your_step' || err.status === 404) {
          // The event moved on meanwhile: show why and what is allowed now.
          const fresh = await ui.api('/events/' + enc(ev.id), { signal: ctx.signal }).catch(() => null);
          if (fresh && !ctx.signal.aborted) return renderEvent(main, fresh, { ...ctx, notice: err.message });
        }
        showError(err.field, err.message, alert);
      }
    });
    box.replaceChildren(form);
    const first = form.querySelector('select, textarea, input');
    if (first) first.focus();
  }

  // The photos of a timeline entry (the API's attachment objects: id, type,
  // width, height, url): thumbnails that open the full image in a viewer.
  // Only this server's own addresses are used: never a javascript: or
  // foreign link.
  function photoThumbs(ui, list) {
    const { h } = ui;
    const own = (u) => {
      try {
        const x = new URL(String(u), location.href);
        return x.origin === location.origin && /^https?:$/.test(x.protocol) ? x.pathname + x.search : null;
      } catch (e) {
        return null;
      }
    };
    const photos = (Array.isArray(list) ? list : []).filter((a) => a && own(a.url));
    if (!photos.length) return null;
    return h(
      'ul.photo-list.timeline-photos',
      null,
      photos.map((a) => {
        const url = own(a.url);
        const alt = `照片 ${a.id}` + (a.width && a.height ? `（${a.width}×${a.height}）` : '');
        return h(
          'li',
          { dataset: { attachment: String(a.id) } },
          h('a.photo-link', { href: url, title: '查看原图', onclick: (e) => { e.preventDefault(); viewPhoto(ui, url, alt); } }, h('img', { src: url, alt, loading: 'lazy' }))
        );
      })
    );
  }

  // The full image over the page (the server sends photos as downloads,
  // so a plain link would save the file instead of showing it).
  function viewPhoto(ui, url, alt) {
    const { h } = ui;
    const old = document.getElementById('photo-viewer');
    if (old) old.remove();
    const dialog = h(
      'dialog.photo-viewer',
      { id: 'photo-viewer', 'aria-label': alt },
      h('img', { src: url, alt }),
      h(
        'div.form-actions',
        null,
        h('a.button.ghost-dark', { href: url, download: '' }, '下载原图'),
        h('button.primary', { type: 'button', onclick: () => dialog.close() }, '关闭')
      )
    );
    dialog.addEventListener('close', () => dialog.remove());
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) dialog.close(); // a click beside the picture
    });
    document.body.append(dialog);
    dialog.showModal();
  }

  function timelineView(ui, ev, names) {
    const { h } = ui;
    const deptName = (id) => ((ev.departments || []).find((d) => d.id === id) || {}).name || `部门 ${id}`;
    const area = (code) => names.get(code) || code;
    const detailText = (t) => {
      const d = t.detail || {};
      const out = [];
      if (d.department) out.push(`牵头部门：${deptName(d.department)}`);
      if (Array.isArray(d.co_departments) && d.co_departments.length) out.push(`协办部门：${d.co_departments.map(deptName).join('、')}`);
      if (d.minor) out.push(`分类：${d.minor}`);
      if (d.rating) out.push(`评分：${d.rating} 分`);
      if (d.hours) out.push(`延期：${d.hours} 小时`);
      if (d.into) out.push(`并入事件 ${d.into}`);
      if (d.from) out.push(`并入了事件 ${d.from}`);
      if (d.from_area && d.to_area) out.push(`处置层级：${area(d.from_area)} → ${area(d.to_area)}`);
      return out.join('；');
    };
    const items = (ev.timeline || []).map((t) => {
      const moved = t.from && t.to && t.from !== t.to;
      const note = t.action === 'report' ? SOURCE_NAMES[t.note] || t.note : t.note;
      const detail = detailText(t);
      return h(
        'li.timeline-item',
        { dataset: { action: t.action } },
        h('div.timeline-head', null, h('strong', null, t.action_name || TIMELINE_NAMES[t.action] || t.action), moved || !t.from ? h('span.muted', null, ` → ${STATUS_NAMES[t.to] || t.to}`) : null),
        h('div.timeline-meta.muted.small', null, ui.fmtTime(t.at), ' · ', t.actor === 'system' ? '系统' : t.actor),
        note ? h('p.timeline-note', null, note) : null,
        detail ? h('p.timeline-detail.small', null, detail) : null,
        photoThumbs(ui, t.attachments)
      );
    });
    const photos = (ev.attachments || []).length;
    return h(
      'section.card.event-timeline',
      { id: 'event-timeline' },
      h('h2', null, '办理过程', photos ? h('span.muted.small', { id: 'event-photo-count' }, ` · 照片 ${photos} 张`) : null),
      h('ol.timeline', null, items)
    );
  }

  // The map of the event page shown last: one at a time, dropped when the
  // page is left or drawn again after a step.
  let liveMap = null;
  function dropMap() {
    const map = liveMap;
    liveMap = null;
    try {
      if (map) map.remove();
    } catch (e) {
      // Leaflet fails to remove a map whose element has left the page: it goes with it.
    }
  }

  // The event's area (its micro-grid when it has a point) and the point, on
  // a map without tiles; removed when the page is left.
  async function drawMap(ui, signal, el, ev) {
    const { h } = ui;
    const code = ev.area && ev.area.code;
    if (!code || !window.PinganMap || !window.PinganMap.loadLeaflet) {
      el.replaceChildren(h('p.muted', null, '无法显示地图。'));
      return;
    }
    try {
      const [L, geo] = await Promise.all([window.PinganMap.loadLeaflet(), ui.api(`/areas/${enc(code)}/map`, { signal })]);
      if (signal.aborted || !el.isConnected) return;
      dropMap();
      const map = L.map(el, { attributionControl: false, zoomControl: false, trackResize: false, zoomSnap: 0.5, maxZoom: 19 });
      liveMap = map;
      L.control.zoom({ position: 'topleft', zoomInTitle: '放大', zoomOutTitle: '缩小' }).addTo(map);
      signal.addEventListener('abort', () => {
        if (liveMap === map) dropMap();
      });
      // The view first: Leaflet draws vectors only on a map that has one.
      const hasPoint = Number.isFinite(ev.lng) && Number.isFinite(ev.lat);
      const bounds = L.latLngBounds([]);
      if (Array.isArray(geo.bbox) && geo.bbox.length === 4) bounds.extend(L.latLngBounds([geo.bbox[1], geo.bbox[0]], [geo.bbox[3], geo.bbox[2]]));
      if (hasPoint) bounds.extend([ev.lat, ev.lng]);
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
      else map.setView([33.4, 115.1], 10);
      L.geoJSON(geo.outline || null, { interactive: false, style: { color: '#2463c4', weight: 2, fillOpacity: 0.08 } }).addTo(map);
      L.geoJSON({ type: 'FeatureCollection', features: geo.features || [] }, { interactive: false, style: { color: '#7b1fa2', weight: 1, fillOpacity: 0.03 } }).addTo(map);
      if (hasPoint) L.circleMarker([ev.lat, ev.lng], { radius: 8, color: '#fff', weight: 2, fillColor: '#c62828', fillOpacity: 1, className: 'event-point' }).addTo(map);
      el.dataset.area = code;
      el.after(h('p.muted.small.event-map-caption', null, geo.area ? `${geo.area.name}${geo.area.level_name ? '（' + geo.area.level_name + '）' : ''}` : '', hasPoint ? `，坐标 ${ev.lng.toFixed(6)}, ${ev.lat.toFixed(6)}` : '，未提供坐标'));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      el.replaceChildren(h('p.text-error', null, e.message || '地图加载失败'));
    }
  }

  const navPages = (role) => {
    if (!canRead(role)) return [];
    return [
      ['inbox', '待办', '#/inbox'],
      ['desk', deskTitle(role), '#/desk'],
    ];
  };

  window.PinganEvents = Object.freeze({ show, canRead, navPages, categories, categorySelect, eventHref, RATINGS });
})();
