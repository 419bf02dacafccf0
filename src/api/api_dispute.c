/* The dispute ledger (矛盾纠纷排查化解): register, desk, case, actions,
 * figures, XLSX ledger, configuration, reveal of a party's identifiers. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/api_zero.h"
#include "app.h"
#include "domain/area.h"
#include "domain/dispute.h"
#include "domain/disputestats.h"
#include "http/stream.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

#define DAY_MS 86400000LL

static int64_t route_id(struct req *r, const char *name)
{
    long n = 0;
    conf_parse_long(req_param(r, name), &n);
    return n;
}

static struct dispute_actor actor_of(struct req *r)
{
    struct dispute_actor a = {r->who.account_id, r->who.username, r->who.scope_path};
    return a;
}

/* After the commit: the stream hears of a dispute flagged at risk (民转刑,
 * mass incident) and of any change to one while it is flagged, and of a
 * flag taken off — the township and the county see it at once (SSE event
 * "dispute", filtered by scope like events). */
static void publish_after_commit(struct req *r)
{
    for (int i = 0; i < r->nnotify; i++) {
        struct stream_record rec;
        int flagged = 0;
        memset(&rec, 0, sizeof(rec));
        if (dispute_brief(r->db, r->notify_ids[i], rec.area_path, sizeof(rec.area_path),
                          rec.status, sizeof(rec.status), &flagged) < 0)
            continue;
        if (!flagged && strcmp(r->notify_action, "risk") != 0)
            continue;
        rec.event_id = r->notify_ids[i];
        snprintf(rec.kind, sizeof(rec.kind), "dispute");
        snprintf(rec.action, sizeof(rec.action), "%s", r->notify_action);
        rec.at_ms = clock_now_ms();
        stream_publish(&rec);
    }
}

static void notify(struct req *r, int64_t id, const char *action)
{
    r->notify_ids = arena_alloc(&r->arena, sizeof(int64_t));
    r->notify_ids[0] = id;
    r->nnotify = 1;
    r->notify_action = action;
    r->after_commit = publish_after_commit;
}

/* Recolours the "三零" subjects a written dispute touches (its village, the
 * unit it concerns: a 民转刑 flag is a risk), then replies with it. */
static int zero_and_reply(struct req *r, int status, int64_t id, json_t *o)
{
    const char *path = NULL;
    if (dispute_area_path(r->db, &r->arena, id, &path) == 0 &&
        api_zero_touch(r, path, json_integer_value(json_object_get(o, "org_id"))) < 0) {
        json_decref(o);
        return -1;
    }
    return reply_json(r, status, o);
}

int api_dispute_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    char today[11];
    clock_format_date_cn(clock_now_ms(), today, sizeof(today));
    struct dispute_input *in = arena_alloc(&r->arena, sizeof(*in));
    struct err e = ERR_INIT;
    if (dispute_from_json(body, today, in, &e) < 0)
        return req_fail_err(r, &e);
    struct dispute_actor who = actor_of(r);
    int64_t now = clock_now_ms();
    int64_t id = dispute_create(r->db, &r->arena, r->app->seal, &who, in, now, &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "dispute:%lld", (long long)id);
    notify(r, id, "create");
    return zero_and_reply(r, 201, id, dispute_to_json(r->db, &r->arena, id, now));
}

int api_dispute_get(struct req *r)
{
    json_t *o = dispute_to_json(r->db, &r->arena, route_id(r, "id"), clock_now_ms());
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "纠纷不存在");
    return reply_json(r, 200, o);
}

int api_dispute_act(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    const char *action = req_param(r, "action");
    struct dispute_actor who = actor_of(r);
    struct err e = ERR_INIT;
    int64_t id = route_id(r, "id"), now = clock_now_ms();
    if (dispute_apply(r->db, &r->arena, &who, id, action, body, now, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:s}", "action", action);
    notify(r, id, arena_strdup(&r->arena, action));
    return zero_and_reply(r, 200, id, dispute_to_json(r->db, &r->arena, id, now));
}

/* One of the allowed values, or a 400 naming the query parameter. */
static int query_choice(struct req *r, const char *name, const char *const allowed[],
                        const char **out)
{
    *out = req_query(r, name);
    if (!*out || !**out) {
        *out = NULL;
        return 0;
    }
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, *out) == 0)
            return 0;
    return req_fail(r, 400, "invalid_query", name, "查询参数 %s 的值 %s 无效", name, *out);
}

