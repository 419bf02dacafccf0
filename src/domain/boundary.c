#include "boundary.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geojson.h"
#include "geo/locate.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/log.h"
#include "util/xalloc.h"


static const char LOG_TAG[] = "boundary";

/* ---- per-thread GEOS context ------------------------------------------ */

static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void geos_message(const char *fmt, ...)
{
    (void)fmt; /* GEOS notices (e.g. self-intersection) are reported as errors by callers */
}

static void ctx_free(void *p)
{
    GEOS_finish_r((GEOSContextHandle_t)p);
}

static void ctx_key_make(void)
{
    pthread_key_create(&ctx_key, ctx_free);
}

GEOSContextHandle_t boundary_geos(void)
{
    pthread_once(&ctx_once, ctx_key_make);
    GEOSContextHandle_t ctx = pthread_getspecific(ctx_key);
    if (!ctx) {
        ctx = GEOS_init_r();
        GEOSContext_setNoticeHandler_r(ctx, geos_message);
        GEOSContext_setErrorHandler_r(ctx, geos_message);
        pthread_setspecific(ctx_key, ctx);
    }
    return ctx;
}

/* ---- storage ------------------------------------------------------------ */

int boundary_set(struct db *db, int64_t area_id, const GEOSGeometry *geom, struct err *e)
{
    GEOSContextHandle_t ctx = boundary_geos();
    size_t len = 0;
    unsigned char *wkb = geo_to_wkb(ctx, geom, &len);
    double minx = 0, miny = 0, maxx = 0, maxy = 0, lx = 0, ly = 0;
    GEOSGeometry *label = GEOSPointOnSurface_r(ctx, geom);
    int ok = wkb && label && GEOSGeom_getXMin_r(ctx, geom, &minx) &&
             GEOSGeom_getYMin_r(ctx, geom, &miny) && GEOSGeom_getXMax_r(ctx, geom, &maxx) &&
             GEOSGeom_getYMax_r(ctx, geom, &maxy) && GEOSGeomGetX_r(ctx, label, &lx) &&
             GEOSGeomGetY_r(ctx, label, &ly);
    GEOSGeom_destroy_r(ctx, label);
    if (!ok) {
        free(wkb);
        return err_set(e, ERR_INVALID, "invalid_geometry", "geometry", "无法处理该区域边界");
    }
    sqlite3_stmt *st = db_prepare(db, "UPDATE area SET boundary = ?, min_lng = ?, min_lat = ?, "
                                      "max_lng = ?, max_lat = ?, label_lng = ?, label_lat = ? "
                                      "WHERE id = ?");
    sqlite3_bind_blob(st, 1, wkb, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 2, minx);
    sqlite3_bind_double(st, 3, miny);
    sqlite3_bind_double(st, 4, maxx);
    sqlite3_bind_double(st, 5, maxy);
    sqlite3_bind_double(st, 6, lx);
    sqlite3_bind_double(st, 7, ly);
    db_bind_int(st, 8, area_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(wkb);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

GEOSGeometry *boundary_get(struct db *db, int64_t area_id)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT boundary FROM area WHERE id = ?");
    db_bind_int(st, 1, area_id);
    GEOSGeometry *g = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        g = geo_from_wkb(boundary_geos(), sqlite3_column_blob(st, 0),
                         (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_reset(st);
    return g;
}

/* ---- map view and export ---------------------------------------------------- */

/* Degrees per screen pixel at a Leaflet zoom level (256-px tiles). */
static double degrees_per_pixel(int zoom)
{
    return 360.0 / (256.0 * (double)(1u << (zoom > 30 ? 30 : zoom)));
}

static json_t *geometry_json(GEOSContextHandle_t ctx, const void *blob, int len, double tol,
                             enum geo_datum datum, int exact)
{
    GEOSGeometry *g = geo_from_wkb(ctx, blob, (size_t)(len > 0 ? len : 0));
    if (!g)
        return json_null();
    if (tol > 0) {
        GEOSGeometry *s = GEOSTopologyPreserveSimplify_r(ctx, g, tol);
        if (s) {
            GEOSGeom_destroy_r(ctx, g);
            g = s;
        }
    }
    json_t *j = exact ? geojson_geometry_to_json_exact(ctx, g, datum)
                      : geojson_geometry_to_json(ctx, g, datum);
    GEOSGeom_destroy_r(ctx, g);
    return j ? j : json_null();
}

json_t *boundary_map_json(struct db *db, struct arena *a, const struct area *ar, int zoom)
{
    (void)a;
    GEOSContextHandle_t ctx = boundary_geos();
    double tol = degrees_per_pixel(zoom);
    json_t *features = json_array();
    json_t *by_id = json_object();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.id, a.code, a.name, a.level, l.name, a.boundary, a.label_lng, a.label_lat, "
            "(SELECT count(*) FROM area c WHERE c.parent_id = a.id AND c.retired_ms IS NULL) "
            "FROM area a JOIN area_level l ON l.key = a.level "
            "WHERE a.parent_id = ? AND a.retired_ms IS NULL ORDER BY a.code");
    db_bind_int(st, 1, ar->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *label = sqlite3_column_type(st, 6) == SQLITE_NULL
                            ? json_null()
                            : json_pack("[f,f]", sqlite3_column_double(st, 6),
                                        sqlite3_column_double(st, 7));
        json_t *f = json_pack(
            "{s:s,s:o,s:{s:s,s:s,s:s,s:s,s:i,s:[],s:o}}", "type", "Feature", "geometry",
            geometry_json(ctx, sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5), tol,
                          GEO_WGS84, 0),
            "properties", "code", db_col_text(st, 1), "name", db_col_text(st, 2), "level",
            db_col_text(st, 3), "level_name", db_col_text(st, 4), "child_count",
            sqlite3_column_int(st, 8), "workers", "label", label);
        json_array_append_new(features, f);
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(st, 0));
        json_object_set(by_id, key, json_object_get(f, "properties"));
    }
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT s.area_id, s.name FROM area_staff s JOIN area c ON c.id = s.area_id "
                        "WHERE c.parent_id = ? AND s.duty = 'worker' ORDER BY s.id");
    db_bind_int(st, 1, ar->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(st, 0));
        json_t *props = json_object_get(by_id, key);
        if (props)
            json_array_append_new(json_object_get(props, "workers"),
                                  json_string(db_col_text(st, 1)));
    }
    sqlite3_reset(st);
    json_decref(by_id);

    json_t *outline = json_null(), *bbox = json_null();
    st = db_prepare(db, "SELECT boundary, min_lng, min_lat, max_lng, max_lat FROM area WHERE id = ?");
    db_bind_int(st, 1, ar->id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        outline = geometry_json(ctx, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), tol,
                                GEO_WGS84, 0);
        bbox = json_pack("[f,f,f,f]", sqlite3_column_double(st, 1), sqlite3_column_double(st, 2),
                         sqlite3_column_double(st, 3), sqlite3_column_double(st, 4));
    }
    sqlite3_reset(st);
    return json_pack("{s:s,s:{s:s,s:s,s:s,s:s},s:o,s:o,s:o}", "type", "FeatureCollection", "area",
                     "code", ar->code, "name", ar->name, "level", ar->level, "level_name",
                     ar->level_name, "bbox", bbox, "outline", outline, "features", features);
}

