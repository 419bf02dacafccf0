// Pingan (平安) command centre (指挥中心大屏): the #/dashboard[/CODE] page.
//
// Plain ES2020, registered through window.PinganModules (see web/app.js).
// For an area of the caller's scope: live key figures, Apache ECharts charts
// (loaded from /vendor/echarts on first use, SVG renderer so they print and
// draw in a headless browser), the grid map of the area's children coloured
// by a chosen layer (Leaflet, loaded by web/map.js's loadLeaflet), drill-down
// by clicking a child (the hash changes to its code; a breadcrumb goes back
// up), and the list of red items. The figures are refreshed when the event
// stream (GET /api/v1/stream) reports a change, debounced — never polled.
//
// What the page shows is tables: PANELS (one line each: where the data comes
// from and how it is drawn), LAYERS (map colourings) and RED_KINDS (kinds of
// red item). A source that does not answer (a ledger not built yet, a 404)
// makes its panel say 暂无数据 — the rest of the page carries on. Every
// string from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const ECHARTS = '/vendor/echarts/echarts.min.js';
  const STATS_ROLES = ['admin', 'leader', 'dispatcher'];
  const OPEN = 'reported,registered,dispatched,accepted,handled,suspended';
  const REFRESH_DEBOUNCE_MS = 1500;
  const enc = encodeURIComponent;

  // ---------------------------------------------------------------- periods

  const pad = (n) => String(n).padStart(2, '0');
  // Today in Asia/Shanghai as {y, m, d}.
  function today() {
    const t = new Date(Date.now() + 8 * 3600e3);
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
  }
  const PERIODS = {
    month: { name: '本月', range: (t) => ({ from: `${t.y}-${pad(t.m)}`, to: `${t.y}-${pad(t.m)}` }) },
    year: { name: '本年', range: (t) => ({ from: `${t.y}-01`, to: `${t.y}-${pad(t.m)}` }) },
  };
  // The 30 days up to today, for the trend.
  function last30() {
    const t = today();
    const end = Date.UTC(t.y, t.m - 1, t.d);
    const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
    return { from: iso(end - 29 * 86400e3), to: iso(end) };
  }

  // ---------------------------------------------------------------- sources

  // The URL of the event figures of the context's area and period with every
  // breakdown the panels draw: fetched once per refresh, shared by panels.
  const eventsUrl = (c) => `/stats/events?area=${enc(c.area)}&from=${c.period.from}&to=${c.period.to}&by=status,light,source,major,child`;
  const seriesUrl = (c) => `/stats/events/series?area=${enc(c.area)}&from=${c.trend.from}&to=${c.trend.to}&grain=day`;
  // A table download of /stats/events for one breakdown.
  const tableHref = (c, by, fmt) => `/api/v1/stats/events.${fmt}?area=${enc(c.area)}&from=${c.period.from}&to=${c.period.to}&by=${by}`;
  const seriesHref = (c, fmt) => `/api/v1/stats/events/series.${fmt}?area=${enc(c.area)}&from=${c.trend.from}&to=${c.trend.to}&grain=day`;

  const pct = (x) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
  const num = (x) => (x == null ? '—' : String(x));

  // ---------------------------------------------------------------- panels

  // One line a panel: id, title, url(ctx) of its data, draw(el, data, ctx)
  // (a chart returns its ECharts option; a table returns nodes), and
  // optionally exports(ctx) → [[label, href], …]. Panels of ledgers still
  // being built may point at an endpoint that is not there yet: they show
  // 暂无数据 until it is.
  // The ledgers' own figures routes take days: a period of months as dates.
  const dayRange = (p) => {
    const [y, m] = p.to.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return `from=${p.from}-01&to=${p.to}-${String(last).padStart(2, '0')}`;
  };
  // (The ledgers give their rates in percent already, e.g. 98.6.)
  const percent = (v) => (v == null ? '—' : `${v}%`);
  const DISPUTE_FIGURES = [['screened', '排查', num], ['resolved', '化解', num], ['rate', '化解率', percent], ['at_risk', '风险在管', num], ['over_limit', '超期', num]];
  const PETITION_FIGURES = [['received', '受理登记', num], ['on_time_rate', '按期办结率', percent], ['satisfaction_rate', '满意率', percent], ['repeat', '重复信访', num], ['above_level', '赴省进京', num], ['overdue', '超期', num]];
  const CAMERA_FIGURES = [['planned', '规划', num], ['installed', '已建', num], ['install_rate', '建成率', percent], ['online', '在线', num], ['online_rate', '在线率', percent]];
  const PANELS = [
    { id: 'trend', title: '事件趋势（近30天）', url: seriesUrl, chart: trendOption, exports: (c) => [['CSV', seriesHref(c, 'csv')], ['Excel', seriesHref(c, 'xlsx')]] },
    { id: 'categories', title: '事件类别（大类）', url: eventsUrl, chart: (d) => barOption(d.by.major, '件'), exports: (c) => exportsOf(c, 'major') },
    { id: 'sources', title: '事件来源', url: eventsUrl, chart: (d) => pieOption(d.by.source), exports: (c) => exportsOf(c, 'source') },
    { id: 'lights', title: '红黄绿灯', url: eventsUrl, chart: (d) => pieOption(d.by.light, LIGHT_COLORS), exports: (c) => exportsOf(c, 'light') },
    { id: 'rates', title: '办结率 · 按时办结率 · 满意率', url: eventsUrl, chart: ratesOption },
    { id: 'children', title: '下级区域排名', url: eventsUrl, table: childTable, exports: (c) => exportsOf(c, 'child') },
    { id: 'residents', title: '实有人口', url: (c) => `/stats/registry?area=${enc(c.area)}`, chart: (d) => pieOption((d.residents.by_residence || []).map((x) => ({ key: x.key, name: x.name, reported: x.n }))) },
    { id: 'groups', title: '特殊人群', url: (c) => `/stats/registry?area=${enc(c.area)}`, table: groupsTable },
    { id: 'assessment', title: '考核评价', url: (c) => `/rankings?kind=${c.level === 'county' ? 'township' : 'grid_worker'}&area=${enc(c.area)}&from=${c.period.from}&to=${c.period.to}&top=10`, table: assessmentTable },
    { id: 'disputes', title: '矛盾纠纷', url: (c) => `/disputes/stats?area=${enc(c.area)}&${dayRange(c.period)}`, table: figuresTable(DISPUTE_FIGURES) },
    { id: 'petitions', title: '信访', url: (c) => `/petitions/stats?area=${enc(c.area)}&${dayRange(c.period)}`, table: figuresTable(PETITION_FIGURES, (d) => d.figures) },
    { id: 'cameras', title: '视频监控（雪亮工程）', url: (c) => `/cameras/rates?area=${enc(c.area)}`, table: figuresTable(CAMERA_FIGURES) },
  ];
  const exportsOf = (c, by) => [['CSV', tableHref(c, by, 'csv')], ['Excel', tableHref(c, by, 'xlsx')]];

  // Map layers: how a child area is coloured. value(child) from the shared
  // figures (by=child), or from an endpoint of its own answering {items:
  // [{key, value}]} — probed once; absent, the layer says 暂无数据.
  const LAYERS = [
    { key: 'density', name: '事件密度', unit: '件', value: (k) => k.reported, palette: ['#e3f2fd', '#0d47a1'] },
    { key: 'overdue', name: '超期事件', unit: '件', value: (k) => k.red, palette: ['#fff3e0', '#b71c1c'] },
    { key: 'zero', name: '三零村（社区）达标率', unit: '%', probe: (c) => `/zero/rates?area=${enc(c.area)}&by=area`, items: (d) => (d.groups || []).filter((g) => g.area).map((g) => ({ key: g.area.code, value: g.villages.total ? g.villages.rate : null })), palette: ['#c62828', '#2e7d32'] },
    { key: 'cameras', name: '视频在线率', unit: '%', probe: (c) => `/cameras/rates?area=${enc(c.area)}`, items: (d) => (d.children || []).map((k) => ({ key: k.code, value: k.online_rate })), palette: ['#fbe9e7', '#1b5e20'] },
  ];

  // Red items: one line a kind, each a list URL whose items are shown by
  // title, place and time. Kinds of ledgers not built yet say 暂无数据.
  const RED_KINDS = [
    { key: 'overdue', name: '超期事件', url: (c) => `/events?area=${enc(c.area)}&light=red&status=${OPEN}&limit=20`, href: (it) => `#/events/${enc(it.id)}` },
    { key: 'criminal_risk', name: '民转刑风险', url: (c) => `/disputes?area=${enc(c.area)}&risk=1&status=active&limit=20`, href: (it) => `#/disputes/${enc(it.id)}` },
    { key: 'red_subject', name: '三零红色预警', url: (c) => `/zero/subjects?area=${enc(c.area)}&colour=red&limit=20`, href: (it) => `#/zero/subjects/${enc(it.id)}` },
    { key: 'camera_offline', name: '离线摄像机', url: (c) => `/cameras?area=${enc(c.area)}&status=offline&limit=20`, href: () => '#/cameras' },
  ];

  const LIGHT_COLORS = { green: '#2e7d32', yellow: '#f9a825', red: '#c62828', none: '#90a4ae' };
  const KPIS = [
    ['reported', '上报事件', num],
    ['open', '在办', num],
    ['red', '超期（红灯）', num],
    ['resolved', '办结', num],
    ['resolution_rate', '办结率', pct],
    ['satisfaction_rate', '满意率', pct],
  ];

  // ---------------------------------------------------------------- chart options

  const TEXT = '#dbe7ff';
  const axis = { axisLabel: { color: TEXT }, axisLine: { lineStyle: { color: '#5c7aa8' } }, splitLine: { lineStyle: { color: '#22395e' } } };
  function trendOption(d) {
    const items = d.items || [];
    return {
      animation: false,
      grid: { left: 40, right: 16, top: 30, bottom: 28 },
      legend: { textStyle: { color: TEXT }, top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: items.map((x) => x.start.slice(5)), ...axis },
      yAxis: { type: 'value', minInterval: 1, ...axis },
      series: [
        { name: '上报', type: 'line', data: items.map((x) => x.reported), areaStyle: { opacity: 0.15 } },
        { name: '办结', type: 'line', data: items.map((x) => x.resolved) },
      ],
    };
  }
  function barOption(list, unit) {
    const items = (list || []).slice(0, 10).reverse();
    return {
      animation: false,
      grid: { left: 110, right: 30, top: 10, bottom: 20 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} ${unit}` },
      xAxis: { type: 'value', minInterval: 1, ...axis },
      yAxis: { type: 'category', data: items.map((x) => x.name || x.key), ...axis },
      series: [{ type: 'bar', data: items.map((x) => x.reported), itemStyle: { color: '#4fc3f7' }, label: { show: true, position: 'right', color: TEXT } }],
    };
  }
  // null (nothing to draw) when every count is zero.
  function pieOption(list, colors) {
    if (!(list || []).some((x) => x.reported > 0)) return null;
    return {
      animation: false,
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, textStyle: { color: TEXT } },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          center: ['50%', '45%'],
          label: { color: TEXT, formatter: '{b}\n{c}' },
          data: (list || []).map((x) => ({ name: x.name || x.key, value: x.reported, itemStyle: colors && colors[x.key] ? { color: colors[x.key] } : undefined })),
        },
      ],
    };
  }
  function ratesOption(d) {
    const t = d.totals || {};
    const rates = [['办结率', t.resolution_rate], ['按时办结率', t.on_time_rate], ['满意率', t.satisfaction_rate]];
    return {
      animation: false,
      series: rates.map(([name, v], i) => ({
        type: 'gauge',
        center: [`${17 + i * 33}%`, '48%'],
        radius: '44%',
        min: 0,
        max: 100,
        progress: { show: true, width: 10 },
        axisLine: { lineStyle: { width: 10 } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        title: { offsetCenter: [0, '75%'], color: TEXT, fontSize: 13 },
        detail: { offsetCenter: [0, 0], color: '#fff', fontSize: 18, formatter: () => (v == null ? '—' : `${(v * 100).toFixed(1)}%`) },
        data: [{ name, value: v == null ? 0 : Math.round(v * 1000) / 10 }],
      })),
    };
  }

  // ---------------------------------------------------------------- tables

  function childTable(ui, d, c) {
    const { h } = ui;
    const kids = (d.by && d.by.child) || [];
    if (!kids.length) return [h('p.dash-empty', null, '没有下级区域')];
    return [
      h(
        'table.dash-table',
        null,
        h('thead', null, h('tr', null, ['名次', '区域', '上报', '办结', '超期', '办结率', '满意率'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          null,
          kids.map((k, i) =>
            h(
              'tr',
              null,
              h('td', null, String(i + 1)),
              h('td', null, h('a', { href: c.href(k.key), dataset: { code: k.key } }, k.name)),
              h('td.num', null, num(k.reported)),
              h('td.num', null, num(k.resolved)),
              h('td.num', null, num(k.red)),
              h('td.num', null, pct(k.resolution_rate)),
              h('td.num', null, pct(k.satisfaction_rate))
            )
          )
        )
      ),
    ];
  }
  function groupsTable(ui, d) {
    const { h } = ui;
    const g = d.special_groups || {};
    return [
      h(
        'dl.dash-totals',
        null,
        (g.by_type || []).map((x) => [h('dt', null, x.name), h('dd', null, num(x.n))]),
        h('dt', null, '逾期未走访'),
        h('dd.dash-warn', null, num(g.overdue_visits))
      ),
    ];
  }
  function assessmentTable(ui, d) {
    const { h } = ui;
    const items = d.items || [];
    if (!items.length) return [h('p.dash-empty', null, '无考核对象')];
    return [
      h(
        'table.dash-table',
        null,
        h('thead', null, h('tr', null, ['名次', '考核对象', '得分'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, items.map((x) => h('tr', null, h('td', null, String(x.rank)), h('td', null, (x.subject && x.subject.name) || '—'), h('td.num', null, typeof x.score === 'number' ? x.score.toFixed(1) : '—'))))
      ),
    ];
  }
  // A labelled list of figures: rows [[key, label, format]], from the answer
  // or from pick(answer).
  function figuresTable(rows, pick = (d) => d) {
    return (ui, d) => {
      const f = pick(d) || {};
      return [ui.h('dl.dash-totals', null, rows.map(([k, label, fmt]) => [ui.h('dt', null, label), ui.h('dd', { dataset: { figure: k } }, fmt(f[k]))]))];
    };
  }

  // ---------------------------------------------------------------- ECharts

  let echartsReady = null;
  function loadEcharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!echartsReady) {
      echartsReady = new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = ECHARTS;
        s.onload = () => resolve(window.echarts);
        s.onerror = () => {
          echartsReady = null;
          reject(new Error('图表组件加载失败'));
        };
        document.head.append(s);
      });
    }
    return echartsReady;
  }

  // ---------------------------------------------------------------- the page

  class Dashboard {
    constructor(main, ui, code, params, signal) {
      this.ui = ui;
      this.signal = signal;
      this.charts = new Map(); // panel id -> echarts instance
      this.layer = LAYERS.some((l) => l.key === params.get('layer')) ? params.get('layer') : 'density';
      this.periodKey = PERIODS[params.get('period')] ? params.get('period') : 'year';
      this.probed = new Map(); // layer key -> Promise of its data or null
      this.ctx = {
        area: code,
        period: PERIODS[this.periodKey].range(today()),
        trend: last30(),
        href: (k) => this.hashFor(k, this.layer),
      };
      this.map = null;
      this.mapLayer = null;
      this.features = null;
      this.timer = null;
      this.seq = 0;
      this.build(main);
      signal.addEventListener('abort', () => this.dispose());
    }

    hashFor(code, layer, period) {
      const q = new URLSearchParams();
      if ((layer || this.layer) !== 'density') q.set('layer', layer || this.layer);
      if ((period || this.periodKey) !== 'year') q.set('period', period || this.periodKey);
      const s = q.toString();
      return `#/dashboard/${enc(code)}${s ? '?' + s : ''}`;
    }

    build(main) {
      const { h } = this.ui;
      this.crumbs = h('nav.dash-crumbs', { 'aria-label': '区域层级' });
      this.kpis = h('div.dash-kpis', { id: 'dash-kpis' });
      this.live = h('span.dash-live', { id: 'dash-live', title: '事件变化时自动刷新' }, '实时');
      const periodSel = h(
        'select',
        { id: 'dash-period', 'aria-label': '统计期间', onchange: (ev) => this.ui.go(this.hashFor(this.ctx.area, this.layer, ev.target.value)) },
        Object.entries(PERIODS).map(([k, p]) => h('option', { value: k, selected: k === this.periodKey }, p.name))
      );
      this.panelEls = new Map();
      const panels = PANELS.map((p) => {
        const body = h('div.dash-panel-body', { dataset: { state: 'loading' } });
        const tools = h('div.dash-panel-tools');
        const el = h('section.dash-panel', { id: `dash-${p.id}`, dataset: { panel: p.id }, 'aria-labelledby': `dash-${p.id}-title` }, h('header.dash-panel-head', null, h('h2', { id: `dash-${p.id}-title` }, p.title), tools), body);
        this.panelEls.set(p.id, { el, body, tools });
        return el;
      });
      this.layerBar = h(
        'div.dash-layers',
        { role: 'radiogroup', 'aria-label': '地图图层' },
        LAYERS.map((l) =>
          h('button.dash-layer', { type: 'button', role: 'radio', dataset: { layer: l.key }, 'aria-checked': String(l.key === this.layer), onclick: () => this.setLayer(l.key) }, l.name)
        )
      );
      this.mapEl = h('div.dash-map-canvas', { id: 'dash-map' });
      this.legend = h('div.dash-legend', { id: 'dash-legend' });
      this.redEl = h('div.dash-red-body', { id: 'dash-red' });
      main.replaceChildren(
        h(
          'div.dash-page',
          null,
          h(
            'header.dash-head',
            null,
            h('h1.dash-title', { id: 'dash-title' }, '指挥中心'),
            this.crumbs,
            h(
              'div.dash-head-tools',
              null,
              periodSel,
              this.live,
              document.fullscreenEnabled ? h('button.dash-layer', { type: 'button', id: 'dash-fullscreen', onclick: () => this.toggleFullscreen() }, '全屏') : null
            )
          ),
          this.kpis,
          h(
            'div.dash-grid',
            null,
            h('section.dash-panel.dash-map', { id: 'dash-map-panel' }, h('header.dash-panel-head', null, h('h2', null, '网格地图'), this.layerBar), this.mapEl, this.legend),
            h('section.dash-panel.dash-red', { id: 'dash-red-panel' }, h('header.dash-panel-head', null, h('h2', null, '红色事项')), this.redEl),
            panels
          )
        )
      );
    }

    // The large screen: the page alone, full screen; charts follow its size.
    toggleFullscreen() {
      const el = this.root();
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      else if (el && el.requestFullscreen) el.requestFullscreen().catch(() => {});
    }

    resize() {
      for (const c of this.charts.values()) c.resize();
      if (this.map) this.map.invalidateSize();
    }

    async start() {
      const onResize = () => {
        clearTimeout(this.resizeTimer);
        this.resizeTimer = setTimeout(() => this.resize(), 200);
      };
      window.addEventListener('resize', onResize, { signal: this.signal });
      document.addEventListener('fullscreenchange', onResize, { signal: this.signal });
      const { api } = this.ui;
      try {
        const area = await api(`/areas/${enc(this.ctx.area)}`, { signal: this.signal });
        if (this.signal.aborted) return;
        this.area = area;
        this.ctx.level = area.level;
        document.title = `${area.name} · 指挥中心 · 平安`;
        this.renderCrumbs(area);
      } catch (e) {
        if (this.signal.aborted || e.status === 401) return;
        this.kpis.replaceChildren(this.ui.errorView(e));
        return;
      }
      this.drawMap().catch((e) => this.mapFailed(e));
      await this.refresh();
      this.listen();
    }

    renderCrumbs(area) {
      const { h } = this.ui;
      const chain = [...(area.ancestors || []), area];
      this.crumbs.replaceChildren(
        h(
          'ol',
          null,
          chain.map((a, i) =>
            h('li', null, i === chain.length - 1 ? h('span', { 'aria-current': 'page' }, a.name) : h('a', { href: this.hashFor(a.code), dataset: { code: a.code } }, a.name))
          )
        )
      );
    }

    // Everything that shows figures, again: on start and after a change.
    async refresh() {
      const seq = ++this.seq;
      const memo = new Map();
      const get = (url) => {
        if (!memo.has(url)) memo.set(url, this.ui.api(url, { signal: this.signal }));
        return memo.get(url);
      };
      const jobs = [this.renderKpis(get), this.renderRed(), this.colourMap(get)];
      for (const p of PANELS) jobs.push(this.renderPanel(p, get));
      await Promise.allSettled(jobs);
      if (seq === this.seq && !this.signal.aborted) this.root().dataset.refreshed = String(seq);
    }

    root() {
      return this.kpis.closest('.dash-page');
    }

    async renderKpis(get) {
      const { h } = this.ui;
      try {
        const d = await get(eventsUrl(this.ctx));
        if (this.signal.aborted) return;
        const t = d.totals;
        const prev = d.previous || {};
        this.kpis.replaceChildren(
          ...KPIS.map(([k, label, fmt]) => {
            const delta = typeof t[k] === 'number' && typeof prev[k] === 'number' && !k.endsWith('_rate') ? t[k] - prev[k] : null;
            return h(
              'div.dash-kpi',
              { dataset: { kpi: k } },
              h('span.dash-kpi-label', null, label),
              h('strong.dash-kpi-value', null, fmt(t[k])),
              delta == null ? null : h('span.dash-kpi-delta', { title: '环比上期' }, `环比 ${delta >= 0 ? '+' : ''}${delta}`)
            );
          })
        );
      } catch (e) {
        if (this.signal.aborted) return;
        this.kpis.replaceChildren(h('p.dash-empty', null, '暂无数据'));
      }
    }

    async renderPanel(p, get) {
      const { h } = this.ui;
      const slot = this.panelEls.get(p.id);
      slot.tools.replaceChildren(...(p.exports ? p.exports(this.ctx).map(([label, href]) => h('a.dash-export', { href, download: '' }, label)) : []));
      let d;
      try {
        d = await get(p.url(this.ctx));
      } catch (e) {
        if (this.signal.aborted) return;
        this.disposeChart(p.id);
        slot.body.dataset.state = 'unavailable';
        slot.body.replaceChildren(h('p.dash-empty', null, e.status === 404 || e.status === 405 ? '暂无数据（该统计尚未开通）' : '暂无数据'));
        slot.tools.replaceChildren();
        return;
      }
      if (this.signal.aborted) return;
      try {
        const option = p.chart ? p.chart(d, this.ctx) : null;
        if (p.chart && !option) {
          this.disposeChart(p.id);
          slot.body.replaceChildren(h('p.dash-empty', null, '本期无数据'));
        } else if (p.chart) {
          const echarts = await loadEcharts();
          if (this.signal.aborted) return;
          let chart = this.charts.get(p.id);
          if (!chart) {
            const box = h('div.dash-chart');
            slot.body.replaceChildren(box);
            chart = echarts.init(box, null, { renderer: 'svg' });
            this.charts.set(p.id, chart);
          }
          chart.setOption(option, true);
        } else {
          slot.body.replaceChildren(...p.table(this.ui, d, this.ctx));
        }
        slot.body.dataset.state = 'ready';
      } catch (e) {
        slot.body.dataset.state = 'unavailable';
        slot.body.replaceChildren(h('p.dash-empty', null, e.message || '暂无数据'));
      }
    }

    async renderRed() {
      const { h, api, fmtTime } = this.ui;
      const sections = await Promise.all(
        RED_KINDS.map(async (k) => {
          let items = null;
          let total = 0;
          try {
            const d = await api(k.url(this.ctx), { signal: this.signal });
            items = d.items || [];
            total = d.total ?? items.length;
          } catch (e) {
            if (this.signal.aborted) return null;
          }
          return h(
            'section.dash-red-kind',
            { dataset: { kind: k.key, state: items ? 'ready' : 'unavailable' } },
            h('h3', null, k.name, items ? h('span.dash-count', null, String(total)) : null),
            items == null
              ? h('p.dash-empty', null, '暂无数据')
              : items.length === 0
              ? h('p.dash-empty', null, '无')
              : h(
                  'ul.dash-red-list',
                  null,
                  items.map((it) =>
                    h(
                      'li',
                      null,
                      k.href ? h('a', { href: k.href(it) }, it.description || it.title || it.name || `#${it.id}`) : h('span', null, it.description || it.name || it.title || `#${it.id}`),
                      h('span.dash-red-meta', null, [it.area && it.area.name, it.deadline ? `时限 ${fmtTime(it.deadline)}` : null].filter(Boolean).join(' · '))
                    )
                  )
                )
          );
        })
      );
      if (this.signal.aborted) return;
      this.redEl.replaceChildren(...sections.filter(Boolean));
    }

    // ------------------------------------------------------------ map

    async drawMap() {
      const pm = window.PinganMap;
      if (!pm || !pm.loadLeaflet) throw new Error('地图组件不可用');
      const L = await pm.loadLeaflet();
      if (this.signal.aborted) return;
      const data = await this.ui.api(`/areas/${enc(this.ctx.area)}/map?zoom=12`, { signal: this.signal });
      if (this.signal.aborted) return;
      this.map = L.map(this.mapEl, { zoomControl: true, attributionControl: false, zoomSnap: 0.25 });
      if (data.outline) L.geoJSON(data.outline, { interactive: false, style: () => ({ color: '#8fb3ff', weight: 2, dashArray: '6 5', fill: false }) }).addTo(this.map);
      this.features = (data.features || []).filter((f) => f && f.geometry && f.properties && f.properties.code);
      this.mapLayer = L.geoJSON(
        { type: 'FeatureCollection', features: this.features },
        {
          style: () => ({ color: '#cfe0ff', weight: 1, fillOpacity: 0.75, fillColor: '#37474f' }),
          onEachFeature: (f, layer) => {
            layer.on('click', () => this.drill(f.properties));
            layer.bindTooltip(() => this.tipFor(f.properties), { sticky: true, className: 'dash-tip' });
            layer.on('add', () => {
              const el = layer.getElement && layer.getElement();
              if (el) el.setAttribute('data-code', f.properties.code);
            });
          },
        }
      ).addTo(this.map);
      const b = this.mapLayer.getLayers().length ? this.mapLayer.getBounds() : null;
      if (b && b.isValid()) this.map.fitBounds(b, { padding: [8, 8] });
      else this.map.setView([33.4, 115.1], 10);
      for (const l of this.mapLayer.getLayers()) {
        const el = l.getElement && l.getElement();
        if (el) el.setAttribute('data-code', l.feature.properties.code);
      }
      this.mapEl.dataset.state = 'ready';
      if (this.lastValues) this.paint();
    }

    mapFailed(e) {
      if (this.signal.aborted) return;
      this.mapEl.dataset.state = 'failed';
      this.mapEl.replaceChildren(this.ui.h('p.dash-empty', null, (e && e.message) || '地图加载失败'));
    }

    tipFor(p) {
      const l = LAYERS.find((x) => x.key === this.layer);
      const v = this.lastValues && this.lastValues.get(p.code);
      return `${p.name}：${v == null ? '暂无数据' : `${l.name} ${v}${l.unit}`}${p.child_count ? '（点击进入）' : ''}`;
    }

    // Clicking a child enters it, down to the grid: the last level that
    // has children (a grid's micro-grids are shown, not entered).
    drill(p) {
      if (!p.child_count) return;
      this.ui.go(this.hashFor(p.code));
    }

    setLayer(key) {
      if (key === this.layer) return;
      this.layer = key;
      for (const b of this.layerBar.querySelectorAll('[data-layer]')) b.setAttribute('aria-checked', String(b.dataset.layer === key));
      history.replaceState(null, '', this.hashFor(this.ctx.area));
      this.colourMap((url) => this.ui.api(url, { signal: this.signal })).catch(() => {});
      for (const a of this.root().querySelectorAll('.dash-table a[data-code]')) a.href = this.hashFor(a.dataset.code);
    }

    // The values of the chosen layer per child code, then the colours.
    async colourMap(get) {
      const l = LAYERS.find((x) => x.key === this.layer);
      let values = null;
      try {
        if (l.probe) {
          if (!this.probed.has(l.key)) this.probed.set(l.key, get(l.probe(this.ctx)).catch(() => null));
          const d = await this.probed.get(l.key);
          const items = d && (l.items ? l.items(d) : d.items);
          if (Array.isArray(items)) values = new Map(items.map((x) => [x.key, x.value]));
        } else {
          const d = await get(eventsUrl(this.ctx));
          values = new Map(((d.by && d.by.child) || []).map((k) => [k.key, l.value(k)]));
        }
      } catch (e) {
        values = null;
      }
      if (this.signal.aborted || l.key !== this.layer) return;
      this.lastValues = values;
      this.paint();
    }

    paint() {
      const { h } = this.ui;
      const l = LAYERS.find((x) => x.key === this.layer);
      const values = this.lastValues;
      this.mapEl.dataset.layer = l.key;
      this.mapEl.dataset.layerState = values ? 'ready' : 'unavailable';
      const max = values ? Math.max(1, ...[...values.values()].filter((v) => typeof v === 'number')) : 1;
      if (this.mapLayer) {
        this.mapLayer.setStyle((f) => {
          const v = values && values.get(f.properties.code);
          return { fillColor: values && typeof v === 'number' ? mix(l.palette[0], l.palette[1], v / max) : '#455a64', fillOpacity: 0.8 };
        });
      }
      this.legend.replaceChildren(
        values
          ? h('span', null, l.name, '：', h('span.dash-ramp', { style: `background: linear-gradient(90deg, ${l.palette[0]}, ${l.palette[1]})` }), ` 0 – ${max}${l.unit}`)
          : h('span.dash-empty', null, `${l.name}：暂无数据`)
      );
    }

    // ------------------------------------------------------------ live

    // The event stream: any change in the scope refreshes the figures,
    // at most once per REFRESH_DEBOUNCE_MS.
    listen() {
      if (!window.EventSource || this.signal.aborted) return;
      const es = new EventSource('/api/v1/stream');
      this.es = es;
      const changed = () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
      };
      es.addEventListener('event', changed);
      es.addEventListener('reset', changed);
      es.addEventListener('open', () => this.live.classList.add('is-on'));
      es.addEventListener('error', () => this.live.classList.remove('is-on'));
    }

    disposeChart(id) {
      const c = this.charts.get(id);
      if (c) c.dispose();
      this.charts.delete(id);
    }

    dispose() {
      clearTimeout(this.timer);
      clearTimeout(this.resizeTimer);
      if (document.fullscreenElement && document.fullscreenElement === this.root()) document.exitFullscreen().catch(() => {});
      if (this.es) this.es.close();
      for (const id of [...this.charts.keys()]) this.disposeChart(id);
      if (this.map) this.map.remove();
    }
  }

  // Linear mix of two #rrggbb colours.
  function mix(a, b, t) {
    const p = (c, i) => parseInt(c.slice(1 + 2 * i, 3 + 2 * i), 16);
    const x = Math.max(0, Math.min(1, t));
    return '#' + [0, 1, 2].map((i) => pad(Math.round(p(a, i) + (p(b, i) - p(a, i)) * x).toString(16))).join('');
  }

  function show(main, { parts, params, signal, ui }) {
    const acct = ui.account();
    document.title = '指挥中心 · 平安';
    if (!acct || !STATS_ROLES.includes(acct.role)) {
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看统计数字。', true));
      return;
    }
    const code = parts[1] || (acct.area && acct.area.code);
    if (!code) {
      main.replaceChildren(ui.message('未指定区域', '请从区域页面进入指挥中心。', true));
      return;
    }
    new Dashboard(main, ui, code, params, signal).start();
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['dashboard'],
    navPages: (role) => (STATS_ROLES.includes(role) ? [['dashboard', '指挥中心', '#/dashboard']] : []),
    show,
  });
  window.PinganDashboard = Object.freeze({ PANELS, LAYERS, RED_KINDS });
})();
