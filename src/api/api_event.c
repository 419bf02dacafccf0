/* Events and work orders: intake, the steps of the loop, lists, inboxes,
 * and the reference tables the loop runs on (categories, the step table,
 * the working-day calendar). */
#include <string.h>

#include "api/api.h"
#include "api/api_zero.h"
#include "app.h"
#include "domain/area.h"
#include "domain/calendar.h"
#include "domain/camera.h"
#include "domain/category.h"
#include "domain/dispute.h"
#include "domain/event.h"
#include "domain/workflow.h"
#include "http/stream.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

static struct actor actor_of(struct req *r)
{
    struct actor a = {r->who.account_id, r->who.username, r->who.role, r->who.scope_path,
                      r->who.department_id, 0};
    return a;
}

void api_event_ctx(struct req *r, struct event_ctx *ctx)
{
    ctx->cfg = &r->app->cfg;
    ctx->seal = r->app->seal;
    ctx->now = clock_now_ms();
    event_ctx_load(r->db, &r->arena, ctx);
}

void api_event_publish(struct db *db, int64_t id, const char *action)
{
    struct stream_record rec;
    memset(&rec, 0, sizeof(rec));
    if (event_brief(db, id, rec.area_path, sizeof(rec.area_path), rec.status,
                    sizeof(rec.status), rec.depts, STREAM_MAX_DEPTS, &rec.ndepts) < 0)
        return;
    rec.event_id = id;
    snprintf(rec.kind, sizeof(rec.kind), "event");
    snprintf(rec.action, sizeof(rec.action), "%s", action);
    rec.at_ms = clock_now_ms();
    stream_publish(&rec);
}

/* After the commit: tell the streams. */
static void publish_after_commit(struct req *r)
{
    for (int i = 0; i < r->nnotify; i++)
        api_event_publish(r->db, r->notify_ids[i], r->notify_action);
}

void api_event_notify(struct req *r, const int64_t *ids, int n, const char *action)
{
    r->notify_ids = arena_alloc(&r->arena, (size_t)n * sizeof(*ids));
    memcpy(r->notify_ids, ids, (size_t)n * sizeof(*ids));
    r->nnotify = n;
    r->notify_action = action;
    r->after_commit = publish_after_commit;
}

int api_stream(struct req *r)
{
    return reply_stream(r);
}

int idempotency_key_or_reply(struct req *r, json_t *body)
{
    /* An Idempotency-Key header stands for the body's idempotency_key. */
    const char *hkey = req_header(r, "Idempotency-Key");
    json_t *bkey = json_object_get(body, "idempotency_key");
    if (hkey && bkey && (!json_is_string(bkey) || strcmp(json_string_value(bkey), hkey) != 0))
        return req_fail(r, 400, "idempotency_key_mismatch", "idempotency_key",
                        "请求头 Idempotency-Key 与请求体 idempotency_key 不一致");
    if (hkey && !bkey)
        json_object_set_new(body, "idempotency_key", json_string(hkey));
    return 0;
}

int api_event_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body || idempotency_key_or_reply(r, body) < 0)
        return -1;
    struct event_input in;
    struct err e = ERR_INIT;
    if (event_from_json(body, &r->arena, &in, &e) < 0)
        return req_fail_err(r, &e);
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct actor who = actor_of(r);
    int created = 0;
    int64_t id = event_create(r->db, &r->arena, &ctx, &who, &in, &created, &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "event:%lld", (long long)id);
    if (created && api_zero_event_changed(r, id) < 0)
        return -1;
    if (created && !in.minor)
        api_event_propose(r, id, in.description);
    if (created)
        api_event_notify(r, &id, 1, "report");
    return reply_json(r, created ? 201 : 200, event_to_json(r->db, &r->arena, &ctx, &who, id));
}

int api_event_get(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct actor who = actor_of(r);
    json_t *o = event_to_json(r->db, &r->arena, &ctx, &who, id);
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "事件不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_event_act(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    const char *action = req_param(r, "action");
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct actor who = actor_of(r);
    struct err e = ERR_INIT;
    json_t *allowed = NULL;
    r->audit_object = arena_printf(&r->arena, "event:%ld", id);
    if (event_apply(r->db, &r->arena, &ctx, &who, id, action, body, &allowed, &e) < 0) {
        req_fail_err(r, &e);
        if (allowed)
            req_fail_extra(r, "allowed", allowed);
        return -1;
    }
    if (api_zero_event_changed(r, id) < 0)
        return -1;
    int64_t one = id;
    api_event_notify(r, &one, 1, arena_strdup(&r->arena, action));
    return reply_json(r, 200, event_to_json(r->db, &r->arena, &ctx, &who, id));
}