json_t *boundary_export_json(struct db *db, struct arena *a, const struct area *ar,
                             const char *scope, int gcj02)
{
    /* The exported root's parent is named only if the caller may see it. */
    int hide_root_parent = !scope || strcmp(scope, ar->path) == 0;
    GEOSContextHandle_t ctx = boundary_geos();
    json_t *features = json_array();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.code, a.name, a.level, p.code, a.boundary FROM area a "
            "LEFT JOIN area p ON p.id = a.parent_id "
            "WHERE a.path >= ? AND a.path < ? AND a.retired_ms IS NULL ORDER BY a.depth, a.code");
    db_bind_text(st, 1, ar->path);
    db_bind_text(st, 2, area_path_upper(a, ar->path));
    while (sqlite3_step(st) == SQLITE_ROW) {
        int root = strcmp(db_col_text(st, 0), ar->code) == 0;
        json_array_append_new(
            features,
            json_pack("{s:s,s:o,s:{s:s,s:s,s:s,s:s?}}", "type", "Feature", "geometry",
                      geometry_json(ctx, sqlite3_column_blob(st, 4), sqlite3_column_bytes(st, 4),
                                    0, gcj02 ? GEO_GCJ02 : GEO_WGS84, 1),
                      "properties", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
                      "level", db_col_text(st, 2), "parent",
                      root && hide_root_parent ? NULL : db_col_text_or_null(st, 3)));
    }
    sqlite3_reset(st);
    return json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features);
}

