/*
 * tiling.h - the tiling check: 横向到边、纵向到底，不留空白，不交叉重叠.
 *
 * Every level of the grid tree must tile its parent: the children of an
 * area together cover it with no gap, no two siblings overlap, and no child
 * reaches outside its parent. The check takes a flat list of areas
 * (code, parent code, boundary) and reports every violation it finds; it
 * does not stop at the first one, because whoever draws boundaries wants the
 * whole list.
 *
 * Violation kinds (stable codes, also the "kind" in JSON):
 *   invalid_geometry      the boundary is not a valid polygon in GEOS's sense
 *                         (self-intersection, ring crossing, ...); reason is
 *                         GEOS's text, e.g. "Self-intersection[114.5 33.5]".
 *                         An invalid area takes no part in the other checks
 *                         (their answers would be meaningless), and its parent
 *                         gets no gap check.
 *   missing_parent        parent_code names no area in the list; codes =
 *                         {child, missing parent code}.
 *   duplicate_code        two areas share a code; only the first is used as
 *                         a parent.
 *   child_outside_parent  codes = {child, parent}; area = area(child − parent)
 *   siblings_overlap      codes = {a, b} (a < b by strcmp); area = area(a ∩ b)
 *   gap_in_parent         codes = {parent}; area = area(parent − ∪ children),
 *                         all gaps of that parent together.
 * Containment and gaps are checked only for parents that have a valid
 * boundary and at least one child with a boundary; overlaps among any
 * siblings (roots included) that have boundaries. Areas without a boundary
 * (geom NULL) are otherwise ignored.
 *
 * Areas in m². Geometries are lon/lat degrees. Each polygon is measured in a
 * local equal-area projection centred on its own centroid latitude φ0:
 *     x = R·λ·cos φ0,  y = R·φ   (λ, φ in radians, R = 6371008.8 m, the
 *                                  IUGG mean Earth radius)
 * This map is linear, so the projected area is exactly
 *     A = GEOSArea(polygon in degrees) · (π/180)² · R² · cos φ0.
 * The true spherical area is R²·∬cos φ dφ dλ; with φ0 the centroid latitude
 * the first-order error term vanishes and the relative error is about
 * var(φ)/2 - 1e-5 for a 1°-tall county, 1e-9 for a grid. A MultiPolygon or
 * a collection is measured part by part, each with its own φ0. The sphere
 * itself is within 0.4 % of the WGS-84 ellipsoid's area at China's
 * latitudes (0.05 % at 33°N), which is plenty to size a gap or an overlap.
 *
 * Tolerances: a violation is reported only when its area exceeds the
 * tolerance for its kind (default 1 m² each), so that floating-point
 * slivers along shared edges are not reported. Pass NULL opts for defaults.
 *
 * Cost: siblings are paired through a GEOS STRtree of their envelopes and a
 * prepared geometry each; only pairs whose envelopes meet are tested, and an
 * intersection is computed only for pairs that intersect (neighbours share
 * edges, so that is every neighbour pair, whose intersection is a line of
 * area 0). Gaps cost one cascaded union of the children per parent.
 *
 * All functions use the caller's GEOS context (one thread at a time).
 */
#ifndef PINGAN_TILING_H
#define PINGAN_TILING_H

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>
#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

struct tiling_node {
    const char *code;
    const char *parent_code;  /* NULL for a root */
    const GEOSGeometry *geom; /* lon/lat WGS-84 polygonal, or NULL (no boundary yet) */
};

struct tiling_opts {
    double overlap_tol_m2; /* siblings_overlap reported above this */
    double gap_tol_m2;     /* gap_in_parent */
    double outside_tol_m2; /* child_outside_parent */
};
#define TILING_OPTS_DEFAULT {1.0, 1.0, 1.0}

struct tiling_violation {
    const char *kind;    /* one of the static codes above */
    char *codes[2];      /* heap copies; codes[1] NULL when one area is involved */
    double area_m2;      /* size of the offending part; 0 for invalid/missing/duplicate */
    char *reason;        /* invalid_geometry: GEOS's reason (heap); else NULL */
    GEOSGeometry *where; /* the offending part (outside part, overlap, gap), or NULL */
};

struct tiling_violations {
    struct tiling_violation *v;
    size_t n, alloc;
};
#define TILING_VIOLATIONS_INIT {NULL, 0, 0}

/* Checks nodes[0..n-1] and appends every violation to out (which may already
 * hold some). The nodes are only read; geometries may come from any context
 * of this thread. Returns 0 when every operation succeeded (out->n then says
 * whether the tiling is clean), or -1 with e (ERR_INTERNAL, "geometry_error",
 * the first failure, naming the areas) when GEOS failed on some operation;
 * the check still runs everything else, and out holds what was found. */
int tiling_check(GEOSContextHandle_t ctx, const struct tiling_node *nodes, size_t n,
                 const struct tiling_opts *opts, struct tiling_violations *out, struct err *e);

/* Frees the violations (their strings and geometries) and empties v. */
void tiling_violations_release(GEOSContextHandle_t ctx, struct tiling_violations *v);

/* [{"kind","codes":[...],"area_m2","message"}, ...] with a Chinese message
 * per violation; area_m2 rounded to 0.01 m². With with_geometry, each entry
 * also has "geometry": the offending part as GeoJSON (or null). Returns a new
 * reference (never NULL). */
json_t *tiling_violations_to_json(GEOSContextHandle_t ctx, const struct tiling_violations *v,
                                  int with_geometry);

/* Area of g in m² by the method above (0 for points and lines). Returns -1.0
 * if GEOS fails. */
double tiling_area_m2(GEOSContextHandle_t ctx, const GEOSGeometry *g);

#include "util/banned.h"
#endif
