/* Social-stability risk assessment, "2466": six steps, six risk kinds. */
#include "risk.h"

#include <string.h>

#include "domain/area.h"
#include "store/db.h"
#include "util/jsonfield.h"

struct kv {
    const char *key, *name;
};
static const struct kv steps[RISK_STEPS] = {
    {"plan", "制订评估方案"},     {"opinions", "广泛听取意见"}, {"predict", "预测预判风险"},
    {"conclude", "作出评估结论"}, {"file", "评估报告报备"},     {"follow_up", "跟踪督查督办"},
};
static const struct kv kinds[RISK_KINDS] = {
    {"environment", "影响环境"}, {"safety", "安全生产"},  {"livelihood", "民生问题"},
    {"capital", "资金链断裂"},   {"opinion", "舆论炒作"}, {"induced", "诱发社会风险"},
};
static const char *const color_names[] = {"none", "yellow", "orange", "red"};
static const char *const color_zh[] = {"无", "黄色预警", "橙色预警", "红色预警"};
static const struct kv statuses[] = {{"in_progress", "正在评估"}, {"concluded", "已作出结论"},
                                     {"closed", "已办结"},        {"exempt", "免于评估"},
                                     {"postponed", "暂缓评估"},   {NULL, NULL}};
static const struct kv outcomes[] = {
    {"implement", "准予实施"},     {"implement_with_measures", "采取措施后实施"},
    {"postpone", "暂缓评估"},      {"exempt", "免于评估"},
    {"not_implement", "不予实施"}, {NULL, NULL}};
static const struct kv levels[] = {
    {"high", "高风险"}, {"medium", "中风险"}, {"low", "低风险"}, {NULL, NULL}};

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

/* The name of key in a NULL-terminated table, or NULL. */
static const char *name_of(const struct kv *t, const char *key)
{
    for (; key && t->key; t++)
        if (strcmp(t->key, key) == 0)
            return t->name;
    return NULL;
}

/* ------------------------------------------------------------ the rules */

const char *risk_level_of(const enum risk_color colors[RISK_KINDS])
{
    int worst = RISK_NONE;
    for (int i = 0; i < RISK_KINDS; i++)
        if ((int)colors[i] > worst)
            worst = colors[i];
    return worst == RISK_RED ? "high" : worst == RISK_ORANGE ? "medium" : "low";
}

int risk_outcome_fits(const char *level, const char *outcome, struct err *e)
{
    int high = strcmp(level, "high") == 0, medium = strcmp(level, "medium") == 0;
    if (high && strcmp(outcome, "not_implement") != 0)
        return err_set(e, ERR_CONFLICT, "outcome_not_allowed", "outcome",
                       "评估为高风险（有红色预警）的事项不予实施");
    if (medium && strcmp(outcome, "implement") == 0)
        return err_set(e, ERR_CONFLICT, "outcome_not_allowed", "outcome",
                       "评估为中风险（有橙色预警）的事项只能采取措施后实施或不予实施");
    return 0;
}

int risk_color_of(const char *name)
{
    for (size_t i = 0; name && i < NELEM(color_names); i++)
        if (strcmp(color_names[i], name) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------ registry */

int risk_from_json(json_t *body, struct risk_input *in, struct err *e)
{
    static const char *const allowed[] = {"title",       "kind", "owner_unit",
                                          "description", "area", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "title", 1, 100, &in->title, e) < 0 ||
        jf_str(body, "kind", 1, 16, &in->kind, e) < 0 ||
        jf_str(body, "owner_unit", 1, 100, &in->owner_unit, e) < 0 ||
        jf_str(body, "description", 0, 4000, &in->description, e) < 0 ||
        jf_str(body, "area", 1, 32, &in->area, e) < 0)
        return -1;
    if (strcmp(in->kind, "project") && strcmp(in->kind, "decision"))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind",
                       "kind 应为 project（重大项目）或 decision（重大决策）");
    return 0;
}

