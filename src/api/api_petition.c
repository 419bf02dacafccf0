/* The petition ledger (信访台账): registration, the steps on the statutory
 * clock, lists with lights and overdue work, repeat candidates, the
 * revealing of petitioners' identifiers (audited), figures, the XLSX ledger,
 * the "五必访" lists and the leaders' reception days. The router has checked
 * permission and scope; this validates, calls the domain and renders. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/api_zero.h"
#include "app.h"
#include "domain/area.h"
#include "domain/calendar.h"
#include "domain/petition.h"
#include "domain/petitionexport.h"
#include "domain/petitionflow.h"
#include "domain/petitionrepeat.h"
#include "domain/petitionstats.h"
#include "domain/petitionvisit.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

void api_petition_ctx(struct req *r, struct petition_ctx *ctx)
{
    ctx->seal = r->app->seal;
    ctx->now = clock_now_ms();
    ctx->yellow_percent = (int)r->app->cfg.yellow_percent;
    calendar_load(r->db, &r->arena, &ctx->cal);
}

static struct petition_actor actor_of(struct req *r)
{
    struct petition_actor a = {r->who.account_id, r->who.username, r->who.scope_path};
    return a;
}

static int64_t route_id(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    return id;
}

/* Recolours the "三零" subjects a written petition touches (its village,
 * the unit it concerns), then replies with it. */
static int zero_and_reply(struct req *r, int status, int64_t id, json_t *o)
{
    const char *path = NULL;
    if (petition_area_path(r->db, &r->arena, id, &path) == 0 &&
        api_zero_touch(r, path, json_integer_value(json_object_get(o, "org_id"))) < 0) {
        json_decref(o);
        return -1;
    }
    return reply_json(r, status, o);
}

int api_petition_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct petition_ctx ctx;
    api_petition_ctx(r, &ctx);
    char today[11];
    clock_format_date_cn(ctx.now, today, sizeof(today));
    struct petition_input in;
    struct err e = ERR_INIT;
    if (petition_from_json(body, &r->arena, today, &in, &e) < 0)
        return req_fail_err(r, &e);
    struct petition_actor who = actor_of(r);
    int64_t earlier = 0;
    int64_t id = petition_create(r->db, &r->arena, &ctx, &who, &in, &earlier, &e);
    if (id < 0) {
        req_fail_err(r, &e);
        if (earlier) {
            json_t *o = petition_to_json(r->db, &r->arena, &ctx, earlier);
            req_fail_extra(r, "earlier",
                           json_pack("{s:I,s:O,s:O,s:O}", "id", (json_int_t)earlier, "track_code",
                                     json_object_get(o, "track_code"), "title",
                                     json_object_get(o, "title"), "recheck_outcome_name",
                                     json_object_get(o, "recheck_outcome_name")));
            json_decref(o);
        }
        return -1;
    }
    r->audit_object = arena_printf(&r->arena, "petition:%lld", (long long)id);
    return zero_and_reply(r, 201, id, petition_to_json(r->db, &r->arena, &ctx, id));
}

int api_petition_get(struct req *r)
{
    struct petition_ctx ctx;
    api_petition_ctx(r, &ctx);
    json_t *o = petition_to_json(r->db, &r->arena, &ctx, route_id(r));
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "信访件不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_petition_act(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    int64_t id = route_id(r);
    const char *action = req_param(r, "action");
    struct petition_ctx ctx;
    api_petition_ctx(r, &ctx);
    struct petition_actor who = actor_of(r);
    struct err e = ERR_INIT;
    json_t *allowed = NULL;
    if (petition_apply(r->db, &r->arena, &ctx, &who, id, action, body, &allowed, &e) < 0) {
        req_fail_err(r, &e);
        if (allowed)
            req_fail_extra(r, "allowed", allowed);
        return -1;
    }
    return zero_and_reply(r, 200, id, petition_to_json(r->db, &r->arena, &ctx, id));
}

int api_petition_reveal(struct req *r)
{
    struct err e = ERR_INIT;
    json_t *o = petition_reveal_json(r->db, r->app->seal, route_id(r), &e);
    if (!o)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:I}", "petitioners", (json_int_t)json_array_size(o));
    return reply_json(r, 200, json_pack("{s:o}", "petitioners", o));
}

int api_petition_similar(struct req *r)
{
    return reply_json(r, 200,
                      json_pack("{s:o}", "items",
                                petition_similar_json(r->db, &r->arena, route_id(r),
                                                      r->who.scope_path, PETITION_REPEAT, 10)));
}

