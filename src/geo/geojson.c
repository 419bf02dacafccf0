#include "geojson.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>

#include "gcj02.h"
#include "util/jsonfield.h"
#include "util/xalloc.h"

/* What one geometry read needs: where errors go and how they are named. */
struct reader {
    GEOSContextHandle_t ctx;
    enum geo_datum datum;
    const char *field; /* JSON path of the geometry object */
    const char *who;   /* for messages: the feature's code, or the path */
    struct arena *a;
    struct err *e;
    int line; /* reading a line's course, not an area's boundary (messages) */
};

/* "<field>.coordinates[i][j]..." for the first n indices. */
static const char *coord_path(struct reader *r, const size_t *idx, int n)
{
    char tail[96] = "";
    size_t used = 0;
    for (int k = 0; k < n && used < sizeof(tail); k++) {
        int w = snprintf(tail + used, sizeof(tail) - used, "[%zu]", idx[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return arena_printf(r->a, "%s.coordinates%s", r->field, tail);
}

static int fail(struct reader *r, const char *code, const size_t *idx, int n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(struct reader *r, const char *code, const size_t *idx, int n, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(r->e, ERR_INVALID, code, coord_path(r, idx, n),
                   r->line ? "线路 %s 的走向：%s" : "区域 %s 的边界：%s", r->who, msg);
}

/* Reads one position into (x, y), checking shape and range. idx[0..n-1]
 * locates it (the last index is the position's). */
static int read_position(struct reader *r, json_t *p, const size_t *idx, int n, double *x,
                         double *y)
{
    size_t len = json_is_array(p) ? json_array_size(p) : 0;
    if (len < 2 || len > 3)
        return fail(r, "invalid_coordinate", idx, n, "第 %zu 个坐标必须是 [经度, 纬度]",
                    idx[n - 1] + 1);
    for (size_t k = 0; k < len; k++)
        if (!json_is_number(json_array_get(p, k)))
            return fail(r, "invalid_coordinate", idx, n, "第 %zu 个坐标必须由数字组成",
                        idx[n - 1] + 1);
    *x = json_number_value(json_array_get(p, 0));
    *y = json_number_value(json_array_get(p, 1));
    if (!(*x >= -180.0 && *x <= 180.0))
        return fail(r, "coordinate_out_of_range", idx, n, "第 %zu 个坐标的经度 %g 超出 [-180, 180]",
                    idx[n - 1] + 1, *x);
    if (!(*y >= -90.0 && *y <= 90.0))
        return fail(r, "coordinate_out_of_range", idx, n, "第 %zu 个坐标的纬度 %g 超出 [-90, 90]",
                    idx[n - 1] + 1, *y);
    return 0;
}

/*
 * The GCJ-02 offset is a smooth but non-linear function of position, so a
 * straight edge in one system is a slight curve in the other. Converting
 * only the vertices would bend neighbours apart wherever one polygon has a
 * vertex on an edge that its neighbour (or its parent) does not: a shared
 * 20 km edge was seen to open slivers of ~86,000 m². Edges are therefore
 * cut into pieces of at most DENSIFY_STEP degrees (about 50 m) before
 * converting, where the deviation is below a millimetre.
 */
#define DENSIFY_STEP 0.0005

static void densify(double **xs, double **ys, size_t *m)
{
    size_t n = *m, total = n;
    for (size_t i = 0; i + 1 < n; i++) {
        double d = fmax(fabs((*xs)[i + 1] - (*xs)[i]), fabs((*ys)[i + 1] - (*ys)[i]));
        total += d > DENSIFY_STEP ? (size_t)ceil(d / DENSIFY_STEP) - 1 : 0;
    }
    if (total == n)
        return;
    double *nx = xmalloc(total * sizeof(*nx)), *ny = xmalloc(total * sizeof(*ny));
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double x0 = (*xs)[i], y0 = (*ys)[i], x1 = (*xs)[i + 1], y1 = (*ys)[i + 1];
        double d = fmax(fabs(x1 - x0), fabs(y1 - y0));
        size_t parts = d > DENSIFY_STEP ? (size_t)ceil(d / DENSIFY_STEP) : 1;
        for (size_t j = 0; j < parts; j++) {
            double t = (double)j / (double)parts;
            nx[k] = x0 + (x1 - x0) * t;
            ny[k] = y0 + (y1 - y0) * t;
            k++;
        }
    }
    nx[k] = (*xs)[n - 1];
    ny[k] = (*ys)[n - 1];
    free(*xs);
    free(*ys);
    *xs = nx;
    *ys = ny;
    *m = k + 1;
}

/* Reads the m positions of arr (idx[0..n-1] locates it) into new arrays *xs,
 * *ys (the caller frees them, also on failure). */
static int read_positions(struct reader *r, json_t *arr, size_t *idx, int n, double **xs,
                          double **ys)
{
    size_t m = json_array_size(arr);
    *xs = xmalloc(m * sizeof(**xs));
    *ys = xmalloc(m * sizeof(**ys));
    for (size_t i = 0; i < m; i++) {
        idx[n] = i;
        if (read_position(r, json_array_get(arr, i), idx, n + 1, &(*xs)[i], &(*ys)[i]) < 0)
            return -1;
    }
    return 0;
}

/* Converts positions read in the reader's datum to WGS-84 (densified first:
 * see above). */
static void to_wgs84(struct reader *r, double **xs, double **ys, size_t *m)
{
    if (r->datum != GEO_GCJ02)
        return;
    densify(xs, ys, m);
    for (size_t i = 0; i < *m; i++)
        gcj02_to_wgs84((*xs)[i], (*ys)[i], &(*xs)[i], &(*ys)[i]);
}

/* Reads a linear ring; idx[0..n-1] locates the ring. */
static GEOSGeometry *read_ring(struct reader *r, json_t *ring, size_t *idx, int n)
{
    if (!json_is_array(ring)) {
        fail(r, "invalid_type", idx, n, "环必须是坐标数组");
        return NULL;
    }
    size_t m = json_array_size(ring);
    if (m < 4) {
        fail(r, "ring_too_short", idx, n, "环只有 %zu 个坐标，至少需要 4 个（首尾相同）", m);
        return NULL;
    }
    if (m > UINT32_MAX) {
        fail(r, "too_many_coordinates", idx, n, "环的坐标过多");
        return NULL;
    }
    double *xs = NULL, *ys = NULL;
    GEOSGeometry *g = NULL;
    if (read_positions(r, ring, idx, n, &xs, &ys) < 0)
        goto out;
    if (xs[0] != xs[m - 1] || ys[0] != ys[m - 1]) {
        fail(r, "ring_not_closed", idx, n, "环未闭合：第一个坐标与最后一个坐标不同");
        goto out;
    }
    to_wgs84(r, &xs, &ys, &m);
    GEOSCoordSequence *seq =
        GEOSCoordSeq_copyFromArrays_r(r->ctx, xs, ys, NULL, NULL, (unsigned int)m);
    if (seq)
        g = GEOSGeom_createLinearRing_r(r->ctx, seq); /* owns seq, even on failure */
    if (!g)
        err_set(r->e, ERR_INTERNAL, "geometry_error", coord_path(r, idx, n),
                "区域 %s 的边界：无法创建环", r->who);
out:
    free(xs);
    free(ys);
    return g;
}

/* Reads a Polygon's array of rings; idx[0..n-1] locates the polygon. */
static GEOSGeometry *read_polygon(struct reader *r, json_t *rings, size_t *idx, int n)
{
    if (!json_is_array(rings)) {
        fail(r, "invalid_type", idx, n, "多边形必须是环的数组");
        return NULL;
    }
    size_t m = json_array_size(rings);
    if (m == 0) {
        fail(r, "empty_geometry", idx, n, "多边形没有外环");
        return NULL;
    }
    if (m > UINT32_MAX) {
        fail(r, "invalid_type", idx, n, "多边形的环过多");
        return NULL;
    }
    GEOSGeometry **ring = xcalloc(m, sizeof(*ring));
    GEOSGeometry *poly = NULL;
    size_t made = 0;
    for (; made < m; made++) {
        idx[n] = made;
        ring[made] = read_ring(r, json_array_get(rings, made), idx, n + 1);
        if (!ring[made])
            goto out;
    }
    poly = GEOSGeom_createPolygon_r(r->ctx, ring[0], ring + 1, (unsigned int)(m - 1));
    made = 0; /* the polygon call took ownership of every ring */
    if (!poly)
        err_set(r->e, ERR_INTERNAL, "geometry_error", coord_path(r, idx, n),
                "区域 %s 的边界：无法创建多边形", r->who);
out:
    for (size_t i = 0; i < made; i++)
        GEOSGeom_destroy_r(r->ctx, ring[i]);
    free(ring);
    return poly;
}

static GEOSGeometry *read_multipolygon(struct reader *r, json_t *polys, size_t *idx)
{
    size_t m = json_array_size(polys);
    if (m == 0) {
        fail(r, "empty_geometry", idx, 0, "多多边形没有任何多边形");
        return NULL;
    }
    if (m > UINT32_MAX) {
        fail(r, "invalid_type", idx, 0, "多边形过多");
        return NULL;
    }
    GEOSGeometry **part = xcalloc(m, sizeof(*part));
    GEOSGeometry *multi = NULL;
    size_t made = 0;
    for (; made < m; made++) {
        idx[0] = made;
        part[made] = read_polygon(r, json_array_get(polys, made), idx, 1);
        if (!part[made])
            goto out;
    }
    multi = GEOSGeom_createCollection_r(r->ctx, GEOS_MULTIPOLYGON, part, (unsigned int)m);
    made = 0; /* owned by the collection now */
    if (!multi)
        err_set(r->e, ERR_INTERNAL, "geometry_error", coord_path(r, idx, 0),
                "区域 %s 的边界：无法创建多多边形", r->who);
out:
    for (size_t i = 0; i < made; i++)
        GEOSGeom_destroy_r(r->ctx, part[i]);
    free(part);
    return multi;
}

static GEOSGeometry *read_geometry(struct reader *r, json_t *geometry)
{
    size_t idx[3] = {0, 0, 0};
    if (!json_is_object(geometry)) {
        err_set(r->e, ERR_INVALID, "invalid_type", r->field, "区域 %s 的 geometry 必须是对象",
                r->who);
        return NULL;
    }
    json_t *type = json_object_get(geometry, "type");
    const char *tfield = arena_printf(r->a, "%s.type", r->field);
    if (!type || json_is_null(type)) {
        err_set(r->e, ERR_INVALID, "missing_field", tfield, "区域 %s 的边界缺少 type", r->who);
        return NULL;
    }
    if (!json_is_string(type)) {
        err_set(r->e, ERR_INVALID, "invalid_type", tfield, "区域 %s 的边界 type 必须是字符串",
                r->who);
        return NULL;
    }
    const char *t = json_string_value(type);
    int multi = strcmp(t, "MultiPolygon") == 0;
    if (!multi && strcmp(t, "Polygon") != 0) {
        err_set(r->e, ERR_INVALID, "unsupported_geometry", tfield,
                "区域 %s 的边界必须是 Polygon 或 MultiPolygon，而不是 %.40s", r->who, t);
        return NULL;
    }
    json_t *coords = json_object_get(geometry, "coordinates");
    if (!coords || json_is_null(coords)) {
        err_set(r->e, ERR_INVALID, "missing_field", coord_path(r, idx, 0),
                "区域 %s 的边界缺少 coordinates", r->who);
        return NULL;
    }
    if (!json_is_array(coords)) {
        err_set(r->e, ERR_INVALID, "invalid_type", coord_path(r, idx, 0),
                "区域 %s 的边界 coordinates 必须是数组", r->who);
        return NULL;
    }
    return multi ? read_multipolygon(r, coords, idx) : read_polygon(r, coords, idx, 0);
}

GEOSGeometry *geojson_geometry_from_json(GEOSContextHandle_t ctx, json_t *geometry,
                                         enum geo_datum datum, const char *field, struct arena *a,
                                         struct err *e)
{
    struct reader r = {ctx, datum, field, field, a, e, 0};
    return read_geometry(&r, geometry);
}

GEOSGeometry *geojson_line_from_json(GEOSContextHandle_t ctx, json_t *geometry,
                                     enum geo_datum datum, const char *field, const char *name,
                                     struct arena *a, struct err *e)
{
    struct reader r = {ctx, datum, field, name, a, e, 1};
    size_t idx[1] = {0};
    const char *tfield = arena_printf(a, "%s.type", field);
    json_t *type = json_is_object(geometry) ? json_object_get(geometry, "type") : NULL;
    if (!json_is_object(geometry)) {
        err_set(e, ERR_INVALID, json_is_null(geometry) || !geometry ? "missing_field" : "invalid_type",
                field, "线路 %s 须有走向 %s（GeoJSON LineString）", name, field);
        return NULL;
    }
    if (!json_is_string(type) || strcmp(json_string_value(type), "LineString") != 0) {
        err_set(e, ERR_INVALID, "unsupported_geometry", tfield,
                "线路 %s 的走向必须是 GeoJSON LineString", name);
        return NULL;
    }
    json_t *coords = json_object_get(geometry, "coordinates");
    if (!json_is_array(coords)) {
        err_set(e, ERR_INVALID, coords ? "invalid_type" : "missing_field", coord_path(&r, idx, 0),
                "线路 %s 的走向 coordinates 必须是坐标数组", name);
        return NULL;
    }
    size_t m = json_array_size(coords);
    if (m < 2 || m > 100000) {
        fail(&r, m < 2 ? "line_too_short" : "too_many_coordinates", idx, 0,
             "应有 2 至 100000 个坐标，而不是 %zu 个", m);
        return NULL;
    }
    double *xs = NULL, *ys = NULL;
    GEOSGeometry *g = NULL;
    if (read_positions(&r, coords, idx, 0, &xs, &ys) < 0)
        goto out;
    size_t distinct = 1;
    for (size_t i = 1; i < m; i++)
        distinct += xs[i] != xs[0] || ys[i] != ys[0];
    if (distinct < 2) {
        fail(&r, "line_too_short", idx, 0, "所有坐标都相同，线路没有长度");
        goto out;
    }
    to_wgs84(&r, &xs, &ys, &m);
    GEOSCoordSequence *seq =
        GEOSCoordSeq_copyFromArrays_r(ctx, xs, ys, NULL, NULL, (unsigned int)m);
    if (seq)
        g = GEOSGeom_createLineString_r(ctx, seq);
    if (!g)
        err_set(e, ERR_INTERNAL, "geometry_error", field, "线路 %s：无法创建线", name);
out:
    free(xs);
    free(ys);
    return g;
}

/* A string property: absent/null is an error if required, else NULL. */
static int read_prop(struct arena *a, json_t *props, size_t i, const char *key, int required,
                     size_t max_chars, const char **out, struct err *e)
{
    json_t *v = json_object_get(props, key);
    *out = NULL;
    const char *field = NULL;
    if (!v || json_is_null(v)) {
        if (!required)
            return 0;
        field = arena_printf(a, "features[%zu].properties.%s", i, key);
        return err_set(e, ERR_INVALID, "missing_field", field, "第 %zu 个要素缺少属性 %s", i + 1,
                       key);
    }
    field = arena_printf(a, "features[%zu].properties.%s", i, key);
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, "invalid_type", field, "第 %zu 个要素的属性 %s 必须是字符串",
                       i + 1, key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len)
        return err_set(e, ERR_INVALID, "invalid_text", field, "字段 %s 含有控制字符", field);
    if (jf_check_text(s, len, field, max_chars, e) < 0)
        return -1;
    *out = arena_strdup(a, s);
    return 0;
}

static int read_feature(GEOSContextHandle_t ctx, json_t *f, size_t i, enum geo_datum datum,
                        struct arena *a, struct geojson_feature *out, struct err *e)
{
    if (!json_is_object(f))
        return err_set(e, ERR_INVALID, "not_feature", arena_printf(a, "features[%zu]", i),
                       "第 %zu 个要素必须是 Feature 对象", i + 1);
    json_t *type = json_object_get(f, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "Feature") != 0)
        return err_set(e, ERR_INVALID, "not_feature", arena_printf(a, "features[%zu].type", i),
                       "第 %zu 个要素的 type 必须是 \"Feature\"", i + 1);
    json_t *props = json_object_get(f, "properties");
    const char *pfield = arena_printf(a, "features[%zu].properties", i);
    if (!props || json_is_null(props))
        return err_set(e, ERR_INVALID, "missing_field", pfield, "第 %zu 个要素缺少 properties",
                       i + 1);
    if (!json_is_object(props))
        return err_set(e, ERR_INVALID, "invalid_type", pfield,
                       "第 %zu 个要素的 properties 必须是对象", i + 1);
    if (read_prop(a, props, i, "code", 1, 32, &out->code, e) < 0 ||
        read_prop(a, props, i, "name", 1, 64, &out->name, e) < 0 ||
        read_prop(a, props, i, "level", 0, 32, &out->level, e) < 0 ||
        read_prop(a, props, i, "parent", 0, 32, &out->parent, e) < 0)
        return -1;
    json_t *geometry = json_object_get(f, "geometry");
    const char *gfield = arena_printf(a, "features[%zu].geometry", i);
    if (!geometry)
        return err_set(e, ERR_INVALID, "missing_field", gfield,
                       "区域 %s 缺少 geometry（没有边界时写 null）", out->code);
    out->geom = NULL;
    if (json_is_null(geometry))
        return 0;
    struct reader r = {ctx, datum, gfield, out->code, a, e, 0};
    out->geom = read_geometry(&r, geometry);
    return out->geom ? 0 : -1;
}

static int by_code(const void *pa, const void *pb)
{
    const struct geojson_feature *a = *(const struct geojson_feature *const *)pa;
    const struct geojson_feature *b = *(const struct geojson_feature *const *)pb;
    int c = strcmp(a->code, b->code);
    if (c)
        return c;
    return a < b ? -1 : a > b; /* file order among equals */
}

/* Sorts by code and looks at neighbours; reports the duplicate that comes
 * first in the file (its second occurrence), so the message is stable. */
static int check_duplicates(struct geojson_features *fs, struct arena *a, struct err *e)
{
    if (fs->n < 2)
        return 0;
    struct geojson_feature **p = xmalloc(fs->n * sizeof(*p));
    for (size_t i = 0; i < fs->n; i++)
        p[i] = &fs->items[i];
    qsort(p, fs->n, sizeof(*p), by_code);
    size_t first = 0, second = SIZE_MAX;
    for (size_t i = 1; i < fs->n; i++) {
        if (strcmp(p[i - 1]->code, p[i]->code) != 0)
            continue;
        size_t later = (size_t)(p[i] - fs->items);
        if (later < second) {
            second = later;
            first = (size_t)(p[i - 1] - fs->items);
        }
    }
    free(p);
    if (second == SIZE_MAX)
        return 0;
    return err_set(e, ERR_INVALID, "duplicate_code",
                   arena_printf(a, "features[%zu].properties.code", second),
                   "区域编码 %s 重复：第 %zu 个与第 %zu 个要素", fs->items[second].code, first + 1,
                   second + 1);
}

int geojson_features_from_json(GEOSContextHandle_t ctx, json_t *root, enum geo_datum datum,
                               struct arena *a, struct geojson_features *out, struct err *e)
{
    out->items = NULL;
    out->n = 0;
    json_t *type = json_is_object(root) ? json_object_get(root, "type") : NULL;
    if (!json_is_string(type) || strcmp(json_string_value(type), "FeatureCollection") != 0)
        return err_set(e, ERR_INVALID, "not_feature_collection", "type",
                       "GeoJSON 必须是 FeatureCollection");
    json_t *features = json_object_get(root, "features");
    if (!features || json_is_null(features))
        return err_set(e, ERR_INVALID, "missing_field", "features",
                       "FeatureCollection 缺少 features");
    if (!json_is_array(features))
        return err_set(e, ERR_INVALID, "invalid_type", "features", "features 必须是数组");
    size_t n = json_array_size(features);
    struct geojson_features fs = {arena_alloc(a, (n ? n : 1) * sizeof(*fs.items)), 0};
    for (; fs.n < n; fs.n++) {
        if (read_feature(ctx, json_array_get(features, fs.n), fs.n, datum, a, &fs.items[fs.n], e) <
            0)
            goto fail;
    }
    if (check_duplicates(&fs, a, e) < 0)
        goto fail;
    *out = fs;
    return 0;
fail:
    geojson_features_release(ctx, &fs);
    return -1;
}

int geojson_features_from_text(GEOSContextHandle_t ctx, const char *text, size_t len,
                               enum geo_datum datum, struct arena *a, struct geojson_features *out,
                               struct err *e)
{
    json_error_t jerr;
    out->items = NULL;
    out->n = 0;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return err_set(e, ERR_INVALID, "invalid_json", NULL,
                       "GeoJSON 不是有效的 JSON（第 %d 行第 %d 列）：%s", jerr.line, jerr.column,
                       jerr.text);
    int rc = geojson_features_from_json(ctx, root, datum, a, out, e);
    json_decref(root);
    return rc;
}

void geojson_features_release(GEOSContextHandle_t ctx, struct geojson_features *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        if (fs->items[i].geom)
            GEOSGeom_destroy_r(ctx, fs->items[i].geom);
        fs->items[i].geom = NULL;
    }
    fs->items = NULL;
    fs->n = 0;
}

