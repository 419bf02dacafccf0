// Pingan (平安) population registry (实有人口): people and households.
//
// Plain ES2020, no framework. Loaded before app.js, whose router calls
// PinganRegistry.show() for #/people, #/people/new, #/people/import (导入台账),
// #/people/ID and #/households/ID, and whose area page adds PinganRegistry.householdsSection()
// (住户) to grids and micro-grids. The person card carries the 特殊人群 and
// 走访记录 sections of web/groups.js when it is loaded. app.js lends its helpers (api, h, …) in
// opts.ui. Every string from the server goes into the page as text, never as
// HTML.
//
// Personal data: the server answers with masked ID numbers and phones; the
// person card shows them in clear only after 查看完整信息 with a reason (the
// server audits it), and only until the page is left. An ID number or phone
// typed into the search box is kept in memory, never in the address bar (and
// so never in the browser's history).
'use strict';

(() => {
  const PAGE = 20;
  const ROLES_READ = ['admin', 'leader', 'dispatcher', 'grid_worker', 'mediator', 'petition_officer'];
  const ROLES_WRITE = ['admin', 'dispatcher', 'grid_worker'];
  const ROLES_REVEAL = ['admin', 'dispatcher', 'grid_worker', 'mediator', 'petition_officer'];

  const RESIDENCE = [
    ['registered', '户籍'],
    ['floating', '流动'],
    ['overseas', '境外'],
    ['left_behind', '留守'],
  ];
  const RESIDENCE_NAMES = Object.fromEntries(RESIDENCE);
  const GENDER_NAMES = { M: '男', F: '女' };
  // GA/T 517 document types most often met in the registry.
  const DOC_TYPES = [
    ['111', '居民身份证'],
    ['113', '户口簿'],
    ['414', '普通护照'],
    ['516', '港澳居民来往内地通行证'],
    ['511', '台湾居民来往大陆通行证'],
    ['990', '其他证件'],
  ];
  const DOC_NAMES = Object.fromEntries(DOC_TYPES);
  // 与户主关系, suggestions only (the field takes any short text).
  const RELATIONS = ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '其他'];
  const SEARCH_BY = [
    ['q', '姓名/地址', '姓名或地址', '输入姓名或地址，至少1个字'],
    ['id_number', '证件号码', '证件号码', '输入完整的证件号码'],
    ['phone', '手机号', '手机号', '输入完整的手机号码'],
  ];

  const enc = encodeURIComponent;
  const has = (list, role) => list.includes(role);
  const canRead = (role) => has(ROLES_READ, role);
  const canWrite = (role) => has(ROLES_WRITE, role);
  const canReveal = (role) => has(ROLES_REVEAL, role);

  const personHref = (id) => '#/people/' + enc(id);
  const householdHref = (id) => '#/households/' + enc(id);

  // The ID number or phone of the last search by identifier: in memory only,
  // and only for the account that typed it.
  let sensitive = null; // {by, value, owner}

  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');

  // ---------------------------------------------------------------- pages

  // opts {page: 'people'|'households', id, params, signal, ui}
  function show(main, opts) {
    const { ui } = opts;
    const acct = ui.account();
    if (!acct || !canRead(acct.role)) {
      document.title = '实有人口 · 平安';
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看实有人口信息。', true));
      return;
    }
    if (opts.page === 'households') {
      if (/^\d+$/.test(opts.id || '')) return showHousehold(main, opts.id, opts);
    } else if (!opts.id) {
      return showSearch(main, opts);
    } else if (opts.id === 'new') {
      return showForm(main, opts);
    } else if (opts.id === 'import') {
      return showImport(main, opts);
    } else if (/^\d+$/.test(opts.id)) {
      return showPerson(main, opts.id, opts);
    }
    document.title = '页面不存在 · 平安';
    main.replaceChildren(ui.message('页面不存在', '您访问的页面不存在。', true));
  }

  // Loads with the progress bar; the page's own error handling for 404/403.
  async function load(ui, signal, path) {
    ui.busy(true);
    try {
      return await ui.api(path, { signal });
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  function notFound(ui, what, back) {
    return ui.message(
      `${what}不存在或无权访问`,
      `未找到该${what}，或其不在您的管辖范围内。`,
      true,
      ui.h('a.button', { href: back[0] }, back[1])
    );
  }

  // ---------------------------------------------------------------- search

  function readSearch(params, owner) {
    let by = params.get('by') || 'q';
    if (!SEARCH_BY.some(([k]) => k === by)) by = 'q';
    let value = '';
    if (by === 'q') value = params.get('q') || '';
    else if (sensitive && sensitive.by === by && sensitive.owner === owner) value = sensitive.value;
    return {
      by,
      value,
      type: RESIDENCE_NAMES[params.get('type')] ? params.get('type') : '',
      tag: params.get('tag') || '',
      area: params.get('area') || '',
      lost: by !== 'q' && !value && params.get('s') === '1', // reloaded: the identifier is gone
    };
  }

  function searchHash(f, offset) {
    const q = new URLSearchParams();
    if (f.by !== 'q') q.set('by', f.by);
    if (f.by === 'q' && f.value) q.set('q', f.value);
    if (f.by !== 'q' && f.value) q.set('s', '1');
    if (f.type) q.set('type', f.type);
    if (f.tag) q.set('tag', f.tag);
    if (f.area) q.set('area', f.area);
    if (offset) q.set('offset', String(offset));
    const s = q.toString();
    return '#/people' + (s ? '?' + s : '');
  }

  async function showSearch(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '实有人口 · 平安';
    const owner = ui.account().username;
    if (sensitive && sensitive.owner !== owner) sensitive = null;
    const f = readSearch(params, owner);
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const writer = canWrite(ui.account().role);

    const form = searchForm(ui, f, owner);
    const body = h('div.registry-body', null);
    const existing = main.querySelector('.people-page');
    if (!existing) {
      main.replaceChildren(
        h(
          'div.people-page',
          null,
          h(
            'div.page-head',
            null,
            h('h1.page-title', null, '实有人口'),
            writer
              ? h(
                  'div.page-actions',
                  null,
                  h('a.button.ghost-dark', { href: '#/people/import', id: 'people-import' }, '导入台账'),
                  h('a.button', { href: '#/people/new' + (f.area ? '?area=' + enc(f.area) : ''), id: 'person-new' }, '登记人员')
                )
              : null
          ),
          form.el,
          body
        )
      );
    } else {
      // Keep the old results visible while the next page loads.
      existing.querySelector('form').replaceWith(form.el);
      body.replaceChildren(...existing.querySelector('.registry-body').childNodes);
      existing.querySelector('.registry-body').replaceWith(body);
      const add = existing.querySelector('#person-new');
      if (add) add.setAttribute('href', '#/people/new' + (f.area ? '?area=' + enc(f.area) : ''));
    }

    if (f.lost) {
      body.replaceChildren(h('p.muted.empty', null, '为保护个人信息，证件号码和手机号不保存在地址栏中，请重新输入后查询。'));
      return;
    }
    const value = f.by === 'id_number' ? f.value.replace(/\s+/g, '').toUpperCase() : f.value.trim();
    if (!value && !f.type && !f.tag && !f.area) {
      body.replaceChildren(h('p.muted.empty', null, '请输入姓名、地址、证件号码或手机号，或选择人口类型、标签后查询。'));
      return;
    }
    const q = new URLSearchParams();
    if (value) q.set(f.by, value);
    if (f.type) q.set('residence_type', f.type);
    if (f.tag) q.set('tag', f.tag);
    if (f.area) q.set('area', f.area);
    q.set('limit', String(PAGE));
    q.set('offset', String(offset));

    ui.busy(true);
    try {
      const [data, area] = await Promise.all([
        ui.api('/people?' + q.toString(), { signal }),
        f.area ? ui.api('/areas/' + enc(f.area), { signal }).catch(() => null) : null,
      ]);
      if (signal.aborted) return;
      if (area) form.showArea(area);
      body.replaceChildren(...resultsTable(ui, data, f, offset));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      if (e.status === 400 && e.field && form.fieldError(e.field, e.message)) {
        body.replaceChildren();
      } else if (e.status === 404) {
        body.replaceChildren(ui.message('区域不存在或无权访问', e.message, true));
      } else if (e.status === 403) {
        body.replaceChildren(ui.message('无权访问', e.message, true));
      } else {
        body.replaceChildren(ui.errorView(e, () => ui.route()));
      }
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  function searchForm(ui, f, owner) {
    const { h } = ui;
    const byOf = (k) => SEARCH_BY.find(([key]) => key === k) || SEARCH_BY[0];
    const bySelect = h(
      'select',
      { id: 'people-by', name: 'by' },
      SEARCH_BY.map(([k, label]) => h('option', { value: k }, label))
    );
    bySelect.value = f.by;
    const qLabel = h('label', { for: 'people-q' }, byOf(f.by)[2]);
    const qInput = h('input', {
      id: 'people-q',
      name: 'q',
      type: 'search',
      value: f.value,
      placeholder: byOf(f.by)[3],
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'people-q-error',
    });
    const qError = h('p.field-error', { id: 'people-q-error', hidden: true });
    bySelect.addEventListener('change', () => {
      const [, , label, hint] = byOf(bySelect.value);
      qLabel.textContent = label;
      qInput.placeholder = hint;
      qInput.value = '';
      clearError();
      qInput.focus();
    });
    const clearError = () => {
      for (const [input, error] of Object.values(errors)) {
        error.hidden = true;
        error.textContent = '';
        input.removeAttribute('aria-invalid');
      }
    };
    const typeSelect = h(
      'select',
      { id: 'people-type', name: 'type', 'aria-describedby': 'people-type-error' },
      h('option', { value: '' }, '全部'),
      RESIDENCE.map(([k, label]) => h('option', { value: k }, label))
    );
    typeSelect.value = f.type;
    const typeError = h('p.field-error', { id: 'people-type-error', hidden: true });
    const tagInput = h('input', {
      id: 'people-tag',
      name: 'tag',
      type: 'text',
      value: f.tag,
      autocomplete: 'off',
      placeholder: '如 退役军人',
      'aria-describedby': 'people-tag-error',
    });
    const tagError = h('p.field-error', { id: 'people-tag-error', hidden: true });
    // The query's fields by the names the API gives in error.field.
    const errors = {
      q: [qInput, qError],
      id_number: [qInput, qError],
      phone: [qInput, qError],
      residence_type: [typeSelect, typeError],
      tag: [tagInput, tagError],
    };
    const areaNote = h('div.area-filter', { hidden: !f.area });
    const renderArea = (name) => {
      areaNote.replaceChildren(
        h('span.muted', null, '限定区域：'),
        h('a', { href: ui.areaHref(f.area) }, name || f.area),
        h('a.clear-filter', { href: searchHash({ ...f, area: '' }, 0), title: '取消区域限定' }, '清除')
      );
    };
    if (f.area) renderArea('');

    const el = h(
      'form.filters.people-filters',
      {
        id: 'people-search',
        role: 'search',
        novalidate: true,
        onsubmit: (ev) => {
          ev.preventDefault();
          clearError();
          const by = bySelect.value;
          const value = qInput.value.trim();
          const nf = { by, value, type: typeSelect.value, tag: tagInput.value.trim(), area: f.area };
          if (by !== 'q') {
            if (!value) return fieldError('id_number', `请输入${byOf(by)[2]}`);
            sensitive = { by, value, owner };
          }
          ui.go(searchHash(nf, 0));
        },
      },
      h('div.field', null, h('label', { for: 'people-by' }, '查询方式'), bySelect),
      h('div.field.field-q', null, qLabel, qInput, qError),
      h('div.field', null, h('label', { for: 'people-type' }, '人口类型'), typeSelect, typeError),
      h('div.field', null, h('label', { for: 'people-tag' }, '标签'), tagInput, tagError),
      h(
        'div.filter-actions',
        null,
        h('button.primary', { type: 'submit' }, '查询'),
        h(
          'button.ghost-dark',
          {
            type: 'button',
            onclick: () => {
              sensitive = null;
              ui.go('#/people');
            },
          },
          '重置'
        )
      ),
      areaNote
    );
    // An error of the query goes under its field; false if it names none.
    function fieldError(field, text) {
      const [input, error] = errors[field] || [];
      if (!input) return false;
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return true;
    }
    return { el, fieldError, showArea: (a) => renderArea(a.name) };
  }

  function resultsTable(ui, data, f, offset) {
    const { h } = ui;
    const items = (data && data.items) || [];
    const total = Number((data && data.total) ?? items.length);
    if (!items.length) return [h('p.muted.empty', null, offset ? '没有更多结果。' : '没有找到符合条件的人员。')];
    const rows = items.map((p) =>
      h(
        'tr',
        {
          dataset: { id: String(p.id) },
          onclick: (ev) => {
            if (ev.target.closest('a')) return;
            ui.go(personHref(p.id));
          },
        },
        h('td.name', { 'data-label': '姓名' }, h('a', { href: personHref(p.id) }, p.name)),
        h('td', { 'data-label': '性别' }, GENDER_NAMES[p.gender] || ''),
        h('td.nowrap', { 'data-label': '出生日期' }, p.birth_date || ''),
        h('td.mono.nowrap', { 'data-label': '证件号码' }, p.id_number || ''),
        h('td.mono.nowrap', { 'data-label': '手机' }, p.phone || ''),
        h('td', { 'data-label': '类型' }, typeBadge(ui, p.residence_type)),
        h('td.addr', { 'data-label': '现住址' }, p.current_address || ''),
        h('td', { 'data-label': '所属网格', title: p.area ? p.area.code : null }, p.area ? p.area.name : '')
      )
    );
    return [
      h(
        'div.table-wrap',
        null,
        h(
          'table.data-table.people-table',
          null,
          h('thead', null, h('tr', null, ['姓名', '性别', '出生日期', '证件号码', '手机', '类型', '现住址', '所属网格'].map((t) => h('th', null, t)))),
          h('tbody', null, rows)
        )
      ),
      pager(ui, total, offset, items.length, (o) => ui.go(searchHash(f, o)), '人'),
    ];
  }

  // "共 N 人，当前第 a–b 人" with 上一页/下一页.
  function pager(ui, total, offset, count, goTo, unit) {
    const { h } = ui;
    const from = offset + 1;
    const to = offset + count;
    return h(
      'div.pager',
      null,
      h('span.muted.pager-total', null, `共 ${total} ${unit}，当前第 ${from}–${to} ${unit}`),
      h(
        'span.pager-buttons',
        null,
        h('button.ghost-dark', { type: 'button', disabled: offset <= 0, onclick: () => goTo(Math.max(0, offset - PAGE)) }, '上一页'),
        h('button.ghost-dark', { type: 'button', disabled: to >= total, onclick: () => goTo(offset + PAGE) }, '下一页')
      )
    );
  }

  function typeBadge(ui, t) {
    if (!t) return '';
    return ui.h('span.badge.residence', { dataset: { type: t } }, RESIDENCE_NAMES[t] || t);
  }

  // ---------------------------------------------------------------- person card

  async function showPerson(main, id, { signal, ui }) {
    const { h } = ui;
    document.title = '人员信息 · 平安';
    let p;
    try {
      p = await load(ui, signal, '/people/' + enc(id));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      if (e.status === 404 || e.status === 403) {
        main.replaceChildren(backLink(ui, '人员信息'), notFound(ui, '人员', ['#/people', '返回人员查询']));
      } else {
        main.replaceChildren(ui.errorView(e, () => ui.route()));
      }
      return;
    }
    if (signal.aborted) return;

    const idCell = h('span.mono.sensitive', null, p.id_number || '—');
    const phoneCell = h('span.mono.sensitive', null, p.phone || '—');
    const note = h('p.reveal-note', { role: 'status', hidden: true });
    const actions = h('div.card-actions');
    const fact = (label, value, key) => ui.fact(label, value === '' || value == null ? h('span.muted', null, '—') : value, key);
    const tags = (p.tags || []).length ? h('span.tags', null, p.tags.map((t) => h('span.badge.tag', null, t))) : '';

    const card = h(
      'article.card.person-card',
      { dataset: { id: String(p.id) } },
      h(
        'header.card-head',
        null,
        h('h1', { id: 'person-title' }, p.name),
        typeBadge(ui, p.residence_type),
        p.masked ? h('span.badge.masked', { title: '证件号码和手机号已脱敏显示' }, '已脱敏') : null
      ),
      h(
        'dl.facts',
        null,
        fact('姓名', p.name, 'name'),
        fact('曾用名', p.former_name, 'former_name'),
        fact('性别', GENDER_NAMES[p.gender] || '', 'gender'),
        fact('出生日期', p.birth_date, 'birth_date'),
        fact('民族', p.ethnicity, 'ethnicity'),
        fact('证件类型', DOC_NAMES[p.doc_type] || p.doc_type, 'doc_type'),
        fact('证件号码', idCell, 'id_number'),
        fact('手机', phoneCell, 'phone'),
        fact('人口类型', RESIDENCE_NAMES[p.residence_type] || p.residence_type, 'residence_type'),
        fact('户籍地址', p.registered_address, 'registered_address'),
        fact('现住址', p.current_address, 'current_address'),
        fact('所属网格', p.area ? h('a', { href: ui.areaHref(p.area.code) }, p.area.name) : '', 'area'),
        fact('与户主关系', p.relation, 'relation'),
        fact('标签', tags, 'tags')
      ),
      actions,
      note
    );

    if (canReveal(ui.account().role) && (p.id_number || p.phone)) {
      const masked = { id: idCell.textContent, phone: phoneCell.textContent };
      const dialog = revealDialog(ui, p, (r) => {
        idCell.textContent = r.id_number || '—';
        phoneCell.textContent = r.phone || '—';
        idCell.classList.add('revealed');
        phoneCell.classList.add('revealed');
        note.textContent = '已记录查看事由';
        note.hidden = false;
        revealBtn.hidden = true;
        hideBtn.hidden = false;
        hideBtn.focus();
      });
      const revealBtn = h('button.primary', { type: 'button', id: 'person-reveal', onclick: () => dialog.open() }, '查看完整信息');
      const hideBtn = h(
        'button.ghost-dark',
        {
          type: 'button',
          hidden: true,
          onclick: () => {
            idCell.textContent = masked.id;
            phoneCell.textContent = masked.phone;
            idCell.classList.remove('revealed');
            phoneCell.classList.remove('revealed');
            note.hidden = true;
            hideBtn.hidden = true;
            revealBtn.hidden = false;
            revealBtn.focus();
          },
        },
        '隐藏完整信息'
      );
      actions.append(revealBtn, hideBtn, dialog.el);
    }

    const household = h(
      'section.card.person-household',
      null,
      h('h2', null, '所属户'),
      p.household_id
        ? h(
            'p',
            null,
            h('a.household-link', { href: householdHref(p.household_id) }, '查看户信息及家庭成员'),
            p.relation ? h('span.muted', null, `（与户主关系：${p.relation}）`) : null
          )
        : h('p.muted.empty', null, '尚未登记所属户。')
    );

    // 特殊人群 and 走访记录 (web/groups.js), for the roles that may see them.
    const groups = window.PinganGroups ? window.PinganGroups.personSections(p, ui) : [];
    main.replaceChildren(h('div.person-page', null, backLink(ui, '人员信息'), card, household, groups));
    window.scrollTo(0, 0);
  }

  function backLink(ui, here) {
    const { h } = ui;
    return h(
      'nav.crumbs',
      { 'aria-label': '位置' },
      h('ol', null, h('li', null, h('a', { href: '#/people' }, '实有人口')), h('li', { 'aria-current': 'page' }, here))
    );
  }

  // The 查看完整信息 dialog: asks for the reason, calls reveal, hands the
  // clear values to done(). {el, open()}
  function revealDialog(ui, p, done) {
    const { h } = ui;
    const reason = h('textarea', {
      id: 'reveal-reason',
      name: 'reason',
      rows: '3',
      maxlength: '200',
      required: true,
      'aria-describedby': 'reveal-reason-error',
    });
    const error = h('p.field-error', { id: 'reveal-reason-error', role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, '确认查看');
    const showError = (text) => {
      error.textContent = text;
      error.hidden = false;
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
    };
    const dialog = h(
      'dialog.dialog',
      { id: 'reveal-dialog', 'aria-labelledby': 'reveal-title' },
      h(
        'form',
        {
          novalidate: true,
          onsubmit: async (ev) => {
            ev.preventDefault();
            const text = reason.value.trim();
            error.hidden = true;
            reason.removeAttribute('aria-invalid');
            if (!text) return showError('请填写查看事由');
            submit.disabled = true;
            try {
              const r = await ui.api(`/people/${enc(p.id)}/reveal`, { method: 'POST', body: { reason: text } });
              reason.value = '';
              dialog.close();
              done(r || {});
            } catch (e) {
              if (e.status === 401) return;
              showError(e.status === 403 ? '您的账号无权查看完整信息' : e.message);
            } finally {
              submit.disabled = false;
            }
          },
        },
        h('h2', { id: 'reveal-title' }, '查看完整信息'),
        h('p.muted', null, `查看 ${p.name} 的完整证件号码和手机号须写明事由，本次查看将记入审计日志。`),
        h('div.field', { dataset: { field: 'reason' } }, h('label', { for: 'reveal-reason' }, '查看事由'), reason, error),
        h(
          'div.dialog-actions',
          null,
          h('button.ghost-dark', { type: 'button', onclick: () => dialog.close() }, '取消'),
          submit
        )
      )
    );
    return {
      el: dialog,
      open() {
        error.hidden = true;
        reason.removeAttribute('aria-invalid');
        dialog.showModal();
        reason.focus();
      },
    };
  }

  // ---------------------------------------------------------------- register

  async function showForm(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '登记人员 · 平安';
    if (!canWrite(ui.account().role)) {
      main.replaceChildren(ui.message('无权访问', '您的账号无权登记人员。', true, h('a.button', { href: '#/people' }, '返回人员查询')));
      return;
    }
    let household = null;
    const hhId = params.get('household');
    if (hhId && /^\d+$/.test(hhId)) {
      try {
        household = await load(ui, signal, '/households/' + enc(hhId));
      } catch (e) {
        if (isAbort(e, signal) || e.status === 401) return;
        main.replaceChildren(e.status === 404 || e.status === 403 ? notFound(ui, '户', ['#/people', '返回人员查询']) : ui.errorView(e, () => ui.route()));
        return;
      }
      if (signal.aborted) return;
    }
    const presetArea = (household && household.area && household.area.code) || params.get('area') || null;

    const { fields, field, clear, show: showField } = formFields(h, 'pf');
    const text = (name, extra) => h('input', Object.assign({ name, type: 'text', autocomplete: 'off' }, extra || {}));
    const select = (name, options, value) => {
      const s = h('select', { name }, options.map(([v, label]) => h('option', { value: v }, label)));
      s.value = value;
      return s;
    };

    const picker = areaPicker(ui, signal, presetArea);
    picker.el.id = 'pf-area';
    const relations = h('datalist', { id: 'pf-relations' }, RELATIONS.map((r) => h('option', { value: r })));
    const hhControl = household
      ? h(
          'div.household-fixed',
          { tabindex: '-1' },
          h('a', { href: householdHref(household.id) }, household.address || `户 ${household.id}`),
          household.hh_no ? h('span.muted', null, ` 户号 ${household.hh_no}`) : null
        )
      : h('input', { name: 'household_id', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: '可选，户编号' });

    const alert = h('div.alert', { role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, '登记');
    const form = h(
      'form.card.person-form',
      { id: 'person-form', novalidate: true },
      alert,
      h(
        'fieldset',
        null,
        h('legend', null, '基本信息'),
        field('name', '姓名', text('name', { maxlength: '32', required: true }), { required: true }),
        field('former_name', '曾用名', text('former_name', { maxlength: '32' })),
        field('gender', '性别', select('gender', [['', '未填写'], ['M', '男'], ['F', '女']], ''), { hint: '填写身份证号码时可不填，由号码推算' }),
        field('birth_date', '出生日期', h('input', { name: 'birth_date', type: 'date' })),
        field('ethnicity', '民族', text('ethnicity', { maxlength: '16', placeholder: '如 汉族' })),
        field('residence_type', '人口类型', select('residence_type', RESIDENCE, 'registered'), { required: true })
      ),
      h(
        'fieldset',
        null,
        h('legend', null, '证件与联系方式'),
        field('doc_type', '证件类型', select('doc_type', DOC_TYPES, '111')),
        field('id_number', '证件号码', text('id_number', { maxlength: '32', spellcheck: 'false', autocapitalize: 'characters' })),
        field('phone', '手机', text('phone', { type: 'tel', maxlength: '32', inputmode: 'tel' }))
      ),
      h(
        'fieldset',
        null,
        h('legend', null, '居住信息'),
        field('area', '所属网格', picker.el, { required: true, wide: true, hint: '须选择到最小一级网格' }),
        field('current_address', '现住址', text('current_address', { maxlength: '128', value: household ? household.address || '' : '' }), { wide: true }),
        field('registered_address', '户籍地址', text('registered_address', { maxlength: '128' }), { wide: true }),
        field('household_id', '所属户', hhControl),
        field('relation', '与户主关系', text('relation', { maxlength: '16', list: 'pf-relations' }), { hint: '填写时须指定所属户' }),
        relations,
        field('tags', '标签', text('tags', { maxlength: '200' }), { wide: true, hint: '多个标签用逗号或顿号分隔，如 退役军人、低保户' })
      ),
      h(
        'div.form-actions',
        null,
        submit,
        h('a.button.ghost-dark', { href: household ? householdHref(household.id) : '#/people' }, '取消')
      )
    );

    const clearErrors = () => clear(alert);
    const showError = (fieldName, message) => showField(fieldName, message, alert);

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors();
      const val = (name) => {
        const c = form.elements.namedItem(name);
        return c && typeof c.value === 'string' ? c.value.trim() : '';
      };
      const body = {};
      for (const k of ['name', 'former_name', 'gender', 'doc_type', 'id_number', 'birth_date', 'ethnicity', 'phone', 'residence_type', 'registered_address', 'current_address', 'relation']) {
        const v = val(k);
        if (v) body[k] = v;
      }
      if (!body.name) return showError('name', '请输入姓名');
      if (body.id_number && body.doc_type === '111') body.id_number = body.id_number.replace(/\s+/g, '').toUpperCase();
      const tags = val('tags')
        .split(/[,，、;；\s]+/)
        .map((t) => t.trim())
        .filter(Boolean);
      if (tags.length) body.tags = tags;
      if (household) {
        body.household_id = household.id;
      } else if (val('household_id')) {
        if (!/^\d+$/.test(val('household_id'))) return showError('household_id', '户编号应为数字');
        body.household_id = Number(val('household_id'));
      }
      const area = picker.value();
      if (!area) return showError('area', picker.loading() ? '正在加载网格，请稍候' : '请选择所属网格');
      body.area = area;

      submit.disabled = true;
      submit.textContent = '登记中…';
      try {
        const p = await ui.api('/people', { method: 'POST', body });
        ui.go(personHref(p.id), true);
      } catch (e) {
        submit.disabled = false;
        submit.textContent = '登记';
        if (e.status === 401) return;
        showError(e.field, e.message || '登记失败');
      }
    });

    main.replaceChildren(
      h(
        'div.person-form-page',
        null,
        backLink(ui, '登记人员'),
        h('h1.page-title', null, household ? `登记人员 · ${household.address || ''}` : '登记人员'),
        form
      )
    );
    fields.name.control.focus();
  }

  // Cascading selects from the account's area down to a leaf: {el, value(), loading()}.
  // preset: an area code to pre-select (its ancestors are chosen on the way).
  function areaPicker(ui, signal, preset) {
    const { h } = ui;
    const el = h('div.area-picker', { role: 'group', 'aria-label': '所属网格' });
    const status = h('span.muted.small.picker-status');
    let chosen = null; // {code, leaf}
    let pending = 0;
    const root = ui.account().area && ui.account().area.code;

    const fetchArea = async (code) => {
      pending++;
      try {
        return await ui.api('/areas/' + enc(code), { signal });
      } finally {
        pending--;
      }
    };

    // Appends a select of a's children; picks the one in chain, if any.
    const addLevel = (a, chain) => {
      const kids = (a.children || []).filter((c) => !c.retired_at);
      if (!kids.length) return;
      const levelName = ui.lvl(kids[0]) || '下级区域';
      const s = h(
        'select',
        { 'aria-label': levelName, dataset: { level: kids[0].level || '' } },
        h('option', { value: '' }, `请选择${levelName}`),
        kids.map((c) => h('option', { value: c.code, dataset: { leaf: c.child_count ? '' : '1' } }, c.name))
      );
      el.insertBefore(s, status);
      s.addEventListener('change', () => choose(s, null));
      const pick = kids.find((c) => chain && chain.has(c.code));
      if (pick) {
        s.value = pick.code;
        choose(s, chain);
      }
    };

    // After a change of s: drop the deeper selects, load the next level.
    const choose = async (s, chain) => {
      while (s.nextElementSibling && s.nextElementSibling !== status) s.nextElementSibling.remove();
      const code = s.value;
      if (!code) {
        const prev = s.previousElementSibling;
        chosen = prev && prev.tagName === 'SELECT' && prev.value ? { code: prev.value, leaf: false } : null;
        return;
      }
      const leaf = s.selectedOptions[0] && s.selectedOptions[0].dataset.leaf === '1';
      chosen = { code, leaf };
      if (leaf) return;
      try {
        status.textContent = '加载中…';
        const a = await fetchArea(code);
        if (signal.aborted || s.value !== code || !s.isConnected) return;
        status.textContent = '';
        addLevel(a, chain);
      } catch (e) {
        if (isAbort(e, signal)) return;
        status.textContent = e.message;
      }
    };

    el.append(status);
    (async () => {
      if (!root) {
        status.textContent = '您的账号未分配管辖区域';
        return;
      }
      try {
        status.textContent = '加载中…';
        let chain = null;
        if (preset && preset !== root) {
          const target = await fetchArea(preset).catch(() => null);
          if (target) chain = new Set([...(target.ancestors || []).map((x) => x.code), target.code]);
        }
        const a = await fetchArea(root);
        if (signal.aborted) return;
        status.textContent = '';
        if (!a.child_count && !(a.children || []).length) {
          chosen = { code: a.code, leaf: true };
          el.insertBefore(h('span.fixed-area', null, a.name, h('span.muted.mono.small', null, ` ${a.code}`)), status);
          return;
        }
        addLevel(a, chain);
      } catch (e) {
        if (isAbort(e, signal)) return;
        status.textContent = e.message;
      }
    })();

    return { el, value: () => (chosen ? chosen.code : null), loading: () => pending > 0 };
  }

  // ---------------------------------------------------------------- import

  // The ledgers that can be imported: where each goes, its columns (required,
  // optional, the template's order) and its rules, as the server reads them.
  const LEDGERS = [
    {
      key: 'people',
      label: '人口',
      title: '实有人口台账',
      path: '/api/v1/people/import',
      row: '一人',
      required: ['姓名', '人口类型', '所属网格（微网格编码）'],
      optional: ['身份证号', '性别', '出生日期', '民族', '联系电话', '户籍地址', '现住址', '户号', '与户主关系', '标签'],
      template: ['姓名', '性别', '身份证号', '出生日期', '民族', '联系电话', '人口类型', '户籍地址', '现住址', '所属网格', '户号', '与户主关系', '标签'],
      rules: [
        '人口类型填 户籍、流动、境外 或 留守；性别填 男 或 女，填写身份证号时可不填。',
        '出生日期如 1980-01-05、1980/1/5；多个标签用顿号分隔。',
        '所属网格须是您管辖范围内最小一级的网格编码。',
        '身份证号已登记的人员将被更新；户号相同的人员归入同一户，与户主关系为“户主”者为户主。',
      ],
      next: ['#/people', '到实有人口中查询导入的人员'],
      households: true,
    },
    {
      key: 'households',
      label: '户',
      title: '户台账',
      path: '/api/v1/households/import',
      row: '一户',
      required: ['户号', '地址', '网格（微网格编码）'],
      optional: ['户主身份证号', '房屋编号'],
      template: ['户号', '地址', '网格', '户主身份证号', '房屋编号'],
      rules: [
        '网格须是您管辖范围内最小一级的网格编码。',
        '户主身份证号须是已登记、在您管辖范围内的人员；房屋编号为已登记房屋的编号。',
        '您管辖范围内户号已登记的户将被更新（地址、网格；户主、房屋留空时保持不变），否则新建。',
      ],
    },
    {
      key: 'orgs',
      label: '组织',
      title: '组织台账',
      path: '/api/v1/orgs/import',
      row: '一个单位',
      required: ['统一社会信用代码', '名称', '类别', '网格（微网格编码）'],
      optional: ['地址', '经度', '纬度', '法定代表人', '治保负责人', '联系电话', '员工数', '是否有党组织', '是否有工会'],
      template: ['统一社会信用代码', '名称', '类别', '地址', '经度', '纬度', '法定代表人', '治保负责人', '联系电话', '员工数', '是否有党组织', '是否有工会', '网格'],
      rules: [
        '类别填 企业、社会组织、事业单位、学校、个体工商户 或 其他。',
        '是否有党组织、是否有工会填 是 或 否；经纬度（WGS-84）须落在所填网格内。',
        '统一社会信用代码已登记的单位将被更新，否则新建。',
      ],
    },
  ];
  // What to do about a file-level error (400), by its code.
  const IMPORT_HINTS = {
    missing_column: '请对照页面上的“台账格式”说明检查第一行表头。',
    duplicate_column: '请对照页面上的“台账格式”说明检查第一行表头。',
    empty_file: '文件的第一行应为表头，其后每行一人。',
    invalid_encoding: '请在 Excel 中“另存为”CSV UTF-8（逗号分隔）或 CSV（逗号分隔）后重新选择。',
    unsupported_encoding: '请在 Excel 中“另存为”CSV UTF-8（逗号分隔）或 CSV（逗号分隔），不要选择“Unicode 文本”。',
    malformed_csv: '请检查该行单元格中的英文双引号是否成对。',
  };

  function fmtSize(n) {
    if (n < 1024) return `${n} 字节`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
  }

  // CSV for Excel: UTF-8 with a byte order mark, CRLF. Values are quoted; one
  // that Excel would take for a formula (= + - @) gets a leading apostrophe.
  const csvCell = (v) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return '"' + s.replace(/"/g, '""') + '"';
  };
  const csvText = (header, rows) => '\uFEFF' + [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
  const csvBlob = (text) => new Blob([text], { type: 'text/csv;charset=utf-8' });

  // Saves a Blob as a file through a Blob URL: nothing leaves the browser.
  function saveBlob(name, blob) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // POSTs the file as the body with XMLHttpRequest, which (unlike fetch)
  // reports upload progress: onProgress(0..1) while the bytes go out, onSent()
  // once they are all out and the server is at work. Resolves {status, data};
  // rejects on a network error. Leaving the page (signal) cancels an upload
  // still sending; once the file is out the import runs to its end anyway.
  function upload(path, file, skip, { onProgress, onSent, signal }) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let sent = false;
      const done = () => {
        if (!sent) {
          sent = true;
          onSent();
        }
      };
      xhr.open('POST', path + (skip ? '?skip_invalid=1' : ''));
      xhr.setRequestHeader('Content-Type', 'text/csv');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', (ev) => {
        if (ev.lengthComputable && ev.total > 0) onProgress(ev.loaded / ev.total);
      });
      xhr.upload.addEventListener('load', done);
      xhr.addEventListener('load', () => {
        done();
        let data = null;
        try {
          data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch (e) {
          data = null;
        }
        resolve({ status: xhr.status, data });
      });
      xhr.addEventListener('error', () => reject(Object.assign(new Error('network'), { sent })));
      xhr.addEventListener('abort', () => reject(new DOMException('上传已取消', 'AbortError')));
      if (signal) signal.addEventListener('abort', () => sent || xhr.abort(), { once: true });
      xhr.send(file);
    });
  }

  function showImport(main, opts) {
    const { signal, ui } = opts;
    const { h } = ui;
    document.title = '导入台账 · 平安';
    if (!canWrite(ui.account().role)) {
      main.replaceChildren(
        backLink(ui, '导入台账'),
        ui.message('无权访问', '您的账号无权导入台账。', true, h('a.button', { href: '#/people' }, '返回人员查询'))
      );
      return;
    }

    const fileInput = h('input', {
      id: 'import-file',
      name: 'file',
      type: 'file',
      accept: '.csv,text/csv',
      'aria-describedby': 'import-file-info import-file-error',
    });
    const fileInfo = h('p.file-info.muted', { id: 'import-file-info' }, '尚未选择文件');
    const fileError = h('p.field-error', { id: 'import-file-error', role: 'alert', hidden: true });
    const skipBox = h('input', { id: 'import-skip', name: 'skip_invalid', type: 'checkbox', 'aria-describedby': 'import-skip-hint' });
    const submit = h('button.primary', { type: 'submit', id: 'import-start' }, '开始导入');

    // Which ledger: 人口 / 户 / 组织 (#/people/import?ledger=orgs opens on one).
    const wanted = opts.params ? opts.params.get('ledger') : null;
    let ledger = LEDGERS.find((l) => l.key === wanted) || LEDGERS[0];
    const kindInputs = LEDGERS.map((l) =>
      h('input', { type: 'radio', name: 'ledger', value: l.key, id: `import-kind-${l.key}`, checked: l === ledger })
    );
    const kindField = h(
      'fieldset.field.ledger-kind',
      { dataset: { field: 'ledger' } },
      h('legend', null, '台账类别'),
      h(
        'div.ledger-kind-options',
        null,
        LEDGERS.map((l, i) => h('label.check', { for: `import-kind-${l.key}` }, kindInputs[i], h('span', null, l.label)))
      )
    );

    const fill = h('div.upload-bar-fill');
    const bar = h(
      'div.upload-bar',
      { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-labelledby': 'import-progress-text' },
      fill
    );
    const progressText = h('span.upload-text', { id: 'import-progress-text' });
    const progress = h('div.upload-progress', { id: 'import-progress', role: 'status', hidden: true }, progressText, bar);
    const setPercent = (fraction) => {
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      bar.classList.remove('is-indeterminate');
      bar.setAttribute('aria-valuenow', String(pct));
      fill.style.width = `${pct}%`;
      progressText.textContent = `正在上传 ${pct}%`;
    };
    const setWorking = () => {
      bar.classList.add('is-indeterminate');
      bar.removeAttribute('aria-valuenow');
      fill.style.width = '';
      progressText.textContent = '服务器正在校验并导入…';
    };

    const result = h('div.import-result', { id: 'import-result' });

    const fileProblem = (text) => {
      fileError.textContent = text;
      fileError.hidden = false;
      fileInput.setAttribute('aria-invalid', 'true');
      fileInput.focus();
    };
    const clearProblem = () => {
      fileError.hidden = true;
      fileError.textContent = '';
      fileInput.removeAttribute('aria-invalid');
    };

    fileInput.addEventListener('change', () => {
      clearProblem();
      result.replaceChildren();
      const file = fileInput.files && fileInput.files[0];
      fileInfo.classList.toggle('muted', !file);
      fileInfo.replaceChildren(...(file ? [h('span.file-name', null, file.name), h('span.muted', null, `（${fmtSize(file.size)}）`)] : ['尚未选择文件']));
    });

    const setBusy = (on) => {
      fileInput.disabled = on;
      skipBox.disabled = on;
      kindInputs.forEach((i) => {
        i.disabled = on;
      });
      submit.disabled = on;
      submit.textContent = on ? '导入中…' : '开始导入';
      progress.hidden = !on;
    };

    // Shows the answer; its heading takes the focus so that it is read out.
    const present = (...nodes) => {
      result.replaceChildren(...nodes.filter(Boolean));
      const head = result.querySelector('h1, h2');
      if (head) {
        head.tabIndex = -1;
        head.focus();
      }
    };

    const form = h(
      'form.card.import-form',
      {
        id: 'import-form',
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          clearProblem();
          const file = fileInput.files && fileInput.files[0];
          if (!file) return fileProblem('请选择要导入的 CSV 文件');
          if (/\.(xlsx?|xlsm|et|ods|wps)$/i.test(file.name)) return fileProblem('请先在 Excel 中把台账“另存为”CSV 文件，再选择该 CSV 文件导入');
          if (!file.size) return fileProblem('所选文件是空的');
          const skip = skipBox.checked;
          result.replaceChildren();
          setBusy(true);
          setPercent(0);
          let answer;
          try {
            answer = await upload(ledger.path, file, skip, { onProgress: setPercent, onSent: setWorking, signal });
          } catch (e) {
            if (isAbort(e, signal)) return;
            setBusy(false);
            present(
              ui.message(
                '上传失败',
                e.sent
                  ? '与服务器的连接中断，无法确认导入结果。请在实有人口中查询核对后再决定是否重新导入。'
                  : '无法连接服务器，或连接被服务器中断（文件超过服务器上限时会如此）。请检查网络和文件大小后重试。',
                true
              )
            );
            return;
          }
          if (signal.aborted) return;
          setBusy(false);
          showAnswer(answer, file.name);
        },
      },
      kindField,
      h(
        'div.field',
        { dataset: { field: 'file' } },
        h('label', { for: 'import-file' }, '台账文件（CSV）'),
        fileInput,
        fileInfo,
        fileError
      ),
      h(
        'div.field',
        { dataset: { field: 'skip_invalid' } },
        h('label.check', null, skipBox, h('span', null, '跳过错误行，导入其余行')),
        h('p.hint.muted', { id: 'import-skip-hint' }, '不勾选时，只要有一行错误就不导入任何数据，便于改正后整份重新导入。')
      ),
      h('div.form-actions', null, submit, h('a.button.ghost-dark', { href: '#/people' }, '返回')),
      progress
    );

    const showAnswer = ({ status, data }, name) => {
      const err = (data && data.error) || {};
      if (status === 200 && data) {
        present(...importDone(ui, data, name, ledger));
      } else if (status === 422 && err.code === 'invalid_rows' && err.import) {
        present(...importRefused(ui, err.import, name, ledger));
      } else if (status === 401) {
        // Lets app.js see the lost session: it shows the login page.
        ui.api('/auth/me').catch(() => {});
      } else if (status === 413) {
        present(
          ui.message(
            '文件超过服务器上限',
            [err.message, '请把台账拆分为几个较小的文件分批导入，或请管理员用命令行导入。'].filter(Boolean).join('。'),
            true
          )
        );
      } else if (status === 400) {
        const box = ui.message('文件无法导入', err.message || '文件格式不正确', true);
        box.classList.add('import-file-error');
        if (IMPORT_HINTS[err.code]) box.append(h('p.muted', null, IMPORT_HINTS[err.code]));
        present(box);
      } else if (status === 403) {
        present(ui.message('无权导入', err.message || '您的账号无权导入台账。', true));
      } else {
        present(ui.message('导入失败', err.message || (status >= 500 ? '服务器内部错误，请稍后再试' : `请求失败（${status}）`), true));
      }
    };

    // The help of the chosen ledger, with a template: its header row only, as
    // a Blob URL while the page shows it.
    const help = h('section.card.import-help', { 'aria-labelledby': 'import-help-title' });
    let template = null;
    const dropTemplate = () => {
      if (template) URL.revokeObjectURL(template);
      template = null;
    };
    if (signal) signal.addEventListener('abort', dropTemplate, { once: true });
    const showHelp = () => {
      dropTemplate();
      template = URL.createObjectURL(csvBlob(csvText(ledger.template, [])));
      help.replaceChildren(
        h('h2', { id: 'import-help-title' }, `台账格式：${ledger.title}`),
        h('p', null, `第一行为表头，其后每行${ledger.row}，列的顺序不限。Excel 中请“另存为”CSV 文件，UTF-8 或 GBK 编码均可。`),
        h(
          'dl.column-list',
          null,
          h('dt', null, '必填'),
          h('dd', null, ledger.required.join('、')),
          h('dt', null, '可选'),
          h('dd', null, ledger.optional.join('、'))
        ),
        h('ul.import-rules', null, ledger.rules.map((r) => h('li', null, r))),
        h('a.template-link', { id: 'import-template', href: template, download: `${ledger.title}模板.csv` }, '下载模板（CSV）')
      );
    };
    showHelp();
    kindInputs.forEach((input) =>
      input.addEventListener('change', () => {
        if (!input.checked) return;
        ledger = LEDGERS.find((l) => l.key === input.value) || LEDGERS[0];
        result.replaceChildren();
        showHelp();
      })
    );

    main.replaceChildren(
      h(
        'div.import-page',
        null,
        backLink(ui, '导入台账'),
        h('h1.page-title', null, '导入台账'),
        // Form, answer, help: the help goes beside the form on a wide screen
        // and after the answer on a phone.
        h('div.import-layout', null, form, result, help)
      )
    );
  }

  // 200: the summary, and the refused rows when skip_invalid left some out.
  function importDone(ui, s, name, ledger) {
    const { h } = ui;
    const invalid = Number(s.invalid || 0);
    const summary = h(
      'section.card.import-summary',
      { class: invalid ? 'is-partial' : 'is-ok' },
      h('h2', null, invalid ? `导入完成，已跳过 ${invalid} 行错误` : '导入完成'),
      importFacts(ui, s, true, ledger),
      Number(s.rows || 0) ? null : h('p.muted', null, '文件中没有数据行。'),
      ledger.next ? h('p.import-next', null, h('a', { href: ledger.next[0] }, ledger.next[1])) : null
    );
    return [summary, invalid ? importErrors(ui, s, name) : null];
  }

  // 422: nothing was imported; the refused rows and what to do.
  function importRefused(ui, s, name, ledger) {
    const { h } = ui;
    const invalid = Number(s.invalid || 0);
    const summary = h(
      'section.card.import-summary.is-refused',
      { role: 'alert' },
      h('h2', null, `有 ${invalid} 行错误，未导入任何数据`),
      h('p', null, '请按下表改正文件后重新导入；或勾选“跳过错误行，导入其余行”，只导入没有错误的行。'),
      importFacts(ui, s, false, ledger)
    );
    return [summary, importErrors(ui, s, name)];
  }

  function importFacts(ui, s, done, ledger) {
    const { h } = ui;
    const n = (v) => String(Number(v || 0));
    const facts = [
      ui.fact('编码', s.encoding || '—', 'encoding'),
      ui.fact('行数', n(s.rows), 'rows'),
    ];
    if (done) {
      facts.push(
        ui.fact('新增', n(s.created), 'created'),
        ui.fact('更新', n(s.updated), 'updated'),
        ui.fact('跳过', n(s.invalid), 'invalid')
      );
      if (ledger.households) facts.push(ui.fact('新建户', n(s.households_created), 'households_created'));
    } else {
      facts.push(ui.fact('错误行', n(s.invalid), 'invalid'));
    }
    return h('dl.facts.import-facts', null, facts);
  }

  // The refused rows (行号, 列, 问题) and 下载错误文件.
  function importErrors(ui, s, name) {
    const { h } = ui;
    const errors = s.errors || [];
    const invalid = Number(s.invalid || errors.length);
    const download = h(
      'button.ghost-dark',
      {
        type: 'button',
        id: 'import-errors-download',
        onclick: () =>
          saveBlob(
            `${name}.errors.csv`,
            csvBlob(csvText(['行号', '列', '错误代码', '问题'], errors.map((e) => [e.line, e.column || '', e.code || '', e.message || ''])))
          ),
      },
      '下载错误文件'
    );
    const rows = errors.map((e) =>
      h(
        'tr',
        { dataset: { line: String(e.line) } },
        h('td.num', { 'data-label': '行号' }, String(e.line ?? '')),
        h('td.nowrap', { 'data-label': '列' }, e.column || h('span.muted', null, '—')),
        h('td', { 'data-label': '问题', title: e.code || null }, e.message || e.code || '')
      )
    );
    return h(
      'section.card.import-errors',
      { 'aria-labelledby': 'import-errors-title' },
      h(
        'div.section-head',
        null,
        h('h2', { id: 'import-errors-title' }, '错误明细', h('span.count', null, String(invalid))),
        errors.length ? download : null
      ),
      invalid > errors.length ? h('p.muted', null, `共 ${invalid} 行有错误，以下仅列出前 ${errors.length} 行，错误文件同样只含这些行。`) : null,
      errors.length
        ? h(
            'div.table-wrap',
            null,
            h(
              'table.data-table.import-errors-table',
              null,
              h('thead', null, h('tr', null, h('th.num', null, '行号'), h('th', null, '列'), h('th', null, '问题'))),
              h('tbody', null, rows)
            )
          )
        : null
    );
  }

  // ---------------------------------------------------------------- household card

  async function showHousehold(main, id, { signal, ui }) {
    const { h } = ui;
    document.title = '户信息 · 平安';
    let hh;
    try {
      hh = await load(ui, signal, '/households/' + enc(id));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      if (e.status === 404 || e.status === 403) main.replaceChildren(backLink(ui, '户信息'), notFound(ui, '户', ['#/people', '返回人员查询']));
      else main.replaceChildren(ui.errorView(e, () => ui.route()));
      return;
    }
    if (signal.aborted) return;
    const members = hh.members || [];
    const writer = canWrite(ui.account().role);
    const card = h(
      'article.card.household-card',
      { dataset: { id: String(hh.id) } },
      h('header.card-head', null, h('h1', { id: 'household-title' }, hh.address || `户 ${hh.id}`), h('span.badge.level', null, '户')),
      h(
        'dl.facts',
        null,
        ui.fact('户号', hh.hh_no || h('span.muted', null, '—'), 'hh_no'),
        ui.fact('地址', hh.address || h('span.muted', null, '—'), 'address'),
        ui.fact('户主', hh.head ? h('a', { href: personHref(hh.head.id) }, hh.head.name) : h('span.muted', null, '未登记'), 'head'),
        ui.fact('所属网格', hh.area ? h('a', { href: ui.areaHref(hh.area.code) }, hh.area.name) : '—', 'area'),
        ui.fact('家庭成员', `${members.length} 人`, 'member_count')
      )
    );
    const rows = members.map((m) =>
      h(
        'tr',
        {
          dataset: { id: String(m.id) },
          onclick: (ev) => {
            if (ev.target.closest('a')) return;
            ui.go(personHref(m.id));
          },
        },
        h('td.name', { 'data-label': '姓名' }, h('a', { href: personHref(m.id) }, m.name)),
        h('td', { 'data-label': '与户主关系' }, m.relation || ''),
        h('td', { 'data-label': '性别' }, GENDER_NAMES[m.gender] || ''),
        h('td.nowrap', { 'data-label': '出生日期' }, m.birth_date || ''),
        h('td.mono.nowrap', { 'data-label': '证件号码' }, m.id_number || '')
      )
    );
    const addHref = `#/people/new?household=${enc(hh.id)}` + (hh.area ? `&area=${enc(hh.area.code)}` : '');
    const section = h(
      'section.card.household-members',
      null,
      h(
        'div.section-head',
        null,
        h('h2', null, '家庭成员', h('span.count', null, String(members.length))),
        writer ? h('a.button', { href: addHref, id: 'household-add' }, '添加成员') : null
      ),
      members.length
        ? h(
            'div.table-wrap',
            null,
            h(
              'table.data-table.members-table',
              null,
              h('thead', null, h('tr', null, ['姓名', '与户主关系', '性别', '出生日期', '证件号码'].map((t) => h('th', null, t)))),
              h('tbody', null, rows)
            )
          )
        : h('p.muted.empty', null, '该户尚未登记成员。')
    );
    main.replaceChildren(h('div.household-page', null, backLink(ui, '户信息'), card, section));
    window.scrollTo(0, 0);
  }

  // ---------------------------------------------------------------- area page

  // The 住户 section of a grid or micro-grid (an area whose children, if any,
  // are all leaves), or null. It loads when opened, so that the area page
  // itself stays one request; a leaf opens it at once.
  function householdsSection(area, ui) {
    const acct = ui.account();
    if (!acct || !canRead(acct.role)) return null;
    const kids = area.children || [];
    const leaf = !area.child_count && !kids.length;
    if (!leaf && !(kids.length && kids.every((c) => !c.child_count))) return null;
    const { h } = ui;
    const count = h('span.count', { hidden: true });
    const body = h('div.households-body', null, h('p.muted.loading-text', null, '正在加载…'));
    let offset = 0;
    let ctl = null;
    let started = false;

    const load = async () => {
      if (ctl) ctl.abort();
      ctl = new AbortController();
      const signal = ctl.signal;
      const page = ui.pageSignal && ui.pageSignal();
      if (page) page.addEventListener('abort', () => ctl && ctl.abort(), { once: true });
      try {
        const data = await ui.api(`/areas/${enc(area.code)}/households?limit=${PAGE}&offset=${offset}`, { signal });
        if (signal.aborted) return;
        const items = (data && data.items) || [];
        const total = Number((data && data.total) ?? items.length);
        count.textContent = String(total);
        count.hidden = false;
        if (!items.length) {
          body.replaceChildren(h('p.muted.empty', null, offset ? '没有更多住户。' : '该区域尚未登记住户。'));
          return;
        }
        const rows = items.map((it) =>
          h(
            'tr',
            {
              dataset: { id: String(it.id) },
              onclick: (ev) => {
                if (ev.target.closest('a')) return;
                ui.go(householdHref(it.id));
              },
            },
            h('td.mono', { 'data-label': '户号' }, it.hh_no || ''),
            h('td.name', { 'data-label': '地址' }, h('a', { href: householdHref(it.id) }, it.address || `户 ${it.id}`)),
            h('td', { 'data-label': '户主' }, it.head_name || h('span.muted', null, '—')),
            h('td.num', { 'data-label': '人数' }, String(it.member_count ?? 0))
          )
        );
        body.replaceChildren(
          h(
            'div.table-wrap',
            null,
            h(
              'table.data-table.households-table',
              null,
              h('thead', null, h('tr', null, h('th', null, '户号'), h('th', null, '地址'), h('th', null, '户主'), h('th.num', null, '人数'))),
              h('tbody', null, rows)
            )
          ),
          pager(ui, total, offset, items.length, (o) => {
            offset = o;
            load();
          }, '户')
        );
      } catch (e) {
        if (isAbort(e, signal) || e.status === 401) return;
        body.replaceChildren(h('p.text-error.empty', { role: 'alert' }, `住户加载失败：${e.message}`));
      }
    };

    const details = h(
      'details.households-details',
      {
        ontoggle: () => {
          if (details.open && !started) {
            started = true;
            load();
          }
        },
      },
      h('summary', null, h('h2', null, '住户', count), h('span.muted.small.expand-hint', null, '点击展开')),
      h(
        'div.households-links',
        null,
        h('a', { href: `#/people?area=${enc(area.code)}` }, '查看本区域人员'),
        leaf && canWrite(acct.role) ? h('a', { href: `#/people/new?area=${enc(area.code)}` }, '登记人员') : null
      ),
      body
    );
    if (leaf) {
      details.open = true;
      started = true;
      load();
    }
    return h('section.card.households', { dataset: { code: area.code } }, details);
  }

  // Labelled form fields with an error line each, for the registry's forms:
  // field(name, label, control, {required, hint, wide, for}) builds one and records
  // it in fields[name] = {wrap, control, error, label}; ids are `${prefix}-${name}`
  // (`for`: the id the label names when the control is a group around it).
  // clear(alert) hides every error; show(name, message, alert) puts an error
  // under the field the API's error.field names (a list index like
  // "tags[2]" names the list), else, or for a hidden field, into alert.
  function formFields(h, prefix) {
    const fields = {};
    const field = (name, label, control, opts = {}) => {
      const id = `${prefix}-${name}`;
      if (!control.id) control.id = id;
      control.setAttribute('aria-describedby', `${id}-error`);
      const error = h('p.field-error', { id: `${id}-error`, hidden: true });
      const wrap = h(
        'div.field',
        { dataset: { field: name }, class: opts.wide ? 'field-wide' : '' },
        h('label', { for: opts.for || control.id }, label, opts.required ? h('span.req', { 'aria-hidden': 'true' }, ' *') : null),
        control,
        opts.hint ? h('p.hint.muted', null, opts.hint) : null,
        error
      );
      fields[name] = { wrap, control, error, label };
      return wrap;
    };
    const clear = (alert) => {
      if (alert) {
        alert.hidden = true;
        alert.textContent = '';
      }
      for (const f of Object.values(fields)) {
        f.error.hidden = true;
        f.error.textContent = '';
        f.control.removeAttribute('aria-invalid');
      }
    };
    const show = (name, message, alert) => {
      const key = String(name || '').replace(/\[\d+\]$/, '');
      const f = fields[key];
      if (!f || f.wrap.hidden) {
        if (alert) {
          alert.textContent = message;
          alert.hidden = false;
          alert.scrollIntoView({ block: 'nearest' });
        }
        return false;
      }
      f.error.textContent = fieldMessage(key, f.label, message);
      f.error.hidden = false;
      f.control.setAttribute('aria-invalid', 'true');
      const focusable = f.control.matches('input, select, textarea') ? f.control : f.control.querySelector('input, select, textarea');
      (focusable || f.control).focus();
      return true;
    };
    return { fields, field, clear, show };
  }

  // The API's message as it reads beside its field: the field's label for
  // its JSON name — none in front ("uscc：…"), the label for "字段 NAME " and
  // none after the label ("退租日期 until 应为…").
  function fieldMessage(key, label, message) {
    let text = String(message || '');
    if (typeof label !== 'string' || !label) return text;
    if (text.startsWith(`${key}：`)) text = text.slice(key.length + 1);
    return text.split(`字段 ${key} `).join(label).split(`${label} ${key} `).join(label);
  }

  window.PinganRegistry = Object.freeze({ show, householdsSection, canRead, canWrite, canReveal, formFields, areaPicker, pager });
})();
