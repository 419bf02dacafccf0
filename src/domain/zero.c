#include "zero.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/department.h"
#include "domain/event.h"
#include "domain/group.h"
#include "domain/workflow.h"
#include "domain/zerosource.h"
#include "store/db.h"
#include "util/jsonfield.h"

#define DB_FAIL(e) err_set((e), ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db))

/* ------------------------------------------------------------ settings */

static const struct {
    const char *key, *json;
} setting_keys[] = {
    {"accident_minors", "accident"},           {"case_minors", "cases"},
    {"petition_minors", "petition"},           {"criminal_risk_minors", "criminal_risk"},
    {"mass_incident_minors", "mass_incident"},
};
#define NSETTINGS (sizeof(setting_keys) / sizeof(setting_keys[0]))

int zero_settings_load(struct db *db, struct arena *a, struct zero_settings *s)
{
    const char **slot[NSETTINGS] = {&s->accident, &s->cases, &s->petition, &s->criminal_risk,
                                    &s->mass_incident};
    for (size_t i = 0; i < NSETTINGS; i++)
        *slot[i] = "";
    sqlite3_stmt *st = db_prepare(db, "SELECT key, value FROM zero_setting");
    while (sqlite3_step(st) == SQLITE_ROW)
        for (size_t i = 0; i < NSETTINGS; i++)
            if (strcmp(db_col_text(st, 0), setting_keys[i].key) == 0)
                *slot[i] = arena_strdup(a, db_col_text(st, 1));
    sqlite3_reset(st);
    return 0;
}

/* ------------------------------------------------------------ rules */

int zero_rules_load(struct db *db, struct arena *a, struct zero_rule **out)
{
    int n = 0, cap = 16;
    struct zero_rule *r = arena_alloc(a, sizeof(*r) * (size_t)cap);
    sqlite3_stmt *st =
        db_prepare(db, "SELECT metric, threshold, colour, kind, reason FROM zero_rule ORDER BY id");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            struct zero_rule *bigger = arena_alloc(a, sizeof(*r) * (size_t)(cap *= 2));
            memcpy(bigger, r, sizeof(*r) * (size_t)n);
            r = bigger;
        }
        r[n].metric = zero_metric_of(db_col_text(st, 0));
        r[n].threshold = sqlite3_column_int64(st, 1);
        r[n].colour = zero_colour_rank(db_col_text(st, 2));
        const char *kind = db_col_text_or_null(st, 3);
        r[n].kind = kind ? arena_strdup(a, kind) : NULL;
        r[n].reason = arena_strdup(a, db_col_text(st, 4));
        if (r[n].metric >= 0 && r[n].colour > 0)
            n++;
    }
    sqlite3_reset(st);
    *out = r;
    return n;
}

json_t *zero_rules_json(struct db *db, struct arena *a)
{
    struct zero_rule *r;
    int n = zero_rules_load(db, a, &r);
    struct zero_settings s;
    zero_settings_load(db, a, &s);
    json_t *metrics = json_array(), *heads = json_array();
    for (int i = 0; i < ZM_COUNT; i++)
        json_array_append_new(metrics, json_pack("{s:s,s:s}", "key", zero_metric_key(i), "name",
                                                 zero_metric_label(i)));
    for (int i = 0; i < ZERO_HEADINGS; i++)
        json_array_append_new(heads, json_pack("{s:s,s:s}", "key", zero_heading_key(i), "name",
                                               zero_heading_name(i)));
    return json_pack("{s:o,s:{s:s,s:s,s:s,s:s,s:s},s:o,s:o,s:{s:b,s:b}}", "rules",
                     zero_rules_to_json(r, n < 0 ? 0 : n), "categories", "accident", s.accident,
                     "cases", s.cases, "petition", s.petition, "criminal_risk", s.criminal_risk,
                     "mass_incident", s.mass_incident, "metrics", metrics, "headings", heads,
                     "sources", "petitions", zero_source_wired() & 1, "disputes",
                     (zero_source_wired() & 2) != 0);
}

int zero_rules_replace(struct db *db, struct arena *a, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"area", "rules", "categories", NULL};
    if (jf_only(body, allowed, e) < 0)
        return -1;
    struct zero_rule *r;
    int n = zero_rules_from_json(json_object_get(body, "rules"), a, &r, e);
    if (n < 0)
        return -1;
    json_t *cats = json_object_get(body, "categories");
    if (cats && !json_is_null(cats)) {
        if (!json_is_object(cats))
            return err_set(e, ERR_INVALID, "invalid_type", "categories", "categories 应为对象");
        const char *k;
        json_t *v;
        json_object_foreach(cats, k, v)
        {
            size_t i = 0;
            while (i < NSETTINGS && strcmp(setting_keys[i].json, k))
                i++;
            const char *field = arena_printf(a, "categories.%s", k);
            if (i == NSETTINGS)
                return err_set(e, ERR_INVALID, "unknown_field", field, "未知字段 %s", field);
            if (!json_is_string(v))
                return err_set(e, ERR_INVALID, "invalid_type", field, "%s 应为字符串", field);
            if (zero_minors_check(json_string_value(v), field, e) < 0)
                return -1;
            /* Every code must name a category of the taxonomy. */
            const char *list = json_string_value(v);
            for (const char *p = list; *p; p += (p[4] ? 5 : 4)) {
                char minor[5];
                memcpy(minor, p, 4);
                minor[4] = 0;
                if (!db_id_by_text(db, "SELECT 1 FROM category WHERE minor = ?", minor))
                    return err_set(e, ERR_INVALID, "unknown_category", field,
                                   "%s 中的事件小类 %s 不存在", field, minor);
            }
            sqlite3_stmt *st = db_prepare(db, "UPDATE zero_setting SET value = ? WHERE key = ?");
            db_bind_text(st, 1, list);
            db_bind_text(st, 2, setting_keys[i].key);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                return DB_FAIL(e);
        }
    }
    if (db_exec(db, "DELETE FROM zero_rule") < 0)
        return DB_FAIL(e);
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = db_prepare(
            db,
            "INSERT INTO zero_rule (metric, threshold, colour, kind, reason) VALUES (?,?,?,?,?)");
        db_bind_text(st, 1, zero_metric_key(r[i].metric));
        db_bind_int(st, 2, r[i].threshold);
        db_bind_text(st, 3, zero_colour_key(r[i].colour));
        db_bind_text(st, 4, r[i].kind);
        db_bind_text(st, 5, r[i].reason);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return DB_FAIL(e);
    }
    if (zero_recompute_all(db, a, "/", now) < 0)
        return DB_FAIL(e);
    return 0;
}