/* ---- writing ---- */

static double round7(double v)
{
    return round(v * 1e7) / 1e7;
}

static json_t *write_seq(GEOSContextHandle_t ctx, const GEOSCoordSequence *seq,
                         enum geo_datum datum, int single, int exact)
{
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n))
        return NULL;
    size_t m = n;
    double *xs = xmalloc((m ? m : 1) * sizeof(*xs)), *ys = xmalloc((m ? m : 1) * sizeof(*ys));
    for (unsigned int i = 0; i < n; i++) {
        if (!GEOSCoordSeq_getXY_r(ctx, seq, i, &xs[i], &ys[i])) {
            free(xs);
            free(ys);
            return NULL;
        }
    }
    if (datum == GEO_GCJ02 && !single)
        densify(&xs, &ys, &m); /* straight WGS-84 edges are curves in GCJ-02 */
    json_t *arr = json_array();
    for (size_t i = 0; i < m; i++) {
        double x = xs[i], y = ys[i];
        if (datum == GEO_GCJ02)
            gcj02_from_wgs84(x, y, &x, &y);
        json_t *pos = exact ? json_pack("[ff]", x, y) : json_pack("[ff]", round7(x), round7(y));
        if (single) { /* a Point's coordinates are one position */
            json_decref(arr);
            arr = pos;
            break;
        }
        json_array_append_new(arr, pos);
    }
    free(xs);
    free(ys);
    return arr; /* an empty Point gives [] */
}

