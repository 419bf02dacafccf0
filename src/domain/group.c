#include "group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/typefields.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/jsonfield.h"
#include "util/keyname.h"

#define DAY_MS 86400000LL
#define SOON_MS (3 * DAY_MS)

static const struct keyname types[] = {
    {"released", "刑满释放人员"}, {"correction", "社区矫正人员"}, {"drug", "吸毒人员"},
    {"mental", "严重精神障碍患者"}, {"aids", "艾滋病危险人员"}, {"youth", "重点青少年"},
    {NULL, NULL},
};

static const char *type_name(const char *k)
{
    return keyname_name(types, k);
}

static const char *const guardian_roles[] = {"网格员", "民警", "医生", "监护人", "村干部", "其他",
                                             NULL};

int group_from_json(json_t *body, struct group_input *in, struct err *e)
{
    static const char *const allowed[] = {"type",   "risk_level", "danger_level", "guardians",
                                          "fields", "since",      NULL};
    memset(in, 0, sizeof(*in));
    in->danger_level = -1;
    int64_t danger = -1;
    int has_danger = 0;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "type", 1, 16, &in->type, e) < 0 ||
        jf_str(body, "risk_level", 1, 8, &in->risk_level, e) < 0 ||
        jf_int(body, "danger_level", 0, 0, 5, &danger, &has_danger, e) < 0 ||
        jf_str(body, "since", 0, 10, &in->since, e) < 0)
        return -1;
    if (!type_name(in->type))
        return err_set(e, ERR_INVALID, "unknown_group_type", "type",
                       "类型应为 released、correction、drug、mental、aids 或 youth");
    if (strcmp(in->risk_level, "low") && strcmp(in->risk_level, "medium") &&
        strcmp(in->risk_level, "high"))
        return err_set(e, ERR_INVALID, "invalid_risk_level", "risk_level",
                       "风险等级应为 low、medium 或 high");
    if (strcmp(in->type, "mental") == 0 && !has_danger)
        return err_set(e, ERR_INVALID, "missing_field", "danger_level",
                       "严重精神障碍患者须填写危险性评估等级 danger_level（0–5）");
    if (strcmp(in->type, "mental") != 0 && has_danger)
        return err_set(e, ERR_INVALID, "danger_level_not_allowed", "danger_level",
                       "只有严重精神障碍患者有危险性评估等级");
    in->danger_level = has_danger ? (int)danger : -1;
    if (in->since && clock_valid_date(in->since) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "since", "字段 since 应为有效日期 YYYY-MM-DD");
    json_t *f = json_object_get(body, "fields");
    if (typefields_check("group", in->type, f, e) < 0)
        return -1;
    in->fields = f && !json_is_null(f) ? f : NULL;
    json_t *g = json_object_get(body, "guardians");
    if (g && !json_is_null(g)) {
        if (!json_is_array(g) || json_array_size(g) > 10)
            return err_set(e, ERR_INVALID, "invalid_type", "guardians",
                           "guardians 应为最多10人的数组");
        size_t i;
        json_t *p;
        static const char *const item_field[] = {"guardians[0]", "guardians[1]", "guardians[2]",
                                                 "guardians[3]", "guardians[4]", "guardians[5]",
                                                 "guardians[6]", "guardians[7]", "guardians[8]",
                                                 "guardians[9]"};
        json_array_foreach(g, i, p)
        {
            static const char *const pallowed[] = {"name", "role", NULL};
            const char *name, *role;
            if (!json_is_object(p))
                return err_set(e, ERR_INVALID, "invalid_type", item_field[i],
                               "guardians 的每一项应为 {name, role}");
            if (jf_only(p, pallowed, e) < 0 || jf_str(p, "name", 1, 32, &name, e) < 0 ||
                jf_str(p, "role", 1, 8, &role, e) < 0) {
                e->field = item_field[i]; /* which entry, whatever was wrong in it */
                return -1;
            }
            int ok = 0;
            for (const char *const *r = guardian_roles; *r; r++)
                ok |= strcmp(*r, role) == 0;
            if (!ok)
                return err_set(e, ERR_INVALID, "invalid_guardian_role", item_field[i],
                               "监护帮扶人员的角色应为 网格员、民警、医生、监护人、村干部 或 其他");
        }
        in->guardians = g;
    }
    return 0;
}

