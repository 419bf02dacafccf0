/* stats.c - rollups over the counters kept along the ancestor path. */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/workflow.h"
#include "store/db.h"
#include "util/clock.h"

/* ------------------------------------------------------------ periods */

int stats_month_parse(const char *s, const char *field, int *out, struct err *e)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        goto bad;
    int y = 0, m = 0;
    for (int i = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (s[i] < '0' || s[i] > '9')
            goto bad;
        if (i < 4)
            y = y * 10 + (s[i] - '0');
        else
            m = m * 10 + (s[i] - '0');
    }
    if (y < 2000 || y > 2999 || m < 1 || m > 12)
        goto bad;
    *out = y * 100 + m;
    return 0;
bad:
    return err_set(e, ERR_INVALID, "invalid_month", field, "%s 必须是 YYYY-MM 格式的月份", field);
}

static int month_index(int yyyymm)
{
    return yyyymm / 100 * 12 + yyyymm % 100 - 1;
}

static int month_of_index(int i)
{
    return i / 12 * 100 + i % 12 + 1;
}

struct stats_months stats_months_previous(struct stats_months p)
{
    int len = month_index(p.to) - month_index(p.from) + 1;
    struct stats_months q = {month_of_index(month_index(p.from) - len),
                             month_of_index(month_index(p.from) - 1)};
    return q;
}

struct stats_months stats_months_year_before(struct stats_months p)
{
    struct stats_months q = {p.from - 100, p.to - 100};
    return q;
}

static const char *const by_names[BY_COUNT] = {"status", "light", "source", "minor", "major",
                                               "child"};

int stats_by_parse(const char *s)
{
    for (int i = 0; i < BY_COUNT; i++)
        if (s && strcmp(s, by_names[i]) == 0)
            return i;
    return -1;
}

/* ------------------------------------------------------------ totals */

struct tot {
    int64_t n, open, resolved, rejected, merged, late, handle_ms, rated, rating_sum, satisfied;
    int64_t red, yellow, late_resolved;
};

/* The measures of a counter row, in the order of SUMS. */
#define SUMS                                                                                       \
    "sum(n), sum(open), sum(resolved), sum(rejected), sum(merged), sum(late), "                   \
    "sum(late_resolved), sum(handle_ms), sum(rated), sum(rating_sum), sum(satisfied), sum(red), " \
    "sum(yellow)"

/* Adds the SUMS read from column `first` on. */
static void tot_add(struct tot *t, sqlite3_stmt *st, int first)
{
    int64_t *f[] = {&t->n,     &t->open,      &t->resolved, &t->rejected, &t->merged,
                    &t->late,  &t->late_resolved, &t->handle_ms, &t->rated, &t->rating_sum,
                    &t->satisfied, &t->red,   &t->yellow};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        *f[i] += sqlite3_column_int64(st, first + (int)i);
}

/* A rate as a fraction rounded to 4 places, or null without a base. */
static json_t *rate(int64_t part, int64_t whole)
{
    if (whole <= 0)
        return json_null();
    return json_real((double)(part * 10000 / whole + (part * 10000 % whole * 2 >= whole)) / 10000);
}

static json_t *tot_json(const struct tot *t)
{
    /* Accepted work: what was neither refused (不予立案) nor merged into another. */
    int64_t accepted = t->n - t->rejected - t->merged;
    int64_t done = t->resolved;
    json_t *o = json_pack("{sI sI sI sI sI sI sI sI sI sI}", "reported", (json_int_t)t->n,
                          "accepted", (json_int_t)accepted, "open", (json_int_t)t->open,
                          "resolved", (json_int_t)done, "rejected", (json_int_t)t->rejected,
                          "merged", (json_int_t)t->merged, "late", (json_int_t)t->late, "red",
                          (json_int_t)t->red, "yellow", (json_int_t)t->yellow, "rated",
                          (json_int_t)t->rated);
    json_object_set_new(o, "resolution_rate", rate(done, accepted));
    /* On time: resolved with no step past its time, of the resolved. */
    json_object_set_new(o, "on_time_rate", rate(done - t->late_resolved, done));
    json_object_set_new(o, "avg_handle_hours",
                        done ? json_real((double)(t->handle_ms / done / 36000) / 100) : json_null());
    json_object_set_new(o, "satisfaction_rate", rate(t->satisfied, t->rated));
    json_object_set_new(o, "avg_rating",
                        t->rated ? json_real((double)(t->rating_sum * 100 / t->rated) / 100)
                                 : json_null());
    return o;
}