int api_petition_repeat(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"earlier", NULL};
    struct err e = ERR_INIT;
    int64_t earlier = 0;
    int present;
    if (jf_only(body, allowed, &e) < 0 ||
        jf_int(body, "earlier", 1, 1, INT64_MAX, &earlier, &present, &e) < 0)
        return req_fail_err(r, &e);
    /* The earlier petition lies in the caller's scope: the router checked it. */
    struct petition_ctx ctx;
    api_petition_ctx(r, &ctx);
    struct petition_actor who = actor_of(r);
    int64_t id = route_id(r);
    if (petition_mark_repeat(r->db, &ctx, &who, id, earlier, &e) < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, petition_to_json(r->db, &r->arena, &ctx, id));
}

/* ?from=&to= as dates (both included): [from 00:00, to + 1 day) in ms;
 * absent: 0. -1 after a 400. */
static int query_dates(struct req *r, int64_t *from, int64_t *to)
{
    const char *names[] = {"from", "to"};
    int64_t *outs[] = {from, to};
    for (int i = 0; i < 2; i++) {
        const char *v = req_query(r, names[i]);
        *outs[i] = 0;
        if (!v)
            continue;
        if (clock_valid_date(v) < 0 || clock_parse_iso(v, outs[i]) < 0)
            return req_fail(r, 400, "invalid_query", names[i], "%s 应为日期 YYYY-MM-DD", names[i]);
    }
    if (*to)
        *to += 86400000;
    if (*from && *to && *from >= *to)
        return req_fail(r, 400, "invalid_query", "to", "to 不能早于 from");
    return 0;
}

int api_petition_list(struct req *r)
{
    struct petition_query q = {0};
    struct err e = ERR_INIT;
    long overdue = 0, supervised = 0;
    if (req_query_long(r, "limit", 20, 1, 200, &q.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &q.offset) < 0 ||
        req_query_long(r, "overdue", 0, 0, 1, &overdue) < 0 ||
        req_query_long(r, "supervised", 0, 0, 1, &supervised) < 0 ||
        query_dates(r, &q.from_ms, &q.to_ms) < 0)
        return -1;
    q.overdue = (int)overdue;
    q.supervised = (int)supervised;
    q.statuses = req_query(r, "status");
    q.light = req_query(r, "light");
    q.q = req_query(r, "q");
    if (q.statuses) {
        char one[24];
        for (const char *p = q.statuses; *p;) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            if (n == 0 || n >= sizeof(one))
                return req_fail(r, 400, "invalid_query", "status", "status 应为以逗号分隔的状态");
            memcpy(one, p, n);
            one[n] = '\0';
            if (!petitionflow_status_name(one))
                return req_fail(r, 400, "invalid_query", "status", "没有名为 %s 的状态", one);
            p += n + (c ? 1 : 0);
        }
    }
    if (q.light && strcmp(q.light, "green") && strcmp(q.light, "yellow") && strcmp(q.light, "red"))
        return req_fail(r, 400, "invalid_query", "light", "light 应为 green、yellow 或 red");
    if (q.q && jf_check_text(q.q, strlen(q.q), "q", 50, &e) < 0)
        return req_fail_err(r, &e);
    q.scope = api_scope_path(r);
    struct petition_ctx ctx;
    api_petition_ctx(r, &ctx);
    return reply_json(r, 200, petition_list_json(r->db, &r->arena, &ctx, &q));
}

int api_petition_stats(struct req *r)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    char dfrom[11], dto[11];
    int64_t now = clock_now_ms();
    clock_format_date_cn(now, dto, sizeof(dto));
    snprintf(dfrom, sizeof(dfrom), "%.4s-01-01", dto);
    if (!from)
        from = dfrom;
    if (!to)
        to = dto;
    if (clock_valid_date(from) < 0)
        return req_fail(r, 400, "invalid_query", "from", "from 应为日期 YYYY-MM-DD");
    if (clock_valid_date(to) < 0)
        return req_fail(r, 400, "invalid_query", "to", "to 应为日期 YYYY-MM-DD");
    if (strcmp(from, to) > 0)
        return req_fail(r, 400, "invalid_query", "to", "to 不能早于 from");
    struct area own;
    const struct area *area = r->query_area;
    if (!area) {
        if (area_get(r->db, &r->arena, r->who.area_code, &own) < 0)
            return req_fail(r, 404, "area_not_found", "area", "区域不存在");
        area = &own;
    }
    json_t *o = petitionstats_json(r->db, &r->arena, area, from, to, now);
    if (!o)
        return req_fail(r, 500, "db_error", NULL, "统计失败");
    return reply_json(r, 200, o);
}