/* Walks the rules; calls back for each (type, min danger or -1, days). */
static int parse_rules(const char *rules, const char *type, int danger, int *days)
{
    const char *p = rules;
    while (*p) {
        char rule[64];
        size_t n = strcspn(p, ",");
        if (n == 0 || n >= sizeof(rule))
            return -1;
        memcpy(rule, p, n);
        rule[n] = '\0';
        p += n + (p[n] == ',');
        char *eq = strchr(rule, '=');
        if (!eq)
            return -1;
        *eq = '\0';
        char *end;
        long d = strtol(eq + 1, &end, 10);
        if (*end || d < 1 || d > 366)
            return -1;
        char *at = strchr(rule, '@');
        long min = -1;
        if (at) {
            *at = '\0';
            min = strtol(at + 1, &end, 10);
            if (*end || min < 0 || min > 5)
                return -1;
        }
        if (!type_name(rule))
            return -1;
        if (type && strcmp(rule, type) == 0 && (min < 0 || danger >= min)) {
            *days = (int)d;
            return 1;
        }
    }
    return 0;
}

int group_duties_check(const char *rules, struct err *e)
{
    int days;
    if (parse_rules(rules, NULL, -1, &days) < 0)
        return err_set(e, ERR_INVALID, "invalid_config", "visit_duties",
                       "visit_duties 的格式应为 类型[@最低危险等级]=天数,…（类型：released、correction、"
                       "drug、mental、aids、youth）");
    return 0;
}

int group_duty_days(const char *rules, const char *type, int danger)
{
    int days = 30;
    if (parse_rules(rules, type, danger, &days) <= 0)
        return 30;
    return days;
}

