// Pingan (平安): the items of a record that depend on its type — the ledger of
// each special group, a school's safety officers — drawn from the table the
// server validates against (GET /api/v1/meta/fields, src/domain/typefields.c),
// so the forms and the checks cannot drift apart.
//
// window.PinganTypeFields:
//   load(ui)            -> Promise of {group:{type:[def…]}, org:{kind:[def…]}}, fetched once
//   control(h, def, id) -> the form control for one item
//   read(def, control)  -> the value to send, or undefined when left empty
//   text(def, value)    -> the value as people read it (是/否, lists with 、)
// A def is {key, label, kind: text|date|bool|count|choice|list, choices?}.
'use strict';

(() => {
  let table = null;

  function load(ui) {
    if (!table)
      table = ui.api('/meta/fields').catch((e) => {
        table = null; // try again next time
        throw e;
      });
    return table;
  }

  function control(h, def, id) {
    const name = `fields.${def.key}`;
    switch (def.kind) {
      case 'bool':
        return h('select', { id, name }, h('option', { value: '' }, '未填'), h('option', { value: 'true' }, '是'), h('option', { value: 'false' }, '否'));
      case 'choice':
        return h('select', { id, name }, h('option', { value: '' }, '未填'), (def.choices || []).map((c) => h('option', { value: c }, c)));
      case 'date':
        return h('input', { id, name, type: 'date' });
      case 'count':
        return h('input', { id, name, type: 'number', min: '0', step: '1', inputmode: 'numeric' });
      case 'list':
        return h('input', { id, name, type: 'text', maxlength: '400', autocomplete: 'off', placeholder: '多项用“、”分隔' });
      default:
        return h('input', { id, name, type: 'text', maxlength: '200', autocomplete: 'off' });
    }
  }

  function read(def, c) {
    const v = String(c.value || '').trim();
    if (!v) return undefined;
    switch (def.kind) {
      case 'bool':
        return v === 'true';
      case 'count':
        // A number the browser accepted; anything else goes as typed so that
        // the server names the item in its answer.
        return /^\d+$/.test(v) ? Number(v) : v;
      case 'list':
        return v
          .split(/[、,，;；]/)
          .map((x) => x.trim())
          .filter(Boolean);
      default:
        return v;
    }
  }

  function text(def, value) {
    if (value === null || value === undefined || value === '') return '';
    if (typeof value === 'boolean') return value ? '是' : '否';
    if (Array.isArray(value)) return value.join('、');
    return String(value);
  }

  window.PinganTypeFields = Object.freeze({ load, control, read, text });
})();
