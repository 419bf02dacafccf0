/* The area tree: browse, search, create, rename, move, retire, staff. */
#include <string.h>

#include "api/api.h"
#include "api/respcache.h"
#include "domain/area.h"
#include "util/clock.h"
#include "util/jsonfield.h"

/* The route's area; the router has already checked that it exists and lies
 * in scope, so failing here is a bug in the table. */
static int route_area(struct req *r, struct area *a)
{
    if (!r->area)
        return req_fail(r, 500, "no_route_object", NULL, "内部错误：路由未解析区域");
    *a = *r->area;
    return 0;
}

int api_area_list(struct req *r)
{
    const char *q = req_query(r, "q");
    long limit;
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0)
        return -1;
    if (q) {
        struct err e = ERR_INIT;
        if (jf_check_text(q, strlen(q), "q", 64, &e) < 0)
            return req_fail_err(r, &e);
        return reply_json(r, 200,
                          json_pack("{s:o}", "items",
                                    area_search(r->db, &r->arena, r->who.scope_path, q, limit)));
    }
    struct area root;
    if (area_get_by_id(r->db, &r->arena, r->who.area_id, &root) < 0)
        return req_fail(r, 500, "scope_missing", NULL, "账号的管辖区域不存在");
    return reply_json(r, 200,
                      json_pack("{s:[o]}", "items", area_summary_json(&root)));
}

int api_area_get(struct req *r)
{
    struct area a;
    if (route_area(r, &a) < 0)
        return -1;
    /* The body depends on the area's data and on the caller's scope (the
     * breadcrumbs are clipped to it). */
    const char *key = arena_printf(&r->arena, "area|%s|%s", r->who.scope_path, a.code);
    if (respcache_reply(r, key))
        return 0;
    reply_json(r, 200, area_to_json(r->db, &r->arena, &a, r->who.scope_path));
    respcache_store(r, key);
    return 0;
}

int api_area_create(struct req *r)
{
    struct area parent, child;
    struct area_input in;
    struct err e = ERR_INIT;
    json_t *body = req_body(r);
    if (!body || route_area(r, &parent) < 0)
        return -1;
    if (area_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    int64_t id = area_create(r->db, &r->arena, &parent, &in, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = in.code;
    r->audit_detail = json_deep_copy(body);
    area_get_by_id(r->db, &r->arena, id, &child);
    return reply_json(r, 201, area_to_json(r->db, &r->arena, &child, r->who.scope_path));
}

int api_area_update(struct req *r)
{
    struct area a, np, *npp = NULL;
    struct area_input in;
    struct err e = ERR_INIT;
    json_t *body = req_body(r);
    if (!body || route_area(r, &a) < 0)
        return -1;
    if (area_update_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    if (in.parent) {
        if (area_get(r->db, &r->arena, in.parent, &np) < 0)
            return req_fail(r, 404, "area_not_found", "parent", "区域 %s 不存在", in.parent);
        npp = &np;
    }
    r->audit_detail = json_pack("{s:o,s:s,s:s}", "change", json_deep_copy(body), "old_name",
                                a.name, "old_path", a.path);
    if (area_update(r->db, &r->arena, &a, &in, npp, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    area_get_by_id(r->db, &r->arena, a.id, &a);
    return reply_json(r, 200, area_to_json(r->db, &r->arena, &a, r->who.scope_path));
}

int api_area_retire(struct req *r)
{
    struct area a;
    struct err e = ERR_INIT;
    if (route_area(r, &a) < 0)
        return -1;
    if (r->body.len) {
        json_t *body = req_body(r);
        static const char *const allowed[] = {"reason", NULL};
        const char *reason;
        if (!body || jf_only(body, allowed, &e) < 0 ||
            jf_str(body, "reason", 0, 200, &reason, &e) < 0)
            return body ? req_fail_err(r, &e) : -1;
        r->audit_detail = json_deep_copy(body);
    }
    if (area_retire(r->db, &a, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    area_get_by_id(r->db, &r->arena, a.id, &a);
    return reply_json(r, 200, area_to_json(r->db, &r->arena, &a, r->who.scope_path));
}

int api_area_staff(struct req *r)
{
    struct area a;
    struct err e = ERR_INIT;
    json_t *body = req_body(r);
    if (!body || route_area(r, &a) < 0)
        return -1;
    if (area_set_staff(r->db, &r->arena, &a, body, r->who.scope_path, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_deep_copy(body);
    return reply_json(r, 200, area_to_json(r->db, &r->arena, &a, r->who.scope_path));
}

const char *api_scope_path(const struct req *r)
{
    return r->query_area ? r->query_area->path : r->who.scope_path;
}
