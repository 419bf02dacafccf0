#include "partition.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return (double)(next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Keeps only the polygonal parts of g (an intersection can add slivers of
 * lower dimension); returns a new Polygon/MultiPolygon or NULL if none. */
static GEOSGeometry *polygonal(GEOSContextHandle_t ctx, GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) {
        if (GEOSisEmpty_r(ctx, g)) {
            GEOSGeom_destroy_r(ctx, g);
            return NULL;
        }
        return g;
    }
    int n = GEOSGetNumGeometries_r(ctx, g);
    GEOSGeometry **parts = xcalloc((size_t)n + 1, sizeof(*parts));
    int k = 0;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(ctx, g, i);
        if (GEOSGeomTypeId_r(ctx, p) == GEOS_POLYGON && !GEOSisEmpty_r(ctx, p))
            parts[k++] = GEOSGeom_clone_r(ctx, p);
    }
    GEOSGeom_destroy_r(ctx, g);
    GEOSGeometry *r = NULL;
    if (k == 1)
        r = parts[0];
    else if (k > 1)
        r = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts, (unsigned)k);
    free(parts);
    return r;
}

/* Voronoi cells of the seeds clipped to parent; returns the count. */
static int cells_of(GEOSContextHandle_t ctx, const GEOSGeometry *parent, GEOSGeometry *env,
                    double *xs, double *ys, int n, GEOSGeometry **out)
{
    GEOSGeometry **pts = xcalloc((size_t)n, sizeof(*pts));
    for (int i = 0; i < n; i++)
        pts[i] = GEOSGeom_createPointFromXY_r(ctx, xs[i], ys[i]);
    GEOSGeometry *mp = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOINT, pts, (unsigned)n);
    free(pts);
    GEOSGeometry *vd = mp ? GEOSVoronoiDiagram_r(ctx, mp, env, 0.0, 0) : NULL;
    GEOSGeom_destroy_r(ctx, mp);
    if (!vd)
        return -1;
    int k = 0, cells = GEOSGetNumGeometries_r(ctx, vd);
    for (int i = 0; i < cells && k < n; i++) {
        GEOSGeometry *clip = GEOSIntersection_r(ctx, GEOSGetGeometryN_r(ctx, vd, i), parent);
        if (!clip) {
            for (int j = 0; j < k; j++)
                GEOSGeom_destroy_r(ctx, out[j]);
            GEOSGeom_destroy_r(ctx, vd);
            return -1;
        }
        GEOSGeometry *p = polygonal(ctx, clip);
        if (p)
            out[k++] = p;
    }
    GEOSGeom_destroy_r(ctx, vd);
    return k;
}

struct keyed {
    GEOSGeometry *g;
    double x, y;
    long band;
};

static int by_rows(const void *a, const void *b)
{
    const struct keyed *p = a, *q = b;
    if (p->band != q->band)
        return p->band < q->band ? -1 : 1;
    return p->x < q->x ? -1 : p->x > q->x;
}

int partition_split(GEOSContextHandle_t ctx, const GEOSGeometry *parent, int n, uint64_t *rng,
                    GEOSGeometry **out)
{
    if (n <= 1) {
        out[0] = GEOSGeom_clone_r(ctx, parent);
        return out[0] ? 1 : -1;
    }
    double minx, miny, maxx, maxy;
    if (!GEOSGeom_getXMin_r(ctx, parent, &minx) || !GEOSGeom_getYMin_r(ctx, parent, &miny) ||
        !GEOSGeom_getXMax_r(ctx, parent, &maxx) || !GEOSGeom_getYMax_r(ctx, parent, &maxy))
        return -1;
    const GEOSPreparedGeometry *prep = GEOSPrepare_r(ctx, parent);
    double *xs = xcalloc((size_t)n, sizeof(double)), *ys = xcalloc((size_t)n, sizeof(double));
    int seeds = 0;
    for (int tries = 0; seeds < n && tries < n * 2000; tries++) {
        double x = minx + uniform(rng) * (maxx - minx), y = miny + uniform(rng) * (maxy - miny);
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx, x, y);
        if (GEOSPreparedContains_r(ctx, prep, pt) == 1) {
            xs[seeds] = x;
            ys[seeds] = y;
            seeds++;
        }
        GEOSGeom_destroy_r(ctx, pt);
    }
    GEOSPreparedGeom_destroy_r(ctx, prep);
    double dx = (maxx - minx) * 0.1 + 1e-6, dy = (maxy - miny) * 0.1 + 1e-6;
    GEOSGeometry *env = GEOSGeom_createRectangle_r(ctx, minx - dx, miny - dy, maxx + dx, maxy + dy);
    int k = -1;
    /* Lloyd relaxation: move each seed to the centroid of its clipped cell. */
    for (int round = 0; round < 3 && seeds > 0; round++) {
        k = cells_of(ctx, parent, env, xs, ys, seeds, out);
        if (k < 0 || round == 2)
            break;
        for (int i = 0; i < k; i++) {
            GEOSGeometry *c = GEOSGetCentroid_r(ctx, out[i]);
            if (c && GEOSGeomGetX_r(ctx, c, &xs[i]) && GEOSGeomGetY_r(ctx, c, &ys[i])) {
                /* keep the seed inside the parent for concave shapes */
                GEOSGeometry *inside = GEOSPointOnSurface_r(ctx, out[i]);
                if (GEOSContains_r(ctx, out[i], c) != 1 && inside) {
                    GEOSGeomGetX_r(ctx, inside, &xs[i]);
                    GEOSGeomGetY_r(ctx, inside, &ys[i]);
                }
                GEOSGeom_destroy_r(ctx, inside);
            }
            GEOSGeom_destroy_r(ctx, c);
            GEOSGeom_destroy_r(ctx, out[i]);
        }
        seeds = k;
    }
    GEOSGeom_destroy_r(ctx, env);
    free(xs);
    free(ys);
    if (k <= 0)
        return k;
    /* Number north to south in rows, west to east within a row. */
    struct keyed *kk = xcalloc((size_t)k, sizeof(*kk));
    double band_h = (maxy - miny) / ceil(sqrt((double)k));
    for (int i = 0; i < k; i++) {
        GEOSGeometry *c = GEOSPointOnSurface_r(ctx, out[i]);
        kk[i].g = out[i];
        if (c) {
            GEOSGeomGetX_r(ctx, c, &kk[i].x);
            GEOSGeomGetY_r(ctx, c, &kk[i].y);
        }
        GEOSGeom_destroy_r(ctx, c);
        kk[i].band = band_h > 0 ? (long)floor((maxy - kk[i].y) / band_h) : 0;
    }
    qsort(kk, (size_t)k, sizeof(*kk), by_rows);
    for (int i = 0; i < k; i++)
        out[i] = kk[i].g;
    free(kk);
    return k;
}
