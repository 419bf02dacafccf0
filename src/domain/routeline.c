#include "routeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/boundary.h"
#include "geo/distance.h"
#include "store/db.h"
#include "util/jsonfield.h"
#include "util/keyname.h"
#include "util/xalloc.h"

static const struct keyname kinds[] = {
    {"railway", "铁路"},   {"highway", "高速公路"},  {"road", "公路"},     {"power", "电力线路"},
    {"pipeline", "油气管道"}, {"telecom", "通信线路"}, {"other", "其他"},     {NULL, NULL},
};

static const char *kind_name(const char *k)
{
    return keyname_name(kinds, k);
}

int line_from_json(json_t *body, struct line_input *in, struct err *e)
{
    static const char *const allowed[] = {"name",         "kind",          "unit_name",
                                          "unit_contact", "unit_address",  "jurisdiction",
                                          "security_lead", "hazard_level", "hazard_notes",
                                          "geometry",     "crs",           NULL};
    memset(in, 0, sizeof(*in));
    const char *crs = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "name", 1, 64, &in->name, e) < 0 ||
        jf_str(body, "kind", 1, 16, &in->kind, e) < 0 ||
        jf_str(body, "unit_name", 1, 64, &in->unit_name, e) < 0 ||
        jf_str(body, "unit_contact", 0, 32, &in->unit_contact, e) < 0 ||
        jf_str(body, "unit_address", 0, 128, &in->unit_address, e) < 0 ||
        jf_str(body, "jurisdiction", 0, 64, &in->jurisdiction, e) < 0 ||
        jf_str(body, "security_lead", 0, 32, &in->security_lead, e) < 0 ||
        jf_str(body, "hazard_level", 0, 8, &in->hazard_level, e) < 0 ||
        jf_str(body, "hazard_notes", 0, 500, &in->hazard_notes, e) < 0 ||
        jf_str(body, "crs", 0, 8, &crs, e) < 0)
        return -1;
    if (!kind_name(in->kind))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind",
                       "线路类型应为 railway、highway、road、power、pipeline、telecom 或 other");
    if (!in->hazard_level)
        in->hazard_level = "none";
    if (strcmp(in->hazard_level, "none") && strcmp(in->hazard_level, "low") &&
        strcmp(in->hazard_level, "medium") && strcmp(in->hazard_level, "high"))
        return err_set(e, ERR_INVALID, "invalid_hazard_level", "hazard_level",
                       "治安隐患等级应为 none、low、medium 或 high");
    if (crs && strcmp(crs, "wgs84") && strcmp(crs, "gcj02"))
        return err_set(e, ERR_INVALID, "invalid_crs", "crs", "坐标系应为 wgs84 或 gcj02");
    in->crs = crs && strcmp(crs, "gcj02") == 0 ? GEO_GCJ02 : GEO_WGS84;
    in->geometry = json_object_get(body, "geometry");
    if (!in->geometry || json_is_null(in->geometry))
        return err_set(e, ERR_INVALID, "missing_field", "geometry",
                       "缺少线路走向 geometry（GeoJSON LineString）");
    return 0;
}

double line_length_m(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, g);
        unsigned int n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n))
            return 0;
        double total = 0, px = 0, py = 0;
        for (unsigned int i = 0; i < n; i++) {
            double x, y;
            GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
            if (i)
                total += geo_distance_m(px, py, x, y);
            px = x;
            py = y;
        }
        return total;
    }
    if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        double total = 0;
        int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; i++)
            total += line_length_m(ctx, GEOSGetGeometryN_r(ctx, g, i));
        return total;
    }
    return 0; /* points where the line only touches */
}

struct crossing {
    int64_t area_id;
    char *path;
    double length_m;
};

/* The leaf areas (micro-grids) the line crosses, with the length inside each. */
static size_t cut_by_grids(struct db *db, GEOSContextHandle_t ctx, const GEOSGeometry *line,
                           struct crossing **out)
{
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(ctx, line, &x0);
    GEOSGeom_getYMin_r(ctx, line, &y0);
    GEOSGeom_getXMax_r(ctx, line, &x1);
    GEOSGeom_getYMax_r(ctx, line, &y1);
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.id, a.path, a.boundary FROM area a WHERE a.retired_ms IS NULL "
            "AND a.boundary IS NOT NULL AND a.max_lng >= ? AND a.min_lng <= ? "
            "AND a.max_lat >= ? AND a.min_lat <= ? AND NOT EXISTS (SELECT 1 FROM area c "
            "WHERE c.parent_id = a.id AND c.retired_ms IS NULL)");
    sqlite3_bind_double(st, 1, x0);
    sqlite3_bind_double(st, 2, x1);
    sqlite3_bind_double(st, 3, y0);
    sqlite3_bind_double(st, 4, y1);
    size_t n = 0, cap = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        GEOSGeometry *poly =
            geo_from_wkb(ctx, sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2));
        if (!poly)
            continue;
        double len = 0;
        if (GEOSIntersects_r(ctx, poly, line) == 1) {
            GEOSGeometry *part = GEOSIntersection_r(ctx, line, poly);
            if (part) {
                len = line_length_m(ctx, part);
                GEOSGeom_destroy_r(ctx, part);
            }
        }
        GEOSGeom_destroy_r(ctx, poly);
        if (len < 0.01)
            continue;
        if (n == cap)
            *out = xrealloc(*out, sizeof(**out) * (cap = cap ? cap * 2 : 32));
        (*out)[n].area_id = sqlite3_column_int64(st, 0);
        (*out)[n].path = xstrdup(db_col_text(st, 1));
        (*out)[n].length_m = len;
        n++;
    }
    sqlite3_reset(st);
    return n;
}

