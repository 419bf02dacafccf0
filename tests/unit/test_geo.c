/* Unit tests of src/geo: GCJ-02, GeoJSON/WKB, the tiling check, point location. */
#include <math.h>
#include <pthread.h>

#include "unit.h"
#include "geo/gcj02.h"
#include "geo/geojson.h"
#include "geo/locate.h"
#include "geo/tiling.h"

#define PI      3.14159265358979323846
#define R_EARTH 6371008.8
/* Where the test shapes live: near 周口 (33.3°N), so areas mean something. */
#define X0 114.0
#define Y0 33.3

static GEOSContextHandle_t ctx;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx, r, s);
    GEOSWKTReader_destroy_r(ctx, r);
    return g;
}

/* An axis-aligned box in offsets (degrees) from (X0, Y0), with an extra
 * vertex in the middle of its bottom edge so that GEOS does not take its
 * rectangle short-cuts and the real point-in-polygon code is exercised. */
static GEOSGeometry *box(double x0, double y0, double x1, double y1)
{
    char s[512];
    double a = X0 + x0, b = Y0 + y0, c = X0 + x1, d = Y0 + y1;
    snprintf(s, sizeof(s),
             "POLYGON((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g))",
             a, b, (a + c) / 2, b, c, b, c, d, a, d, a, b);
    return wkt(s);
}

/* ---- gcj02 ---- */

static void test_gcj02(void)
{
    double gl, gb, wl, wb;
    gcj02_from_wgs84(116.397, 39.908, &gl, &gb);
    CHECK(fabs(gl - 116.4032) < 1e-3 && fabs(gb - 39.9094) < 1e-3);
    /* The offset is a few hundred metres, never zero inside China. */
    CHECK(fabs(gl - 116.397) > 1e-3 && fabs(gb - 39.908) > 1e-4);

    double worst = 0;
    for (double lng = 73.0; lng <= 135.0; lng += 1.7)
        for (double lat = 4.0; lat <= 53.5; lat += 1.3) {
            gcj02_from_wgs84(lng, lat, &gl, &gb);
            gcj02_to_wgs84(gl, gb, &wl, &wb);
            double err = fmax(fabs(wl - lng), fabs(wb - lat));
            if (err > worst)
                worst = err;
        }
    CHECK(worst < 1e-6);
    CHECK(worst < 1e-7); /* what the iteration promises */

    /* Outside China nothing moves, both ways. */
    gcj02_from_wgs84(2.35, 48.85, &gl, &gb);
    CHECK(gl == 2.35 && gb == 48.85);
    gcj02_to_wgs84(-74.0, 40.7, &wl, &wb);
    CHECK(wl == -74.0 && wb == 40.7);
    CHECK(gcj02_in_china(114.6, 33.6) && !gcj02_in_china(139.7, 35.7));
    /* In-place conversion. */
    double x = 114.6, y = 33.6;
    gcj02_from_wgs84(x, y, &x, &y);
    gcj02_to_wgs84(x, y, &x, &y);
    CHECK(fabs(x - 114.6) < 1e-7 && fabs(y - 33.6) < 1e-7);
}

/* ---- GeoJSON ---- */

#define SQ "[[114.0,33.3],[114.01,33.3],[114.01,33.31],[114.0,33.31],[114.0,33.3]]"

static void expect_error(const char *text, const char *code, const char *field)
{
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct geojson_features fs = GEOJSON_FEATURES_INIT;
    int rc = geojson_features_from_text(ctx, text, strlen(text), GEO_WGS84, &a, &fs, &e);
    CHECK(rc == -1);
    CHECK(fs.n == 0 && fs.items == NULL);
    CHECK(e.kind == ERR_INVALID);
    CHECK_STR(e.code, code);
    if (field)
        CHECK_STR(e.field, field);
    else
        CHECK(e.field == NULL);
    CHECK(e.message[0] != '\0');
    if (rc == 0)
        geojson_features_release(ctx, &fs);
    arena_release(&a);
}

