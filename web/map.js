// Pingan (平安) electronic grid map (电子网格地图): the #/map[/CODE] page.
//
// Plain ES2020, no framework. Loaded before app.js, whose router calls
// PinganMap.show() with its helpers (api, h, …) and PinganMap.leave() when
// another page is shown. Leaflet is loaded from /vendor/leaflet on first use.
// There are no map tiles (the deployment has no internet): the boundaries
// from GET /api/v1/areas/{code}/map are drawn as polygons on a plain
// background, one level at a time — the current area's outline and its
// children, nothing else, so even the county draws fast. A selected grid or
// micro-grid lists its first households (住户) for the accounts that may read
// the registry. Every string from the server goes into the page as text,
// never as HTML.
'use strict';

(() => {
  const VENDOR = '/vendor/leaflet/';
  // Stroke/fill colour by level depth (county, township, village, grid, micro-grid, …).
  const COLORS = ['#0b2a5b', '#2463c4', '#2e7d32', '#b85c00', '#7b1fa2', '#00838f', '#5d4037'];
  const SELECT_COLOR = '#c62828';
  const LOCATE_COLOR = '#c62828';
  // Zoom to ask for before an area's size is known, by level depth.
  const ZOOM_BY_DEPTH = [10, 12, 14, 15, 16, 17];
  const MAX_ZOOM = 19;
  const CACHE_MAX = 48;
  const LABEL_FONT = '600 12px system-ui, sans-serif';
  const AUTO_IN = 0.6; // zooming in until one child covers this share of the view enters it
  const AUTO_OUT = 0.08; // zooming out until the area covers less than this goes up a level
  // Roles that may read the population registry: ROLES_READ of web/registry.js,
  // whose canRead() is asked when it is loaded.
  const REGISTRY_ROLES = ['admin', 'leader', 'dispatcher', 'grid_worker', 'mediator', 'petition_officer'];
  const HOUSEHOLDS_SHOWN = 10; // households listed for a selected area; 查看全部 has the rest

  const enc = encodeURIComponent;
  const mapHref = (code) => '#/map/' + enc(code);
  const householdHref = (id) => '#/households/' + enc(id);
  const colorAt = (depth) => COLORS[Math.max(0, Math.min(COLORS.length - 1, depth))];
  const clampZoom = (z) => Math.max(0, Math.min(22, Math.round(Number.isFinite(z) ? z : 10)));
  const reduceMotion = () => window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  // ---------------------------------------------------------------- Leaflet

  let leafletReady = null;

  // Adds leaflet.js and leaflet.css once; the CSS goes before app.css, whose
  // map rules override it.
  function loadLeaflet() {
    if (!leafletReady) {
      const load = (el, before) =>
        new Promise((resolve, reject) => {
          el.addEventListener('load', resolve);
          el.addEventListener('error', () => reject(new Error('地图组件加载失败，请刷新页面后重试')));
          if (before) document.head.insertBefore(el, before);
          else document.head.append(el);
        });
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = VENDOR + 'leaflet.css';
      const js = document.createElement('script');
      js.src = VENDOR + 'leaflet.js';
      leafletReady = Promise.all([
        window.L && window.L.map ? null : load(js),
        load(css, document.querySelector('link[rel=stylesheet][href$="app.css"]')),
      ]).then(
        () => window.L,
        (e) => {
          leafletReady = null;
          throw e;
        }
      );
    }
    return leafletReady;
  }

  // ---------------------------------------------------------------- helpers

  let measureCtx = null;
  function textWidth(s) {
    if (!measureCtx) {
      measureCtx = document.createElement('canvas').getContext('2d');
      if (measureCtx) measureCtx.font = LABEL_FONT;
    }
    return measureCtx ? measureCtx.measureText(s).width : s.length * 12;
  }

  // Share of the view covered by the box b (both L.LatLngBounds).
  function cover(view, b) {
    const w = Math.min(view.getEast(), b.getEast()) - Math.max(view.getWest(), b.getWest());
    const hh = Math.min(view.getNorth(), b.getNorth()) - Math.max(view.getSouth(), b.getSouth());
    const all = (view.getEast() - view.getWest()) * (view.getNorth() - view.getSouth());
    return w > 0 && hh > 0 && all > 0 ? (w * hh) / all : 0;
  }

  // Map labels use the everyday short form of the committees' names; the
  // tooltip and the info panel keep the full name.
  const SHORT_NAMES = [
    [/社区居民委员会$/, '社区'],
    [/居民委员会$/, '居委会'],
    [/村民委员会$/, '村'],
  ];
  function shortName(name) {
    for (const [re, to] of SHORT_NAMES) if (re.test(name) && name.replace(re, '')) return name.replace(re, to);
    return name;
  }

  const validPoint = (p) =>
    Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

  // "115.1,33.4", "115.1 33.4", "115.1，33.4" -> [lng, lat] or null
  function parseLngLat(s) {
    const m = String(s)
      .trim()
      .match(/^([-+]?\d+(?:\.\d+)?)\s*(?:[,，;；]\s*|\s+)([-+]?\d+(?:\.\d+)?)$/);
    return m ? [Number(m[1]), Number(m[2])] : null;
  }
  const fmtCoord = (v) => String(Number(v.toFixed(6)));

  // ---------------------------------------------------------------- page

  let view = null; // the live map page, or null

  // Shows the map page in main (reusing the live one): opts {code, select, ui}.
  function show(main, opts) {
    if (view && !view.dead && view.main === main && view.root.isConnected) {
      view.route(opts);
      return;
    }
    leave();
    view = new MapView(main, opts.ui);
    view.start(opts);
  }

  function leave() {
    if (view) view.destroy();
    view = null;
  }

  class MapView {
    constructor(main, ui) {
      this.main = main;
      this.ui = ui;
      this.L = null;
      this.map = null;
      this.dead = false;
      this.pending = null; // a route() that came before the map was ready
      this.root_code = null; // the account's scope root
      this.depths = new Map(); // level key -> depth
      this.levelList = []; // [{key, name, depth}] top down
      this.level = null; // {code, detail, data, zoom, parent, chain, bounds}
      this.items = new Map(); // child code -> {code, feature, index, layer, bounds, labelEl, labelW}
      this.layers = { outline: null, areas: null, labels: null, selected: null, marker: null };
      this.selected = null;
      this.located = null; // {lng, lat, area, chain}
      this.locating = false;
      this.loading = false;
      this.programmatic = false;
      this.lastZoom = null;
      this.zoomAt = new Map(); // level key -> zoom its areas were last shown at
      this.cache = new Map(); // "code@zoom" -> map response
      this.seq = 0;
      this.locateSeq = 0;
      this.loadCtl = null;
      this.hh = null; // the selected area's 住户 section: {code, el, ctl}
      this.onKey = (ev) => {
        if (ev.key === 'Escape' && this.locating) this.setLocating(false);
      };
      this.build();
    }

    build() {
      const { h } = this.ui;
      this.search = this.ui.searchBox((item) => this.flyTo(item.code));
      this.locateBtn = h(
        'button.ghost-dark.map-locate-btn',
        {
          type: 'button',
          id: 'map-locate',
          'aria-pressed': 'false',
          title: '点击后在地图上选择一个位置，查询它所在的网格',
          onclick: () => this.setLocating(!this.locating),
        },
        h('span.map-locate-icon', { 'aria-hidden': 'true' }),
        '定位'
      );
      this.coordInput = h('input', {
        type: 'text',
        id: 'map-coords',
        inputmode: 'decimal',
        placeholder: '经度,纬度',
        'aria-label': '经纬度（经度,纬度）',
        autocomplete: 'off',
        spellcheck: 'false',
      });
      const form = h(
        'form.map-locate',
        {
          id: 'map-locate-form',
          novalidate: true,
          onsubmit: (ev) => {
            ev.preventDefault();
            this.locateTyped();
          },
        },
        this.locateBtn,
        this.coordInput,
        h('button.primary', { type: 'submit' }, '查询')
      );
      this.statusLine = h('p.map-status', { id: 'map-status', role: 'status' });
      this.crumbs = h('nav.crumbs.map-crumbs', { 'aria-label': '地图层级' });
      this.canvas = h('div.map-canvas', { id: 'map-canvas', role: 'region', 'aria-label': '电子网格地图' });
      this.info = h('aside.card.map-info', { id: 'map-info', 'aria-label': '区域信息' }, h('p.muted', null, '正在加载地图…'));
      this.root = h(
        'div.map-page',
        { dataset: { state: 'loading', level: '', selected: '' } },
        h('div.map-toolbar', null, this.search, form),
        this.statusLine,
        this.crumbs,
        h('div.map-body', null, this.canvas, this.info)
      );
      this.main.replaceChildren(this.root);
    }

    async start(opts) {
      this.ui.busy(true);
      let L;
      try {
        [L] = await Promise.all([loadLeaflet(), this.loadLevels()]);
      } catch (e) {
        if (this.dead) return;
        this.ui.busy(false);
        this.setState('error');
        this.info.replaceChildren(this.ui.errorView(e, () => show(this.main, opts)));
        return;
      }
      if (this.dead) return;
      this.L = L;
      this.createMap();
      this.route(this.pending || opts);
      this.pending = null;
    }

    async loadLevels() {
      try {
        const known = this.ui.levels();
        const items = known && known.size ? [...known.values()] : ((await this.ui.api('/levels')) || {}).items || [];
        this.levelList = items.slice().sort((a, b) => a.depth - b.depth);
        for (const l of this.levelList) this.depths.set(l.key, l.depth);
      } catch (e) {
        if (e.status === 401) throw e;
        // Colours then fall back to the position in the chain.
      }
    }

    createMap() {
      const L = this.L;
      const map = L.map(this.canvas, {
        zoomControl: false,
        attributionControl: false,
        doubleClickZoom: false, // double-click enters an area instead
        minZoom: 3,
        maxZoom: MAX_ZOOM,
        zoomSnap: 1,
      });
      this.map = map;
      map.setView([34, 110], 4); // replaced by the first area's bounds
      L.control.zoom({ position: 'topleft', zoomInTitle: '放大', zoomOutTitle: '缩小' }).addTo(map);
      L.control.scale({ position: 'bottomleft', imperial: false }).addTo(map);
      if (this.levelList.length) this.legend().addTo(map);
      // The selection outline above the areas, the located point above the labels;
      // neither takes clicks, so the areas underneath still get them.
      for (const [name, z] of [
        ['mapSelected', 450],
        ['mapLocate', 650],
      ]) {
        const pane = map.createPane(name);
        pane.style.zIndex = String(z);
        pane.style.pointerEvents = 'none';
      }
      map.on('click', (e) => this.onMapClick(e));
      // A double-click on an area enters it (the areas do not pass it on);
      // elsewhere it zooms in as usual.
      map.on('dblclick', (e) => {
        if (!this.locating) map.setZoomAround(e.containerPoint, map.getZoom() + 1);
      });
      map.on('zoomend', () => this.updateLabels());
      map.on('moveend', () => this.onMoveEnd());
    }

    legend() {
      const { h } = this.ui;
      const Legend = this.L.Control.extend({
        options: { position: 'bottomright' },
        onAdd: () =>
          h(
            'div.map-legend',
            { 'aria-hidden': 'true' },
            this.levelList.map((l) =>
              h('span.map-legend-item', null, h('span.map-swatch', { dataset: { depth: String(Math.min(l.depth, COLORS.length - 1)) } }), l.name)
            )
          ),
      });
      return new Legend();
    }

    destroy() {
      this.dead = true;
      if (this.loadCtl) this.loadCtl.abort();
      this.dropHouseholds();
      document.removeEventListener('keydown', this.onKey);
      clearTimeout(this.progTimer);
      if (this.map) this.map.remove();
      this.map = null;
    }

    setState(s) {
      this.root.dataset.state = s;
    }

    status(text, isError) {
      this.statusLine.textContent = text || '';
      this.statusLine.classList.toggle('text-error', !!isError);
      this.statusLine.setAttribute('role', isError ? 'alert' : 'status');
    }

    // ------------------------------------------------------------ navigation

    // From the router: #/map (the account's root), #/map/CODE, ?sel=CHILD.
    async route(opts) {
      if (!this.map) {
        this.pending = opts;
        return;
      }
      let code = opts.code;
      if (!code) {
        try {
          code = await this.rootCode();
        } catch (e) {
          if (this.dead || e.status === 401) return;
          this.setState('error');
          this.info.replaceChildren(this.ui.errorView(e, () => this.route(opts)));
          return;
        }
        if (this.dead) return;
        if (!code) {
          this.setState('error');
          this.info.replaceChildren(this.ui.message('暂无可访问的区域', '您的账号尚未分配管辖区域。', false));
          return;
        }
      }
      const select = opts.select || null;
      if (this.level && this.level.code === code && !this.loading) {
        this.select(select && this.items.has(select) ? select : null, { history: 'none' });
        if (!this.programmatic) this.setState('ready');
        return;
      }
      this.enter(code, { select, fit: 'fit', history: 'none', first: !this.level });
    }

    async rootCode() {
      if (this.root_code) return this.root_code;
      const acct = this.ui.account();
      if (acct && acct.area && acct.area.code) {
        this.root_code = acct.area.code;
      } else {
        const list = await this.ui.api('/areas');
        const first = list && list.items && list.items[0];
        this.root_code = first ? first.code : null;
      }
      return this.root_code;
    }

    // The parent's code if it is within the account's scope (the server lists
    // only the ancestors the account may see), else null.
    parentOf(detail) {
      const anc = (detail.ancestors || []).filter((a) => a.code !== detail.code);
      const last = anc[anc.length - 1];
      return last && (!detail.parent || last.code === detail.parent) ? last.code : null;
    }

    depthOf(key, fallback) {
      return this.depths.has(key) ? this.depths.get(key) : fallback;
    }

    async fetchMap(code, zoom, signal) {
      const key = `${code}@${zoom}`;
      if (this.cache.has(key)) return this.cache.get(key);
      const data = await this.ui.api(`/areas/${enc(code)}/map?zoom=${zoom}`, { signal });
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value);
      this.cache.set(key, data);
      return data;
    }

    // Shows code's children: o {select, fit: 'fit'|'fly'|false, history:
    // 'push'|'replace'|'none', bounds (of code, if known), zoom, auto, first}.
    async enter(code, o = {}) {
      const seq = ++this.seq;
      if (this.loadCtl) this.loadCtl.abort();
      const ctl = (this.loadCtl = new AbortController());
      const signal = ctl.signal;
      this.loading = true;
      this.setState('loading');
      this.ui.busy(true);
      try {
        let detail;
        let data;
        let zoom;
        if (o.zoom !== undefined || o.bounds) {
          // fitBounds pads both sides: the same zoom as fit() will give
          zoom = clampZoom(o.zoom !== undefined ? o.zoom : this.map.getBoundsZoom(o.bounds, false, this.padding().multiplyBy(2)));
          [detail, data] = await Promise.all([
            this.ui.api('/areas/' + enc(code), { signal }),
            this.fetchMap(code, zoom, signal),
          ]);
        } else {
          // Size unknown: the zoom the same level was last shown at, else a default.
          detail = await this.ui.api('/areas/' + enc(code), { signal });
          if (seq !== this.seq || this.dead) return;
          const up = this.parentOf(detail);
          if (!(detail.child_count > 0) && up && !o.leaf) {
            // A leaf (micro-grid): show it among its siblings.
            this.enter(up, { ...o, select: code, leaf: true });
            return;
          }
          const depth = this.depthOf(detail.level, (detail.ancestors || []).length);
          zoom = clampZoom(this.zoomAt.get(detail.level) ?? ZOOM_BY_DEPTH[Math.min(depth, ZOOM_BY_DEPTH.length - 1)]);
          data = await this.fetchMap(code, zoom, signal);
        }
        if (seq !== this.seq || this.dead) return;
        const ancestors = (detail.ancestors || []).filter((a) => a.code !== detail.code);
        const parent = this.parentOf(detail);
        const features = (data && data.features) || [];
        if (!features.length && !(detail.child_count > 0) && parent && !o.leaf) {
          // A leaf (micro-grid): show it among its siblings.
          this.enter(parent, { ...o, select: code, leaf: true, bounds: undefined, zoom: undefined });
          return;
        }
        const bbox = data.bbox;
        const bounds =
          Array.isArray(bbox) && bbox.length === 4 && bbox.every(Number.isFinite)
            ? this.L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]])
            : null;
        this.level = {
          code: detail.code || code,
          detail,
          data,
          zoom,
          parent,
          bounds,
          chain: [...ancestors, { code: detail.code, name: detail.name, level: detail.level }],
        };
        this.loading = false;
        this.render(o);
      } catch (e) {
        if (seq !== this.seq || this.dead || e.name === 'AbortError' || e.status === 401) return;
        this.loading = false;
        this.showError(e, code, o);
      } finally {
        if (seq === this.seq) {
          this.loading = false;
          this.ui.busy(false);
        }
      }
    }

    // Same level, finer boundaries for the current zoom.
    async refine() {
      const lv = this.level;
      if (!lv || this.loading) return;
      const zoom = clampZoom(this.map.getZoom());
      const seq = ++this.seq;
      if (this.loadCtl) this.loadCtl.abort();
      const ctl = (this.loadCtl = new AbortController());
      this.loading = true;
      this.setState('loading');
      try {
        const data = await this.fetchMap(lv.code, zoom, ctl.signal);
        if (seq !== this.seq || this.dead) return;
        lv.data = data;
        lv.zoom = zoom;
        this.loading = false;
        this.render({ select: this.selected, history: 'none', keepInfo: true });
      } catch (e) {
        if (seq !== this.seq || this.dead || e.name === 'AbortError' || e.status === 401) return;
        this.loading = false;
        this.setState('ready'); // the coarser boundaries stay
      } finally {
        if (seq === this.seq) this.loading = false;
      }
    }

    showError(e, code, o) {
      const { h, message, errorView } = this.ui;
      this.setState('error');
      if (e.status === 404 || e.status === 403) {
        this.info.replaceChildren(
          message(
            '区域不存在或无权访问',
            `未找到编码为 ${code} 的区域，或该区域不在您的管辖范围内。`,
            true,
            h('a.button', { href: '#/map' }, '返回我的区域')
          )
        );
      } else {
        this.info.replaceChildren(errorView(e, () => this.enter(code, o)));
      }
    }

    padding() {
      const small = this.canvas.clientWidth < 480;
      return this.L.point(small ? 8 : 24, small ? 8 : 24);
    }

    // Moves the map to bounds; the page is 'ready' when the move has ended.
    fit(bounds, how) {
      if (!bounds || !bounds.isValid()) {
        this.setState('ready');
        return;
      }
      this.programmatic = true;
      this.setState('moving');
      clearTimeout(this.progTimer);
      this.progTimer = setTimeout(() => {
        if (this.programmatic) this.onMoveEnd();
      }, 3000);
      const opts = { padding: this.padding(), maxZoom: MAX_ZOOM - 1 };
      if (how === 'fly' && !reduceMotion()) this.map.flyToBounds(bounds, { ...opts, duration: 0.6 });
      else this.map.fitBounds(bounds, { ...opts, animate: how !== 'instant' && !reduceMotion() });
    }

    onMoveEnd() {
      if (!this.map) return;
      const z = this.map.getZoom();
      if (this.programmatic) {
        this.programmatic = false;
        clearTimeout(this.progTimer);
        this.lastZoom = z;
        if (this.level && !this.loading) {
          this.zoomAt.set(this.level.detail.level, z);
          if (z > this.level.zoom + 1) this.refine();
          else this.setState('ready');
        }
        return;
      }
      const from = this.lastZoom;
      this.lastZoom = z;
      if (from === null || from === z || this.loading || !this.level) return;
      this.autoLevel(z > from);
    }

    // Drawn level by level as the user zooms: a child that fills the view is
    // entered, an area that has become small gives way to its parent.
    autoLevel(zoomedIn) {
      const lv = this.level;
      if (!lv || this.loading) return;
      const viewBounds = this.map.getBounds();
      const zoom = this.map.getZoom();
      if (zoomedIn) {
        for (const it of this.items.values()) {
          if (!it.layer || !(it.feature.properties.child_count > 0)) continue;
          if (cover(viewBounds, it.bounds) >= AUTO_IN) {
            this.enter(it.code, { history: 'replace', auto: true, zoom });
            return;
          }
        }
        if (zoom > lv.zoom + 1) this.refine();
      } else if (lv.parent && lv.bounds && cover(viewBounds, lv.bounds) < AUTO_OUT) {
        this.enter(lv.parent, { history: 'replace', auto: true, zoom, select: lv.code });
      }
    }

    drill(code) {
      const it = this.items.get(code);
      if (!it) return;
      if (!(it.feature.properties.child_count > 0)) {
        this.select(code);
        return;
      }
      this.enter(code, { fit: 'fit', history: 'push', bounds: it.bounds || undefined });
    }

    // Search result: load its parent's children and select it.
    async flyTo(code) {
      if (!this.level) return;
      if (this.items.has(code)) {
        this.select(code, { history: 'push', pan: true });
        return;
      }
      if (code === this.level.code) {
        this.select(null, { history: 'push' });
        this.fit(this.level.bounds, 'fly');
        return;
      }
      const before = this.seq; // a navigation meanwhile wins over the search
      this.ui.busy(true);
      try {
        const d = await this.ui.api('/areas/' + enc(code));
        if (this.dead || this.seq !== before) return;
        const up = this.parentOf(d);
        if (up) this.enter(up, { select: d.code, fit: 'fly', history: 'push' });
        else this.enter(d.code, { fit: 'fly', history: 'push' });
      } catch (e) {
        if (this.dead || e.status === 401) return;
        this.status(e.status === 404 || e.status === 403 ? `未找到编码为 ${code} 的区域，或该区域不在您的管辖范围内。` : e.message, true);
      } finally {
        this.ui.busy(false);
      }
    }

    // ------------------------------------------------------------ drawing

    areaStyle(it, state) {
      const depth = this.depthOf(it.feature.properties.level, this.level.chain.length);
      const c = colorAt(depth);
      const base = 0.1 + 0.05 * (it.index % 3); // neighbours of one colour stay apart
      return {
        color: c,
        weight: state === 'selected' ? 2 : 1.2,
        opacity: 0.9,
        fillColor: c,
        fillOpacity: state === 'selected' ? 0.38 : state === 'hover' ? base + 0.14 : base,
      };
    }

    clearLayers() {
      for (const k of ['outline', 'areas', 'lines', 'labels', 'selected']) {
        if (this.layers[k]) this.layers[k].remove();
        this.layers[k] = null;
      }
      this.items = new Map();
      this.selected = null;
    }

    // 护路护线: the railways, roads and lines crossing the area shown, drawn
    // over the grids (GET /api/v1/lines?area=…&geometry=1), cached per area.
    async drawLines(code) {
      const L = this.L;
      const { h } = this.ui;
      this.lineCache = this.lineCache || new Map();
      let data = this.lineCache.get(code);
      try {
        if (!data) {
          data = await this.ui.api(`/lines?area=${enc(code)}&geometry=1`);
          this.lineCache.set(code, data);
        }
      } catch {
        return; // the grids stay usable without their lines
      }
      if (this.dead || !this.level || this.level.code !== code) return;
      if (this.layers.lines) this.layers.lines.remove();
      const features = (data.items || [])
        .filter((l) => l.geometry)
        .map((l) => ({ type: 'Feature', geometry: l.geometry, properties: l }));
      this.layers.lines = L.geoJSON(
        { type: 'FeatureCollection', features },
        {
          bubblingMouseEvents: false,
          style: (f) => ({ className: `map-line map-line-${f.properties.kind}`, weight: 4, opacity: 0.9 }),
          onEachFeature: (f, layer) => {
            const p = f.properties;
            const km = (m) => `${(m / 1000).toFixed(1)} 公里`;
            layer.bindTooltip(
              h('span', null, h('strong', null, p.name), ' ', h('span.muted', null, p.kind_name), h('br'), `${p.unit_name}，本区域内 ${km(p.length_in_area_m)}`),
              { sticky: true, direction: 'top', className: 'map-tip', opacity: 1 }
            );
            layer.on('add', () => {
              const el = layer.getElement && layer.getElement();
              if (el) el.setAttribute('data-line', String(p.id));
            });
          },
        }
      ).addTo(this.map);
    }

    render(o) {
      const L = this.L;
      const { h } = this.ui;
      const map = this.map;
      const lv = this.level;
      const keepSelected = o.select || null;
      this.clearLayers();
      this.root.dataset.level = lv.code;
      this.root.dataset.levelKey = lv.detail.level || '';
      document.title = `${lv.detail.name} · 网格地图 · 平安`;

      const depth = this.depthOf(lv.detail.level, lv.chain.length - 1);
      if (lv.data.outline) {
        this.layers.outline = L.geoJSON(lv.data.outline, {
          interactive: false,
          style: () => ({ className: 'map-outline', color: colorAt(depth), weight: 2.5, opacity: 0.9, dashArray: '6 5', fill: false }),
        }).addTo(map);
      }

      const features = (lv.data.features || []).filter((f) => f && f.properties && f.properties.code);
      features.forEach((f, index) => {
        this.items.set(f.properties.code, { code: f.properties.code, feature: f, index, layer: null, bounds: null, labelEl: null, labelW: 0 });
      });
      this.layers.areas = L.geoJSON(
        { type: 'FeatureCollection', features: features.filter((f) => f.geometry) },
        {
          bubblingMouseEvents: false,
          style: (f) => ({ className: 'map-area', ...this.areaStyle(this.items.get(f.properties.code), null) }),
          onEachFeature: (f, layer) => {
            const it = this.items.get(f.properties.code);
            it.layer = layer;
            layer.on({
              click: (e) => this.onAreaClick(it, e),
              dblclick: (e) => this.onAreaDblClick(it, e),
              mouseover: () => this.hover(it, true),
              mouseout: () => this.hover(it, false),
            });
            const tip = h('span', null, h('strong', null, f.properties.name), ' ', h('span.muted', null, this.ui.lvl(f.properties)));
            layer.bindTooltip(tip, { sticky: true, direction: 'top', offset: [0, -10], className: 'map-tip', opacity: 1 });
          },
        }
      ).addTo(map);

      this.drawLines(lv.code);

      this.layers.labels = L.layerGroup().addTo(map);
      for (const it of this.items.values()) {
        if (!it.layer) continue;
        it.bounds = it.layer.getBounds();
        const el = it.layer.getElement && it.layer.getElement();
        if (el) el.setAttribute('data-code', it.code);
        const p = it.feature.properties;
        const at = validPoint(p.label) ? L.latLng(p.label[1], p.label[0]) : it.bounds.getCenter();
        const label = shortName(p.name);
        it.labelEl = h('span.map-label.is-hidden', { dataset: { code: it.code } }, label);
        it.labelW = textWidth(label);
        L.marker(at, {
          icon: L.divIcon({ className: 'map-label-icon', html: it.labelEl, iconSize: null }),
          interactive: false,
          keyboard: false,
        }).addTo(this.layers.labels);
      }

      this.renderCrumbs();
      this.select(keepSelected && this.items.has(keepSelected) ? keepSelected : null, { history: 'none', keepInfo: true });
      if (!o.keepInfo || !this.info.querySelector('.map-info-head')) this.showInfo();
      this.syncHash(o.history === 'push' ? 'push' : 'replace');

      if (o.fit) {
        let b = lv.bounds;
        if (!b && this.layers.areas.getLayers().length) b = this.layers.areas.getBounds();
        if (!b && this.layers.outline) b = this.layers.outline.getBounds();
        this.fit(b, o.first ? 'instant' : o.fit);
      } else {
        this.setState('ready');
        this.updateLabels();
        if (o.auto) this.autoLevel(true); // zoomed past more than one level
      }
    }

    renderCrumbs() {
      const { h } = this.ui;
      const chain = this.level.chain;
      this.crumbs.replaceChildren(
        h(
          'ol',
          null,
          chain.map((c, i) =>
            i === chain.length - 1
              ? h('li', { 'aria-current': 'page', title: this.levelName(c.level) || null }, c.name)
              : h('li', null, h('a', { href: mapHref(c.code), title: this.levelName(c.level) || null }, c.name))
          )
        )
      );
    }

    levelName(key) {
      const l = this.levelList.find((x) => x.key === key);
      return (l && l.name) || this.ui.lvl({ level: key });
    }

    // Labels are drawn only where they fit inside their area's box.
    updateLabels() {
      if (!this.map || !this.level) return;
      for (const it of this.items.values()) {
        if (!it.labelEl) continue;
        const a = this.map.latLngToContainerPoint(it.bounds.getSouthWest());
        const b = this.map.latLngToContainerPoint(it.bounds.getNorthEast());
        const w = Math.abs(b.x - a.x);
        const hh = Math.abs(a.y - b.y);
        const fits = w * 0.85 >= it.labelW + 4 && hh * 0.6 >= 16;
        it.labelEl.classList.toggle('is-hidden', !fits && it.code !== this.selected);
        it.labelEl.classList.toggle('is-selected', it.code === this.selected);
      }
    }

    hover(it, on) {
      if (!it.layer || it.code === this.selected) return;
      it.layer.setStyle(this.areaStyle(it, on ? 'hover' : null));
    }

    // ------------------------------------------------------------ selection

    select(code, o = {}) {
      const L = this.L;
      const prev = this.selected ? this.items.get(this.selected) : null;
      if (prev && prev.layer) {
        prev.layer.setStyle(this.areaStyle(prev, null));
        const el = prev.layer.getElement && prev.layer.getElement();
        if (el) el.classList.remove('is-selected');
      }
      if (this.layers.selected) this.layers.selected.remove();
      this.layers.selected = null;

      const it = code ? this.items.get(code) : null;
      this.selected = it ? it.code : null;
      this.root.dataset.selected = this.selected || '';
      if (it && it.layer) {
        it.layer.setStyle(this.areaStyle(it, 'selected'));
        const el = it.layer.getElement && it.layer.getElement();
        if (el) el.classList.add('is-selected');
        this.layers.selected = L.geoJSON(it.feature.geometry, {
          pane: 'mapSelected',
          interactive: false,
          style: () => ({ className: 'map-selected', color: SELECT_COLOR, weight: 3, opacity: 1, fill: false }),
        }).addTo(this.map);
        if (o.pan && !this.map.getBounds().contains(it.bounds)) this.fit(this.level.bounds || it.bounds, 'fly');
      }
      this.updateLabels();
      if (!o.keepInfo) this.showInfo();
      if (o.history !== 'none') this.syncHash(o.history || 'replace');
    }

    syncHash(mode) {
      if (!this.level) return;
      const hash = mapHref(this.level.code) + (this.selected ? '?sel=' + enc(this.selected) : '');
      if (location.hash === hash) return;
      if (mode === 'push') history.pushState(null, '', hash);
      else history.replaceState(null, '', hash);
    }

    onMapClick(e) {
      if (this.locating) {
        this.locateAt(e.latlng.lng, e.latlng.lat);
        return;
      }
      if (this.selected) this.select(null);
    }

    onAreaClick(it, e) {
      if (this.locating) {
        this.locateAt(e.latlng.lng, e.latlng.lat);
        return;
      }
      if (this.selected !== it.code) this.select(it.code);
    }

    onAreaDblClick(it) {
      if (this.locating) return;
      this.drill(it.code);
    }

    // ------------------------------------------------------------ info panel

    showInfo() {
      const lv = this.level;
      if (!lv) return;
      const it = this.selected ? this.items.get(this.selected) : null;
      const loc = this.located;
      const locHere = loc && (it ? loc.area.code === it.code : loc.area.code === lv.code);
      const parts = [locHere ? this.locateBlock(loc) : null, ...(it ? this.childInfo(it) : this.levelInfo())];
      // The 住户 section belongs to one selection: redrawing the panel for the
      // same area keeps it (and its one request); another area drops it.
      const hh = it ? this.householdsBlock(it.feature.properties) : null;
      if (!hh) this.dropHouseholds();
      parts.push(hh);
      this.info.replaceChildren(...parts.filter(Boolean));
    }

    fact(label, value, key) {
      const { h } = this.ui;
      return h('div.fact', { dataset: key ? { fact: key } : null }, h('dt', null, label), h('dd', null, value));
    }

    people(names) {
      const { h } = this.ui;
      const list = (names || []).map((p) => (typeof p === 'string' ? p : p && (p.name || p.username))).filter(Boolean);
      if (!list.length) return h('span.muted', null, '未配置');
      return h('ul.people', null, list.map((n) => h('li', null, n)));
    }

    infoCrumbs(chain, current) {
      const { h } = this.ui;
      return h(
        'nav.crumbs.map-info-crumbs',
        { 'aria-label': '所属区域' },
        h(
          'ol',
          null,
          chain.map((c) => h('li', null, h('a', { href: mapHref(c.code) }, c.name))),
          h('li', { 'aria-current': 'page' }, current)
        )
      );
    }

    childInfo(it) {
      const { h } = this.ui;
      const p = it.feature.properties;
      const kids = Number(p.child_count) || 0;
      return [
        h(
          'header.map-info-head',
          null,
          h('h2', { id: 'map-info-title' }, p.name),
          h('span.badge.level', null, this.ui.lvl(p)),
          h('button.map-info-close', { type: 'button', 'aria-label': '取消选择', title: '取消选择', onclick: () => this.select(null) }, '×')
        ),
        this.infoCrumbs(this.level.chain, p.name),
        h(
          'dl.facts.map-facts',
          { dataset: { code: p.code } },
          this.fact('编码', h('span.mono.area-code', null, p.code)),
          this.fact('层级', this.ui.lvl(p)),
          this.fact('下级数量', String(kids)),
          this.fact('网格员', this.people(p.workers), 'workers')
        ),
        it.layer ? null : h('p.muted.small', null, '该区域暂无边界数据，未在地图上显示。'),
        h(
          'div.map-actions',
          null,
          kids > 0 ? h('button.primary', { type: 'button', id: 'map-enter', onclick: () => this.drill(p.code) }, '进入') : null,
          h('a.button.ghost-dark', { href: this.ui.areaHref(p.code) }, '区域详情'),
          this.placeLinks(p)
        ),
      ];
    }

    // The selected grid's houses and units (web/places.js), for the roles
    // that may read them: links to their lists limited to the grid.
    placeLinks(p) {
      const acct = this.ui.account();
      const places = window.PinganPlaces;
      if (!acct || !places || !this.isGridLike(p)) return [];
      const { h } = this.ui;
      return places.areaLinks(acct.role, p.code).map(([label, href]) => h('a.button.ghost-dark.map-place-link', { href }, label));
    }

    // ------------------------------------------------------------ households

    canReadRegistry() {
      const acct = this.ui.account();
      if (!acct) return false;
      const reg = window.PinganRegistry;
      return reg && reg.canRead ? reg.canRead(acct.role) : REGISTRY_ROLES.includes(acct.role);
    }

    // A grid or a micro-grid: one of the two deepest levels, or an area
    // without children (as the area page's 住户 section, registry.js).
    isGridLike(p) {
      if (!(Number(p.child_count) > 0)) return true;
      const deepest = this.levelList.slice(-2).map((l) => l.key);
      return deepest.length ? deepest.includes(p.level) : p.level === 'grid' || p.level === 'microgrid';
    }

    dropHouseholds() {
      if (this.hh) this.hh.ctl.abort();
      this.hh = null;
    }

    // The 住户 section of the selected area p, or null; loads once per selection.
    householdsBlock(p) {
      if (!p || !p.code || !this.canReadRegistry() || !this.isGridLike(p)) return null;
      if (this.hh && this.hh.code === p.code) return this.hh.el;
      this.dropHouseholds();
      const { h } = this.ui;
      const count = h('span.count', { hidden: true });
      const body = h('div.map-households-body');
      const el = h('section.map-households', { id: 'map-households', dataset: { code: p.code } }, h('h3', null, '住户', count), body);
      this.hh = { code: p.code, el, ctl: null };
      this.loadHouseholds(this.hh, count, body);
      return el;
    }

    async loadHouseholds(hh, count, body) {
      const { h } = this.ui;
      if (hh.ctl) hh.ctl.abort();
      const ctl = (hh.ctl = new AbortController());
      const signal = ctl.signal;
      hh.el.setAttribute('aria-busy', 'true');
      body.replaceChildren(h('p.muted.small.map-households-loading', null, '加载中…'));
      try {
        const data = await this.ui.api(`/areas/${enc(hh.code)}/households?limit=${HOUSEHOLDS_SHOWN}`, { signal });
        if (signal.aborted || this.dead) return;
        const items = (data && Array.isArray(data.items) && data.items) || [];
        const total = Number((data && data.total) ?? items.length) || 0;
        count.textContent = String(total);
        count.hidden = false;
        body.replaceChildren(
          items.length
            ? h(
                'ul.map-household-list',
                null,
                items.map((it) =>
                  h(
                    'li',
                    { dataset: { id: String(it.id) } },
                    h('a.map-household-addr', { href: householdHref(it.id) }, it.address || `户 ${it.id}`),
                    h(
                      'span.map-household-meta.small',
                      null,
                      it.head_name ? h('span', null, '户主 ', h('span.map-household-head', null, it.head_name)) : h('span.muted', null, '户主未登记'),
                      h('span.muted', null, `${Number(it.member_count) || 0} 人`)
                    )
                  )
                )
              )
            : h('p.muted.small.empty', null, '该区域尚未登记住户。'),
          h(
            'p.map-households-foot.small',
            null,
            h('span.map-households-total', null, `共 ${total} 户`),
            h('a', { href: this.ui.areaHref(hh.code) }, '查看全部')
          )
        );
      } catch (e) {
        if (signal.aborted || this.dead || (e && e.name === 'AbortError') || e.status === 401) return;
        body.replaceChildren(
          h(
            'p.text-error.small.map-households-error',
            { role: 'alert' },
            `住户加载失败：${e.message || '请稍后再试'}`,
            ' ',
            h('button.ghost-dark.map-households-retry', { type: 'button', onclick: () => this.loadHouseholds(hh, count, body) }, '重试')
          )
        );
      } finally {
        if (hh.ctl === ctl) hh.el.removeAttribute('aria-busy');
      }
    }

    levelInfo() {
      const { h } = this.ui;
      const lv = this.level;
      const d = lv.detail;
      const items = [...this.items.values()];
      const childLevel = items.length ? this.ui.lvl(items[0].feature.properties) : '';
      return [
        h('header.map-info-head', null, h('h2', { id: 'map-info-title' }, d.name), h('span.badge.level', null, this.ui.lvl(d))),
        lv.chain.length > 1 ? this.infoCrumbs(lv.chain.slice(0, -1), d.name) : null,
        h(
          'dl.facts.map-facts',
          { dataset: { code: d.code } },
          this.fact('编码', h('span.mono.area-code', null, d.code)),
          this.fact('层级', this.ui.lvl(d)),
          this.fact('下级数量', String(d.child_count ?? items.length)),
          d.leader ? this.fact('网格长', d.leader.name || d.leader.username || '') : null,
          this.fact('网格员', this.people(d.workers), 'workers')
        ),
        h(
          'div.map-actions',
          null,
          lv.parent ? h('a.button.ghost-dark', { href: mapHref(lv.parent) }, '返回上级') : null,
          h('a.button.ghost-dark', { href: this.ui.areaHref(d.code) }, '区域详情')
        ),
        items.length
          ? h(
              'section.map-children',
              null,
              h('h3', null, childLevel ? `下级${childLevel}` : '下级区域', h('span.count', null, String(items.length))),
              h('p.muted.small', null, '单击地图上的区域查看详情，双击进入下一级。'),
              h(
                'ul',
                null,
                items.map((it) => {
                  const p = it.feature.properties;
                  const names = (p.workers || []).filter(Boolean);
                  return h(
                    'li',
                    null,
                    h(
                      'button.map-child',
                      { type: 'button', dataset: { code: p.code }, onclick: () => this.select(p.code, { pan: true }) },
                      h('span.map-child-name', null, p.name),
                      names.length ? h('span.muted.small', null, names.join('、')) : null,
                      it.layer ? null : h('span.badge', null, '无边界')
                    )
                  );
                })
              )
            )
          : h('p.muted.empty', null, '该区域没有下级区域。'),
      ];
    }

    locateBlock(loc) {
      const { h } = this.ui;
      const chain = loc.chain.slice(0, -1);
      return h(
        'section.map-located',
        { dataset: { code: loc.area.code } },
        h('h3', null, '定位结果'),
        h('p.small', null, '位置 ', h('span.mono', null, `${fmtCoord(loc.lng)}, ${fmtCoord(loc.lat)}`), ' 位于：'),
        h(
          'p.map-located-area',
          null,
          h('strong', null, loc.area.name),
          ' ',
          h('span.badge.level', null, this.ui.lvl(loc.area))
        ),
        chain.length
          ? h(
              'ol.map-chain',
              { 'aria-label': '所属区域' },
              chain.map((c) => h('li', null, h('a', { href: mapHref(c.code) }, c.name)))
            )
          : null
      );
    }

    // ------------------------------------------------------------ locate

    setLocating(on) {
      if (!this.map) return;
      this.locating = on;
      this.locateBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
      this.canvas.classList.toggle('is-locating', on);
      if (on) {
        document.addEventListener('keydown', this.onKey);
        this.status('请在地图上点击要查询的位置（按 Esc 取消）');
      } else {
        document.removeEventListener('keydown', this.onKey);
        if (this.statusLine.textContent.startsWith('请在地图上点击')) this.status('');
      }
    }

    locateTyped() {
      const ll = parseLngLat(this.coordInput.value);
      if (!ll) {
        this.coordInput.setAttribute('aria-invalid', 'true');
        this.status('请按“经度,纬度”输入坐标，例如 115.10,33.40', true);
        this.coordInput.focus();
        return;
      }
      this.locateAt(ll[0], ll[1]);
    }

    async locateAt(lng, lat) {
      if (!this.map) return;
      this.setLocating(false);
      this.coordInput.removeAttribute('aria-invalid');
      this.coordInput.value = `${fmtCoord(lng)},${fmtCoord(lat)}`;
      const seq = ++this.locateSeq;
      this.status('正在查询该位置所在的网格…');
      this.ui.busy(true);
      try {
        const r = await this.ui.api(`/areas/locate?lng=${enc(fmtCoord(lng))}&lat=${enc(fmtCoord(lat))}`);
        if (seq !== this.locateSeq || this.dead) return;
        const area = r.area;
        const chain = r.chain && r.chain.length ? r.chain : [area];
        this.located = { lng, lat, area, chain };
        this.placeMarker(lng, lat);
        this.status(`已定位：该位置位于${area.name}（${this.ui.lvl(area)}）`);
        const parent = chain.length > 1 ? chain[chain.length - 2].code : null;
        if (parent && this.level && this.level.code === parent && this.items.has(area.code)) {
          this.select(area.code, { history: 'push', pan: true });
        } else if (parent) {
          this.enter(parent, { select: area.code, fit: 'fit', history: 'push' });
        } else {
          this.enter(area.code, { fit: 'fit', history: 'push' });
        }
      } catch (e) {
        if (seq !== this.locateSeq || this.dead || e.status === 401) return;
        this.located = null;
        this.placeMarker(null);
        if (e.field) this.coordInput.setAttribute('aria-invalid', 'true');
        this.status(e.message || '定位失败', true);
        this.showInfo();
      } finally {
        if (seq === this.locateSeq) this.ui.busy(false);
      }
    }

    placeMarker(lng, lat) {
      if (this.layers.marker) this.layers.marker.remove();
      this.layers.marker = null;
      if (lng === null || lng === undefined) return;
      this.layers.marker = this.L.circleMarker([lat, lng], {
        pane: 'mapLocate',
        interactive: false,
        radius: 7,
        weight: 3,
        color: LOCATE_COLOR,
        fillColor: '#fff',
        fillOpacity: 1,
        className: 'map-locate-marker',
      }).addTo(this.map);
    }
  }

  window.PinganMap = Object.freeze({ show, leave, loadLeaflet });
})();
