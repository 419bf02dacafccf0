#include "tiling.h"

#include <math.h>
#include <stdint.h>

#include "geojson.h"
#include "util/xalloc.h"

#define EARTH_R 6371008.8
#define PI      3.14159265358979323846

/* ---- area ---- */

static int add_area(GEOSContextHandle_t ctx, const GEOSGeometry *g, double *sum)
{
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(ctx, g) != 0)
            return 0;
        double deg2 = 0, lat = 0;
        if (!GEOSArea_r(ctx, g, &deg2))
            return -1;
        GEOSGeometry *c = GEOSGetCentroid_r(ctx, g);
        if (!c)
            return -1;
        int ok = GEOSGeomGetY_r(ctx, c, &lat);
        GEOSGeom_destroy_r(ctx, c);
        if (!ok)
            return -1;
        const double k = (PI / 180.0) * (PI / 180.0) * EARTH_R * EARTH_R;
        *sum += deg2 * k * cos(lat * PI / 180.0);
        return 0;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(ctx, g);
        if (n < 0)
            return -1;
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(ctx, g, i);
            if (!part || add_area(ctx, part, sum) < 0)
                return -1;
        }
        return 0;
    }
    return type < 0 ? -1 : 0; /* points and lines have no area */
}

double tiling_area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    double sum = 0;
    return add_area(ctx, g, &sum) < 0 ? -1.0 : sum;
}

/* ---- the violation list ---- */

static void add_violation(struct tiling_violations *out, const char *kind, const char *a,
                          const char *b, double area, char *reason, GEOSGeometry *where)
{
    if (out->n == out->alloc) {
        out->alloc = out->alloc ? 2 * out->alloc : 16;
        out->v = xrealloc(out->v, out->alloc * sizeof(*out->v));
    }
    struct tiling_violation *t = &out->v[out->n++];
    t->kind = kind;
    t->codes[0] = xstrdup(a);
    t->codes[1] = b ? xstrdup(b) : NULL;
    t->area_m2 = area;
    t->reason = reason;
    t->where = where;
}

void tiling_violations_release(GEOSContextHandle_t ctx, struct tiling_violations *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->v[i].codes[0]);
        free(v->v[i].codes[1]);
        free(v->v[i].reason);
        if (v->v[i].where)
            GEOSGeom_destroy_r(ctx, v->v[i].where);
    }
    free(v->v);
    v->v = NULL;
    v->n = v->alloc = 0;
}

/* ---- the check ---- */

struct check {
    GEOSContextHandle_t ctx;
    const struct tiling_node *nodes;
    size_t n;
    struct tiling_opts opts;
    struct tiling_violations *out;
    struct err *e;
    size_t *by_code;   /* node indices sorted by code (file order among equals) */
    unsigned char *ok; /* 1: has a valid, non-empty polygonal boundary */
    int failed;
};

static int geos_failed(struct check *c, const char *what, const char *a, const char *b)
{
    c->failed = 1;
    return err_set(c->e, ERR_INTERNAL, "geometry_error", a, "几何运算失败（%s）：区域 %s%s%s", what,
                   a, b ? " 与 " : "", b ? b : "");
}

/* Sorting keys: qsort has no context argument, so each entry carries its
 * string (no global, the check may run on several threads at once). */
struct key {
    const char *s; /* NULL sorts first */
    size_t i;      /* node index: file order among equals */
};

static int cmp_key(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;
    int r = (!a->s || !b->s) ? (a->s != NULL) - (b->s != NULL) : strcmp(a->s, b->s);
    return r ? r : (a->i > b->i) - (a->i < b->i);
}

/* Node indices ordered by code (parent = 0) or by parent code (parent = 1). */
static size_t *sorted_by(const struct tiling_node *nodes, size_t n, int parent)
{
    struct key *k = xmalloc(n * sizeof(*k));
    for (size_t i = 0; i < n; i++)
        k[i] = (struct key){parent ? nodes[i].parent_code : nodes[i].code, i};
    qsort(k, n, sizeof(*k), cmp_key);
    size_t *out = xmalloc(n * sizeof(*out));
    for (size_t i = 0; i < n; i++)
        out[i] = k[i].i;
    free(k);
    return out;
}