/* ------------------------------------------------------------ subjects */

int zero_subject_from_json(json_t *body, int create, struct zero_subject_input *in, struct err *e)
{
    static const char *const allowed_c[] = {"org_id", "department", "category", "responsible",
                                            NULL};
    static const char *const allowed_u[] = {"department", "category", "responsible", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, create ? allowed_c : allowed_u, e) < 0 ||
        (create && jf_int(body, "org_id", 1, 1, INT64_MAX, &in->org_id, NULL, e) < 0) ||
        jf_str(body, "department", create, 32, &in->department, e) < 0 ||
        jf_str(body, "category", 0, 16, &in->category, e) < 0 ||
        jf_str(body, "responsible", 0, 32, &in->responsible, e) < 0)
        return -1;
    in->has_department = json_object_get(body, "department") != NULL;
    in->has_category = json_object_get(body, "category") != NULL;
    in->has_responsible = json_object_get(body, "responsible") != NULL;
    return 0;
}

static int department_or_fail(struct db *db, const char *name, int64_t *id, struct err *e)
{
    *id = 0;
    if (!name)
        return 0;
    *id = department_find(db, name);
    if (!*id)
        return err_set(e, ERR_INVALID, "unknown_department", "department", "部门 %s 不存在", name);
    return 0;
}

int64_t zero_subject_create(struct db *db, struct arena *a, const struct zero_subject_input *in,
                            int64_t now, struct err *e)
{
    (void)a;
    int64_t dept;
    if (department_or_fail(db, in->department, &dept, e) < 0)
        return -1;
    sqlite3_stmt *st = db_prepare(db, "SELECT area_id, name FROM org WHERE id = ?");
    db_bind_int(st, 1, in->org_id);
    int64_t area = 0;
    char name[256] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        area = sqlite3_column_int64(st, 0);
        snprintf(name, sizeof(name), "%s", db_col_text(st, 1));
    }
    sqlite3_reset(st);
    if (!area)
        return err_set(e, ERR_NOT_FOUND, "org_not_found", "org_id", "单位 %lld 不存在",
                       (long long)in->org_id);
    st = db_prepare(db, "INSERT INTO zero_subject (kind, area_id, org_id, name, category, "
                        "department_id, responsible, created_ms) VALUES ('unit',?,?,?,?,?,?,?)");
    db_bind_int(st, 1, area);
    db_bind_int(st, 2, in->org_id);
    db_bind_text(st, 3, name);
    db_bind_text(st, 4, in->category);
    if (dept)
        db_bind_int(st, 5, dept);
    db_bind_text(st, 6, in->responsible);
    db_bind_int(st, 7, now);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(db_handle(db));
    sqlite3_reset(st);
    if (ext == SQLITE_CONSTRAINT_UNIQUE)
        return err_set(e, ERR_CONFLICT, "subject_exists", "org_id", "该单位已是创建主体");
    if (rc != SQLITE_DONE)
        return DB_FAIL(e);
    return sqlite3_last_insert_rowid(db_handle(db));
}

int zero_subject_update(struct db *db, int64_t id, const struct zero_subject_input *in,
                        struct err *e)
{
    int64_t dept = 0;
    if (in->has_department && department_or_fail(db, in->department, &dept, e) < 0)
        return -1;
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE zero_subject SET department_id = CASE WHEN ?1 THEN ?2 ELSE department_id END, "
            "category = CASE WHEN ?3 THEN ?4 ELSE category END, "
            "responsible = CASE WHEN ?5 THEN ?6 ELSE responsible END WHERE id = ?7");
    db_bind_int(st, 1, in->has_department);
    if (dept)
        db_bind_int(st, 2, dept);
    db_bind_int(st, 3, in->has_category);
    db_bind_text(st, 4, in->category);
    db_bind_int(st, 5, in->has_responsible);
    db_bind_text(st, 6, in->responsible);
    db_bind_int(st, 7, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : DB_FAIL(e);
}

int zero_villages_sync(struct db *db, struct arena *a, const char *scope, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO zero_subject (kind, area_id, name, responsible, created_ms) "
            "SELECT 'village', ar.id, ar.name, (SELECT name FROM area_staff s WHERE s.area_id = "
            "ar.id AND s.duty = 'leader' LIMIT 1), ?3 FROM area ar WHERE ar.path >= ?1 AND "
            "ar.path < ?2 AND ar.level = 'village' AND ar.retired_ms IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM zero_subject z WHERE z.kind = 'village' AND z.area_id = ar.id)");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    int made = sqlite3_changes(db_handle(db));
    /* The new ones have checked_ms 0: compute them now. */
    st = db_prepare(db, "SELECT z.id FROM zero_subject z JOIN area ar ON ar.id = z.area_id "
                        "WHERE z.checked_ms = 0 AND ar.path >= ?1 AND ar.path < ?2");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    size_t n = 0, cap = 64;
    int64_t *ids = malloc(cap * sizeof(*ids));
    while (ids && sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            ids = realloc(ids, (cap *= 2) * sizeof(*ids));
        if (ids)
            ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    for (size_t i = 0; ids && i < n; i++)
        if (zero_recompute(db, a, ids[i], now) < 0) {
            free(ids);
            return -1;
        }
    free(ids);
    return made;
}