int64_t group_create(struct db *db, int64_t person_id, const struct group_input *in, int days,
                     int64_t now, struct err *e)
{
    char *fields = in->fields ? json_dumps(in->fields, JSON_COMPACT) : NULL;
    char *guardians = in->guardians ? json_dumps(in->guardians, JSON_COMPACT) : NULL;
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO special_group (person_id, type, risk_level, danger_level, fields, "
            "guardians, since, visit_every_days, next_due_ms, created_ms, updated_ms) "
            "VALUES (?, ?, ?, ?, coalesce(?, '{}'), coalesce(?, '[]'), ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, person_id);
    db_bind_text(st, 2, in->type);
    db_bind_text(st, 3, in->risk_level);
    if (in->danger_level >= 0)
        db_bind_int(st, 4, in->danger_level);
    db_bind_text(st, 5, fields);
    db_bind_text(st, 6, guardians);
    db_bind_text(st, 7, in->since);
    db_bind_int(st, 8, days);
    db_bind_int(st, 9, now + days * DAY_MS);
    db_bind_int(st, 10, now);
    db_bind_int(st, 11, now);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(db_handle(db));
    sqlite3_reset(st);
    free(fields);
    free(guardians);
    if (ext == SQLITE_CONSTRAINT_UNIQUE)
        return err_set(e, ERR_CONFLICT, "group_exists", "type", "该人员已登记为此类特殊人群");
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

#define GROUP_COLS \
    "g.id, p.id, p.name, p.id_mask, g.type, g.risk_level, g.danger_level, g.guardians, g.fields, " \
    "ar.code, ar.name, g.visit_every_days, g.last_visit_ms, g.next_due_ms, g.since "
#define GROUP_FROM                                                                                 \
    "FROM special_group g JOIN person p ON p.id = g.person_id JOIN area ar ON ar.id = p.area_id "

static json_t *iso_or_null(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    char iso[32];
    clock_format_iso(sqlite3_column_int64(st, col), iso, sizeof(iso));
    return json_string(iso);
}

static json_t *group_row(sqlite3_stmt *st, int64_t now)
{
    int64_t due = sqlite3_column_int64(st, 13);
    const char *state = now > due ? "overdue" : (due - now <= SOON_MS ? "due" : "ok");
    json_t *guardians = json_loads(db_col_text(st, 7), 0, NULL);
    json_t *fields = json_loads(db_col_text(st, 8), 0, NULL);
    json_t *danger = sqlite3_column_type(st, 6) == SQLITE_NULL
                         ? json_null()
                         : json_integer(sqlite3_column_int(st, 6));
    json_t *o = json_pack("{s:I,s:{s:I,s:s,s:s?},s:s,s:s,s:s,s:o,s:o,s:o,s:{s:s,s:s},s:i,s:o,s:o,s:s}",
                     "id", (json_int_t)sqlite3_column_int64(st, 0), "person", "id",
                     (json_int_t)sqlite3_column_int64(st, 1), "name", db_col_text(st, 2),
                     "id_number", db_col_text_or_null(st, 3), "type", db_col_text(st, 4),
                     "type_name", type_name(db_col_text(st, 4)), "risk_level",
                     db_col_text(st, 5), "danger_level", danger, "guardians",
                     guardians ? guardians : json_array(), "fields",
                     fields ? fields : json_object(), "area", "code", db_col_text(st, 9), "name",
                     db_col_text(st, 10), "visit_every_days", sqlite3_column_int(st, 11),
                     "last_visit_at", iso_or_null(st, 12), "next_due_at", iso_or_null(st, 13),
                     "state", state);
    json_t *since = db_col_text_or_null(st, 14) ? json_string(db_col_text(st, 14)) : json_null();
    json_object_set_new(o, "since", since);
    return o;
}

json_t *group_person_json(struct db *db, int64_t person_id, int64_t now)
{
    json_t *items = json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT " GROUP_COLS GROUP_FROM
                                      "WHERE g.person_id = ? ORDER BY g.id");
    db_bind_int(st, 1, person_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, group_row(st, now));
    sqlite3_reset(st);
    return json_pack("{s:o}", "items", items);
}

json_t *group_list_json(struct db *db, struct arena *a, const char *scope, const char *type,
                        const char *due, long limit, long offset, int64_t now)
{
    /* ?5: the latest next_due_ms that still counts (everything, due soon, overdue). */
    /* [from, until] of next_due_ms: everything; due soon (not yet overdue); overdue. */
    int64_t until = INT64_MAX, from = INT64_MIN;
    if (due && strcmp(due, "due") == 0) {
        from = now;
        until = now + SOON_MS;
    } else if (due && strcmp(due, "overdue") == 0) {
        until = now - 1;
    }
    json_t *items = json_array();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " GROUP_COLS GROUP_FROM
            "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR g.type = ?3) "
            "AND g.next_due_ms <= ?4 AND g.next_due_ms >= ?7 ORDER BY g.next_due_ms, g.id "
            "LIMIT ?5 OFFSET ?6");
    const char *upper = area_path_upper(a, scope);
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, type);
    db_bind_int(st, 4, until);
    db_bind_int(st, 5, limit);
    db_bind_int(st, 6, offset);
    db_bind_int(st, 7, from);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, group_row(st, now));
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT count(*) " GROUP_FROM
                        "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR g.type = ?3) "
                        "AND g.next_due_ms <= ?4 AND g.next_due_ms >= ?5");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, type);
    db_bind_int(st, 4, until);
    db_bind_int(st, 5, from);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

