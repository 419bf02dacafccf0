/* briefing.c - briefings generated from the statistics and kept, numbered. */
#include "briefing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "domain/area.h"
#include "domain/event.h"
#include "domain/ranking.h"
#include "domain/stats.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/xlsx.h"

static const char *const kinds[][2] = {
    {"weekly", "工作简报（周报）"}, {"monthly", "工作简报（月报）"}, {"inspection", "督查通报"}};

static const char *kind_name(const char *kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i][0], kind) == 0)
            return kinds[i][1];
    return NULL;
}

/* ------------------------------------------------------------ periods */

static void day_date(int64_t day, char *out, size_t size)
{
    clock_format_date_cn(day * 86400000 - 8 * 3600000LL, out, size);
}

/* The digits of s[0..n) as a number (a date's year or month). */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int briefing_period_parse(const char *kind, const char *period, struct briefing_period *out,
                          struct err *e)
{
    if (!kind || !kind_name(kind))
        return err_set(e, ERR_INVALID, "invalid_value", "kind",
                       "kind 只能是 weekly（周报）、monthly（月报）或 inspection（督查通报）");
    if (!period)
        return err_set(e, ERR_INVALID, "missing_field", "period", "缺少字段 period");
    int64_t ms;
    if (strcmp(kind, "weekly") == 0) {
        if (strlen(period) != 10 || clock_valid_date(period) != 0 ||
            clock_parse_iso(period, &ms) < 0)
            return err_set(e, ERR_INVALID, "invalid_date", "period",
                           "周报的 period 必须是 YYYY-MM-DD 格式的日期（所在的周，周一至周日）");
        int64_t day = clock_day_cn(ms);
        out->from = day - ((day % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
        out->to = out->from + 6;
    } else {
        int m;
        if (stats_month_parse(period, "period", &m, e) < 0)
            return -1;
        char first[24], next[24];
        snprintf(first, sizeof(first), "%04d-%02d-01", m / 100, m % 100);
        snprintf(next, sizeof(next), "%04d-%02d-01", m % 100 == 12 ? m / 100 + 1 : m / 100,
                 m % 100 == 12 ? 1 : m % 100 + 1);
        int64_t a, b;
        clock_parse_iso(first, &a);
        clock_parse_iso(next, &b);
        out->from = clock_day_cn(a);
        out->to = clock_day_cn(b) - 1;
    }
    char d[11];
    day_date(out->from, d, sizeof(d));
    out->year = digits(d, 4);
    return 0;
}

/* ------------------------------------------------------------ figures */

/* The one entry of a series asked for by week over exactly one week. */
static json_t *week_totals(struct db *db, struct arena *a, const char *path, int64_t from,
                           struct err *e)
{
    json_t *items = stats_series_json(db, a, path, from, from + 6, GRAIN_WEEK, e);
    if (!items)
        return NULL;
    json_t *o = json_incref(json_array_get(items, 0));
    json_decref(items);
    if (o)
        json_object_del(o, "start");
    return o;
}

/* The children of area, each with its totals of the week: the ranking. */
static json_t *week_ranking(struct db *db, struct arena *a, const struct area *area, int64_t from,
                            struct err *e)
{
    json_t *self = area_to_json(db, a, area, area->path);
    json_t *kids = json_object_get(self, "children"), *out = json_array();
    size_t i;
    json_t *k;
    json_array_foreach(kids, i, k)
    {
        struct area c;
        const char *code = json_string_value(json_object_get(k, "code"));
        if (!code || area_get(db, a, code, &c) < 0 || c.retired_ms)
            continue;
        json_t *t = week_totals(db, a, c.path, from, e);
        if (!t) {
            json_decref(self);
            json_decref(out);
            return NULL;
        }
        json_object_set_new(t, "key", json_string(c.code));
        json_object_set_new(t, "name", json_string(c.name));
        json_object_set_new(t, "level", json_string(c.level));
        json_array_append_new(out, t);
    }
    json_decref(self);
    return out;
}

static int64_t num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* 督查通报 ranks by what is overdue: red first, then late, then reported. */
static int by_overdue(const void *x, const void *y)
{
    json_t *p = *(json_t *const *)x, *q = *(json_t *const *)y;
    const char *keys[] = {"red", "late", "reported"};
    for (int i = 0; i < 3; i++)
        if (num(p, keys[i]) != num(q, keys[i]))
            return num(p, keys[i]) < num(q, keys[i]) ? 1 : -1;
    return strcmp(json_string_value(json_object_get(p, "key")),
                  json_string_value(json_object_get(q, "key")));
}

static void sort_array(json_t *arr, int (*cmp)(const void *, const void *), struct arena *a)
{
    size_t n = json_array_size(arr);
    if (n < 2)
        return;
    json_t **v = arena_alloc(a, sizeof(*v) * n);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof(*v), cmp);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
}

/* The open events of the subtree whose light is red, as they stand now. */
static json_t *red_items(struct db *db, struct arena *a, const struct event_ctx *ctx,
                         const char *path)
{
    struct event_query q = {.scope = path,
                            .statuses = "reported,registered,dispatched,accepted,handled,suspended",
                            .light = "red",
                            .limit = 100};
    json_t *list = event_list_json(db, a, ctx, &q);
    json_t *out = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it)
    {
        json_t *o = json_object();
        const char *keep[] = {"id",          "track_code", "description", "status",
                              "status_name", "category",   "area",        "created_at",
                              "deadline",    "light",      "escalations"}; /* never the reporter's
                                                                              name or phone */
        for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
            json_t *v = json_object_get(it, keep[k]);
            if (v)
                json_object_set(o, keep[k], v);
        }
        json_object_set_new(o, "kind", json_string("overdue_event"));
        json_array_append_new(out, o);
    }
    json_t *res = json_pack("{so sO}", "items", out, "total", json_object_get(list, "total"));
    json_decref(list);
    return res;
}

