/*
 * The demo county's railway: 漯阜铁路 runs west to east through 沈丘. The
 * course here is drawn, not surveyed: a gently winding west-east line, cut to
 * the county outline, registered like any line (cut by the micro-grids it
 * crosses). Deterministic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/demo.h"
#include "domain/boundary.h"
#include "domain/routeline.h"
#include "store/db.h"
#include "util/xalloc.h"

/* The longest line of g (a LineString or a collection of them), cloned. */
static GEOSGeometry *longest(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    int n = GEOSGetNumGeometries_r(ctx, g);
    const GEOSGeometry *best = NULL;
    double best_len = 0;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = n == 1 ? g : GEOSGetGeometryN_r(ctx, g, i);
        double len = line_length_m(ctx, p);
        if (GEOSGeomTypeId_r(ctx, p) == GEOS_LINESTRING && len > best_len) {
            best = p;
            best_len = len;
        }
    }
    return best ? GEOSGeom_clone_r(ctx, best) : NULL;
}

int demo_lines(struct db *db, int64_t county_id, int64_t now)
{
    GEOSContextHandle_t ctx = boundary_geos();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT boundary, min_lng, max_lng, min_lat, max_lat FROM area WHERE id = ?");
    db_bind_int(st, 1, county_id);
    GEOSGeometry *county = NULL, *course = NULL, *railway = NULL;
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        county = geo_from_wkb(ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        x0 = sqlite3_column_double(st, 1);
        x1 = sqlite3_column_double(st, 2);
        y0 = sqlite3_column_double(st, 3);
        y1 = sqlite3_column_double(st, 4);
    }
    sqlite3_reset(st);
    if (!county)
        return 0; /* a county without an outline: no railway */
    /* The winding course at each latitude of the county, in steps of 0.01°;
     * the one whose longest stretch inside the outline is longest wins. */
    size_t n = (size_t)((x1 - x0 + 0.2) / 0.01) + 2;
    double *xs = xmalloc(n * sizeof(*xs)), *ys = xmalloc(n * sizeof(*ys));
    double best = 0;
    for (double lat = y0; lat <= y1; lat += 0.01) {
        for (size_t i = 0; i < n; i++) {
            xs[i] = x0 - 0.1 + 0.01 * (double)i;
            ys[i] = lat + 0.004 * sin((xs[i] - x0) * 30.0);
        }
        GEOSCoordSequence *seq = GEOSCoordSeq_copyFromArrays_r(ctx, xs, ys, NULL, NULL, (unsigned)n);
        course = seq ? GEOSGeom_createLineString_r(ctx, seq) : NULL;
        GEOSGeometry *inside = course ? GEOSIntersection_r(ctx, course, county) : NULL;
        GEOSGeometry *piece = inside ? longest(ctx, inside) : NULL;
        double len = piece ? line_length_m(ctx, piece) : 0;
        if (len > best) {
            GEOSGeom_destroy_r(ctx, railway);
            railway = piece;
            best = len;
        } else {
            GEOSGeom_destroy_r(ctx, piece);
        }
        GEOSGeom_destroy_r(ctx, inside);
        GEOSGeom_destroy_r(ctx, course);
        course = NULL;
    }
    free(xs);
    free(ys);
    int rc = -1;
    struct err e = ERR_INIT;
    if (!railway)
        fputs("\npingan demo: railway: no course runs inside the county outline\n", stderr);
    else {
        struct arena a = ARENA_INIT;
        struct line_input in = {
            .name = "漯阜铁路（沈丘段）",
            .kind = "railway",
            .unit_name = "漯阜铁路沈丘站",
            .unit_contact = "站长",
            .jurisdiction = "沈丘县护路联防工作办公室",
            .security_lead = "县公安局治安大队",
            .hazard_level = "low",
            .hazard_notes = "沿线平交道口及村庄段需加强巡防",
            .geometry = geojson_geometry_to_json(ctx, railway, GEO_WGS84),
            .crs = GEO_WGS84,
        };
        int64_t id = line_create(db, &a, &in, "/", now, &e);
        json_decref(in.geometry);
        arena_release(&a);
        if (id > 0) {
            printf("demo railway: %s, %.1f km\n", in.name, line_length_m(ctx, railway) / 1000.0);
            rc = 0;
        } else {
            fprintf(stderr, "\npingan demo: railway: %s\n", e.message);
        }
    }
    GEOSGeom_destroy_r(ctx, railway);
    GEOSGeom_destroy_r(ctx, county);
    return rc;
}