static int same_parent(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* The first node with this code, or -1. */
static long find_code(const struct check *c, const char *code)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->nodes[c->by_code[mid]].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n && strcmp(c->nodes[c->by_code[lo]].code, code) == 0)
        return (long)c->by_code[lo];
    return -1;
}

static void check_validity(struct check *c)
{
    GEOSContextHandle_t ctx = c->ctx;
    for (size_t i = 0; i < c->n; i++) {
        const GEOSGeometry *g = c->nodes[i].geom;
        if (!g || GEOSisEmpty_r(ctx, g) == 1)
            continue;
        int type = GEOSGeomTypeId_r(ctx, g);
        if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
            add_violation(c->out, "invalid_geometry", c->nodes[i].code, NULL, 0,
                          xstrdup("not a Polygon or MultiPolygon"), NULL);
            continue;
        }
        char valid = GEOSisValid_r(ctx, g);
        if (valid == 1) {
            c->ok[i] = 1;
            continue;
        }
        char *why = valid == 0 ? GEOSisValidReason_r(ctx, g) : NULL;
        add_violation(c->out, "invalid_geometry", c->nodes[i].code, NULL, 0,
                      xstrdup(why ? why : "GEOS could not decide validity"), NULL);
        if (why)
            GEOSFree_r(ctx, why);
    }
}

struct cand {
    size_t *v;
    size_t n, alloc;
    size_t after; /* keep only members with a larger index */
};

