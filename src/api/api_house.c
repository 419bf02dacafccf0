/* Houses and rental housing (出租房屋) with their tenants. */
#include <string.h>

#include "api/api.h"
#include "domain/area.h"
#include "domain/house.h"
#include "util/clock.h"
#include "util/conf.h"

static int64_t route_id(struct req *r)
{
    long n = 0;
    conf_parse_long(req_param(r, "id"), &n);
    return n;
}

int api_house_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct house_input in;
    struct err e = ERR_INIT;
    if (house_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    struct area area;
    if (leaf_area_or_reply(r, in.area, &area) < 0 ||
        (in.has_point && point_in_area_or_reply(r, in.lng, in.lat, &area) < 0))
        return -1;
    int64_t id = house_create(r->db, &in, area.id, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "house:%lld", (long long)id);
    return reply_json(r, 201, house_to_json(r->db, id));
}

int api_house_get(struct req *r)
{
    json_t *o = house_to_json(r->db, route_id(r));
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_house_list(struct req *r)
{
    long limit, offset, rental;
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &offset) < 0 ||
        req_query_long(r, "rental", 0, 0, 1, &rental) < 0)
        return -1;
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, house_list_json(r->db, &r->arena, scope, (int)rental, limit, offset));
}

int api_house_tenant(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct err e = ERR_INIT;
    /* The tenant (person_id) was checked against the scope by the router. */
    if (house_add_tenant(r->db, route_id(r), body, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:O}", "tenant", json_object_get(body, "person_id"));
    return reply_json(r, 201, house_to_json(r->db, route_id(r)));
}
