// Pingan (平安) briefings (工作简报, 督查通报): the #/briefings[/ID] pages.
//
// Plain ES2020, registered through window.PinganModules (see web/app.js).
// #/briefings lists the briefings of the caller's scope and generates a new
// one (POST /api/v1/briefings: the server freezes the figures and gives the
// number, 第N期). #/briefings/ID is the printable document: an A4 page (print
// CSS in briefing.css) with the figures as sentences and tables, the charts
// drawn here as inline SVG so that they print, and the Excel download. Every
// string from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const ROLES = ['admin', 'leader', 'dispatcher'];
  const KINDS = [
    ['monthly', '工作简报（月报）'],
    ['weekly', '工作简报（周报）'],
    ['inspection', '督查通报'],
  ];
  const SVG = 'http://www.w3.org/2000/svg';
  const enc = encodeURIComponent;
  const pct = (x) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
  const num = (x) => (x == null ? '—' : String(x));
  const pad = (n) => String(n).padStart(2, '0');

  function today() {
    const t = new Date(Date.now() + 8 * 3600e3);
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
  }

  // ---------------------------------------------------------------- SVG

  function svg(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    for (const c of children.flat(2)) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  }

  // A line chart of the daily series: reported and resolved.
  function trendSvg(series) {
    const W = 640;
    const H = 200;
    const L = 36;
    const B = 24;
    const items = series || [];
    const max = Math.max(1, ...items.map((x) => Math.max(x.reported, x.resolved)));
    const x = (i) => L + (items.length < 2 ? 0 : (i * (W - L - 10)) / (items.length - 1));
    const y = (v) => H - B - (v * (H - B - 10)) / max;
    const path = (k) => items.map((it, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(it[k]).toFixed(1)}`).join(' ');
    const ticks = [0, Math.round(max / 2), max];
    return svg(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, class: 'brief-chart', role: 'img', 'aria-label': '每日上报与办结趋势' },
      ticks.map((t) => [svg('line', { x1: L, x2: W - 10, y1: y(t), y2: y(t), stroke: '#ddd' }), svg('text', { x: L - 6, y: y(t) + 4, 'text-anchor': 'end', 'font-size': 11 }, t)]).flat(),
      items.map((it, i) => (i % Math.ceil(items.length / 8) === 0 ? svg('text', { x: x(i), y: H - 6, 'text-anchor': 'middle', 'font-size': 11 }, it.start.slice(5)) : null)),
      svg('path', { d: path('reported'), fill: 'none', stroke: '#1565c0', 'stroke-width': 2 }),
      svg('path', { d: path('resolved'), fill: 'none', stroke: '#2e7d32', 'stroke-width': 2, 'stroke-dasharray': '5 3' }),
      svg('text', { x: W - 150, y: 14, 'font-size': 12, fill: '#1565c0' }, '— 上报'),
      svg('text', { x: W - 80, y: 14, 'font-size': 12, fill: '#2e7d32' }, '-- 办结')
    );
  }

  // A horizontal bar chart of the ranking by one figure.
  function barsSvg(items, key, label) {
    const rows = (items || []).slice(0, 12);
    const W = 640;
    const row = 22;
    const H = rows.length * row + 10;
    const L = 130;
    const max = Math.max(1, ...rows.map((r) => r[key] || 0));
    return svg(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, class: 'brief-chart', role: 'img', 'aria-label': label },
      rows.map((r, i) => [
        svg('text', { x: L - 6, y: i * row + 16, 'text-anchor': 'end', 'font-size': 12 }, r.name),
        svg('rect', { x: L, y: i * row + 4, width: Math.max(1, ((r[key] || 0) * (W - L - 50)) / max), height: row - 8, fill: key === 'red' ? '#c62828' : '#1565c0' }),
        svg('text', { x: L + ((r[key] || 0) * (W - L - 50)) / max + 6, y: i * row + 16, 'font-size': 12 }, r[key] || 0),
      ]).flat()
    );
  }

  // ---------------------------------------------------------------- list

  async function showList(main, { params, signal, ui }) {
    const { h, api } = ui;
    document.title = '工作简报 · 平安';
    const acct = ui.account();
    const area = params.get('area') || (acct.area && acct.area.code) || '';
    const t = today();
    const kind = h('select', { id: 'brief-kind', name: 'kind' }, KINDS.map(([k, n]) => h('option', { value: k }, n)));
    const period = h('input', { id: 'brief-period', name: 'period', type: 'month', value: `${t.y}-${pad(t.m)}`, required: true });
    kind.addEventListener('change', () => {
      const weekly = kind.value === 'weekly';
      period.type = weekly ? 'date' : 'month';
      period.value = weekly ? `${t.y}-${pad(t.m)}-${pad(t.d)}` : `${t.y}-${pad(t.m)}`;
    });
    const areaInput = h('input', { id: 'brief-area', name: 'area', type: 'text', value: area, required: true, spellcheck: 'false' });
    const status = h('p.form-status', { role: 'status' });
    const form = h(
      'form.card.brief-form',
      {
        id: 'brief-form',
        onsubmit: async (ev) => {
          ev.preventDefault();
          status.textContent = '正在生成…';
          try {
            const b = await api('/briefings', { method: 'POST', body: { kind: kind.value, area: areaInput.value.trim(), period: period.value } });
            ui.go(`#/briefings/${b.id}`);
          } catch (e) {
            if (e.status === 401) return;
            status.replaceChildren(ui.errorView(e));
          }
        },
      },
      h('h2', null, '生成简报'),
      h('div.brief-fields', null, h('label.field', null, '类型', kind), h('label.field', null, '区域编码', areaInput), h('label.field', null, '期间', period), h('button.button.primary', { type: 'submit', id: 'brief-generate' }, '生成')),
      h('p.hint', null, '周报选择该周中任一天；月报与督查通报选择月份。生成后数字即固定，并按区域、类型、年度编号。'),
      status
    );
    const list = h('div.brief-list');
    main.replaceChildren(h('div.brief-page', null, h('div.page-head', null, h('h1.page-title', null, '工作简报与督查通报')), form, list));
    try {
      const q = new URLSearchParams({ limit: '50' });
      if (params.get('area')) q.set('area', params.get('area'));
      const d = await api('/briefings?' + q.toString(), { signal });
      if (signal.aborted) return;
      list.replaceChildren(
        d.items.length
          ? h(
              'table.data-table.brief-table',
              null,
              h('thead', null, h('tr', null, ['期号', '标题', '区域', '期间', '生成时间', ''].map((x) => h('th', { scope: 'col' }, x)))),
              h(
                'tbody',
                null,
                d.items.map((b) =>
                  h(
                    'tr',
                    { dataset: { id: b.id } },
                    h('td.nowrap', null, b.issue),
                    h('td', null, h('a', { href: `#/briefings/${b.id}` }, b.title)),
                    h('td', null, b.area.name),
                    h('td.nowrap', null, `${b.period.from} 至 ${b.period.to}`),
                    h('td.nowrap', null, ui.fmtTime(b.created_at)),
                    h('td', null, h('a', { href: `/api/v1/briefings/${b.id}.xlsx`, download: '' }, 'Excel'))
                  )
                )
              )
            )
          : h('p.empty', null, '还没有简报。')
      );
    } catch (e) {
      if (signal.aborted || e.status === 401) return;
      list.replaceChildren(ui.errorView(e));
    }
  }

  // ---------------------------------------------------------------- document

  // 环比 / 同比 of one figure as words.
  function change(now, before, what) {
    if (before == null || now == null) return '';
    const d = now - before;
    if (!before) return d ? `，${what}增加 ${d} 件` : `，${what}持平`;
    const p = ((d / before) * 100).toFixed(1);
    return `，${what}${d >= 0 ? '上升' : '下降'} ${Math.abs(p)}%`;
  }

  function figuresTable(h, rows) {
    const cols = [
      ['reported', '上报', num],
      ['resolved', '办结', num],
      ['open', '在办', num],
      ['red', '超期', num],
      ['late', '曾超时', num],
      ['resolution_rate', '办结率', pct],
      ['on_time_rate', '按时办结率', pct],
      ['satisfaction_rate', '满意率', pct],
    ];
    const shown = cols.filter(([k]) => rows.some(([, t]) => t && k in t));
    return h(
      'table.brief-figures',
      null,
      h('thead', null, h('tr', null, h('th', null, ''), shown.map(([, n]) => h('th', { scope: 'col' }, n)))),
      h('tbody', null, rows.filter(([, t]) => t).map(([name, t]) => h('tr', null, h('th', { scope: 'row' }, name), shown.map(([k, , f]) => h('td.num', null, f(t[k]))))))
    );
  }

  async function showDoc(main, id, { signal, ui }) {
    const { h, api } = ui;
    let b;
    try {
      b = await api(`/briefings/${enc(id)}`, { signal });
    } catch (e) {
      if (signal.aborted || e.status === 401) return;
      main.replaceChildren(ui.errorView(e));
      return;
    }
    if (signal.aborted) return;
    document.title = `${b.title} ${b.issue} · 平安`;
    const f = b.figures || {};
    const t = f.totals || {};
    const prev = f.previous;
    const yoy = f.year_before;
    const ranking = f.ranking || [];
    const red = (f.red_items && f.red_items.items) || [];
    const inspection = b.kind === 'inspection';
    const summary =
      `${b.period.from} 至 ${b.period.to}，${b.area.name}共上报事件 ${num(t.reported)} 件，办结 ${num(t.resolved)} 件` +
      (t.resolution_rate !== undefined ? `，办结率 ${pct(t.resolution_rate)}` : '') +
      (t.on_time_rate !== undefined ? `，按时办结率 ${pct(t.on_time_rate)}` : '') +
      `，满意率 ${pct(t.satisfaction_rate)}` +
      change(t.reported, prev && prev.reported, '上报量环比') +
      change(t.reported, yoy && yoy.reported, '同比') +
      `。截至通报生成时，超期未办结（红灯）事件 ${num(f.red_items && f.red_items.total)} 件。`;
    const doc = h(
      'article.brief-doc',
      { id: 'brief-doc', dataset: { id: b.id } },
      h('header.brief-masthead', null, h('h1.brief-title', null, b.title), h('p.brief-issue', { id: 'brief-issue' }, b.issue), h('p.brief-meta', null, `${b.area.name} · 生成于 ${ui.fmtTime(b.created_at)}`)),
      h('section', null, h('h2', null, '一、总体情况'), h('p', { id: 'brief-summary' }, summary), figuresTable(h, [['本期', t], ['上期（环比）', prev], ['去年同期（同比）', yoy]])),
      h('section', null, h('h2', null, '二、每日趋势'), trendSvg(f.series)),
      h(
        'section',
        null,
        h('h2', null, inspection ? '三、各地超期情况排名' : '三、各地排名'),
        ranking.length ? barsSvg(ranking, inspection ? 'red' : 'reported', inspection ? '超期事件排名' : '上报事件排名') : null,
        ranking.length
          ? h(
              'table.brief-figures.brief-ranking',
              null,
              h('thead', null, h('tr', null, ['名次', '区域', '上报', '办结', '超期', '曾超时', '办结率', '满意率'].map((x) => h('th', { scope: 'col' }, x)))),
              h(
                'tbody',
                null,
                ranking.map((r, i) =>
                  h('tr', null, h('td.num', null, String(i + 1)), h('td', null, r.name), h('td.num', null, num(r.reported)), h('td.num', null, num(r.resolved)), h('td.num', null, num(r.red)), h('td.num', null, num(r.late)), h('td.num', null, pct(r.resolution_rate)), h('td.num', null, pct(r.satisfaction_rate)))
                )
              )
            )
          : h('p', null, '无下级区域。')
      ),
      h(
        'section',
        { id: 'brief-assessment' },
        h('h2', null, '四、考核评价'),
        (f.assessment || []).map((r) =>
          h(
            'div.brief-assess',
            null,
            h('h3', null, r.name || r.kind),
            r.items && r.items.length
              ? h(
                  'table.brief-figures',
                  null,
                  h('thead', null, h('tr', null, ['名次', '考核对象', '得分'].map((x) => h('th', { scope: 'col' }, x)))),
                  h('tbody', null, r.items.map((it) => h('tr', null, h('td.num', null, String(it.rank)), h('td', null, (it.subject && it.subject.name) || '—'), h('td.num', null, typeof it.score === 'number' ? it.score.toFixed(1) : '—'))))
                )
              : h('p', null, '无考核对象。')
          )
        )
      ),
      h(
        'section',
        null,
        h('h2', null, '五、红色事项（超期未办结）'),
        red.length
          ? h(
              'ol.brief-red',
              null,
              red.map((it) => h('li', null, it.description || `#${it.id}`, h('span.brief-red-meta', null, ` （${[it.area && it.area.name, it.status_name, it.deadline ? `时限 ${ui.fmtTime(it.deadline)}` : null].filter(Boolean).join('，')}）`)))
            )
          : h('p', null, '无。')
      )
    );
    main.replaceChildren(
      h(
        'div.brief-view',
        null,
        h(
          'div.brief-actions',
          null,
          h('a.button.brief-back', { href: '#/briefings' }, '返回列表'),
          h('button.button', { type: 'button', id: 'brief-print', onclick: () => window.print() }, '打印'),
          h('a.button', { href: `/api/v1/briefings/${b.id}.xlsx`, download: '', id: 'brief-xlsx' }, '下载 Excel')
        ),
        doc
      )
    );
  }

  function show(main, ctx) {
    const acct = ctx.ui.account();
    if (!acct || !ROLES.includes(acct.role)) {
      document.title = '工作简报 · 平安';
      main.replaceChildren(ctx.ui.message('无权访问', '您的账号无权查看简报。', true));
      return;
    }
    if (ctx.parts[1]) showDoc(main, ctx.parts[1], ctx);
    else showList(main, ctx);
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['briefings'],
    navPages: (role) => (ROLES.includes(role) ? [['briefings', '工作简报', '#/briefings']] : []),
    show,
  });
})();
