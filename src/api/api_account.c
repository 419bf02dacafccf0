/* Accounts: list, create, read, disable/rename, reset password. */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/account.h"
#include "domain/area.h"
#include "domain/role.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

static int64_t route_id(struct req *r)
{
    long n = 0;
    conf_parse_long(req_param(r, "id"), &n);
    return n;
}

static struct pw_cost cost_of(struct req *r)
{
    struct pw_cost c = {r->app->cfg.argon2_ops, r->app->cfg.argon2_mem_kib};
    return c;
}

int api_account_list(struct req *r)
{
    long limit, offset;
    const char *role = req_query(r, "role");
    if (req_query_long(r, "limit", 50, 1, 500, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 1000000000, &offset) < 0)
        return -1;
    if (role && !role_find(role))
        return req_fail(r, 400, "invalid_query", "role", "未知角色 %s", role);
    return reply_json(r, 200,
                      account_list_json(r->db, &r->arena, r->who.scope_path, role, limit, offset,
                                        clock_now_ms()));
}

int api_account_create(struct req *r)
{
    struct account_input in;
    struct err e = ERR_INIT;
    struct area area;
    json_t *body = req_body(r);
    if (!body)
        return -1;
    if (account_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    /* The router has checked that body.area lies in the caller's scope. */
    if (area_get(r->db, &r->arena, in.area, &area) < 0)
        return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在", in.area);
    if (area.retired_ms)
        return req_fail(r, 409, "area_retired", "area", "区域 %s 已撤销", in.area);
    struct pw_cost cost = cost_of(r);
    int64_t now = clock_now_ms();
    int64_t id = account_create(r->db, &in, area.id, r->who.role, r->who.account_id, &cost, NULL,
                                now, &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "account:%lld", (long long)id);
    r->audit_detail = json_pack("{s:s,s:s,s:s,s:s?}", "username", in.username, "role", in.role,
                                "area", in.area, "department", in.department);
    return reply_json(r, 201, account_get_json(r->db, id, now));
}

int api_account_get(struct req *r)
{
    json_t *o = account_get_json(r->db, route_id(r), clock_now_ms());
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_account_update(struct req *r)
{
    int64_t id = route_id(r);
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"disabled", NULL};
    struct err e = ERR_INIT;
    int disabled = 0, has = 0;
    if (jf_only(body, allowed, &e) < 0 || jf_bool(body, "disabled", 1, &disabled, &has, &e) < 0)
        return req_fail_err(r, &e);
    if (disabled && id == r->who.account_id)
        return req_fail(r, 409, "cannot_disable_self", "disabled", "不能停用自己的账号");
    if (account_set_disabled(r->db, id, disabled, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_deep_copy(body);
    return reply_json(r, 200, account_get_json(r->db, id, clock_now_ms()));
}

int api_account_password(struct req *r)
{
    int64_t id = route_id(r);
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"password", NULL};
    struct err e = ERR_INIT;
    const char *pw;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "password", 1, 128, &pw, &e) < 0)
        return req_fail_err(r, &e);
    struct pw_cost cost = cost_of(r);
    if (account_set_password(r->db, id, pw, &cost, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    return reply_empty(r, 204);
}
