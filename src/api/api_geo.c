/* Geography: the map view, point location, export and import of boundaries. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/respcache.h"
#include "app.h"
#include "domain/area.h"
#include "domain/boundary.h"
#include "domain/gridimport.h"
#include "util/clock.h"

static int query_double(struct req *r, const char *name, double min, double max, double *out)
{
    const char *v = req_query(r, name);
    char *end;
    errno = 0;
    double d = v && *v ? strtod(v, &end) : NAN;
    if (!v || !*v || errno || *end || !isfinite(d) || d < min || d > max)
        return req_fail(r, 400, "invalid_query", name, "查询参数 %s 应为 %g 到 %g 之间的数", name,
                        min, max);
    *out = d;
    return 0;
}

int api_query_crs(struct req *r, enum geo_datum *out)
{
    const char *crs = req_query(r, "crs");
    if (!crs || strcmp(crs, "wgs84") == 0)
        *out = GEO_WGS84;
    else if (strcmp(crs, "gcj02") == 0)
        *out = GEO_GCJ02;
    else
        return req_fail(r, 400, "invalid_query", "crs", "坐标系 crs 只能是 wgs84 或 gcj02");
    return 0;
}

int api_area_map(struct req *r)
{
    long zoom;
    if (req_query_long(r, "zoom", 10, 0, 22, &zoom) < 0)
        return -1;
    /* The body depends on the data and the zoom only. */
    const char *key = arena_printf(&r->arena, "map|%s|%ld", r->area->code, zoom);
    if (respcache_reply(r, key))
        return 0;
    reply_json(r, 200, boundary_map_json(r->db, &r->arena, r->area, (int)zoom));
    respcache_store(r, key);
    return 0;
}

int api_area_export(struct req *r)
{
    enum geo_datum datum;
    if (api_query_crs(r, &datum) < 0)
        return -1;
    /* Every digit: an export must import again into the very same tiling. */
    return reply_json_digits(r, 200,
                             boundary_export_json(r->db, &r->arena, r->area, r->who.scope_path,
                                                  datum == GEO_GCJ02),
                             17);
}

int api_area_locate(struct req *r)
{
    double lng, lat;
    if (query_double(r, "lng", -180, 180, &lng) < 0 || query_double(r, "lat", -90, 90, &lat) < 0)
        return -1;
    struct area_brief chain[16];
    size_t n = boundary_locate_brief(r->db, &r->arena, lng, lat, chain, 16);
    if (n == (size_t)-1)
        return req_fail(r, 500, "locate_failed", NULL, "定位失败");
    if (n == 0 || !area_path_within(r->who.scope_path, chain[n - 1].path))
        return req_fail(r, 404, "outside_area", NULL, "该位置不在您管辖的网格内");
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        if (area_path_within(r->who.scope_path, chain[i].path))
            json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "code", chain[i].code, "name",
                                                  chain[i].name, "level", chain[i].level));
    const struct area_brief *d = &chain[n - 1];
    return reply_json(r, 200, json_pack("{s:{s:s,s:s,s:s,s:s},s:o}", "area", "code", d->code,
                                        "name", d->name, "level", d->level, "level_name",
                                        d->level_name, "chain", list));
}

int api_area_import(struct req *r)
{
    enum geo_datum datum;
    if (api_query_crs(r, &datum) < 0)
        return -1;
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct err e = ERR_INIT;
    struct geojson_features fs = GEOJSON_FEATURES_INIT;
    GEOSContextHandle_t ctx = boundary_geos();
    if (geojson_features_from_json(ctx, body, datum, &r->arena, &fs, &e) < 0)
        return req_fail_err(r, &e);
    double tol = (double)r->app->cfg.tiling_tolerance_m2;
    struct tiling_opts opts = {tol, tol, tol};
    struct grid_import_result res;
    int rc = grid_import(r->db, &r->arena, &fs, r->who.scope_path, 0, &opts, clock_now_ms(), &res,
                         &e);
    geojson_features_release(ctx, &fs);
    if (rc == -2) {
        req_fail(r, 422, "tiling_violations", NULL, "边界检查未通过：%zu 处问题，未写入任何数据",
                 json_array_size(res.violations));
        req_fail_extra(r, "violations", res.violations);
        return -1;
    }
    if (rc < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:i,s:i}", "created", res.created, "updated", res.updated);
    return reply_json(r, 200, json_pack("{s:i,s:i}", "created", res.created, "updated",
                                        res.updated));
}
