/* Special groups and visits. */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/area.h"
#include "domain/group.h"
#include "domain/person.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

static int64_t route_id(struct req *r)
{
    long n = 0;
    conf_parse_long(req_param(r, "id"), &n);
    return n;
}

int api_group_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct group_input in;
    struct err e = ERR_INIT;
    if (group_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    int days = group_duty_days(r->app->cfg.visit_duties, in.type, in.danger_level);
    int64_t now = clock_now_ms();
    int64_t id = group_create(r->db, route_id(r), &in, days, now, &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:s,s:I}", "type", in.type, "group", (json_int_t)id);
    json_t *all = group_person_json(r->db, route_id(r), now);
    json_t *mine = NULL;
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(all, "items"), i, g)
        if (json_integer_value(json_object_get(g, "id")) == id)
            mine = json_incref(g);
    json_decref(all);
    return reply_json(r, 201, mine ? mine : json_object());
}

int api_group_of_person(struct req *r)
{
    r->audit_read = 1; /* membership of a special group is sensitive (PIPL art. 28) */
    return reply_json(r, 200, group_person_json(r->db, route_id(r), clock_now_ms()));
}

int api_group_list(struct req *r)
{
    long limit, offset;
    const char *type = req_query(r, "type"), *due = req_query(r, "due");
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &offset) < 0)
        return -1;
    static const char *const types[] = {"released", "correction", "drug", "mental", "aids", "youth"};
    if (type) {
        int ok = 0;
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            ok |= strcmp(type, types[i]) == 0;
        if (!ok)
            return req_fail(r, 400, "invalid_query", "type", "类型 type 无效");
    }
    if (due && strcmp(due, "all") && strcmp(due, "due") && strcmp(due, "overdue"))
        return req_fail(r, 400, "invalid_query", "due", "due 应为 all、due 或 overdue");
    const char *scope = api_scope_path(r);
    r->audit_read = 1;
    return reply_json(r, 200, group_list_json(r->db, &r->arena, scope, type, due, limit, offset,
                                              clock_now_ms()));
}

int api_visit_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct err e = ERR_INIT;
    int64_t person = 0;
    int has = 0;
    /* person_id was checked against the scope by the router (body_ref). */
    if (jf_int(body, "person_id", 1, 1, INT64_MAX, &person, &has, &e) < 0)
        return req_fail_err(r, &e);
    json_object_del(body, "person_id");
    struct visit_input in;
    if (visit_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    int64_t id = visit_create(r->db, person, &in, r->who.account_id, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "person:%lld", (long long)person);
    return reply_json(r, 201, visit_to_json(r->db, id));
}

int api_visit_list(struct req *r)
{
    r->audit_read = 1;
    return reply_json(r, 200, visit_list_json(r->db, route_id(r)));
}