int zero_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(
        db, a,
        "SELECT ar.path FROM zero_subject z JOIN area ar ON ar.id = z.area_id WHERE z.id = ?", id,
        path);
}

/* ------------------------------------------------------------ measuring */

/* What an event counts as for the three zeros, or NULL. */
static const char *break_kind(const struct zero_settings *s, const char *minor, int casualties)
{
    if (zero_minor_in(s->cases, minor))
        return "case";
    if (casualties > 0 && zero_minor_in(s->accident, minor))
        return "accident";
    if (zero_minor_in(s->petition, minor))
        return "petition";
    return NULL;
}

static const char *break_kind_name(const char *k)
{
    return strcmp(k, "case") == 0 ? "案件" : strcmp(k, "accident") == 0 ? "事故" : "信访";
}

struct target {
    const char *kind;
    const char *path; /* the subject's area path */
    int64_t org_id;
};

static int target_of(struct db *db, struct arena *a, int64_t id, struct target *t)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT z.kind, ar.path, z.org_id FROM zero_subject z "
                                      "JOIN area ar ON ar.id = z.area_id WHERE z.id = ?");
    db_bind_int(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        t->kind = arena_strdup(a, db_col_text(st, 0));
        t->path = arena_strdup(a, db_col_text(st, 1));
        t->org_id = sqlite3_column_int64(st, 2);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

#define MEASURE_COLS                                                                               \
    "SELECT e.id, e.minor, e.status, e.casualties, e.deadline_ms, e.created_ms, e.description, "   \
    "c.minor_name FROM event e LEFT JOIN category c ON c.minor = e.minor "

int zero_measure(struct db *db, struct arena *a, const struct zero_settings *s, int64_t id,
                 int64_t from, int64_t to, int64_t now, int64_t *m, json_t **events)
{
    struct target t;
    memset(m, 0, sizeof(int64_t) * ZM_COUNT);
    if (events)
        *events = json_array();
    if (target_of(db, a, id, &t) < 0)
        return -1;
    int village = strcmp(t.kind, "village") == 0;
    /* The events of the period and the ones still open: a range of the path
     * index for a village, the org index for a unit. */
    sqlite3_stmt *st =
        village ? db_prepare(db, MEASURE_COLS
                             "WHERE e.area_path >= ?1 AND e.area_path < ?2 AND e.status NOT IN "
                             "('rejected', 'merged') AND ((e.created_ms >= ?3 AND e.created_ms < "
                             "?4) OR e.closed_ms IS NULL) ORDER BY e.id")
                : db_prepare(db, MEASURE_COLS
                             "WHERE e.org_id = ?5 AND e.status NOT IN ('rejected', 'merged') AND "
                             "((e.created_ms >= ?3 AND e.created_ms < ?4) OR e.closed_ms IS NULL) "
                             "ORDER BY e.id");
    if (village) {
        db_bind_text(st, 1, t.path);
        db_bind_text(st, 2, area_path_upper(a, t.path));
    } else {
        db_bind_int(st, 5, t.org_id);
    }
    db_bind_int(st, 3, from);
    db_bind_int(st, 4, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *minor = db_col_text_or_null(st, 1), *status = db_col_text(st, 2);
        int casualties = sqlite3_column_int(st, 3);
        int64_t created = sqlite3_column_int64(st, 5);
        int open = workflow_is_open(status);
        int overdue =
            open && sqlite3_column_type(st, 4) != SQLITE_NULL && sqlite3_column_int64(st, 4) < now;
        if (created >= from && created < to) {
            const char *k = minor ? break_kind(s, minor, casualties) : NULL;
            if (k) {
                m[strcmp(k, "case") == 0       ? ZM_CASES
                  : strcmp(k, "accident") == 0 ? ZM_ACCIDENTS
                                               : ZM_PETITIONS]++;
                if (events)
                    json_array_append_new(
                        *events, json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s,s:s?,s:i,s:I,s:s}", "id",
                                           (json_int_t)sqlite3_column_int64(st, 0), "breaks", k,
                                           "breaks_name", break_kind_name(k), "minor", minor,
                                           "minor_name", db_col_text_or_null(st, 7), "status",
                                           status, "status_name", workflow_status_name(status),
                                           "casualties", casualties, "created_ms",
                                           (json_int_t)created, "description", db_col_text(st, 6)));
            }
        }
        if (open && minor && zero_minor_in(s->criminal_risk, minor))
            m[ZM_CRIMINAL_RISKS]++;
        if (open && minor && zero_minor_in(s->mass_incident, minor))
            m[ZM_MASS_INCIDENTS]++;
        if (overdue && minor && zero_minor_in(s->petition, minor))
            m[ZM_OVERDUE_PETITIONS]++;
        if (overdue)
            m[ZM_OVERDUE_EVENTS]++;
    }
    sqlite3_reset(st);
    if (village) {
        json_t *g = group_list_json(db, a, t.path, NULL, "overdue", 1, 0, now);
        m[ZM_OVERDUE_VISITS] = json_integer_value(json_object_get(g, "total"));
        json_decref(g);
    }
    struct zero_target zt = {village ? t.path : NULL, village ? 0 : t.org_id};
    return zero_source_counts(db, &zt, from, to, now, m);
}

static int year_bounds(int64_t now, char *year, size_t size, int64_t *from, int64_t *to)
{
    struct err e = ERR_INIT;
    zero_period_year(now, year, size);
    return zero_period_parse(year, "period", from, to, &e);
}

