/* Social-stability risk assessment, "2466": the case, its six steps, the
 * ratings of the six risk kinds, the outcome, and the counts. */
#include <string.h>

#include "api/api.h"
#include "domain/area.h"
#include "domain/risk.h"
#include "util/clock.h"
#include "util/conf.h"

static struct risk_actor actor_of(struct req *r)
{
    struct risk_actor a = {r->who.account_id, r->who.username, r->who.scope_path};
    return a;
}

static long path_id(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    r->audit_object = arena_printf(&r->arena, "risk:%ld", id);
    return id;
}

static int reply_case(struct req *r, int status, int64_t id)
{
    json_t *o = risk_to_json(r->db, &r->arena, id);
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, status, o);
}

int api_risk_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct risk_input in;
    struct err e = ERR_INIT;
    struct risk_actor who = actor_of(r);
    if (risk_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    int64_t id = risk_create(r->db, &r->arena, &in, &who, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "risk:%lld", (long long)id);
    return reply_case(r, 201, id);
}

int api_risk_get(struct req *r)
{
    return reply_case(r, 200, path_id(r));
}

int api_risk_list(struct req *r)
{
    long limit, offset;
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &offset) < 0)
        return -1;
    const char *status = req_query(r, "status");
    static const char *const known[] = {"in_progress", "concluded", "closed", "exempt",
                                        "postponed"};
    int ok = !status;
    for (size_t i = 0; status && i < sizeof(known) / sizeof(known[0]); i++)
        ok |= strcmp(status, known[i]) == 0;
    if (!ok)
        return req_fail(r, 400, "invalid_query", "status",
                        "status 应为 in_progress、concluded、closed、exempt 或 postponed");
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, risk_list_json(r->db, &r->arena, scope, status, limit, offset));
}

/* A date query parameter (YYYY-MM-DD, Asia/Shanghai) as the instant its day
 * begins; def when absent. -1 after a 400. */
static int query_day(struct req *r, const char *name, int64_t def, int64_t *out)
{
    const char *s = req_query(r, name);
    *out = def;
    if (!s)
        return 0;
    if (strlen(s) != 10 || clock_valid_date(s) != 0 || clock_parse_iso(s, out) < 0)
        return req_fail(r, 400, "invalid_query", name, "%s 应为 YYYY-MM-DD 格式的日期", name);
    return 0;
}

int api_risk_counts(struct req *r)
{
    int64_t from, to;
    if (query_day(r, "from", 0, &from) < 0 || query_day(r, "to", INT64_MAX, &to) < 0)
        return -1;
    if (to != INT64_MAX)
        to += 24 * 3600 * 1000LL; /* the whole last day */
    if (to <= from)
        return req_fail(r, 400, "invalid_query", "to", "结束日期不能早于开始日期");
    struct area own;
    const struct area *ar = r->query_area;
    if (!ar) {
        if (area_get_by_id(r->db, &r->arena, r->who.area_id, &own) < 0)
            return req_fail(r, 404, "area_not_found", "area", "区域不存在");
        ar = &own;
    }
    json_t *o = risk_counts_json(r->db, &r->arena, ar, from, to);
    if (!o)
        return req_fail(r, 500, "db_error", NULL, "数据库错误");
    const char *f = req_query(r, "from"), *t = req_query(r, "to");
    json_object_set_new(o, "from", f ? json_string(f) : json_null());
    json_object_set_new(o, "to", t ? json_string(t) : json_null());
    return reply_json(r, 200, o);
}

int api_risk_step(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    long id = path_id(r), step = 0;
    if (conf_parse_long(req_param(r, "step"), &step) < 0 || step < 1 || step > RISK_STEPS)
        return req_fail(r, 404, "no_such_step", "step", "步骤应为 1 到 6");
    struct err e = ERR_INIT;
    struct risk_actor who = actor_of(r);
    if (risk_step_add(r->db, &r->arena, id, (int)step, body, &who, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    return reply_case(r, 200, id);
}

int api_risk_ratings(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    long id = path_id(r);
    struct err e = ERR_INIT;
    struct risk_actor who = actor_of(r);
    if (risk_rate(r->db, &r->arena, id, body, &who, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    return reply_case(r, 200, id);
}

int api_risk_decision(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    long id = path_id(r);
    struct err e = ERR_INIT;
    if (risk_decide(r->db, &r->arena, id, body, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    return reply_case(r, 200, id);
}
