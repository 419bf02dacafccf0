// Pingan (平安) the camera network (雪亮工程 / 数字乡村).
//
// #/cameras[?area=CODE]  the rates of an area (应建, 已建, 安装率, 在线, 在线率),
//                        its children's rates, a map of its cameras by status,
//                        the grids without a camera, the offline cameras;
// #/cameras/ID           one camera: its facts, its outage event, its alarms.
// Registers itself in window.PinganModules (app.js's module hook). Every
// string from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const READERS = ['admin', 'leader', 'dispatcher', 'grid_worker'];
  const WRITERS = ['admin', 'dispatcher'];
  const STATUS = { online: '在线', offline: '离线', unknown: '未上报', not_installed: '未安装' };
  const COLORS = { online: '#1a7f37', offline: '#cf222e', unknown: '#8c959f', not_installed: '#bf8700' };
  const enc = encodeURIComponent;
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');
  const pct = (v) => `${Number(v).toFixed(2)}%`;
  const stateOf = (c) => (c.installed_date ? c.status : 'not_installed');

  function statusBadge(ui, c) {
    const s = stateOf(c);
    return ui.h('span.badge.camera-status', { dataset: { status: s } }, STATUS[s] || s);
  }

  function rateCards(ui, r) {
    const { h } = ui;
    const card = (key, label, value, sub) =>
      h('div.camera-rate', { dataset: { rate: key } }, h('div.camera-rate-label', null, label), h('div.camera-rate-value', null, value), sub ? h('div.camera-rate-sub.muted', null, sub) : null);
    return h(
      'div.camera-rates',
      null,
      card('planned', '应建', String(r.planned)),
      card('installed', '已建', String(r.installed), `安装率 ${pct(r.install_rate)}`),
      card('online', '在线', String(r.online), `在线率 ${pct(r.online_rate)}`),
      card('offline', '离线', String(r.offline)),
      card('uncovered', '无摄像机的网格', String(r.grids_without_camera.total))
    );
  }

  function childrenTable(ui, r) {
    const { h } = ui;
    if (!r.children.length) return null;
    return h(
      'section.card.camera-children',
      null,
      h('h2', null, '下级区域'),
      h(
        'div.table-wrap',
        null,
        h(
          'table.data-table',
          null,
          h('thead', null, h('tr', null, ['区域', '应建', '已建', '安装率', '在线', '在线率'].map((t, i) => h(i ? 'th.num' : 'th', null, t)))),
          h(
            'tbody',
            null,
            r.children.map((c) =>
              h(
                'tr',
                { dataset: { code: c.code } },
                h('td', null, h('a', { href: `#/cameras?area=${enc(c.code)}` }, c.name)),
                h('td.num', null, String(c.planned)),
                h('td.num', null, String(c.installed)),
                h('td.num', null, c.planned ? pct(c.install_rate) : '—'),
                h('td.num', null, String(c.online)),
                h('td.num', null, c.installed ? pct(c.online_rate) : '—')
              )
            )
          )
        )
      )
    );
  }

  function uncoveredList(ui, r) {
    const { h } = ui;
    const g = r.grids_without_camera;
    return h(
      'section.card.camera-uncovered',
      null,
      h('h2', null, `无摄像机的网格（${g.total} 个）`),
      g.total
        ? h('ul.camera-grid-list', null, g.items.map((x) => h('li', null, h('a', { href: ui.areaHref(x.code) }, `${x.parent_name || ''} ${x.name}`), h('span.muted.mono', null, ` ${x.code}`))))
        : h('p.muted', null, '每个网格都有已安装的摄像机。'),
      g.total > g.items.length ? h('p.muted.small', null, `仅列出前 ${g.items.length} 个`) : null
    );
  }

  function cameraTable(ui, items, title) {
    const { h } = ui;
    return h(
      'section.card.camera-list',
      null,
      h('h2', null, title),
      items.length
        ? h(
            'div.table-wrap',
            null,
            h(
              'table.data-table',
              null,
              h('thead', null, h('tr', null, ['编码', '名称', '所在微网格', '状态', '离线起始'].map((t) => h('th', null, t)))),
              h(
                'tbody',
                null,
                items.map((c) =>
                  h(
                    'tr',
                    { dataset: { id: String(c.id) } },
                    h('td.mono', null, c.code),
                    h('td', null, h('a', { href: `#/cameras/${c.id}` }, c.name)),
                    h('td', null, c.area_name),
                    h('td', null, statusBadge(ui, c)),
                    h('td', null, c.down_since_ms ? ui.fmtTime(c.down_since_ms) : '—')
                  )
                )
              )
            )
          )
        : h('p.muted', null, '没有。')
    );
  }

  // 导入点位台账: a CSV (UTF-8 or GBK) of the county's cameras, created or
  // updated by code; all or nothing unless 跳过错误行. The answer's errors
  // (422 included) are shown row by row, so fetch is used directly.
  function importForm(ui, onDone) {
    const { h } = ui;
    const result = h('div.camera-import-result', { id: 'camera-import-result', 'aria-live': 'polite' });
    const form = h(
      'form.card.camera-import',
      { novalidate: true },
      h('h2', null, '导入点位台账'),
      h('p.muted.small', null, '第一行为表头：编码、名称、类别、经度、纬度（必填），运维单位、计划日期、安装日期、联网日期（可选）。按编码新增或更新；UTF-8 或 GBK 均可。'),
      h('label.field', null, h('span', null, 'CSV 文件'), h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' })),
      h('label.check', null, h('input', { type: 'checkbox', name: 'keep_good' }), ' 跳过错误行，导入其余各行'),
      h('div.form-actions', null, h('button.primary', { type: 'submit' }, '导入')),
      result
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const file = form.elements.file.files[0];
      if (!file) {
        result.replaceChildren(h('p.alert', { role: 'alert' }, '请选择 CSV 文件'));
        return;
      }
      const mode = form.elements.keep_good.checked ? 'keep_good' : 'all_or_nothing';
      ui.busy(true);
      try {
        const res = await fetch(`/api/v1/cameras/import?mode=${mode}`, {
          method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'text/csv', Accept: 'application/json' }, body: file,
        });
        const data = await res.json().catch(() => null);
        const sum = res.ok ? data : data && data.error && data.error.result;
        if (!sum) {
          result.replaceChildren(h('p.alert', { role: 'alert' }, (data && data.error && data.error.message) || `导入失败（${res.status}）`));
          return;
        }
        const head = res.ok
          ? `导入完成：新增 ${sum.created} 路，更新 ${sum.updated} 路${sum.invalid ? `，跳过 ${sum.invalid} 行错误` : ''}`
          : `${sum.invalid} 行有错误，未导入任何数据`;
        result.replaceChildren(
          h(res.ok ? 'p.camera-import-ok' : 'p.alert', { role: res.ok ? 'status' : 'alert' }, head),
          sum.errors.length
            ? h(
                'div.table-wrap',
                null,
                h(
                  'table.data-table.camera-import-errors',
                  null,
                  h('thead', null, h('tr', null, h('th', null, '行'), h('th', null, '列'), h('th', null, '问题'))),
                  h('tbody', null, sum.errors.map((e) => h('tr', null, h('td.num', null, String(e.row)), h('td', null, e.field || '—'), h('td', null, e.message))))
                )
              )
            : null
        );
        if (res.ok && (sum.created || sum.updated)) onDone();
      } catch (e) {
        result.replaceChildren(h('p.alert', { role: 'alert' }, e.message || '导入失败'));
      } finally {
        ui.busy(false);
      }
    });
    return form;
  }

  // The area's children as outlines and its cameras as dots by status.
  async function drawMap(ui, box, code, cameras, signal) {
    const L = await window.PinganMap.loadLeaflet();
    if (signal.aborted) return;
    const map = L.map(box, { attributionControl: false, zoomControl: true, preferCanvas: true });
    const outline = await ui.api(`/areas/${enc(code)}/map?zoom=12`, { signal });
    const areas = L.geoJSON(outline, { style: { color: '#57606a', weight: 1, fillOpacity: 0.03 } }).addTo(map);
    const dots = L.layerGroup().addTo(map);
    for (const c of cameras) {
      const s = stateOf(c);
      L.circleMarker([c.lat, c.lng], { radius: s === 'offline' ? 5 : 3, color: COLORS[s], weight: 1, fillOpacity: 0.85 })
        .bindPopup(() => ui.h('div', null, ui.h('strong', null, c.name), ui.h('div.mono', null, c.code), ui.h('div', null, STATUS[s]), ui.h('a', { href: `#/cameras/${c.id}` }, '查看')))
        .addTo(dots);
    }
    const b = areas.getBounds();
    if (b.isValid()) map.fitBounds(b);
    else map.setView([33.4, 115.1], 10);
    const Legend = L.Control.extend({
      options: { position: 'bottomright' },
      onAdd: () =>
        ui.h('div.map-legend.camera-legend', null, Object.entries(STATUS).map(([k, v]) => ui.h('span.map-legend-item', null, ui.h('span.camera-dot', { dataset: { status: k } }), v))),
    });
    new Legend().addTo(map);
    box.dataset.cameras = String(cameras.length);
    box.dataset.ready = '1';
  }

  async function showOverview(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '视频监控 · 平安';
    const area = params.get('area');
    const q = area ? `?area=${enc(area)}` : '';
    ui.busy(true);
    try {
      const rates = await ui.api(`/cameras/rates${q}`, { signal });
      const list = await ui.api(`/cameras${q}${q ? '&' : '?'}limit=10000`, { signal });
      const offline = list.items.filter((c) => c.installed_date && c.status === 'offline');
      const feed = rates.newest_report_ms
        ? h('p.muted.camera-feed', null, `视频平台最近上报：${ui.fmtTime(rates.newest_report_ms)}`)
        : h('p.muted.camera-feed', null, '视频平台尚未上报状态');
      const mapBox = h('div.camera-map', { id: 'camera-map', role: 'region', 'aria-label': '摄像机分布地图' });
      main.replaceChildren(
        h(
          'div.cameras-page',
          null,
          h('h1.page-title', null, `视频监控 · ${rates.area.name}`),
          feed,
          rateCards(ui, rates),
          h('section.card.camera-map-card', null, h('h2', null, '点位分布'), mapBox),
          childrenTable(ui, rates),
          cameraTable(ui, offline, `离线摄像机（${offline.length} 路）`),
          uncoveredList(ui, rates),
          WRITERS.includes(ui.account().role) ? importForm(ui, () => {}) : null
        )
      );
      drawMap(ui, mapBox, rates.area.code, list.items, signal).catch((e) => {
        if (!isAbort(e, signal)) mapBox.replaceChildren(ui.message('地图加载失败', e.message, true));
      });
    } catch (e) {
      if (!isAbort(e, signal)) main.replaceChildren(ui.errorView(e, () => showOverview(main, { params, signal, ui })));
    } finally {
      ui.busy(false);
    }
  }

  async function showCamera(main, { id, signal, ui }) {
    const { h, fact } = ui;
    ui.busy(true);
    try {
      const c = await ui.api(`/cameras/${enc(id)}`, { signal });
      document.title = `${c.name} · 视频监控 · 平安`;
      main.replaceChildren(
        h(
          'div.cameras-page.camera-page',
          null,
          h('nav.crumbs', { 'aria-label': '位置' }, h('ol', null, h('li', null, h('a', { href: '#/cameras' }, '视频监控')), h('li', { 'aria-current': 'page' }, c.name))),
          h('h1.page-title', null, c.name, ' ', statusBadge(ui, c)),
          h(
            'section.card',
            null,
            h(
              'dl.facts',
              null,
              fact('编码', h('span.mono', null, c.code)),
              fact('类别', c.kind_name),
              fact('运维单位', c.operator || '—'),
              fact('所在微网格', h('a', { href: ui.areaHref(c.area) }, c.area_name)),
              fact('坐标', `${c.lng.toFixed(6)}, ${c.lat.toFixed(6)}`),
              fact('计划日期', c.planned_date || '—'),
              fact('安装日期', c.installed_date || '未安装'),
              fact('联网日期', c.connected_date || '—'),
              fact('最近上报', c.reported_ms ? ui.fmtTime(c.reported_ms) : '—'),
              fact('离线起始', c.down_since_ms ? ui.fmtTime(c.down_since_ms) : '—', 'down_since'),
              fact('离线事件', c.alert_event_id ? h('a', { href: `#/events/${c.alert_event_id}` }, `事件 ${c.alert_event_id}`) : '—', 'alert_event')
            )
          ),
          h(
            'section.card.camera-alarms',
            null,
            h('h2', null, `视频告警（${c.alarms.length}）`),
            c.alarms.length
              ? h('ul', null, c.alarms.map((a) => h('li', null, `${ui.fmtTime(a.at_ms)} ${a.kind_name || a.kind} `, h('a', { href: `#/events/${a.event_id}` }, `事件 ${a.event_id}`))))
              : h('p.muted', null, '没有告警。')
          )
        )
      );
    } catch (e) {
      if (!isAbort(e, signal)) main.replaceChildren(ui.errorView(e, () => showCamera(main, { id, signal, ui })));
    } finally {
      ui.busy(false);
    }
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['cameras'],
    navPages(role) {
      return READERS.includes(role) ? [['cameras', '视频监控', '#/cameras']] : [];
    },
    show(main, { parts, params, signal, ui }) {
      if (parts[1]) return showCamera(main, { id: parts[1], signal, ui });
      return showOverview(main, { params, signal, ui });
    },
  });
})();