/* Recompute with rules and settings already loaded. */
static int recompute(struct db *db, struct arena *a, const struct zero_settings *s,
                     const struct zero_rule *rules, int nrules, int64_t id, int64_t now)
{
    char year[8];
    int64_t from, to, m[ZM_COUNT];
    if (year_bounds(now, year, sizeof(year), &from, &to) < 0 ||
        zero_measure(db, a, s, id, from, to, now, m, NULL) < 0)
        return -1;
    sqlite3_stmt *st =
        db_prepare(db, "SELECT kind, colour, reasons FROM zero_subject WHERE id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    const char *kind = arena_strdup(a, db_col_text(st, 0));
    const char *old = arena_strdup(a, db_col_text(st, 1));
    const char *old_reasons = arena_strdup(a, db_col_text(st, 2));
    sqlite3_reset(st);
    json_t *reasons;
    int colour = zero_evaluate(rules, nrules, kind, m, &reasons);
    char *rtext = json_dumps(reasons, JSON_COMPACT);
    json_decref(reasons);
    /* Compared as re-serialised JSON, not as stored text. */
    json_t *oldj = json_loads(old_reasons, 0, NULL);
    char *otext = oldj ? json_dumps(oldj, JSON_COMPACT) : NULL;
    json_decref(oldj);
    const char *ckey = zero_colour_key(colour);
    int changed = strcmp(old, ckey) != 0;
    int same_reasons = otext && strcmp(otext, rtext) == 0;
    free(otext);
    int rc = 0;
    st = db_prepare(db, "UPDATE zero_subject SET period = ?1, petitions = ?2, accidents = ?3, "
                        "cases = ?4, colour = ?5, reasons = ?6, checked_ms = ?7 WHERE id = ?8");
    db_bind_text(st, 1, year);
    db_bind_int(st, 2, m[ZM_PETITIONS]);
    db_bind_int(st, 3, m[ZM_ACCIDENTS]);
    db_bind_int(st, 4, m[ZM_CASES]);
    db_bind_text(st, 5, ckey);
    db_bind_text(st, 6, rtext);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = -1;
    sqlite3_reset(st);
    /* The history keeps every change of colour, and of the reasons within
     * a colour (a second case keeps red but says so). */
    if (rc == 0 && (changed || !same_reasons)) {
        st = db_prepare(db, "INSERT INTO zero_colour_change (subject_id, at_ms, from_colour, "
                            "to_colour, reasons) VALUES (?,?,?,?,?)");
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, now);
        db_bind_text(st, 3, old);
        db_bind_text(st, 4, ckey);
        db_bind_text(st, 5, rtext);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(st);
    }
    free(rtext);
    return rc;
}

int zero_recompute(struct db *db, struct arena *a, int64_t id, int64_t now)
{
    struct zero_settings s;
    struct zero_rule *r;
    zero_settings_load(db, a, &s);
    int n = zero_rules_load(db, a, &r);
    return n < 0 ? -1 : recompute(db, a, &s, r, n, id, now);
}

/* Runs recompute over ids[n] with one load of the rules. */
static int recompute_many(struct db *db, struct arena *a, const int64_t *ids, size_t n, int64_t now)
{
    struct zero_settings s;
    struct zero_rule *r;
    zero_settings_load(db, a, &s);
    int nr = zero_rules_load(db, a, &r);
    for (size_t i = 0; i < n; i++)
        if (recompute(db, a, &s, r, nr, ids[i], now) < 0)
            return -1;
    return (int)n;
}

int zero_touch(struct db *db, struct arena *a, const char *path, int64_t org_id, int64_t now)
{
    int64_t ids[20];
    size_t n = 0;
    /* The village subject among the ancestors: the ids in the path. */
    for (const char *p = path ? path : ""; *p == '/' && p[1] && n < 16;) {
        char *end;
        int64_t area = strtoll(p + 1, &end, 10);
        p = end;
        sqlite3_stmt *st =
            db_prepare(db, "SELECT id FROM zero_subject WHERE kind = 'village' AND area_id = ?");
        db_bind_int(st, 1, area);
        if (sqlite3_step(st) == SQLITE_ROW)
            ids[n++] = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    if (org_id) {
        sqlite3_stmt *st = db_prepare(db, "SELECT id FROM zero_subject WHERE org_id = ?");
        db_bind_int(st, 1, org_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            ids[n++] = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return n ? recompute_many(db, a, ids, n, now) : 0;
}

int zero_event_changed(struct db *db, struct arena *a, int64_t event_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT area_path, org_id FROM event WHERE id = ?");
    db_bind_int(st, 1, event_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return 0;
    }
    const char *path = arena_strdup(a, db_col_text(st, 0));
    int64_t org = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return zero_touch(db, a, path, org, now);
}

int zero_link_event(struct db *db, struct arena *a, int64_t subject_id, int64_t event_id,
                    int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT org_id FROM zero_subject WHERE id = ?");
    db_bind_int(st, 1, subject_id);
    int64_t org = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (!org)
        return err_set(e, ERR_CONFLICT, "not_a_unit", NULL,
                       "村（社区）的事件按所在位置计入，无需关联");
    /* The unit it named before (if another) is recomputed too. */
    st = db_prepare(db, "SELECT org_id FROM event WHERE id = ?");
    db_bind_int(st, 1, event_id);
    int64_t before = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (event_set_org(db, event_id, org) < 0)
        return err_set(e, ERR_NOT_FOUND, "event_not_found", "event_id", "事件 %lld 不存在",
                       (long long)event_id);
    if (before && before != org) {
        st = db_prepare(db, "SELECT id FROM zero_subject WHERE org_id = ?");
        db_bind_int(st, 1, before);
        int64_t old = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (old && zero_recompute(db, a, old, now) < 0)
            return DB_FAIL(e);
    }
    return zero_event_changed(db, a, event_id, now) < 0 ? DB_FAIL(e) : 0;
}

/* The ids of a statement's first column (malloc'd; *n). */
static int64_t *collect_ids(sqlite3_stmt *st, size_t *n)
{
    size_t cap = 256;
    int64_t *ids = malloc(cap * sizeof(*ids));
    *n = 0;
    while (ids && sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            int64_t *bigger = realloc(ids, (cap *= 2) * sizeof(*ids));
            if (!bigger)
                break;
            ids = bigger;
        }
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (!ids)
        abort();
    return ids;
}

int zero_sweep(struct db *db, struct arena *a, int64_t now, int max)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id FROM zero_subject WHERE checked_ms < ?1 OR checked_ms > ?3 ORDER BY "
            "checked_ms LIMIT ?2");
    db_bind_int(st, 1, now - 3600 * 1000);
    db_bind_int(st, 2, max);
    db_bind_int(st, 3, now); /* checked "in the future": the clock was set back */
    size_t n;
    int64_t *ids = collect_ids(st, &n);
    int rc = recompute_many(db, a, ids, n, now);
    free(ids);
    return rc;
}

int zero_recompute_all(struct db *db, struct arena *a, const char *scope, int64_t now)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT z.id FROM zero_subject z JOIN area ar ON ar.id = "
                                      "z.area_id WHERE ar.path >= ?1 AND ar.path < ?2");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    size_t n;
    int64_t *ids = collect_ids(st, &n);
    int rc = recompute_many(db, a, ids, n, now);
    free(ids);
    return rc;
}

