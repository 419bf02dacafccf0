#include "zerorules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/jsonfield.h"

static const struct {
    const char *key, *label;
} metrics[ZM_COUNT] = {
    [ZM_PETITIONS] = {"petitions", "信访"},
    [ZM_ACCIDENTS] = {"accidents", "事故"},
    [ZM_CASES] = {"cases", "案件"},
    [ZM_CRIMINAL_RISKS] = {"criminal_risks", "民转刑风险"},
    [ZM_MASS_INCIDENTS] = {"mass_incidents", "群体性事件苗头"},
    [ZM_OVERDUE_PETITIONS] = {"overdue_petitions", "超期信访"},
    [ZM_OVERDUE_EVENTS] = {"overdue_events", "超期事件"},
    [ZM_OVERDUE_VISITS] = {"overdue_visits", "走访超期"},
};

const char *zero_metric_key(int m)
{
    return m >= 0 && m < ZM_COUNT ? metrics[m].key : NULL;
}

const char *zero_metric_label(int m)
{
    return m >= 0 && m < ZM_COUNT ? metrics[m].label : NULL;
}

int zero_metric_of(const char *key)
{
    for (int i = 0; key && i < ZM_COUNT; i++)
        if (strcmp(metrics[i].key, key) == 0)
            return i;
    return -1;
}

static const char *const colour_keys[] = {"none", "blue", "yellow", "orange", "red"};
static const char *const colour_names[] = {"正常", "蓝色", "黄色", "橙色", "红色"};

int zero_colour_rank(const char *colour)
{
    for (int i = 0; colour && i < 5; i++)
        if (strcmp(colour_keys[i], colour) == 0)
            return i;
    return -1;
}

const char *zero_colour_key(int rank)
{
    return rank >= 0 && rank < 5 ? colour_keys[rank] : "none";
}

const char *zero_colour_name(const char *colour)
{
    int r = zero_colour_rank(colour);
    return r < 0 ? NULL : colour_names[r];
}

int zero_rules_from_json(json_t *arr, struct arena *a, struct zero_rule **out, struct err *e)
{
    /* metric_name and colour_name are what GET adds: ignored, so that what
     * GET answers can be PUT back. */
    static const char *const allowed[] = {"metric", "threshold",   "colour",      "kind",
                                          "reason", "metric_name", "colour_name", NULL};
    if (!json_is_array(arr))
        return err_set(e, ERR_INVALID, json_is_null(arr) || !arr ? "missing_field" : "invalid_type",
                       "rules", "rules 应为规则数组");
    size_t n = json_array_size(arr);
    if (n < 1 || n > 100)
        return err_set(e, ERR_INVALID, "out_of_range", "rules", "规则应有 1 至 100 条");
    struct zero_rule *r = arena_alloc(a, n * sizeof(*r));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        const char *field = arena_printf(a, "rules[%zu]", i);
        if (!json_is_object(o))
            return err_set(e, ERR_INVALID, "invalid_type", field, "%s 应为对象", field);
        struct err sub = ERR_INIT;
        const char *metric = NULL, *colour = NULL;
        int64_t threshold = 0;
        if (jf_only(o, allowed, &sub) < 0 || jf_str(o, "metric", 1, 32, &metric, &sub) < 0 ||
            jf_int(o, "threshold", 1, 1, 100000, &threshold, NULL, &sub) < 0 ||
            jf_str(o, "colour", 1, 8, &colour, &sub) < 0 ||
            jf_str(o, "kind", 0, 8, &r[i].kind, &sub) < 0 ||
            jf_str(o, "reason", 1, 100, &r[i].reason, &sub) < 0) {
            *e = sub;
            e->field = arena_printf(a, "%s.%s", field, sub.field ? sub.field : "");
            return -1;
        }
        r[i].metric = zero_metric_of(metric);
        if (r[i].metric < 0)
            return err_set(e, ERR_INVALID, "invalid_metric", arena_printf(a, "%s.metric", field),
                           "指标 %s 无效：应为 petitions、accidents、cases、criminal_risks、"
                           "mass_incidents、overdue_petitions、overdue_events 或 overdue_visits",
                           metric);
        r[i].colour = zero_colour_rank(colour);
        if (r[i].colour < 1)
            return err_set(e, ERR_INVALID, "invalid_colour", arena_printf(a, "%s.colour", field),
                           "颜色应为 blue、yellow、orange 或 red");
        if (r[i].kind && strcmp(r[i].kind, "village") && strcmp(r[i].kind, "unit"))
            return err_set(e, ERR_INVALID, "invalid_kind", arena_printf(a, "%s.kind", field),
                           "主体类型应为 village 或 unit");
        r[i].threshold = threshold;
    }
    *out = r;
    return (int)n;
}

json_t *zero_rules_to_json(const struct zero_rule *r, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:I,s:s,s:s,s:s?,s:s}", "metric", zero_metric_key(r[i].metric),
                           "metric_name", zero_metric_label(r[i].metric), "threshold",
                           (json_int_t)r[i].threshold, "colour", zero_colour_key(r[i].colour),
                           "colour_name", colour_names[r[i].colour], "kind", r[i].kind, "reason",
                           r[i].reason));
    return arr;
}

