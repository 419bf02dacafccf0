// Pingan (平安) houses (房屋, 出租房屋) and units (“两新”组织 and other units).
//
// Plain ES2020, no framework. Loaded after registry.js (whose formFields,
// areaPicker and pager it draws its forms and lists with) and before app.js,
// whose router calls PinganPlaces.show() for #/houses, #/houses/new,
// #/houses/ID, #/orgs, #/orgs/new and #/orgs/ID. The lists cover the
// account's subtree, or the area of ?area=CODE (the map links here with it).
// app.js lends its helpers (api, h, …) in opts.ui. Every string from the
// server goes into the page as text, never as HTML.
//
// Personal data: tenants' ID numbers and units' contact phones come masked
// from the server and are shown as they come. Write buttons appear only for
// the roles that may write (PinganRegistry.canWrite); the server enforces
// the scope of every request anyway.
'use strict';

(() => {
  const PAGE = 20; // as the registry's pager
  const enc = encodeURIComponent;
  const reg = () => window.PinganRegistry;

  const USES = [
    ['residential', '住宅'],
    ['commercial', '商用'],
    ['mixed', '商住两用'],
    ['other', '其他'],
  ];
  const USE_NAMES = Object.fromEntries(USES);
  // The unit kinds of src/domain/org.c; the server also sends kind_name.
  const KINDS = [
    ['enterprise', '企业'],
    ['social_org', '社会组织'],
    ['institution', '事业单位'],
    ['school', '学校'],
    ['individual', '个体工商户'],
    ['other', '其他'],
  ];
  const KIND_NAMES = Object.fromEntries(KINDS);
  const RESIDENCE_NAMES = { registered: '户籍', floating: '流动', overseas: '境外', left_behind: '留守' };
  // Every role may read units (area.read); houses are the registry's (person.read).
  const ORG_ROLES = ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'mediator', 'petition_officer'];

  const canReadHouses = (role) => !!reg() && reg().canRead(role);
  const canReadOrgs = (role) => ORG_ROLES.includes(role);
  const canWrite = (role) => !!reg() && reg().canWrite(role);

  const houseHref = (id) => '#/houses/' + enc(id);
  const orgHref = (id) => '#/orgs/' + enc(id);
  const personHref = (id) => '#/people/' + enc(id);
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');

  // What each page kind is called and who may see it.
  const KINDS_OF_PAGE = {
    houses: { title: '房屋', what: '房屋', canRead: canReadHouses, list: showHouses, card: showHouse, form: showHouseForm },
    orgs: { title: '组织', what: '单位', canRead: canReadOrgs, list: showOrgs, card: showOrg, form: showOrgForm },
  };

  // ---------------------------------------------------------------- pages

  // opts {page: 'houses'|'orgs', id, params, signal, ui}
  function show(main, opts) {
    const { ui } = opts;
    const kind = KINDS_OF_PAGE[opts.page];
    const acct = ui.account();
    if (!kind || !acct || !kind.canRead(acct.role) || !reg()) {
      document.title = `${kind ? kind.title : ''} · 平安`;
      main.replaceChildren(ui.message('无权访问', `您的账号无权查看${kind ? kind.what : ''}信息。`, true));
      return;
    }
    if (!opts.id) return kind.list(main, opts);
    if (opts.id === 'new') return kind.form(main, opts);
    if (/^\d+$/.test(opts.id)) return kind.card(main, opts.id, opts);
    document.title = '页面不存在 · 平安';
    main.replaceChildren(ui.message('页面不存在', '您访问的页面不存在。', true));
  }

  function crumbs(ui, page, here) {
    const { h } = ui;
    const k = KINDS_OF_PAGE[page];
    return h(
      'nav.crumbs',
      { 'aria-label': '位置' },
      h('ol', null, h('li', null, h('a', { href: '#/' + page }, k.title)), here ? h('li', { 'aria-current': 'page' }, here) : null)
    );
  }

  // Loads one object for a card; on failure fills main and returns null.
  async function loadCard(main, ui, signal, path, page) {
    ui.busy(true);
    try {
      return await ui.api(path, { signal });
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return null;
      const k = KINDS_OF_PAGE[page];
      main.replaceChildren(
        crumbs(ui, page, `${k.what}信息`),
        e.status === 404 || e.status === 403
          ? ui.message(`${k.what}不存在或无权访问`, `未找到该${k.what}，或其不在您的管辖范围内。`, true, ui.h('a.button', { href: '#/' + page }, `返回${k.title}列表`))
          : ui.errorView(e, () => ui.route())
      );
      return null;
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  const dash = (ui) => ui.h('span.muted', null, '—');
  const factOr = (ui, label, value, key) => ui.fact(label, value === '' || value == null ? dash(ui) : value, key);
  const point = (o) => (Number.isFinite(o.lng) && Number.isFinite(o.lat) ? `${o.lng.toFixed(6)}, ${o.lat.toFixed(6)}` : '');
  const areaLink = (ui, area) => (area ? ui.h('a', { href: ui.areaHref(area.code) }, area.name || area.code) : '');

  // ---------------------------------------------------------------- lists

  // The list page of houses or units: head, filters (form), body; kept
  // between pages of the same list so that the old rows stay while the next
  // load. Returns {body, filters}.
  function listPage(main, ui, page, filters, actions) {
    const { h } = ui;
    const existing = main.querySelector(`.places-page[data-page="${page}"]`);
    const body = h('div.registry-body.places-body');
    if (existing) {
      existing.querySelector('form').replaceWith(filters);
      body.replaceChildren(...existing.querySelector('.places-body').childNodes);
      existing.querySelector('.places-body').replaceWith(body);
      existing.querySelector('.page-actions').replaceWith(actions);
    } else {
      main.replaceChildren(
        h(
          'div.places-page',
          { dataset: { page } },
          h('div.page-head', null, h('h1.page-title', null, KINDS_OF_PAGE[page].title), actions),
          filters,
          body
        )
      );
    }
    return body;
  }

  // The query string of a list page's hash from its filter values.
  function listHash(page, f, offset) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
    if (offset) q.set('offset', String(offset));
    const s = q.toString();
    return `#/${page}` + (s ? '?' + s : '');
  }

  // "限定区域：NAME 清除" under the filters when ?area= is given.
  function areaNote(ui, page, f) {
    const { h } = ui;
    if (!f.area) return null;
    const name = h('a', { href: ui.areaHref(f.area) }, f.area);
    const el = h(
      'div.area-filter',
      null,
      h('span.muted', null, '限定区域：'),
      name,
      h('a.clear-filter', { href: listHash(page, { ...f, area: '' }, 0), title: '取消区域限定' }, '清除')
    );
    return { el, named: (a) => (name.textContent = a.name || a.code) };
  }

  // Runs a list query and fills body with rows(items) and the pager.
  async function fillList(ui, signal, body, { path, page, f, offset, note, empty, unit, table }) {
    const { h } = ui;
    ui.busy(true);
    try {
      const [data, area] = await Promise.all([
        ui.api(path, { signal }),
        f.area ? ui.api('/areas/' + enc(f.area), { signal }).catch(() => null) : null,
      ]);
      if (signal.aborted) return;
      if (area && note) note.named(area);
      const items = (data && data.items) || [];
      const total = Number((data && data.total) ?? items.length);
      if (!items.length) {
        body.replaceChildren(h('p.muted.empty', null, offset ? '没有更多结果。' : empty));
        return;
      }
      body.replaceChildren(
        h('div.table-wrap', null, table(items)),
        reg().pager(ui, total, offset, items.length, (o) => ui.go(listHash(page, f, o)), unit)
      );
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      if (e.status === 404) body.replaceChildren(ui.message('区域不存在或无权访问', e.message, true));
      else if (e.status === 403) body.replaceChildren(ui.message('无权访问', e.message, true));
      else body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // A table whose rows open their card: cols [[head, cell(item), class]].
  function linkTable(ui, cls, items, href, cols) {
    const { h } = ui;
    return h(
      `table.data-table.${cls}`,
      null,
      h('thead', null, h('tr', null, cols.map(([t, , c]) => h(c && c.includes('num') ? 'th.num' : 'th', null, t)))),
      h(
        'tbody',
        null,
        items.map((it) =>
          h(
            'tr',
            {
              dataset: { id: String(it.id) },
              onclick: (ev) => {
                if (!ev.target.closest('a')) ui.go(href(it.id));
              },
            },
            cols.map(([t, cell, c]) => h('td', { class: c || null, 'data-label': t }, cell(it)))
          )
        )
      )
    );
  }

  function newButton(ui, page, f, id, label) {
    const { h } = ui;
    const writer = canWrite(ui.account().role);
    return h(
      'div.page-actions',
      null,
      writer ? h('a.button', { href: `#/${page}/new` + (f.area ? '?area=' + enc(f.area) : ''), id }, label) : null
    );
  }

  function filterForm(ui, id, controls, onSubmit, resetHash) {
    const { h } = ui;
    return h(
      'form.filters.places-filters',
      {
        id,
        role: 'search',
        novalidate: true,
        onsubmit: (ev) => {
          ev.preventDefault();
          onSubmit();
        },
      },
      controls,
      h(
        'div.filter-actions',
        null,
        h('button.primary', { type: 'submit' }, '查询'),
        h('button.ghost-dark', { type: 'button', onclick: () => ui.go(resetHash) }, '重置')
      )
    );
  }

  // ---------------------------------------------------------------- houses

  async function showHouses(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '房屋 · 平安';
    const f = { rental: params.get('rental') === '1' ? '1' : '', area: params.get('area') || '' };
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const rental = h('input', { id: 'houses-rental', name: 'rental', type: 'checkbox', checked: !!f.rental });
    const note = areaNote(ui, 'houses', f);
    const filters = filterForm(
      ui,
      'houses-filters',
      [h('div.field', null, h('label.check', null, rental, h('span', null, '只看出租房屋'))), note && note.el],
      () => ui.go(listHash('houses', { ...f, rental: rental.checked ? '1' : '' }, 0)),
      f.area ? listHash('houses', { area: f.area }, 0) : '#/houses'
    );
    const body = listPage(main, ui, 'houses', filters, newButton(ui, 'houses', f, 'house-new', '登记房屋'));
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (f.rental) q.set('rental', '1');
    if (f.area) q.set('area', f.area);
    await fillList(ui, signal, body, {
      path: '/houses?' + q.toString(),
      page: 'houses',
      f,
      offset,
      note,
      unit: '处',
      empty: f.rental ? '没有登记的出租房屋。' : '没有登记的房屋。',
      table: (items) =>
        linkTable(ui, 'houses-table', items, houseHref, [
          ['地址', (it) => h('a', { href: houseHref(it.id) }, it.address || `房屋 ${it.id}`), 'name'],
          ['用途', (it) => USE_NAMES[it.use] || it.use || ''],
          ['出租', (it) => (it.rental ? h('span.badge.rental', null, '出租房屋') : h('span.muted', null, '自住'))],
          ['当前租户', (it) => (it.rental ? String(it.current_tenants ?? 0) : '—'), 'num'],
          ['所属网格', (it) => h('span.mono', null, it.area || ''), 'nowrap'],
        ]),
    });
  }

  async function showHouse(main, id, { signal, ui }) {
    const { h } = ui;
    document.title = '房屋信息 · 平安';
    const house = await loadCard(main, ui, signal, '/houses/' + enc(id), 'houses');
    if (!house || signal.aborted) return;
    document.title = `${house.address} · 平安`;
    const writer = canWrite(ui.account().role);
    const tenants = house.tenants || [];
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const card = h(
      'article.card.house-card',
      { dataset: { id: String(house.id) } },
      h(
        'header.card-head',
        null,
        h('h1', { id: 'house-title' }, house.address || `房屋 ${house.id}`),
        house.rental ? h('span.badge.rental', null, '出租房屋') : h('span.badge.level', null, '房屋')
      ),
      h(
        'dl.facts',
        null,
        factOr(ui, '地址', house.address, 'address'),
        factOr(ui, '用途', USE_NAMES[house.use] || house.use, 'use'),
        factOr(ui, '是否出租', house.rental ? '出租房屋' : '否', 'rental'),
        factOr(ui, '房主', house.owner ? h('a', { href: personHref(house.owner.id) }, house.owner.name) : '', 'owner'),
        factOr(ui, '所属网格', areaLink(ui, house.area), 'area'),
        factOr(ui, '坐标', point(house) ? h('span.mono', null, point(house)) : '', 'point')
      )
    );
    const rows = tenants.map((t) => {
      const current = !t.until || t.until >= today;
      return h(
        'tr',
        { dataset: { id: String(t.id), person: String(t.person.id) } },
        h('td.name', { 'data-label': '姓名' }, h('a', { href: personHref(t.person.id) }, t.person.name)),
        h('td', { 'data-label': '人口类型' }, RESIDENCE_NAMES[t.person.residence_type] || t.person.residence_type || ''),
        h('td.mono.nowrap', { 'data-label': '证件号码' }, t.person.id_number || ''),
        h('td.nowrap', { 'data-label': '起租日期' }, t.since || ''),
        h('td.nowrap', { 'data-label': '退租日期' }, t.until || dash(ui)),
        h('td', { 'data-label': '状态' }, h('span.badge.tenancy', { class: current ? 'is-current' : 'is-past' }, current ? '在租' : '已退租'))
      );
    });
    const dialog = writer && house.rental ? tenantDialog(ui, house, () => ui.route()) : null;
    const section = h(
      'section.card.house-tenants',
      null,
      h(
        'div.section-head',
        null,
        h('h2', null, '承租人', h('span.count', null, String(tenants.length))),
        dialog ? h('button.primary', { type: 'button', id: 'tenant-add', onclick: () => dialog.open() }, '登记承租人') : null
      ),
      tenants.length
        ? h(
            'div.table-wrap',
            null,
            h(
              'table.data-table.tenants-table',
              null,
              h('thead', null, h('tr', null, ['姓名', '人口类型', '证件号码', '起租日期', '退租日期', '状态'].map((t) => h('th', null, t)))),
              h('tbody', null, rows)
            )
          )
        : h('p.muted.empty', null, house.rental ? '尚未登记承租人。' : '该房屋未登记为出租房屋，没有承租人。'),
      dialog ? dialog.el : null
    );
    main.replaceChildren(h('div.house-page', null, crumbs(ui, 'houses', '房屋信息'), card, section));
    window.scrollTo(0, 0);
  }

  // A person of the account's scope chosen by a name search: {el, value(),
  // reset()}; the search box has the id `${id}-q` (for the field's label).
  function personPicker(ui, id) {
    const { h } = ui;
    let chosen = null;
    let ctl = null;
    let timer = 0;
    const input = h('input', { id: `${id}-q`, type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: '输入姓名查找已登记人员' });
    const results = h('ul.person-results', { role: 'listbox', 'aria-label': '查找结果', hidden: true });
    const picked = h('div.person-picked', { hidden: true });
    const el = h('div.person-picker', { id }, input, results, picked);
    const pick = (p) => {
      chosen = p;
      results.hidden = true;
      input.hidden = true;
      picked.hidden = false;
      picked.replaceChildren(
        h('span.person-picked-name', null, p.name),
        p.id_number ? h('span.mono.muted.small', null, ` ${p.id_number}`) : null,
        p.area ? h('span.muted.small', null, ` ${p.area.name}`) : null,
        h('button.ghost-dark.small', { type: 'button', onclick: () => reset(true) }, '更换')
      );
    };
    const reset = (focus) => {
      chosen = null;
      input.hidden = false;
      input.value = '';
      picked.hidden = true;
      results.hidden = true;
      results.replaceChildren();
      if (focus) input.focus();
    };
    const search = async () => {
      const q = input.value.trim();
      if (ctl) ctl.abort();
      if (!q) {
        results.hidden = true;
        return;
      }
      ctl = new AbortController();
      const mine = ctl;
      try {
        const data = await ui.api(`/people?q=${enc(q)}&limit=10`, { signal: mine.signal });
        if (mine.signal.aborted || input.value.trim() !== q) return;
        const items = (data && data.items) || [];
        results.replaceChildren(
          ...(items.length
            ? items.map((p) =>
                h(
                  'li',
                  { role: 'option', 'aria-selected': 'false' },
                  h(
                    'button.person-option',
                    { type: 'button', dataset: { id: String(p.id) }, onclick: () => pick(p) },
                    h('span.person-option-name', null, p.name),
                    h('span.mono.muted.small', null, p.id_number || ''),
                    h('span.muted.small', null, p.area ? p.area.name : '')
                  )
                )
              )
            : [h('li.empty.muted', null, `未找到与“${q}”匹配的人员`)])
        );
        results.hidden = false;
      } catch (e) {
        if (isAbort(e, mine.signal) || e.status === 401) return;
        results.replaceChildren(h('li.empty.text-error', null, e.message));
        results.hidden = false;
      }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      clearTimeout(timer);
      search();
    });
    return { el, value: () => (chosen ? chosen.id : null), reset: () => reset(false) };
  }

  // Shows an error found before sending; build() returns this to send nothing.
  const refuse = (errors, alert, name, message) => {
    errors.show(name, message, alert);
    return null;
  };

  // Submits a form's body with the shared field errors: the 403 goes to the
  // alert, any other error to the field the API names (else the alert).
  function submitter(ui, submit, labels, errors, alert, send) {
    return async (ev) => {
      ev.preventDefault();
      errors.clear(alert);
      const body = send.build();
      if (!body) return;
      submit.disabled = true;
      submit.textContent = labels[1];
      try {
        await send.done(await ui.api(send.path, { method: 'POST', body }));
      } catch (e) {
        if (e.status === 401) return;
        errors.show(e.status === 403 ? null : e.field, e.status === 403 ? send.forbidden : e.message || '保存失败', alert);
      } finally {
        submit.disabled = false;
        submit.textContent = labels[0];
      }
    };
  }

  // The 登记承租人 dialog of a rental house: {el, open()}.
  function tenantDialog(ui, house, done) {
    const { h } = ui;
    const errors = reg().formFields(h, 'tf');
    const picker = personPicker(ui, 'tf-person_id');
    const since = h('input', { name: 'since', type: 'date', required: true });
    const until = h('input', { name: 'until', type: 'date' });
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, '登记');
    const dialog = h('dialog.dialog.tenant-dialog', { id: 'tenant-dialog', 'aria-labelledby': 'tenant-dialog-title' });
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: submitter(ui, submit, ['登记', '登记中…'], errors, alert, {
          path: `/houses/${enc(house.id)}/tenants`,
          forbidden: '您的账号无权登记承租人',
          build: () => {
            const person = picker.value();
            if (!person) return refuse(errors, alert, 'person_id', '请查找并选择承租人');
            if (!since.value) return refuse(errors, alert, 'since', '请填写起租日期');
            const body = { person_id: Number(person), since: since.value };
            if (until.value) body.until = until.value;
            return body;
          },
          done: () => {
            dialog.close();
            done();
          },
        }),
      },
      h('h2', { id: 'tenant-dialog-title' }, '登记承租人'),
      h('p.muted', null, `为 ${house.address} 登记一名承租人（须为管辖范围内已登记的人员）。`),
      alert,
      errors.field('person_id', '承租人', picker.el, { required: true, for: 'tf-person_id-q' }),
      errors.field('since', '起租日期', since, { required: true }),
      errors.field('until', '退租日期', until, { hint: '仍在租住时不填' }),
      h(
        'div.dialog-actions',
        null,
        h('button.ghost-dark', { type: 'button', onclick: () => dialog.close() }, '取消'),
        submit
      )
    );
    dialog.append(form);
    return {
      el: dialog,
      open() {
        errors.clear(alert);
        form.reset();
        picker.reset();
        since.value = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
        dialog.showModal();
        picker.el.querySelector('input').focus();
      },
    };
  }

  // The parts every create form shares: the area picker, the point, the
  // alert and the submit button, and the denial for read-only roles.
  function createForm(main, ui, signal, params, page, title) {
    const { h } = ui;
    document.title = `${title} · 平安`;
    if (!canWrite(ui.account().role)) {
      main.replaceChildren(
        crumbs(ui, page, title),
        ui.message('无权访问', `您的账号无权${title}。`, true, h('a.button', { href: '#/' + page }, '返回列表'))
      );
      return null;
    }
    const errors = reg().formFields(h, page === 'houses' ? 'hf' : 'of');
    const picker = reg().areaPicker(ui, signal, params.get('area') || null);
    const text = (name, extra) => h('input', Object.assign({ name, type: 'text', autocomplete: 'off' }, extra || {}));
    const num = (name) => text(name, { inputmode: 'decimal', placeholder: '可选，WGS-84' });
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, '登记');
    const place = h(
      'fieldset',
      null,
      h('legend', null, '位置'),
      errors.field('area', '所属网格', picker.el, { required: true, wide: true, hint: '须选择到最小一级网格' }),
      errors.field('lng', '经度', num('lng')),
      errors.field('lat', '纬度', num('lat'))
    );
    // The body's area and point, or null after showing the error.
    const where = (body) => {
      const area = picker.value();
      if (!area) return refuse(errors, alert, 'area', picker.loading() ? '正在加载网格，请稍候' : '请选择所属网格');
      body.area = area;
      for (const k of ['lng', 'lat']) {
        const v = errors.fields[k].control.value.trim();
        if (!v) continue;
        if (!Number.isFinite(Number(v))) return refuse(errors, alert, k, `${errors.fields[k].label}应为数字`);
        body[k] = Number(v);
      }
      return body;
    };
    const layout = (form) =>
      main.replaceChildren(h('div.place-form-page', null, crumbs(ui, page, title), h('h1.page-title', null, title), form));
    return { errors, text, alert, submit, place, where, layout };
  }

  // A yes/no field: the box inside its label (an error on it goes to the alert).
  function checkField(ui, box, label) {
    const { h } = ui;
    return h('div.field.field-check', { dataset: { field: box.name } }, h('label.check', null, box, h('span', null, label)));
  }

  function showHouseForm(main, { params, signal, ui }) {
    const { h } = ui;
    const c = createForm(main, ui, signal, params, 'houses', '登记房屋');
    if (!c) return;
    const { errors, text } = c;
    const use = h('select', { name: 'use' }, USES.map(([v, label]) => h('option', { value: v }, label)));
    const rental = h('input', { name: 'rental', type: 'checkbox' });
    const owner = personPicker(ui, 'hf-owner_id');
    const form = h(
      'form.card.person-form.house-form',
      {
        id: 'house-form',
        novalidate: true,
        onsubmit: submitter(ui, c.submit, ['登记', '登记中…'], errors, c.alert, {
          path: '/houses',
          forbidden: '您的账号无权登记房屋',
          build: () => {
            const address = errors.fields.address.control.value.trim();
            if (!address) return refuse(errors, c.alert, 'address', '请填写地址');
            const body = { address, use: use.value, rental: rental.checked };
            if (owner.value()) body.owner_id = Number(owner.value());
            return c.where(body);
          },
          done: (house) => ui.go(houseHref(house.id), true),
        }),
      },
      c.alert,
      h(
        'fieldset',
        null,
        h('legend', null, '房屋信息'),
        errors.field('address', '地址', text('address', { maxlength: '128', required: true }), { required: true, wide: true }),
        errors.field('use', '用途', use),
        checkField(ui, rental, '登记为出租房屋（可登记承租人）'),
        errors.field('owner_id', '房主', owner.el, { wide: true, for: 'hf-owner_id-q', hint: '可选，须为管辖范围内已登记的人员' })
      ),
      c.place,
      h('div.form-actions', null, c.submit, h('a.button.ghost-dark', { href: '#/houses' }, '取消'))
    );
    c.layout(form);
    errors.fields.address.control.focus();
  }

  // ---------------------------------------------------------------- units

  async function showOrgs(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '组织 · 平安';
    const f = {
      kind: KIND_NAMES[params.get('kind')] ? params.get('kind') : '',
      q: params.get('q') || '',
      area: params.get('area') || '',
    };
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const kind = h('select', { id: 'orgs-kind', name: 'kind' }, h('option', { value: '' }, '全部'), KINDS.map(([k, label]) => h('option', { value: k }, label)));
    kind.value = f.kind;
    const q = h('input', { id: 'orgs-q', name: 'q', type: 'search', value: f.q, autocomplete: 'off', placeholder: '名称中的文字，或完整的统一社会信用代码' });
    const note = areaNote(ui, 'orgs', f);
    const filters = filterForm(
      ui,
      'orgs-filters',
      [
        h('div.field', null, h('label', { for: 'orgs-kind' }, '类别'), kind),
        h('div.field.field-q', null, h('label', { for: 'orgs-q' }, '名称'), q),
        note && note.el,
      ],
      () => ui.go(listHash('orgs', { ...f, kind: kind.value, q: q.value.trim() }, 0)),
      f.area ? listHash('orgs', { area: f.area }, 0) : '#/orgs'
    );
    const body = listPage(main, ui, 'orgs', filters, newButton(ui, 'orgs', f, 'org-new', '登记单位'));
    const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    for (const k of ['kind', 'q', 'area']) if (f[k]) query.set(k, f[k]);
    await fillList(ui, signal, body, {
      path: '/orgs?' + query.toString(),
      page: 'orgs',
      f,
      offset,
      note,
      unit: '家',
      empty: '没有符合条件的单位。',
      table: (items) =>
        linkTable(ui, 'orgs-table', items, orgHref, [
          ['名称', (it) => h('a', { href: orgHref(it.id) }, it.name), 'name'],
          ['类别', (it) => kindBadge(ui, it)],
          ['统一社会信用代码', (it) => it.uscc || dash(ui), 'mono nowrap'],
          ['地址', (it) => it.address || '', 'addr'],
          ['所属网格', (it) => (it.area ? it.area.name : ''), ''],
        ]),
    });
  }

  const kindBadge = (ui, o) => ui.h('span.badge.org-kind', { dataset: { kind: o.kind } }, o.kind_name || KIND_NAMES[o.kind] || o.kind || '');
  const yesNo = (v) => (v ? '有' : '无');

  async function showOrg(main, id, { signal, ui }) {
    const { h } = ui;
    document.title = '单位信息 · 平安';
    const o = await loadCard(main, ui, signal, '/orgs/' + enc(id), 'orgs');
    if (!o || signal.aborted) return;
    // The kind's own items (a school's safety officers) are labelled from
    // the server's table; without it they show by their keys.
    const spec = await window.PinganTypeFields.load(ui).catch(() => ({ org: {} }));
    if (signal.aborted) return;
    document.title = `${o.name} · 平安`;
    const contact = o.contact_name || o.contact_phone
      ? h(
          'span.org-contact',
          null,
          o.contact_name || '',
          o.contact_phone ? h('span.mono.sensitive', { title: '手机号已脱敏显示' }, ` ${o.contact_phone}`) : null
        )
      : '';
    const card = h(
      'article.card.org-card',
      { dataset: { id: String(o.id) } },
      h('header.card-head', null, h('h1', { id: 'org-title' }, o.name), kindBadge(ui, o)),
      h(
        'dl.facts',
        null,
        factOr(ui, '统一社会信用代码', o.uscc ? h('span.mono', null, o.uscc) : '', 'uscc'),
        factOr(ui, '名称', o.name, 'name'),
        factOr(ui, '类别', o.kind_name || KIND_NAMES[o.kind] || o.kind, 'kind'),
        factOr(ui, '地址', o.address, 'address'),
        factOr(ui, '所属网格', areaLink(ui, o.area), 'area'),
        factOr(ui, '坐标', point(o) ? h('span.mono', null, point(o)) : '', 'point'),
        factOr(ui, '法定代表人', o.legal_rep, 'legal_rep'),
        factOr(ui, '安全联系人', contact, 'contact'),
        factOr(ui, '从业人数', o.employees == null ? '' : `${o.employees} 人`, 'employees'),
        factOr(ui, '党组织', yesNo(o.party_org), 'party_org'),
        factOr(ui, '工会', yesNo(o.trade_union), 'trade_union')
      ),
      extraFields(ui, o, spec.org[o.kind] || [])
    );
    main.replaceChildren(h('div.org-page', null, crumbs(ui, 'orgs', '单位信息'), card));
    window.scrollTo(0, 0);
  }

  // The kind's own items of a unit (GET /meta/fields: a school's safety
  // officers, …) in the table's order, then any the table does not know.
  function extraFields(ui, o, defs) {
    const { h } = ui;
    const fields = o.fields;
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return null;
    const shown = (v) => v !== null && v !== undefined && v !== '';
    const known = new Set(defs.map((d) => d.key));
    const entries = [
      ...defs.filter((d) => shown(fields[d.key])).map((d) => [d.key, d.label, window.PinganTypeFields.text(d, fields[d.key])]),
      ...Object.entries(fields)
        .filter(([k, v]) => !known.has(k) && shown(v))
        .map(([k, v]) => [k, k, valueText(v)]),
    ];
    if (!entries.length) return null;
    return h(
      'section.org-fields',
      null,
      h('h2', null, o.kind === 'school' ? '校园安全' : '专属信息'),
      h('dl.facts', null, entries.map(([k, label, text]) => ui.fact(label, text, `fields.${k}`)))
    );
  }

  function valueText(v) {
    if (typeof v === 'boolean') return yesNo(v);
    if (Array.isArray(v)) return v.map(valueText).join('、');
    if (v && typeof v === 'object') {
      if (typeof v.name === 'string') return [v.name, v.role, v.phone].filter((x) => typeof x === 'string' && x).join(' ');
      return Object.entries(v)
        .map(([k, x]) => `${k}：${valueText(x)}`)
        .join('；');
    }
    return String(v);
  }

  function showOrgForm(main, { params, signal, ui }) {
    const { h } = ui;
    const c = createForm(main, ui, signal, params, 'orgs', '登记单位');
    if (!c) return;
    const { errors, text } = c;
    const kind = h('select', { name: 'kind' }, h('option', { value: '' }, '请选择'), KINDS.map(([k, label]) => h('option', { value: k }, label)));
    const TEXTS = ['name', 'uscc', 'address', 'legal_rep', 'contact_name', 'contact_phone'];
    // The kind's own items (a school's safety officers), redrawn with the kind.
    let spec = { org: {} };
    let kindDefs = [];
    const kindBox = h('fieldset.org-kind-fields', { hidden: true }, h('legend', null, '专属信息'));
    const drawKind = () => {
      for (const d of kindDefs) delete errors.fields[`fields.${d.key}`];
      kindDefs = spec.org[kind.value] || [];
      kindBox.replaceChildren(
        h('legend', null, kind.value === 'school' ? '校园安全' : '专属信息'),
        ...kindDefs.map((d) => errors.field(`fields.${d.key}`, d.label, window.PinganTypeFields.control(h, d, `of-fields-${d.key}`)))
      );
      kindBox.hidden = !kindDefs.length;
    };
    kind.addEventListener('change', drawKind);
    window.PinganTypeFields.load(ui).then(
      (t) => {
        spec = t;
        drawKind();
      },
      () => {} // the unit registers without them
    );
    const form = h(
      'form.card.person-form.org-form',
      {
        id: 'org-form',
        novalidate: true,
        onsubmit: submitter(ui, c.submit, ['登记', '登记中…'], errors, c.alert, {
          path: '/orgs',
          forbidden: '您的账号无权登记单位',
          build: () => {
            const body = {};
            for (const k of TEXTS) {
              const v = errors.fields[k].control.value.trim();
              if (v) body[k] = v;
            }
            if (!body.name) return refuse(errors, c.alert, 'name', '请填写单位名称');
            if (!kind.value) return refuse(errors, c.alert, 'kind', '请选择单位类别');
            body.kind = kind.value;
            const n = errors.fields.employees.control.value.trim();
            if (n && !/^\d+$/.test(n)) return refuse(errors, c.alert, 'employees', '从业人数应为不小于0的整数');
            if (n) body.employees = Number(n);
            const extra = {};
            for (const d of kindDefs) {
              const v = window.PinganTypeFields.read(d, errors.fields[`fields.${d.key}`].control);
              if (v !== undefined) extra[d.key] = v;
            }
            if (Object.keys(extra).length) body.fields = extra;
            body.party_org = form.elements.namedItem('party_org').checked;
            body.trade_union = form.elements.namedItem('trade_union').checked;
            return c.where(body);
          },
          done: (o) => ui.go(orgHref(o.id), true),
        }),
      },
      c.alert,
      h(
        'fieldset',
        null,
        h('legend', null, '单位信息'),
        errors.field('name', '单位名称', text('name', { maxlength: '64', required: true }), { required: true, wide: true }),
        errors.field('kind', '类别', kind, { required: true }),
        errors.field('uscc', '统一社会信用代码', text('uscc', { maxlength: '18', spellcheck: 'false', autocapitalize: 'characters' }), {
          hint: '18位，字母大写；个体工商户等无代码时可不填',
        }),
        errors.field('address', '地址', text('address', { maxlength: '128' }), { wide: true }),
        errors.field('legal_rep', '法定代表人', text('legal_rep', { maxlength: '32' })),
        errors.field('employees', '从业人数', text('employees', { inputmode: 'numeric' })),
        checkField(ui, h('input', { name: 'party_org', type: 'checkbox' }), '已建立党组织'),
        checkField(ui, h('input', { name: 'trade_union', type: 'checkbox' }), '已建立工会')
      ),
      kindBox,
      h(
        'fieldset',
        null,
        h('legend', null, '安全联系人'),
        errors.field('contact_name', '姓名', text('contact_name', { maxlength: '32' })),
        errors.field('contact_phone', '手机', text('contact_phone', { type: 'tel', maxlength: '32', inputmode: 'tel' }), { hint: '加密保存，显示时脱敏' })
      ),
      c.place,
      h('div.form-actions', null, c.submit, h('a.button.ghost-dark', { href: '#/orgs' }, '取消'))
    );
    c.layout(form);
    errors.fields.name.control.focus();
  }

  // The links of an area (the map's selected grid) to its houses and units,
  // for the account's role: [[label, hash]].
  function areaLinks(role, code) {
    const links = [];
    if (canReadHouses(role)) links.push(['房屋', `#/houses?area=${enc(code)}`]);
    if (canReadOrgs(role)) links.push(['组织', `#/orgs?area=${enc(code)}`]);
    return links;
  }

  // lists: the list helpers web/events.js draws its queues with.
  const lists = Object.freeze({ linkTable, filterForm, listHash });
  window.PinganPlaces = Object.freeze({ show, canReadHouses, canReadOrgs, canWrite, areaLinks, lists });
})();