/* ------------------------------------------------------------ reading */

#define SUBJECT_COLS                                                                               \
    "z.id, z.kind, z.name, z.category, z.responsible, z.period, z.petitions, z.accidents, "        \
    "z.cases, z.colour, z.reasons, z.checked_ms, ar.code, ar.name, d.id, d.name, z.org_id, "       \
    "o.uscc, o.kind, ar.path "
#define SUBJECT_FROM                                                                               \
    "FROM zero_subject z JOIN area ar ON ar.id = z.area_id LEFT JOIN department d ON d.id = "      \
    "z.department_id LEFT JOIN org o ON o.id = z.org_id "

static json_t *subject_row(sqlite3_stmt *st)
{
    const char *colour = db_col_text(st, 9);
    json_t *reasons = json_loads(db_col_text(st, 10), 0, NULL);
    int64_t p = sqlite3_column_int64(st, 6), ac = sqlite3_column_int64(st, 7),
            c = sqlite3_column_int64(st, 8);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s?,s:s?,s:s?,s:{s:I,s:I,s:I},s:b,s:s,s:s,s:o,s:I,s:{s:s,s:s}}", "id",
        (json_int_t)sqlite3_column_int64(st, 0), "kind", db_col_text(st, 1), "name",
        db_col_text(st, 2), "category", db_col_text_or_null(st, 3), "responsible",
        db_col_text_or_null(st, 4), "period", db_col_text_or_null(st, 5), "counts", "petitions",
        (json_int_t)p, "accidents", (json_int_t)ac, "cases", (json_int_t)c, "broken",
        p + ac + c > 0, "colour", colour, "colour_name", zero_colour_name(colour), "reasons",
        reasons ? reasons : json_array(), "checked_ms", (json_int_t)sqlite3_column_int64(st, 11),
        "area", "code", db_col_text(st, 12), "name", db_col_text(st, 13));
    json_object_set_new(o, "department",
                        sqlite3_column_type(st, 14) == SQLITE_NULL
                            ? json_null()
                            : json_pack("{s:I,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 14),
                                        "name", db_col_text(st, 15)));
    if (sqlite3_column_type(st, 16) != SQLITE_NULL)
        json_object_set_new(o, "org",
                            json_pack("{s:I,s:s?,s:s}", "id",
                                      (json_int_t)sqlite3_column_int64(st, 16), "uscc",
                                      db_col_text_or_null(st, 17), "kind", db_col_text(st, 18)));
    return o;
}

/* A unit's village (the village-level area above its micro-grid), which is
 * what people know it by: the ids of its path, a few primary-key probes. */
static void add_village(struct db *db, struct arena *a, json_t *o, const char *path)
{
    if (strcmp(json_string_value(json_object_get(o, "kind")), "unit") != 0)
        return;
    for (const char *p = path; *p == '/' && p[1];) {
        char *end;
        int64_t id = strtoll(p + 1, &end, 10);
        p = end;
        struct area ar;
        if (area_get_by_id(db, a, id, &ar) == 0 && strcmp(ar.level, "village") == 0) {
            json_object_set_new(o, "village",
                                json_pack("{s:s,s:s}", "code", ar.code, "name", ar.name));
            return;
        }
    }
}