int api_dispute_list(struct req *r)
{
    static const char *const statuses[] = {"open", "controlled", "resolved", "failed", "active",
                                           NULL};
    static const char *const tiers[] = {"grid", "village", "township", "county", NULL};
    static const char *const dues[] = {"over_limit", "followup", "court", NULL};
    struct dispute_query q = {0};
    long risk = 0, event_id = 0;
    if (query_choice(r, "status", statuses, &q.status) < 0 ||
        query_choice(r, "tier", tiers, &q.tier) < 0 || query_choice(r, "due", dues, &q.due) < 0 ||
        req_query_long(r, "risk", 0, 0, 1, &risk) < 0 ||
        req_query_long(r, "event_id", 0, 0, 1L << 62, &event_id) < 0 ||
        req_query_long(r, "limit", 50, 1, 200, &q.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &q.offset) < 0)
        return -1;
    q.type = req_query(r, "type");
    if (q.type && !*q.type)
        q.type = NULL;
    struct err e = ERR_INIT;
    if (q.type && jf_check_text(q.type, strlen(q.type), "type", 32, &e) < 0)
        return req_fail_err(r, &e);
    q.risk = (int)risk;
    q.event_id = event_id;
    q.scope = api_scope_path(r);
    return reply_json(r, 200, dispute_list_json(r->db, &r->arena, &q, clock_now_ms()));
}

/* ?from= and ?to= as dates (YYYY-MM-DD, Asia/Shanghai; to is inclusive) or
 * ISO times; defaults: all time up to now. */
static int period_or_reply(struct req *r, int64_t *from, int64_t *to)
{
    const char *f = req_query(r, "from"), *t = req_query(r, "to");
    *from = 0;
    *to = clock_now_ms() + 1;
    if (f && *f && clock_parse_iso(f, from) < 0)
        return req_fail(r, 400, "invalid_date", "from", "起始日期 from 应为 YYYY-MM-DD");
    if (t && *t) {
        if (clock_parse_iso(t, to) < 0)
            return req_fail(r, 400, "invalid_date", "to", "截止日期 to 应为 YYYY-MM-DD");
        if (strlen(t) == 10)
            *to += DAY_MS; /* the whole last day */
    }
    if (*to <= *from)
        return req_fail(r, 400, "invalid_period", "to", "截止日期应晚于起始日期");
    return 0;
}

int api_dispute_stats(struct req *r)
{
    int64_t from, to;
    if (period_or_reply(r, &from, &to) < 0)
        return -1;
    const char *scope = api_scope_path(r);
    json_t *o = dispute_stats_json(r->db, &r->arena, scope, from, to, clock_now_ms());
    json_object_set_new(o, "area", json_pack("{s:s,s:s}", "code",
                                             r->query_area ? r->query_area->code : r->who.area_code,
                                             "name",
                                             r->query_area ? r->query_area->name : r->who.area_name));
    return reply_json(r, 200, o);
}

int api_dispute_export(struct req *r)
{
    int64_t from, to;
    if (period_or_reply(r, &from, &to) < 0)
        return -1;
    const char *scope = api_scope_path(r);
    const char *label = r->query_area ? r->query_area->name : r->who.area_name;
    char path[] = "/tmp/pingan-disputes-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法创建临时文件");
    close(fd);
    struct err e = ERR_INIT;
    long n = dispute_export_xlsx(r->db, &r->arena, scope, from, to, clock_now_ms(), path, &e);
    fd = n >= 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path); /* the open descriptor keeps it until the answer is sent */
    if (n < 0)
        return req_fail_err(r, &e);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法读取导出文件");
    r->audit_read = 1; /* parties' names go out */
    r->audit_detail = json_pack("{s:i,s:s}", "disputes", (int)n, "area",
                                r->query_area ? r->query_area->code : r->who.area_code);
    char day[11];
    clock_format_date_cn(clock_now_ms(), day, sizeof(day));
    return reply_file(r, fd, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      arena_printf(&r->arena, "矛盾纠纷台账-%s-%s.xlsx", label, day));
}

int api_dispute_meta(struct req *r)
{
    return reply_json(r, 200, dispute_meta_json(r->db));
}

int api_dispute_settings(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct err e = ERR_INIT;
    if (dispute_settings_set(r->db, body, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = "dispute:settings";
    return reply_json(r, 200, dispute_meta_json(r->db));
}

int api_dispute_party_reveal(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"reason", NULL};
    struct err e = ERR_INIT;
    const char *reason;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "reason", 1, 200, &reason, &e) < 0)
        return req_fail_err(r, &e);
    size_t chars = 0;
    for (const char *p = reason; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80 && *p != ' ';
    if (chars < 2)
        return req_fail(r, 400, "reason_too_short", "reason", "请写明查看的事由（至少2个字）");
    int64_t party = route_id(r, "party");
    json_t *o = dispute_party_reveal_json(r->db, r->app->seal, route_id(r, "id"), party, &e);
    if (!o)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:s,s:I}", "reason", reason, "party", (json_int_t)party);
    return reply_json(r, 200, o);
}