static void test_geojson_read(void)
{
    const char *ok =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"411624\",\"name\":\"沈丘县\","
        "\"level\":\"county\",\"parent\":null},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" SQ ","
        "[[114.002,33.302,5],[114.002,33.304,5],[114.004,33.304,5],[114.004,33.302,5],"
        "[114.002,33.302,5]]]}},"
        "{\"type\":\"Feature\",\"id\":7,\"properties\":{\"code\":\"411624100\",\"name\":\"槐店\","
        "\"parent\":\"411624\",\"extra\":1},"
        "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQ "],"
        "[[[114.02,33.3],[114.03,33.3],[114.03,33.31],[114.02,33.3]]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"411624101\",\"name\":\"未绘制\"},"
        "\"geometry\":null}]}";
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    struct geojson_features fs = GEOJSON_FEATURES_INIT;
    CHECK(geojson_features_from_text(ctx, ok, strlen(ok), GEO_WGS84, &a, &fs, &e) == 0);
    CHECK(fs.n == 3);
    if (fs.n == 3) {
        CHECK_STR(fs.items[0].code, "411624");
        CHECK_STR(fs.items[0].name, "沈丘县");
        CHECK_STR(fs.items[0].level, "county");
        CHECK(fs.items[0].parent == NULL);
        CHECK(GEOSGeomTypeId_r(ctx, fs.items[0].geom) == GEOS_POLYGON);
        CHECK(GEOSGetNumInteriorRings_r(ctx, fs.items[0].geom) == 1);
        CHECK(fs.items[1].level == NULL);
        CHECK_STR(fs.items[1].parent, "411624");
        CHECK(GEOSGeomTypeId_r(ctx, fs.items[1].geom) == GEOS_MULTIPOLYGON);
        CHECK(GEOSGetNumGeometries_r(ctx, fs.items[1].geom) == 2);
        CHECK(fs.items[2].geom == NULL);
        /* The third value (height) is dropped: geometries are 2-D. */
        CHECK(GEOSHasZ_r(ctx, fs.items[0].geom) == 0);
    }
    geojson_features_release(ctx, &fs);
    CHECK(fs.n == 0);
    arena_release(&a);

#define FC(props, geom)                                                                            \
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":" props    \
    ",\"geometry\":" geom "}]}"
#define P1      "{\"code\":\"g1\",\"name\":\"一网格\"}"
#define POLY(c) "{\"type\":\"Polygon\",\"coordinates\":" c "}"

    expect_error(FC(P1, POLY("[[[114,33],[115,33],[115,34],[114,34],[114.5,34]]]")),
                 "ring_not_closed", "features[0].geometry.coordinates[0]");
    expect_error(FC(P1, POLY("[[[114,33],[115,33],[114,33]]]")), "ring_too_short",
                 "features[0].geometry.coordinates[0]");
    expect_error(FC(P1, POLY("[[[114,33],[115,33],[\"115\",34],[114,33]]]")), "invalid_coordinate",
                 "features[0].geometry.coordinates[0][2]");
    expect_error(FC(P1, POLY("[[[114,33],[115,33],[115],[114,33]]]")), "invalid_coordinate",
                 "features[0].geometry.coordinates[0][2]");
    expect_error(FC(P1, POLY("[[[114,33],[115,33,1,2],[115,34],[114,33]]]")), "invalid_coordinate",
                 "features[0].geometry.coordinates[0][1]");
    expect_error(FC(P1, POLY("[[[114,33],[115,33],[115,34],[114,33]],[[1,2],7]]")),
                 "ring_too_short", "features[0].geometry.coordinates[1]");
    expect_error(FC(P1, POLY("[[[114,33],[181,33],[115,34],[114,33]]]")), "coordinate_out_of_range",
                 "features[0].geometry.coordinates[0][1]");
    expect_error(FC(P1, POLY("[[[114,33],[115,-90.5],[115,34],[114,33]]]")),
                 "coordinate_out_of_range", "features[0].geometry.coordinates[0][1]");
    expect_error(FC(P1, POLY("[]")), "empty_geometry", "features[0].geometry.coordinates");
    expect_error(FC(P1, POLY("{}")), "invalid_type", "features[0].geometry.coordinates");
    expect_error(FC(P1, "{\"type\":\"Polygon\"}"), "missing_field",
                 "features[0].geometry.coordinates");
    expect_error(FC(P1, "{\"type\":\"Point\",\"coordinates\":[114,33]}"), "unsupported_geometry",
                 "features[0].geometry.type");
    expect_error(FC(P1, "\"Polygon\""), "invalid_type", "features[0].geometry");
    expect_error(FC("{\"name\":\"无编码\"}", POLY("[" SQ "]")), "missing_field",
                 "features[0].properties.code");
    expect_error(FC("{\"code\":411624,\"name\":\"数字\"}", POLY("[" SQ "]")), "invalid_type",
                 "features[0].properties.code");
    expect_error(FC("{\"code\":\"g1\"}", POLY("[" SQ "]")), "missing_field",
                 "features[0].properties.name");
    expect_error(FC("{\"code\":\"g1\",\"name\":\"  \"}", POLY("[" SQ "]")), "empty_field",
                 "features[0].properties.name");
    expect_error(FC("[]", POLY("[" SQ "]")), "invalid_type", "features[0].properties");
    expect_error(FC(P1, POLY("[" SQ "]")) "x", "invalid_json", NULL);
    expect_error("{\"type\":\"Feature\"}", "not_feature_collection", "type");
    expect_error("{\"type\":\"FeatureCollection\"}", "missing_field", "features");
    expect_error("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Point\"}]}",
                 "not_feature", "features[0].type");
    /* MultiPolygon paths carry one index more. */
    expect_error(FC(P1, "{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQ "],[" SQ
                        ",[[114,33],[114,34],[115,34],[114,33],[true,1]]]]}"),
                 "invalid_coordinate", "features[0].geometry.coordinates[1][1][4]");
    /* Duplicate codes: the later feature is named, however far apart. */
    expect_error(
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"b\",\"name\":\"乙\"},\"geometry\":null},"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"a\",\"name\":\"甲\"},\"geometry\":null},"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"b\",\"name\":\"丙\"},\"geometry\":null}]"
        "}",
        "duplicate_code", "features[2].properties.code");
    /* Duplicate keys in one object are refused rather than guessed. */
    expect_error("{\"type\":\"FeatureCollection\",\"type\":\"x\",\"features\":[]}", "invalid_json",
                 NULL);

    /* An empty collection is fine. */
    struct arena a2 = ARENA_INIT;
    struct err e2 = ERR_INIT;
    const char *empty = "{\"type\":\"FeatureCollection\",\"features\":[]}";
    CHECK(geojson_features_from_text(ctx, empty, strlen(empty), GEO_WGS84, &a2, &fs, &e2) == 0);
    CHECK(fs.n == 0);
    arena_release(&a2);

    /* The one-geometry reader names the path it was given. */
    json_t *j = json_loads(POLY("[[[1,2],[3,4],[5,6]]]"), 0, NULL);
    struct err e3 = ERR_INIT;
    struct arena a3 = ARENA_INIT;
    CHECK(geojson_geometry_from_json(ctx, j, GEO_WGS84, "boundary", &a3, &e3) == NULL);
    CHECK_STR(e3.code, "ring_too_short");
    CHECK_STR(e3.field, "boundary.coordinates[0]");
    json_decref(j);
    arena_release(&a3);
}