int64_t risk_create(struct db *db, struct arena *a, const struct risk_input *in,
                    const struct risk_actor *who, int64_t now, struct err *e)
{
    struct area ar;
    if (area_get(db, a, in->area, &ar) < 0 || ar.retired_ms ||
        !area_path_within(who->scope, ar.path))
        return err_set(e, ERR_NOT_FOUND, "area_not_found", "area",
                       "区域 %s 不存在或不在您的管辖范围内", in->area);
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO risk_project (title, kind, owner_unit, description, area_id, area_path, "
            "created_by, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, in->title);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, in->owner_unit);
    db_bind_text(st, 4, in->description);
    db_bind_int(st, 5, ar.id);
    db_bind_text(st, 6, ar.path);
    if (who->account_id)
        db_bind_int(st, 7, who->account_id);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

int risk_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, "SELECT area_path FROM risk_project WHERE id = ?", id, path);
}

#define RISK_COLS                                                                                  \
    "r.id, r.title, r.kind, r.owner_unit, r.description, ar.code, ar.name, r.status, "             \
    "r.steps_done, r.level, r.outcome, r.outcome_note, r.created_ms, r.updated_ms, r.decided_ms "

static json_t *opt_text(sqlite3_stmt *st, int i)
{
    const char *s = db_col_text_or_null(st, i);
    return s ? json_string(s) : json_null();
}

static json_t *opt_name(const struct kv *t, sqlite3_stmt *st, int i)
{
    const char *n = name_of(t, db_col_text_or_null(st, i));
    return n ? json_string(n) : json_null();
}

static json_t *row_json(sqlite3_stmt *st)
{
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s?,s:i,s:I}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "title", db_col_text(st, 1),
                          "kind", db_col_text(st, 2), "owner_unit", db_col_text(st, 3), "area",
                          "code", db_col_text(st, 5), "name", db_col_text(st, 6), "status",
                          db_col_text(st, 7), "status_name", name_of(statuses, db_col_text(st, 7)),
                          "steps_done", sqlite3_column_int(st, 8), "created_ms",
                          (json_int_t)sqlite3_column_int64(st, 12));
    json_object_set_new(
        o, "kind_name",
        json_string(strcmp(db_col_text(st, 2), "project") ? "重大决策" : "重大项目"));
    json_object_set_new(o, "description", opt_text(st, 4));
    json_object_set_new(o, "level", opt_text(st, 9));
    json_object_set_new(o, "level_name", opt_name(levels, st, 9));
    json_object_set_new(o, "outcome", opt_text(st, 10));
    json_object_set_new(o, "outcome_name", opt_name(outcomes, st, 10));
    json_object_set_new(o, "outcome_note", opt_text(st, 11));
    json_object_set_new(o, "updated_ms", json_integer(sqlite3_column_int64(st, 13)));
    json_object_set_new(o, "decided_ms",
                        sqlite3_column_type(st, 14) == SQLITE_NULL
                            ? json_null()
                            : json_integer(sqlite3_column_int64(st, 14)));
    return o;
}

/* The ratings of a project into colors (RISK_NONE where unrated); returns
 * how many kinds are rated. */
static int load_ratings(struct db *db, int64_t id, enum risk_color colors[RISK_KINDS], json_t *out)
{
    int rated = 0;
    for (int i = 0; i < RISK_KINDS; i++)
        colors[i] = RISK_NONE;
    sqlite3_stmt *st =
        db_prepare(db, "SELECT kind, color, note, at_ms FROM risk_rating WHERE project_id = ?");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = db_col_text(st, 0);
        int c = risk_color_of(db_col_text(st, 1));
        for (int i = 0; i < RISK_KINDS; i++) {
            if (strcmp(kinds[i].key, k) != 0)
                continue;
            colors[i] = c < 0 ? RISK_NONE : (enum risk_color)c;
            rated++;
            if (out) {
                json_t *x = json_array_get(out, (size_t)i);
                json_object_set_new(x, "color", json_string(db_col_text(st, 1)));
                json_object_set_new(x, "color_name", json_string(color_zh[c < 0 ? 0 : c]));
                json_object_set_new(x, "note", opt_text(st, 2));
                json_object_set_new(x, "at_ms", json_integer(sqlite3_column_int64(st, 3)));
            }
        }
    }
    sqlite3_reset(st);
    return rated;
}

