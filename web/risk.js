// Pingan (平安) social-stability risk assessment (社会稳定风险评估, "2466").
//
// #/risks[?area=CODE&status=S]  the counts as the articles write them, the
//                               cases, and (for writers) 登记评估事项;
// #/risks/ID                    one case: its six steps with their documents,
//                               the six risk kinds rated, the level, the
//                               outcome; the form of the step that is due;
//                               打印 gives an A4 page.
// Registers itself in window.PinganModules (app.js's module hook). Every
// string from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const READERS = ['admin', 'leader', 'dispatcher'];
  const WRITERS = ['admin', 'dispatcher'];
  const STATUSES = [
    ['', '全部'],
    ['in_progress', '正在评估'],
    ['concluded', '已作出结论'],
    ['closed', '已办结'],
    ['exempt', '免于评估'],
    ['postponed', '暂缓评估'],
  ];
  const COLORS = [
    ['none', '无'],
    ['yellow', '黄色预警'],
    ['orange', '橙色预警'],
    ['red', '红色预警'],
  ];
  const OUTCOMES = [
    ['implement', '准予实施'],
    ['implement_with_measures', '采取措施后实施'],
    ['not_implement', '不予实施'],
  ];
  const enc = encodeURIComponent;
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');

  function levelBadge(ui, level, name) {
    if (!level) return ui.h('span.muted', null, '—');
    return ui.h('span.badge.risk-level', { dataset: { level } }, name || level);
  }

  function alertBox(ui) {
    return ui.h('div.alert', { role: 'alert', hidden: true });
  }
  function showError(box, e) {
    box.hidden = false;
    box.textContent = e.field ? `${e.message}（${e.field}）` : e.message;
  }

  // ---------------------------------------------------------------- the list

  function createForm(ui, onDone) {
    const { h } = ui;
    const alert = alertBox(ui);
    const input = (name, label, attrs = {}) => h('label.field', null, h('span', null, label), h('input', { name, ...attrs }));
    const form = h(
      'form.card.risk-create',
      { novalidate: true },
      h('h2', null, '登记评估事项'),
      alert,
      h(
        'div.risk-fields',
        null,
        input('title', '事项名称', { required: true, maxlength: 100 }),
        h('label.field', null, h('span', null, '类别'), h('select', { name: 'kind' }, h('option', { value: 'project' }, '重大项目'), h('option', { value: 'decision' }, '重大决策'))),
        input('owner_unit', '责任单位', { required: true, maxlength: 100 }),
        input('area', '所在区域编码', { required: true, value: (ui.account().area || {}).code || '' }),
        h('label.field.wide', null, h('span', null, '事项概述'), h('textarea', { name: 'description', rows: 3, maxlength: 4000 }))
      ),
      h('div.form-actions', null, h('button.primary', { type: 'submit' }, '登记'))
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      alert.hidden = true;
      const f = new FormData(form);
      const body = {};
      for (const k of ['title', 'kind', 'owner_unit', 'area', 'description']) if (f.get(k)) body[k] = String(f.get(k)).trim();
      try {
        const r = await ui.api('/risks', { method: 'POST', body });
        onDone(r);
      } catch (e) {
        showError(alert, e);
      }
    });
    return form;
  }

  // 统计时段: the counts of the projects registered between two dates.
  function periodForm(ui, params) {
    const { h } = ui;
    const form = h(
      'form.risk-period',
      { novalidate: true },
      h('label.field', null, h('span', null, '登记日期自'), h('input', { type: 'date', name: 'from', value: params.get('from') || '' })),
      h('label.field', null, h('span', null, '至'), h('input', { type: 'date', name: 'to', value: params.get('to') || '' })),
      h('div.form-actions', null, h('button.ghost-dark', { type: 'submit' }, '统计'))
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams(params);
      for (const k of ['from', 'to']) {
        const v = form.elements[k].value;
        if (v) q.set(k, v);
        else q.delete(k);
      }
      ui.go(`#/risks?${q}`);
    });
    return form;
  }

  // The same counts for each child area (乡镇、村).
  function childCounts(ui, counts, params) {
    const { h } = ui;
    if (!counts.children || !counts.children.length) return null;
    const link = (code) => {
      const q = new URLSearchParams(params);
      q.set('area', code);
      q.delete('status');
      return `#/risks?${q}`;
    };
    const cols = [['total', '项目'], ['assessed', '完成评估'], ['exempt', '免于评估'], ['postponed', '暂缓评估'], ['not_implemented', '不予实施'], ['in_progress', '正在评估']];
    return h(
      'details.card.risk-children',
      null,
      h('summary', null, `按${counts.children[0].code.length > 9 ? '下级区域' : '乡镇（街道）'}统计`),
      h(
        'div.table-wrap',
        null,
        h(
          'table.data-table',
          null,
          h('thead', null, h('tr', null, h('th', null, '区域'), cols.map(([, t]) => h('th.num', null, t)))),
          h(
            'tbody',
            null,
            counts.children
              .filter((c) => c.total)
              .map((c) => h('tr', { dataset: { code: c.code } }, h('td', null, h('a', { href: link(c.code) }, c.name)), cols.map(([k]) => h('td.num', null, String(c[k])))))
          )
        )
      )
    );
  }

  async function showList(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '稳评 · 平安';
    const area = params.get('area');
    const status = params.get('status') || '';
    const qs = new URLSearchParams();
    if (area) qs.set('area', area);
    ui.busy(true);
    try {
      const period = new URLSearchParams();
      if (area) period.set('area', area);
      for (const k of ['from', 'to']) if (params.get(k)) period.set(k, params.get(k));
      const counts = await ui.api(`/risks/counts?${period}`, { signal });
      if (status) qs.set('status', status);
      qs.set('limit', '200');
      const list = await ui.api(`/risks?${qs}`, { signal });
      const filter = h(
        'div.risk-filter',
        { role: 'group', 'aria-label': '状态' },
        STATUSES.map(([k, v]) =>
          h('a.button', { class: k === status ? 'primary' : 'ghost-dark', href: `#/risks?${new URLSearchParams({ ...(area ? { area } : {}), ...(k ? { status: k } : {}) })}` }, v)
        )
      );
      const canWrite = WRITERS.includes(ui.account().role);
      main.replaceChildren(
        h(
          'div.risk-page',
          null,
          h('h1.page-title', null, `社会稳定风险评估 · ${counts.area.name}`),
          h('p.risk-sentence', { id: 'risk-sentence' }, `${counts.sentence}。`),
          h(
            'p.muted.small',
            null,
            `评定为高风险 ${counts.by_level.high} 个、中风险 ${counts.by_level.medium} 个、低风险 ${counts.by_level.low} 个。等级规则：任一类风险点为红色预警即为高风险；否则任一为橙色即为中风险；其余为低风险。`
          ),
          periodForm(ui, params),
          childCounts(ui, counts, params),
          filter,
          h(
            'section.card',
            null,
            h(
              'div.table-wrap',
              null,
              h(
                'table.data-table.risk-table',
                null,
                h('thead', null, h('tr', null, ['事项', '类别', '责任单位', '区域', '进度', '风险等级', '结论', '登记时间'].map((t) => h('th', null, t)))),
                h(
                  'tbody',
                  null,
                  list.items.map((p) =>
                    h(
                      'tr',
                      { dataset: { id: String(p.id) } },
                      h('td', null, h('a', { href: `#/risks/${p.id}` }, p.title)),
                      h('td', null, p.kind_name),
                      h('td', null, p.owner_unit),
                      h('td', null, p.area.name),
                      h('td', null, `${p.status_name} · ${p.steps_done}/6`),
                      h('td', null, levelBadge(ui, p.level, p.level_name)),
                      h('td', null, p.outcome_name || '—'),
                      h('td', null, ui.fmtDate(p.created_ms))
                    )
                  )
                )
              )
            ),
            list.total > list.items.length ? h('p.muted.small', null, `共 ${list.total} 个，显示前 ${list.items.length} 个`) : null
          ),
          canWrite ? createForm(ui, (r) => ui.go(`#/risks/${r.id}`)) : null
        )
      );
    } catch (e) {
      if (!isAbort(e, signal)) main.replaceChildren(ui.errorView(e, () => showList(main, { params, signal, ui })));
    } finally {
      ui.busy(false);
    }
  }

  // ---------------------------------------------------------------- one case

  function stepView(ui, p, s, canWrite, reload) {
    const { h } = ui;
    const due = s.step === p.steps_done + 1;
    const open = (p.status === 'in_progress' || p.status === 'concluded') && canWrite && s.step <= p.steps_done + 1;
    const docs = s.documents.length
      ? h('ul.risk-docs', null, s.documents.map((d) => h('li', null, h('strong', null, d.title), d.body ? h('div.risk-doc-body', null, d.body) : null, h('div.muted.small', null, `${d.by} · ${ui.fmtTime(d.at_ms)}`))))
      : h('p.muted.small', null, '暂无材料');
    let form = null;
    if (open) {
      const alert = alertBox(ui);
      const outcome =
        s.step === 4 && due
          ? h('label.field', null, h('span', null, '评估结论'), h('select', { name: 'outcome' }, OUTCOMES.map(([k, v]) => h('option', { value: k }, v))))
          : null;
      form = h(
        'form.risk-step-form',
        { novalidate: true, dataset: { step: String(s.step) } },
        alert,
        h('label.field', null, h('span', null, '材料标题'), h('input', { name: 'title', maxlength: 100 })),
        h('label.field.wide', null, h('span', null, '材料内容'), h('textarea', { name: 'body', rows: 2 })),
        outcome,
        outcome ? h('label.field.wide', null, h('span', null, '结论说明'), h('input', { name: 'outcome_note', maxlength: 1000 })) : null,
        due ? h('label.check', null, h('input', { type: 'checkbox', name: 'complete' }), ` 完成本步（${s.name}）`) : null,
        h('div.form-actions', null, h('button.primary', { type: 'submit' }, '提交'))
      );
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        alert.hidden = true;
        const f = new FormData(form);
        const body = {};
        const title = String(f.get('title') || '').trim();
        if (title) body.documents = [{ title, ...(String(f.get('body') || '').trim() ? { body: String(f.get('body')).trim() } : {}) }];
        if (f.get('complete')) body.complete = true;
        if (body.complete && f.get('outcome')) body.outcome = String(f.get('outcome'));
        if (body.complete && String(f.get('outcome_note') || '').trim()) body.outcome_note = String(f.get('outcome_note')).trim();
        try {
          await ui.api(`/risks/${p.id}/steps/${s.step}`, { method: 'POST', body });
          reload();
        } catch (e) {
          showError(alert, e);
        }
      });
    }
    return h(
      'li.risk-step',
      { dataset: { step: String(s.step), done: s.done ? '1' : '0', due: due ? '1' : '0' } },
      h('div.risk-step-head', null, h('span.risk-step-no', null, String(s.step)), h('strong', null, s.name), s.done ? h('span.badge.risk-done', null, `已完成 · ${s.done_by} · ${ui.fmtTime(s.done_ms)}`) : due ? h('span.badge.risk-due', null, '当前步骤') : null),
      docs,
      form
    );
  }

  function ratingsView(ui, p, canWrite, reload) {
    const { h } = ui;
    const editable = canWrite && p.status === 'in_progress' && p.steps_done < 3;
    const alert = alertBox(ui);
    const rows = p.ratings.map((r) =>
      h(
        'tr',
        { dataset: { kind: r.kind } },
        h('th', { scope: 'row' }, r.name),
        h(
          'td',
          null,
          editable
            ? h('select', { name: r.kind, 'aria-label': r.name }, h('option', { value: '' }, '未评定'), COLORS.map(([k, v]) => h('option', { value: k, selected: r.color === k ? true : null }, v)))
            : r.color
              ? h('span.badge.risk-color', { dataset: { color: r.color } }, r.color_name)
              : h('span.muted', null, '未评定')
        ),
        h('td.muted', null, r.note || '')
      )
    );
    const form = h(
      'form.card.risk-ratings',
      { novalidate: true },
      h('h2', null, '六类风险点评定', ' ', p.level_now ? h('span.muted.small', null, '当前等级：', levelBadge(ui, p.level_now, { high: '高风险', medium: '中风险', low: '低风险' }[p.level_now])) : null),
      alert,
      h('table.data-table', null, h('tbody', null, rows)),
      editable ? h('div.form-actions', null, h('button.primary', { type: 'submit' }, '保存评定')) : null
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      alert.hidden = true;
      const ratings = {};
      for (const sel of form.querySelectorAll('select')) if (sel.value) ratings[sel.name] = sel.value;
      try {
        await ui.api(`/risks/${p.id}/ratings`, { method: 'PUT', body: { ratings } });
        reload();
      } catch (e) {
        showError(alert, e);
      }
    });
    return form;
  }

  function decisionForm(ui, p, reload) {
    const { h } = ui;
    const alert = alertBox(ui);
    const form = h(
      'form.card.risk-decision',
      { novalidate: true },
      h('h2', null, '免于评估或暂缓评估'),
      alert,
      h('label.field', null, h('span', null, '决定'), h('select', { name: 'outcome' }, h('option', { value: 'exempt' }, '免于评估'), h('option', { value: 'postpone' }, '暂缓评估'))),
      h('label.field.wide', null, h('span', null, '理由'), h('textarea', { name: 'reason', rows: 2, maxlength: 2000 })),
      h('div.form-actions', null, h('button.ghost-dark', { type: 'submit' }, '确认'))
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      alert.hidden = true;
      const f = new FormData(form);
      try {
        await ui.api(`/risks/${p.id}/decision`, { method: 'POST', body: { outcome: String(f.get('outcome')), reason: String(f.get('reason') || '').trim() } });
        reload();
      } catch (e) {
        showError(alert, e);
      }
    });
    return form;
  }

  async function showCase(main, ctx) {
    const { id, signal, ui } = ctx;
    const { h, fact } = ui;
    const reload = () => showCase(main, ctx);
    ui.busy(true);
    try {
      const p = await ui.api(`/risks/${enc(id)}`, { signal });
      document.title = `${p.title} · 稳评 · 平安`;
      const canWrite = WRITERS.includes(ui.account().role);
      main.replaceChildren(
        h(
          'div.risk-page.risk-case',
          { dataset: { status: p.status } },
          h('nav.crumbs.no-print', { 'aria-label': '位置' }, h('ol', null, h('li', null, h('a', { href: '#/risks' }, '社会稳定风险评估')), h('li', { 'aria-current': 'page' }, p.title))),
          h('h1.page-title', null, p.title, ' ', h('span.badge.risk-status', { id: 'risk-status' }, p.status_name)),
          h(
            'section.card',
            null,
            h(
              'dl.facts',
              null,
              fact('类别', p.kind_name),
              fact('责任单位', p.owner_unit),
              fact('所在区域', h('a', { href: ui.areaHref(p.area.code) }, p.area.name)),
              fact('登记时间', ui.fmtTime(p.created_ms)),
              fact('进度', `${p.steps_done}/6`, 'steps_done'),
              fact('风险等级', levelBadge(ui, p.level, p.level_name), 'level'),
              fact('评估结论', p.outcome_name || '—', 'outcome'),
              p.outcome_note ? fact('结论说明', p.outcome_note) : null,
              p.description ? fact('事项概述', p.description) : null
            ),
            h('div.form-actions.no-print', null, h('button.ghost-dark', { type: 'button', onclick: () => window.print() }, '打印'))
          ),
          ratingsView(ui, p, canWrite, reload),
          h('section.card', null, h('h2', null, '六步工作法'), h('ol.risk-steps', null, p.steps.map((s) => stepView(ui, p, s, canWrite, reload)))),
          canWrite && p.status === 'in_progress' ? decisionForm(ui, p, reload) : null
        )
      );
    } catch (e) {
      if (!isAbort(e, signal)) main.replaceChildren(ui.errorView(e, reload));
    } finally {
      ui.busy(false);
    }
  }

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['risks'],
    navPages(role) {
      return READERS.includes(role) ? [['risks', '稳评', '#/risks']] : [];
    },
    show(main, { parts, params, signal, ui }) {
      if (parts[1]) return showCase(main, { id: parts[1], signal, ui });
      return showList(main, { params, signal, ui });
    },
  });
})();