/* ---- the point-location index ---------------------------------------------------- */

/*
 * The index, and beside it what a locate answer shows of every active area
 * (code, name, level, path), so that an answer is made from memory. Both are
 * rebuilt together when geo_version moves: the trigger moves it on a change
 * of boundary, retirement, parent, code, name or level.
 */
struct geo_index {
    struct locate_index *idx;
    struct area_brief *info; /* every active area */
    size_t n;
    int64_t *keys; /* id -> position in info, open addressing */
    size_t *pos;
    size_t cap;
    struct arena a;
};

static pthread_rwlock_t index_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;
static struct geo_index *index_now;
static int64_t index_version = -1;

static int64_t geo_version(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT version FROM geo_version WHERE id = 1");
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return v;
}

static size_t slot_of(const struct geo_index *g, int64_t id)
{
    size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & (g->cap - 1);
    while (g->keys[i] && g->keys[i] != id)
        i = (i + 1) & (g->cap - 1);
    return i;
}

static const struct area_brief *brief_of(const struct geo_index *g, int64_t id)
{
    size_t i = slot_of(g, id);
    return g->keys[i] == id ? &g->info[g->pos[i]] : NULL;
}

static void geo_index_free(struct geo_index *g)
{
    if (!g)
        return;
    locate_index_free(g->idx);
    free(g->info);
    free(g->keys);
    free(g->pos);
    arena_release(&g->a);
    free(g);
}

static struct geo_index *build_index(struct db *db)
{
    GEOSContextHandle_t ctx = boundary_geos();
    struct geo_index *g = xcalloc(1, sizeof(*g));
    size_t n = 0, cap = 1024, ninfo = 0, capinfo = 1024;
    struct locate_item *items = xcalloc(cap, sizeof(*items));
    g->info = xcalloc(capinfo, sizeof(*g->info));
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.id, coalesce(a.parent_id, 0), a.code, a.depth, a.boundary, a.name, a.level, "
            "a.path, coalesce(l.name, a.level) FROM area a "
            "LEFT JOIN area_level l ON l.key = a.level WHERE a.retired_ms IS NULL");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (ninfo == capinfo)
            g->info = xrealloc(g->info, sizeof(*g->info) * (capinfo *= 2));
        struct area_brief *b = &g->info[ninfo++];
        b->id = sqlite3_column_int64(st, 0);
        b->code = arena_strdup(&g->a, db_col_text(st, 2));
        b->name = arena_strdup(&g->a, db_col_text(st, 5));
        b->level = arena_strdup(&g->a, db_col_text(st, 6));
        b->path = arena_strdup(&g->a, db_col_text(st, 7));
        b->level_name = arena_strdup(&g->a, db_col_text(st, 8));
        GEOSGeometry *geom = geo_from_wkb(ctx, sqlite3_column_blob(st, 4),
                                          (size_t)sqlite3_column_bytes(st, 4));
        if (!geom)
            continue;
        if (n == cap)
            items = xrealloc(items, sizeof(*items) * (cap *= 2));
        items[n].id = b->id;
        items[n].parent_id = sqlite3_column_int64(st, 1);
        items[n].code = b->code;
        items[n].depth = sqlite3_column_int(st, 3);
        items[n].geom = geom;
        n++;
    }
    sqlite3_reset(st);
    g->n = ninfo;
    for (g->cap = 64; g->cap < ninfo * 2; g->cap *= 2)
        ;
    g->keys = xcalloc(g->cap, sizeof(*g->keys));
    g->pos = xcalloc(g->cap, sizeof(*g->pos));
    for (size_t i = 0; i < ninfo; i++) {
        size_t k = slot_of(g, g->info[i].id);
        g->keys[k] = g->info[i].id;
        g->pos[k] = i;
    }
    struct err e = ERR_INIT;
    g->idx = locate_index_build(items, n, &e);
    if (!g->idx)
        log_error("cannot build the location index: %s (%s)", e.message, e.field ? e.field : "-");
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(ctx, (GEOSGeometry *)items[i].geom);
    free(items);
    if (!g->idx) {
        geo_index_free(g);
        return NULL;
    }
    return g;
}

