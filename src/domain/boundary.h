/*
 * boundary.h - the boundaries of areas: storage, the point-location index,
 * the map view and the export.
 *
 * Boundaries are WGS-84 Polygon/MultiPolygon geometries stored as WKB in the
 * area row with their bounding box and a label point. The point → area
 * index lives in memory (built from every active area with a boundary) and
 * is rebuilt when the geo_version counter in the database moves (a trigger
 * moves it on any boundary, retirement or move), so imports by the command
 * line are seen by a running server too.
 */
#ifndef PINGAN_BOUNDARY_H
#define PINGAN_BOUNDARY_H

#include <geos_c.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/area.h"
#include "util/err.h"

struct db;

/* A GEOS context for the calling thread (created on first use, freed at
 * thread exit). */
GEOSContextHandle_t boundary_geos(void);

/* Stores geom (WGS-84, polygonal) as the boundary of area_id. */
int boundary_set(struct db *db, int64_t area_id, const GEOSGeometry *geom, struct err *e);
/* Loads the boundary of an area, or NULL if it has none. Caller destroys. */
GEOSGeometry *boundary_get(struct db *db, int64_t area_id);

/*
 * The deepest active area containing (lng, lat), as an area id, or 0 when
 * no area contains it. Uses (and when the data changed, rebuilds) the
 * process-wide index. Returns -1 on failure.
 */
int64_t boundary_locate(struct db *db, double lng, double lat);
/* The whole chain of area ids covering the point, shallowest first (at most
 * max). Returns the count (0: outside every area), or (size_t)-1 on failure. */
size_t boundary_locate_chain(struct db *db, double lng, double lat, int64_t *ids, size_t max);
/* 1 if the point lies in the area (whose chain holds it), 0 if not, -1 on
 * failure. */
int boundary_contains(struct db *db, int64_t area_id, double lng, double lat);
/* What a locate answer shows of an area. */
struct area_brief {
    int64_t id;
    const char *code, *name, *level, *level_name, *path;
};
/* The located area's chain from memory: its ancestors (as far as they are
 * active) and itself last, strings in the arena. Returns the count (0:
 * outside every area), or (size_t)-1 on failure. */
size_t boundary_locate_brief(struct db *db, struct arena *a, double lng, double lat,
                             struct area_brief *out, size_t max);
/* Builds the index now (at server start, so no request waits for it). */
int boundary_index_warm(struct db *db);
/* Frees the index (at shutdown). */
void boundary_index_free(void);

/* The children of ar as a FeatureCollection for the map at a Leaflet zoom
 * level (boundaries simplified to about a pixel at that zoom). */
json_t *boundary_map_json(struct db *db, struct arena *a, const struct area *ar, int zoom);
/* Every area of the subtree of ar as a FeatureCollection (properties code,
 * name, level, parent); gcj02 = 1 converts the coordinates to GCJ-02. The
 * parent of ar itself is given only when it lies inside scope (NULL: the
 * command line, which sees everything). */
json_t *boundary_export_json(struct db *db, struct arena *a, const struct area *ar,
                             const char *scope, int gcj02);

#include "util/banned.h"
#endif