static json_t *write_coords(GEOSContextHandle_t ctx, const GEOSGeometry *g, enum geo_datum datum,
                           int exact)
{
    int type = GEOSGeomTypeId_r(ctx, g);
    switch (type) {
    case GEOS_POINT:
        return write_seq(ctx, GEOSGeom_getCoordSeq_r(ctx, g), datum, 1, exact);
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        return write_seq(ctx, GEOSGeom_getCoordSeq_r(ctx, g), datum, 0, exact);
    case GEOS_POLYGON: {
        json_t *rings = json_array();
        if (GEOSisEmpty_r(ctx, g) == 1)
            return rings;
        int holes = GEOSGetNumInteriorRings_r(ctx, g);
        if (holes < 0)
            goto poly_fail;
        for (int i = -1; i < holes; i++) {
            const GEOSGeometry *ring =
                i < 0 ? GEOSGetExteriorRing_r(ctx, g) : GEOSGetInteriorRingN_r(ctx, g, i);
            json_t *c = ring ? write_coords(ctx, ring, datum, exact) : NULL;
            if (!c)
                goto poly_fail;
            json_array_append_new(rings, c);
        }
        return rings;
    poly_fail:
        json_decref(rings);
        return NULL;
    }
    case GEOS_MULTIPOINT:
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON: {
        json_t *parts = json_array();
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(ctx, g, i);
            json_t *c = part ? write_coords(ctx, part, datum, exact) : NULL;
            if (!c) {
                json_decref(parts);
                return NULL;
            }
            json_array_append_new(parts, c);
        }
        return parts;
    }
    default:
        return NULL;
    }
}

