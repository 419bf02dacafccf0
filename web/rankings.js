// Pingan (平安) 考核评价: grid workers, departments and townships ranked by
// the county's formula, with every component shown so the order can be
// trusted; administrators change the weights here.
//
// Plain ES2020, no framework; registered through window.PinganModules, drawn
// with the helpers app.js lends (ui.h, ui.api, …). Server strings go into the
// page as text, never as HTML.
'use strict';

(() => {
  const ROLES = ['admin', 'leader', 'dispatcher'];
  const KINDS = [
    ['township', '乡镇（街道）'],
    ['grid_worker', '网格员'],
    ['department', '职能部门'],
  ];
  const KIND_NAMES = Object.fromEntries(KINDS);

  const thisMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const validMonth = (m) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m || '');

  function readFilter(params) {
    const kind = KIND_NAMES[params.get('kind')] ? params.get('kind') : 'township';
    const to = validMonth(params.get('to')) ? params.get('to') : thisMonth();
    const from = validMonth(params.get('from')) ? params.get('from') : to.slice(0, 4) + '-01';
    return { kind, from, to, area: params.get('area') || '' };
  }

  const hashOf = (f) => '#/rankings?' + new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();

  function subjectCell(ui, kind, s) {
    const { h } = ui;
    if (kind === 'grid_worker') return h('td', null, h('div', null, s.name), h('div.muted', null, `${s.area.name} · ${s.username}`));
    if (kind === 'township') return h('td', null, h('a', { href: ui.areaHref(s.code) }, s.name));
    return h('td', null, s.name);
  }

  function valueText(c, unit) {
    if (c.value === null || c.value === undefined) return '—';
    if (unit === 'rate') return `${(c.value * 100).toFixed(1)}%` + (c.of ? `（${c.of}）` : '');
    return String(c.value);
  }

  function table(ui, data) {
    const { h } = ui;
    const comps = data.components;
    return h(
      'table.data-table.ranking-table',
      { id: 'ranking-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, '名次'),
          h('th', { scope: 'col' }, KIND_NAMES[data.kind]),
          h('th', { scope: 'col' }, '得分'),
          comps.map((c) => h('th', { scope: 'col', title: c.means }, c.name, h('div.muted', null, `权重 ${c.weight}`)))
        )
      ),
      h(
        'tbody',
        null,
        data.items.map((x) =>
          h(
            'tr',
            { dataset: { rank: String(x.rank) } },
            h('td.rank', null, String(x.rank)),
            subjectCell(ui, data.kind, x.subject),
            h('td.score', null, x.score.toFixed(2)),
            comps.map((c) => {
              const v = x.components[c.key];
              return h(
                'td',
                { dataset: { component: c.key }, title: `标准化 ${v.normalised}，得分 ${v.points}` },
                valueText(v, c.unit),
                h('div.muted', null, `${v.points >= 0 ? '+' : ''}${v.points}`)
              );
            })
          )
        )
      )
    );
  }

  // The administrators' form for the weights of this kind.
  function weightsForm(ui, kind, comps, onSaved) {
    const { h } = ui;
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const inputs = comps.map((c) =>
      h('div.field', null, h('label', { for: `weight-${c.key}` }, c.name), h('input', { id: `weight-${c.key}`, type: 'number', name: c.key, min: '-100', max: '100', step: 'any', value: String(c.weight) }))
    );
    const form = h(
      'form.ranking-weights',
      {
        id: 'ranking-weights',
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          const weights = {};
          for (const label of inputs) {
            const input = label.querySelector('input');
            const n = Number(input.value);
            if (input.value === '' || !Number.isFinite(n) || n < -100 || n > 100) {
              alert.textContent = `${label.querySelector('label').textContent} 的权重必须是 -100 到 100 之间的数`;
              alert.hidden = false;
              input.focus();
              return;
            }
            weights[input.name] = n;
          }
          try {
            await ui.api('/rankings/rules', { method: 'PUT', body: { kind, weights } });
            onSaved();
          } catch (e) {
            alert.textContent = e.message;
            alert.hidden = false;
          }
        },
      },
      h('h2', null, '评分公式（权重，负数为扣分项）'),
      alert,
      h('div.filters.ranking-weight-fields', null, inputs),
      h('button.primary', { type: 'submit' }, '保存权重')
    );
    return form;
  }

  async function show(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '考核评价 · 平安';
    const acct = ui.account();
    if (!acct || !ROLES.includes(acct.role)) {
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看考核评价。', true));
      return;
    }
    const f = readFilter(params);
    const kindSel = h('select', { id: 'ranking-kind', name: 'kind' }, KINDS.map(([k, n]) => h('option', { value: k, selected: k === f.kind }, n)));
    const from = h('input', { id: 'ranking-from', type: 'month', name: 'from', value: f.from });
    const to = h('input', { id: 'ranking-to', type: 'month', name: 'to', value: f.to });
    const filter = h(
      'form.filters.ranking-filters',
      {
        id: 'ranking-filter',
        onsubmit: (ev) => {
          ev.preventDefault();
          ui.go(hashOf({ kind: kindSel.value, from: from.value, to: to.value, area: f.area }));
        },
      },
      h('div.field', null, h('label', { for: 'ranking-kind' }, '考核对象'), kindSel),
      h('div.field', null, h('label', { for: 'ranking-from' }, '起始月份'), from),
      h('div.field', null, h('label', { for: 'ranking-to' }, '截止月份'), to),
      h('div.filter-actions', null, h('button.primary', { type: 'submit' }, '查询'))
    );
    kindSel.addEventListener('change', () => filter.requestSubmit());
    const body = h('div.ranking-body', { 'aria-busy': 'true' }, h('p.muted', null, '正在计算…'));
    main.replaceChildren(h('div.ranking-page', null, h('div.page-head', null, h('h1.page-title', null, '考核评价')), filter, body));

    const q = new URLSearchParams({ kind: f.kind, from: f.from, to: f.to });
    if (f.area) q.set('area', f.area);
    ui.busy(true);
    try {
      const data = await ui.api('/rankings?' + q.toString(), { signal });
      const parts = [
        h('p.muted', null, `${data.area.name} · ${data.period.from} 至 ${data.period.to} · 共 ${data.total} 个${KIND_NAMES[data.kind]}。得分 = Σ 权重 × 标准化值 ÷ 100（比率按百分数，数量按本次最大值折算）。`),
        data.items.length ? h('div.table-wrap', null, table(ui, data)) : h('p.muted', null, '没有可考核的对象。'),
      ];
      if (acct.role === 'admin') parts.push(weightsForm(ui, f.kind, data.components, () => ui.route()));
      body.replaceChildren(...parts);
      body.removeAttribute('aria-busy');
    } catch (e) {
      if (signal && signal.aborted) return;
      body.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      ui.busy(false);
    }
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['rankings'],
    navPages: (role) => (ROLES.includes(role) ? [['rankings', '考核评价', '#/rankings']] : []),
    show,
  });
})();