static void collect(void *item, void *userdata)
{
    struct cand *k = userdata;
    size_t j = (size_t)(uintptr_t)item - 1;
    if (j <= k->after)
        return;
    if (k->n == k->alloc) {
        k->alloc = k->alloc ? 2 * k->alloc : 16;
        k->v = xrealloc(k->v, k->alloc * sizeof(*k->v));
    }
    k->v[k->n++] = j;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

/* Overlaps among the members m[0..k-1] (node indices with valid boundaries). */
static void check_overlaps(struct check *c, const size_t *m, size_t k)
{
    GEOSContextHandle_t ctx = c->ctx;
    if (k < 2)
        return;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(ctx, 10);
    if (!tree) {
        geos_failed(c, "STRtree", c->nodes[m[0]].code, NULL);
        return;
    }
    for (size_t j = 0; j < k; j++)
        GEOSSTRtree_insert_r(ctx, tree, c->nodes[m[j]].geom, (void *)(uintptr_t)(j + 1));
    struct cand cand = {NULL, 0, 0, 0};
    for (size_t i = 0; i < k; i++) {
        const struct tiling_node *a = &c->nodes[m[i]];
        cand.n = 0;
        cand.after = i;
        GEOSSTRtree_query_r(ctx, tree, a->geom, collect, &cand);
        if (cand.n == 0)
            continue;
        qsort(cand.v, cand.n, sizeof(*cand.v), cmp_size); /* report in a stable order */
        const GEOSPreparedGeometry *pa = GEOSPrepare_r(ctx, a->geom);
        if (!pa) {
            geos_failed(c, "prepare", a->code, NULL);
            continue;
        }
        for (size_t q = 0; q < cand.n; q++) {
            const struct tiling_node *b = &c->nodes[m[cand.v[q]]];
            char hit = GEOSPreparedIntersects_r(ctx, pa, b->geom);
            if (hit == 0)
                continue;
            GEOSGeometry *inter = hit == 1 ? GEOSIntersection_r(ctx, a->geom, b->geom) : NULL;
            double area = inter ? tiling_area_m2(ctx, inter) : -1;
            if (area < 0) {
                geos_failed(c, "intersection", a->code, b->code);
            } else if (area > c->opts.overlap_tol_m2) {
                int swap = strcmp(a->code, b->code) > 0;
                add_violation(c->out, "siblings_overlap", swap ? b->code : a->code,
                              swap ? a->code : b->code, area, NULL, inter);
                inter = NULL;
            }
            if (inter)
                GEOSGeom_destroy_r(ctx, inter);
        }
        GEOSPreparedGeom_destroy_r(ctx, pa);
    }
    free(cand.v);
    GEOSSTRtree_destroy_r(ctx, tree);
}

/* Containment of each member in the parent p. */
static void check_outside(struct check *c, size_t p, const size_t *m, size_t k)
{
    GEOSContextHandle_t ctx = c->ctx;
    const struct tiling_node *parent = &c->nodes[p];
    const GEOSPreparedGeometry *pp = GEOSPrepare_r(ctx, parent->geom);
    if (!pp) {
        geos_failed(c, "prepare", parent->code, NULL);
        return;
    }
    for (size_t i = 0; i < k; i++) {
        const struct tiling_node *child = &c->nodes[m[i]];
        if (GEOSPreparedCovers_r(ctx, pp, child->geom) == 1)
            continue; /* the fast path for nearly every child */
        GEOSGeometry *diff = GEOSDifference_r(ctx, child->geom, parent->geom);
        double area = diff ? tiling_area_m2(ctx, diff) : -1;
        if (area < 0) {
            geos_failed(c, "difference", child->code, parent->code);
        } else if (area > c->opts.outside_tol_m2) {
            add_violation(c->out, "child_outside_parent", child->code, parent->code, area, NULL,
                          diff);
            diff = NULL;
        }
        if (diff)
            GEOSGeom_destroy_r(ctx, diff);
    }
    GEOSPreparedGeom_destroy_r(ctx, pp);
}

/* parent − ∪ members. */
static void check_gap(struct check *c, size_t p, const size_t *m, size_t k)
{
    GEOSContextHandle_t ctx = c->ctx;
    const struct tiling_node *parent = &c->nodes[p];
    if (k > UINT32_MAX)
        return;
    GEOSGeometry **parts = xmalloc(k * sizeof(*parts));
    size_t made = 0;
    for (; made < k; made++) {
        parts[made] = GEOSGeom_clone_r(ctx, c->nodes[m[made]].geom);
        if (!parts[made])
            break;
    }
    GEOSGeometry *coll = NULL, *uni = NULL, *gap = NULL;
    if (made == k) {
        coll = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts, (unsigned int)k);
        made = 0; /* the collection owns them */
    }
    if (coll)
        uni = GEOSUnaryUnion_r(ctx, coll);
    if (uni)
        gap = GEOSDifference_r(ctx, parent->geom, uni);
    double area = gap ? tiling_area_m2(ctx, gap) : -1;
    if (area < 0) {
        geos_failed(c, "union", parent->code, NULL);
    } else if (area > c->opts.gap_tol_m2) {
        add_violation(c->out, "gap_in_parent", parent->code, NULL, area, NULL, gap);
        gap = NULL;
    }
    for (size_t i = 0; i < made; i++)
        GEOSGeom_destroy_r(ctx, parts[i]);
    free(parts);
    if (coll)
        GEOSGeom_destroy_r(ctx, coll);
    if (uni)
        GEOSGeom_destroy_r(ctx, uni);
    if (gap)
        GEOSGeom_destroy_r(ctx, gap);
}

/* One group of siblings g[0..k-1] (node indices sharing a parent code). */
static void check_group(struct check *c, const size_t *g, size_t k, size_t *m)
{
    size_t nm = 0;
    int with_geom = 0, invalid = 0;
    for (size_t i = 0; i < k; i++) {
        const GEOSGeometry *geom = c->nodes[g[i]].geom;
        if (geom && GEOSisEmpty_r(c->ctx, geom) != 1) {
            with_geom = 1;
            if (c->ok[g[i]])
                m[nm++] = g[i];
            else
                invalid = 1;
        }
    }
    check_overlaps(c, m, nm);
    const char *pcode = c->nodes[g[0]].parent_code;
    long p = pcode ? find_code(c, pcode) : -1;
    if (p < 0 || !c->ok[p] || !with_geom)
        return;
    check_outside(c, (size_t)p, m, nm);
    if (!invalid && nm > 0)
        check_gap(c, (size_t)p, m, nm);
}