json_t *risk_to_json(struct db *db, struct arena *a, int64_t id)
{
    (void)a;
    sqlite3_stmt *st = db_prepare(db, "SELECT " RISK_COLS "FROM risk_project r JOIN area ar ON "
                                      "ar.id = r.area_id WHERE r.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row_json(st) : NULL;
    sqlite3_reset(st);
    if (!o)
        return NULL;
    json_t *st_arr = json_array();
    for (int i = 0; i < RISK_STEPS; i++)
        json_array_append_new(st_arr, json_pack("{s:i,s:s,s:s,s:b,s:n,s:n,s:[]}", "step", i + 1,
                                                "key", steps[i].key, "name", steps[i].name, "done",
                                                0, "done_by", "done_ms", "documents"));
    st = db_prepare(db, "SELECT step, username, done_ms FROM risk_step WHERE project_id = ?");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *x = json_array_get(st_arr, (size_t)sqlite3_column_int(st, 0) - 1);
        json_object_set_new(x, "done", json_true());
        json_object_set_new(x, "done_by", json_string(db_col_text(st, 1)));
        json_object_set_new(x, "done_ms", json_integer(sqlite3_column_int64(st, 2)));
    }
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT step, id, title, body, username, at_ms FROM risk_document "
                        "WHERE project_id = ? ORDER BY id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *x = json_array_get(st_arr, (size_t)sqlite3_column_int(st, 0) - 1);
        json_t *d = json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 1),
                              "title", db_col_text(st, 2), "by", db_col_text(st, 4), "at_ms",
                              (json_int_t)sqlite3_column_int64(st, 5));
        json_object_set_new(d, "body", opt_text(st, 3));
        json_array_append_new(json_object_get(x, "documents"), d);
    }
    sqlite3_reset(st);
    json_object_set_new(o, "steps", st_arr);
    json_t *ratings = json_array();
    for (int i = 0; i < RISK_KINDS; i++)
        json_array_append_new(ratings, json_pack("{s:s,s:s,s:n,s:n}", "kind", kinds[i].key, "name",
                                                 kinds[i].name, "color", "color_name"));
    enum risk_color colors[RISK_KINDS];
    int rated = load_ratings(db, id, colors, ratings);
    json_object_set_new(o, "ratings", ratings);
    json_object_set_new(o, "rated", json_integer(rated));
    /* The level the ratings give now (fixed at the conclusion). */
    const char *lvl = risk_level_of(colors);
    json_object_set_new(o, "level_now", rated ? json_string(lvl) : json_null());
    return o;
}

json_t *risk_list_json(struct db *db, struct arena *a, const char *scope, const char *status,
                       long limit, long offset)
{
    const char *upper = area_path_upper(a, scope);
    sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM risk_project r WHERE r.area_path >= ?1 "
                                      "AND r.area_path < ?2 AND (?3 IS NULL OR r.status = ?3)");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, status);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    json_t *items = json_array();
    st = db_prepare(db, "SELECT " RISK_COLS "FROM risk_project r JOIN area ar ON ar.id = r.area_id "
                        "WHERE r.area_path >= ?1 AND r.area_path < ?2 AND (?3 IS NULL OR r.status "
                        "= ?3) ORDER BY r.created_ms DESC, r.id DESC LIMIT ?4 OFFSET ?5");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, status);
    db_bind_int(st, 4, limit);
    db_bind_int(st, 5, offset);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, row_json(st));
    sqlite3_reset(st);
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

