/* ranking.c - 考核评价: the components, the formula, the order. */
#include "ranking.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/workflow.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/jsonfield.h"

enum comp { C_REPORTS, C_HANDLED, C_ON_TIME, C_SATISFACTION, C_VISITS, C_VERIFY_FAIL, C_OVERDUE, NCOMP };

#define K_GRID 1u
#define K_DEPT 2u
#define K_TOWN 4u

static const struct {
    const char *key, *name;
    int rate; /* a fraction (normalised × 100) rather than a count (against the largest) */
    unsigned kinds;
    const char *means;
} comps[NCOMP] = {
    {"reports", "上报事件", 0, K_GRID | K_TOWN, "期内上报（网格员：本人上报；乡镇：辖区上报）的事件数"},
    {"handled", "牵头办理", 0, K_DEPT, "期内上报、由本部门牵头办理的事件数"},
    {"on_time_rate", "按期办结率", 1, K_GRID | K_DEPT | K_TOWN,
     "期内上报并已办结的事件中，没有环节超时的比例"},
    {"satisfaction", "满意率", 1, K_GRID | K_DEPT | K_TOWN, "期内上报并已评价的事件中，评 4–5 分的比例"},
    {"visits", "走访次数", 0, K_GRID | K_TOWN, "期内的走访记录数（网格员：本人；乡镇：辖区）"},
    {"verify_fail", "核查不通过", 0, K_GRID | K_DEPT | K_TOWN, "期内核查不通过、退回重办的次数"},
    {"overdue", "逾期事项", 0, K_GRID | K_DEPT | K_TOWN,
     "当前红灯的在办事件数（网格员与乡镇另计逾期未走访的特殊人群）"},
};

static unsigned kind_bit(const char *kind)
{
    if (!kind)
        return 0;
    if (strcmp(kind, "grid_worker") == 0)
        return K_GRID;
    if (strcmp(kind, "department") == 0)
        return K_DEPT;
    if (strcmp(kind, "township") == 0)
        return K_TOWN;
    return 0;
}

int ranking_kind_valid(const char *kind)
{
    return kind_bit(kind) ? 0 : -1;
}

/* ------------------------------------------------------------ subjects */

struct subject {
    int64_t id;            /* account, department or area */
    const char *code;      /* username or area code; NULL for a department */
    const char *name;
    const char *area_code; /* a grid worker's grid */
    const char *area_name;
    const char *path;      /* the area the subject answers for (NULL: a department) */
    int64_t v[NCOMP];      /* counts; for rates the numerator */
    int64_t base[NCOMP];   /* for rates the denominator */
    double norm[NCOMP], points[NCOMP], score;
};

struct set {
    struct subject *s;
    int n, cap;
};

static struct subject *add(struct arena *a, struct set *set)
{
    if (set->n == set->cap) {
        int cap = set->cap ? set->cap * 2 : 64;
        struct subject *ns = arena_alloc(a, sizeof(*ns) * (size_t)cap);
        if (set->n)
            memcpy(ns, set->s, sizeof(*ns) * (size_t)set->n);
        set->s = ns;
        set->cap = cap;
    }
    struct subject *x = &set->s[set->n++];
    memset(x, 0, sizeof(*x));
    return x;
}

static const char *col(struct arena *a, sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? arena_strdup(a, s) : NULL;
}

static int load_subjects(struct db *db, struct arena *a, unsigned kind, const char *path,
                         struct set *set)
{
    sqlite3_stmt *st;
    if (kind == K_GRID)
        st = db_prepare(db, "SELECT ac.id, ac.username, ac.name, ar.code, ar.name, ar.path "
                            "FROM area ar JOIN account ac ON ac.area_id = ar.id "
                            "WHERE ar.path >= ?1 AND ar.path < ?2 AND ac.role = 'grid_worker' "
                            "AND ac.disabled = 0 ORDER BY ar.path, ac.id");
    else if (kind == K_TOWN)
        st = db_prepare(db, "SELECT id, code, name, NULL, NULL, path FROM area WHERE path >= ?1 "
                            "AND path < ?2 AND level = 'township' AND retired_ms IS NULL "
                            "ORDER BY path");
    else
        st = db_prepare(db, "SELECT id, NULL, name, NULL, NULL, NULL FROM department "
                            "WHERE ?1 = ?1 AND ?2 = ?2 ORDER BY id");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, area_path_upper(a, path));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subject *x = add(a, set);
        x->id = sqlite3_column_int64(st, 0);
        x->code = col(a, st, 1);
        x->name = col(a, st, 2);
        x->area_code = col(a, st, 3);
        x->area_name = col(a, st, 4);
        x->path = col(a, st, 5);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The subject whose area is on path (subjects sorted by path), or NULL. */
