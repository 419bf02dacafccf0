#!/usr/bin/env python3
"""Checks docs/api/openapi.yaml against the route table (src/api/routes.c).

Every route documented and nothing else; its permission, audit action and
audit rule as the table says; public routes marked so; the 404s the router
produces for scope-checked body fields and ?area= documented; every $ref
resolves; path parameters declared; operationIds unique. Run by make check.
"""
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
doc = yaml.safe_load(open(os.environ.get('OPENAPI_DOC', f'{ROOT}/docs/api/openapi.yaml')))
src = open(sys.argv[1] if len(sys.argv) > 1 else f'{ROOT}/src/api/routes.c').read()
# {"METHOD", "/path", handler, perm, flags, OBJ, "action", body_area[, body_household]}
# or, with the generalised body reference, {..., body_area, {"field", OBJ_KIND}}
rx = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*([^,]+?)\s*,\s*([^,]+?)\s*,\s*(\w+)\s*,\s*(?:"([^"]*)"|NULL)\s*,\s*(?:"([^"]*)"|NULL)(?:\s*,\s*(?:"([^"]*)"|NULL|\{\s*(?:"([^"]*)"|NULL)\s*,\s*(\w+)\s*\}))?\s*\}', re.S)
REF_CODES = {'OBJ_HOUSEHOLD': 'household_not_found'}
table = {}
for m in rx.findall(src):
    ref_field, ref_kind = (m[8], 'OBJ_HOUSEHOLD') if m[8] else (m[9], m[10])
    table[(m[0], m[1])] = {'perm': m[3], 'flags': m[4], 'obj': m[5], 'action': m[6],
                           'body_area': m[7], 'body_ref': ref_field,
                           'body_ref_code': REF_CODES.get(ref_kind, 'not_found')}
n_entries = len(re.findall(r'^\s*\{"[A-Z]+",', src, re.M))
if n_entries != len(table):
    print('route table entries not parsed:', n_entries, '!=', len(table)); sys.exit(1)
METHODS = {'get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'}
ops = {}
for path, item in doc['paths'].items():
    for meth, op in item.items():
        if meth in METHODS:
            key = (meth.upper(), path)
            assert key not in ops, key
            ops[key] = op
ok = True
print('routes in table:', len(table), ' operations in doc:', len(ops))
for k in sorted(set(table) - set(ops)):
    ok = False; print('MISSING in doc:', k)
for k in sorted(set(ops) - set(table)):
    ok = False; print('EXTRA in doc:', k)
def perm_name(p):
    """P_EVENT_READ -> event.read: the name the API document gives a permission bit."""
    if p == '0':
        return 'none'
    noun, _, verb = p[2:].lower().rpartition('_')
    return noun + '.' + verb
def deref(n):
    while isinstance(n, dict) and '$ref' in n:
        node = doc
        for part in n['$ref'][2:].split('/'):
            node = node[part.replace('~1', '/').replace('~0', '~')]
        n = node
    return n
for k in sorted(set(table) & set(ops)):
    t, op = table[k], ops[k]
    if op.get('x-audit-action') != t['action']:
        ok = False; print('audit action differs:', k, op.get('x-audit-action'), '!=', t['action'])
    want = perm_name(t['perm'])
    if not str(op.get('x-permission', '')).startswith(want):
        ok = False; print('permission differs:', k, op.get('x-permission'), '!=', want)
    if 'PUB' in t['flags'] and op.get('security') != []:
        ok = False; print('public route without security: []', k)
    # body fields the router checks against the scope: their 404 must be documented
    for fld, code in ((t['body_area'], 'area_not_found'), (t['body_ref'], t['body_ref_code'])):
        if fld:
            r404 = deref(op.get('responses', {}).get('404', {}))
            text = str(r404.get('description', ''))
            if code not in text or f'`{fld}`' not in text:
                ok = False; print(f'404 {code} (field {fld}) not documented:', k)
    # R_QUERY_AREA: ?area= is resolved and scope-checked by the router
    params = [deref(p) for p in doc['paths'][k[1]].get('parameters', []) + op.get('parameters', [])]
    qarea = [p for p in params if p.get('in') == 'query' and p.get('name') == 'area']
    if 'R_QUERY_AREA' in t['flags']:
        r404 = deref(op.get('responses', {}).get('404', {}))
        text = str(r404.get('description', ''))
        if not qarea:
            ok = False; print('R_QUERY_AREA route without query parameter area:', k)
        elif 'area_not_found' not in str(qarea[0].get('description', '')):
            ok = False; print('query parameter area does not say area_not_found:', k)
        if 'area_not_found' not in text or '`area`' not in text:
            ok = False; print('404 area_not_found (query area) not documented:', k)
        if '404' not in str(op.get('x-audited', '')) and op.get('x-audited') != 'every outcome':
            ok = False; print('router 404 of query area is audited but x-audited does not say so:', k)
    elif qarea and k[0] == 'GET':
        ok = False; print('query parameter area on a route without R_QUERY_AREA (checked by the handler?):', k)
    # writing routes are audited on every outcome
    if re.search(r'\b(W|R_WRITE)\b', t['flags']) and 'R_TEST_ONLY' not in t['flags'] and op.get('x-audited') != 'every outcome':
        ok = False; print('writing route not documented as audited on every outcome:', k, op.get('x-audited'))
# every $ref resolves
def resolve(ref):
    assert ref.startswith('#/'), ref
    node = doc
    for part in ref[2:].split('/'):
        part = part.replace('~1', '/').replace('~0', '~')
        node = node[part]
    return node
refs = []
def walk(n, where):
    if isinstance(n, dict):
        for k, v in n.items():
            if k == '$ref':
                refs.append((v, where))
            else:
                walk(v, where + '/' + str(k))
    elif isinstance(n, list):
        for i, v in enumerate(n):
            walk(v, f'{where}[{i}]')
walk(doc, '')
for ref, where in refs:
    try:
        resolve(ref)
    except Exception:
        ok = False; print('unresolved $ref', ref, 'at', where)
for name, sch in doc['components']['schemas'].items():
    d = sch.get('discriminator')
    if d:
        for v in d.get('mapping', {}).values():
            try: resolve(v)
            except Exception: ok = False; print('unresolved mapping', v)
print('$refs checked:', len(refs))
# path parameters declared
for path, item in doc['paths'].items():
    names = set(re.findall(r'\{(\w+)\}', path))
    for meth, op in item.items():
        if meth not in METHODS: continue
        ps = [resolve(p['$ref']) if '$ref' in p else p for p in item.get('parameters', []) + op.get('parameters', [])]
        declared = {p['name'] for p in ps if p['in'] == 'path'}
        if declared != names:
            ok = False; print('path params', path, meth, declared, names)
ids = [op['operationId'] for op in ops.values()]
if len(ids) != len(set(ids)):
    ok = False; print('duplicate operationId')
print('OK' if ok else 'FAILED')
sys.exit(0 if ok else 1)