/* ------------------------------------------------------------ breakdowns */

/* One breakdown: its entries by key, in the order first seen. */
struct bucket {
    const char *key;
    struct tot t;
};
struct breakdown {
    struct bucket *b;
    int n, cap;
};

static struct tot *bucket_of(struct arena *a, struct breakdown *d, const char *key)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->b[i].key, key) == 0)
            return &d->b[i].t;
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 16;
        struct bucket *nb = arena_alloc(a, sizeof(*nb) * (size_t)cap);
        if (d->n)
            memcpy(nb, d->b, sizeof(*nb) * (size_t)d->n);
        d->b = nb;
        d->cap = cap;
    }
    d->b[d->n].key = arena_strdup(a, key);
    memset(&d->b[d->n].t, 0, sizeof(struct tot));
    return &d->b[d->n++].t;
}

static int by_count_desc(const void *x, const void *y)
{
    const struct bucket *p = x, *q = y;
    if (p->t.n != q->t.n)
        return p->t.n < q->t.n ? 1 : -1;
    return strcmp(p->key, q->key);
}

/* The Chinese name of a breakdown's key. */
/* The category names, read once per breakdown: [minor, major, minor_name,
 * major_name] × n, or NULL. */
struct names {
    const char *(*row)[4];
    int n;
};

static void load_names(struct db *db, struct arena *a, struct names *nm)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT minor, major, minor_name, major_name FROM category "
                                      "ORDER BY minor");
    int cap = 0;
    nm->n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nm->n == cap) {
            cap = cap ? cap * 2 : 256;
            const char *(*r)[4] = arena_alloc(a, sizeof(*r) * (size_t)cap);
            if (nm->n)
                memcpy(r, nm->row, sizeof(*r) * (size_t)nm->n);
            nm->row = r;
        }
        for (int i = 0; i < 4; i++)
            nm->row[nm->n][i] = arena_strdup(a, (const char *)sqlite3_column_text(st, i));
        nm->n++;
    }
    sqlite3_reset(st);
}

static const char *key_name(const struct names *nm, enum stats_by by, const char *key)
{
    if (by == BY_STATUS)
        return workflow_status_name(key);
    if (by == BY_MINOR || by == BY_MAJOR) {
        for (int i = 0; i < nm->n; i++)
            if (strcmp(nm->row[i][by == BY_MINOR ? 0 : 1], key) == 0)
                return nm->row[i][by == BY_MINOR ? 2 : 3];
        return NULL;
    }
    static const char *const names[][2] = {
        {"none", "无时限"}, {"green", "绿灯"}, {"yellow", "黄灯"}, {"red", "红灯"},
        {"grid_worker", "网格员采集"}, {"resident", "群众上报"}, {"hotline", "热线"},
        {"video", "视频监控"}, {"department", "部门移交"}, {"inspection", "督查巡查"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i][0], key) == 0)
            return names[i][1];
    return NULL;
}