/* The id of the deepest area whose path starts every crossing's path. */
static int64_t common_area(const struct crossing *c, size_t n, struct arena *a, const char **path)
{
    size_t len = strlen(c[0].path);
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && c[i].path[k] == c[0].path[k])
            k++;
        len = k;
    }
    while (len > 0 && c[0].path[len - 1] != '/')
        len--;
    char *p = arena_alloc(a, len + 1);
    memcpy(p, c[0].path, len);
    p[len] = '\0';
    *path = p;
    /* The last id of "/1/7/42/". */
    if (len < 2)
        return 0;
    size_t start = len - 1;
    while (start > 0 && p[start - 1] != '/')
        start--;
    return strtoll(p + start, NULL, 10);
}

int64_t line_create(struct db *db, struct arena *a, const struct line_input *in,
                    const char *scope, int64_t now, struct err *e)
{
    GEOSContextHandle_t ctx = boundary_geos();
    GEOSGeometry *line =
        geojson_line_from_json(ctx, in->geometry, in->crs, "geometry", in->name, a, e);
    if (!line)
        return -1;
    struct crossing *c = NULL;
    size_t n = cut_by_grids(db, ctx, line, &c);
    double total = line_length_m(ctx, line), inside = 0;
    for (size_t i = 0; i < n; i++)
        inside += c[i].length_m;
    int64_t id = -1;
    const char *lca = NULL;
    int64_t area_id = n ? common_area(c, n, a, &lca) : 0;
    if (!n || total - inside > fmax(5.0, total * 0.001)) {
        err_set(e, ERR_INVALID, "line_outside_grids", "geometry",
                "线路 %s 全长 %.0f 米，其中 %.0f 米不在任何网格内", in->name, total,
                total - inside);
        goto out;
    }
    if (!area_id || !area_path_within(scope, lca)) {
        err_set(e, ERR_FORBIDDEN, "line_outside_scope", "geometry", "线路 %s 超出您的管辖范围",
                in->name);
        goto out;
    }
    json_t *gj = geojson_geometry_to_json(ctx, line, GEO_WGS84);
    char *text = gj ? json_dumps(gj, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(gj);
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO route_line (area_id, name, kind, unit_name, unit_contact, unit_address, "
            "jurisdiction, security_lead, hazard_level, hazard_notes, geometry, length_m, "
            "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, in->name);
    db_bind_text(st, 3, in->kind);
    db_bind_text(st, 4, in->unit_name);
    db_bind_text(st, 5, in->unit_contact);
    db_bind_text(st, 6, in->unit_address);
    db_bind_text(st, 7, in->jurisdiction);
    db_bind_text(st, 8, in->security_lead);
    db_bind_text(st, 9, in->hazard_level);
    db_bind_text(st, 10, in->hazard_notes);
    db_bind_text(st, 11, text);
    sqlite3_bind_double(st, 12, total);
    db_bind_int(st, 13, now);
    db_bind_int(st, 14, now);
    int rc = text ? sqlite3_step(st) : SQLITE_ERROR;
    sqlite3_reset(st);
    free(text);
    if (rc != SQLITE_DONE) {
        err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
        goto out;
    }
    id = sqlite3_last_insert_rowid(db_handle(db));
    st = db_prepare(db, "INSERT INTO route_line_grid (line_id, area_id, length_m) VALUES (?, ?, ?)");
    for (size_t i = 0; i < n && id > 0; i++) {
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, c[i].area_id);
        sqlite3_bind_double(st, 3, c[i].length_m);
        if (sqlite3_step(st) != SQLITE_DONE) {
            err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
            id = -1;
        }
        sqlite3_reset(st);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(c[i].path);
    free(c);
    GEOSGeom_destroy_r(ctx, line);
    return id;
}

int line_area_path(struct db *db, struct arena *a, int64_t id, const char *scope,
                   const char **path)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT ar.path FROM route_line_grid lg JOIN area ar ON ar.id = lg.area_id "
            "WHERE lg.line_id = ?1 AND ar.path >= ?2 AND ar.path < ?3 LIMIT 1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, scope);
    db_bind_text(st, 3, area_path_upper(a, scope));
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        *path = arena_strdup(a, db_col_text(st, 0));
    sqlite3_reset(st);
    if (found)
        return 0;
    return area_path_of(db, a,
                        "SELECT ar.path FROM route_line l JOIN area ar ON ar.id = l.area_id "
                        "WHERE l.id = ?",
                        id, path);
}

/* The stored WGS-84 course, in the datum asked for. */
static json_t *course(const char *text, enum geo_datum crs, struct arena *a)
{
    json_t *g = json_loads(text, 0, NULL);
    if (!g || crs == GEO_WGS84)
        return g ? g : json_null();
    GEOSContextHandle_t ctx = boundary_geos();
    struct err e = ERR_INIT;
    GEOSGeometry *line = geojson_line_from_json(ctx, g, GEO_WGS84, "geometry", "", a, &e);
    json_decref(g);
    if (!line)
        return json_null();
    json_t *out = geojson_geometry_to_json(ctx, line, crs);
    GEOSGeom_destroy_r(ctx, line);
    return out ? out : json_null();
}

#define LINE_COLS                                                                                  \
    "l.id, l.name, l.kind, l.unit_name, l.unit_contact, l.unit_address, l.jurisdiction, "         \
    "l.security_lead, l.hazard_level, l.hazard_notes, l.length_m, ar.code, ar.name, l.geometry "

static json_t *line_row(sqlite3_stmt *st)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:f,s:{s:s,s:s}}", "id",
                     (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1), "kind",
                     db_col_text(st, 2), "kind_name", kind_name(db_col_text(st, 2)), "unit_name",
                     db_col_text(st, 3), "unit_contact", db_col_text_or_null(st, 4),
                     "unit_address", db_col_text_or_null(st, 5), "jurisdiction",
                     db_col_text_or_null(st, 6), "security_lead", db_col_text_or_null(st, 7),
                     "hazard_level", db_col_text(st, 8), "hazard_notes",
                     db_col_text_or_null(st, 9), "length_m",
                     round(sqlite3_column_double(st, 10)), "area", "code", db_col_text(st, 11),
                     "name", db_col_text(st, 12));
}