#define COUNT_COLS                                                                                 \
    "count(r.id), "                                                                                \
    "count(CASE WHEN r.outcome IN ('implement', 'implement_with_measures') THEN 1 END), "          \
    "count(CASE WHEN r.status = 'exempt' THEN 1 END), "                                            \
    "count(CASE WHEN r.status = 'postponed' THEN 1 END), "                                         \
    "count(CASE WHEN r.outcome = 'not_implement' THEN 1 END), "                                    \
    "count(CASE WHEN r.status = 'in_progress' THEN 1 END), "                                       \
    "count(CASE WHEN r.level = 'high' THEN 1 END), count(CASE WHEN r.level = 'medium' THEN 1 "     \
    "END), count(CASE WHEN r.level = 'low' THEN 1 END) "

static json_t *counts_of(struct arena *a, sqlite3_stmt *st, int first)
{
    int64_t v[9];
    for (int i = 0; i < 9; i++)
        v[i] = sqlite3_column_int64(st, first + i);
    const char *sentence = arena_printf(
        a,
        "开展社会稳定风险评估项目%lld个，其中完成评估%lld个，经研究免于评估%lld个，暂缓评估%lld个，"
        "不予实施%lld个，正在评估%lld个",
        (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3], (long long)v[4],
        (long long)v[5]);
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:s}", "total", (json_int_t)v[0],
                     "assessed", (json_int_t)v[1], "exempt", (json_int_t)v[2], "postponed",
                     (json_int_t)v[3], "not_implemented", (json_int_t)v[4], "in_progress",
                     (json_int_t)v[5], "by_level", "high", (json_int_t)v[6], "medium",
                     (json_int_t)v[7], "low", (json_int_t)v[8], "sentence", sentence);
}

json_t *risk_counts_json(struct db *db, struct arena *a, const struct area *ar, int64_t from_ms,
                         int64_t to_ms)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " COUNT_COLS "FROM risk_project r WHERE "
                                      "r.area_path >= ?1 AND r.area_path < ?2 AND "
                                      "r.created_ms >= ?3 AND r.created_ms < ?4");
    db_bind_text(st, 1, ar->path);
    db_bind_text(st, 2, area_path_upper(a, ar->path));
    db_bind_int(st, 3, from_ms);
    db_bind_int(st, 4, to_ms);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? counts_of(a, st, 0) : NULL;
    sqlite3_reset(st);
    if (!o)
        return NULL;
    json_object_set_new(
        o, "area",
        json_pack("{s:s,s:s,s:s}", "code", ar->code, "name", ar->name, "level", ar->level));
    /* The same counts for each child area (its subtree: one range each). */
    json_t *children = json_array();
    st = db_prepare(db, "SELECT ch.code, ch.name, " COUNT_COLS
                        "FROM area ch LEFT JOIN risk_project r ON r.area_path >= ch.path AND "
                        "r.area_path < substr(ch.path, 1, length(ch.path) - 1) || '0' AND "
                        "r.created_ms >= ?2 AND r.created_ms < ?3 "
                        "WHERE ch.parent_id = ?1 AND ch.retired_ms IS NULL "
                        "GROUP BY ch.id ORDER BY ch.code");
    db_bind_int(st, 1, ar->id);
    db_bind_int(st, 2, from_ms);
    db_bind_int(st, 3, to_ms);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *c = counts_of(a, st, 2);
        json_object_set_new(c, "code", json_string(db_col_text(st, 0)));
        json_object_set_new(c, "name", json_string(db_col_text(st, 1)));
        json_array_append_new(children, c);
    }
    sqlite3_reset(st);
    json_object_set_new(o, "children", children);
    return o;
}

/* ------------------------------------------------------------ steps */

struct proj {
    const char *status;
    int steps_done;
};

