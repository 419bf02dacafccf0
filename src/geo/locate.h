/*
 * locate.h - point → area chain: which county, township, village, grid and
 * micro-grid a WGS-84 point falls in, from an in-memory index.
 *
 * Build once from the areas' boundaries (the index copies them), then query
 * from any number of threads; rebuild and swap when boundaries change.
 * The index is a GEOS STRtree of the areas' envelopes plus one prepared
 * geometry per area; a query takes the envelope candidates and asks each
 * prepared geometry whether it covers the point.
 *
 * Edge rule. A point on a shared edge (or corner) is covered by every area
 * that meets there (covers counts the boundary; a point is never lost in
 * the crack between two grids). At each depth we then pick ONE area: among
 * the covering candidates of that depth, those whose parent_id is the area
 * picked one level up are preferred (keeps the chain consistent when a
 * point is on a township border); among those, the smallest code by strcmp.
 * So the answer depends only on the point and the data, never on insertion
 * order, threads or timing: the same point always gets the same grid.
 *
 * Thread safety. GEOS makes no promise about concurrent use of one object:
 *  - a GEOSContextHandle_t holds error buffers and a geometry factory whose
 *    reference count is a plain int, so two threads must not create
 *    geometries through one context;
 *  - a prepared geometry builds its point locator (an interval index of the
 *    ring segments) lazily on the first covers/contains query that passes
 *    the envelope test, and the STRtree builds itself on its first query.
 * Our choice: force all lazy state at build time, then treat it as
 * read-only. locate_index_build() queries the tree once and asks every
 * prepared geometry covers(point on its surface), which builds each
 * locator; after that, queries only read the tree, the locators and the
 * geometries. The query point is created in a per-thread GEOS context
 * (pthread key, created on a thread's first query, destroyed when the
 * thread exits or by locate_thread_release()). So the index itself is
 * immutable after build; many threads may call locate_index_find() at once.
 * Building and freeing must not overlap with queries on the same index.
 * (Per-thread copies of the prepared geometries would be the alternative; it
 * costs memory × threads for no gain once the lazy state is forced.)
 */
#ifndef PINGAN_LOCATE_H
#define PINGAN_LOCATE_H

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct locate_item {
    int64_t id;
    int64_t parent_id; /* 0 = unknown/root: no preference (see edge rule) */
    const char *code;
    int depth;                /* 0 = root level; deeper levels have larger depth */
    const GEOSGeometry *geom; /* WGS-84 Polygon/MultiPolygon; NULL items are skipped */
};

struct locate_index;

/* Builds an index over items[0..n-1]; the index clones every geometry and
 * code, so items may be freed afterwards (their geometries may come from any
 * context of this thread). Returns a heap index (locate_index_free), or NULL
 * with e: ERR_INVALID "invalid_geometry" (field = the area's code) when a
 * geometry is not polygonal or depth is negative, ERR_INTERNAL
 * "geometry_error" when GEOS fails. */
struct locate_index *locate_index_build(const struct locate_item *items, size_t n, struct err *e);

/* The chain of areas covering (lng, lat): at most one per depth, shallowest
 * first, deepest last (see the edge rule above). Writes up to max ids into
 * out_ids; when the chain is longer than max, the shallowest levels are
 * dropped so the deepest area is always last. Returns the number written:
 * 0 when no area covers the point or the point is not a finite lon/lat
 * (or GEOS failed). Safe from many threads at once. */
size_t locate_index_find(const struct locate_index *idx, double lng, double lat, int64_t *out_ids,
                         size_t max);

/* Number of areas indexed (items with a geometry). */
size_t locate_index_size(const struct locate_index *idx);

/* Frees the index (NULL is fine). No query may be running on it. */
void locate_index_free(struct locate_index *idx);

/* Destroys the calling thread's query context now (it is also destroyed at
 * thread exit). Call it from the main thread before exiting, so leak
 * checkers stay quiet; a later query just creates a new one. */
void locate_thread_release(void);

#include "util/banned.h"
#endif