static void test_geojson_write(void)
{
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    json_t *j = json_loads(POLY("[[[114.123456789,33.3],[114.2,33.3],[114.2,33.4],"
                                "[114.123456789,33.3]]]"),
                           0, NULL);
    GEOSGeometry *g = geojson_geometry_from_json(ctx, j, GEO_WGS84, "geometry", &a, &e);
    json_decref(j);
    CHECK(g != NULL);
    json_t *out = geojson_geometry_to_json(ctx, g, GEO_WGS84);
    char *s = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(15));
    CHECK_STR(s, "{\"type\":\"Polygon\",\"coordinates\":[[[114.1234568,33.3],[114.2,33.3],"
                 "[114.2,33.4],[114.1234568,33.3]]]}");
    free(s);
    json_decref(out);

    /* WKB round trip is exact; garbage is refused. */
    size_t len = 0;
    unsigned char *wkb = geo_to_wkb(ctx, g, &len);
    CHECK(wkb != NULL && len > 0 && wkb[0] == 1); /* little-endian */
    GEOSGeometry *back = geo_from_wkb(ctx, wkb, len);
    CHECK(back && GEOSEqualsExact_r(ctx, g, back, 0.0) == 1);
    CHECK(geo_from_wkb(ctx, wkb, len / 2) == NULL);
    unsigned char junk[] = {1, 99, 0, 0, 0, 1, 2, 3};
    CHECK(geo_from_wkb(ctx, junk, sizeof(junk)) == NULL);
    CHECK(geo_from_wkb(ctx, NULL, 0) == NULL);
    free(wkb);
    GEOSGeom_destroy_r(ctx, back);
    GEOSGeom_destroy_r(ctx, g);

    /* GCJ-02 in: stored as WGS-84; GCJ-02 out: what came in (to 7 decimals). */
    const char *gcj = POLY("[[[114.65,33.62],[114.66,33.62],[114.66,33.63],[114.65,33.62]]]");
    j = json_loads(gcj, 0, NULL);
    g = geojson_geometry_from_json(ctx, j, GEO_GCJ02, "geometry", &a, &e);
    json_decref(j);
    CHECK(g != NULL);
    const GEOSGeometry *ring = GEOSGetExteriorRing_r(ctx, g);
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, ring);
    double x, y, wl, wb;
    GEOSCoordSeq_getXY_r(ctx, seq, 0, &x, &y);
    gcj02_to_wgs84(114.65, 33.62, &wl, &wb);
    CHECK(x == wl && y == wb);
    CHECK(fabs(x - 114.65) > 1e-3); /* it did move */
    out = geojson_geometry_to_json(ctx, g, GEO_GCJ02);
    s = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(15));
    /* The corners come back as they went in; the edges were cut into ~50 m
     * pieces (DENSIFY_STEP) so that neighbours stay together through the
     * non-linear conversion: 20 + 21 + 21 pieces and the closing point. */
    CHECK(strncmp(s, "{\"type\":\"Polygon\",\"coordinates\":[[[114.65,33.62],", 47) == 0);
    CHECK(strstr(s, "[114.66,33.62]") != NULL && strstr(s, "[114.66,33.63]") != NULL);
    CHECK(strstr(s, "[114.65,33.62]]]}") != NULL);
    CHECK(json_array_size(json_array_get(json_object_get(out, "coordinates"), 0)) == 63);
    free(s);
    json_decref(out);
    GEOSGeom_destroy_r(ctx, g);

    /* Other types come out too (a gap can be a GeometryCollection). */
    g = wkt("GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1),MULTIPOLYGON(((0 0,1 0,1 1,0 0))))");
    out = geojson_geometry_to_json(ctx, g, GEO_WGS84);
    s = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(15));
    CHECK_STR(s, "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\","
                 "\"coordinates\":[1.0,2.0]},{\"type\":\"LineString\",\"coordinates\":[[0.0,0.0],"
                 "[1.0,1.0]]},{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0.0,0.0],[1.0,0.0],"
                 "[1.0,1.0],[0.0,0.0]]]]}]}");
    free(s);
    json_decref(out);
    GEOSGeom_destroy_r(ctx, g);
    arena_release(&a);
}