/* 考核评价 (domain/ranking.c) over the days of the period, the first ten of
 * each: townships and departments for a county, grid workers and
 * departments below it. */
static json_t *assessment(struct db *db, struct arena *a, const struct event_ctx *ctx,
                          const struct area *area, struct briefing_period p, struct err *e)
{
    static const char *const names[][2] = {
        {"township", "乡镇（街道）考核排名"},
        {"department", "部门考核排名"},
        {"grid_worker", "网格员考核排名"},
    };
    int county = strcmp(area->level, "county") == 0;
    const char *subjects[2] = {county ? "township" : "grid_worker", "department"};
    /* Days since 1970-01-01 in Shanghai to the ms of their midnight. */
    int64_t from = p.from * 86400000 - 8 * 3600000LL, to = (p.to + 1) * 86400000 - 8 * 3600000LL;
    json_t *out = json_array();
    for (int i = 0; i < 2; i++) {
        json_t *r = ranking_json(db, a, subjects[i], area->path, from, to, ctx->now, 10, e);
        if (!r) {
            json_decref(out);
            return NULL;
        }
        for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
            if (strcmp(names[n][0], subjects[i]) == 0)
                json_object_set_new(r, "name", json_string(names[n][1]));
        json_array_append_new(out, r);
    }
    return out;
}

static json_t *gather(struct db *db, struct arena *a, const struct event_ctx *ctx, const char *kind,
                      const struct area *area, struct briefing_period p, struct err *e)
{
    json_t *f = json_object();
    json_t *series = stats_series_json(db, a, area->path, p.from, p.to, GRAIN_DAY, e);
    if (!series)
        goto fail;
    json_object_set_new(f, "series", series);
    if (strcmp(kind, "weekly") == 0) {
        json_t *t = week_totals(db, a, area->path, p.from, e);
        json_t *prev = t ? week_totals(db, a, area->path, p.from - 7, e) : NULL;
        json_t *rank = prev ? week_ranking(db, a, area, p.from, e) : NULL;
        if (!rank) {
            json_decref(t);
            json_decref(prev);
            goto fail;
        }
        char d[11], d2[11];
        day_date(p.from - 7, d, sizeof(d));
        day_date(p.to - 7, d2, sizeof(d2));
        json_object_set_new(prev, "period", json_pack("{ss ss}", "from", d, "to", d2));
        json_object_set_new(f, "totals", t);
        json_object_set_new(f, "previous", prev);
        json_object_set_new(f, "ranking", rank);
    } else {
        char d[11];
        day_date(p.from, d, sizeof(d));
        int m = digits(d, 4) * 100 + digits(d + 5, 2);
        struct stats_months months = {m, m};
        unsigned by =
            1u << BY_STATUS | 1u << BY_LIGHT | 1u << BY_SOURCE | 1u << BY_MAJOR | 1u << BY_CHILD;
        json_t *st = stats_events_json(db, a, area->path, months, by, 0, e);
        if (!st)
            goto fail;
        json_t *bys = json_object_get(st, "by");
        json_t *rank = json_incref(json_object_get(bys, "child"));
        json_object_del(bys, "child");
        if (strcmp(kind, "inspection") == 0)
            sort_array(rank, by_overdue, a);
        json_object_set(f, "totals", json_object_get(st, "totals"));
        json_object_set(f, "previous", json_object_get(st, "previous"));
        json_object_set(f, "year_before", json_object_get(st, "year_before"));
        json_object_set(f, "by", bys);
        json_object_set_new(f, "ranking", rank);
        json_decref(st);
    }
    json_object_set_new(f, "red_items", red_items(db, a, ctx, area->path));
    json_t *assess = assessment(db, a, ctx, area, p, e);
    if (!assess)
        goto fail;
    json_object_set_new(f, "assessment", assess);
    return f;
fail:
    json_decref(f);
    return NULL;
}

