/* Organisations and units of the grid. */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/area.h"
#include "domain/boundary.h"
#include "domain/org.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

int api_org_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct org_input in;
    struct err e = ERR_INIT;
    if (org_from_json(body, &r->arena, &in, &e) < 0)
        return req_fail_err(r, &e);
    struct area area;
    if (leaf_area_or_reply(r, in.area, &area) < 0)
        return -1;
    if (in.has_point && point_in_area_or_reply(r, in.lng, in.lat, &area) < 0)
        return -1;
    int64_t id = org_create(r->db, r->app->seal, &in, area.id, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "org:%lld", (long long)id);
    return reply_json(r, 201, org_to_json(r->db, id));
}

int api_org_get(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    json_t *o = org_to_json(r->db, id);
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_org_list(struct req *r)
{
    long limit, offset;
    const char *kind = req_query(r, "kind"), *q = req_query(r, "q");
    struct err e = ERR_INIT;
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &offset) < 0)
        return -1;
    if ((kind && jf_check_text(kind, strlen(kind), "kind", 16, &e) < 0) ||
        (q && jf_check_text(q, strlen(q), "q", 64, &e) < 0))
        return req_fail_err(r, &e);
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, org_list_json(r->db, &r->arena, scope, kind, q, limit, offset));
}

int point_in_area_or_reply(struct req *r, double lng, double lat, const struct area *area)
{
    /* The point must fall in the area (and so in the county). */
    if (boundary_contains(r->db, area->id, lng, lat) == 1)
        return 0;
    return req_fail(r, 400, "point_outside_area", "lng", "坐标 (%.6f, %.6f) 不在所属网格 %s 内", lng,
                    lat, area->code);
}