static struct subject *by_path(struct set *set, const char *path)
{
    int lo = 0, hi = set->n - 1, best = -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(set->s[mid].path, path) <= 0) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    for (; best >= 0; best--) /* nested areas: the nearest one that holds path */
        if (area_path_within(set->s[best].path, path))
            return &set->s[best];
    return NULL;
}

static struct subject *by_id(struct set *set, int64_t id)
{
    for (int i = 0; i < set->n; i++)
        if (set->s[i].id == id)
            return &set->s[i];
    return NULL;
}

/* ------------------------------------------------------------ components */

/* On-time handling and satisfaction of the events under an area, from the
 * totals kept along the path (sql/016_stats.sql); the red open ones as of now. */
static int area_events(struct db *db, struct subject *x, int from_month, int to_month)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT sum(n), sum(resolved), sum(late_resolved), sum(rated), sum(satisfied), "
            "(SELECT sum(red) FROM stat_event_month WHERE path = ?1 AND dim = '' AND key = '') "
            "FROM stat_event_month WHERE path = ?1 AND dim = '' AND key = '' "
            "AND month BETWEEN ?2 AND ?3");
    db_bind_text(st, 1, x->path);
    db_bind_int(st, 2, from_month);
    db_bind_int(st, 3, to_month);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        x->v[C_REPORTS] += sqlite3_column_int64(st, 0);
        x->base[C_ON_TIME] += sqlite3_column_int64(st, 1);
        x->v[C_ON_TIME] += sqlite3_column_int64(st, 1) - sqlite3_column_int64(st, 2);
        x->base[C_SATISFACTION] += sqlite3_column_int64(st, 3);
        x->v[C_SATISFACTION] += sqlite3_column_int64(st, 4);
        x->v[C_OVERDUE] += sqlite3_column_int64(st, 5); /* red open ones now, of any month */
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Special-group members under an area whose visit is overdue now. */
static int overdue_visits(struct db *db, struct arena *a, struct subject *x, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT count(*) FROM area ar JOIN person p ON p.area_id = ar.id "
            "JOIN special_group g ON g.person_id = p.id "
            "WHERE ar.path >= ? AND ar.path < ? AND g.next_due_ms < ?");
    db_bind_text(st, 1, x->path);
    db_bind_text(st, 2, area_path_upper(a, x->path));
    db_bind_int(st, 3, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        x->v[C_OVERDUE] += sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Per department: the events it leads inside path reported in the period,
 * and its red open ones now. */
static int department_events(struct db *db, struct arena *a, struct set *set, const char *path,
                             int64_t from, int64_t to)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT department_id, count(*), "
            "sum(status IN ('closed', 'evaluated')), "
            "sum(status IN ('closed', 'evaluated') AND late = 0), "
            "sum(rating IS NOT NULL), sum(coalesce(rating, 0) >= 4) "
            "FROM event WHERE created_ms >= ?3 AND created_ms < ?4 AND area_path >= ?1 "
            "AND area_path < ?2 AND department_id IS NOT NULL GROUP BY department_id");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, area_path_upper(a, path));
    db_bind_int(st, 3, from);
    db_bind_int(st, 4, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subject *x = by_id(set, sqlite3_column_int64(st, 0));
        if (!x)
            continue;
        x->v[C_HANDLED] = sqlite3_column_int64(st, 1);
        x->base[C_ON_TIME] = sqlite3_column_int64(st, 2);
        x->v[C_ON_TIME] = sqlite3_column_int64(st, 3);
        x->base[C_SATISFACTION] = sqlite3_column_int64(st, 4);
        x->v[C_SATISFACTION] = sqlite3_column_int64(st, 5);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    st = db_prepare(db, "SELECT department_id, status, count(*) FROM event "
                        "WHERE light = 'red' AND area_path >= ?1 AND area_path < ?2 "
                        "AND department_id IS NOT NULL GROUP BY 1, 2");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, area_path_upper(a, path));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subject *x = by_id(set, sqlite3_column_int64(st, 0));
        if (x && workflow_is_open((const char *)sqlite3_column_text(st, 1)))
            x->v[C_OVERDUE] += sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Events reported by each grid worker in the period. */