/* ---- tiling ---- */

static void test_area(void)
{
    GEOSGeometry *g = box(0, 0, 0.01, 0.01);
    double got = tiling_area_m2(ctx, g);
    double d = 0.01 * PI / 180.0;
    double phi0 = (Y0 + 0.005) * PI / 180.0;
    double formula = (R_EARTH * d) * (R_EARTH * d) * cos(phi0);
    double sphere = R_EARTH * R_EARTH * d * (sin((Y0 + 0.01) * PI / 180.0) - sin(Y0 * PI / 180.0));
    CHECK(fabs(got - formula) / formula < 0.01);
    CHECK(fabs(got - sphere) / sphere < 0.01);
    CHECK(fabs(got - sphere) / sphere < 1e-6); /* in fact far better than 1 % */
    CHECK(fabs(got - 1033000.0) / 1033000.0 < 0.01);
    GEOSGeom_destroy_r(ctx, g);
    /* Lines and points have no area; collections add up their parts. */
    g = wkt("GEOMETRYCOLLECTION(LINESTRING(114 33,115 34),POINT(114 33))");
    CHECK(tiling_area_m2(ctx, g) == 0.0);
    GEOSGeom_destroy_r(ctx, g);
    /* A 1° block at the equator vs the sphere formula. */
    g = wkt("POLYGON((100 0,101 0,101 1,100 1,100 0))");
    double s1 = R_EARTH * R_EARTH * (PI / 180.0) * sin(PI / 180.0);
    CHECK(fabs(tiling_area_m2(ctx, g) - s1) / s1 < 1e-4);
    GEOSGeom_destroy_r(ctx, g);
}

struct fixture {
    struct tiling_node n[8];
    GEOSGeometry *g[8];
    size_t count;
};

static void fx_add(struct fixture *f, const char *code, const char *parent, GEOSGeometry *g)
{
    f->g[f->count] = g;
    f->n[f->count] = (struct tiling_node){code, parent, g};
    f->count++;
}

static void fx_free(struct fixture *f)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->g[i])
            GEOSGeom_destroy_r(ctx, f->g[i]);
    f->count = 0;
}

/* Runs the check; returns the number of violations and leaves them in v. */
static size_t run(struct fixture *f, struct tiling_violations *v)
{
    struct err e = ERR_INIT;
    CHECK(tiling_check(ctx, f->n, f->count, NULL, v, &e) == 0);
    return v->n;
}