json_t *line_to_json(struct db *db, struct arena *a, int64_t id, const char *scope,
                     enum geo_datum crs)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " LINE_COLS "FROM route_line l JOIN area ar ON ar.id = l.area_id WHERE l.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = line_row(st);
        json_object_set_new(o, "geometry", course(db_col_text(st, 13), crs, a));
    }
    sqlite3_reset(st);
    if (!o)
        return NULL;
    /* The crossed grids inside the caller's scope, and the length there. */
    st = db_prepare(db, "SELECT ar.code, ar.name, lg.length_m FROM route_line_grid lg "
                        "JOIN area ar ON ar.id = lg.area_id WHERE lg.line_id = ?1 "
                        "AND ar.path >= ?2 AND ar.path < ?3 ORDER BY ar.code");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, scope);
    db_bind_text(st, 3, area_path_upper(a, scope));
    json_t *grids = json_array();
    double in_scope = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        in_scope += sqlite3_column_double(st, 2);
        json_array_append_new(grids, json_pack("{s:s,s:s,s:f}", "code", db_col_text(st, 0), "name",
                                               db_col_text(st, 1), "length_m",
                                               round(sqlite3_column_double(st, 2))));
    }
    sqlite3_reset(st);
    json_object_set_new(o, "grids", grids);
    json_object_set_new(o, "length_in_scope_m", json_real(round(in_scope)));
    return o;
}

json_t *line_list_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                       int geometry, enum geo_datum crs)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " LINE_COLS ", s.len, s.grids FROM (SELECT lg.line_id AS id, "
            "sum(lg.length_m) AS len, count(*) AS grids FROM route_line_grid lg "
            "JOIN area g ON g.id = lg.area_id WHERE g.path >= ?1 AND g.path < ?2 "
            "GROUP BY lg.line_id) s JOIN route_line l ON l.id = s.id "
            "JOIN area ar ON ar.id = l.area_id WHERE ?3 IS NULL OR l.kind = ?3 "
            "ORDER BY l.name, l.id LIMIT 1000");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_text(st, 3, kind);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = line_row(st);
        json_object_set_new(o, "length_in_area_m", json_real(round(sqlite3_column_double(st, 14))));
        json_object_set_new(o, "grids_crossed", json_integer(sqlite3_column_int64(st, 15)));
        if (geometry)
            json_object_set_new(o, "geometry", course(db_col_text(st, 13), crs, a));
        json_array_append_new(items, o);
    }
    sqlite3_reset(st);
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items));
}
