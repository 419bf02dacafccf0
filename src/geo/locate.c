#include "locate.h"

#include <math.h>
#include <pthread.h>

#include "geojson.h"
#include "util/xalloc.h"

struct entry {
    int64_t id, parent_id;
    char *code;
    int depth;
    GEOSGeometry *geom;               /* in idx->ctx */
    const GEOSPreparedGeometry *prep; /* locator forced at build */
};

struct locate_index {
    GEOSContextHandle_t ctx; /* build and free only; never used by queries */
    struct entry *e;         /* sorted by (depth, code, id) */
    size_t n;
    GEOSSTRtree *tree; /* items are entry index + 1 */
};

/* ---- the per-thread query context ---- */

static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void ctx_destroy(void *p)
{
    GEOS_finish_r((GEOSContextHandle_t)p);
}

static void ctx_key_create(void)
{
    if (pthread_key_create(&ctx_key, ctx_destroy) != 0)
        BUG("pthread_key_create failed");
}

static GEOSContextHandle_t thread_ctx(void)
{
    pthread_once(&ctx_once, ctx_key_create);
    GEOSContextHandle_t ctx = pthread_getspecific(ctx_key);
    if (!ctx) {
        ctx = GEOS_init_r();
        if (!ctx || pthread_setspecific(ctx_key, ctx) != 0)
            BUG("cannot create a GEOS context for this thread");
    }
    return ctx;
}

void locate_thread_release(void)
{
    pthread_once(&ctx_once, ctx_key_create);
    GEOSContextHandle_t ctx = pthread_getspecific(ctx_key);
    if (ctx) {
        pthread_setspecific(ctx_key, NULL);
        GEOS_finish_r(ctx);
    }
}

/* ---- build ---- */

static int cmp_entry(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    if (a->depth != b->depth)
        return a->depth < b->depth ? -1 : 1;
    int c = strcmp(a->code, b->code);
    if (c)
        return c;
    return (a->id > b->id) - (a->id < b->id);
}

/* Copies g into ctx through WKB (exact for doubles). A clone would keep a
 * pointer to the caller's geometry factory, whose reference count the
 * caller's thread may be changing while we destroy the copy. */
static GEOSGeometry *copy_into(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    size_t len = 0;
    unsigned char *wkb = geo_to_wkb(ctx, g, &len);
    GEOSGeometry *out = wkb ? geo_from_wkb(ctx, wkb, len) : NULL;
    free(wkb);
    return out;
}

static void ignore(void *item, void *userdata)
{
    (void)item;
    (void)userdata;
}

struct locate_index *locate_index_build(const struct locate_item *items, size_t n, struct err *e)
{
    struct locate_index *idx = xcalloc(1, sizeof(*idx));
    idx->ctx = GEOS_init_r();
    if (!idx->ctx) {
        free(idx);
        err_set(e, ERR_INTERNAL, "geometry_error", NULL, "无法初始化几何引擎");
        return NULL;
    }
    GEOSContextHandle_t ctx = idx->ctx;
    idx->e = xcalloc(n ? n : 1, sizeof(*idx->e));
    for (size_t i = 0; i < n; i++) {
        const struct locate_item *it = &items[i];
        if (!it->geom)
            continue;
        int type = GEOSGeomTypeId_r(ctx, it->geom);
        if ((type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) || it->depth < 0) {
            err_set(e, ERR_INVALID, "invalid_geometry", it->code,
                    "区域 %s 的边界必须是多边形，层级不能为负", it->code);
            goto fail;
        }
        struct entry *en = &idx->e[idx->n];
        en->geom = copy_into(ctx, it->geom);
        if (!en->geom) {
            err_set(e, ERR_INTERNAL, "geometry_error", it->code, "无法复制区域 %s 的边界",
                    it->code);
            goto fail;
        }
        en->id = it->id;
        en->parent_id = it->parent_id;
        en->code = xstrdup(it->code);
        en->depth = it->depth;
        idx->n++;
    }
    qsort(idx->e, idx->n, sizeof(*idx->e), cmp_entry);
    idx->tree = GEOSSTRtree_create_r(ctx, 10);
    if (!idx->tree) {
        err_set(e, ERR_INTERNAL, "geometry_error", NULL, "无法创建空间索引");
        goto fail;
    }
    for (size_t i = 0; i < idx->n; i++)
        GEOSSTRtree_insert_r(ctx, idx->tree, idx->e[i].geom, (void *)(uintptr_t)(i + 1));

