// Pingan (平安) special groups (特殊人群) and visits (走访).
//
// Plain ES2020, no framework. Loaded before app.js, whose router calls
// PinganGroups.show() for #/groups (the list with its due / overdue filter);
// web/registry.js adds PinganGroups.personSections() (特殊人群, 走访记录) to
// the person card. app.js lends its helpers (api, h, fmtTime, …) in ui. Every
// string from the server goes into the page as text, never as HTML.
//
// Special-group membership is sensitive: only the roles in ROLES see it (the
// server answers 403 to the others); ID numbers come masked from the server.
'use strict';

(() => {
  const PAGE = 20;
  const ROLES = ['admin', 'dispatcher', 'grid_worker'];
  const canRead = (role) => ROLES.includes(role);
  const canWrite = (role) => ROLES.includes(role);

  // The six groups, in the order of their usual codes (01–06).
  const TYPES = [
    ['released', '刑满释放人员'],
    ['correction', '社区矫正人员'],
    ['mental', '严重精神障碍患者'],
    ['drug', '吸毒人员'],
    ['aids', '艾滋病危险人员'],
    ['youth', '重点青少年'],
  ];
  const TYPE_NAMES = Object.fromEntries(TYPES);
  const RISKS = [
    ['low', '低'],
    ['medium', '中'],
    ['high', '高'],
  ];
  const RISK_NAMES = Object.fromEntries(RISKS);
  // 危险性评估等级, 《严重精神障碍管理治疗工作规范》.
  const DANGER = [
    '无1–5级任何行为',
    '口头威胁、喊叫，无打砸',
    '打砸，限于家里，针对财物，能被劝止',
    '明显打砸，不分场合，针对财物，不能劝止',
    '持续打砸，不分场合，针对财物或人，不能劝止（含自伤、自杀）',
    '持械针对人的暴力，或纵火、爆炸，不分场合',
  ];
  // "五位一体": the people responsible for one person.
  const GUARDIAN_ROLES = ['网格员', '民警', '医生', '监护人', '村干部', '其他'];
  const FIVE_IN_ONE = ['网格员', '民警', '医生', '监护人', '村干部'];
  const STATES = { ok: '正常', due: '即将到期', overdue: '已逾期' };
  const DUE_FILTER = [
    ['all', '全部'],
    ['due', '即将到期'],
    ['overdue', '已逾期'],
  ];
  const KINDS = [
    ['home', '入户走访'],
    ['phone', '电话走访'],
    ['meeting', '约见面谈'],
  ];
  const KIND_NAMES = Object.fromEntries(KINDS);

  const enc = encodeURIComponent;
  const personHref = (id) => '#/people/' + enc(id);
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');

  // ---------------------------------------------------------------- small parts

  function stateBadge(ui, s) {
    if (!s) return '';
    return ui.h('span.badge.due-state', { dataset: { state: s } }, STATES[s] || s);
  }

  function riskBadge(ui, r) {
    if (!r) return ui.h('span.muted', null, '—');
    return ui.h('span.badge.risk', { dataset: { risk: r } }, RISK_NAMES[r] || r);
  }

  function dangerText(ui, g) {
    const d = g.danger_level;
    if (d === null || d === undefined) return ui.h('span.muted', null, '—');
    return ui.h('span.danger', { title: DANGER[d] || null, dataset: { level: String(d) } }, `${d}级`);
  }

  function cycleText(days) {
    const n = Number(days);
    if (!n) return '';
    if (n === 7) return '每周';
    if (n === 30) return '每月';
    return `每 ${n} 天`;
  }

  // A yyyy-mm-ddThh:mm of an <input type=datetime-local>, read in Shanghai;
  // null if it is no such time.
  const localToIso = (v) => {
    const d = new Date(`${v}:00+08:00`);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  };

  // ---------------------------------------------------------------- #/groups

  function readFilter(params) {
    const type = TYPE_NAMES[params.get('type')] ? params.get('type') : '';
    const due = DUE_FILTER.some(([k]) => k === params.get('due')) ? params.get('due') : 'all';
    return { type, due, area: params.get('area') || '' };
  }

  function listHash(f, offset) {
    const q = new URLSearchParams();
    if (f.type) q.set('type', f.type);
    if (f.due && f.due !== 'all') q.set('due', f.due);
    if (f.area) q.set('area', f.area);
    if (offset) q.set('offset', String(offset));
    const s = q.toString();
    return '#/groups' + (s ? '?' + s : '');
  }

  // opts {params, signal, ui}
  async function show(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '特殊人群 · 平安';
    const acct = ui.account();
    if (!acct || !canRead(acct.role)) {
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看特殊人群信息。', true));
      return;
    }
    const f = readFilter(params);
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);

    const form = filterForm(ui, f);
    const body = h('div.registry-body.groups-body', null);
    const existing = main.querySelector('.groups-page');
    if (!existing) {
      main.replaceChildren(h('div.groups-page', null, h('div.page-head', null, h('h1.page-title', null, '特殊人群')), form.el, body));
    } else {
      // Keep the old table visible while the next page loads.
      existing.querySelector('form').replaceWith(form.el);
      body.replaceChildren(...existing.querySelector('.groups-body').childNodes);
      existing.querySelector('.groups-body').replaceWith(body);
    }

    const q = new URLSearchParams();
    if (f.type) q.set('type', f.type);
    q.set('due', f.due);
    if (f.area) q.set('area', f.area);
    q.set('limit', String(PAGE));
    q.set('offset', String(offset));

    ui.busy(true);
    try {
      const [data, area] = await Promise.all([
        ui.api('/groups?' + q.toString(), { signal }),
        f.area ? ui.api('/areas/' + enc(f.area), { signal }).catch(() => null) : null,
      ]);
      if (signal.aborted) return;
      if (area) form.showArea(area);
      body.replaceChildren(...groupsTable(ui, data, f, offset));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      if (e.status === 403) body.replaceChildren(ui.message('无权访问', e.message, true));
      else if (e.status === 404) body.replaceChildren(ui.message('区域不存在或无权访问', e.message, true));
      else if (e.status === 400) body.replaceChildren(ui.message('查询条件有误', e.message, true, h('a.button', { href: '#/groups' }, '重置查询')));
      else body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  function filterForm(ui, f) {
    const { h } = ui;
    const typeSelect = h(
      'select',
      { id: 'groups-type', name: 'type' },
      h('option', { value: '' }, '全部'),
      TYPES.map(([k, label]) => h('option', { value: k }, label))
    );
    typeSelect.value = f.type;
    const dueSelect = h(
      'select',
      { id: 'groups-due', name: 'due' },
      DUE_FILTER.map(([k, label]) => h('option', { value: k }, label))
    );
    dueSelect.value = f.due;
    const apply = () => ui.go(listHash({ type: typeSelect.value, due: dueSelect.value, area: f.area }, 0));
    typeSelect.addEventListener('change', apply);
    dueSelect.addEventListener('change', apply);

    const areaNote = h('div.area-filter', { hidden: !f.area });
    const renderArea = (name) => {
      areaNote.replaceChildren(
        h('span.muted', null, '限定区域：'),
        h('a', { href: ui.areaHref(f.area) }, name || f.area),
        h('a.clear-filter', { href: listHash({ ...f, area: '' }, 0), title: '取消区域限定' }, '清除')
      );
    };
    if (f.area) renderArea('');

    const el = h(
      'form.filters.groups-filters',
      {
        id: 'groups-filters',
        novalidate: true,
        onsubmit: (ev) => {
          ev.preventDefault();
          apply();
        },
      },
      h('div.field', null, h('label', { for: 'groups-type' }, '类型'), typeSelect),
      h('div.field', null, h('label', { for: 'groups-due' }, '状态'), dueSelect),
      h(
        'div.filter-actions',
        null,
        h('button.primary', { type: 'submit' }, '查询'),
        h('button.ghost-dark', { type: 'button', onclick: () => ui.go('#/groups') }, '重置')
      ),
      areaNote
    );
    return { el, showArea: (a) => renderArea(a.name) };
  }

  function groupsTable(ui, data, f, offset) {
    const { h } = ui;
    const items = (data && data.items) || [];
    const total = Number((data && data.total) ?? items.length);
    if (!items.length) {
      const text = offset
        ? '没有更多记录。'
        : f.due === 'overdue'
          ? '没有已逾期未走访的人员。'
          : f.due === 'due'
            ? '没有即将到期需走访的人员。'
            : '没有符合条件的特殊人群。';
      return [h('p.muted.empty', null, text)];
    }
    const rows = items.map((g) => {
      const p = g.person || {};
      return h(
        'tr',
        {
          dataset: { id: String(g.id), person: String(p.id ?? ''), state: g.state || '' },
          onclick: (ev) => {
            if (ev.target.closest('a') || p.id === undefined) return;
            ui.go(personHref(p.id));
          },
        },
        h('td.name', { 'data-label': '姓名' }, p.id !== undefined ? h('a', { href: personHref(p.id) }, p.name || `人员 ${p.id}`) : p.name || ''),
        h('td.mono.nowrap', { 'data-label': '证件号码' }, p.id_number || h('span.muted', null, '—')),
        h('td', { 'data-label': '类型' }, g.type_name || TYPE_NAMES[g.type] || g.type || ''),
        h('td', { 'data-label': '风险等级' }, riskBadge(ui, g.risk_level)),
        h('td', { 'data-label': '危险性等级' }, dangerText(ui, g)),
        h('td.nowrap', { 'data-label': '走访周期', title: g.visit_every_days ? `${g.visit_every_days} 天` : null }, cycleText(g.visit_every_days)),
        h('td.nowrap', { 'data-label': '上次走访' }, g.last_visit_at ? ui.fmtDate(g.last_visit_at) : h('span.muted', null, '未走访')),
        h('td.nowrap', { 'data-label': '下次应访' }, ui.fmtDate(g.next_due_at)),
        h('td', { 'data-label': '状态' }, stateBadge(ui, g.state)),
        h('td', { 'data-label': '所属网格', title: g.area ? g.area.code : null }, g.area ? g.area.name : '')
      );
    });
    const from = offset + 1;
    const to = offset + items.length;
    return [
      h(
        'div.table-wrap',
        null,
        h(
          'table.data-table.groups-table',
          null,
          h(
            'thead',
            null,
            h('tr', null, ['姓名', '证件号码', '类型', '风险等级', '危险性等级', '走访周期', '上次走访', '下次应访', '状态', '所属网格'].map((t) => h('th', null, t)))
          ),
          h('tbody', null, rows)
        )
      ),
      h(
        'div.pager',
        null,
        h('span.muted.pager-total', null, `共 ${total} 条，当前第 ${from}–${to} 条`),
        h(
          'span.pager-buttons',
          null,
          h('button.ghost-dark', { type: 'button', disabled: offset <= 0, onclick: () => ui.go(listHash(f, Math.max(0, offset - PAGE))) }, '上一页'),
          h('button.ghost-dark', { type: 'button', disabled: to >= total, onclick: () => ui.go(listHash(f, offset + PAGE)) }, '下一页')
        )
      ),
    ];
  }

  // ---------------------------------------------------------------- person card

  // The 特殊人群 and 走访记录 sections of person p's card, or [] for a role
  // that may not see them. They load at once; a saved group or visit reloads
  // both (a visit moves the groups' next due date).
  function personSections(p, ui) {
    const acct = ui.account();
    if (!acct || !canRead(acct.role)) return [];
    const writer = canWrite(acct.role);
    const groups = groupsSection(p, ui, writer, () => refresh());
    const visits = visitsSection(p, ui, writer, () => refresh());
    const page = ui.pageSignal && ui.pageSignal();
    let ctl = null;
    const refresh = () => {
      if (ctl) ctl.abort();
      ctl = new AbortController();
      if (page) {
        if (page.aborted) return;
        page.addEventListener('abort', () => ctl.abort(), { once: true });
      }
      groups.load(ctl.signal);
      visits.load(ctl.signal);
    };
    refresh();
    return [groups.el, visits.el];
  }

  function groupsSection(p, ui, writer, changed) {
    const { h } = ui;
    const count = h('span.count', { hidden: true });
    const body = h('div.person-groups-body', null, h('p.muted.loading-text', null, '正在加载…'));
    const dialog = writer ? groupDialog(p, ui, changed) : null;
    const el = h(
      'section.card.person-groups',
      { 'aria-labelledby': 'person-groups-title' },
      h(
        'div.section-head',
        null,
        h('h2', { id: 'person-groups-title' }, '特殊人群', count),
        writer ? h('button.primary', { type: 'button', id: 'group-add', onclick: () => dialog.open() }, '登记为特殊人群') : null
      ),
      body,
      dialog ? dialog.el : null
    );

    const load = async (signal) => {
      try {
        const [data, spec] = await Promise.all([
          ui.api(`/people/${enc(p.id)}/groups`, { signal }),
          window.PinganTypeFields.load(ui).catch(() => ({ group: {} })), // the items then show by their keys
        ]);
        if (signal.aborted) return;
        const items = (data && data.items) || [];
        count.textContent = String(items.length);
        count.hidden = false;
        body.replaceChildren(
          items.length ? h('div.group-list', null, items.map((g) => groupItem(ui, g, spec.group[g.type] || []))) : h('p.muted.empty', null, '未登记为特殊人群。')
        );
      } catch (e) {
        if (isAbort(e, signal) || e.status === 401) return;
        body.replaceChildren(h('p.text-error.empty', { role: 'alert' }, e.status === 403 ? '您的账号无权查看特殊人群信息。' : `特殊人群加载失败：${e.message}`));
      }
    };
    return { el, load };
  }

  // defs: the items of the group's own ledger (PinganTypeFields), in order.
  function groupItem(ui, g, defs) {
    const { h } = ui;
    const fact = (label, value, key) => ui.fact(label, value === '' || value == null ? h('span.muted', null, '—') : value, key);
    const guardians = (g.guardians || []).filter((x) => x && x.name);
    const fields = g.fields && typeof g.fields === 'object' ? g.fields : {};
    const known = new Set(defs.map((d) => d.key));
    const shown = (v) => v !== undefined && v !== null && v !== '';
    const extra = [
      ...defs.filter((d) => shown(fields[d.key])),
      ...Object.keys(fields)
        .filter((k) => !known.has(k) && shown(fields[k]))
        .map((k) => ({ key: k, label: k, kind: 'text' })),
    ];
    return h(
      'article.group-item',
      { dataset: { id: String(g.id), type: g.type || '', state: g.state || '' } },
      h('header.group-head', null, h('h3', null, g.type_name || TYPE_NAMES[g.type] || g.type || ''), stateBadge(ui, g.state)),
      h(
        'dl.facts.group-facts',
        null,
        fact('风险等级', riskBadge(ui, g.risk_level), 'risk_level'),
        g.type === 'mental' || (g.danger_level !== null && g.danger_level !== undefined)
          ? fact(
              '危险性评估等级',
              g.danger_level === null || g.danger_level === undefined
                ? ''
                : h('span', null, `${g.danger_level}级`, DANGER[g.danger_level] ? h('span.muted.small', null, `（${DANGER[g.danger_level]}）`) : null),
              'danger_level'
            )
          : null,
        fact('走访周期', g.visit_every_days ? `${cycleText(g.visit_every_days)}（${g.visit_every_days} 天）` : '', 'visit_every_days'),
        fact('上次走访', g.last_visit_at ? ui.fmtTime(g.last_visit_at) : h('span.muted', null, '未走访'), 'last_visit_at'),
        fact('下次应访', ui.fmtDate(g.next_due_at), 'next_due_at'),
        g.since ? fact('列管日期', g.since, 'since') : null,
        fact(
          '帮扶责任人',
          guardians.length ? h('ul.guardians', null, guardians.map((x) => h('li', null, x.name, x.role ? h('span.muted', null, `（${x.role}）`) : null))) : '',
          'guardians'
        ),
        extra.map((d) => fact(d.label, window.PinganTypeFields.text(d, fields[d.key]), `field-${d.key}`))
      )
    );
  }

  // The 登记为特殊人群 dialog: {el, open()}. changed() after a save.
  function groupDialog(p, ui, changed) {
    const { h } = ui;
    const { fields, field } = window.PinganRegistry.formFields(h, 'gf');

    const typeSelect = h(
      'select',
      { name: 'type', required: true },
      h('option', { value: '' }, '请选择'),
      TYPES.map(([k, label]) => h('option', { value: k }, label))
    );
    const riskSelect = h(
      'select',
      { name: 'risk_level', required: true },
      h('option', { value: '' }, '请选择'),
      RISKS.map(([k, label]) => h('option', { value: k }, label))
    );
    const dangerSelect = h(
      'select',
      { name: 'danger_level' },
      h('option', { value: '' }, '请选择'),
      DANGER.map((text, i) => h('option', { value: String(i) }, `${i}级：${text}`))
    );
    const sinceInput = h('input', { name: 'since', type: 'date' });
    const dangerField = field('danger_level', '危险性评估等级', dangerSelect, { required: true, wide: true });
    dangerField.hidden = true;

    // Type-specific items (GET /api/v1/meta/fields), redrawn when the type changes.
    const typeBox = h('div.group-type-fields');
    let spec = { group: {} };
    let defsShown = [];
    const drawTypeFields = (type) => {
      for (const k of Object.keys(fields)) if (k.startsWith('fields.')) delete fields[k];
      defsShown = spec.group[type] || [];
      typeBox.replaceChildren(
        ...defsShown.map((d) => field(`fields.${d.key}`, d.label, window.PinganTypeFields.control(h, d, `gf-fields-${d.key}`)))
      );
      typeBox.hidden = !defsShown.length;
    };

    // Guardian rows: name + role; rows left without a name are not sent.
    const rows = h('div.guardian-rows', { role: 'group', 'aria-label': '帮扶责任人' });
    const guardianError = h('p.field-error', { id: 'gf-guardians-error', hidden: true });
    let rowSeq = 0;
    const addRow = (role, name) => {
      const n = ++rowSeq;
      const nameInput = h('input', { type: 'text', name: 'guardian_name', maxlength: '32', autocomplete: 'off', 'aria-label': `帮扶责任人${n} 姓名`, placeholder: '姓名', value: name || '' });
      const roleSelect = h('select', { name: 'guardian_role', 'aria-label': `帮扶责任人${n} 角色` }, GUARDIAN_ROLES.map((r) => h('option', { value: r }, r)));
      roleSelect.value = role || '其他';
      const row = h(
        'div.guardian-row',
        null,
        nameInput,
        roleSelect,
        h('button.ghost-dark', { type: 'button', 'aria-label': `删除帮扶责任人${n}`, onclick: () => row.remove() }, '删除')
      );
      rows.append(row);
      return nameInput;
    };
    const fiveInOne = () => {
      rows.replaceChildren();
      const me = ui.account();
      for (const r of FIVE_IN_ONE) addRow(r, r === '网格员' && me.role === 'grid_worker' ? me.name || '' : '');
    };
    const guardianBox = h(
      'fieldset.guardians-field',
      { dataset: { field: 'guardians' }, 'aria-describedby': 'gf-guardians-error' },
      h('legend', null, '帮扶责任人（五位一体）'),
      h('p.hint.muted', null, '网格员、民警、医生、监护人、村干部等，未填姓名的行不保存。'),
      rows,
      guardianError,
      h('button.ghost-dark', { type: 'button', onclick: () => addRow('其他').focus() }, '添加一行')
    );

    typeSelect.addEventListener('change', () => {
      const mental = typeSelect.value === 'mental';
      dangerField.hidden = !mental;
      drawTypeFields(typeSelect.value);
    });

    const alert = h('div.alert', { role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, '登记');
    const form = h(
      'form',
      { novalidate: true },
      h('h2', { id: 'group-dialog-title' }, '登记为特殊人群'),
      h('p.muted', null, `将 ${p.name} 登记为特殊人群，走访周期由系统按人群类型和等级确定。`),
      alert,
      h(
        'div.group-form-grid',
        null,
        field('type', '人群类型', typeSelect, { required: true }),
        field('risk_level', '风险等级', riskSelect, { required: true }),
        dangerField,
        field('since', '列管日期', sinceInput, { hint: '可不填' })
      ),
      typeBox,
      guardianBox,
      h(
        'div.dialog-actions',
        null,
        h('button.ghost-dark', { type: 'button', onclick: () => dialog.close() }, '取消'),
        submit
      )
    );
    const dialog = h('dialog.dialog.group-dialog', { id: 'group-dialog', 'aria-labelledby': 'group-dialog-title' }, form);

    const clearErrors = () => {
      alert.hidden = true;
      alert.textContent = '';
      for (const f of Object.values(fields)) {
        f.error.hidden = true;
        f.error.textContent = '';
        f.control.removeAttribute('aria-invalid');
      }
      guardianError.hidden = true;
      guardianError.textContent = '';
      for (const c of rows.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
    };
    // sent: the guardian rows in the order they were sent, for guardians[i].
    const showError = (name, message, sent) => {
      const key = String(name || '');
      const g = key.match(/^guardians(?:\[(\d+)\])?(?:\.(name|role))?$/);
      if (g) {
        guardianError.textContent = message;
        guardianError.hidden = false;
        const row = g[1] !== undefined && sent ? sent[Number(g[1])] : null;
        const control = row ? (g[2] === 'role' ? row.role : row.name) : null;
        if (control) {
          control.setAttribute('aria-invalid', 'true');
          control.focus();
        }
        return;
      }
      const f = fields[key] || fields[`fields.${key.replace(/^fields[.[]/, '').replace(/\]$/, '')}`];
      if (!f || f.wrap.hidden) {
        alert.textContent = message;
        alert.hidden = false;
        return;
      }
      f.error.textContent = message;
      f.error.hidden = false;
      f.control.setAttribute('aria-invalid', 'true');
      f.control.focus();
    };

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors();
      const type = typeSelect.value;
      if (!type) return showError('type', '请选择人群类型');
      if (!riskSelect.value) return showError('risk_level', '请选择风险等级');
      const body = { type, risk_level: riskSelect.value };
      if (type === 'mental') {
        if (dangerSelect.value === '') return showError('danger_level', '请选择危险性评估等级');
        body.danger_level = Number(dangerSelect.value);
      }
      const sent = [];
      for (const row of rows.querySelectorAll('.guardian-row')) {
        const name = row.querySelector('input');
        const role = row.querySelector('select');
        if (!name.value.trim()) continue;
        sent.push({ name, role });
      }
      body.guardians = sent.map((r) => ({ name: r.name.value.trim(), role: r.role.value }));
      const extra = {};
      for (const d of defsShown) {
        const v = window.PinganTypeFields.read(d, fields[`fields.${d.key}`].control);
        if (v !== undefined) extra[d.key] = v;
      }
      if (Object.keys(extra).length) body.fields = extra;
      if (sinceInput.value) body.since = sinceInput.value;

      submit.disabled = true;
      submit.textContent = '登记中…';
      try {
        await ui.api(`/people/${enc(p.id)}/groups`, { method: 'POST', body });
        dialog.close();
        changed();
      } catch (e) {
        if (e.status === 401) return;
        if (e.status === 409 && !e.field) return showError('type', e.message);
        showError(e.status === 403 ? null : e.field, e.status === 403 ? '您的账号无权登记特殊人群' : e.message || '登记失败', sent);
      } finally {
        submit.disabled = false;
        submit.textContent = '登记';
      }
    });

    return {
      el: dialog,
      open() {
        clearErrors();
        form.reset();
        dangerField.hidden = true;
        drawTypeFields('');
        window.PinganTypeFields.load(ui).then(
          (t) => {
            spec = t;
            if (typeSelect.value) drawTypeFields(typeSelect.value);
          },
          () => {} // the dialog still registers without the type's own items
        );
        fiveInOne();
        dialog.showModal();
        typeSelect.focus();
      },
    };
  }

  function visitsSection(p, ui, writer, changed) {
    const { h } = ui;
    const count = h('span.count', { hidden: true });
    const body = h('div.person-visits-body', null, h('p.muted.loading-text', null, '正在加载…'));
    const note = h('p.visit-note', { role: 'status', hidden: true });
    const dialog = writer
      ? visitDialog(p, ui, (v) => {
          note.textContent = `已记录 ${ui.fmtTime(v.at)} 的${KIND_NAMES[v.kind] || '走访'}`;
          note.hidden = false;
          changed();
        })
      : null;
    const el = h(
      'section.card.person-visits',
      { 'aria-labelledby': 'person-visits-title' },
      h(
        'div.section-head',
        null,
        h('h2', { id: 'person-visits-title' }, '走访记录', count),
        writer ? h('button.primary', { type: 'button', id: 'visit-add', onclick: () => dialog.open() }, '记录走访') : null
      ),
      note,
      body,
      dialog ? dialog.el : null
    );

    const load = async (signal) => {
      try {
        const data = await ui.api(`/people/${enc(p.id)}/visits`, { signal });
        if (signal.aborted) return;
        const items = (data && data.items) || [];
        count.textContent = String(items.length);
        count.hidden = false;
        if (!items.length) {
          body.replaceChildren(h('p.muted.empty', null, '暂无走访记录。'));
          return;
        }
        const trs = items.map((v) =>
          h(
            'tr',
            { dataset: { id: String(v.id) } },
            h('td.nowrap', { 'data-label': '走访时间' }, ui.fmtTime(v.at)),
            h('td.nowrap', { 'data-label': '方式' }, KIND_NAMES[v.kind] || v.kind || ''),
            h(
              'td',
              { 'data-label': '走访人', title: v.by && v.by.username ? v.by.username : null },
              (v.by && (v.by.name || v.by.username)) || h('span.muted', null, '—')
            ),
            h('td.notes', { 'data-label': '走访情况' }, v.notes || h('span.muted', null, '—'))
          )
        );
        body.replaceChildren(
          h(
            'div.table-wrap',
            null,
            h(
              'table.data-table.visits-table',
              null,
              h('thead', null, h('tr', null, ['走访时间', '方式', '走访人', '走访情况'].map((t) => h('th', null, t)))),
              h('tbody', null, trs)
            )
          )
        );
      } catch (e) {
        if (isAbort(e, signal) || e.status === 401) return;
        body.replaceChildren(h('p.text-error.empty', { role: 'alert' }, e.status === 403 ? '您的账号无权查看走访记录。' : `走访记录加载失败：${e.message}`));
      }
    };
    return { el, load };
  }

  // The 记录走访 dialog: {el, open()}. done(visit) after a save.
  function visitDialog(p, ui, done) {
    const { h } = ui;
    const { field, clear, show } = window.PinganRegistry.formFields(h, 'vf');
    const kind = h('select', { name: 'kind' }, KINDS.map(([k, label]) => h('option', { value: k }, label)));
    const notes = h('textarea', { name: 'notes', rows: '4', maxlength: '1000', required: true });
    const at = h('input', { name: 'at', type: 'datetime-local' });
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, '保存');

    const clearErrors = () => clear(alert);
    const showError = (name, message) => show(name, message, alert);

    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          clearErrors();
          const text = notes.value.trim();
          if (!text) return showError('notes', '请填写走访情况');
          const body = { person_id: Number(p.id), kind: kind.value, notes: text };
          if (at.value) {
            const iso = localToIso(at.value);
            if (!iso) return showError('at', '时间格式不正确');
            body.at = iso;
          }
          submit.disabled = true;
          submit.textContent = '保存中…';
          try {
            const v = await ui.api('/visits', { method: 'POST', body });
            dialog.close();
            done(v || {});
          } catch (e) {
            if (e.status === 401) return;
            showError(e.status === 403 ? null : e.field, e.status === 403 ? '您的账号无权记录走访' : e.message || '保存失败');
          } finally {
            submit.disabled = false;
            submit.textContent = '保存';
          }
        },
      },
      h('h2', { id: 'visit-dialog-title' }, '记录走访'),
      h('p.muted', null, `记录对 ${p.name} 的走访，保存后其特殊人群的下次应访日期随之顺延。`),
      alert,
      field('kind', '走访方式', kind, { required: true }),
      field('notes', '走访情况', notes, { required: true }),
      field('at', '走访时间', at, { hint: '不填为当前时间' }),
      h(
        'div.dialog-actions',
        null,
        h('button.ghost-dark', { type: 'button', onclick: () => dialog.close() }, '取消'),
        submit
      )
    );
    const dialog = h('dialog.dialog.visit-dialog', { id: 'visit-dialog', 'aria-labelledby': 'visit-dialog-title' }, form);
    return {
      el: dialog,
      open() {
        clearErrors();
        form.reset();
        dialog.showModal();
        notes.focus();
      },
    };
  }

  window.PinganGroups = Object.freeze({ show, personSections, canRead, canWrite });
})();