/* Makes sure the index matches version; returns 0 or -1. */
static int refresh_index(struct db *db, int64_t version)
{
    pthread_mutex_lock(&build_lock);
    pthread_rwlock_rdlock(&index_lock);
    int fresh = index_now && index_version == version;
    pthread_rwlock_unlock(&index_lock);
    if (!fresh) {
        int64_t t0 = clock_mono_us();
        struct geo_index *g = build_index(db);
        if (g) {
            pthread_rwlock_wrlock(&index_lock);
            geo_index_free(index_now);
            index_now = g;
            index_version = version;
            pthread_rwlock_unlock(&index_lock);
            log_info("location index: %zu areas in %.0f ms", locate_index_size(g->idx),
                     (double)(clock_mono_us() - t0) / 1000.0);
        }
        fresh = g != NULL;
    }
    pthread_mutex_unlock(&build_lock);
    return fresh ? 0 : -1;
}

/* The geo_version this thread last read, and the database generation it was
 * read at: while the generation stands still the version cannot have moved,
 * so a lookup needs no query (and no transaction) at all. */
static _Thread_local struct db_generation seen_gen;
static _Thread_local int64_t seen_version = -1;

size_t boundary_locate_chain(struct db *db, double lng, double lat, int64_t *ids, size_t max)
{
    struct db_generation g = db_generation(db);
    int64_t version;
    if (seen_version >= 0 && db_generation_eq(g, seen_gen)) {
        version = seen_version;
    } else {
        version = geo_version(db);
        seen_gen = g;
        seen_version = version;
    }
    pthread_rwlock_rdlock(&index_lock);
    int fresh = index_now && index_version == version;
    pthread_rwlock_unlock(&index_lock);
    if (!fresh && refresh_index(db, version) < 0)
        return (size_t)-1;
    /* If another thread swapped in an even newer index meanwhile, use it. */
    pthread_rwlock_rdlock(&index_lock);
    size_t n = index_now ? locate_index_find(index_now->idx, lng, lat, ids, max) : 0;
    pthread_rwlock_unlock(&index_lock);
    return n;
}

int boundary_contains(struct db *db, int64_t area_id, double lng, double lat)
{
    int64_t ids[16];
    size_t n = boundary_locate_chain(db, lng, lat, ids, 16);
    if (n == (size_t)-1)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (ids[i] == area_id)
            return 1;
    return 0;
}

static void brief_copy(struct arena *a, struct area_brief *dst, const struct area_brief *src)
{
    dst->id = src->id;
    dst->code = arena_strdup(a, src->code);
    dst->name = arena_strdup(a, src->name);
    dst->level = arena_strdup(a, src->level);
    dst->path = arena_strdup(a, src->path);
    dst->level_name = arena_strdup(a, src->level_name);
}

size_t boundary_locate_brief(struct db *db, struct arena *a, double lng, double lat,
                             struct area_brief *out, size_t max)
{
    int64_t ids[16];
    size_t n = boundary_locate_chain(db, lng, lat, ids, 16);
    if (n == (size_t)-1 || n == 0)
        return n;
    size_t k = 0;
    pthread_rwlock_rdlock(&index_lock);
    const struct area_brief *deep = index_now ? brief_of(index_now, ids[n - 1]) : NULL;
    if (deep) {
        /* The located area's own ancestors, from its path, then itself. */
        for (const char *p = deep->path; *p == '/' && p[1] && k < max;) {
            char *end;
            long long id = strtoll(p + 1, &end, 10);
            const struct area_brief *b = brief_of(index_now, id);
            if (b)
                brief_copy(a, &out[k++], b);
            p = end;
        }
    }
    pthread_rwlock_unlock(&index_lock);
    return k;
}

int64_t boundary_locate(struct db *db, double lng, double lat)
{
    int64_t ids[16];
    size_t n = boundary_locate_chain(db, lng, lat, ids, 16);
    if (n == (size_t)-1)
        return -1;
    return n ? ids[n - 1] : 0;
}

int boundary_index_warm(struct db *db)
{
    return refresh_index(db, geo_version(db));
}

void boundary_index_free(void)
{
    pthread_rwlock_wrlock(&index_lock);
    geo_index_free(index_now);
    index_now = NULL;
    index_version = -1;
    pthread_rwlock_unlock(&index_lock);
    locate_thread_release();
}