json_t *zero_list_json(struct db *db, struct arena *a, const struct zero_query *q)
{
    const char *upper = area_path_upper(a, q->scope);
    json_t *items = json_array();
    json_t *by = json_object();
    for (int i = 0; i < 5; i++)
        json_object_set_new(by, zero_colour_key(i), json_integer(0));
    int64_t total = 0;
#define COUNT_FROM "FROM zero_subject z JOIN area ar ON ar.id = z.area_id "
#define LIST_WHERE                                                                                 \
    "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR z.kind = ?3) AND (?4 IS NULL OR "     \
    "z.colour = ?4) AND (?5 = 0 OR z.petitions + z.accidents + z.cases > 0) AND (?6 = 0 OR "       \
    "z.department_id = ?6) AND (?7 IS NULL OR instr(z.name, ?7) > 0) "
    for (int pass = 0; pass < 3; pass++) {
        sqlite3_stmt *st = db_prepare(
            db, pass == 0 ? "SELECT " SUBJECT_COLS SUBJECT_FROM LIST_WHERE
                            "ORDER BY CASE z.colour WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN "
                            "'yellow' THEN 2 WHEN 'blue' THEN 3 ELSE 4 END, z.kind DESC, ar.path, "
                            "z.id LIMIT ?8 OFFSET ?9"
                : pass == 1 ? "SELECT count(*) " COUNT_FROM LIST_WHERE
                            : "SELECT z.colour, count(*) " COUNT_FROM LIST_WHERE
                              "GROUP BY z.colour");
        db_bind_text(st, 1, q->scope);
        db_bind_text(st, 2, upper);
        db_bind_text(st, 3, q->kind);
        db_bind_text(st, 4, pass == 2 ? NULL : q->colour);
        db_bind_int(st, 5, q->broken);
        db_bind_int(st, 6, q->department_id);
        db_bind_text(st, 7, q->q);
        if (pass == 0) {
            db_bind_int(st, 8, q->limit);
            db_bind_int(st, 9, q->offset);
            while (sqlite3_step(st) == SQLITE_ROW) {
                json_t *o = subject_row(st);
                add_village(db, a, o, db_col_text(st, 19));
                json_array_append_new(items, o);
            }
        } else if (pass == 1) {
            if (sqlite3_step(st) == SQLITE_ROW)
                total = sqlite3_column_int64(st, 0);
        } else {
            while (sqlite3_step(st) == SQLITE_ROW)
                json_object_set_new(by, db_col_text(st, 0),
                                    json_integer(sqlite3_column_int64(st, 1)));
        }
        sqlite3_reset(st);
    }
#undef LIST_WHERE
#undef COUNT_FROM
    return json_pack("{s:o,s:I,s:o}", "items", items, "total", (json_int_t)total, "by_colour", by);
}

json_t *zero_subject_json(struct db *db, struct arena *a, int64_t id, const char *period,
                          int64_t now, struct err *e)
{
    char year[8];
    int64_t from, to;
    if (period) {
        if (zero_period_parse(period, "period", &from, &to, e) < 0)
            return NULL;
    } else {
        year_bounds(now, year, sizeof(year), &from, &to);
        period = year;
    }
    sqlite3_stmt *st = db_prepare(db, "SELECT " SUBJECT_COLS SUBJECT_FROM "WHERE z.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = subject_row(st);
        add_village(db, a, o, db_col_text(st, 19));
    }
    sqlite3_reset(st);
    if (!o) {
        err_set(e, ERR_NOT_FOUND, "not_found", NULL, "创建主体不存在");
        return NULL;
    }
    struct zero_settings s;
    zero_settings_load(db, a, &s);
    int64_t m[ZM_COUNT];
    json_t *events = NULL;
    zero_measure(db, a, &s, id, from, to, now, m, &events);
    json_t *metrics = json_object();
    for (int i = 0; i < ZM_COUNT; i++)
        json_object_set_new(metrics, zero_metric_key(i), json_integer(m[i]));
    json_object_set_new(o, "measured",
                        json_pack("{s:s,s:o,s:o,s:b}", "period", period, "metrics", metrics,
                                  "events", events, "broken",
                                  m[ZM_PETITIONS] + m[ZM_ACCIDENTS] + m[ZM_CASES] > 0));
    json_t *hist = json_array();
    st = db_prepare(db, "SELECT at_ms, from_colour, to_colour, reasons FROM zero_colour_change "
                        "WHERE subject_id = ? ORDER BY id DESC LIMIT 50");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *r = json_loads(db_col_text(st, 3), 0, NULL);
        json_array_append_new(hist, json_pack("{s:I,s:s,s:s,s:s,s:o}", "at_ms",
                                              (json_int_t)sqlite3_column_int64(st, 0), "from",
                                              db_col_text(st, 1), "to", db_col_text(st, 2),
                                              "to_name", zero_colour_name(db_col_text(st, 2)),
                                              "reasons", r ? r : json_array()));
    }
    sqlite3_reset(st);
    json_object_set_new(o, "history", hist);
    json_t *letters = json_array();
    st = db_prepare(db, "SELECT id, kind, year, seq, addressee, created_ms, created_by FROM "
                        "zero_letter WHERE subject_id = ? ORDER BY id DESC");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = db_col_text(st, 1);
        json_array_append_new(
            letters,
            json_pack(
                "{s:I,s:s,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                "kind", kind, "kind_name", strcmp(kind, "warning") == 0 ? "警示函" : "督办函",
                "number",
                zero_letter_number(a, kind, sqlite3_column_int(st, 2), sqlite3_column_int(st, 3)),
                "addressee", db_col_text(st, 4), "created_ms",
                (json_int_t)sqlite3_column_int64(st, 5), "created_by", db_col_text(st, 6)));
    }
    sqlite3_reset(st);
    json_object_set_new(o, "letters", letters);
    json_t *reviews = json_array();
    st = db_prepare(db, "SELECT id, period, scores, total, passed, note, reviewer, created_ms "
                        "FROM zero_review WHERE subject_id = ? ORDER BY period DESC");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *sc = json_loads(db_col_text(st, 2), 0, NULL);
        json_array_append_new(
            reviews, json_pack("{s:I,s:s,s:o,s:f,s:b,s:s?,s:s,s:I}", "id",
                               (json_int_t)sqlite3_column_int64(st, 0), "period",
                               db_col_text(st, 1), "scores", sc ? sc : json_object(), "total",
                               sqlite3_column_double(st, 3), "passed", sqlite3_column_int(st, 4),
                               "note", db_col_text_or_null(st, 5), "reviewer", db_col_text(st, 6),
                               "created_ms", (json_int_t)sqlite3_column_int64(st, 7)));
    }
    sqlite3_reset(st);
    json_object_set_new(o, "reviews", reviews);
    return o;
}