static int load_proj(struct db *db, struct arena *a, int64_t id, struct proj *p, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT status, steps_done FROM risk_project WHERE id = ?");
    db_bind_int(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        p->status = arena_strdup(a, db_col_text(st, 0));
        p->steps_done = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    return found ? 0 : err_set(e, ERR_NOT_FOUND, "not_found", NULL, "评估事项不存在");
}

static int exec_ok(struct db *db, sqlite3_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE
               ? 0
               : err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
}

int risk_step_add(struct db *db, struct arena *a, int64_t id, int step, json_t *body,
                  const struct risk_actor *who, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"documents", "complete", "outcome", "outcome_note", NULL};
    struct proj p;
    if (step < 1 || step > RISK_STEPS)
        return err_set(e, ERR_NOT_FOUND, "no_such_step", "step", "步骤应为 1 到 6");
    if (jf_only(body, allowed, e) < 0 || load_proj(db, a, id, &p, e) < 0)
        return -1;
    int complete = 0, has_complete = 0;
    const char *outcome = NULL, *note = NULL;
    if (jf_bool(body, "complete", 0, &complete, &has_complete, e) < 0 ||
        jf_str(body, "outcome", 0, 32, &outcome, e) < 0 ||
        jf_str(body, "outcome_note", 0, 1000, &note, e) < 0)
        return -1;
    json_t *docs = json_object_get(body, "documents");
    if (docs && !json_is_null(docs) && !json_is_array(docs))
        return err_set(e, ERR_INVALID, "invalid_type", "documents", "documents 应为数组");
    size_t ndocs = docs ? json_array_size(docs) : 0;
    if (ndocs > 50)
        return err_set(e, ERR_INVALID, "too_many", "documents", "一次最多提交 50 份材料");
    /* Check every document before writing any. */
    for (size_t i = 0; i < ndocs; i++) {
        json_t *d = json_array_get(docs, i);
        static const char *const dallowed[] = {"title", "body", NULL};
        const char *t, *b;
        struct err de = ERR_INIT;
        if (!json_is_object(d) || jf_only(d, dallowed, &de) < 0 ||
            jf_str(d, "title", 1, 100, &t, &de) < 0 || jf_str(d, "body", 0, 20000, &b, &de) < 0)
            return err_set(e, ERR_INVALID, de.code ? de.code : "invalid_type",
                           arena_printf(a, "documents[%zu].%s", i, de.field ? de.field : "title"),
                           "第 %zu 份材料：%s", i + 1,
                           de.code ? de.message : "每份材料应为 {title, body} 对象");
    }
    if (strcmp(p.status, "in_progress") && strcmp(p.status, "concluded"))
        return err_set(e, ERR_CONFLICT, "risk_closed", NULL, "该评估事项已%s，不能再提交材料",
                       name_of(statuses, p.status));
    if (step > p.steps_done + 1)
        return err_set(e, ERR_CONFLICT, "step_out_of_order", "step", "请先完成第 %d 步：%s",
                       p.steps_done + 1, steps[p.steps_done].name);
    if (outcome && !(complete && step == 4))
        return err_set(e, ERR_INVALID, "unknown_field", "outcome",
                       "评估结论 outcome 只在完成第 4 步（作出评估结论）时给出");
    if (complete && step <= p.steps_done)
        return err_set(e, ERR_CONFLICT, "step_done", "complete", "第 %d 步已完成", step);
    if (!ndocs && !complete)
        return err_set(e, ERR_INVALID, "missing_field", "documents", "请提交材料或完成本步");
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO risk_document (project_id, step, title, body, "
                                      "account_id, username, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < ndocs; i++) {
        json_t *d = json_array_get(docs, i);
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, step);
        db_bind_text(st, 3, json_string_value(json_object_get(d, "title")));
        db_bind_text(st, 4, json_string_value(json_object_get(d, "body")));
        if (who->account_id)
            db_bind_int(st, 5, who->account_id);
        else
            sqlite3_bind_null(st, 5);
        db_bind_text(st, 6, who->username);
        db_bind_int(st, 7, now);
        if (exec_ok(db, st, e) < 0)
            return -1;
    }
    if (!complete)
        goto touch;
    st = db_prepare(db, "SELECT count(*) FROM risk_document WHERE project_id = ? AND step = ?");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, step);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (n == 0)
        return err_set(e, ERR_INVALID, "documents_required", "documents",
                       "第 %d 步（%s）至少需要一份材料", step, steps[step - 1].name);
    enum risk_color colors[RISK_KINDS];
    int rated = load_ratings(db, id, colors, NULL);
    if (step == 3 && rated < RISK_KINDS)
        return err_set(e, ERR_CONFLICT, "ratings_incomplete", "ratings",
                       "六类风险点须全部评定（红、橙、黄或无）后才能完成风险预测预判，已评定 %d 类",
                       rated);
    const char *level = NULL;
    if (step == 4) {
        if (!outcome)
            return err_set(e, ERR_INVALID, "missing_field", "outcome",
                           "请给出评估结论 outcome：implement、implement_with_measures 或 "
                           "not_implement");
        if (strcmp(outcome, "implement") && strcmp(outcome, "implement_with_measures") &&
            strcmp(outcome, "not_implement"))
            return err_set(e, ERR_INVALID, "invalid_outcome", "outcome",
                           "评估结论应为 implement、implement_with_measures 或 not_implement"
                           "（免于评估、暂缓评估请用 decision）");
        level = risk_level_of(colors);
        if (risk_outcome_fits(level, outcome, e) < 0)
            return -1;
    }
    st = db_prepare(db, "INSERT INTO risk_step (project_id, step, account_id, username, done_ms) "
                        "VALUES (?, ?, ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, step);
    if (who->account_id)
        db_bind_int(st, 3, who->account_id);
    db_bind_text(st, 4, who->username);
    db_bind_int(st, 5, now);
    if (exec_ok(db, st, e) < 0)
        return -1;
    st = db_prepare(db, "UPDATE risk_project SET steps_done = ?2, status = ?3, "
                        "level = coalesce(?4, level), outcome = coalesce(?5, outcome), "
                        "outcome_note = coalesce(?6, outcome_note), "
                        "decided_ms = CASE WHEN ?5 IS NULL THEN decided_ms ELSE ?7 END, "
                        "updated_ms = ?7 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, step);
    db_bind_text(st, 3, step == 6 ? "closed" : step >= 4 ? "concluded" : "in_progress");
    db_bind_text(st, 4, level);
    db_bind_text(st, 5, step == 4 ? outcome : NULL);
    db_bind_text(st, 6, step == 4 ? note : NULL);
    db_bind_int(st, 7, now);
    return exec_ok(db, st, e);
touch:
    st = db_prepare(db, "UPDATE risk_project SET updated_ms = ? WHERE id = ?");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, id);
    return exec_ok(db, st, e);
}