int api_petition_export(struct req *r)
{
    r->audit_read = 1; /* names go out: every outcome is audited */
    int64_t from = 0, to = 0;
    if (query_dates(r, &from, &to) < 0)
        return -1;
    const char *scope = api_scope_path(r);
    const char *label = r->query_area ? r->query_area->name : r->who.area_name;
    char path[] = "/tmp/pingan-petitions-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法创建临时文件");
    close(fd);
    struct err e = ERR_INIT;
    long n = petition_export_xlsx(r->db, &r->arena, scope, from, to, clock_now_ms(), path, &e);
    fd = n >= 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);
    if (n < 0)
        return req_fail_err(r, &e);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法读取导出文件");
    r->audit_detail = json_pack("{s:I,s:s}", "petitions", (json_int_t)n, "area",
                                r->query_area ? r->query_area->code : r->who.area_code);
    char day[11];
    clock_format_date_cn(clock_now_ms(), day, sizeof(day));
    return reply_file(r, fd, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      arena_printf(&r->arena, "信访台账-%s-%s.xlsx", label, day));
}

int api_petition_visits(struct req *r)
{
    long limit;
    if (req_query_long(r, "limit", 100, 1, 500, &limit) < 0)
        return -1;
    const char *kind = req_query(r, "kind");
    if (kind && !petitionvisit_kind_name(kind))
        return req_fail(r, 400, "invalid_query", "kind",
                        "kind 应为 sign、active、longterm、closed 或 key_group");
    const char *scope = api_scope_path(r);
    return reply_json(r, 200,
                      petitionvisit_due_json(r->db, &r->arena, scope, kind, clock_now_ms(), limit));
}

int api_petition_visit_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"person_id", "kind", "petition_id", "notes", NULL};
    struct err e = ERR_INIT;
    int64_t person = 0, petition = 0;
    int present;
    const char *kind = NULL, *notes = NULL;
    /* person_id was checked against the scope by the router (body_ref). */
    if (jf_only(body, allowed, &e) < 0 ||
        jf_int(body, "person_id", 1, 1, INT64_MAX, &person, &present, &e) < 0 ||
        jf_str(body, "kind", 1, 16, &kind, &e) < 0 ||
        jf_int(body, "petition_id", 0, 1, INT64_MAX, &petition, &present, &e) < 0 ||
        jf_str(body, "notes", 0, 2000, &notes, &e) < 0)
        return req_fail_err(r, &e);
    if (petition) {
        const char *path;
        if (petition_area_path(r->db, &r->arena, petition, &path) < 0 ||
            !area_path_within(r->who.scope_path, path))
            return req_fail(r, 404, "not_found", "petition_id",
                            "信访件 %lld 不存在或不在您的管辖范围内", (long long)petition);
    }
    int64_t id = petitionvisit_record(r->db, person, kind, petition, r->who.account_id, notes,
                                      clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "person:%lld", (long long)person);
    return reply_json(r, 201,
                      json_pack("{s:I,s:I,s:s}", "id", (json_int_t)id, "person_id",
                                (json_int_t)person, "kind", kind));
}

int api_petition_receptions(struct req *r)
{
    long limit;
    if (req_query_long(r, "limit", 50, 1, 200, &limit) < 0)
        return -1;
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, petition_reception_list_json(r->db, &r->arena, scope, limit));
}

int api_petition_reception_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"area", "day", "leader", "place", NULL};
    struct err e = ERR_INIT;
    const char *code = NULL, *day = NULL, *leader = NULL, *place = NULL;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "area", 1, 32, &code, &e) < 0 ||
        jf_str(body, "day", 1, 10, &day, &e) < 0 ||
        jf_str(body, "leader", 1, 60, &leader, &e) < 0 ||
        jf_str(body, "place", 1, 100, &place, &e) < 0)
        return req_fail_err(r, &e);
    if (clock_valid_date(day) < 0)
        return req_fail(r, 400, "invalid_value", "day", "day 应为日期 YYYY-MM-DD");
    struct area a;
    /* The router checked the area (body_area). */
    if (area_get(r->db, &r->arena, code, &a) < 0)
        return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在", code);
    int64_t id =
        petition_reception_create(r->db, a.id, a.path, day, leader, place, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "reception:%lld", (long long)id);
    return reply_json(r, 201,
                      json_pack("{s:I,s:s,s:s,s:s,s:{s:s,s:s}}", "id", (json_int_t)id, "day", day,
                                "leader", leader, "place", place, "area", "code", a.code, "name",
                                a.name));
}

int api_petition_steps(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:o}", "steps", petitionflow_table_json()));
}

int api_petition_pairs(struct req *r)
{
    long limit;
    int64_t from = 0, to = 0;
    if (req_query_long(r, "limit", 50, 1, 200, &limit) < 0 || query_dates(r, &from, &to) < 0)
        return -1;
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, petition_pairs_json(r->db, &r->arena, scope, from, to, (int)limit));
}
