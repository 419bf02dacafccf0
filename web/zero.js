// Pingan (平安) "三零" creation (零上访、零事故、零案件) with four-colour warnings.
//
// Plain ES2020, no framework; registers itself in window.PinganModules (see
// app.js). Pages:
//   #/zero                 the subject ledger (台账): colours with their reasons,
//                          filters, the colour counts and the compliance rates
//   #/zero/subjects/ID     a subject's card: counts, the events that broke zero,
//                          colour history, letters (警示函 / 督办函) and reviews
//   #/zero/rules           the four-colour rules (county accounts may change them)
// A letter's print view is the server's own A4 page
// (/api/v1/zero/subjects/ID/letters/LID/print), opened in a new tab.
// Every string from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const PAGE = 50;
  const READ = ['admin', 'leader', 'dispatcher'];
  const WRITE = ['admin', 'dispatcher'];
  const COLOURS = [
    ['red', '红色'],
    ['orange', '橙色'],
    ['yellow', '黄色'],
    ['blue', '蓝色'],
    ['none', '正常'],
  ];
  const COLOUR_NAMES = Object.fromEntries(COLOURS);
  const KINDS = [
    ['village', '村（社区）'],
    ['unit', '企事业单位'],
  ];
  const KIND_NAMES = Object.fromEntries(KINDS);
  const enc = encodeURIComponent;
  const subjectHref = (id) => '#/zero/subjects/' + enc(id);
  const printHref = (sid, lid) => `/api/v1/zero/subjects/${enc(sid)}/letters/${enc(lid)}/print`;
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');
  const fmtMs = (ui, ms) => (ms ? ui.fmtTime(new Date(ms).toISOString()) : '');

  function colourBadge(ui, c, name) {
    return ui.h('span.badge.zero-colour', { dataset: { colour: c || 'none' } }, name || COLOUR_NAMES[c] || c);
  }

  function failView(ui, e, body) {
    if (e.status === 403) body.replaceChildren(ui.message('无权访问', e.message, true));
    else if (e.status === 404) body.replaceChildren(ui.message('不存在或无权访问', e.message, true));
    else if (e.status === 400) body.replaceChildren(ui.message('查询条件有误', e.message, true, ui.h('a.button', { href: '#/zero' }, '重置查询')));
    else body.replaceChildren(ui.errorView(e, () => ui.route()));
  }

  // ---------------------------------------------------------------- ledger

  function listHash(f, offset) {
    const q = new URLSearchParams();
    for (const k of ['kind', 'colour', 'broken', 'area', 'q', 'period']) if (f[k]) q.set(k, f[k]);
    if (offset) q.set('offset', String(offset));
    const s = q.toString();
    return '#/zero' + (s ? '?' + s : '');
  }

  function filterForm(ui, f) {
    const { h } = ui;
    const kind = h('select', { id: 'zero-kind', name: 'kind' }, h('option', { value: '' }, '全部'), KINDS.map(([k, l]) => h('option', { value: k }, l)));
    kind.value = f.kind;
    const colour = h('select', { id: 'zero-colour', name: 'colour' }, h('option', { value: '' }, '全部'), COLOURS.map(([k, l]) => h('option', { value: k }, l)));
    colour.value = f.colour;
    const broken = h('select', { id: 'zero-broken', name: 'broken' }, h('option', { value: '' }, '全部'), h('option', { value: '1' }, '已破零'));
    broken.value = f.broken;
    const q = h('input', { id: 'zero-q', name: 'q', type: 'search', value: f.q, placeholder: '名称' });
    const period = h('input', { type: 'text', id: 'zero-period', name: 'period', value: f.period, placeholder: '本年度', title: '达标率统计期：年份 2026、季度 2026-Q3 或月份 2026-07' });
    const apply = () => ui.go(listHash({ ...f, kind: kind.value, colour: colour.value, broken: broken.value, q: q.value.trim(), period: period.value.trim() }, 0));
    for (const s of [kind, colour, broken]) s.addEventListener('change', apply);
    return h(
      'form.filters.zero-filters',
      { id: 'zero-filters', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); apply(); } },
      h('div.field', null, h('label', { for: 'zero-kind' }, '主体类型'), kind),
      h('div.field', null, h('label', { for: 'zero-colour' }, '预警颜色'), colour),
      h('div.field', null, h('label', { for: 'zero-broken' }, '破零'), broken),
      h('div.field', null, h('label', { for: 'zero-q' }, '名称'), q),
      h('div.field', null, h('label', { for: 'zero-period' }, '达标率统计期'), period),
      h('div.filter-actions', null, h('button.primary', { type: 'submit' }, '查询'))
    );
  }

  function summary(ui, data, f) {
    const { h } = ui;
    const by = data.by_colour || {};
    return h(
      'div.zero-summary',
      { id: 'zero-summary' },
      COLOURS.map(([k, l]) =>
        h('a.zero-count', { href: listHash({ ...f, colour: k }, 0), dataset: { colour: k } }, h('span.zero-count-n', null, String(by[k] ?? 0)), h('span', null, l))
      )
    );
  }

  function rateCell(r) {
    return r && r.total ? `${r.rate}%（${r.compliant}/${r.total}）` : '—';
  }

  function ratesView(ui, rates) {
    const { h } = ui;
    if (!rates) return null;
    if (rates.error) return ui.message('达标率无法统计', rates.error.message, true);
    const rows = (rates.groups || [])
      .slice()
      .sort((a, b) => String(a.area ? a.area.code : '').localeCompare(String(b.area ? b.area.code : '')))
      .map((g) =>
        h('tr', null, h('td', null, g.area ? h('a', { href: listHash({ area: g.area.code }, 0) }, g.area.name) : g.department ? g.department.name : '未指定'), h('td.num', null, rateCell(g.villages)), h('td.num', null, rateCell(g.units)))
      );
    return h(
      'section.card.zero-rates',
      { id: 'zero-rates' },
      h('div.section-head', null, h('h2', null, `${rates.period} 达标率`)),
      h(
        'dl.facts',
        null,
        ui.fact('村（社区）', rateCell(rates.villages), 'villages'),
        ui.fact('企事业单位', rateCell(rates.units), 'units')
      ),
      rows.length
        ? h('div.table-wrap', null, h('table.data-table', null, h('thead', null, h('tr', null, h('th', null, '区域'), h('th.num', null, '村（社区）'), h('th.num', null, '企事业单位'))), h('tbody', null, rows)))
        : null
    );
  }

  function ledgerTable(ui, data, f, offset) {
    const { h } = ui;
    const items = data.items || [];
    if (!items.length) return [h('p.muted.empty', null, offset ? '没有更多记录。' : '没有符合条件的创建主体。')];
    const rows = items.map((s) =>
      h(
        'tr',
        { dataset: { id: String(s.id), colour: s.colour }, onclick: (ev) => { if (!ev.target.closest('a')) ui.go(subjectHref(s.id)); } },
        h('td.name', { 'data-label': '名称' }, h('a', { href: subjectHref(s.id) }, s.name)),
        h('td', { 'data-label': '类型' }, s.kind === 'unit' ? s.category || KIND_NAMES.unit : KIND_NAMES.village),
        h('td', { 'data-label': '所属区域' }, s.village ? `${s.village.name}·${s.area.name}` : s.area ? s.area.name : ''),
        h('td', { 'data-label': '主管部门' }, s.department ? s.department.name : h('span.muted', null, '—')),
        h('td.num', { 'data-label': '信访' }, String(s.counts.petitions)),
        h('td.num', { 'data-label': '事故' }, String(s.counts.accidents)),
        h('td.num', { 'data-label': '案件' }, String(s.counts.cases)),
        h('td', { 'data-label': '预警' }, colourBadge(ui, s.colour, s.colour_name)),
        h('td.zero-reasons', { 'data-label': '原因' }, (s.reasons || []).join('；') || h('span.muted', null, '—'))
      )
    );
    const total = Number(data.total || 0);
    return [
      h('div.table-wrap', null, h('table.data-table.zero-table', null, h('thead', null, h('tr', null, ['名称', '类型', '所属区域', '主管部门', '信访', '事故', '案件', '预警', '原因'].map((t) => h('th', null, t)))), h('tbody', null, rows))),
      h(
        'div.pager',
        null,
        h('span.muted', null, `第 ${offset + 1}–${offset + items.length} 条，共 ${total} 条`),
        h(
          'div.pager-buttons',
          null,
          offset > 0 ? h('a.button', { href: listHash(f, Math.max(0, offset - PAGE)) }, '上一页') : null,
          offset + items.length < total ? h('a.button', { href: listHash(f, offset + PAGE) }, '下一页') : null
        )
      ),
    ];
  }

  // The subject ledger (CSV in UTF-8 or GBK, as Excel saves it): units named
  // by 统一社会信用代码, with their leading department. All or nothing.
  function importBox(ui) {
    const { h } = ui;
    const file = h('input', { type: 'file', id: 'zero-import-file', accept: '.csv,text/csv' });
    const out = h('div.zero-import-out', { role: 'status' });
    return h(
      'details.card.zero-import',
      { id: 'zero-import' },
      h('summary', null, '导入企事业单位创建主体台账'),
      h('p.muted', null, '列：统一社会信用代码、主管部门（必填），主体类别、责任人（选填）。单位须已在组织台账中登记；已是创建主体的单位将被更新。有错误时不导入任何一行。'),
      h(
        'form',
        {
          onsubmit: async (ev) => {
            ev.preventDefault();
            const f = file.files && file.files[0];
            if (!f) {
              out.replaceChildren('请选择 CSV 文件');
              return;
            }
            // Its own fetch: a refusal carries the rows at fault (error.import).
            let res, data = null;
            try {
              res = await fetch('/api/v1/zero/subjects/import', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'text/csv', Accept: 'application/json' }, body: f });
              data = await res.json().catch(() => null);
            } catch (e) {
              out.replaceChildren('无法连接服务器，请检查网络后重试');
              return;
            }
            if (res.ok && data) {
              out.replaceChildren(`已导入 ${data.rows} 行：新增 ${data.created}，更新 ${data.updated}。`);
              return;
            }
            const err = (data && data.error) || {};
            const rows = (err.import && err.import.errors) || [];
            out.replaceChildren(h('p', null, err.message || `导入失败（${res.status}）`), rows.length ? h('ul', null, rows.map((x) => h('li', null, `第 ${x.line} 行 ${x.column || ''}：${x.message}`))) : '');
          },
        },
        h('label', { for: 'zero-import-file' }, 'CSV 文件'),
        file,
        h('button.primary', { type: 'submit' }, '导入')
      ),
      out
    );
  }

  async function showLedger(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '三零创建 · 平安';
    const f = {};
    for (const k of ['kind', 'colour', 'broken', 'area', 'q', 'period']) f[k] = params.get(k) || '';
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const acct = ui.account();
    const body = h('div.zero-body', null);
    const head = h(
      'div.page-head',
      null,
      h('h1.page-title', null, '“三零”创建'),
      h(
        'div.zero-head-actions',
        null,
        h('a.button', { href: '#/zero/rules' }, '预警规则'),
        WRITE.includes(acct.role)
        ? h('button', {
            type: 'button',
            id: 'zero-sync',
            onclick: async (ev) => {
              ev.target.disabled = true;
              try {
                const r = await ui.api('/zero/villages', { method: 'POST', body: {} });
                alert(`新增村（社区）创建主体 ${r.created} 个`);
                ui.route();
              } catch (e) {
                alert(e.message);
              } finally {
                ev.target.disabled = false;
              }
            },
          }, '同步村（社区）')
          : null
      )
    );
    main.replaceChildren(h('div.zero-page', null, head, filterForm(ui, f), WRITE.includes(acct.role) ? importBox(ui) : null, body));
    const q = new URLSearchParams();
    for (const k of ['kind', 'colour', 'broken', 'area', 'q']) if (f[k]) q.set(k, f[k]);
    q.set('limit', String(PAGE));
    q.set('offset', String(offset));
    const rq = new URLSearchParams();
    if (f.area) rq.set('area', f.area);
    if (f.period) rq.set('period', f.period);
    ui.busy(true);
    try {
      const [data, rates] = await Promise.all([
        ui.api('/zero/subjects?' + q.toString(), { signal }),
        ui.api('/zero/rates?' + rq.toString(), { signal }).catch((e) => (isAbort(e, signal) ? null : { error: e })),
      ]);
      if (signal.aborted) return;
      body.replaceChildren(summary(ui, data, f), ratesView(ui, rates) || '', h('section.card', null, ...ledgerTable(ui, data, f, offset)));
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      failView(ui, e, body);
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- card

  function eventsTable(ui, events) {
    const { h } = ui;
    if (!events.length) return h('p.muted.empty', null, '本期未破零。');
    return h(
      'div.table-wrap',
      null,
      h(
        'table.data-table.zero-events',
        null,
        h('thead', null, h('tr', null, ['事件', '破零类型', '类别', '伤亡', '状态', '上报时间'].map((t) => h('th', null, t)))),
        h(
          'tbody',
          null,
          events.map((e) =>
            h(
              'tr',
              { dataset: { event: String(e.id), breaks: e.breaks } },
              h('td', null, h('a', { href: '#/events/' + enc(e.id) }, `#${e.id} `), h('span.muted', null, e.description.slice(0, 40))),
              h('td', null, h('span.badge.zero-break', { dataset: { breaks: e.breaks } }, e.breaks_name)),
              h('td', null, e.minor_name || e.minor || ''),
              h('td.num', null, e.casualties ? String(e.casualties) : '—'),
              h('td', null, e.status_name || e.status),
              h('td.nowrap', null, fmtMs(ui, e.created_ms))
            )
          )
        )
      )
    );
  }

  function lettersSection(ui, s, canWrite) {
    const { h } = ui;
    const list = s.letters.length
      ? h(
          'ul.zero-letters',
          null,
          s.letters.map((l) =>
            h('li', { dataset: { letter: String(l.id), kind: l.kind } }, h('strong', null, l.kind_name), ' ', h('span.mono', null, l.number), ' 致 ', l.addressee, ' · ', fmtMs(ui, l.created_ms), ' ', h('a.button.small', { href: printHref(s.id, l.id), target: '_blank', rel: 'noopener' }, '打印'))
          )
        )
      : h('p.muted.empty', null, '尚未发函。');
    const issue = (kind) => async (ev) => {
      ev.target.disabled = true;
      try {
        const l = await ui.api(`/zero/subjects/${enc(s.id)}/letters`, { method: 'POST', body: { kind } });
        window.open(printHref(s.id, l.id), '_blank', 'noopener');
        ui.route();
      } catch (e) {
        alert(e.message);
        ev.target.disabled = false;
      }
    };
    const broken = s.measured && s.measured.broken;
    return h(
      'section.card',
      { id: 'zero-letters' },
      h('div.section-head', null, h('h2', null, '函件')),
      list,
      canWrite && broken
        ? h('div.card-actions', null, h('button', { type: 'button', id: 'zero-warn', onclick: issue('warning') }, '发警示函'), h('button', { type: 'button', id: 'zero-supervise', onclick: issue('supervision') }, '发督办函'))
        : null
    );
  }

  function reviewSection(ui, s, headings, canWrite) {
    const { h } = ui;
    const rows = s.reviews.map((r) =>
      h('tr', { dataset: { period: r.period } }, h('td', null, r.period), h('td.num', null, r.total.toFixed(1)), h('td', null, r.passed ? '达标' : '未达标'), h('td', null, r.reviewer), h('td', null, r.note || ''))
    );
    const period = h('input', { type: 'text', id: 'zero-review-period', name: 'period', value: s.period || '', size: 8 });
    const inputs = headings.map((hd) => h('input', { type: 'number', min: 0, max: 100, step: 1, name: hd.key, id: 'zero-score-' + hd.key, value: 90, required: true }));
    const note = h('input', { type: 'text', id: 'zero-review-note', name: 'note' });
    const status = h('p.muted', { role: 'status' });
    const form = canWrite
      ? h(
          'form.zero-review-form',
          {
            onsubmit: async (ev) => {
              ev.preventDefault();
              const scores = {};
              headings.forEach((hd, i) => (scores[hd.key] = Number(inputs[i].value)));
              try {
                await ui.api(`/zero/subjects/${enc(s.id)}/reviews`, { method: 'POST', body: { period: period.value.trim(), scores, note: note.value.trim() || undefined } });
                ui.route();
              } catch (e) {
                status.textContent = e.message;
              }
            },
          },
          h('div.zero-scores', null, h('div.field', null, h('label', { for: 'zero-review-period' }, '考评期'), period), headings.map((hd, i) => h('div.field', null, h('label', { for: 'zero-score-' + hd.key }, hd.name), inputs[i])), h('div.field', null, h('label', { for: 'zero-review-note' }, '备注'), note)),
          h('button.primary', { type: 'submit' }, '保存考评'),
          status
        )
      : null;
    return h(
      'section.card',
      { id: 'zero-reviews' },
      h('div.section-head', null, h('h2', null, '创建标准考评')),
      rows.length ? h('div.table-wrap', null, h('table.data-table', null, h('thead', null, h('tr', null, ['考评期', '平均分', '结论', '考评人', '备注'].map((t) => h('th', null, t)))), h('tbody', null, rows))) : h('p.muted.empty', null, '尚无考评。'),
      form
    );
  }

  // A unit owns the events that name it: an event reported without its unit
  // (a grid worker at the factory gate) is linked here by its number.
  function linkForm(ui, s) {
    const { h } = ui;
    const input = h('input', { type: 'text', id: 'zero-link-event', name: 'event_id', inputmode: 'numeric', placeholder: '事件编号', size: 10 });
    const status = h('p.muted', { role: 'status' });
    return h(
      'form.zero-link',
      {
        id: 'zero-link',
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          const n = Number(input.value.trim().replace(/^#/, ''));
          if (!Number.isInteger(n) || n <= 0) {
            status.textContent = '请输入事件编号';
            return;
          }
          try {
            await ui.api(`/zero/subjects/${enc(s.id)}/events`, { method: 'POST', body: { event_id: n } });
            ui.route();
          } catch (e) {
            status.textContent = e.message;
          }
        },
      },
      h('label', { for: 'zero-link-event' }, '关联本单位的事件'),
      input,
      h('button', { type: 'submit' }, '关联'),
      status
    );
  }

  async function showSubject(main, id, { params, signal, ui }) {
    const { h } = ui;
    document.title = '创建主体 · 平安';
    const period = params.get('period') || '';
    ui.busy(true);
    try {
      const [s, rules] = await Promise.all([
        ui.api('/zero/subjects/' + enc(id) + (period ? '?period=' + enc(period) : ''), { signal }),
        ui.api('/zero/rules', { signal }),
      ]);
      if (signal.aborted) return;
      document.title = `${s.name} · 三零创建 · 平安`;
      const canWrite = WRITE.includes(ui.account().role);
      const m = s.measured;
      const card = h(
        'section.card.zero-card',
        { id: 'zero-card', dataset: { colour: s.colour } },
        h('div.card-head', null, h('h1', null, s.name), colourBadge(ui, s.colour, s.colour_name), m.broken ? h('span.badge.zero-broken', null, '已破零') : h('span.badge.zero-kept', null, '未破零')),
        h(
          'dl.facts',
          null,
          ui.fact('主体类型', s.kind === 'unit' ? `${KIND_NAMES.unit}${s.category ? '·' + s.category : ''}` : KIND_NAMES.village),
          ui.fact('所属区域', s.area ? h('a', { href: ui.areaHref(s.area.code) }, s.village ? `${s.village.name}·${s.area.name}` : s.area.name) : ''),
          ui.fact('主管部门', s.department ? s.department.name : '—'),
          ui.fact('责任人', s.responsible || '—'),
          s.org ? ui.fact('统一社会信用代码', h('span.mono', null, s.org.uscc || '—')) : null,
          ui.fact(`${m.period} 信访`, String(m.metrics.petitions), 'petitions'),
          ui.fact(`${m.period} 事故`, String(m.metrics.accidents), 'accidents'),
          ui.fact(`${m.period} 案件`, String(m.metrics.cases), 'cases')
        ),
        h('div.zero-reason-box', { id: 'zero-reasons' }, h('h2', null, '预警原因'), s.reasons.length ? h('ul', null, s.reasons.map((r) => h('li', null, r))) : h('p.muted', null, '无预警。'))
      );
      const pinput = h('input', { type: 'text', id: 'zero-card-period', value: period, placeholder: m.period, size: 8, title: '年份 2026、季度 2026-Q3 或月份 2026-07' });
      const pform = h(
        'form.zero-period',
        { onsubmit: (ev) => { ev.preventDefault(); const v = pinput.value.trim(); ui.go(subjectHref(s.id) + (v ? '?period=' + enc(v) : '')); } },
        h('label', { for: 'zero-card-period' }, '统计期'),
        pinput,
        h('button', { type: 'submit' }, '查看')
      );
      const events = h('section.card', { id: 'zero-events' }, h('div.section-head', null, h('h2', null, `破零事件（${m.period}）`), pform), eventsTable(ui, m.events), canWrite && s.kind === 'unit' ? linkForm(ui, s) : null);
      const history = h(
        'section.card',
        { id: 'zero-history' },
        h('div.section-head', null, h('h2', null, '预警变化')),
        s.history.length
          ? h('ul.zero-history', null, s.history.map((c) => h('li', null, fmtMs(ui, c.at_ms), ' ', colourBadge(ui, c.from), ' → ', colourBadge(ui, c.to, c.to_name), ' ', h('span.muted', null, (c.reasons || []).join('；')))))
          : h('p.muted.empty', null, '尚无变化。')
      );
      main.replaceChildren(
        h('div.zero-page', null, h('p.breadcrumbs', null, h('a', { href: '#/zero' }, '“三零”创建'), ' / ', s.name), card, events, lettersSection(ui, s, canWrite), history, reviewSection(ui, s, rules.headings || [], canWrite))
      );
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      failView(ui, e, main);
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- rules

  async function showRules(main, { signal, ui }) {
    const { h } = ui;
    document.title = '预警规则 · 三零创建 · 平安';
    ui.busy(true);
    try {
      const r = await ui.api('/zero/rules', { signal });
      if (signal.aborted) return;
      const metricName = Object.fromEntries(r.metrics.map((m) => [m.key, m.name]));
      const rows = r.rules.map((x) =>
        h('tr', { dataset: { colour: x.colour } }, h('td', null, metricName[x.metric] || x.metric), h('td.num', null, `≥ ${x.threshold}`), h('td', null, colourBadge(ui, x.colour, x.colour_name)), h('td', null, x.kind ? KIND_NAMES[x.kind] : '全部'), h('td', null, x.reason))
      );
      const cats = r.categories;
      main.replaceChildren(
        h(
          'div.zero-page',
          null,
          h('p.breadcrumbs', null, h('a', { href: '#/zero' }, '“三零”创建'), ' / 预警规则'),
          h(
            'section.card',
            { id: 'zero-rules' },
            h('div.section-head', null, h('h2', null, '四色预警规则')),
            h('p.muted', null, '主体取所满足规则中最高的颜色；规则由县级综治中心设置（PUT /api/v1/zero/rules）。'),
            h('div.table-wrap', null, h('table.data-table', null, h('thead', null, h('tr', null, ['指标', '阈值', '颜色', '主体', '原因'].map((t) => h('th', null, t)))), h('tbody', null, rows))),
            h(
              'dl.facts',
              null,
              ui.fact('事故类别（有伤亡时计入）', cats.accident),
              ui.fact('案件类别', cats.cases),
              ui.fact('信访类别', cats.petition),
              ui.fact('民转刑风险类别', cats.criminal_risk),
              ui.fact('群体性事件类别', cats.mass_incident)
            )
          )
        )
      );
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      failView(ui, e, main);
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['zero'],
    navPages(role) {
      return READ.includes(role) ? [['zero', '三零创建', '#/zero']] : [];
    },
    show(main, ctx) {
      const { parts, ui } = ctx;
      const acct = ui.account();
      if (!acct || !READ.includes(acct.role)) {
        main.replaceChildren(ui.message('无权访问', '您的账号无权查看“三零”创建。', true));
        return;
      }
      if (parts[1] === 'subjects' && parts[2]) return showSubject(main, parts[2], ctx);
      if (parts[1] === 'rules') return showRules(main, ctx);
      return showLedger(main, ctx);
    },
  });
})();
