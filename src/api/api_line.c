/* 护路护线: railways, roads and other lines with their responsible units. */
#include <string.h>

#include "api/api.h"
#include "domain/area.h"
#include "domain/routeline.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

int api_line_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct line_input in;
    struct err e = ERR_INIT;
    if (line_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    int64_t id = line_create(r->db, &r->arena, &in, r->who.scope_path, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "line:%lld", (long long)id);
    return reply_json(r, 201, line_to_json(r->db, &r->arena, id, r->who.scope_path, in.crs));
}

int api_line_get(struct req *r)
{
    long id = 0;
    enum geo_datum crs;
    if (api_query_crs(r, &crs) < 0)
        return -1;
    conf_parse_long(req_param(r, "id"), &id);
    json_t *o = line_to_json(r->db, &r->arena, id, r->who.scope_path, crs);
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_line_list(struct req *r)
{
    enum geo_datum crs;
    const char *kind = req_query(r, "kind"), *geometry = req_query(r, "geometry");
    struct err e = ERR_INIT;
    if (api_query_crs(r, &crs) < 0)
        return -1;
    if (kind && jf_check_text(kind, strlen(kind), "kind", 16, &e) < 0)
        return req_fail_err(r, &e);
    if (geometry && strcmp(geometry, "0") && strcmp(geometry, "1"))
        return req_fail(r, 400, "invalid_query", "geometry", "geometry 只能是 0 或 1");
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, line_list_json(r->db, &r->arena, scope, kind,
                                             geometry && strcmp(geometry, "1") == 0, crs));
}