    /* Force every piece of lazily built state now (see the header): one
     * covers query per prepared geometry with a point inside its envelope
     * (so the envelope short-cut does not skip the locator), one tree query. */
    for (size_t i = 0; i < idx->n; i++) {
        struct entry *en = &idx->e[i];
        en->prep = GEOSPrepare_r(ctx, en->geom);
        GEOSGeometry *pt = en->prep ? GEOSPointOnSurface_r(ctx, en->geom) : NULL;
        char hit = pt ? GEOSPreparedCovers_r(ctx, en->prep, pt) : 2;
        if (pt && i == 0)
            GEOSSTRtree_query_r(ctx, idx->tree, pt, ignore, NULL);
        if (pt)
            GEOSGeom_destroy_r(ctx, pt);
        if (hit == 2) {
            err_set(e, ERR_INTERNAL, "geometry_error", en->code, "无法为区域 %s 建立索引",
                    en->code);
            goto fail;
        }
    }
    return idx;
fail:
    locate_index_free(idx);
    return NULL;
}

size_t locate_index_size(const struct locate_index *idx)
{
    return idx ? idx->n : 0;
}

void locate_index_free(struct locate_index *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->n; i++) {
        if (idx->e[i].prep)
            GEOSPreparedGeom_destroy_r(idx->ctx, idx->e[i].prep);
        GEOSGeom_destroy_r(idx->ctx, idx->e[i].geom);
        free(idx->e[i].code);
    }
    free(idx->e);
    if (idx->tree)
        GEOSSTRtree_destroy_r(idx->ctx, idx->tree);
    GEOS_finish_r(idx->ctx);
    free(idx);
}

/* ---- query ---- */

struct cand {
    size_t small[64]; /* the usual case: a handful of envelopes hold a point */
    size_t *v;
    size_t n, alloc;
};

static void collect(void *item, void *userdata)
{
    struct cand *k = userdata;
    if (k->n == k->alloc) {
        size_t na = k->alloc * 2;
        if (k->v == k->small) {
            k->v = xmalloc(na * sizeof(*k->v));
            memcpy(k->v, k->small, k->n * sizeof(*k->v));
        } else {
            k->v = xrealloc(k->v, na * sizeof(*k->v));
        }
        k->alloc = na;
    }
    k->v[k->n++] = (size_t)(uintptr_t)item - 1;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

size_t locate_index_find(const struct locate_index *idx, double lng, double lat, int64_t *out_ids,
                         size_t max)
{
    if (!idx || idx->n == 0 || max == 0 || !isfinite(lng) || !isfinite(lat) || fabs(lng) > 180.0 ||
        fabs(lat) > 90.0)
        return 0;
    GEOSContextHandle_t ctx = thread_ctx();
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx, lng, lat);
    if (!pt)
        return 0;
    struct cand k;
    k.v = k.small;
    k.n = 0;
    k.alloc = sizeof(k.small) / sizeof(k.small[0]);
    GEOSSTRtree_query_r(ctx, idx->tree, pt, collect, &k);
    /* Entries are sorted by (depth, code): sorting the indices walks the
     * candidates depth by depth, smallest code first. */
    qsort(k.v, k.n, sizeof(*k.v), cmp_size);

    size_t written = 0;
    int64_t prev = 0; /* id picked one level up, 0 = none yet */
    for (size_t s = 0; s < k.n;) {
        size_t t = s + 1;
        while (t < k.n && idx->e[k.v[t]].depth == idx->e[k.v[s]].depth)
            t++;
        /* Pass 0: children of the area picked above; pass 1: any. */
        const struct entry *pick = NULL;
        for (int pass = prev ? 0 : 1; pass < 2 && !pick; pass++) {
            for (size_t q = s; q < t && !pick; q++) {
                const struct entry *en = &idx->e[k.v[q]];
                if (pass == 0 && en->parent_id != prev)
                    continue;
                if (GEOSPreparedCovers_r(ctx, en->prep, pt) == 1)
                    pick = en;
            }
        }
        if (pick) {
            if (written == max) { /* keep the deepest: drop the shallowest */
                memmove(out_ids, out_ids + 1, (max - 1) * sizeof(*out_ids));
                written--;
            }
            out_ids[written++] = pick->id;
            prev = pick->id;
        }
        s = t;
    }
    if (k.v != k.small)
        free(k.v);
    GEOSGeom_destroy_r(ctx, pt);
    return written;
}