/* ------------------------------------------------------------ rates */

struct subj {
    int64_t id, area_id, org_id, dept, group; /* group: child area id, or department */
    int unit, broken, failed;
};

static int cmp_area(const void *x, const void *y)
{
    const struct subj *a = *(struct subj *const *)x, *b = *(struct subj *const *)y;
    return a->area_id < b->area_id ? -1 : a->area_id > b->area_id;
}
static int cmp_org(const void *x, const void *y)
{
    const struct subj *a = *(struct subj *const *)x, *b = *(struct subj *const *)y;
    return a->org_id < b->org_id ? -1 : a->org_id > b->org_id;
}

/* The id in path right below scope (the child the subject is under), or
 * the scope's own id for a subject at the scope itself. */
static int64_t child_under(const char *scope, const char *path)
{
    size_t n = strlen(scope);
    if (strlen(path) > n)
        return strtoll(path + n, NULL, 10);
    const char *q = path + strlen(path) - 1; /* the last id of the scope */
    while (q > path && q[-1] != '/')
        q--;
    return strtoll(q, NULL, 10);
}

json_t *zero_rates_json(struct db *db, struct arena *a, const char *scope, const char *period,
                        const char *by, struct err *e)
{
    int64_t from, to;
    if (zero_period_parse(period, "period", &from, &to, e) < 0)
        return NULL;
    int by_dept = by && strcmp(by, "department") == 0;
    const char *upper = area_path_upper(a, scope);
    /* The subjects in scope. */
    size_t n = 0, cap = 1024;
    struct subj *v = malloc(cap * sizeof(*v));
    sqlite3_stmt *st = db_prepare(
        db, "SELECT z.id, z.area_id, z.org_id, z.department_id, z.kind, ar.path, EXISTS (SELECT "
            "1 FROM zero_review r WHERE r.subject_id = z.id AND r.period = ?3 AND r.passed = 0) "
            "FROM zero_subject z JOIN area ar ON ar.id = z.area_id WHERE ar.path >= ?1 AND "
            "ar.path < ?2");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, period);
    while (v && sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            struct subj *bigger = realloc(v, (cap *= 2) * sizeof(*v));
            if (!bigger)
                break;
            v = bigger;
        }
        struct subj *s = &v[n++];
        s->id = sqlite3_column_int64(st, 0);
        s->area_id = sqlite3_column_int64(st, 1);
        s->org_id = sqlite3_column_int64(st, 2);
        s->dept = sqlite3_column_int64(st, 3);
        s->unit = strcmp(db_col_text(st, 4), "unit") == 0;
        s->group = by_dept ? s->dept : child_under(scope, db_col_text(st, 5));
        s->broken = 0;
        s->failed = sqlite3_column_int(st, 6);
    }
    sqlite3_reset(st);
    if (!v)
        abort();
    struct subj **by_area = malloc((n + 1) * sizeof(*by_area)),
                **by_org = malloc((n + 1) * sizeof(*by_org));
    size_t nv = 0, nu = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].unit)
            by_org[nu++] = &v[i];
        else
            by_area[nv++] = &v[i];
    }
    qsort(by_area, nv, sizeof(*by_area), cmp_area);
    qsort(by_org, nu, sizeof(*by_org), cmp_org);
    /* One pass over the period's events in scope: each breaking event marks
     * the village above it and the unit it names. */
    struct zero_settings s;
    zero_settings_load(db, a, &s);
    st = db_prepare(db, "SELECT area_path, org_id, minor, casualties FROM event WHERE area_path "
                        ">= ?1 AND area_path < ?2 AND created_ms >= ?3 AND created_ms < ?4 AND "
                        "minor IS NOT NULL AND status NOT IN ('rejected', 'merged')");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_int(st, 3, from);
    db_bind_int(st, 4, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!break_kind(&s, db_col_text(st, 2), sqlite3_column_int(st, 3)))
            continue;
        struct subj key, *kp = &key, **hit;
        for (const char *p = db_col_text(st, 0); *p == '/' && p[1];) {
            char *end;
            key.area_id = strtoll(p + 1, &end, 10);
            p = end;
            if ((hit = bsearch(&kp, by_area, nv, sizeof(*by_area), cmp_area)))
                (*hit)->broken = 1;
        }
        if ((key.org_id = sqlite3_column_int64(st, 1)) &&
            (hit = bsearch(&kp, by_org, nu, sizeof(*by_org), cmp_org)))
            (*hit)->broken = 1;
    }
    sqlite3_reset(st);
    /* The ledgers of petitions and disputes, per subject, when wired. */
    if (zero_source_wired()) {
        for (size_t i = 0; i < n; i++) {
            if (v[i].broken)
                continue;
            int64_t m[ZM_COUNT] = {0};
            const char *path = NULL;
            if (!v[i].unit)
                zero_area_path(db, a, v[i].id, &path);
            struct zero_target t = {path, v[i].unit ? v[i].org_id : 0};
            zero_source_counts(db, &t, from, to, to, m);
            v[i].broken = m[ZM_PETITIONS] + m[ZM_ACCIDENTS] + m[ZM_CASES] > 0;
        }
    }
    /* Totals and groups. */
    int64_t tot[2][2] = {{0, 0}, {0, 0}}; /* [unit][compliant] */
    json_t *groups = json_object();
    for (size_t i = 0; i < n; i++) {
        int ok = !v[i].broken && !v[i].failed;
        tot[v[i].unit][0]++;
        tot[v[i].unit][1] += ok;
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)v[i].group);
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_pack("{s:I,s:[I,I],s:[I,I]}", "id", (json_int_t)v[i].group, "villages", 0, 0,
                          "units", 0, 0);
            json_object_set_new(groups, key, g);
        }
        json_t *pair = json_object_get(g, v[i].unit ? "units" : "villages");
        json_array_set_new(pair, 0, json_integer(json_integer_value(json_array_get(pair, 0)) + 1));
        json_array_set_new(pair, 1, json_integer(json_integer_value(json_array_get(pair, 1)) + ok));
    }
    free(by_area);
    free(by_org);
    free(v);