/* The 2×2 tiling of P = [0, 0.02]², with child k replaced by g if given. */
static void two_by_two(struct fixture *f, int skip, GEOSGeometry *replace, int which)
{
    static const char *codes[] = {"P-1", "P-2", "P-3", "P-4"};
    static const double at[4][2] = {{0, 0}, {0.01, 0}, {0, 0.01}, {0.01, 0.01}};
    f->count = 0;
    fx_add(f, "P", NULL, box(0, 0, 0.02, 0.02));
    for (int k = 0; k < 4; k++) {
        if (k == skip)
            continue;
        GEOSGeometry *g = k == which && replace
                              ? replace
                              : box(at[k][0], at[k][1], at[k][0] + 0.01, at[k][1] + 0.01);
        fx_add(f, codes[k], "P", g);
    }
}

static void test_tiling(void)
{
    struct fixture f;
    struct tiling_violations v = TILING_VIOLATIONS_INIT;
    double cell = 0;
    {
        GEOSGeometry *g = box(0, 0, 0.01, 0.01);
        cell = tiling_area_m2(ctx, g);
        GEOSGeom_destroy_r(ctx, g);
    }

    /* A correct tiling. */
    two_by_two(&f, -1, NULL, -1);
    CHECK(run(&f, &v) == 0);
    fx_free(&f);

    /* A gap: one cell missing. */
    two_by_two(&f, 3, NULL, -1);
    CHECK(run(&f, &v) == 1);
    if (v.n == 1) {
        CHECK_STR(v.v[0].kind, "gap_in_parent");
        CHECK_STR(v.v[0].codes[0], "P");
        CHECK(v.v[0].codes[1] == NULL);
        CHECK(fabs(v.v[0].area_m2 - cell) / cell < 0.01);
        CHECK(v.v[0].where != NULL);
    }
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    /* An overlap: P-2 reaches 0.001° into P-1. */
    two_by_two(&f, -1, box(0.009, 0, 0.02, 0.01), 1);
    CHECK(run(&f, &v) == 1);
    if (v.n == 1) {
        CHECK_STR(v.v[0].kind, "siblings_overlap");
        CHECK_STR(v.v[0].codes[0], "P-1");
        CHECK_STR(v.v[0].codes[1], "P-2");
        CHECK(fabs(v.v[0].area_m2 - cell / 10) / (cell / 10) < 0.01);
    }
    /* The JSON form. */
    json_t *j = tiling_violations_to_json(ctx, &v, 1);
    CHECK(json_array_size(j) == 1);
    json_t *o = json_array_get(j, 0);
    CHECK_STR(json_string_value(json_object_get(o, "kind")), "siblings_overlap");
    CHECK(json_array_size(json_object_get(o, "codes")) == 2);
    CHECK_STR(json_string_value(json_array_get(json_object_get(o, "codes"), 1)), "P-2");
    CHECK(fabs(json_real_value(json_object_get(o, "area_m2")) - v.v[0].area_m2) < 0.01);
    CHECK(strstr(json_string_value(json_object_get(o, "message")), "重叠") != NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(o, "geometry"), "type")),
              "Polygon");
    json_decref(j);
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    /* A child outside its parent: P-4 sticks out 0.001° to the east. */
    two_by_two(&f, -1, box(0.01, 0.01, 0.021, 0.02), 3);
    CHECK(run(&f, &v) == 1);
    if (v.n == 1) {
        CHECK_STR(v.v[0].kind, "child_outside_parent");
        CHECK_STR(v.v[0].codes[0], "P-4");
        CHECK_STR(v.v[0].codes[1], "P");
        CHECK(fabs(v.v[0].area_m2 - cell / 10) / (cell / 10) < 0.01);
    }
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    /* A bow-tie (self-intersecting ring) in place of P-1. */
    char bow[256];
    snprintf(bow, sizeof(bow),
             "POLYGON((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g))", X0, Y0,
             X0 + 0.01, Y0 + 0.01, X0 + 0.01, Y0, X0, Y0 + 0.01, X0, Y0);
    two_by_two(&f, -1, wkt(bow), 0);
    CHECK(run(&f, &v) == 1); /* no gap reported on top: the invalid child is the news */
    if (v.n == 1) {
        CHECK_STR(v.v[0].kind, "invalid_geometry");
        CHECK_STR(v.v[0].codes[0], "P-1");
        CHECK(v.v[0].reason && strstr(v.v[0].reason, "Self-intersection") != NULL);
    }
    j = tiling_violations_to_json(ctx, &v, 0);
    CHECK(json_object_get(json_array_get(j, 0), "geometry") == NULL);
    CHECK(strstr(json_string_value(json_object_get(json_array_get(j, 0), "reason")),
                 "Self-intersection") != NULL);
    json_decref(j);
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    /* Slivers below the tolerance are not reported: P-2 overlaps P-1 by
     * 1e-9° (~0.1 mm wide, ~0.1 m²); a stricter tolerance sees it. */
    two_by_two(&f, -1, box(0.01 - 1e-9, 0, 0.02, 0.01), 1);
    CHECK(run(&f, &v) == 0);
    struct tiling_opts strict = {0.001, 0.001, 0.001};
    struct err e = ERR_INIT;
    CHECK(tiling_check(ctx, f.n, f.count, &strict, &v, &e) == 0);
    CHECK(v.n == 1 && strcmp(v.v[0].kind, "siblings_overlap") == 0);
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    /* A MultiPolygon parent with a hole: children around the hole are
     * a perfect tiling; a child filling the hole is outside its parent. */
    char mp[1024];
    double a = X0, b = Y0;
    snprintf(mp, sizeof(mp),
             "MULTIPOLYGON(((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g),"
             "(%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g)),"
             "((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g)))",
             a, b, a + 0.03, b, a + 0.03, b + 0.03, a, b + 0.03, a, b, /* shell */
             a + 0.01, b + 0.01, a + 0.01, b + 0.02, a + 0.02, b + 0.02, a + 0.02, b + 0.01,
             a + 0.01, b + 0.01, /* hole */
             a + 0.04, b, a + 0.05, b, a + 0.05, b + 0.01, a + 0.04, b + 0.01, a + 0.04,
             b); /* island */
    f.count = 0;
    fx_add(&f, "M", NULL, wkt(mp));
    fx_add(&f, "M-s", "M", box(0, 0, 0.03, 0.01));
    fx_add(&f, "M-n", "M", box(0, 0.02, 0.03, 0.03));
    fx_add(&f, "M-w", "M", box(0, 0.01, 0.01, 0.02));
    fx_add(&f, "M-e", "M", box(0.02, 0.01, 0.03, 0.02));
    fx_add(&f, "M-i", "M", box(0.04, 0, 0.05, 0.01));
    CHECK(f.g[0] != NULL);
    CHECK(run(&f, &v) == 0);
    fx_add(&f, "M-h", "M", box(0.01, 0.01, 0.02, 0.02));
    CHECK(run(&f, &v) == 1);
    if (v.n == 1) {
        CHECK_STR(v.v[0].kind, "child_outside_parent");
        CHECK_STR(v.v[0].codes[0], "M-h");
        CHECK_STR(v.v[0].codes[1], "M");
        CHECK(fabs(v.v[0].area_m2 - cell) / cell < 0.01);
    }
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    /* A missing parent; a parent without boundary gets no gap check; a
     * duplicate code. */
    f.count = 0;
    fx_add(&f, "Q", NULL, NULL);
    fx_add(&f, "Q-1", "Q", box(0, 0, 0.01, 0.01));
    fx_add(&f, "Z-1", "Z", box(0.05, 0, 0.06, 0.01));
    fx_add(&f, "Q-1", "Q", box(0.02, 0, 0.03, 0.01));
    CHECK(run(&f, &v) == 2);
    if (v.n == 2) {
        CHECK_STR(v.v[0].kind, "duplicate_code");
        CHECK_STR(v.v[0].codes[0], "Q-1");
        CHECK_STR(v.v[1].kind, "missing_parent");
        CHECK_STR(v.v[1].codes[0], "Z-1");
        CHECK_STR(v.v[1].codes[1], "Z");
    }
    j = tiling_violations_to_json(ctx, &v, 1);
    CHECK(json_is_null(json_object_get(json_array_get(j, 1), "geometry")));
    CHECK(strstr(json_string_value(json_object_get(json_array_get(j, 1), "message")), "Z") != NULL);
    json_decref(j);
    tiling_violations_release(ctx, &v);
    fx_free(&f);

    CHECK(tiling_check(ctx, NULL, 0, NULL, &v, &e) == 0 && v.n == 0);
}

