// A small strict XML parser for the tests: elements, text, the five
// predefined entities and numeric references, self-closing tags, one
// declaration. It throws on anything not well-formed (a close tag that does
// not match, a bare '&' or '<', text outside the root, two roots), so a
// test that parses an answer also checks that it is well-formed XML.
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.-]*/;

function unescape(s) {
  if (/[<>]/.test(s)) throw new Error(`markup character in text: ${s}`);
  return s.replace(/&([^;]*);|&/g, (m, e) => {
    if (e === undefined) throw new Error('a bare & in text');
    if (e in ENTITIES) return ENTITIES[e];
    const n = /^#x([0-9a-fA-F]+)$/.exec(e) || /^#([0-9]+)$/.exec(e);
    if (!n) throw new Error(`unknown entity &${e};`);
    return String.fromCodePoint(parseInt(n[1], e[1] === 'x' ? 16 : 10));
  });
}

// Returns the root element: {name, children: [element], text}.
export function parseXml(src) {
  let i = 0;
  const decl = /^<\?xml [^?]*\?>\s*/.exec(src);
  if (decl) i = decl[0].length;
  const stack = [];
  let root = null;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt < 0 ? src.length : lt);
    if (text) {
      if (!stack.length) { if (text.trim()) throw new Error(`text outside the root: ${text}`); }
      else stack[stack.length - 1].text += unescape(text);
    }
    if (lt < 0) break;
    const gt = src.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = src.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open && open.name}>`);
      continue;
    }
    const self = tag.endsWith('/');
    const name = (self ? tag.slice(0, -1) : tag).trim();
    if (!NAME.test(name) || NAME.exec(name)[0] !== name) throw new Error(`bad tag <${tag}>`);
    const el = { name, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('two roots');
    else root = el;
    if (!self) stack.push(el);
  }
  if (stack.length || !root) throw new Error('unclosed elements or no root');
  return root;
}

// Asserts that an element holds what the JSON value holds, by the Open311
// mapping: objects are child elements in any order, arrays are repeated
// children named by `item` (or by the member name without its "s"), null
// is an empty element, booleans "true"/"false", numbers compare as numbers.
export function assertXmlMatches(assert, el, value, item, where = el.name) {
  if (Array.isArray(value)) {
    assert.equal(el.children.length, value.length, `${where}: item count`);
    el.children.forEach((c, k) => {
      assert.equal(c.name, item, `${where}[${k}] is <${item}>`);
      assertXmlMatches(assert, c, value[k], null, `${where}[${k}]`);
    });
  } else if (value !== null && typeof value === 'object') {
    const names = el.children.map((c) => c.name).sort();
    assert.deepEqual(names, Object.keys(value).sort(), `${where}: members`);
    for (const c of el.children) {
      const v = value[c.name];
      assertXmlMatches(assert, c, v, Array.isArray(v) && c.name.endsWith('s') ? c.name.slice(0, -1) : null, `${where}.${c.name}`);
    }
  } else if (value === null) {
    assert.equal(el.children.length + el.text.length, 0, `${where} is empty`);
  } else if (typeof value === 'number') {
    assert.equal(Number(el.text), value, where);
  } else {
    assert.equal(el.text, String(value), where);
  }
}