/* A comma-separated list of known statuses, or NULL; -1 after a 400. */
static int query_statuses(struct req *r, const char **out)
{
    const char *s = req_query(r, "status");
    *out = s;
    if (!s)
        return 0;
    char one[24];
    for (const char *p = s; *p;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == 0 || n >= sizeof(one))
            return req_fail(r, 400, "invalid_query", "status", "status 应为以逗号分隔的状态");
        memcpy(one, p, n);
        one[n] = '\0';
        if (!workflow_status_name(one))
            return req_fail(r, 400, "invalid_query", "status", "没有名为 %s 的状态", one);
        p += n + (c ? 1 : 0);
    }
    return 0;
}

int api_event_list(struct req *r)
{
    struct event_query q = {0};
    const char *dept = req_query(r, "department");
    struct err e = ERR_INIT;
    if (req_query_long(r, "limit", 20, 1, 200, &q.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &q.offset) < 0 || query_statuses(r, &q.statuses) < 0)
        return -1;
    q.light = req_query(r, "light");
    q.minor = req_query(r, "minor");
    q.source = req_query(r, "source");
    if (q.light && strcmp(q.light, "green") && strcmp(q.light, "yellow") && strcmp(q.light, "red"))
        return req_fail(r, 400, "invalid_query", "light", "light 应为 green、yellow 或 red");
    if ((q.minor && jf_check_text(q.minor, strlen(q.minor), "minor", 4, &e) < 0) ||
        (q.source && jf_check_text(q.source, strlen(q.source), "source", 16, &e) < 0))
        return req_fail_err(r, &e);
    if (dept) {
        long d;
        if (conf_parse_long(dept, &d) < 0 || d < 1)
            return req_fail(r, 400, "invalid_query", "department", "department 应为部门编号");
        q.department_id = d;
    }
    /* A department's account sees its department's work, nothing else. */
    if (r->who.department_id)
        q.department_id = r->who.department_id;
    q.scope = api_scope_path(r);
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    return reply_json(r, 200, event_list_json(r->db, &r->arena, &ctx, &q));
}

int api_inbox(struct req *r)
{
    long limit;
    if (req_query_long(r, "limit", 50, 1, 200, &limit) < 0)
        return -1;
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct actor who = actor_of(r);
    return reply_json(r, 200, event_inbox_json(r->db, &r->arena, &ctx, &who, limit));
}

int api_categories(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:o}", "items", category_list_json(r->db)));
}

int api_category_set(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"deadline_h", NULL};
    struct err e = ERR_INIT;
    int64_t hours = 0;
    int has = 0;
    if (jf_only(body, allowed, &e) < 0 || jf_int(body, "deadline_h", 0, 1, 8760, &hours, &has, &e) < 0)
        return req_fail_err(r, &e);
    if (!json_object_get(body, "deadline_h"))
        return req_fail(r, 400, "missing_field", "deadline_h",
                        "请给出处置时限 deadline_h（小时），null 表示恢复分类表的时限");
    const char *minor = req_param(r, "minor");
    r->audit_object = arena_printf(&r->arena, "category:%s", minor);
    int n = category_set_deadline(r->db, minor, has ? (int)hours : 0);
    if (n < 0)
        return req_fail(r, 500, "db_error", NULL, "数据库错误");
    if (n == 0)
        return req_fail(r, 404, "not_found", NULL, "事件小类 %s 不存在", minor);
    return api_categories(r);
}

int api_workflow(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:o}", "items", workflow_table_json()));
}

int api_calendar_list(struct req *r)
{
    long year;
    if (req_query_long(r, "year", 0, 1900, 9999, &year) < 0)
        return -1;
    return reply_json(r, 200, calendar_json(r->db, year));
}

int api_calendar_set(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct calendar_input in;
    struct err e = ERR_INIT;
    if (calendar_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "calendar:%s", in.day);
    if (calendar_set(r->db, &in, &e) < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, calendar_json(r->db, 0));
}

int api_test_sweep(struct req *r)
{
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct err e = ERR_INIT;
    int64_t ids[64], cams[64];
    int n = event_sweep(r->db, &r->arena, &ctx, ids, 64, &e);
    if (n < 0)
        return req_fail_err(r, &e);
    if (n > 0)
        api_event_notify(r, ids, n, "escalate");
    /* Disputes a tier has not settled in its time go one tier up. */
    int d = dispute_sweep(r->db, &r->arena, ctx.now, ids, 64, &e);
    if (d < 0)
        return req_fail_err(r, &e);
    /* Camera outages past camera_offline_h (domain/camera.c). */
    int nc = camera_sweep(r->db, &r->arena, &ctx, ctx.cfg->camera_offline_h * 3600000LL, cams, 64, &e);
    if (nc < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, json_pack("{s:i,s:i,s:i}", "escalated", n, "disputes_escalated", d,
                                        "camera_outages", nc));
}