/* Many siblings: a 60×60 grid of cells (3600) plus one rogue overlapping
 * four of them, checked through the STRtree. */
static void test_tiling_many(void)
{
    enum { N = 60 };
    size_t count = N * N + 2;
    struct tiling_node *n = calloc(count, sizeof(*n));
    GEOSGeometry **g = calloc(count, sizeof(*g));
    char(*codes)[16] = calloc(count, sizeof(*codes));
    double s = 0.001;
    g[0] = box(0, 0, N * s, N * s);
    n[0] = (struct tiling_node){"root", NULL, g[0]};
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            size_t at = 1 + (size_t)i * N + (size_t)k;
            snprintf(codes[at], sizeof(codes[at]), "c%04zu", at);
            g[at] = box(i * s, k * s, (i + 1) * s, (k + 1) * s);
            n[at] = (struct tiling_node){codes[at], "root", g[at]};
        }
    g[count - 1] = box(10.5 * s, 10.5 * s, 11.5 * s, 11.5 * s);
    n[count - 1] = (struct tiling_node){"rogue", "root", g[count - 1]};
    struct tiling_violations v = TILING_VIOLATIONS_INIT;
    struct err e = ERR_INIT;
    CHECK(tiling_check(ctx, n, count, NULL, &v, &e) == 0);
    CHECK(v.n == 4);
    for (size_t i = 0; i < v.n; i++) {
        CHECK_STR(v.v[i].kind, "siblings_overlap");
        CHECK_STR(v.v[i].codes[1], "rogue");
    }
    tiling_violations_release(ctx, &v);
    for (size_t i = 0; i < count; i++)
        GEOSGeom_destroy_r(ctx, g[i]);
    free(n);
    free(g);
    free(codes);
}