#define RATE(t, c) ((t) ? (double)(int64_t)((double)(c)*10000.0 / (double)(t) + 0.5) / 100.0 : 0.0)
    json_t *rows = json_array();
    const char *k;
    json_t *g;
    json_object_foreach(groups, k, g)
    {
        int64_t gid = json_integer_value(json_object_get(g, "id"));
        json_t *pv = json_object_get(g, "villages"), *pu = json_object_get(g, "units");
        int64_t vt = json_integer_value(json_array_get(pv, 0)),
                vc = json_integer_value(json_array_get(pv, 1)),
                ut = json_integer_value(json_array_get(pu, 0)),
                uc = json_integer_value(json_array_get(pu, 1));
        json_t *row =
            json_pack("{s:{s:I,s:I,s:f},s:{s:I,s:I,s:f}}", "villages", "total", (json_int_t)vt,
                      "compliant", (json_int_t)vc, "rate", RATE(vt, vc), "units", "total",
                      (json_int_t)ut, "compliant", (json_int_t)uc, "rate", RATE(ut, uc));
        if (by_dept) {
            sqlite3_stmt *d = db_prepare(db, "SELECT name FROM department WHERE id = ?");
            db_bind_int(d, 1, gid);
            json_object_set_new(
                row, "department",
                gid && sqlite3_step(d) == SQLITE_ROW
                    ? json_pack("{s:I,s:s}", "id", (json_int_t)gid, "name", db_col_text(d, 0))
                    : json_null());
            sqlite3_reset(d);
        } else {
            struct area ar;
            if (area_get_by_id(db, a, gid, &ar) == 0)
                json_object_set_new(row, "area", area_summary_json(&ar));
        }
        json_array_append_new(rows, row);
    }
    json_decref(groups);
    json_t *out =
        json_pack("{s:s,s:s,s:{s:I,s:I,s:f},s:{s:I,s:I,s:f},s:o}", "period", period, "by",
                  by_dept ? "department" : "area", "villages", "total", (json_int_t)tot[0][0],
                  "compliant", (json_int_t)tot[0][1], "rate", RATE(tot[0][0], tot[0][1]), "units",
                  "total", (json_int_t)tot[1][0], "compliant", (json_int_t)tot[1][1], "rate",
                  RATE(tot[1][0], tot[1][1]), "groups", rows);
#undef RATE
    return out;
}

/* ------------------------------------------------------------ reviews */

int64_t zero_review_save(struct db *db, struct arena *a, int64_t subject_id, json_t *body,
                         const char *reviewer, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"period", "scores", "note", NULL};
    const char *period = NULL, *note = NULL;
    int64_t from, to;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "period", 1, 8, &period, e) < 0 ||
        jf_str(body, "note", 0, 500, &note, e) < 0 ||
        zero_period_parse(period, "period", &from, &to, e) < 0)
        return -1;
    json_t *scores = json_object_get(body, "scores");
    if (!json_is_object(scores))
        return err_set(e, ERR_INVALID, scores ? "invalid_type" : "missing_field", "scores",
                       "scores 应为八项创建标准的得分");
    double total = 0;
    for (int i = 0; i < ZERO_HEADINGS; i++) {
        const char *field = arena_printf(a, "scores.%s", zero_heading_key(i));
        json_t *v = json_object_get(scores, zero_heading_key(i));
        if (!v)
            return err_set(e, ERR_INVALID, "missing_field", field, "缺少「%s」的得分",
                           zero_heading_name(i));
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 100)
            return err_set(e, ERR_INVALID, "out_of_range", field, "「%s」的得分应为 0 至 100",
                           zero_heading_name(i));
        total += json_number_value(v);
    }
    if (json_object_size(scores) != ZERO_HEADINGS) {
        const char *k;
        json_t *v;
        json_object_foreach(scores, k, v)
        {
            int known = 0;
            for (int i = 0; i < ZERO_HEADINGS; i++)
                known |= strcmp(k, zero_heading_key(i)) == 0;
            if (!known)
                return err_set(e, ERR_INVALID, "unknown_field", arena_printf(a, "scores.%s", k),
                               "未知的评分项 %s", k);
        }
    }
    total /= ZERO_HEADINGS;
    char *text = json_dumps(scores, JSON_COMPACT | JSON_SORT_KEYS);
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO zero_review (subject_id, period, scores, total, passed, note, reviewer, "
            "created_ms) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT (subject_id, period) DO "
            "UPDATE SET scores = ?3, total = ?4, passed = ?5, note = ?6, reviewer = ?7, "
            "created_ms = ?8");
    db_bind_int(st, 1, subject_id);
    db_bind_text(st, 2, period);
    db_bind_text(st, 3, text);
    sqlite3_bind_double(st, 4, total);
    db_bind_int(st, 5, total >= ZERO_REVIEW_PASS);
    db_bind_text(st, 6, note);
    db_bind_text(st, 7, reviewer);
    db_bind_int(st, 8, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(text);
    if (rc != SQLITE_DONE)
        return DB_FAIL(e);
    st = db_prepare(db, "SELECT id FROM zero_review WHERE subject_id = ? AND period = ?");
    db_bind_int(st, 1, subject_id);
    db_bind_text(st, 2, period);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return id < 0 ? DB_FAIL(e) : id;
}