/* ------------------------------------------------------------ storage */

int64_t briefing_create(struct db *db, struct arena *a, const struct event_ctx *ctx,
                        const char *kind, const struct area *area, struct briefing_period p,
                        int64_t account_id, struct err *e)
{
    json_t *f = gather(db, a, ctx, kind, area, p, e);
    if (!f)
        return -1;
    char from[11], to[11];
    day_date(p.from, from, sizeof(from));
    day_date(p.to, to, sizeof(to));
    char *text = json_dumps(f, JSON_COMPACT);
    json_decref(f);
    const char *title = arena_printf(a, "%s平安建设%s", area->name, kind_name(kind));
    /* The number: one more than the last of this area, kind and year, taken
     * by this statement inside the route's write transaction. */
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO briefing (kind, area_id, area_path, year, number, period_from, "
            "period_to, title, figures, created_ms, created_by) "
            "SELECT ?1, ?2, ?3, ?4, coalesce(max(number), 0) + 1, ?5, ?6, ?7, ?8, ?9, ?10 "
            "FROM briefing WHERE area_id = ?2 AND kind = ?1 AND year = ?4");
    db_bind_text(st, 1, kind);
    db_bind_int(st, 2, area->id);
    db_bind_text(st, 3, area->path);
    db_bind_int(st, 4, p.year);
    db_bind_text(st, 5, from);
    db_bind_text(st, 6, to);
    db_bind_text(st, 7, title);
    db_bind_text(st, 8, text);
    db_bind_int(st, 9, ctx->now);
    if (account_id)
        db_bind_int(st, 10, account_id);
    else
        sqlite3_bind_null(st, 10);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(text);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

#define BRIEF_COLS                                                                                 \
    "b.id, b.kind, b.year, b.number, b.period_from, b.period_to, b.title, b.created_ms, "          \
    "a.code, a.name, a.level, coalesce(u.name, u.username) "
#define BRIEF_FROM                                                                                 \
    "FROM briefing b JOIN area a ON a.id = b.area_id LEFT JOIN account u ON u.id = b.created_by "

static json_t *row_json(sqlite3_stmt *st)
{
    char at[32];
    clock_format_iso(sqlite3_column_int64(st, 7), at, sizeof(at));
    const char *kind = (const char *)sqlite3_column_text(st, 1);
    json_t *o = json_pack(
        "{sI ss ss sI sI s{ss ss} ss ss s{ss ss ss}}", "id",
        (json_int_t)sqlite3_column_int64(st, 0), "kind", kind, "kind_name", kind_name(kind), "year",
        (json_int_t)sqlite3_column_int64(st, 2), "number", (json_int_t)sqlite3_column_int64(st, 3),
        "period", "from", (const char *)sqlite3_column_text(st, 4), "to",
        (const char *)sqlite3_column_text(st, 5), "title", (const char *)sqlite3_column_text(st, 6),
        "created_at", at, "area", "code", (const char *)sqlite3_column_text(st, 8), "name",
        (const char *)sqlite3_column_text(st, 9), "level",
        (const char *)sqlite3_column_text(st, 10));
    char issue[48];
    snprintf(issue, sizeof(issue), "%lld年第%lld期", (long long)sqlite3_column_int64(st, 2),
             (long long)sqlite3_column_int64(st, 3));
    json_object_set_new(o, "issue", json_string(issue));
    const char *by = (const char *)sqlite3_column_text(st, 11);
    json_object_set_new(o, "created_by", by ? json_string(by) : json_null());
    return o;
}

json_t *briefing_to_json(struct db *db, struct arena *a, int64_t id)
{
    (void)a;
    sqlite3_stmt *st =
        db_prepare(db, "SELECT " BRIEF_COLS ", b.figures " BRIEF_FROM "WHERE b.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = row_json(st);
        json_t *f = json_loads((const char *)sqlite3_column_text(st, 12), 0, NULL);
        json_object_set_new(o, "figures", f ? f : json_object());
    }
    sqlite3_reset(st);
    return o;
}

json_t *briefing_list_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                           long limit, long offset)
{
    const char *upper = area_path_upper(a, scope);
    sqlite3_stmt *st = db_prepare(
        db,
        "SELECT " BRIEF_COLS BRIEF_FROM "WHERE b.area_path >= ?1 AND b.area_path < ?2 "
        "AND (?3 IS NULL OR b.kind = ?3) ORDER BY b.created_ms DESC, b.id DESC LIMIT ?4 OFFSET ?5");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, kind);
    db_bind_int(st, 4, limit);
    db_bind_int(st, 5, offset);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, row_json(st));
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT count(*) FROM briefing WHERE area_path >= ?1 AND area_path < ?2 "
                        "AND (?3 IS NULL OR kind = ?3)");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, kind);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return json_pack("{so sI}", "items", items, "total", (json_int_t)total);
}