static json_t *breakdown_json(struct db *db, struct arena *a, enum stats_by by,
                              struct breakdown *d, int top)
{
    if (d->n) /* qsort of a NULL base is undefined even for 0 items */
        qsort(d->b, (size_t)d->n, sizeof(*d->b), by_count_desc);
    struct names nm = {NULL, 0};
    if (by == BY_MINOR || by == BY_MAJOR)
        load_names(db, a, &nm);
    json_t *arr = json_array();
    for (int i = 0; i < d->n && (!top || i < top); i++) {
        if (!d->b[i].t.n)
            continue;
        json_t *o = tot_json(&d->b[i].t);
        json_object_set_new(o, "key", json_string(d->b[i].key));
        const char *name = key_name(&nm, by, d->b[i].key);
        json_object_set_new(o, "name", name ? json_string(name) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ------------------------------------------------------------ queries */

/* Sums the rows of path over the months of p into t and the breakdowns
 * asked for (d[BY_x], by the bits of `by`). */
/* The totals of path over the months of p into t, and the breakdowns asked
 * for (d[BY_x], by the bits of `by`), each from its own margin of the
 * counters: a few rows per month whatever the volume. */
static int sum_months(struct db *db, struct arena *a, const char *path, struct stats_months p,
                      unsigned by, struct tot *t, struct breakdown *d, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " SUMS " FROM stat_event_month WHERE path = ? AND "
                                      "dim = '' AND key = '' AND month BETWEEN ? AND ?");
    db_bind_text(st, 1, path);
    db_bind_int(st, 2, p.from);
    db_bind_int(st, 3, p.to);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        tot_add(t, st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        goto fail;
    static const char *const dims[BY_CHILD] = {"status", "light", "source", "minor", "minor"};
    for (int b = 0; b < BY_CHILD; b++) {
        if (!(by & (1u << b)))
            continue;
        st = db_prepare(db, "SELECT key, " SUMS " FROM stat_event_month WHERE path = ? AND "
                            "dim = ? AND month BETWEEN ? AND ? GROUP BY key");
        db_bind_text(st, 1, path);
        db_bind_text(st, 2, dims[b]);
        db_bind_int(st, 3, p.from);
        db_bind_int(st, 4, p.to);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            char major[3] = {k[0], k[0] ? k[1] : 0, 0};
            const char *key = !k[0] ? "none" : b == BY_MAJOR ? major : k;
            tot_add(bucket_of(a, &d[b], key), st, 1);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            goto fail;
    }
    return 0;
fail:
    return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
}

static json_t *period_json(struct stats_months p)
{
    char from[24], to[24];
    snprintf(from, sizeof(from), "%04d-%02d", p.from / 100, p.from % 100);
    snprintf(to, sizeof(to), "%04d-%02d", p.to / 100, p.to % 100);
    return json_pack("{ss ss}", "from", from, "to", to);
}

/* The totals of p alone, with its period: for 同比 and 环比. */
static json_t *compare_json(struct db *db, struct arena *a, const char *path, struct stats_months p,
                            struct err *e)
{
    struct tot t = {0};
    if (sum_months(db, a, path, p, 0, &t, NULL, e) < 0)
        return NULL;
    json_t *o = tot_json(&t);
    json_object_set_new(o, "period", period_json(p));
    return o;
}

/* The children of the area at path, each with its totals, largest first. */
static json_t *children_json(struct db *db, struct arena *a, const char *path,
                             struct stats_months p, int top, struct err *e)
{
    struct area self;
    const char *last = path + strlen(path) - 1;
    while (last > path && last[-1] != '/')
        last--;
    if (area_get_by_id(db, a, strtoll(last, NULL, 10), &self) < 0)
        return json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT code, name, level, path FROM area WHERE parent_id = ? "
                                      "AND retired_ms IS NULL ORDER BY code");
    db_bind_int(st, 1, self.id);
    struct child {
        const char *code, *name, *level, *path;
    } *kids = NULL;
    int n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            struct child *nk = arena_alloc(a, sizeof(*nk) * (size_t)cap);
            if (n)
                memcpy(nk, kids, sizeof(*nk) * (size_t)n);
            kids = nk;
        }
        for (int i = 0; i < 4; i++)
            (&kids[n].code)[i] = arena_strdup(a, (const char *)sqlite3_column_text(st, i));
        n++;
    }
    sqlite3_reset(st);
    struct breakdown d = {0};
    for (int i = 0; i < n; i++) {
        struct tot *t = bucket_of(a, &d, kids[i].code);
        if (sum_months(db, a, kids[i].path, p, 0, t, NULL, e) < 0)
            return NULL;
    }
    if (d.n)
        qsort(d.b, (size_t)d.n, sizeof(*d.b), by_count_desc);
    json_t *arr = json_array();
    for (int i = 0; i < d.n && (!top || i < top); i++) {
        const struct child *c = NULL;
        for (int j = 0; j < n && !c; j++)
            if (strcmp(kids[j].code, d.b[i].key) == 0)
                c = &kids[j];
        json_t *o = tot_json(&d.b[i].t);
        json_object_set_new(o, "key", json_string(c->code));
        json_object_set_new(o, "name", json_string(c->name));
        json_object_set_new(o, "level", json_string(c->level));
        json_array_append_new(arr, o);
    }
    return arr;
}

