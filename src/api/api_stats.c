/* 统计分析: figures for the caller's area or any area of its subtree. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/respcache.h"
#include "domain/area.h"
#include "domain/ranking.h"
#include "domain/stats.h"
#include "util/clock.h"
#include "util/conf.h"

/* The area asked for (?area=, checked by the router) or the caller's own:
 * its path and a summary for the answer. */
static const char *stats_area(struct req *r, json_t **summary)
{
    if (r->query_area) {
        *summary = area_summary_json(r->query_area);
        return r->query_area->path;
    }
    if (!r->who.area_id) {
        req_fail(r, 400, "missing_field", "area", "请用 area 参数指定区域");
        return NULL;
    }
    *summary = json_pack("{ss ss ss}", "code", r->who.area_code, "name", r->who.area_name, "level",
                         r->who.area_level);
    return r->who.scope_path;
}

/* ?from=YYYY-MM&to=YYYY-MM: default this year up to this month; a start
 * alone is that one month. 0, or -1 with the 400 written. */
static int months_param(struct req *r, struct stats_months *p)
{
    struct err e = ERR_INIT;
    int this_month = clock_month_cn(clock_now_ms());
    p->from = this_month / 100 * 100 + 1;
    p->to = this_month;
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    if (from && stats_month_parse(from, "from", &p->from, &e) < 0)
        return req_fail_err(r, &e);
    if (to && stats_month_parse(to, "to", &p->to, &e) < 0)
        return req_fail_err(r, &e);
    if (from && !to)
        p->to = p->from;
    if (p->from > p->to)
        return req_fail(r, 400, "invalid_period", "to", "结束月份不能早于开始月份");
    if (p->to - p->from >= 1000)
        return req_fail(r, 400, "invalid_period", "from", "统计区间最长十年");
    return 0;
}

static int top_param(struct req *r, long *top)
{
    const char *tops = req_query(r, "top");
    *top = 0;
    if (tops && (conf_parse_long(tops, top) < 0 || *top < 0 || *top > 1000))
        return req_fail(r, 400, "invalid_query", "top", "top 必须是 0 到 1000 的整数");
    return 0;
}

int api_stats_events(struct req *r)
{
    struct err e = ERR_INIT;
    struct stats_months p;
    if (months_param(r, &p) < 0)
        return -1;
    unsigned by = 0;
    const char *bys = req_query(r, "by");
    if (bys && *bys) {
        for (const char *s = bys; *s;) {
            const char *end = strchr(s, ',');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            char one[16] = "";
            if (len < sizeof(one))
                memcpy(one, s, len);
            int b = stats_by_parse(one);
            if (b < 0)
                return req_fail(r, 400, "invalid_query", "by",
                                "by 只能是 status、light、source、minor、major、child，用逗号分隔");
            by |= 1u << b;
            s += len + (end ? 1 : 0);
        }
    }
    long top;
    if (top_param(r, &top) < 0)
        return -1;

    json_t *area = NULL;
    const char *path = stats_area(r, &area);
    if (!path)
        return -1;
    /* The figures depend only on the data and on these: a dashboard asking
     * again gets the rendered answer until any write changes the store. */
    const char *key = arena_printf(&r->arena, "stats.events|%s|%d|%d|%u|%ld", path, p.from, p.to,
                                   by, top);
    if (respcache_reply(r, key)) {
        json_decref(area);
        return 0;
    }
    json_t *o = stats_events_json(r->db, &r->arena, path, p, by, (int)top, &e);
    if (!o) {
        json_decref(area);
        return req_fail_err(r, &e);
    }
    json_object_set_new(o, "area", area);
    reply_json(r, 200, o);
    respcache_store(r, key);
    return 0;
}

/* A date YYYY-MM-DD as its Asia/Shanghai day number. */
static int day_param(struct req *r, const char *name, int64_t *day)
{
    const char *s = req_query(r, name);
    int64_t ms;
    if (!s)
        return 1;
    if (clock_valid_date(s) != 0 || clock_parse_iso(s, &ms) < 0)
        return req_fail(r, 400, "invalid_date", name, "%s 必须是 YYYY-MM-DD 格式的日期", name);
    *day = clock_day_cn(ms);
    return 0;
}