static int reports_by_worker(struct db *db, struct arena *a, struct set *set, const char *path,
                             int64_t from, int64_t to)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT reporter_id, count(*) FROM event WHERE created_ms >= ?3 AND created_ms < ?4 "
            "AND area_path >= ?1 AND area_path < ?2 AND reporter_id IS NOT NULL "
            "GROUP BY reporter_id");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, area_path_upper(a, path));
    db_bind_int(st, 3, from);
    db_bind_int(st, 4, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subject *x = by_id(set, sqlite3_column_int64(st, 0));
        if (x)
            x->v[C_REPORTS] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* 核查不通过 in the period, to the area's subject or the lead department. */
static int verify_failures(struct db *db, struct set *set, unsigned kind, int64_t from, int64_t to)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT e.area_path, e.department_id FROM event_timeline t "
            "JOIN event e ON e.id = t.event_id WHERE t.action = 'reopen' AND t.at_ms >= ? "
            "AND t.at_ms < ?");
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subject *x =
            kind == K_DEPT ? by_id(set, sqlite3_column_int64(st, 1))
                           : by_path(set, (const char *)sqlite3_column_text(st, 0));
        if (x)
            x->v[C_VERIFY_FAIL]++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Visits in the period: by the grid worker who made them, or under a township. */
static int visits(struct db *db, struct set *set, unsigned kind, int64_t from, int64_t to)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT v.account_id, ar.path FROM visit v JOIN area ar ON ar.id = v.area_id "
            "WHERE v.at_ms >= ? AND v.at_ms < ?");
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct subject *x = kind == K_GRID
                                ? by_id(set, sqlite3_column_int64(st, 0))
                                : by_path(set, (const char *)sqlite3_column_text(st, 1));
        if (x)
            x->v[C_VISITS]++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ------------------------------------------------------------ the formula */

static int load_weights(struct db *db, const char *kind, double *w)
{
    for (int c = 0; c < NCOMP; c++)
        w[c] = 0;
    sqlite3_stmt *st =
        db_prepare(db, "SELECT component, weight FROM ranking_weight WHERE kind = ?");
    db_bind_text(st, 1, kind);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int c = 0; c < NCOMP; c++)
            if (strcmp(comps[c].key, (const char *)sqlite3_column_text(st, 0)) == 0)
                w[c] = sqlite3_column_double(st, 1);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static double round2(double x)
{
    return round(x * 100) / 100;
}

static void score(struct set *set, unsigned kind, const double *w)
{
    int64_t max[NCOMP] = {0};
    for (int i = 0; i < set->n; i++)
        for (int c = 0; c < NCOMP; c++)
            if (set->s[i].v[c] > max[c])
                max[c] = set->s[i].v[c];
    for (int i = 0; i < set->n; i++) {
        struct subject *x = &set->s[i];
        x->score = 0;
        for (int c = 0; c < NCOMP; c++) {
            if (!(comps[c].kinds & kind))
                continue;
            if (comps[c].rate)
                x->norm[c] = x->base[c] ? 100.0 * (double)x->v[c] / (double)x->base[c] : 0;
            else
                x->norm[c] = max[c] ? 100.0 * (double)x->v[c] / (double)max[c] : 0;
            x->norm[c] = round2(x->norm[c]);
            x->points[c] = round2(w[c] * x->norm[c] / 100);
            x->score += x->points[c];
        }
        x->score = round2(x->score);
    }
}

static int by_score(const void *p, const void *q)
{
    const struct subject *x = p, *y = q;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->code && y->code)
        return strcmp(x->code, y->code);
    return x->id < y->id ? -1 : x->id > y->id;
}

static json_t *subject_json(const struct subject *x, unsigned kind, int rank)
{
    json_t *o = json_pack("{si sf}", "rank", rank, "score", x->score);
    if (kind == K_GRID)
        json_object_set_new(o, "subject",
                            json_pack("{sI ss ss s{ss ss}}", "id", (json_int_t)x->id, "username",
                                      x->code, "name", x->name, "area", "code", x->area_code,
                                      "name", x->area_name));
    else if (kind == K_TOWN)
        json_object_set_new(o, "subject",
                            json_pack("{ss ss}", "code", x->code, "name", x->name));
    else
        json_object_set_new(o, "subject",
                            json_pack("{sI ss}", "id", (json_int_t)x->id, "name", x->name));
    json_t *cs = json_object();
    for (int c = 0; c < NCOMP; c++) {
        if (!(comps[c].kinds & kind))
            continue;
        json_t *one = json_pack("{sf sf}", "normalised", x->norm[c], "points", x->points[c]);
        if (comps[c].rate) {
            json_object_set_new(one, "value",
                                x->base[c] ? json_real(round(10000.0 * (double)x->v[c] /
                                                             (double)x->base[c]) / 10000)
                                           : json_null());
            json_object_set_new(one, "of", json_integer(x->base[c]));
        } else {
            json_object_set_new(one, "value", json_integer(x->v[c]));
        }
        json_object_set_new(cs, comps[c].key, one);
    }
    json_object_set_new(o, "components", cs);
    return o;
}

