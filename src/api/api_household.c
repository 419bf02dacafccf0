/* The registry: households — register, read with members, list by area. */
#include "api/api.h"
#include "domain/area.h"
#include "domain/household.h"
#include "util/clock.h"
#include "util/conf.h"

int api_household_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct household_input in;
    struct err e = ERR_INIT;
    if (household_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    struct area area;
    if (leaf_area_or_reply(r, in.area, &area) < 0)
        return -1;
    int64_t id = household_create(r->db, &in, area.id, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "household:%lld", (long long)id);
    return reply_json(r, 201, household_to_json(r->db, id));
}

int api_household_get(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    json_t *o = household_to_json(r->db, id);
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_household_list(struct req *r)
{
    long limit, offset;
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &offset) < 0)
        return -1;
    return reply_json(r, 200, household_list_json(r->db, &r->arena, r->area->path, limit, offset));
}

int leaf_area_or_reply(struct req *r, const char *code, struct area *out)
{
    if (area_get(r->db, &r->arena, code, out) < 0)
        return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在", code);
    if (area_active_children(r->db, out->id) > 0 || out->retired_ms)
        return req_fail(r, 400, "area_not_leaf", "area",
                        "须登记到最小一级的在用网格（如微网格），%s 不是", code);
    return 0;
}
