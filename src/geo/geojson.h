/*
 * geojson.h - GeoJSON (RFC 7946) area boundaries in and out of GEOS, and WKB
 * for storing a geometry as a BLOB.
 *
 * Reading is strict, because a boundary file that is "fixed" silently puts
 * people in the wrong grid. Only Polygon and MultiPolygon geometries are
 * accepted. Every position must be [lng, lat] numbers (a third value, the
 * height, is allowed and ignored; a fourth is refused), lng in [-180, 180],
 * lat in [-90, 90]; every ring needs at least 4 positions and must be closed
 * (first == last, exactly) - an open ring is an error, never closed for the
 * caller. The reader checks structure only: whether a ring crosses itself is
 * GEOS's validity question, asked by the tiling check (tiling.h).
 *
 * Errors are struct err values of kind ERR_INVALID whose field is the JSON
 * path of the culprit, e.g. "features[3].geometry.coordinates[0][5]" (a
 * position), "features[3].geometry.coordinates[1]" (a ring; MultiPolygon
 * paths have one index more), "features[3].properties.code". Codes:
 *   invalid_json            text that is not JSON (field NULL)
 *   not_feature_collection  root is not {"type":"FeatureCollection"} (field "type")
 *   not_feature             a member of features is not {"type":"Feature"}
 *   missing_field           a required member is absent or null
 *   invalid_type            a member has the wrong JSON type
 *   invalid_text, empty_field, too_long   from jf_check_text (jsonfield.h)
 *   unsupported_geometry    geometry type other than Polygon/MultiPolygon
 *   empty_geometry          a Polygon without rings / MultiPolygon without polygons
 *   invalid_coordinate      a position that is not 2-3 numbers
 *   coordinate_out_of_range lng outside [-180,180] or lat outside [-90,90]
 *   ring_too_short          a ring with fewer than 4 positions
 *   ring_not_closed         a ring whose last position differs from its first
 *   duplicate_code          two features with the same properties.code
 * and, of kind ERR_INTERNAL, geometry_error when GEOS refuses to build what
 * passed these checks (not seen in practice). Field strings live in the
 * arena a passed in: e.field is valid only as long as a is.
 *
 * Datums: our stored geometries are WGS-84. With GEO_GCJ02 the reader takes
 * GCJ-02 input (a boundary traced on AMap/Tencent) and converts every
 * position to WGS-84 after checking its range; the writer converts back.
 *
 * GEOS: every function takes the caller's GEOSContextHandle_t; a context must
 * not be used by two threads at once. Geometries returned are created in
 * that context and are destroyed with GEOSGeom_destroy_r on a context of the
 * same thread.
 */
#ifndef PINGAN_GEOJSON_H
#define PINGAN_GEOJSON_H

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>
#include <jansson.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

enum geo_datum {
    GEO_WGS84 = 0, /* GPS, storage, our default */
    GEO_GCJ02 = 1, /* Chinese web maps (gcj02.h) */
};

/* One area boundary from a FeatureCollection. Strings are arena copies
 * (code <= 32 characters, name <= 64, level <= 32, parent <= 32). */
struct geojson_feature {
    const char *code;   /* properties.code, required */
    const char *name;   /* properties.name, required */
    const char *level;  /* properties.level, NULL if absent: the caller decides
                         * (the public county files carry only code and name) */
    const char *parent; /* properties.parent, NULL if absent or null: a root */
    GEOSGeometry *geom; /* WGS-84 Polygon/MultiPolygon; NULL if geometry is null */
};

struct geojson_features {
    struct geojson_feature *items; /* arena memory */
    size_t n;
};
#define GEOJSON_FEATURES_INIT {NULL, 0}

/* Reads one Polygon/MultiPolygon geometry object. field names it in errors
 * ("geometry", "features[3].geometry"). Returns a new geometry (caller
 * destroys), or NULL with e set. A JSON null is an error here. */
GEOSGeometry *geojson_geometry_from_json(GEOSContextHandle_t ctx, json_t *geometry,
                                         enum geo_datum datum, const char *field, struct arena *a,
                                         struct err *e);

/* Reads a LineString geometry object (a road's, a railway's course): 2 to
 * 100,000 positions, checked like a boundary's, not all the same. name
 * names the line in messages; field the geometry ("geometry"). Codes as
 * above plus line_too_short; unsupported_geometry for any other type.
 * Returns a new WGS-84 LineString, or NULL with e set. */
GEOSGeometry *geojson_line_from_json(GEOSContextHandle_t ctx, json_t *geometry,
                                     enum geo_datum datum, const char *field, const char *name,
                                     struct arena *a, struct err *e);

/* Reads a FeatureCollection into out (features in file order). Returns 0, or
 * -1 with e set and out empty (nothing to release). On success the caller
 * owns the geometries: geojson_features_release(). A feature whose geometry is
 * null gets geom == NULL (an area whose boundary is not drawn yet). */
int geojson_features_from_json(GEOSContextHandle_t ctx, json_t *root, enum geo_datum datum,
                               struct arena *a, struct geojson_features *out, struct err *e);
/* The same from text (UTF-8 JSON, duplicate object keys refused). */
int geojson_features_from_text(GEOSContextHandle_t ctx, const char *text, size_t len,
                               enum geo_datum datum, struct arena *a, struct geojson_features *out,
                               struct err *e);
/* Destroys the geometries and empties fs (the arena keeps the rest). */
void geojson_features_release(GEOSContextHandle_t ctx, struct geojson_features *fs);

/* Writes a geometry as a GeoJSON geometry object (any type: Point ...
 * GeometryCollection), positions rounded to 7 decimals (~1 cm), converted to
 * datum first. Returns a new reference, or NULL if GEOS fails. Dump it with
 * JSON_REAL_PRECISION(15) or so: jansson's default of 17 significant digits
 * prints the binary noise of the rounded value (116.40321230000001). */
json_t *geojson_geometry_to_json(GEOSContextHandle_t ctx, const GEOSGeometry *g,
                                 enum geo_datum datum);

/* 2-D little-endian WKB of g, for a BLOB column. Returns xmalloc'd bytes
 * (caller frees) and sets *len, or NULL if GEOS fails. */
/* The same without rounding: every double as stored, for exports that must
 * import again into exactly the same tiling (rounding to 7 decimals moves
 * shared edges by up to 5 mm, which opens gaps of tens of m² along a
 * township's 40 km perimeter). */
json_t *geojson_geometry_to_json_exact(GEOSContextHandle_t ctx, const GEOSGeometry *g,
                                       enum geo_datum datum);

unsigned char *geo_to_wkb(GEOSContextHandle_t ctx, const GEOSGeometry *g, size_t *len);
/* Parses WKB. Returns a new geometry (caller destroys), or NULL when the
 * bytes are not WKB (never trusts len beyond the buffer). */
GEOSGeometry *geo_from_wkb(GEOSContextHandle_t ctx, const unsigned char *bytes, size_t len);

#include "util/banned.h"
#endif