json_t *stats_events_json(struct db *db, struct arena *a, const char *path, struct stats_months p,
                          unsigned by, int top, struct err *e)
{
    struct tot t = {0};
    struct breakdown d[BY_COUNT];
    memset(d, 0, sizeof(d));
    if (sum_months(db, a, path, p, by, &t, d, e) < 0)
        return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "period", period_json(p));
    json_object_set_new(o, "totals", tot_json(&t));
    json_t *bys = json_object();
    for (int b = 0; b < BY_CHILD; b++)
        if (by & (1u << b))
            json_object_set_new(bys, by_names[b], breakdown_json(db, a, (enum stats_by)b, &d[b], top));
    if (by & (1u << BY_CHILD)) {
        json_t *kids = children_json(db, a, path, p, top, e);
        if (!kids) {
            json_decref(bys);
            json_decref(o);
            return NULL;
        }
        json_object_set_new(bys, "child", kids);
    }
    json_object_set_new(o, "by", bys);
    json_t *mom = compare_json(db, a, path, stats_months_previous(p), e);
    json_t *yoy = mom ? compare_json(db, a, path, stats_months_year_before(p), e) : NULL;
    if (!yoy) {
        json_decref(mom);
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "previous", mom);
    json_object_set_new(o, "year_before", yoy);
    return o;
}

/* ------------------------------------------------------------ series */

/* The period a day falls in, as its first day: the day, its ISO week's
 * Monday, or the first of its month. */
static int64_t period_start(int64_t day, enum stats_grain g)
{
    if (g == GRAIN_DAY)
        return day;
    if (g == GRAIN_WEEK) /* 1970-01-01 was a Thursday */
        return day - ((day % 7 + 7 + 3) % 7);
    char ymd[11];
    clock_format_date_cn(day * 86400000 - 8 * 3600000LL, ymd, sizeof(ymd));
    int64_t ms;
    ymd[8] = '0';
    ymd[9] = '1';
    clock_parse_iso(ymd, &ms);
    return clock_day_cn(ms);
}

static int64_t period_next(int64_t start, enum stats_grain g)
{
    if (g == GRAIN_DAY)
        return start + 1;
    if (g == GRAIN_WEEK)
        return start + 7;
    return period_start(start + 31, g);
}

json_t *stats_series_json(struct db *db, struct arena *a, const char *path, int64_t from,
                          int64_t to, enum stats_grain grain, struct err *e)
{
    (void)a;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT day, n, resolved, late, handle_ms, rated, rating_sum, satisfied "
            "FROM stat_event_day WHERE path = ? AND day BETWEEN ? AND ? ORDER BY day");
    db_bind_text(st, 1, path);
    db_bind_int(st, 2, from);
    db_bind_int(st, 3, to);
    json_t *arr = json_array();
    int64_t start = period_start(from, grain);
    int64_t v[7] = {0};
    int have = sqlite3_step(st);
    for (; start <= to; start = period_next(start, grain)) {
        int64_t end = period_next(start, grain);
        memset(v, 0, sizeof(v));
        while (have == SQLITE_ROW && sqlite3_column_int64(st, 0) < end) {
            for (int i = 0; i < 7; i++)
                v[i] += sqlite3_column_int64(st, 1 + i);
            have = sqlite3_step(st);
        }
        char date[11];
        clock_format_date_cn(start * 86400000 - 8 * 3600000LL, date, sizeof(date));
        json_t *o = json_pack("{ss sI sI sI sI}", "start", date, "reported", (json_int_t)v[0],
                              "resolved", (json_int_t)v[1], "late", (json_int_t)v[2], "rated",
                              (json_int_t)v[4]);
        json_object_set_new(o, "avg_handle_hours",
                            v[1] ? json_real((double)(v[3] / v[1] / 36000) / 100) : json_null());
        json_object_set_new(o, "satisfaction_rate", rate(v[6], v[4]));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    if (have != SQLITE_ROW && have != SQLITE_DONE) {
        json_decref(arr);
        err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
        return NULL;
    }
    return arr;
}