int tiling_check(GEOSContextHandle_t ctx, const struct tiling_node *nodes, size_t n,
                 const struct tiling_opts *opts, struct tiling_violations *out, struct err *e)
{
    static const struct tiling_opts defaults = TILING_OPTS_DEFAULT;
    struct check c = {ctx, nodes, n, opts ? *opts : defaults, out, e, NULL, NULL, 0};
    if (n == 0)
        return 0;
    c.by_code = sorted_by(nodes, n, 0);
    c.ok = xcalloc(n, 1);
    size_t *by_parent = sorted_by(nodes, n, 1);
    size_t *members = xmalloc(n * sizeof(*members));

    for (size_t i = 1; i < n; i++)
        if (strcmp(nodes[c.by_code[i - 1]].code, nodes[c.by_code[i]].code) == 0)
            add_violation(out, "duplicate_code", nodes[c.by_code[i]].code, NULL, 0, NULL, NULL);
    check_validity(&c);
    for (size_t i = 0; i < n; i++)
        if (nodes[i].parent_code && find_code(&c, nodes[i].parent_code) < 0)
            add_violation(out, "missing_parent", nodes[i].code, nodes[i].parent_code, 0, NULL,
                          NULL);

    for (size_t s = 0; s < n;) {
        size_t t = s + 1;
        while (t < n &&
               same_parent(nodes[by_parent[s]].parent_code, nodes[by_parent[t]].parent_code))
            t++;
        check_group(&c, by_parent + s, t - s, members);
        s = t;
    }
    free(members);
    free(by_parent);
    free(c.ok);
    free(c.by_code);
    return c.failed ? -1 : 0;
}

/* ---- JSON ---- */

static char *message(const struct tiling_violation *t)
{
    char s[512];
    const char *a = t->codes[0], *b = t->codes[1] ? t->codes[1] : "";
    if (strcmp(t->kind, "invalid_geometry") == 0)
        snprintf(s, sizeof(s), "区域 %s 的边界不是有效的多边形：%s", a, t->reason ? t->reason : "");
    else if (strcmp(t->kind, "missing_parent") == 0)
        snprintf(s, sizeof(s), "区域 %s 的上级区域 %s 不存在", a, b);
    else if (strcmp(t->kind, "duplicate_code") == 0)
        snprintf(s, sizeof(s), "区域编码 %s 重复", a);
    else if (strcmp(t->kind, "child_outside_parent") == 0)
        snprintf(s, sizeof(s), "区域 %s 有约 %.1f 平方米超出上级区域 %s 的范围", a, t->area_m2, b);
    else if (strcmp(t->kind, "siblings_overlap") == 0)
        snprintf(s, sizeof(s), "同级区域 %s 与 %s 交叉重叠约 %.1f 平方米", a, b, t->area_m2);
    else if (strcmp(t->kind, "gap_in_parent") == 0)
        snprintf(s, sizeof(s), "区域 %s 内有约 %.1f 平方米未被任何下级区域覆盖（留有空白）", a,
                 t->area_m2);
    else
        snprintf(s, sizeof(s), "区域 %s：%s", a, t->kind);
    return xstrdup(s);
}

/* A JSON string, or null for text jansson refuses (not UTF-8). */
static json_t *str_or_null(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_null();
}

json_t *tiling_violations_to_json(GEOSContextHandle_t ctx, const struct tiling_violations *v,
                                  int with_geometry)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < v->n; i++) {
        const struct tiling_violation *t = &v->v[i];
        json_t *o = json_object();
        json_t *codes = json_array();
        for (int k = 0; k < 2; k++)
            if (t->codes[k])
                json_array_append_new(codes, str_or_null(t->codes[k]));
        char *msg = message(t);
        json_object_set_new(o, "kind", json_string(t->kind));
        json_object_set_new(o, "codes", codes);
        json_object_set_new(o, "area_m2", json_real(round(t->area_m2 * 100.0) / 100.0));
        json_object_set_new(o, "message", str_or_null(msg));
        free(msg);
        if (t->reason)
            json_object_set_new(o, "reason", str_or_null(t->reason));
        if (with_geometry) {
            json_t *g = t->where ? geojson_geometry_to_json(ctx, t->where, GEO_WGS84) : NULL;
            json_object_set_new(o, "geometry", g ? g : json_null());
        }
        json_array_append_new(arr, o);
    }
    return arr;
}