static json_t *to_json(GEOSContextHandle_t ctx, const GEOSGeometry *g, enum geo_datum datum,
                       int exact)
{
    static const char *const names[] = {
        [GEOS_POINT] = "Point",
        [GEOS_LINESTRING] = "LineString",
        [GEOS_LINEARRING] = "LineString",
        [GEOS_POLYGON] = "Polygon",
        [GEOS_MULTIPOINT] = "MultiPoint",
        [GEOS_MULTILINESTRING] = "MultiLineString",
        [GEOS_MULTIPOLYGON] = "MultiPolygon",
        [GEOS_GEOMETRYCOLLECTION] = "GeometryCollection",
    };
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type < 0 || (size_t)type >= sizeof(names) / sizeof(names[0]) || !names[type])
        return NULL;
    if (type == GEOS_GEOMETRYCOLLECTION) {
        json_t *list = json_array();
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(ctx, g, i);
            json_t *j = part ? to_json(ctx, part, datum, exact) : NULL;
            if (!j) {
                json_decref(list);
                return NULL;
            }
            json_array_append_new(list, j);
        }
        return json_pack("{ssso}", "type", names[type], "geometries", list);
    }
    json_t *coords = write_coords(ctx, g, datum, exact);
    if (!coords)
        return NULL;
    return json_pack("{ssso}", "type", names[type], "coordinates", coords);
}