int api_stats_series(struct req *r)
{
    struct err e = ERR_INIT;
    int64_t today = clock_day_cn(clock_now_ms());
    int64_t from = today - 29, to = today;
    int rf = day_param(r, "from", &from), rt = day_param(r, "to", &to);
    if (rf < 0 || rt < 0)
        return -1;
    if (rf == 0 && rt == 1) /* a start alone: up to today */
        to = today > from ? today : from;
    else if (rf == 1 && rt == 0) /* an end alone: the 30 days up to it */
        from = to - 29;
    if (from > to)
        return req_fail(r, 400, "invalid_period", "to", "结束日期不能早于开始日期");
    if (to - from > 3660)
        return req_fail(r, 400, "invalid_period", "from", "统计区间最长十年");
    const char *g = req_query(r, "grain");
    enum stats_grain grain = GRAIN_DAY;
    if (g && strcmp(g, "week") == 0)
        grain = GRAIN_WEEK;
    else if (g && strcmp(g, "month") == 0)
        grain = GRAIN_MONTH;
    else if (g && strcmp(g, "day") != 0)
        return req_fail(r, 400, "invalid_query", "grain", "grain 只能是 day、week 或 month");
    json_t *area = NULL;
    const char *path = stats_area(r, &area);
    if (!path)
        return -1;
    const char *key = arena_printf(&r->arena, "stats.series|%s|%lld|%lld|%d", path,
                                   (long long)from, (long long)to, (int)grain);
    if (respcache_reply(r, key)) {
        json_decref(area);
        return 0;
    }
    json_t *items = stats_series_json(r->db, &r->arena, path, from, to, grain, &e);
    if (!items) {
        json_decref(area);
        return req_fail_err(r, &e);
    }
    reply_json(r, 200, json_pack("{so ss so}", "area", area, "grain",
                                 grain == GRAIN_DAY    ? "day"
                                 : grain == GRAIN_WEEK ? "week"
                                                       : "month",
                                 "items", items));
    respcache_store(r, key);
    return 0;
}

/* The first instant of a month yyyymm in Asia/Shanghai. */
static int64_t month_start_ms(int yyyymm)
{
    char ymd[16];
    int64_t ms = 0;
    snprintf(ymd, sizeof(ymd), "%04d-%02d-01", yyyymm / 100 % 10000, yyyymm % 100);
    clock_parse_iso(ymd, &ms);
    return ms;
}

int api_ranking(struct req *r)
{
    struct err e = ERR_INIT;
    struct stats_months p;
    long top;
    const char *kind = req_query(r, "kind");
    if (!kind)
        return req_fail(r, 400, "missing_field", "kind",
                        "请用 kind 指定考核对象：grid_worker、department 或 township");
    if (ranking_kind_valid(kind) < 0)
        return req_fail(r, 400, "invalid_query", "kind",
                        "kind 只能是 grid_worker、department 或 township");
    if (months_param(r, &p) < 0 || top_param(r, &top) < 0)
        return -1;
    json_t *area = NULL;
    const char *path = stats_area(r, &area);
    if (!path)
        return -1;
    int next = p.to % 100 == 12 ? (p.to / 100 + 1) * 100 + 1 : p.to + 1;
    json_t *o = ranking_json(r->db, &r->arena, kind, path, month_start_ms(p.from),
                             month_start_ms(next), clock_now_ms(), (int)top, &e);
    if (!o) {
        json_decref(area);
        return req_fail_err(r, &e);
    }
    json_object_set_new(o, "area", area);
    char from[24], to[24];
    snprintf(from, sizeof(from), "%04d-%02d", p.from / 100 % 10000, p.from % 100);
    snprintf(to, sizeof(to), "%04d-%02d", p.to / 100 % 10000, p.to % 100);
    json_object_set_new(o, "period", json_pack("{ss ss}", "from", from, "to", to));
    return reply_json(r, 200, o);
}

int api_ranking_rules(struct req *r)
{
    return reply_json(r, 200, ranking_rules_json(r->db));
}

int api_ranking_rules_set(struct req *r)
{
    json_t *body = req_body(r);
    struct err e = ERR_INIT;
    if (!body)
        return -1;
    if (ranking_rules_set(r->db, body, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = json_string_value(json_object_get(body, "kind"));
    return reply_json(r, 200, ranking_rules_json(r->db));
}

int api_stats_registry(struct req *r)
{
    struct err e = ERR_INIT;
    json_t *area = NULL;
    const char *path = stats_area(r, &area);
    if (!path)
        return -1;
    json_t *o = stats_registry_json(r->db, &r->arena, path, clock_now_ms(), &e);
    if (!o) {
        json_decref(area);
        return req_fail_err(r, &e);
    }
    json_object_set_new(o, "area", area);
    return reply_json(r, 200, o);
}