int visit_from_json(json_t *body, struct visit_input *in, struct err *e)
{
    static const char *const allowed[] = {"kind", "notes", "at", "lng", "lat", NULL};
    memset(in, 0, sizeof(*in));
    const char *at = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "kind", 1, 8, &in->kind, e) < 0 ||
        jf_str(body, "notes", 0, 1000, &in->notes, e) < 0 || jf_str(body, "at", 0, 32, &at, e) < 0)
        return -1;
    if (strcmp(in->kind, "home") && strcmp(in->kind, "phone") && strcmp(in->kind, "meeting"))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind", "走访方式应为 home、phone 或 meeting");
    in->at_ms = INT64_MIN; /* absent: now */
    if (at && clock_parse_iso(at, &in->at_ms) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "at", "走访时间 at 应为 ISO 时间");
    if (jf_point(body, &in->lng, &in->lat, &in->has_point, e) < 0)
        return -1;
    return 0;
}

int64_t visit_create(struct db *db, int64_t person_id, const struct visit_input *in,
                     int64_t account_id, int64_t now, struct err *e)
{
    int64_t at = in->at_ms == INT64_MIN ? now : in->at_ms;
    if (at > now + 60000)
        return err_set(e, ERR_INVALID, "invalid_date", "at", "走访时间不能晚于现在");
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO visit (person_id, area_id, at_ms, kind, notes, lng, lat, account_id, "
            "created_ms) SELECT id, area_id, ?, ?, coalesce(?, ''), ?, ?, ?, ? FROM person "
            "WHERE id = ?");
    db_bind_int(st, 1, at);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, in->notes);
    if (in->has_point) {
        sqlite3_bind_double(st, 4, in->lng);
        sqlite3_bind_double(st, 5, in->lat);
    }
    if (account_id)
        db_bind_int(st, 6, account_id);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, person_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    /* The visit resets the clock of every group of the person (a later visit
     * recorded first is not undone by an earlier one). */
    st = db_prepare(db, "UPDATE special_group SET last_visit_ms = ?1, "
                        "next_due_ms = ?1 + visit_every_days * 86400000, updated_ms = ?2 "
                        "WHERE person_id = ?3 AND (last_visit_ms IS NULL OR last_visit_ms < ?1) "
                        "AND ?1 >= created_ms - 86400000");
    db_bind_int(st, 1, at);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, person_id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return id;
}

#define VISIT_SELECT                                                                               \
    "SELECT v.id, v.person_id, v.kind, v.notes, v.at_ms, ac.username, ac.name, v.lng, v.lat "      \
    "FROM visit v LEFT JOIN account ac ON ac.id = v.account_id "

static json_t *visit_row(sqlite3_stmt *st)
{
    char at[32];
    clock_format_iso(sqlite3_column_int64(st, 4), at, sizeof(at));
    json_t *by = sqlite3_column_type(st, 5) == SQLITE_NULL
                     ? json_null()
                     : json_pack("{s:s,s:s}", "username", db_col_text(st, 5), "name",
                                 db_col_text(st, 6));
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                          "person_id", (json_int_t)sqlite3_column_int64(st, 1), "kind",
                          db_col_text(st, 2), "notes", db_col_text(st, 3), "at", at, "by", by);
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        json_object_set_new(o, "lng", json_real(sqlite3_column_double(st, 7)));
        json_object_set_new(o, "lat", json_real(sqlite3_column_double(st, 8)));
    }
    return o;
}

json_t *visit_to_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(db, VISIT_SELECT "WHERE v.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? visit_row(st) : NULL;
    sqlite3_reset(st);
    return o;
}

json_t *visit_list_json(struct db *db, int64_t person_id)
{
    json_t *items = json_array();
    sqlite3_stmt *st = db_prepare(db, VISIT_SELECT "WHERE v.person_id = ? ORDER BY v.at_ms DESC, v.id DESC LIMIT 200");
    db_bind_int(st, 1, person_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, visit_row(st));
    sqlite3_reset(st);
    return json_pack("{s:o}", "items", items);
}
