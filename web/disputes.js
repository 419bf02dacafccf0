// Pingan (平安) dispute ledger (矛盾纠纷排查化解).
//
// Plain ES2020, no framework. Registers itself in window.PinganModules; app.js
// routes these hashes here and lends its helpers in ui:
//   #/disputes                  the desk: disputes in scope, flagged ones red at the top
//   #/disputes/new              register a dispute (排查登记)
//   #/disputes/stats            figures by area subtree and period
//   #/disputes/ID               the case: parties, sessions, outcome, due items, timeline
//   #/disputes/ID/agreement     the printable 人民调解协议书 (A4)
// Every string from the server goes into the page as text, never as HTML.
'use strict';

(() => {
  const PAGE = 30;
  const READERS = ['admin', 'leader', 'dispatcher', 'grid_worker', 'mediator', 'petition_officer'];
  const WRITERS = ['admin', 'dispatcher', 'grid_worker', 'mediator'];
  const REVEALERS = ['admin', 'dispatcher', 'grid_worker', 'mediator', 'petition_officer'];
  const STATUS = [['active', '未结（化解中和稳控中）'], ['open', '化解中'], ['controlled', '稳控中'], ['resolved', '调解成功'], ['failed', '调解不成']];
  const TIERS = [['grid', '网格首诊'], ['village', '村坐诊'], ['township', '镇接诊'], ['county', '县会诊']];
  const DUES = [['over_limit', '超过本级时限'], ['followup', '待回访'], ['court', '待司法确认']];
  const SCALES = [['ordinary', '一般'], ['major', '较大'], ['mass', '群体性']];
  const ORIGINS = [['screening', '排查发现'], ['direct', '直接登记'], ['event', '事件转入']];
  const ROUTES = [['arbitration', '仲裁'], ['administrative', '行政途径'], ['litigation', '诉讼']];
  const JOINT = [['police', '派出所'], ['judicial', '司法所'], ['court', '人民法庭']];
  const ACTIONS = {
    create: '登记', session: '调解', escalate: '上交', auto_escalate: '超时自动上交', agree: '达成协议',
    fail: '调解不成', control: '列入稳控', resume: '恢复调解', risk: '风险标记', joint: '两所一庭联调',
    court: '司法确认', followup: '回访',
  };
  const COURT = { confirmed: '已确认', rejected: '不予确认', not_applied: '当事人未申请' };
  const name = (list, k) => (list.find(([x]) => x === k) || [null, k])[1];
  const enc = encodeURIComponent;
  const isAbort = (e, signal) => (signal && signal.aborted) || (e && e.name === 'AbortError');
  const yuan = (cents) => (cents === null || cents === undefined ? '' : (cents / 100).toFixed(2));
  let meta = null;
  let seq = 0; // ids unique over the page: several forms have a "note"

  async function loadMeta(ui, signal) {
    if (!meta) meta = await ui.api('/disputes/meta', { signal });
    return meta;
  }

  // ---------------------------------------------------------------- helpers

  // A labelled control: {el, control, error}.
  function field(ui, key, label, control, opts = {}) {
    const { h } = ui;
    const id = `df-${++seq}-${key.replace(/[^a-z0-9]+/gi, '-')}`;
    control.id = control.id || id;
    const error = h('p.field-error', { id: `${id}-error`, hidden: true });
    control.setAttribute('aria-describedby', `${id}-error`);
    const el = h(
      'div.field',
      { dataset: { field: key }, class: opts.wide ? 'wide' : null },
      h('label', { for: control.id }, label, opts.required ? h('span.req', { 'aria-hidden': 'true' }, ' *') : null),
      control,
      opts.hint ? h('p.hint.muted', null, opts.hint) : null,
      error
    );
    return { el, control, error };
  }

  const select = (ui, nameAttr, options, value, empty) =>
    ui.h(
      'select',
      { name: nameAttr },
      empty !== undefined ? ui.h('option', { value: '' }, empty) : null,
      options.map(([k, label]) => {
        const o = ui.h('option', { value: k }, label);
        if (k === value) o.selected = true;
        return o;
      })
    );

  // A form whose submit sends body() to send(body); errors land on the
  // field the server names (or the alert). done(result) after success.
  function actionForm(ui, { id, title, hint, fields, submitLabel, body, send, done }) {
    const { h } = ui;
    const alert = h('div.alert', { role: 'alert', hidden: true });
    const submit = h('button.primary', { type: 'submit' }, submitLabel);
    const form = h(
      'form.dispute-form',
      {
        id, novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          alert.hidden = true;
          for (const f of fields) { f.error.hidden = true; f.control.removeAttribute('aria-invalid'); }
          submit.disabled = true;
          try {
            done(await send(body()));
          } catch (e) {
            const key = String(e.field || '').replace(/\[\d+\].*$/, '');
            const f = fields.find((x) => x.el.dataset.field === e.field) || fields.find((x) => x.el.dataset.field === key);
            if (f) {
              f.error.textContent = e.message;
              f.error.hidden = false;
              f.control.setAttribute('aria-invalid', 'true');
              f.control.focus();
            } else {
              alert.textContent = e.message || '保存失败';
              alert.hidden = false;
            }
          } finally {
            submit.disabled = false;
          }
        },
      },
      title ? h('h3', null, title) : null,
      hint ? h('p.hint.muted', null, hint) : null,
      alert,
      h('div.dispute-form-grid', null, fields.map((f) => f.el)),
      h('div.dialog-actions', null, submit)
    );
    return form;
  }

  function riskBadges(ui, d) {
    const { h } = ui;
    const out = [];
    if (d.risk && d.risk.criminal) out.push(h('span.badge.dispute-risk', { dataset: { flagged: String(!!d.risk.flagged) } }, '民转刑风险'));
    if (d.risk && d.risk.mass) out.push(h('span.badge.dispute-risk', { dataset: { flagged: String(!!d.risk.flagged) } }, '群体性事件风险'));
    return out;
  }

  function statusBadge(ui, d) {
    return ui.h('span.badge.dispute-status', { dataset: { status: d.status } }, d.status_name || d.status);
  }

  function dueText(ui, d) {
    const { h } = ui;
    const out = [];
    if (d.over_limit) out.push(h('span.badge.dispute-overdue', null, '超过本级时限'));
    if (d.month_overdue) out.push(h('span.badge.dispute-due', { title: '人民调解一般应在一个月内调结' }, '已超一个月'));
    if (d.followup && !d.followup.done_ms) out.push(h('span.badge', { class: d.followup.overdue ? 'dispute-overdue' : 'dispute-due' }, d.followup.overdue ? '回访逾期' : `回访 ${ui.fmtDate(d.followup.due_ms)}`));
    if (d.court && !d.court.done_ms) out.push(h('span.badge', { class: d.court.overdue ? 'dispute-overdue' : 'dispute-due' }, d.court.overdue ? '司法确认逾期' : `司法确认 ${ui.fmtDate(d.court.due_ms)} 前`));
    return out.length ? out : [h('span.muted', null, '—')];
  }

  // ---------------------------------------------------------------- desk

  function readFilter(params) {
    const pick = (k, list) => (list.some(([x]) => x === params.get(k)) ? params.get(k) : '');
    return {
      status: pick('status', STATUS), tier: pick('tier', TIERS), due: pick('due', DUES),
      type: params.get('type') || '', risk: params.get('risk') === '1' ? '1' : '', area: params.get('area') || '',
    };
  }

  function deskHash(f, offset) {
    const q = new URLSearchParams();
    for (const k of ['status', 'tier', 'type', 'risk', 'due', 'area']) if (f[k]) q.set(k, f[k]);
    if (offset) q.set('offset', String(offset));
    const s = q.toString();
    return '#/disputes' + (s ? '?' + s : '');
  }

  async function showDesk(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '矛盾纠纷 · 平安';
    const acct = ui.account();
    const f = readFilter(params);
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const m = await loadMeta(ui, signal);
    const sStatus = select(ui, 'status', STATUS, f.status, '全部');
    const sTier = select(ui, 'tier', TIERS, f.tier, '全部');
    const sType = select(ui, 'type', m.types.map((t) => [t.code, t.name]), f.type, '全部');
    const sDue = select(ui, 'due', DUES, f.due, '全部');
    const cRisk = h('input', { type: 'checkbox', name: 'risk', id: 'dispute-risk', checked: f.risk === '1' });
    const apply = () => ui.go(deskHash({ status: sStatus.value, tier: sTier.value, type: sType.value, due: sDue.value, risk: cRisk.checked ? '1' : '', area: f.area }, 0));
    for (const c of [sStatus, sTier, sType, sDue, cRisk]) c.addEventListener('change', apply);
    const filters = h(
      'form.filters.dispute-filters',
      { id: 'dispute-filters', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); apply(); } },
      field(ui, 'status', '状态', sStatus).el,
      field(ui, 'tier', '层级', sTier).el,
      field(ui, 'type', '纠纷类型', sType).el,
      field(ui, 'due', '到期事项', sDue).el,
      h('div.field.dispute-risk-filter', null, h('label', { for: 'dispute-risk' }, cRisk, ' 只看风险纠纷')),
      h('div.filter-actions', null, h('button.ghost-dark', { type: 'button', onclick: () => ui.go('#/disputes') }, '重置'))
    );
    const exportHref = '/api/v1/disputes/export' + (f.area ? '?area=' + enc(f.area) : '');
    const head = h(
      'div.page-head',
      null,
      h('h1.page-title', null, '矛盾纠纷排查化解'),
      h(
        'div.page-actions',
        null,
        WRITERS.includes(acct.role) ? h('a.button.primary', { href: '#/disputes/new', id: 'dispute-new' }, '登记纠纷') : null,
        h('a.button.ghost-dark', { href: '#/disputes/stats' + (f.area ? '?area=' + enc(f.area) : ''), id: 'dispute-stats-link' }, '统计'),
        h('a.button.ghost-dark', { href: exportHref, id: 'dispute-export', download: '' }, '导出台账')
      )
    );
    const body = h('div.dispute-body', null, h('p.muted', null, '正在加载…'));
    main.replaceChildren(h('div.dispute-page', null, head, filters, body));
    const q = new URLSearchParams();
    for (const k of ['status', 'tier', 'type', 'due', 'area']) if (f[k]) q.set(k, f[k]);
    if (f.risk) q.set('risk', '1');
    q.set('limit', String(PAGE));
    q.set('offset', String(offset));
    const data = await ui.api('/disputes?' + q.toString(), { signal });
    if (signal.aborted) return;
    body.replaceChildren(...deskTable(ui, data, f, offset));
  }

  function deskTable(ui, data, f, offset) {
    const { h } = ui;
    const items = data.items || [];
    if (!items.length) return [h('p.muted.empty', null, offset ? '没有更多记录。' : '没有符合条件的纠纷。')];
    const rows = items.map((d) =>
      h(
        'tr',
        {
          class: d.risk && d.risk.flagged ? 'dispute-flagged' : null,
          dataset: { id: String(d.id), status: d.status, flagged: String(!!(d.risk && d.risk.flagged)) },
          onclick: (ev) => { if (!ev.target.closest('a')) ui.go('#/disputes/' + d.id); },
        },
        h('td.nowrap', { 'data-label': '编号' }, String(d.id)),
        h('td.name', { 'data-label': '纠纷' }, h('a', { href: '#/disputes/' + d.id }, d.title), ' ', riskBadges(ui, d)),
        h('td', { 'data-label': '类型' }, d.type_name),
        h('td', { 'data-label': '当事人' }, d.party_names || ''),
        h('td', { 'data-label': '发生地', title: d.area.code }, d.area.name),
        h('td.nowrap', { 'data-label': '层级' }, d.tier_name, h('span.muted', null, ` · ${d.tier_area.name}`)),
        h('td', { 'data-label': '状态' }, statusBadge(ui, d)),
        h('td', { 'data-label': '到期' }, dueText(ui, d)),
        h('td.nowrap', { 'data-label': '登记时间' }, ui.fmtDate(d.created_ms))
      )
    );
    const total = Number(data.total ?? items.length);
    const to = offset + items.length;
    return [
      h('div.table-wrap', null, h('table.data-table.dispute-table', null,
        h('thead', null, h('tr', null, ['编号', '纠纷', '类型', '当事人', '发生地', '层级', '状态', '到期', '登记时间'].map((t) => h('th', null, t)))),
        h('tbody', null, rows))),
      h('div.pager', null,
        h('span.muted.pager-total', null, `共 ${total} 件，当前第 ${offset + 1}–${to} 件`),
        h('span.pager-buttons', null,
          h('button.ghost-dark', { type: 'button', disabled: offset <= 0, onclick: () => ui.go(deskHash(f, Math.max(0, offset - PAGE))) }, '上一页'),
          h('button.ghost-dark', { type: 'button', disabled: to >= total, onclick: () => ui.go(deskHash(f, offset + PAGE)) }, '下一页'))),
    ];
  }

  // ---------------------------------------------------------------- register

  async function showNew(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '登记纠纷 · 平安';
    const acct = ui.account();
    if (!WRITERS.includes(acct.role)) {
      main.replaceChildren(ui.message('无权访问', '您的账号无权登记矛盾纠纷。', true));
      return;
    }
    const m = await loadMeta(ui, signal);
    const eventId = params.get('event') || '';
    const text = (nameAttr, max, value) => h('input', { type: 'text', name: nameAttr, maxlength: String(max), autocomplete: 'off', value: value || '' });
    const fields = [
      field(ui, 'origin', '发现方式', select(ui, 'origin', ORIGINS, eventId ? 'event' : 'screening'), { required: true }),
      field(ui, 'source', '案件来源', select(ui, 'source', m.sources.map((s) => [s.code, s.name]), 'initiative'), { required: true }),
      field(ui, 'type', '纠纷类型', select(ui, 'type', m.types.map((t) => [t.code, t.name]), '', '请选择'), { required: true }),
      field(ui, 'title', '纠纷名称', text('title', 60), { required: true }),
      field(ui, 'area', '发生地（村或网格编码）', text('area', 32, !eventId && acct.area && acct.area.level !== 'county' && acct.area.level !== 'township' ? acct.area.code : ''), { required: !eventId, hint: eventId ? '不填则为事件所在的微网格' : '村（社区）、网格或微网格的编码' }),
      field(ui, 'address', '详细地点', text('address', 200)),
      field(ui, 'scale', '规模', select(ui, 'scale', SCALES, 'ordinary')),
      field(ui, 'people_count', '涉及人数', h('input', { type: 'number', name: 'people_count', min: '1', value: '2' })),
      field(ui, 'event_id', '关联事件编号', h('input', { type: 'number', name: 'event_id', min: '1', value: eventId }), { hint: '由矛盾纠纷类事件转入时填写' }),
      field(ui, 'mediator', '化解责任人', text('mediator', 32)),
      field(ui, 'summary', '事件简述', h('textarea', { name: 'summary', rows: '4', maxlength: '2000' }), { required: true, wide: true }),
    ];
    const partyRows = [];
    const partyBox = h('fieldset.dispute-parties', { dataset: { field: 'parties' } }, h('legend', null, '当事人'),
      h('p.hint.muted', null, '可填实有人口编号关联人口库；未登记的人员填写姓名，身份证号和电话加密保存、脱敏显示。'));
    const partyError = h('p.field-error', { hidden: true });
    const addParty = (side) => {
      const n = partyRows.length + 1;
      const row = {
        side: select(ui, 'side', [['applicant', '申请人'], ['respondent', '被申请人'], ['other', '其他当事人']], side),
        person: h('input', { type: 'number', min: '1', name: 'person_id', placeholder: '人口编号', 'aria-label': `当事人${n} 人口编号` }),
        name: h('input', { type: 'text', maxlength: '64', name: 'party_name', placeholder: '姓名', 'aria-label': `当事人${n} 姓名` }),
        idn: h('input', { type: 'text', maxlength: '20', name: 'party_id_number', placeholder: '身份证号（可不填）', 'aria-label': `当事人${n} 身份证号` }),
        phone: h('input', { type: 'text', maxlength: '24', name: 'party_phone', placeholder: '电话（可不填）', 'aria-label': `当事人${n} 电话` }),
      };
      row.side.setAttribute('aria-label', `当事人${n} 身份`);
      partyRows.push(row);
      partyBox.insertBefore(h('div.dispute-party-row', null, row.side, row.person, row.name, row.idn, row.phone), partyError);
    };
    partyBox.append(partyError, h('button.ghost-dark', { type: 'button', onclick: () => addParty('other') }, '添加当事人'));
    addParty('applicant');
    addParty('respondent');
    const partyField = { el: partyBox, control: partyBox, error: partyError };
    const body = () => {
      const b = {};
      for (const f of fields) {
        const v = f.control.value.trim();
        if (v === '') continue;
        b[f.el.dataset.field] = ['people_count', 'event_id'].includes(f.el.dataset.field) ? Number(v) : v;
      }
      b.parties = partyRows
        .filter((r) => r.person.value.trim() || r.name.value.trim())
        .map((r) => {
          const p = { side: r.side.value };
          if (r.person.value.trim()) p.person_id = Number(r.person.value);
          else p.name = r.name.value.trim();
          if (r.idn.value.trim()) p.id_number = r.idn.value.trim();
          if (r.phone.value.trim()) p.phone = r.phone.value.trim();
          return p;
        });
      return b;
    };
    const form = actionForm(ui, {
      id: 'dispute-new-form', fields: [...fields, partyField], submitLabel: '登记',
      body, send: (b) => ui.api('/disputes', { method: 'POST', body: b }), done: (d) => ui.go('#/disputes/' + d.id),
    });
    form.querySelector('.dispute-form-grid').after(partyBox);
    main.replaceChildren(h('div.dispute-page', null,
      h('p', null, h('a', { href: '#/disputes' }, '← 返回纠纷台账')),
      h('h1.page-title', null, '登记矛盾纠纷'), h('section.card', null, form)));
  }

  // ---------------------------------------------------------------- case

  async function showCase(main, { id, signal, ui }) {
    const { h } = ui;
    const d = await ui.api('/disputes/' + enc(id), { signal });
    if (signal.aborted) return;
    document.title = `${d.title} · 矛盾纠纷 · 平安`;
    const acct = ui.account();
    const writer = WRITERS.includes(acct.role);
    const active = d.status === 'open' || d.status === 'controlled';
    const reload = () => ui.route();
    const act = (action) => (b) => ui.api(`/disputes/${d.id}/actions/${action}`, { method: 'POST', body: b });
    const text = (n, max) => h('input', { type: 'text', name: n, maxlength: String(max), autocomplete: 'off' });
    const area = (n, rows = 3) => h('textarea', { name: n, rows: String(rows) });
    const bodyOf = (fields, extra = {}) => () => {
      const b = { ...extra };
      for (const f of fields) {
        const v = f.control.type === 'checkbox' ? f.control.checked : f.control.value.trim();
        if (v === '') continue;
        b[f.el.dataset.field] = f.control.type === 'number' ? Number(v) : v;
      }
      return b;
    };

    const facts = h('dl.facts',
      null,
      ui.fact('编号', String(d.id)),
      ui.fact('状态', statusBadge(ui, d), 'status'),
      ui.fact('纠纷类型', d.type_name, 'type'),
      ui.fact('案件来源', d.source_name),
      ui.fact('发现方式', name(ORIGINS, d.origin)),
      ui.fact('规模 / 人数', `${d.scale_name} / ${d.people_count} 人`),
      ui.fact('发生地', h('span', null, d.village && d.village.code !== d.area.code ? `${d.village.name} / ` : '', h('a', { href: ui.areaHref(d.area.code) }, d.area.name)), 'area'),
      ui.fact('详细地点', d.address || '—'),
      ui.fact('当前层级', `${d.tier_name}（${d.tier_area.name}）`, 'tier'),
      ui.fact('本级时限', d.tier_deadline_ms ? ui.fmtTime(d.tier_deadline_ms) : '—', 'deadline'),
      ui.fact('化解责任人', d.mediator || '—'),
      ui.fact('关联事件', d.event_id ? h('a', { href: '#/events/' + d.event_id }, `事件 ${d.event_id}`) : '—', 'event'),
      ui.fact('涉及组织', d.org_name || '—'),
      ui.fact('登记时间', ui.fmtTime(d.created_ms)),
      ui.fact('到期事项', dueText(ui, d), 'due')
    );
    const head = h('div.card-head', null, h('h1', null, d.title, ' ', riskBadges(ui, d)));
    const cards = [
      h('p', null, h('a', { href: '#/disputes' }, '← 返回纠纷台账')),
      h('section.card.dispute-case', { class: d.risk.flagged ? 'dispute-flagged' : null, dataset: { status: d.status } }, head, facts,
        h('h2', null, '事件简述'), h('p.dispute-summary', null, d.summary),
        d.risk_note ? h('p.dispute-risk-note', null, `风险说明：${d.risk_note}`) : null),
    ];

    // Parties, masked; reveal with a reason for those who may.
    const partyRows = d.parties.map((p) => {
      const idCell = h('td.mono', { 'data-label': '身份证号' }, p.id_number || (p.person_id ? h('a', { href: '#/people/' + p.person_id }, '见人口库') : '—'));
      const phoneCell = h('td.mono', { 'data-label': '电话' }, p.phone || '—');
      const canReveal = REVEALERS.includes(acct.role) && (p.id_number || p.phone);
      return h('tr', { dataset: { party: String(p.id) } },
        h('td', { 'data-label': '身份' }, p.side_name),
        h('td', { 'data-label': '姓名' }, p.person_id ? h('a', { href: '#/people/' + p.person_id }, p.name) : p.name),
        idCell, phoneCell,
        h('td', null, canReveal ? h('button.ghost-dark', {
          type: 'button',
          onclick: async () => {
            const reason = window.prompt('请写明查看完整证件号码和电话的事由（将记入审计日志）：');
            if (!reason) return;
            try {
              const r = await ui.api(`/disputes/${d.id}/parties/${p.id}/reveal`, { method: 'POST', body: { reason } });
              idCell.textContent = r.id_number || '—';
              phoneCell.textContent = r.phone || '—';
            } catch (e) { window.alert(e.message); }
          },
        }, '查看') : null));
    });
    cards.push(h('section.card', null, h('h2', null, '当事人'),
      h('div.table-wrap', null, h('table.data-table.dispute-parties-table', null,
        h('thead', null, h('tr', null, ['身份', '姓名', '身份证号', '电话', ''].map((t) => h('th', null, t)))),
        h('tbody', null, partyRows)))));

    // Sessions.
    const sessionList = d.sessions.length
      ? h('ol.dispute-sessions', null, d.sessions.map((s) => h('li', null,
        h('div.dispute-session-head', null, h('strong', null, ui.fmtTime(s.held_ms)), s.place ? ` · ${s.place}` : '', ` · 调解员：${s.mediators}`),
        s.attendees ? h('div.muted', null, `参加人员：${s.attendees}`) : null,
        h('p', null, s.notes))))
      : h('p.muted', null, '尚无调解记录。');
    const sessionCard = h('section.card', { id: 'dispute-sessions' }, h('h2', null, '调解记录', h('span.count', null, String(d.sessions.length))), sessionList);
    if (writer && active) {
      const f = [
        field(ui, 'held_at', '调解时间', h('input', { type: 'datetime-local', name: 'held_at' }), { hint: '不填为现在' }),
        field(ui, 'place', '地点', text('place', 100)),
        field(ui, 'mediators', '调解员', text('mediators', 200), { required: true }),
        field(ui, 'attendees', '参加人员', text('attendees', 500)),
        field(ui, 'notes', '调解情况', area('notes', 4), { required: true, wide: true }),
      ];
      const base = bodyOf(f);
      sessionCard.append(actionForm(ui, {
        id: 'dispute-session-form', title: '记录一次调解', fields: f, submitLabel: '保存调解记录',
        body: () => {
          const b = base();
          if (b.held_at) b.held_at = new Date(`${b.held_at}:00+08:00`).toISOString();
          return b;
        },
        send: act('session'), done: reload,
      }));
    }
    cards.push(sessionCard);

    // Outcome.
    const outcome = h('section.card', { id: 'dispute-outcome' }, h('h2', null, '化解结果'));
    if (d.status === 'resolved') {
      outcome.append(h('dl.facts', null,
        ui.fact('协议形式', d.agreement_form === 'written' ? '书面协议' : '口头协议', 'form'),
        ui.fact('协议金额', d.amount_cents !== null ? `${yuan(d.amount_cents)} 元` : '—', 'amount'),
        ui.fact('协议日期', ui.fmtTime(d.agreement_ms)),
        ui.fact('司法确认', d.court ? (d.court_result ? COURT[d.court_result] : `应于 ${ui.fmtDate(d.court.due_ms)} 前申请`) : '不申请')),
      h('h3', null, '协议内容'), h('p.dispute-terms', null, d.terms),
      h('p', null, h('a.button.primary', { href: `#/disputes/${d.id}/agreement`, id: 'dispute-agreement-link' }, '打印调解协议书')));
    } else if (d.status === 'failed') {
      outcome.append(h('p', null, `调解不成：${d.outcome_note || ''}`),
        h('p', null, '已告知当事人可通过以下途径解决：', d.failure_routes.map((r) => name(ROUTES, r)).join('、')));
    } else if (d.status === 'controlled') {
      outcome.append(h('p', null, `稳控中。责任人：${d.control_person}；措施：${d.control_measures}`));
    } else {
      outcome.append(h('p.muted', null, '化解中。'));
    }
    if (writer && active) {
      const agreeF = [
        field(ui, 'form', '协议形式', select(ui, 'form', [['written', '书面协议'], ['oral', '口头协议']], 'written'), { required: true }),
        field(ui, 'amount', '协议金额（元）', h('input', { type: 'number', name: 'amount', min: '0', step: '0.01' })),
        field(ui, 'court_confirm', '申请司法确认（30日内）', h('input', { type: 'checkbox', name: 'court_confirm' })),
        field(ui, 'terms', '协议内容', area('terms', 4), { required: true, wide: true }),
      ];
      outcome.append(actionForm(ui, { id: 'dispute-agree-form', title: '达成调解协议', fields: agreeF, submitLabel: '调解成功，结案', body: bodyOf(agreeF), send: act('agree'), done: reload }));
      const routeBoxes = ROUTES.map(([k, label]) => h('label.dispute-check', null, h('input', { type: 'checkbox', name: 'routes', value: k }), ` ${label}`));
      const routesCtl = h('div', { tabindex: '-1' }, routeBoxes);
      const failF = [field(ui, 'routes', '告知的途径', routesCtl, { required: true }), field(ui, 'note', '调解不成的原因', area('note'), { required: true, wide: true })];
      outcome.append(actionForm(ui, {
        id: 'dispute-fail-form', title: '调解不成', fields: failF, submitLabel: '终止调解，结案',
        body: () => ({ note: failF[1].control.value.trim(), routes: routeBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value) }),
        send: act('fail'), done: reload,
      }));
      if (d.status === 'open') {
        const ctlF = [field(ui, 'person', '稳控责任人', text('person', 32), { required: true }), field(ui, 'measures', '稳控措施', area('measures'), { required: true, wide: true })];
        outcome.append(actionForm(ui, { id: 'dispute-control-form', title: '列入稳控', fields: ctlF, submitLabel: '列入稳控', body: bodyOf(ctlF), send: act('control'), done: reload }));
      } else {
        const resF = [field(ui, 'note', '说明', text('note', 500))];
        outcome.append(actionForm(ui, { id: 'dispute-resume-form', title: '恢复调解', fields: resF, submitLabel: '恢复调解', body: bodyOf(resF), send: act('resume'), done: reload }));
      }
    }
    cards.push(outcome);

    if (writer && active) {
      const escF = [field(ui, 'reason', '上交理由', area('reason', 2), { required: true, wide: true })];
      const riskF = [
        field(ui, 'criminal', '有“民转刑”风险', h('input', { type: 'checkbox', name: 'criminal', checked: d.risk.criminal })),
        field(ui, 'mass', '有群体性事件风险', h('input', { type: 'checkbox', name: 'mass', checked: d.risk.mass })),
        field(ui, 'note', '风险说明', text('note', 500), { wide: true }),
      ];
      const jointRows = JOINT.map(([k, label]) => ({ k, input: h('input', { type: 'text', maxlength: '32', name: `joint_${k}`, 'aria-label': `${label} 参加人`, placeholder: '姓名' }), label }));
      for (const p of d.joint || []) { const r = jointRows.find((x) => x.k === p.unit); if (r) r.input.value = p.name; }
      const jointCtl = h('div.dispute-joint', { tabindex: '-1' }, jointRows.map((r) => h('label', null, `${r.label} `, r.input)));
      const jointF = [field(ui, 'participants', '参加人', jointCtl, { wide: true })];
      cards.push(h('section.card', { id: 'dispute-steps' }, h('h2', null, '上交、风险与联调'),
        actionForm(ui, { id: 'dispute-escalate-form', title: '上交上一级（三级过滤网）', hint: `当前：${d.tier_name}（${d.tier_area.name}）`, fields: escF, submitLabel: '上交', body: bodyOf(escF), send: act('escalate'), done: reload }),
        actionForm(ui, { id: 'dispute-risk-form', title: '风险标记', hint: '标记的纠纷在乡镇、县的台账中以红色置顶。', fields: riskF, submitLabel: '保存风险标记', body: bodyOf(riskF), send: act('risk'), done: reload }),
        actionForm(ui, {
          id: 'dispute-joint-form', title: '“两所一庭”联合调解', fields: jointF, submitLabel: '保存联调人员',
          body: () => ({ participants: jointRows.filter((r) => r.input.value.trim()).map((r) => ({ unit: r.k, name: r.input.value.trim() })) }),
          send: act('joint'), done: reload,
        })));
    }

    // Due items after closing.
    const after = [];
    if (writer && d.court && !d.court.done_ms) {
      const cF = [field(ui, 'result', '司法确认结果', select(ui, 'result', Object.entries(COURT), 'confirmed'), { required: true }), field(ui, 'note', '说明', text('note', 500))];
      after.push(actionForm(ui, { id: 'dispute-court-form', title: '司法确认', hint: `应于 ${ui.fmtDate(d.court.due_ms)} 前向法院申请`, fields: cF, submitLabel: '记录司法确认', body: bodyOf(cF), send: act('court'), done: reload }));
    }
    if (d.followup) {
      if (d.followup.done_ms) {
        after.push(h('p', { id: 'dispute-followup-done' }, `已于 ${ui.fmtTime(d.followup.done_ms)} 回访：${d.followup_note}（${d.followup_satisfied ? '当事人满意' : '当事人不满意'}）`));
      } else if (writer) {
        const fF = [field(ui, 'note', '回访情况', area('note'), { required: true, wide: true }), field(ui, 'satisfied', '当事人满意', h('input', { type: 'checkbox', name: 'satisfied', checked: true }))];
        after.push(actionForm(ui, { id: 'dispute-followup-form', title: '回访', hint: `应于 ${ui.fmtDate(d.followup.due_ms)} 前回访`, fields: fF, submitLabel: '保存回访', body: bodyOf(fF, { satisfied: false }), send: act('followup'), done: reload }));
      }
    }
    if (after.length) cards.push(h('section.card', { id: 'dispute-after' }, h('h2', null, '结案后事项'), after));

    // Timeline.
    cards.push(h('section.card', null, h('h2', null, '处理记录'),
      h('ol.dispute-timeline', null, d.timeline.map((t) => h('li', { dataset: { action: t.action } },
        h('span.nowrap.muted', null, ui.fmtTime(t.at_ms)), ' ',
        h('strong', null, ACTIONS[t.action] || t.action), ' ',
        h('span', null, t.actor === 'system' ? '系统' : t.actor), ' ',
        h('span.muted', null, name(TIERS, t.tier)),
        t.note ? h('div', null, t.note) : null)))));
    main.replaceChildren(h('div.dispute-page', null, cards));
  }

  // ---------------------------------------------------------------- agreement

  async function showAgreement(main, { id, signal, ui }) {
    const { h } = ui;
    const d = await ui.api('/disputes/' + enc(id), { signal });
    if (signal.aborted) return;
    document.title = `人民调解协议书 · ${d.title}`;
    if (d.status !== 'resolved' || d.agreement_form !== 'written') {
      main.replaceChildren(ui.message('没有书面调解协议', '只有以书面协议结案的纠纷可以打印调解协议书。', true,
        h('a.button', { href: '#/disputes/' + d.id }, '返回纠纷')));
      return;
    }
    const parties = d.parties.filter((p) => p.side !== 'other').concat(d.parties.filter((p) => p.side === 'other'));
    // The committee: the village's for the grid and village tiers, else the tier's area.
    const committee = (d.tier === 'grid' || d.tier === 'village') && d.village ? d.village.name : d.tier_area.name;
    const mediators = [...new Set(d.sessions.map((s) => s.mediators).concat(d.mediator ? [d.mediator] : []))].join('、');
    const sheet = h('article.agreement-print', { id: 'agreement' },
      h('h1', null, '人民调解协议书'),
      h('p.agreement-no', null, `编号：${new Date(d.agreement_ms).getFullYear()}-${String(d.id).padStart(5, '0')}`),
      h('section', null, parties.map((p) => h('p.agreement-party', null,
        h('strong', null, `${p.side_name}：`), p.name, p.id_number ? `，身份证号：${p.id_number}` : ''))),
      h('h2', null, '纠纷主要事实、争议事项'),
      h('p', null, d.summary),
      h('h2', null, '经调解，自愿达成如下协议'),
      h('p.agreement-terms', null, d.terms),
      d.amount_cents !== null ? h('p.agreement-amount', null, `协议金额：人民币 ${yuan(d.amount_cents)} 元`) : null,
      h('h2', null, '履行方式、时限'),
      h('p', null, '按上述协议内容履行。本协议一式三份，当事人各执一份，人民调解委员会留存一份。'),
      d.court ? h('p', null, '双方当事人可自本协议生效之日起三十日内，共同向人民法院申请司法确认。') : null,
      h('div.agreement-signs', null,
        parties.map((p) => h('p.agreement-sign', null, `${p.side_name}（签名）：`, h('span.sign-line', null, p.name), h('span.sign-line.blank'))),
        h('p.agreement-sign', null, '人民调解员（签名）：', h('span.sign-line', null, mediators), h('span.sign-line.blank')),
        h('p.agreement-sign', null, `${committee}人民调解委员会（盖章）`),
        h('p.agreement-date', null, ui.fmtDate(d.agreement_ms))));
    main.replaceChildren(h('div.agreement-page', null,
      h('p.no-print', null, h('a', { href: '#/disputes/' + d.id }, '← 返回纠纷'), ' ',
        h('button.primary', { type: 'button', id: 'agreement-print', onclick: () => window.print() }, '打印')),
      sheet));
  }

  // ---------------------------------------------------------------- figures

  async function showStats(main, { params, signal, ui }) {
    const { h } = ui;
    document.title = '矛盾纠纷统计 · 平安';
    const areaCode = params.get('area') || '';
    const from = params.get('from') || '';
    const to = params.get('to') || '';
    const inArea = h('input', { type: 'text', name: 'area', value: areaCode, placeholder: '默认为本级' });
    const inFrom = h('input', { type: 'date', name: 'from', value: from });
    const inTo = h('input', { type: 'date', name: 'to', value: to });
    const go = (code) => {
      const q = new URLSearchParams();
      if (code) q.set('area', code);
      if (inFrom.value) q.set('from', inFrom.value);
      if (inTo.value) q.set('to', inTo.value);
      ui.go('#/disputes/stats' + (q.toString() ? '?' + q : ''));
    };
    const form = h('form.filters', { id: 'dispute-stats-form', onsubmit: (ev) => { ev.preventDefault(); go(inArea.value.trim()); } },
      field(ui, 'area', '区域编码', inArea).el, field(ui, 'from', '起始日期', inFrom).el, field(ui, 'to', '截止日期', inTo).el,
      h('div.filter-actions', null, h('button.primary', { type: 'submit' }, '统计')));
    const q = new URLSearchParams();
    if (areaCode) q.set('area', areaCode);
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    const s = await ui.api('/disputes/stats?' + q.toString(), { signal });
    if (signal.aborted) return;
    const pct = (r) => (r === null || r === undefined ? '—' : `${Number(r).toFixed(2)}%`);
    const tile = (key, label, value) => h('div.dispute-tile', { dataset: { figure: key } }, h('div.dispute-tile-value', null, value), h('div.dispute-tile-label', null, label));
    const table = (title, rows, keyName, link) => h('section.card', null, h('h2', null, title),
      rows.length ? h('div.table-wrap', null, h('table.data-table', null,
        h('thead', null, h('tr', null, h('th', null, keyName), ['排查', '化解', '化解率', '超期未化解'].map((t) => h('th.num', null, t)))),
        h('tbody', null, rows.map((r) => h('tr', null,
          h('td', null, link ? h('a', { href: '#/disputes/stats?' + new URLSearchParams({ ...(from && { from }), ...(to && { to }), area: r.code }) }, r.name) : r.name),
          h('td.num', null, String(r.screened)), h('td.num', null, String(r.resolved)), h('td.num', null, pct(r.rate)), h('td.num', null, String(r.over_limit)))))))
        : h('p.muted', null, '无数据。'));
    main.replaceChildren(h('div.dispute-page', null,
      h('p', null, h('a', { href: '#/disputes' }, '← 返回纠纷台账')),
      h('div.page-head', null, h('h1.page-title', null, `矛盾纠纷排查化解统计 · ${s.area.name}`)),
      form,
      h('div.dispute-tiles', null,
        tile('screened', '排查', String(s.screened)), tile('resolved', '化解', String(s.resolved)),
        tile('rate', '化解率', pct(s.rate)), tile('open', '化解中', String(s.open)), tile('controlled', '稳控中', String(s.controlled)),
        tile('failed', '调解不成', String(s.failed)), tile('over_limit', '超期未化解', String(s.over_limit)),
        tile('at_risk', '风险纠纷', String(s.at_risk)), tile('followup_overdue', '回访逾期', String(s.followup_overdue))),
      table('按下级区域', s.by_area, '区域', true),
      table('按纠纷类型', s.by_type, '类型', false),
      table('按化解层级', s.by_tier, '层级', false)));
  }

  // ---------------------------------------------------------------- module

  async function show(main, { parts, params, signal, ui }) {
    const acct = ui.account();
    if (!acct || !READERS.includes(acct.role)) {
      document.title = '矛盾纠纷 · 平安';
      main.replaceChildren(ui.message('无权访问', '您的账号无权查看矛盾纠纷台账。', true));
      return;
    }
    ui.busy(true);
    try {
      const [, a, b] = parts;
      if (!a) await showDesk(main, { params, signal, ui });
      else if (a === 'new') await showNew(main, { params, signal, ui });
      else if (a === 'stats') await showStats(main, { params, signal, ui });
      else if (b === 'agreement') await showAgreement(main, { id: a, signal, ui });
      else await showCase(main, { id: a, signal, ui });
    } catch (e) {
      if (isAbort(e, signal) || e.status === 401) return;
      if (e.status === 404) main.replaceChildren(ui.message('纠纷不存在或无权访问', e.message, true, ui.h('a.button', { href: '#/disputes' }, '返回纠纷台账')));
      else if (e.status === 400) main.replaceChildren(ui.message('查询条件有误', e.message, true, ui.h('a.button', { href: '#/disputes' }, '重置')));
      else main.replaceChildren(ui.errorView(e, () => ui.route()));
    } finally {
      if (!signal.aborted) ui.busy(false);
    }
  }

  // The event page's link (web/events.js): the disputes opened from event
  // ev, and for an event of a 矛盾纠纷 category a button to open one. An
  // element filled once loaded, or null for a role without the ledger.
  function eventSection(ev, ui) {
    const { h } = ui;
    const acct = ui.account();
    if (!acct || !READERS.includes(acct.role)) return null;
    const body = h('div', null);
    const el = h('section.card.event-disputes', { id: 'event-disputes', hidden: true }, h('h2', null, '矛盾纠纷'), body);
    Promise.all([loadMeta(ui), ui.api(`/disputes?event_id=${enc(ev.id)}`)])
      .then(([m, list]) => {
        const isDispute = ev.category && (m.event_majors || []).includes(ev.category.major);
        const items = list.items || [];
        if (!items.length && !isDispute) return;
        body.replaceChildren(
          items.length
            ? h('ul', null, items.map((d) => h('li', null, h('a', { href: '#/disputes/' + d.id }, `${d.title}（${d.status_name}）`))))
            : h('p.muted', null, '尚未转为矛盾纠纷。'),
          isDispute && !items.length && WRITERS.includes(acct.role)
            ? h('a.button.primary', { href: `#/disputes/new?event=${enc(ev.id)}`, id: 'event-to-dispute' }, '转为矛盾纠纷')
            : null
        );
        el.hidden = false;
      })
      .catch(() => {});
    return el;
  }
  window.PinganDisputes = Object.freeze({ eventSection });

  (window.PinganModules = window.PinganModules || []).push({
    pages: ['disputes'],
    navPages(role) {
      return READERS.includes(role) ? [['disputes', '矛盾纠纷', '#/disputes']] : [];
    },
    show,
  });
})();
