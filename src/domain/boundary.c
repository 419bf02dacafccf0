#include "boundary.h"

#include <pthread.h>
#include <string.h>

#include "store/db.h"
#include "util/log.h"
#include "util/xalloc.h"


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
    unsigned char *wkb = NULL;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx);
    if (w)
        wkb = GEOSWKBWriter_write_r(ctx, w, geom, &len);
    GEOSWKBWriter_destroy_r(ctx, w);
    double minx = 0, miny = 0, maxx = 0, maxy = 0, lx = 0, ly = 0;
    GEOSGeometry *label = GEOSPointOnSurface_r(ctx, geom);
    int ok = wkb && label && GEOSGeom_getXMin_r(ctx, geom, &minx) &&
             GEOSGeom_getYMin_r(ctx, geom, &miny) && GEOSGeom_getXMax_r(ctx, geom, &maxx) &&
             GEOSGeom_getYMax_r(ctx, geom, &maxy) && GEOSGeomGetX_r(ctx, label, &lx) &&
             GEOSGeomGetY_r(ctx, label, &ly);
    GEOSGeom_destroy_r(ctx, label);
    if (!ok) {
        GEOSFree_r(ctx, wkb);
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
    GEOSFree_r(ctx, wkb);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

static GEOSGeometry *from_wkb(GEOSContextHandle_t ctx, const void *blob, int len)
{
    if (!blob || len <= 0)
        return NULL;
    GEOSWKBReader *r = GEOSWKBReader_create_r(ctx);
    GEOSGeometry *g = r ? GEOSWKBReader_read_r(ctx, r, blob, (size_t)len) : NULL;
    GEOSWKBReader_destroy_r(ctx, r);
    return g;
}

GEOSGeometry *boundary_get(struct db *db, int64_t area_id)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT boundary FROM area WHERE id = ?");
    db_bind_int(st, 1, area_id);
    GEOSGeometry *g = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        g = from_wkb(boundary_geos(), sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
    sqlite3_reset(st);
    return g;
}
