/*
 * libFuzzer target: the GeoJSON boundary reader. Bytes are parsed with
 * json_loadb, then read as a FeatureCollection (both datums); whatever is
 * accepted is written back to GeoJSON and through WKB. Any crash, leak,
 * overflow or undefined behaviour is a finding; a refusal must carry a code
 * and a message, and an acceptance must carry every required field.
 */
#include <stddef.h>
#include <stdint.h>

#include "geo/geojson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static GEOSContextHandle_t ctx; /* one per process: libFuzzer runs one thread */

static void check_accepted(const struct geojson_features *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        const struct geojson_feature *f = &fs->items[i];
        if (!f->code || !*f->code || !f->name)
            __builtin_trap(); /* accepted without its required fields */
        if (!f->geom)
            continue;
        int type = GEOSGeomTypeId_r(ctx, f->geom);
        if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
            __builtin_trap();
        json_t *j = geojson_geometry_to_json(ctx, f->geom, GEO_GCJ02);
        if (!j)
            __builtin_trap(); /* we read it, we must be able to write it */
        json_decref(j);
        size_t len = 0;
        unsigned char *wkb = geo_to_wkb(ctx, f->geom, &len);
        GEOSGeometry *back = wkb ? geo_from_wkb(ctx, wkb, len) : NULL;
        if (!back || GEOSEqualsExact_r(ctx, f->geom, back, 0.0) != 1)
            __builtin_trap(); /* WKB must round-trip exactly */
        GEOSGeom_destroy_r(ctx, back);
        free(wkb);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        ctx = GEOS_init_r();
    json_error_t jerr;
    json_t *root = json_loadb((const char *)data, size, 0, &jerr);
    if (!root)
        return 0;
    for (int datum = GEO_WGS84; datum <= GEO_GCJ02; datum++) {
        struct arena a = ARENA_INIT;
        struct err e = ERR_INIT;
        struct geojson_features fs = GEOJSON_FEATURES_INIT;
        if (geojson_features_from_json(ctx, root, (enum geo_datum)datum, &a, &fs, &e) < 0) {
            if (!e.code || !*e.code || !e.message[0] || fs.n != 0)
                __builtin_trap(); /* a refusal must say why, and leave nothing */
        } else {
            check_accepted(&fs);
            geojson_features_release(ctx, &fs);
        }
        arena_release(&a);
    }
    json_decref(root);
    return 0;
}