/* The reason with {n} replaced by the value. */
static char *fill(const char *tpl, int64_t v)
{
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)v);
    size_t cap = strlen(tpl) + 1;
    for (const char *p = tpl; (p = strstr(p, "{n}")); p += 3)
        cap += strlen(num);
    char *out = malloc(cap), *o = out;
    if (!out)
        abort();
    for (const char *p = tpl; *p;) {
        if (strncmp(p, "{n}", 3) == 0) {
            memcpy(o, num, strlen(num));
            o += strlen(num);
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

int zero_evaluate(const struct zero_rule *r, int n, const char *kind, const int64_t *m,
                  json_t **reasons)
{
    int best = 0;
    *reasons = json_array();
    /* Most severe first; within a colour, in the rules' order. Each metric
     * gives its reason once (a count of 2 meets "≥1 orange" and "≥2 red":
     * the red says it). */
    int said[ZM_COUNT] = {0};
    for (int c = 4; c >= 1; c--)
        for (int i = 0; i < n; i++) {
            if (r[i].colour != c || (r[i].kind && kind && strcmp(r[i].kind, kind)))
                continue;
            if (m[r[i].metric] < r[i].threshold || said[r[i].metric])
                continue;
            said[r[i].metric] = 1;
            if (c > best)
                best = c;
            char *s = fill(r[i].reason, m[r[i].metric]);
            json_array_append_new(*reasons, json_string(s));
            free(s);
        }
    return best;
}

/* ms of 00:00 Asia/Shanghai on y-m-01. */
static int month_start(int y, int mo, int64_t *ms)
{
    if (mo > 12) {
        y++;
        mo -= 12;
    }
    char d[40];
    snprintf(d, sizeof(d), "%04d-%02d-01", y, mo);
    return clock_parse_iso(d, ms);
}

int zero_period_parse(const char *s, const char *field, int64_t *from, int64_t *to, struct err *e)
{
    int y = 0, q = 0, mo = 0;
    char tail = 0;
    size_t n = s ? strlen(s) : 0;
    int ok = 0;
    if (n == 4 && sscanf(s, "%4d%c", &y, &tail) == 1)
        ok = month_start(y, 1, from) == 0 && month_start(y, 13, to) == 0;
    else if (n == 7 && s[4] == '-' && s[5] == 'Q' && sscanf(s, "%4d-Q%1d%c", &y, &q, &tail) == 2 &&
             q >= 1 && q <= 4)
        ok = month_start(y, q * 3 - 2, from) == 0 && month_start(y, q * 3 + 1, to) == 0;
    else if (n == 7 && s[4] == '-' && sscanf(s, "%4d-%2d%c", &y, &mo, &tail) == 2 && mo >= 1 &&
             mo <= 12)
        ok = month_start(y, mo, from) == 0 && month_start(y, mo + 1, to) == 0;
    for (size_t i = 0; ok && i < 4; i++)
        ok = s[i] >= '0' && s[i] <= '9';
    if (!ok || y < 2000 || y > 2100)
        return err_set(e, ERR_INVALID, "invalid_period", field,
                       "统计期应为年份 2026、季度 2026-Q3 或月份 2026-07");
    return 0;
}

void zero_period_year(int64_t ms, char *out, size_t size)
{
    char d[11];
    clock_format_date_cn(ms, d, sizeof(d));
    snprintf(out, size, "%.4s", d);
}

static const struct {
    const char *key, *name;
} headings[ZERO_HEADINGS] = {
    {"leadership", "组织领导保障有力"}, {"prevention", "治安防范严密有效"},
    {"disputes", "矛盾纠纷妥善化解"},   {"key_groups", "重点人群帮教到位"},
    {"hazards", "安全隐患整治有效"},    {"rule_of_law", "法治建设持续深入"},
    {"services", "公共服务优质高效"},   {"satisfaction", "人民群众普遍满意"},
};

const char *zero_heading_key(int i)
{
    return i >= 0 && i < ZERO_HEADINGS ? headings[i].key : NULL;
}

const char *zero_heading_name(int i)
{
    return i >= 0 && i < ZERO_HEADINGS ? headings[i].name : NULL;
}

int zero_minors_check(const char *list, const char *field, struct err *e)
{
    size_t n = strlen(list), count = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i <= n; i += 5) {
        for (size_t k = 0; k < 4; k++)
            if (i + k >= n || list[i + k] < '0' || list[i + k] > '9')
                return err_set(e, ERR_INVALID, "invalid_minors", field,
                               "%s 应为以逗号分隔的四位事件小类代码", field);
        if (i + 4 < n && list[i + 4] != ',')
            return err_set(e, ERR_INVALID, "invalid_minors", field,
                           "%s 应为以逗号分隔的四位事件小类代码", field);
        if (++count > 200)
            return err_set(e, ERR_INVALID, "out_of_range", field, "%s 最多 200 个小类", field);
    }
    return 0;
}

int zero_minor_in(const char *list, const char *minor)
{
    if (!list || !minor || strlen(minor) != 4)
        return 0;
    for (const char *p = list; (p = strstr(p, minor)); p += 4)
        if ((p == list || p[-1] == ',') && (p[4] == ',' || p[4] == 0))
            return 1;
    return 0;
}

const char *zero_letter_number(struct arena *a, const char *kind, int year, int seq)
{
    return arena_printf(a, "三零%s〔%d〕第%d号", strcmp(kind, "warning") == 0 ? "警示" : "督办",
                        year, seq);
}
