/* Unit tests of the demo partitioner: n cells that tile their parent, in a
 * fixed order, the same every time. */
#include <math.h>

#include "geo/partition.h"
#include "geo/tiling.h"
#include "unit.h"

static GEOSGeometry *wkt(GEOSContextHandle_t ctx, const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(ctx);
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx, r, s);
    GEOSWKTReader_destroy_r(ctx, r);
    return g;
}

static void split_and_check(GEOSContextHandle_t ctx, const char *shape, int n)
{
    GEOSGeometry *parent = wkt(ctx, shape);
    GEOSGeometry *cells[64], *again[64];
    uint64_t rng = 42, rng2 = 42;
    int k = partition_split(ctx, parent, n, &rng, cells);
    int k2 = partition_split(ctx, parent, n, &rng2, again);
    CHECK(k == n && k2 == n);
    struct tiling_node nodes[65];
    char codes[65][16];
    snprintf(codes[0], sizeof(codes[0]), "P");
    nodes[0] = (struct tiling_node){codes[0], NULL, parent};
    double total = 0;
    for (int i = 0; i < k; i++) {
        snprintf(codes[i + 1], sizeof(codes[i + 1]), "C%02d", i);
        nodes[i + 1] = (struct tiling_node){codes[i + 1], "P", cells[i]};
        CHECK(GEOSEquals_r(ctx, cells[i], again[i]) == 1); /* deterministic, same order */
        double ar;
        GEOSArea_r(ctx, cells[i], &ar);
        total += ar;
        int t = GEOSGeomTypeId_r(ctx, cells[i]);
        CHECK(t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON);
    }
    struct tiling_violations v = TILING_VIOLATIONS_INIT;
    struct tiling_opts opts = TILING_OPTS_DEFAULT;
    struct err e = ERR_INIT;
    CHECK(tiling_check(ctx, nodes, (size_t)k + 1, &opts, &v, &e) == 0);
    CHECK(v.n == 0); /* the cells tile the parent: no gap, no overlap, none outside */
    tiling_violations_release(ctx, &v);
    double pa;
    GEOSArea_r(ctx, parent, &pa);
    CHECK(fabs(total - pa) < pa * 1e-9);
    /* Numbered in rows from the north: the first cell lies north of the last. */
    GEOSGeometry *c0 = GEOSPointOnSurface_r(ctx, cells[0]), *cl = GEOSPointOnSurface_r(ctx, cells[k - 1]);
    double y0, yl;
    GEOSGeomGetY_r(ctx, c0, &y0);
    GEOSGeomGetY_r(ctx, cl, &yl);
    CHECK(y0 > yl);
    GEOSGeom_destroy_r(ctx, c0);
    GEOSGeom_destroy_r(ctx, cl);
    for (int i = 0; i < k; i++) {
        GEOSGeom_destroy_r(ctx, cells[i]);
        GEOSGeom_destroy_r(ctx, again[i]);
    }
    GEOSGeom_destroy_r(ctx, parent);
}

static void test_partition(void)
{
    GEOSContextHandle_t ctx = GEOS_init_r();
    split_and_check(ctx, "POLYGON((115 33, 115.1 33, 115.1 33.1, 115 33.1, 115 33))", 7);
    /* A concave L-shape and a shape with a hole. */
    split_and_check(ctx, "POLYGON((115 33, 115.2 33, 115.2 33.05, 115.05 33.05, 115.05 33.2, 115 33.2, 115 33))", 12);
    split_and_check(ctx, "POLYGON((115 33, 115.1 33, 115.1 33.1, 115 33.1, 115 33),"
                         "(115.04 33.04, 115.06 33.04, 115.06 33.06, 115.04 33.06, 115.04 33.04))", 5);
    /* One cell is the parent itself. */
    GEOSGeometry *p = wkt(ctx, "POLYGON((0 0, 1 0, 1 1, 0 0))"), *one[1];
    uint64_t rng = 1;
    CHECK(partition_split(ctx, p, 1, &rng, one) == 1 && GEOSEquals_r(ctx, p, one[0]) == 1);
    GEOSGeom_destroy_r(ctx, one[0]);
    GEOSGeom_destroy_r(ctx, p);
    GEOS_finish_r(ctx);
}

UNIT_MAIN(test_partition)