/* ------------------------------------------------------------ registry */

static const char *const residence_names[][2] = {
    {"registered", "户籍人口"}, {"floating", "流动人口"}, {"overseas", "境外人员"},
    {"left_behind", "留守人员"}};
static const char *const group_names[][2] = {
    {"released", "刑满释放人员"}, {"correction", "社区矫正人员"}, {"mental", "严重精神障碍患者"},
    {"drug", "吸毒人员"},         {"aids", "艾滋病危险人员"},     {"youth", "重点青少年"}};

/* {key: n} for every key of names (zeros included), from a (key, n) query. */
static json_t *counts_json(sqlite3_stmt *st, const char *const names[][2], size_t nnames,
                           int64_t *total, int *rc)
{
    json_t *items = json_array();
    int64_t n[8] = {0};
    while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        for (size_t i = 0; i < nnames; i++)
            if (strcmp(names[i][0], k) == 0)
                n[i] += sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    for (size_t i = 0; i < nnames; i++) {
        *total += n[i];
        json_array_append_new(items, json_pack("{ss ss sI}", "key", names[i][0], "name",
                                               names[i][1], "n", (json_int_t)n[i]));
    }
    return items;
}

json_t *stats_registry_json(struct db *db, struct arena *a, const char *path, int64_t now,
                            struct err *e)
{
    int rc;
    int64_t residents = 0, members = 0, overdue = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT residence_type, sum(n) FROM stat_person WHERE path = ? "
                                      "GROUP BY 1");
    db_bind_text(st, 1, path);
    json_t *by_res = counts_json(st, residence_names, 4, &residents, &rc);
    if (rc != SQLITE_DONE)
        goto fail_res;
    st = db_prepare(db, "SELECT type, sum(n) FROM stat_group WHERE path = ? GROUP BY 1");
    db_bind_text(st, 1, path);
    json_t *by_type = counts_json(st, group_names, 6, &members, &rc);
    if (rc != SQLITE_DONE)
        goto fail_type;
    /* Overdue: due on a day before today (counters), or earlier today (rows). */
    int64_t today = clock_day_cn(now);
    st = db_prepare(db, "SELECT sum(n) FROM stat_group WHERE path = ? AND due_day < ?");
    db_bind_text(st, 1, path);
    db_bind_int(st, 2, today);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        overdue = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        goto fail_type;
    st = db_prepare(db, "SELECT count(*) FROM special_group g JOIN person p ON p.id = g.person_id "
                        "JOIN area ar ON ar.id = p.area_id WHERE g.next_due_ms >= ? AND "
                        "g.next_due_ms < ? AND ar.path >= ? AND ar.path < ?");
    db_bind_int(st, 1, today * 86400000 - 8 * 3600000LL);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, path);
    db_bind_text(st, 4, area_path_upper(a, path));
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        overdue += sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        goto fail_type;
    return json_pack("{s{sI so} s{sI so sI}}", "residents", "total", (json_int_t)residents,
                     "by_residence", by_res, "special_groups", "total", (json_int_t)members,
                     "by_type", by_type, "overdue_visits", (json_int_t)overdue);
fail_type:
    json_decref(by_type);
fail_res:
    json_decref(by_res);
    err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return NULL;
}