/* ---- locate ---- */

/* County C = [0,0.04]×[0,0.02]; townships T1 (west), T2 (east); grids
 * G11..G14 (2×2 in T1), G21, G22 (two strips in T2). */
static struct locate_index *build_chain(void)
{
    struct {
        int64_t id, parent;
        const char *code;
        int depth;
        double x0, y0, x1, y1;
    } a[] = {
        {1, 0, "C", 0, 0, 0, 0.04, 0.02},
        {2, 1, "C-T1", 1, 0, 0, 0.02, 0.02},
        {3, 1, "C-T2", 1, 0.02, 0, 0.04, 0.02},
        {11, 2, "C-T1-1", 2, 0, 0, 0.01, 0.01},
        {12, 2, "C-T1-2", 2, 0.01, 0, 0.02, 0.01},
        {13, 2, "C-T1-3", 2, 0, 0.01, 0.01, 0.02},
        {14, 2, "C-T1-4", 2, 0.01, 0.01, 0.02, 0.02},
        /* Codes chosen to sort before T1's grids: the parent rule must win. */
        {21, 3, "C-A-1", 2, 0.02, 0, 0.03, 0.02},
        {22, 3, "C-A-2", 2, 0.03, 0, 0.04, 0.02},
    };
    enum { N = sizeof(a) / sizeof(a[0]) };
    struct locate_item items[N + 1];
    for (size_t i = 0; i < N; i++)
        items[i] = (struct locate_item){a[i].id, a[i].parent, a[i].code, a[i].depth,
                                        box(a[i].x0, a[i].y0, a[i].x1, a[i].y1)};
    items[N] = (struct locate_item){99, 0, "nogeom", 3, NULL}; /* skipped */
    struct err e = ERR_INIT;
    struct locate_index *idx = locate_index_build(items, N + 1, &e);
    for (size_t i = 0; i < N; i++)
        GEOSGeom_destroy_r(ctx, (GEOSGeometry *)items[i].geom);
    return idx;
}

static int chain_is(const int64_t *got, size_t n, int64_t a, int64_t b, int64_t c)
{
    return n == 3 && got[0] == a && got[1] == b && got[2] == c;
}