int briefing_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, "SELECT area_path FROM briefing WHERE id = ?", id, path);
}

/* ------------------------------------------------------------ workbook */

static double real(json_t *o, const char *k, int *have)
{
    json_t *v = json_object_get(o, k);
    *have = json_is_number(v);
    return json_number_value(v);
}

/* The columns of the tables: a key of the figures and its heading. */
static const char *const total_cols[][2] = {{"reported", "上报"},
                                            {"accepted", "受理"},
                                            {"open", "在办"},
                                            {"resolved", "办结"},
                                            {"rejected", "不予立案"},
                                            {"red", "超期（红灯）"},
                                            {"late", "曾超时"},
                                            {"rated", "已评价"},
                                            {"resolution_rate", "办结率"},
                                            {"on_time_rate", "按时办结率"},
                                            {"avg_handle_hours", "平均办理时长（小时）"},
                                            {"satisfaction_rate", "满意率"}};
#define NCOLS (sizeof(total_cols) / sizeof(total_cols[0]))

static void write_value(lxw_worksheet *ws, int row, int col, json_t *o, const char *k,
                        lxw_format *pct)
{
    int have;
    double v = real(o, k, &have);
    if (!have)
        return;
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, strstr(k, "rate") ? pct : NULL);
}

int briefing_xlsx(struct db *db, struct arena *a, int64_t id, const char *path, struct err *e)
{
    json_t *b = briefing_to_json(db, a, id);
    if (!b)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "简报不存在");
    /* Constant-memory mode: rows are written in order, strings inline. */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        json_decref(b);
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    }
    lxw_format *head = xlsx_head_format(wb), *bold = workbook_add_format(wb);
    lxw_format *pct = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_font_size(bold, 14);
    format_set_num_format(pct, "0.00%");
    json_t *f = json_object_get(b, "figures");

    /* 概况: the heading, then this period, the one before and a year before. */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "概况");
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)NCOLS, 12, NULL);
    const char *title = json_string_value(json_object_get(b, "title"));
    const char *issue = json_string_value(json_object_get(b, "issue"));
    json_t *per = json_object_get(b, "period");
    worksheet_write_string(ws, 0, 0, arena_printf(a, "%s %s", title, issue), bold);
    worksheet_write_string(ws, 1, 0,
                           arena_printf(a, "统计期间：%s 至 %s",
                                        json_string_value(json_object_get(per, "from")),
                                        json_string_value(json_object_get(per, "to"))),
                           NULL);
    worksheet_write_string(ws, 3, 0, "期间", head);
    for (size_t c = 0; c < NCOLS; c++)
        worksheet_write_string(ws, 3, (lxw_col_t)(c + 1), total_cols[c][1], head);
    const char *rows[][2] = {
        {"totals", "本期"}, {"previous", "上期（环比）"}, {"year_before", "去年同期（同比）"}};
    int r = 4;
    for (size_t i = 0; i < 3; i++) {
        json_t *t = json_object_get(f, rows[i][0]);
        if (!t)
            continue;
        worksheet_write_string(ws, (lxw_row_t)r, 0, rows[i][1], NULL);
        for (size_t c = 0; c < NCOLS; c++)
            write_value(ws, r, (int)c + 1, t, total_cols[c][0], pct);
        r++;
    }

    /* 排名: the child areas. */
    ws = workbook_add_worksheet(wb, "排名");
    worksheet_set_column(ws, 0, 2, 16, NULL);
    worksheet_write_string(ws, 0, 0, "名次", head);
    worksheet_write_string(ws, 0, 1, "区域", head);
    worksheet_write_string(ws, 0, 2, "区域编码", head);
    for (size_t c = 0; c < NCOLS; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)(c + 3), total_cols[c][1], head);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(f, "ranking"), i, it)
    {
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_number(ws, row, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, row, 1, json_string_value(json_object_get(it, "name")), NULL);
        worksheet_write_string(ws, row, 2, json_string_value(json_object_get(it, "key")), NULL);
        for (size_t c = 0; c < NCOLS; c++)
            write_value(ws, (int)row, (int)c + 3, it, total_cols[c][0], pct);
    }

    /* 考核评价: each ranking's first ten. */
    ws = workbook_add_worksheet(wb, "考核评价");
    worksheet_set_column(ws, 0, 0, 22, NULL);
    worksheet_set_column(ws, 2, 2, 24, NULL);
    worksheet_write_string(ws, 0, 0, "排名类别", head);
    worksheet_write_string(ws, 0, 1, "名次", head);
    worksheet_write_string(ws, 0, 2, "考核对象", head);
    worksheet_write_string(ws, 0, 3, "得分", head);
    lxw_row_t arow = 1;
    json_t *rk;
    size_t k;
    json_array_foreach(json_object_get(f, "assessment"), k, rk)
    {
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(rk, "items"), j, x)
        {
            const char *who =
                json_string_value(json_object_get(json_object_get(x, "subject"), "name"));
            worksheet_write_string(ws, arow, 0, json_string_value(json_object_get(rk, "name")),
                                   NULL);
            worksheet_write_number(ws, arow, 1, json_number_value(json_object_get(x, "rank")),
                                   NULL);
            if (who)
                worksheet_write_string(ws, arow, 2, who, NULL);
            worksheet_write_number(ws, arow, 3, json_number_value(json_object_get(x, "score")),
                                   NULL);
            arow++;
        }
    }

    /* 红色事项: the overdue open events at generation. */
    ws = workbook_add_worksheet(wb, "红色事项");
    const char *heads[] = {"编号",     "查询码", "事项",     "类别",
                           "所在区域", "状态",   "上报时间", "时限"};
    const double widths[] = {8, 14, 40, 16, 24, 10, 22, 22};
    for (int c = 0; c < 8; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    json_array_foreach(json_object_get(json_object_get(f, "red_items"), "items"), i, it)
    {
        lxw_row_t row = (lxw_row_t)(i + 1);
        json_t *cat = json_object_get(it, "category"), *ar = json_object_get(it, "area");
        const char *cells[] = {json_string_value(json_object_get(it, "track_code")),
                               json_string_value(json_object_get(it, "description")),
                               json_string_value(json_object_get(cat, "minor_name")),
                               json_string_value(json_object_get(ar, "name")),
                               json_string_value(json_object_get(it, "status_name")),
                               json_string_value(json_object_get(it, "created_at")),
                               json_string_value(json_object_get(it, "deadline"))};
        worksheet_write_number(ws, row, 0, (double)json_integer_value(json_object_get(it, "id")),
                               NULL);
        for (int c = 0; c < 7; c++)
            if (cells[c])
                worksheet_write_string(ws, row, (lxw_col_t)(c + 1), cells[c], NULL);
    }
    json_decref(b);
    if (workbook_close(wb) != LXW_NO_ERROR)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法写入 Excel 文件");
    return 0;
}