int risk_rate(struct db *db, struct arena *a, int64_t id, json_t *body,
              const struct risk_actor *who, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"ratings", NULL};
    struct proj p;
    int rc = -1;
    if (jf_only(body, allowed, e) < 0 || load_proj(db, a, id, &p, e) < 0)
        goto out;
    json_t *r = json_object_get(body, "ratings");
    if (!json_is_object(r) || json_object_size(r) == 0) {
        err_set(e, ERR_INVALID, "missing_field", "ratings",
                "ratings 应为对象，如 {\"environment\": \"yellow\"}");
        goto out;
    }
    if (strcmp(p.status, "in_progress") || p.steps_done >= 3) {
        err_set(e, ERR_CONFLICT, "ratings_closed", "ratings",
                "风险预测预判已完成（或事项已结束），不能再修改评定");
        goto out;
    }
    /* Validate all, then write all. */
    const char *k;
    json_t *v;
    json_object_foreach(r, k, v)
    {
        int known = 0;
        for (int i = 0; i < RISK_KINDS; i++)
            known |= strcmp(kinds[i].key, k) == 0;
        const char *field = arena_printf(a, "ratings.%s", k);
        if (!known) {
            err_set(e, ERR_INVALID, "unknown_kind", field,
                    "没有名为 %s 的风险类别（environment、safety、livelihood、capital、opinion、"
                    "induced）",
                    k);
            goto out;
        }
        json_t *c = json_is_object(v) ? json_object_get(v, "color") : v;
        json_t *note = json_is_object(v) ? json_object_get(v, "note") : NULL;
        if (!json_is_string(c) || risk_color_of(json_string_value(c)) < 0) {
            err_set(e, ERR_INVALID, "invalid_color", field,
                    "%s 的评定应为 red、orange、yellow 或 none", k);
            goto out;
        }
        if (note && !json_is_null(note) &&
            (!json_is_string(note) ||
             jf_check_text(json_string_value(note), json_string_length(note), field, 1000, e) <
                 0)) {
            err_set(e, ERR_INVALID, "invalid_type", field, "%s 的说明 note 应为文字", k);
            goto out;
        }
    }
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO risk_rating (project_id, kind, color, note, account_id, at_ms) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (project_id, kind) DO UPDATE SET "
            "color = excluded.color, note = excluded.note, account_id = excluded.account_id, "
            "at_ms = excluded.at_ms");
    json_object_foreach(r, k, v)
    {
        json_t *c = json_is_object(v) ? json_object_get(v, "color") : v;
        json_t *note = json_is_object(v) ? json_object_get(v, "note") : NULL;
        db_bind_int(st, 1, id);
        db_bind_text(st, 2, k);
        db_bind_text(st, 3, json_string_value(c));
        db_bind_text(st, 4, json_is_string(note) ? json_string_value(note) : NULL);
        if (who->account_id)
            db_bind_int(st, 5, who->account_id);
        else
            sqlite3_bind_null(st, 5);
        db_bind_int(st, 6, now);
        if (exec_ok(db, st, e) < 0)
            goto out;
    }
    st = db_prepare(db, "UPDATE risk_project SET updated_ms = ? WHERE id = ?");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, id);
    rc = exec_ok(db, st, e);