json_t *geojson_geometry_to_json(GEOSContextHandle_t ctx, const GEOSGeometry *g,
                                 enum geo_datum datum)
{
    return to_json(ctx, g, datum, 0);
}

json_t *geojson_geometry_to_json_exact(GEOSContextHandle_t ctx, const GEOSGeometry *g,
                                       enum geo_datum datum)
{
    return to_json(ctx, g, datum, 1);
}

/* ---- WKB ---- */

unsigned char *geo_to_wkb(GEOSContextHandle_t ctx, const GEOSGeometry *g, size_t *len)
{
    *len = 0;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx);
    if (!w)
        return NULL;
    GEOSWKBWriter_setOutputDimension_r(ctx, w, 2);
    GEOSWKBWriter_setByteOrder_r(ctx, w, GEOS_WKB_NDR);
    size_t n = 0;
    unsigned char *raw = GEOSWKBWriter_write_r(ctx, w, g, &n);
    GEOSWKBWriter_destroy_r(ctx, w);
    if (!raw)
        return NULL;
    /* Hand out our own allocation: GEOS memory must go back through GEOSFree_r. */
    unsigned char *out = xmalloc(n);
    memcpy(out, raw, n);
    GEOSFree_r(ctx, raw);
    *len = n;
    return out;
}

GEOSGeometry *geo_from_wkb(GEOSContextHandle_t ctx, const unsigned char *bytes, size_t len)
{
    if (!bytes || len == 0)
        return NULL;
    GEOSWKBReader *rd = GEOSWKBReader_create_r(ctx);
    if (!rd)
        return NULL;
    GEOSGeometry *g = GEOSWKBReader_read_r(ctx, rd, bytes, len);
    GEOSWKBReader_destroy_r(ctx, rd);
    return g;
}
