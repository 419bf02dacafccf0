// Pingan (平安) browser UI shell.
//
// Plain ES2020, no framework, no build step. One hash router drives the
// pages: #/login, #/areas[/CODE], #/map[/CODE] (the grid map, web/map.js),
// #/people[/ID|/new|/import] and #/households/ID (the population registry
// and its ledger import, web/registry.js), #/houses[/ID|/new] and
// #/orgs[/ID|/new] (houses, rental housing and units, web/places.js),
// #/groups (special groups and their visit duty, web/groups.js), the work
// orders of the closed loop — #/inbox (待办), #/desk (调度台 / 部门工作台),
// #/events/ID (web/events.js) and #/report (上报事件, the grid worker's phone
// page that also works offline, web/report.js) — and #/audit (admins). The
// residents' pages #/public/report and #/public/track[/CODE] (web/public.js)
// need no account and show none of the staff UI. All data
// comes from the JSON API under /api/v1 with the HttpOnly session cookie;
// every string from the server is put into the page with textContent, never
// as HTML.
'use strict';

(() => {
  const API = '/api/v1';

  const ROLE_NAMES = {
    admin: '系统管理员',
    leader: '领导',
    dispatcher: '调度员',
    handler: '部门处置人员',
    grid_worker: '网格员',
    mediator: '调解员',
    petition_officer: '信访干部',
  };

  const LOGIN_ERRORS = {
    invalid_credentials: '用户名或密码错误',
    account_locked: '账号已锁定，请15分钟后再试',
    too_many_attempts: '尝试过于频繁，请稍后再试',
  };

  const OUTCOMES = {
    ok: ['成功', 'ok'],
    denied: ['拒绝', 'denied'],
    error: ['错误', 'error'],
  };

  const AUDIT_PAGE = 50;

  const state = {
    account: null, // the logged-in account, or null
    levels: new Map(), // level key -> {name, depth}
    redirect: null, // hash to return to after a forced re-login
    notice: null, // one-shot message for the login page
  };

  const app = document.getElementById('app');
  let shell = null; // {root, main, nav: {key: <a>}, account}
  let current = null; // AbortController of the page being shown

  // ---------------------------------------------------------------- DOM

  // h('a.link', {href: '#'}, 'text', child, [more]) -> element
  function h(spec, attrs, ...children) {
    const [tag, ...classes] = spec.split('.');
    const el = document.createElement(tag || 'div');
    if (classes.length) el.className = classes.join(' ');
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith('on') && typeof v === 'function') {
          el.addEventListener(k.slice(2), v);
        } else if (k === 'class') {
          el.className = [el.className, v].filter(Boolean).join(' ');
        } else if (k === 'dataset') {
          Object.assign(el.dataset, v);
        } else if (k === 'value' || k === 'checked' || k === 'disabled') {
          el[k] = v;
        } else {
          el.setAttribute(k, v === true ? '' : String(v));
        }
      }
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false || c === '') continue;
      if (Array.isArray(c)) append(el, c);
      else el.append(c instanceof Node ? c : String(c));
    }
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, code, message, field) {
      super(message);
      this.status = status;
      this.code = code;
      this.field = field || null;
    }
  }

  // api(path, {method, body, raw, type, signal, auth}) -> parsed JSON (null
  // for 204). raw (a Blob) is sent as it is with Content-Type type (a photo
  // upload), body as JSON. Throws ApiError (with retryAfter, in seconds, from
  // a 429's Retry-After); AbortError passes through. A 401 sends the browser
  // to the login page unless auth === false (login itself, the boot probe,
  // the residents' pages).
  async function api(path, opts = {}) {
    const init = {
      method: opts.method || 'GET',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal: opts.signal,
    };
    if (opts.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    } else if (opts.raw !== undefined) {
      init.headers['Content-Type'] = opts.type || 'application/octet-stream';
      init.body = opts.raw;
    }
    let res;
    try {
      res = await fetch(API + path, init);
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
    }
    let data = null;
    if (res.status !== 204) {
      const text = await res.text();
      if (text) {
        try {
          data = JSON.parse(text);
        } catch (e) {
          data = null;
        }
      }
    }
    if (res.ok) return data;
    const err = (data && data.error) || {};
    const fallback = res.status >= 500 ? '服务器内部错误，请稍后再试' : `请求失败（${res.status}）`;
    const error = new ApiError(res.status, err.code || `http_${res.status}`, err.message || fallback, err.field);
    if (res.status === 429) error.retryAfter = Number(res.headers.get('Retry-After')) || null;
    if (res.status === 401 && opts.auth !== false) sessionLost();
    throw error;
  }

  function sessionLost() {
    const hash = location.hash;
    if (state.account) state.notice = '登录已失效，请重新登录';
    state.account = null;
    shell = null;
    if (!hash.startsWith('#/login')) state.redirect = hash || null;
    go('#/login', true);
  }

  async function loadLevels() {
    try {
      const data = await api('/levels', { auth: false });
      state.levels = new Map((data.items || []).map((l) => [l.key, l]));
    } catch (e) {
      // Level names are decoration (area responses carry their own).
    }
  }

  const levelName = (key) => (state.levels.get(key) || {}).name || '';
  // The level name of an area object: its own level_name, else from /levels.
  const lvl = (o) => o.level_name || levelName(o.level) || o.level || '';

  // ---------------------------------------------------------------- router

  function go(hash, replace) {
    if (location.hash === hash) {
      route();
    } else if (replace) {
      location.replace(hash);
    } else {
      location.hash = hash;
    }
  }

  function parseHash() {
    let raw = location.hash.replace(/^#/, '');
    const q = raw.indexOf('?');
    const query = q >= 0 ? raw.slice(q + 1) : '';
    if (q >= 0) raw = raw.slice(0, q);
    const parts = raw.split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (e) {
        return p;
      }
    });
    return { parts, params: new URLSearchParams(query) };
  }

  function route() {
    if (current) current.abort();
    current = new AbortController();
    const signal = current.signal;
    const { parts, params } = parseHash();
    const page = parts[0] || '';
    if (page !== 'map' && window.PinganMap) window.PinganMap.leave();

    // The residents' pages: the same for everyone, signed in or not.
    if (page === 'public') {
      showPublic(parts.slice(1), signal);
      return;
    }
    if (!state.account) {
      if (page !== 'login') {
        if (page) state.redirect = location.hash;
        go('#/login', true);
        return;
      }
      showLogin();
      return;
    }
    if (page === 'login' || page === '') {
      go('#/areas', true);
      return;
    }
    if (page === 'areas' && parts.length <= 2) {
      showArea(parts[1] || null, signal);
    } else if (page === 'map' && parts.length <= 2) {
      showMap(parts[1] || null, params);
    } else if ((page === 'people' && parts.length <= 2) || (page === 'households' && parts.length === 2)) {
      // #/people, #/people/new, #/people/import, #/people/ID, #/households/ID
      showRegistry(page, parts[1] || null, params, signal);
    } else if ((page === 'houses' || page === 'orgs') && parts.length <= 2) {
      showPlaces(page, parts[1] || null, params, signal);
    } else if (page === 'groups' && parts.length === 1) {
      showGroups(params, signal);
    } else if (((page === 'inbox' || page === 'desk') && parts.length === 1) || (page === 'events' && parts.length === 2)) {
      showEvents(page, parts[1] || null, params, signal);
    } else if (page === 'report' && parts.length === 1) {
      showReport(signal);
    } else if (page === 'audit' && parts.length === 1) {
      showAudit(params, signal);
    } else if (moduleFor(page)) {
      showModule(moduleFor(page), page, parts, params, signal);
    } else {
      const main = ensureShell(null);
      main.replaceChildren(message('页面不存在', '您访问的页面不存在。', true));
      document.title = '页面不存在 · 平安';
    }
  }

  // ---------------------------------------------------------------- login

  function showLogin() {
    shell = null;
    document.title = '登录 · 平安';
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const user = h('input', {
      id: 'login-username',
      name: 'username',
      type: 'text',
      autocomplete: 'username',
      autocapitalize: 'off',
      spellcheck: 'false',
      required: true,
    });
    const pass = h('input', {
      id: 'login-password',
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const button = h('button.primary.wide', { type: 'submit' }, '登录');

    const showError = (text, field) => {
      alert.textContent = text;
      alert.hidden = false;
      for (const input of [user, pass]) input.removeAttribute('aria-invalid');
      const bad = field === 'username' ? user : field === 'password' ? pass : null;
      if (bad) {
        bad.setAttribute('aria-invalid', 'true');
        bad.focus();
      }
    };

    const form = h(
      'form.login-card',
      {
        id: 'login-form',
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          const username = user.value.trim();
          const password = pass.value;
          if (!username) return showError('请输入用户名', 'username');
          if (!password) return showError('请输入密码', 'password');
          button.disabled = true;
          button.textContent = '登录中…';
          try {
            const data = await api('/auth/login', {
              method: 'POST',
              body: { username, password },
              auth: false,
            });
            state.account = data.account;
            state.notice = null;
            shell = null;
            loadLevels(); // in the background: only tooltips use it
            const target = state.redirect && !state.redirect.startsWith('#/login') ? state.redirect : '#/areas';
            state.redirect = null;
            go(target);
          } catch (e) {
            button.disabled = false;
            button.textContent = '登录';
            pass.value = '';
            showError(LOGIN_ERRORS[e.code] || e.message || '登录失败', e.field || (e.code === 'invalid_credentials' ? 'password' : null));
          }
        },
      },
      h('div.brand-mark', { 'aria-hidden': 'true' }, '平安'),
      h('h1', null, '平安 · 网格化社会治理平台'),
      h('p.muted', null, '请使用您的账号登录'),
      alert,
      h('div.field', null, h('label', { for: 'login-username' }, '用户名'), user),
      h('div.field', null, h('label', { for: 'login-password' }, '密码'), pass),
      button,
      h(
        'p.login-public',
        null,
        '群众无需登录：',
        h('a', { href: '#/public/report', id: 'login-public-report' }, '上报问题'),
        ' · ',
        h('a', { href: '#/public/track', id: 'login-public-track' }, '查询办理进度')
      )
    );
    app.replaceChildren(h('main.login-page', null, form));
    if (state.notice) {
      showError(state.notice, null);
      state.notice = null;
    }
    user.focus();
  }

  async function logout() {
    try {
      await api('/auth/logout', { method: 'POST', auth: false });
    } catch (e) {
      // The session is dropped on our side whatever the server says.
    }
    state.account = null;
    state.redirect = null;
    shell = null;
    if (report()) report().stop();
    go('#/login');
  }

  // ---------------------------------------------------------------- layout

  // Builds the header + navigation once per login; returns the <main>.
  function ensureShell(active) {
    const acct = state.account;
    if (!shell || shell.account !== acct) {
      const nav = {};
      const pages = [];
      if (events()) pages.push(...events().navPages(acct.role));
      if (report() && acct.role === 'grid_worker') pages.push(['report', '上报事件', '#/report']);
      pages.push(['areas', '区域网格', '#/areas'], ['map', '网格地图', '#/map']);
      if (registry() && registry().canRead(acct.role)) pages.push(['people', '实有人口', '#/people']);
      if (places() && places().canReadHouses(acct.role)) pages.push(['houses', '房屋', '#/houses']);
      if (places() && places().canReadOrgs(acct.role)) pages.push(['orgs', '组织', '#/orgs']);
      if (groups() && groups().canRead(acct.role)) pages.push(['groups', '特殊人群', '#/groups']);
      for (const m of modules()) pages.push(...m.navPages(acct.role));
      if (acct.role === 'admin') pages.push(['audit', '审计日志', '#/audit']);
      const navList = h(
        'ul',
        null,
        pages.map(([key, label, href]) => h('li', null, (nav[key] = h('a', { href }, label))))
      );
      const main = h('main.main', { id: 'main', tabindex: '-1' });
      const area = acct.area ? acct.area.name : acct.department ? deptName(acct.department) : '';
      const root = h(
        'div.layout',
        null,
        h(
          'header.topbar',
          null,
          h('a.brand', { href: '#/areas' }, h('span.brand-mark', { 'aria-hidden': 'true' }, '平安'), h('span.brand-text', null, '平安 · 网格化社会治理平台')),
          h(
            'div.who',
            null,
            h('span.who-name', { title: acct.username }, acct.name || acct.username),
            roleName(acct.role) !== acct.name ? h('span.badge.role', null, roleName(acct.role)) : null,
            area ? h('span.who-area', null, area) : null,
            h('button.ghost', { type: 'button', id: 'logout', onclick: logout }, '退出')
          ),
          h('div.progress', { 'aria-hidden': 'true' })
        ),
        h('nav.sidenav', { 'aria-label': '主导航' }, navList),
        main
      );
      shell = { root, main, nav, account: acct };
      app.replaceChildren(root);
      if (report()) report().start(registryUi); // sends what it left queued
    }
    for (const [key, a] of Object.entries(shell.nav)) {
      if (key === active) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    return shell.main;
  }

  const roleName = (r) => ROLE_NAMES[r] || r || '';

  function deptName(d) {
    if (!d) return '';
    return typeof d === 'string' ? d : d.name || d.code || '';
  }

  function busy(on) {
    if (shell) shell.root.classList.toggle('loading', on);
  }

  function message(title, text, isError, action) {
    return h(
      'div.notice',
      { class: isError ? 'notice-error' : '', role: isError ? 'alert' : 'status' },
      h('h1', null, title),
      text ? h('p', null, text) : null,
      action || null
    );
  }

  function errorView(e, retry) {
    return message(
      '加载失败',
      e.message || '请稍后再试',
      true,
      h('button.primary', { type: 'button', onclick: retry }, '重试')
    );
  }

  // ---------------------------------------------------------------- areas

  async function showArea(code, signal) {
    const main = ensureShell('areas');
    busy(true);
    try {
      let target = code;
      if (!target) {
        if (state.account.area && state.account.area.code) {
          target = state.account.area.code;
        } else {
          const list = await api('/areas', { signal });
          const first = list && list.items && list.items[0];
          if (!first) {
            main.replaceChildren(message('暂无可访问的区域', '您的账号尚未分配管辖区域。', false));
            return;
          }
          target = first.code;
        }
      }
      const area = await api('/areas/' + encodeURIComponent(target), { signal });
      if (signal.aborted) return;
      main.replaceChildren(areaPage(area));
      document.title = `${area.name} · 平安`;
      window.scrollTo(0, 0);
    } catch (e) {
      if (signal.aborted || e.name === 'AbortError' || e.status === 401) return;
      document.title = '区域网格 · 平安';
      if (e.status === 404 || e.status === 403) {
        const root = state.account.area;
        main.replaceChildren(
          searchBox(),
          message(
            '区域不存在或无权访问',
            `未找到编码为 ${code || ''} 的区域，或该区域不在您的管辖范围内。`,
            true,
            h('a.button', { href: '#/areas' }, root ? `返回${root.name}` : '返回我的区域')
          )
        );
      } else {
        main.replaceChildren(errorView(e, route));
      }
    } finally {
      if (!signal.aborted) busy(false);
    }
  }

  function areaPage(a) {
    const ancestors = (a.ancestors || []).filter((x) => x.code !== a.code);
    const crumbs = h(
      'nav.crumbs',
      { 'aria-label': '区域路径' },
      h(
        'ol',
        null,
        ancestors.map((x) => h('li', null, h('a', { href: areaHref(x.code), title: levelName(x.level) || null }, x.name))),
        h('li', { 'aria-current': 'page', title: lvl(a) }, a.name)
      )
    );

    const retired = !!a.retired_at;
    const card = h(
      'article.card.area-card',
      { class: retired ? 'is-retired' : '', dataset: { code: a.code } },
      h(
        'header.card-head',
        null,
        h('h1', { id: 'area-title' }, a.name),
        h('span.badge.level', null, lvl(a)),
        retired ? h('span.badge.retired', null, '已撤销') : null
      ),
      h(
        'dl.facts',
        null,
        fact('编码', h('span.mono.area-code', null, a.code)),
        fact('层级', lvl(a)),
        fact('启用日期', a.valid_from || '—'),
        fact('状态', retired ? h('span.text-retired', null, `已撤销（${fmtDate(a.retired_at)}）`) : '在用'),
        fact('下级数量', String(a.child_count ?? (a.children || []).length)),
        fact('网格长', a.leader ? person(a.leader) : h('span.muted', null, '未配置'), 'leader'),
        fact('网格员', peopleList(a.workers), 'workers')
      )
    );

    const households = registry() ? registry().householdsSection(a, registryUi) : null;
    return h('div.area-page', null, searchBox(), crumbs, card, childrenTable(a), households);
  }

  function fact(label, value, key) {
    return h('div.fact', { dataset: key ? { fact: key } : null }, h('dt', null, label), h('dd', null, value));
  }

  function person(p) {
    return h('span.person', null, p.name || p.username, p.username && p.name ? h('span.muted.mono.small', null, ` ${p.username}`) : null);
  }

  function peopleList(list) {
    if (!list || !list.length) return h('span.muted', null, '未配置');
    return h('ul.people', null, list.map((p) => h('li', null, person(p))));
  }

  function childrenTable(a) {
    const kids = a.children || [];
    const childLevel = kids.length ? lvl(kids[0]) : '';
    const head = h('h2', null, childLevel ? `下级${childLevel}` : '下级区域', h('span.count', null, String(kids.length)));
    if (!kids.length) {
      return h('section.card.children', null, head, h('p.muted.empty', null, '该区域没有下级区域。'));
    }
    const rows = kids.map((c) => {
      const retired = !!c.retired_at;
      const names = (c.workers || []).map((w) => w.name || w.username);
      return h(
        'tr',
        {
          class: retired ? 'is-retired' : '',
          dataset: { code: c.code },
          onclick: (ev) => {
            if (ev.target.closest('a')) return;
            go(areaHref(c.code));
          },
        },
        h('td.mono.code', { 'data-label': '编码' }, c.code),
        h(
          'td.name',
          { 'data-label': '名称' },
          h('a', { href: areaHref(c.code) }, c.name),
          retired ? h('span.badge.retired', null, '已撤销') : null
        ),
        h('td.level', { 'data-label': '层级' }, lvl(c)),
        h(
          'td.workers',
          { class: names.length ? '' : 'none', 'data-label': '网格员', title: (c.workers || []).map((w) => w.username).join('、') || null },
          names.length ? names.join('、') : h('span.muted', null, '—')
        ),
        h('td.num', { 'data-label': '下级数量' }, String(c.child_count ?? 0))
      );
    });
    return h(
      'section.card.children',
      null,
      head,
      h(
        'div.table-wrap',
        null,
        h(
          'table.data-table.children-table',
          null,
          h(
            'thead',
            null,
            h('tr', null, h('th', null, '编码'), h('th', null, '名称'), h('th', null, '层级'), h('th', null, '网格员'), h('th.num', null, '下级数量'))
          ),
          h('tbody', null, rows)
        )
      )
    );
  }

  const areaHref = (code) => '#/areas/' + encodeURIComponent(code);

  // Search box with a results list (ARIA combobox pattern). A chosen area is
  // opened in the area browser unless onChoose(item) is given.
  function searchBox(onChoose) {
    const listId = 'area-search-results';
    let items = [];
    let active = -1;
    let timer = 0;
    let ctl = null;

    const input = h('input', {
      type: 'search',
      id: 'area-search',
      placeholder: '搜索区域名称或编码',
      'aria-label': '搜索区域名称或编码',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const list = h('ul.search-results', { id: listId, role: 'listbox', hidden: true });
    // Keep focus in the input while clicking a result.
    list.addEventListener('mousedown', (ev) => ev.preventDefault());

    const close = () => {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    };
    const choose = (item) => {
      close();
      input.value = '';
      input.blur();
      if (onChoose) onChoose(item);
      else go(areaHref(item.code));
    };
    const highlight = (i) => {
      const opts = list.querySelectorAll('[role=option]');
      opts.forEach((o, j) => o.setAttribute('aria-selected', j === i ? 'true' : 'false'));
      active = i;
      if (opts[i]) {
        input.setAttribute('aria-activedescendant', opts[i].id);
        opts[i].scrollIntoView({ block: 'nearest' });
      }
    };
    const render = (found, q) => {
      items = found;
      active = -1;
      list.replaceChildren(
        ...(found.length
          ? found.map((it, i) =>
              h(
                'li.option',
                {
                  id: `${listId}-${i}`,
                  role: 'option',
                  'aria-selected': 'false',
                  dataset: { code: it.code },
                  onclick: () => choose(it),
                },
                h('span.opt-name', null, it.name),
                h('span.badge.level', null, lvl(it)),
                it.parent_name ? h('span.opt-parent.muted', null, it.parent_name) : null,
                h('span.opt-code.mono.muted', null, it.code)
              )
            )
          : [h('li.empty.muted', { role: 'option', 'aria-disabled': 'true' }, `未找到与“${q}”匹配的区域`)])
      );
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    };
    const search = async () => {
      const q = input.value.trim();
      if (ctl) ctl.abort();
      if (!q) {
        close();
        return;
      }
      ctl = new AbortController();
      const mine = ctl;
      try {
        const data = await api(`/areas?q=${encodeURIComponent(q)}&limit=20`, { signal: mine.signal });
        if (mine.signal.aborted || input.value.trim() !== q) return;
        render((data && data.items) || [], q);
      } catch (e) {
        if (mine.signal.aborted || e.name === 'AbortError' || e.status === 401) return;
        list.replaceChildren(h('li.empty.text-error', { role: 'option', 'aria-disabled': 'true' }, e.message));
        list.hidden = false;
      }
    };

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown' && items.length) {
        ev.preventDefault();
        if (list.hidden) list.hidden = false;
        highlight((active + 1) % items.length);
      } else if (ev.key === 'ArrowUp' && items.length) {
        ev.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (ev.key === 'Enter') {
        ev.preventDefault();
        const q = input.value.trim();
        if (active >= 0 && items[active]) choose(items[active]);
        else if (items.length === 1 && !list.hidden) choose(items[0]);
        else if (/^\d{6,}$/.test(q)) choose({ code: q });
        else {
          clearTimeout(timer);
          search();
        }
      } else if (ev.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 100));
    input.addEventListener('focus', () => {
      if (items.length && input.value.trim()) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
    });

    return h('div.search', { role: 'search' }, h('span.search-icon', { 'aria-hidden': 'true' }), input, list);
  }

  // ---------------------------------------------------------------- map

  // The helpers web/map.js draws the map page with.
  const mapUi = Object.freeze({
    api,
    h,
    lvl,
    busy,
    message,
    errorView,
    areaHref,
    searchBox: (onChoose) => searchBox(onChoose),
    account: () => state.account,
    levels: () => state.levels,
  });

  function showMap(code, params) {
    const main = ensureShell('map');
    if (!window.PinganMap) {
      document.title = '网格地图 · 平安';
      main.replaceChildren(message('地图组件加载失败', '请刷新页面后重试。', true));
      return;
    }
    if (!main.querySelector('.map-page')) document.title = '网格地图 · 平安';
    window.PinganMap.show(main, { code, select: params.get('sel'), ui: mapUi });
  }

  // ---------------------------------------------------------------- registry

  const registry = () => window.PinganRegistry || null;

  // The helpers web/registry.js and web/groups.js draw their pages with.
  const registryUi = Object.freeze({
    api,
    h,
    lvl,
    busy,
    message,
    errorView,
    areaHref,
    fact,
    fmtTime,
    fmtDate,
    go,
    route: () => route(),
    account: () => state.account,
    pageSignal: () => (current ? current.signal : null),
  });

  function showRegistry(page, id, params, signal) {
    const main = ensureShell('people');
    if (!registry()) {
      document.title = '实有人口 · 平安';
      main.replaceChildren(message('实有人口组件加载失败', '请刷新页面后重试。', true));
      return;
    }
    registry().show(main, { page, id, params, signal, ui: registryUi });
  }

  // ---------------------------------------------------------------- modules

  // Ledgers that came later (disputes, petitions, three-zero, risk, cameras,
  // the command centre) register themselves in window.PinganModules:
  //   { pages: ['disputes', …]   first hash segments the module owns,
  //     navPages(role) → [[key, label, href], …],
  //     show(main, { page, parts, params, signal, ui }) }
  // and need no change here.
  const modules = () => window.PinganModules || [];
  const moduleFor = (page) => modules().find((m) => m.pages.includes(page)) || null;

  function showModule(m, page, parts, params, signal) {
    const main = ensureShell(page);
    m.show(main, { page, parts, params, signal, ui: registryUi });
  }

  // ---------------------------------------------------------------- places

  const places = () => window.PinganPlaces || null;

  function showPlaces(page, id, params, signal) {
    const main = ensureShell(page);
    if (!places()) {
      document.title = '平安';
      main.replaceChildren(message('房屋与组织组件加载失败', '请刷新页面后重试。', true));
      return;
    }
    places().show(main, { page, id, params, signal, ui: registryUi });
  }

  // ---------------------------------------------------------------- groups

  const groups = () => window.PinganGroups || null;

  function showGroups(params, signal) {
    const main = ensureShell('groups');
    if (!groups()) {
      document.title = '特殊人群 · 平安';
      main.replaceChildren(message('特殊人群组件加载失败', '请刷新页面后重试。', true));
      return;
    }
    groups().show(main, { params, signal, ui: registryUi });
  }

  // ---------------------------------------------------------------- events

  const events = () => window.PinganEvents || null;
  const report = () => window.PinganReport || null;

  function showEvents(page, id, params, signal) {
    const main = ensureShell(page === 'events' ? 'desk' : page);
    if (!events()) {
      document.title = '工单 · 平安';
      main.replaceChildren(message('工单组件加载失败', '请刷新页面后重试。', true));
      return;
    }
    events().show(main, { page, id, params, signal, ui: registryUi });
  }

  function showReport(signal) {
    const main = ensureShell('report');
    if (!report()) {
      document.title = '上报事件 · 平安';
      main.replaceChildren(message('上报组件加载失败', '请刷新页面后重试。', true));
      return;
    }
    report().show(main, { signal, ui: registryUi });
  }

  // ---------------------------------------------------------------- residents

  const pub = () => window.PinganPublic || null;

  // The helpers web/public.js draws with: no account, no shell.
  const publicUi = Object.freeze({ api, h, message, fmtTime, go, route: () => route() });

  function showPublic(rest, signal) {
    shell = null; // a staff page after this builds its layout again
    if (!pub()) {
      document.title = '平安';
      app.replaceChildren(h('main.login-page', null, message('页面加载失败', '请刷新页面后重试。', true)));
      return;
    }
    pub().show(app, { rest, signal, ui: publicUi });
  }

  // ---------------------------------------------------------------- audit

  async function showAudit(params, signal) {
    const main = ensureShell('audit');
    document.title = '审计日志 · 平安';
    if (state.account.role !== 'admin') {
      main.replaceChildren(message('无权访问', '审计日志仅限系统管理员查看。', true));
      return;
    }
    const f = {
      account: params.get('account') || '',
      action: params.get('action') || '',
      from: params.get('from') || '',
      to: params.get('to') || '',
    };
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);

    const form = auditForm(f);
    const body = h('div.audit-body', null, h('p.muted.loading-text', null, '正在加载…'));
    if (!main.querySelector('.audit-page')) {
      main.replaceChildren(h('div.audit-page', null, h('h1.page-title', null, '审计日志'), form, body));
    } else {
      // Keep the old table visible while the next page loads.
      main.querySelector('.audit-page form').replaceWith(form);
      body.replaceChildren(...main.querySelector('.audit-body').childNodes);
      main.querySelector('.audit-body').replaceWith(body);
    }

    const q = new URLSearchParams();
    if (f.account) q.set('account', f.account);
    if (f.action) q.set('action', f.action);
    if (f.from) q.set('from', dayStart(f.from));
    if (f.to) q.set('to', dayEnd(f.to));
    q.set('limit', String(AUDIT_PAGE));
    q.set('offset', String(offset));

    busy(true);
    try {
      const data = await api('/audit?' + q.toString(), { signal });
      if (signal.aborted) return;
      body.replaceChildren(...auditTable(data, f, offset));
    } catch (e) {
      if (signal.aborted || e.name === 'AbortError' || e.status === 401) return;
      if (e.status === 403) body.replaceChildren(message('无权访问', e.message, true));
      else body.replaceChildren(errorView(e, route));
    } finally {
      if (!signal.aborted) busy(false);
    }
  }

  function auditHash(f, offset) {
    const q = new URLSearchParams();
    for (const k of ['account', 'action', 'from', 'to']) if (f[k]) q.set(k, f[k]);
    if (offset) q.set('offset', String(offset));
    const s = q.toString();
    return '#/audit' + (s ? '?' + s : '');
  }

  function auditForm(f) {
    const input = (name, label, type, value, extra) =>
      h(
        'div.field',
        null,
        h('label', { for: `audit-${name}` }, label),
        h('input', Object.assign({ id: `audit-${name}`, name, type, value }, extra || {}))
      );
    return h(
      'form.filters',
      {
        id: 'audit-filters',
        onsubmit: (ev) => {
          ev.preventDefault();
          const fd = new FormData(ev.target);
          const nf = {};
          for (const k of ['account', 'action', 'from', 'to']) nf[k] = String(fd.get(k) || '').trim();
          go(auditHash(nf, 0));
        },
      },
      input('account', '账号', 'text', f.account, { autocomplete: 'off', spellcheck: 'false' }),
      input('action', '操作', 'text', f.action, { autocomplete: 'off', spellcheck: 'false', placeholder: '如 auth.login' }),
      input('from', '开始日期', 'date', f.from),
      input('to', '结束日期', 'date', f.to),
      h(
        'div.filter-actions',
        null,
        h('button.primary', { type: 'submit' }, '查询'),
        h('button.ghost-dark', { type: 'button', onclick: () => go('#/audit') }, '重置')
      )
    );
  }

  function auditTable(data, f, offset) {
    const items = (data && data.items) || [];
    const total = Number((data && data.total) ?? items.length);
    if (!items.length) return [h('p.muted.empty', null, offset ? '没有更多记录。' : '没有符合条件的审计记录。')];
    const rows = items.map((it) => {
      const [label, cls] = OUTCOMES[it.outcome] || [it.outcome || '', 'other'];
      const detail = detailText(it.detail);
      return h(
        'tr',
        null,
        h('td.nowrap', { 'data-label': '时间' }, fmtTime(it.at)),
        h('td', { 'data-label': '账号' }, it.account || h('span.muted', null, '—')),
        h('td.mono', { 'data-label': '地址' }, it.address || ''),
        h('td.mono', { 'data-label': '操作' }, it.action || ''),
        h('td.mono.break', { 'data-label': '对象' }, it.object || ''),
        h('td', { 'data-label': '结果' }, h('span.badge.outcome', { class: `outcome-${cls}` }, label)),
        h('td.num', { 'data-label': '状态码' }, it.status ?? ''),
        h('td.detail', { 'data-label': '详情', title: detail || null }, detail)
      );
    });
    const from = offset + 1;
    const to = offset + items.length;
    const pager = h(
      'div.pager',
      null,
      h('span.muted', null, `共 ${total} 条，当前第 ${from}–${to} 条`),
      h(
        'span.pager-buttons',
        null,
        h('button.ghost-dark', { type: 'button', disabled: offset <= 0, onclick: () => go(auditHash(f, Math.max(0, offset - AUDIT_PAGE))) }, '上一页'),
        h('button.ghost-dark', { type: 'button', disabled: to >= total, onclick: () => go(auditHash(f, offset + AUDIT_PAGE)) }, '下一页')
      )
    );
    return [
      h(
        'div.table-wrap',
        null,
        h(
          'table.data-table.audit-table',
          null,
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['时间', '账号', '地址', '操作', '对象', '结果', '状态码', '详情'].map((t) => h('th', null, t))
            )
          ),
          h('tbody', null, rows)
        )
      ),
      pager,
    ];
  }

  function detailText(d) {
    if (d === null || d === undefined || d === '') return '';
    if (typeof d === 'string') return d;
    try {
      return JSON.stringify(d);
    } catch (e) {
      return String(d);
    }
  }

  // ---------------------------------------------------------------- time

  // Times are UTC on the wire and shown in Asia/Shanghai (UTC+8, no DST).
  const TZ = 'Asia/Shanghai';
  let timeFmt = null;
  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    try {
      timeFmt =
        timeFmt ||
        new Intl.DateTimeFormat('zh-CN', {
          timeZone: TZ,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          hourCycle: 'h23',
        });
      const p = Object.fromEntries(timeFmt.formatToParts(d).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    } catch (e) {
      const s = new Date(d.getTime() + 8 * 3600e3).toISOString();
      return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
    }
  }

  function fmtDate(v) {
    if (!v) return '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
    return fmtTime(v).slice(0, 10);
  }

  // A yyyy-mm-dd day in Shanghai -> the UTC instants of its first and last ms.
  const dayStart = (day) => new Date(`${day}T00:00:00.000+08:00`).toISOString();
  const dayEnd = (day) => new Date(`${day}T23:59:59.999+08:00`).toISOString();

  // ---------------------------------------------------------------- boot

  async function boot() {
    try {
      const me = await api('/auth/me', { auth: false });
      state.account = (me && me.account) || null;
    } catch (e) {
      // Offline (web/sw.js served the page): the account last signed in may
      // still report; its reports wait in the outbox until the network is back.
      const last = e.status === 0 && report() ? report().lastAccount() : null;
      if (last) {
        state.account = last;
        window.addEventListener('hashchange', route);
        if (!/^#\/(report|events|inbox|desk|public)/.test(location.hash)) location.replace('#/report');
        route();
        return;
      }
      if (e.status !== 401 && !/^#\/public(\/|$)/.test(location.hash)) {
        app.replaceChildren(
          h('main.login-page', null, errorView(e, () => location.reload()))
        );
        return;
      }
      state.account = null;
    }
    if (state.account) loadLevels(); // in the background: only tooltips use it
    window.addEventListener('hashchange', route);
    route();
  }

  boot();
})();
