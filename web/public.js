// Pingan (平安) residents' pages ("为民服务一按键"), without an account:
// #/public/report (report a problem, get a tracking code) and
// #/public/track[/CODE] (status, the deadline nodes, the result, and the
// 1–5 rating once the event is closed).
//
// Plain ES2020, no framework. Loaded after registry.js (formFields),
// events.js (RATINGS) and report.js (the GPS button) and before app.js,
// whose router calls PinganPublic.show() for #/public/… whether or not
// someone is signed in: these pages have their own small header and never
// show the staff layout. They talk only to the public API
// (/api/v1/public/reports…, docs/api/openapi.yaml) and the Open311 service
// list (which categories this county has), never with the session: what a
// code shows is the server's public view, nothing personal. Made for a
// phone (360 px). Every string from the server goes into the page as text,
// never as HTML.
'use strict';

(() => {
  const enc = encodeURIComponent;
  // The alphabet of the server's codes (no 0/O, no 1/I), ten of them.
  const CODE_RE = /^[2-9A-HJ-NP-Z]{10}$/;
  const MINE = 'pingan.public.codes.v1'; // codes reported from this browser
  const MINE_KEPT = 10;
  // What residents report most, in their words (minor codes of the
  // taxonomy); only those this county's taxonomy has are offered.
  const RESIDENT_CATEGORIES = [
    ['3103', '路灯不亮'],
    ['3101', '道路破损'],
    ['3102', '井盖缺失、破损'],
    ['3403', '下水道堵塞'],
    ['3402', '水管漏水'],
    ['2901', '垃圾堆积'],
    ['2902', '乱堆乱放'],
    ['3002', '乱停乱放'],
    ['3001', '占道经营'],
    ['3802', '噪声扰民'],
    ['2101', '消防通道堵塞'],
    ['2102', '电动车违规充电'],
    ['3601', '焚烧秸秆、垃圾'],
    ['0201', '邻里纠纷'],
    ['0601', '拖欠工资'],
  ];
  // The server's field names, as the form's fields (a point's lat and crs
  // are the location's).
  const FIELD_OF = { lat: 'lng', crs: 'lng' };

  const normalise = (code) => String(code || '').trim().toUpperCase();

  // A 429's wait, in words.
  function waitText(e) {
    const s = e.retryAfter;
    if (!s) return '';
    return s < 90 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`;
  }

  // The message of a failed call, in Chinese, for a resident.
  function errorText(e, what) {
    if (e.status === 429) {
      const wait = waitText(e);
      return `${what}过于频繁，请${wait ? ` ${wait}后` : '稍后'}再试。`;
    }
    if (e.status === 404) return '查询码不存在，请核对后重新输入（字母不区分大小写）。';
    if (e.status === 503) return '群众上报暂未开放，请拨打当地服务热线。';
    return e.message || '操作失败，请稍后再试。';
  }

  const load = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key)) || [];
    } catch (e) {
      return [];
    }
  };
  function remember(code) {
    const list = [{ code, at: new Date().toISOString() }, ...load(MINE).filter((x) => x.code !== code)].slice(0, MINE_KEPT);
    try {
      localStorage.setItem(MINE, JSON.stringify(list));
    } catch (e) {
      // the code is on the screen; keeping it here is a convenience
    }
  }

  // The categories offered: the short list, less what the county lacks.
  let services = null;
  function residentCategories(ui) {
    if (!services) {
      services = fetch('/open311/v2/services.json', { headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((list) => {
          const have = new Set((Array.isArray(list) ? list : []).map((s) => String(s.service_code)));
          return RESIDENT_CATEGORIES.filter(([code]) => have.has(code));
        })
        .catch((e) => {
          services = null;
          throw e;
        });
    }
    return services;
  }

  // ---------------------------------------------------------------- layout

  // The residents' frame: a header with the two pages, no staff navigation.
  function frame(ui, active, ...content) {
    const { h } = ui;
    const link = (key, href, label) => h('a', { href, 'aria-current': key === active ? 'page' : null }, label);
    return h(
      'div.public-layout',
      null,
      h(
        'header.public-top',
        null,
        h('a.brand', { href: '#/public/report' }, h('span.brand-mark', { 'aria-hidden': 'true' }, '平安'), h('span.brand-text', null, '群众服务')),
        h('nav.public-nav', { 'aria-label': '群众服务' }, link('report', '#/public/report', '我要上报'), link('track', '#/public/track', '查询进度'))
      ),
      h('main.public-page', { id: 'main', tabindex: '-1' }, ...content),
      h('footer.public-foot.muted.small', null, '平安 · 网格化社会治理平台 · ', h('a', { href: '#/login' }, '工作人员登录'))
    );
  }

  // opts {rest: the hash's parts after "public", signal, ui}
  function show(app, opts) {
    const [page, code] = opts.rest;
    if (page === 'report' && !code) return showReport(app, opts);
    if (page === 'track') return showTrack(app, code || '', opts);
    // Pages of other modules (e.g. web/petitions.js: #/public/petition)
    // register in window.PinganPublicPages and draw inside this frame.
    const extra = (window.PinganPublicPages || []).find((p) => p.page === page);
    if (extra) return extra.show(app, { code, ui: opts.ui, signal: opts.signal, frame });
    if (!page) return opts.ui.go('#/public/report', true);
    document.title = '页面不存在 · 平安';
    app.replaceChildren(frame(opts.ui, null, opts.ui.message('页面不存在', '您访问的页面不存在。', true)));
  }

  // ---------------------------------------------------------------- report

  function showReport(app, { ui, signal }) {
    const { h } = ui;
    document.title = '我要上报 · 平安';
    const { field, clear, show: showError } = window.PinganRegistry.formFields(h, 'pub');
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const desc = h('textarea', { name: 'description', rows: '5', maxlength: '2000', placeholder: '请说明是什么问题、在什么地方、持续多久了' });
    const cat = h('select', { name: 'minor' }, h('option', { value: '' }, '不确定（由工作人员分类）'));
    residentCategories(ui)
      .then((items) => {
        if (!signal.aborted) cat.append(...items.map(([code, label]) => h('option', { value: code }, label)));
      })
      .catch(() => {}); // without the list the report goes unclassified
    let point = null;
    const where = h('p.report-where', { id: 'pub-where', role: 'status' }, '未定位：请使用当前位置，或在下面填写地址');
    const locate = h('button.ghost-dark', { type: 'button', id: 'pub-locate' }, '使用当前位置');
    window.PinganReport.gpsButton(locate, where, '请在下面填写地址', (p) => {
      point = p;
    });
    const address = h('input', { name: 'address', type: 'text', maxlength: '128', autocomplete: 'street-address', placeholder: '如 槐店镇文化路与建设路口' });
    const name = h('input', { name: 'reporter_name', type: 'text', maxlength: '32', autocomplete: 'name' });
    const phone = h('input', { name: 'reporter_phone', type: 'tel', maxlength: '20', autocomplete: 'tel', inputmode: 'tel' });
    const submit = h('button.primary.wide', { type: 'submit' }, '提交');
    const form = h(
      'form.card.public-form',
      { id: 'pub-report-form', novalidate: true },
      alert,
      field('description', '问题描述', desc, { required: true, wide: true }),
      field('minor', '问题类型', cat, { hint: '可不选，由工作人员分类' }),
      field('lng', '位置', h('div.report-locate', { role: 'group', tabindex: '-1' }, h('div.report-locate-buttons', null, locate), where), { for: 'pub-locate', wide: true }),
      field('address', '地址', address, { wide: true, hint: '没有定位时必须填写' }),
      field('reporter_name', '姓名', name, { hint: '可不填' }),
      field('reporter_phone', '手机号', phone, { hint: '可不填；仅工作人员回访时使用，查询页不会显示' }),
      submit
    );
    // One key per report: a resend after a lost answer is the same report.
    let sent = null; // {json: the body sent, key}
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(alert);
      const body = { description: desc.value.trim() };
      if (!body.description) return showError('description', '请填写问题描述', alert);
      if (cat.value) body.minor = cat.value;
      if (point) Object.assign(body, point);
      if (address.value.trim()) body.address = address.value.trim();
      if (!point && !body.address) return showError('lng', '请使用当前位置，或填写问题所在的地址', alert);
      if (name.value.trim()) body.reporter_name = name.value.trim();
      if (phone.value.trim()) body.reporter_phone = phone.value.trim();
      const json = JSON.stringify(body);
      if (!sent || sent.json !== json) sent = { json, key: newKey() };
      submit.disabled = true;
      submit.textContent = '正在提交…';
      try {
        const r = await ui.api('/public/reports', { method: 'POST', body: { ...body, idempotency_key: sent.key }, auth: false });
        remember(r.track_code);
        if (!signal.aborted) showDone(app, r, { ui });
      } catch (e) {
        submit.disabled = false;
        submit.textContent = '提交';
        if (e.name === 'AbortError') return;
        const f = FIELD_OF[e.field] || e.field;
        if (e.status === 400 && f) showError(f, e.message, alert);
        else showError(null, errorText(e, '上报'), alert);
      }
    });
    app.replaceChildren(
      frame(
        ui,
        'report',
        h('h1.page-title', null, '我要上报'),
        h('p.muted.page-intro', null, '无需注册登录。提交后会得到一个查询码，凭它查询办理进度、评价办理结果。'),
        form
      )
    );
  }

  function newKey() {
    const r = new Uint32Array(3);
    crypto.getRandomValues(r);
    return 'pub-' + Array.from(r, (x) => x.toString(16).padStart(8, '0')).join('');
  }

  // After a report: the code, big, to copy or write down.
  function showDone(app, r, { ui }) {
    const { h } = ui;
    document.title = '上报成功 · 平安';
    const copied = h('p.small.muted', { id: 'pub-copied', role: 'status' });
    const copy = h('button.ghost-dark', { type: 'button', id: 'pub-copy' }, '复制查询码');
    copy.addEventListener('click', async () => {
      copied.textContent = (await copyText(r.track_code)) ? '已复制查询码' : '无法自动复制，请手动记下查询码';
    });
    app.replaceChildren(
      frame(
        ui,
        'report',
        h(
          'section.card.public-done',
          { id: 'pub-done' },
          h('h1.page-title', null, '上报成功'),
          h('p', null, '请记下您的查询码，凭它查询办理进度和评价：'),
          h('p.track-code', { id: 'pub-code', 'aria-label': '查询码' }, r.track_code),
          h('div.form-actions', null, copy, h('a.button.primary', { href: `#/public/track/${enc(r.track_code)}`, id: 'pub-track-link' }, '查看办理进度')),
          copied,
          h('p.muted.small', null, `当前状态：${r.status_name || ''}。查询码也保存在本机的“查询进度”页。`),
          h('p', null, h('a', { href: '#/public/report', onclick: (e) => { e.preventDefault(); ui.route(); } }, '继续上报其他问题'))
        )
      )
    );
  }

  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (e) {
      // fall back to a selection below
    }
    const t = document.createElement('textarea');
    t.value = text;
    t.setAttribute('readonly', '');
    t.style.position = 'fixed';
    t.style.opacity = '0';
    document.body.append(t);
    t.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    t.remove();
    return ok;
  }

  // ---------------------------------------------------------------- track

  function showTrack(app, raw, { ui, signal }) {
    const { h } = ui;
    document.title = '查询进度 · 平安';
    const code = normalise(raw);
    const { field, clear, show: showError } = window.PinganRegistry.formFields(h, 'pub-track');
    const input = h('input', { name: 'code', type: 'text', maxlength: '12', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: code, class: 'mono' });
    const form = h(
      'form.card.public-form.track-form',
      { id: 'pub-track-form', novalidate: true },
      field('code', '查询码', input, { hint: '上报成功时得到的 10 位查询码' }),
      h('button.primary', { type: 'submit' }, '查询')
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clear();
      const c = normalise(input.value);
      if (!CODE_RE.test(c)) return showError('code', '查询码为 10 位字母和数字（不含 0、O、1、I），请核对');
      ui.go(`#/public/track/${enc(c)}`);
    });
    const body = h('div.public-body', { id: 'pub-track-body' });
    app.replaceChildren(frame(ui, 'track', h('h1.page-title', null, '查询办理进度'), form, body));
    if (!code) {
      body.replaceChildren(mineList(ui));
      input.focus();
      return;
    }
    if (!CODE_RE.test(code)) {
      showError('code', '查询码为 10 位字母和数字（不含 0、O、1、I），请核对');
      return;
    }
    body.replaceChildren(h('p.muted.loading-text', null, '正在查询…'));
    ui.api(`/public/reports/${enc(code)}`, { signal, auth: false }).then(
      (r) => {
        if (!signal.aborted) body.replaceChildren(...trackView(ui, r, { signal, body }));
      },
      (e) => {
        if (signal.aborted || e.name === 'AbortError') return;
        body.replaceChildren(failure(ui, e, '查询'));
      }
    );
  }

  const failure = (ui, e, what) =>
    ui.h('div.alert.public-error', { id: 'pub-error', role: 'alert', dataset: { status: String(e.status) } }, errorText(e, what));

  // The codes reported from this browser, to open again.
  function mineList(ui) {
    const { h } = ui;
    const list = load(MINE);
    if (!list.length) return null;
    return h(
      'section.card.public-mine',
      { id: 'pub-mine' },
      h('h2', null, '本机上报过的问题'),
      h('ul.sent-list', null, list.map((x) => h('li', null, h('a.mono', { href: `#/public/track/${enc(x.code)}` }, x.code), h('span.muted.small', null, ` ${ui.fmtTime(x.at).slice(0, 16)}`))))
    );
  }

  // The public view of one report: what, where, who handles it, the nodes,
  // the result and the rating.
  function trackView(ui, r, ctx) {
    const { h, fmtTime } = ui;
    const fact = (label, value, key) => h('div.fact', { dataset: { fact: key } }, h('dt', null, label), h('dd', null, value));
    const card = h(
      'section.card.public-report',
      { id: 'pub-report', dataset: { status: r.status, code: r.track_code } },
      h('div.public-status', null, h('span.badge.status', { dataset: { status: r.status } }, r.status_name || r.status), h('span.mono.muted', null, r.track_code)),
      h('p.event-description', null, r.description),
      h(
        'dl.facts',
        null,
        fact('问题类型', r.category ? r.category.minor_name : '待分类', 'category'),
        r.address ? fact('地址', r.address, 'address') : null,
        fact('承办部门', r.department || '待派遣', 'department'),
        fact('上报时间', fmtTime(r.reported_at).slice(0, 16), 'reported'),
        r.deadline ? fact('本环节办理时限', fmtTime(r.deadline).slice(0, 16), 'deadline') : null,
        r.closed_at ? fact('办结时间', fmtTime(r.closed_at).slice(0, 16), 'closed') : null
      )
    );
    const nodes = h(
      'section.card.public-nodes',
      { id: 'pub-nodes' },
      h('h2', null, '办理过程'),
      h(
        'ol.timeline',
        null,
        (r.nodes || []).map((n) =>
          h(
            'li.timeline-item',
            { dataset: { action: n.action } },
            h('div.timeline-head', null, h('strong', null, n.action_name || n.action), h('span.muted', null, ` → ${n.status_name || n.status}`)),
            h('div.timeline-meta.muted.small', null, fmtTime(n.at).slice(0, 16)),
            n.deadline ? h('p.timeline-detail.small', null, `时限：${fmtTime(n.deadline).slice(0, 16)}`) : null
          )
        )
      )
    );
    const out = [card];
    if (r.result !== null && r.result !== undefined) {
      out.push(
        h(
          'section.card.public-result',
          { id: 'pub-result' },
          h('h2', null, r.status === 'rejected' ? '不予受理的原因' : '办理结果'),
          h('p.timeline-note', null, r.result)
        )
      );
    }
    if (r.rating) {
      const label = (window.PinganEvents.RATINGS.find(([v]) => Number(v) === r.rating) || [])[1] || `${r.rating} 分`;
      out.push(h('section.card.public-rated', { id: 'pub-rated' }, h('h2', null, '您的评价'), h('p', null, label), r.rating_comment ? h('p.timeline-note', null, r.rating_comment) : null));
    }
    if (r.can_rate) out.push(rateForm(ui, r, ctx));
    out.push(nodes);
    return out;
  }

  function rateForm(ui, r, { signal, body }) {
    const { h } = ui;
    const { field, clear, show: showError } = window.PinganRegistry.formFields(h, 'pub-rate');
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const stars = h(
      'div.rating-choices',
      { role: 'radiogroup', tabindex: '-1' },
      window.PinganEvents.RATINGS.map(([v, t]) => h('label.check', null, h('input', { type: 'radio', name: 'rating', value: v }), h('span', null, t)))
    );
    const comment = h('textarea', { name: 'comment', rows: '3', maxlength: '500', placeholder: '可不填' });
    const submit = h('button.primary.wide', { type: 'submit' }, '提交评价');
    const form = h(
      'form.card.public-form.rate-form',
      { id: 'pub-rate-form', novalidate: true },
      h('h2', null, '评价办理结果'),
      h('p.muted.small', null, '问题已办结，请为办理结果打分（只能评价一次）。'),
      alert,
      field('rating', '满意程度', stars, { required: true, wide: true }),
      field('comment', '评价意见', comment, { wide: true }),
      submit
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(alert);
      const chosen = stars.querySelector('input:checked');
      if (!chosen) return showError('rating', '请选择满意程度', alert);
      const payload = { rating: Number(chosen.value) };
      if (comment.value.trim()) payload.comment = comment.value.trim();
      submit.disabled = true;
      try {
        const next = await ui.api(`/public/reports/${enc(r.track_code)}/rating`, { method: 'POST', body: payload, auth: false, signal });
        if (signal.aborted) return;
        body.replaceChildren(h('p.report-notice', { id: 'pub-notice', role: 'status' }, '感谢您的评价！'), ...trackView(ui, next, { signal, body }));
      } catch (e) {
        submit.disabled = false;
        if (e.name === 'AbortError') return;
        if (e.status === 409) {
          // Rated meanwhile (another phone with the code): show what is now.
          const fresh = await ui.api(`/public/reports/${enc(r.track_code)}`, { auth: false, signal }).catch(() => null);
          if (fresh && !signal.aborted)
            return body.replaceChildren(h('p.alert', { id: 'pub-notice', role: 'alert' }, '该问题已评价过或当前不能评价。'), ...trackView(ui, fresh, { signal, body }));
        }
        if (e.status === 400 && e.field) showError(e.field, e.message, alert);
        else showError(null, errorText(e, '评价'), alert);
      }
    });
    return form;
  }

  window.PinganPublic = Object.freeze({ show });
})();