static void test_locate(void)
{
    struct locate_index *idx = build_chain();
    CHECK(idx != NULL);
    if (!idx)
        return;
    CHECK(locate_index_size(idx) == 9);
    int64_t out[8];
    size_t n;

    /* Inside: the whole chain, county first, grid last. */
    n = locate_index_find(idx, X0 + 0.015, Y0 + 0.015, out, 8);
    CHECK(chain_is(out, n, 1, 2, 14));
    /* On the shared edge of C-T1-1 and C-T1-2: the smaller code, every time. */
    int same = 1;
    for (int i = 0; i < 200; i++) {
        n = locate_index_find(idx, X0 + 0.01, Y0 + 0.005, out, 8);
        same &= chain_is(out, n, 1, 2, 11);
    }
    CHECK(same);
    /* On the corner of four grids: the smallest code of the four. */
    n = locate_index_find(idx, X0 + 0.01, Y0 + 0.01, out, 8);
    CHECK(chain_is(out, n, 1, 2, 11));
    /* On the T1/T2 border: T1 (smaller code), then T1's grid even though
     * T2's grid C-A-1 has the smaller code - the chain stays consistent. */
    n = locate_index_find(idx, X0 + 0.02, Y0 + 0.005, out, 8);
    CHECK(chain_is(out, n, 1, 2, 12));
    /* Inside T2. */
    n = locate_index_find(idx, X0 + 0.035, Y0 + 0.001, out, 8);
    CHECK(chain_is(out, n, 1, 3, 22));
    /* On the county's outer edge: still inside (covers counts the boundary). */
    n = locate_index_find(idx, X0, Y0 + 0.003, out, 8);
    CHECK(chain_is(out, n, 1, 2, 11));
    /* Outside, and nonsense. */
    CHECK(locate_index_find(idx, X0 - 0.001, Y0 + 0.005, out, 8) == 0);
    CHECK(locate_index_find(idx, X0 + 0.05, Y0 + 0.005, out, 8) == 0);
    CHECK(locate_index_find(idx, NAN, Y0, out, 8) == 0);
    CHECK(locate_index_find(idx, 200.0, Y0, out, 8) == 0);
    /* A short buffer keeps the deepest levels. */
    n = locate_index_find(idx, X0 + 0.015, Y0 + 0.015, out, 1);
    CHECK(n == 1 && out[0] == 14);
    n = locate_index_find(idx, X0 + 0.015, Y0 + 0.015, out, 2);
    CHECK(n == 2 && out[0] == 2 && out[1] == 14);
    locate_index_free(idx);

    /* Bad input is refused with the area's code. */
    GEOSGeometry *line = wkt("LINESTRING(114 33,115 34)");
    struct locate_item bad = {5, 0, "L", 0, line};
    struct err e = ERR_INIT;
    CHECK(locate_index_build(&bad, 1, &e) == NULL);
    CHECK_STR(e.code, "invalid_geometry");
    CHECK_STR(e.field, "L");
    GEOSGeom_destroy_r(ctx, line);
    /* An empty index finds nothing. */
    struct err e2 = ERR_INIT;
    idx = locate_index_build(NULL, 0, &e2);
    CHECK(idx != NULL && locate_index_find(idx, X0, Y0, out, 8) == 0);
    locate_index_free(idx);
    locate_index_free(NULL);
}

struct worker {
    const struct locate_index *idx;
    int bad;
};

static void *locate_worker(void *arg)
{
    struct worker *w = arg;
    int64_t out[8];
    for (int i = 0; i < 3000; i++) {
        /* half-steps: never within 5e-5° of an edge */
        double x = X0 + 0.00005 + (i % 397) * 0.0001, y = Y0 + 0.00005 + (i % 193) * 0.0001;
        size_t n = locate_index_find(w->idx, x, y, out, 8);
        int64_t want = x < X0 + 0.01   ? (y < Y0 + 0.01 ? 11 : 13)
                       : x < X0 + 0.02 ? (y < Y0 + 0.01 ? 12 : 14)
                       : x < X0 + 0.03 ? 21
                                       : 22;
        if (n != 3 || out[2] != want)
            w->bad++;
        /* and the tie, from every thread */
        n = locate_index_find(w->idx, X0 + 0.01, Y0 + 0.01, out, 8);
        if (!chain_is(out, n, 1, 2, 11))
            w->bad++;
    }
    locate_thread_release();
    return NULL;
}

static void test_locate_threads(void)
{
    struct locate_index *idx = build_chain();
    enum { T = 8 };
    pthread_t th[T];
    struct worker w[T];
    for (int i = 0; i < T; i++) {
        w[i] = (struct worker){idx, 0};
        CHECK(pthread_create(&th[i], NULL, locate_worker, &w[i]) == 0);
    }
    int bad = 0;
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        bad += w[i].bad;
    }
    CHECK(bad == 0);
    locate_index_free(idx);
}

static void setup(void)
{
    ctx = GEOS_init_r();
}

static void teardown(void)
{
    locate_thread_release();
    GEOS_finish_r(ctx);
}

UNIT_MAIN(setup, test_gcj02, test_geojson_read, test_geojson_write, test_area, test_tiling,
          test_tiling_many, test_locate, test_locate_threads, teardown)