static json_t *components_json(unsigned kind, const double *w)
{
    json_t *arr = json_array();
    for (int c = 0; c < NCOMP; c++)
        if (comps[c].kinds & kind)
            json_array_append_new(arr, json_pack("{ss ss sf ss ss}", "key", comps[c].key, "name",
                                                 comps[c].name, "weight", w ? w[c] : 0.0,
                                                 "unit", comps[c].rate ? "rate" : "count",
                                                 "means", comps[c].means));
    return arr;
}

json_t *ranking_json(struct db *db, struct arena *a, const char *kind, const char *path,
                     int64_t from, int64_t to, int64_t now, int top, struct err *e)
{
    unsigned k = kind_bit(kind);
    struct set set = {0};
    double w[NCOMP];
    if (!k) {
        err_set(e, ERR_INVALID, "invalid_query", "kind",
                "kind 只能是 grid_worker、department 或 township");
        return NULL;
    }
    if (load_weights(db, kind, w) < 0 || load_subjects(db, a, k, path, &set) < 0)
        goto fail;
    int from_month = clock_month_cn(from), to_month = clock_month_cn(to - 1);
    for (int i = 0; i < set.n; i++) {
        struct subject *x = &set.s[i];
        if (k != K_DEPT && area_events(db, x, from_month, to_month) < 0)
            goto fail;
        if (k != K_DEPT && overdue_visits(db, a, x, now) < 0)
            goto fail;
    }
    if (k == K_GRID) {
        for (int i = 0; i < set.n; i++) /* their own reports, not their grid's */
            set.s[i].v[C_REPORTS] = 0;
        if (reports_by_worker(db, a, &set, path, from, to) < 0)
            goto fail;
    }
    if (k == K_DEPT && department_events(db, a, &set, path, from, to) < 0)
        goto fail;
    if (verify_failures(db, &set, k, from, to) < 0 || (k != K_DEPT && visits(db, &set, k, from, to) < 0))
        goto fail;
    score(&set, k, w);
    qsort(set.s, (size_t)set.n, sizeof(*set.s), by_score);
    json_t *items = json_array();
    int rank = 0;
    for (int i = 0; i < set.n && (!top || i < top); i++) {
        if (i == 0 || set.s[i].score != set.s[i - 1].score)
            rank = i + 1; /* ties share a rank: 1, 2, 2, 4 */
        json_array_append_new(items, subject_json(&set.s[i], k, rank));
    }
    return json_pack("{ss so so sI}", "kind", kind, "components", components_json(k, w), "items",
                     items, "total", (json_int_t)set.n);
fail:
    err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return NULL;
}

/* ------------------------------------------------------------ the rules */

json_t *ranking_rules_json(struct db *db)
{
    static const char *const kinds[] = {"grid_worker", "department", "township"};
    json_t *o = json_object();
    for (size_t i = 0; i < 3; i++) {
        double w[NCOMP];
        load_weights(db, kinds[i], w);
        json_object_set_new(o, kinds[i], components_json(kind_bit(kinds[i]), w));
    }
    return o;
}

int ranking_rules_set(struct db *db, json_t *body, struct err *e)
{
    static const char *const allowed[] = {"kind", "weights", NULL};
    const char *kind = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "kind", 1, 16, &kind, e) < 0)
        return -1;
    unsigned k = kind_bit(kind);
    if (!k)
        return err_set(e, ERR_INVALID, "invalid_value", "kind",
                       "kind 只能是 grid_worker、department 或 township");
    json_t *ws = json_object_get(body, "weights");
    if (!ws)
        return err_set(e, ERR_INVALID, "missing_field", "weights", "缺少字段 weights");
    if (!json_is_object(ws) || json_object_size(ws) == 0)
        return err_set(e, ERR_INVALID, "invalid_type", "weights",
                       "weights 必须是非空对象：{指标: 权重}");
    const char *key;
    json_t *v;
    json_object_foreach(ws, key, v)
    {
        int c = 0;
        while (c < NCOMP && strcmp(comps[c].key, key) != 0)
            c++;
        const char *field = "weights";
        if (c == NCOMP || !(comps[c].kinds & k))
            return err_set(e, ERR_INVALID, "unknown_component", field,
                           "%s 的考核指标中没有 %.40s", kind, key);
        if (!json_is_number(v) || json_number_value(v) < -100 || json_number_value(v) > 100 ||
            !isfinite(json_number_value(v)))
            return err_set(e, ERR_INVALID, "out_of_range", field,
                           "指标 %s 的权重必须是 -100 到 100 之间的数", key);
    }
    json_object_foreach(ws, key, v)
    {
        sqlite3_stmt *st = db_prepare(
            db, "INSERT INTO ranking_weight (kind, component, weight) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, component) DO UPDATE SET weight = excluded.weight");
        db_bind_text(st, 1, kind);
        db_bind_text(st, 2, key);
        sqlite3_bind_double(st, 3, json_number_value(v));
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    }
    return 0;
}