out:
    return rc;
}

int risk_decide(struct db *db, struct arena *a, int64_t id, json_t *body, int64_t now,
                struct err *e)
{
    static const char *const allowed[] = {"outcome", "reason", NULL};
    struct proj p;
    const char *outcome, *reason;
    int rc = -1;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "outcome", 1, 32, &outcome, e) < 0 ||
        jf_str(body, "reason", 1, 2000, &reason, e) < 0 || load_proj(db, a, id, &p, e) < 0)
        goto out;
    if (strcmp(outcome, "exempt") && strcmp(outcome, "postpone")) {
        err_set(e, ERR_INVALID, "invalid_outcome", "outcome",
                "此处只能决定 exempt（免于评估）或 postpone（暂缓评估）");
        goto out;
    }
    if (strcmp(p.status, "in_progress")) {
        err_set(e, ERR_CONFLICT, "risk_closed", "outcome", "该评估事项已%s",
                name_of(statuses, p.status));
        goto out;
    }
    sqlite3_stmt *st = db_prepare(db, "UPDATE risk_project SET status = ?2, outcome = ?3, "
                                      "outcome_note = ?4, decided_ms = ?5, updated_ms = ?5 "
                                      "WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, strcmp(outcome, "exempt") == 0 ? "exempt" : "postponed");
    db_bind_text(st, 3, outcome);
    db_bind_text(st, 4, reason);
    db_bind_int(st, 5, now);
    rc = exec_ok(db, st, e);
out:
    return rc;
}
