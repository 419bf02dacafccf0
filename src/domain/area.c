#include "area.h"

#include <stdio.h>
#include <string.h>

#include "domain/level.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/jsonfield.h"

#define AREA_COLS                                                                                  \
    "a.id, a.code, a.name, a.level, a.parent_id, a.path, a.depth, a.valid_from, a.retired_ms, "     \
    "coalesce(l.name, a.level) "
#define AREA_FROM "FROM area a LEFT JOIN area_level l ON l.key = a.level "

int area_path_within(const char *scope, const char *path)
{
    return scope && path && strncmp(path, scope, strlen(scope)) == 0;
}

const char *area_path_upper(struct arena *a, const char *path)
{
    char *u = arena_strdup(a, path);
    size_t n = strlen(u);
    if (n)
        u[n - 1]++; /* '/' + 1 == '0': past every path that extends this one */
    return u;
}

static void row_to_area(sqlite3_stmt *st, struct arena *a, struct area *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->code = arena_strdup(a, db_col_text(st, 1));
    out->name = arena_strdup(a, db_col_text(st, 2));
    out->level = arena_strdup(a, db_col_text(st, 3));
    out->parent_id = sqlite3_column_int64(st, 4);
    out->path = arena_strdup(a, db_col_text(st, 5));
    out->depth = sqlite3_column_int(st, 6);
    out->valid_from = arena_strdup(a, db_col_text(st, 7));
    out->retired_ms = sqlite3_column_int64(st, 8);
    out->level_name = arena_strdup(a, db_col_text(st, 9));
}

int area_get(struct db *db, struct arena *a, const char *code, struct area *out)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " AREA_COLS AREA_FROM "WHERE a.code = ?");
    db_bind_text(st, 1, code);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row_to_area(st, a, out);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int area_get_by_id(struct db *db, struct arena *a, int64_t id, struct area *out)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " AREA_COLS AREA_FROM "WHERE a.id = ?");
    db_bind_int(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row_to_area(st, a, out);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int area_check_code(const char *code, struct err *e)
{
    size_t n = strlen(code);
    if (n < 2 || n > 32)
        return err_set(e, ERR_INVALID, "invalid_code", "code", "区域编码长度应为2到32个字符");
    int digits = 0;
    for (const char *p = code; *p; p++) {
        digits += *p >= '0' && *p <= '9';
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-'))
            return err_set(e, ERR_INVALID, "invalid_code", "code",
                           "区域编码只能包含数字、字母和连字符");
    }
    /* Codes are division codes with suffixes; requiring a digit also keeps
     * them apart from route words such as /areas/locate. */
    if (!digits)
        return err_set(e, ERR_INVALID, "invalid_code", "code", "区域编码必须包含数字");
    return 0;
}

static int check_date(const char *field, const char *s, struct err *e)
{
    if (s && clock_valid_date(s) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", field, "字段 %s 应为有效日期 YYYY-MM-DD",
                       field);
    return 0;
}

int area_from_json(json_t *body, struct area_input *in, struct err *e)
{
    static const char *const allowed[] = {"code", "name", "level", "valid_from", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "code", 1, 32, &in->code, e) < 0 ||
        area_check_code(in->code, e) < 0 || jf_str(body, "name", 1, 64, &in->name, e) < 0 ||
        jf_str(body, "level", 1, 32, &in->level, e) < 0 ||
        jf_str(body, "valid_from", 0, 10, &in->valid_from, e) < 0 ||
        check_date("valid_from", in->valid_from, e) < 0)
        return -1;
    return 0;
}

int area_update_from_json(json_t *body, struct area_input *in, struct err *e)
{
    static const char *const allowed[] = {"name", "valid_from", "parent", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "name", 0, 64, &in->name, e) < 0 ||
        jf_str(body, "valid_from", 0, 10, &in->valid_from, e) < 0 ||
        check_date("valid_from", in->valid_from, e) < 0 ||
        jf_str(body, "parent", 0, 32, &in->parent, e) < 0)
        return -1;
    if (!in->name && !in->valid_from && !in->parent)
        return err_set(e, ERR_INVALID, "empty_update", NULL,
                       "请至少提供 name、valid_from 或 parent 之一");
    return 0;
}

static int db_fail(struct db *db, struct err *e)
{
    return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
}

int64_t area_create(struct db *db, struct arena *a, const struct area *parent,
                    const struct area_input *in, int64_t now, struct err *e)
{
    if (area_check_code(in->code, e) < 0)
        return -1;
    int depth = level_depth(db, in->level);
    if (depth < 0)
        return err_set(e, ERR_INVALID, "unknown_level", "level", "未知的层级 %s", in->level);
    if (parent) {
        if (parent->retired_ms)
            return err_set(e, ERR_CONFLICT, "parent_retired", NULL,
                           "上级区域 %s 已撤销，不能新增下级", parent->code);
        if (level_depth(db, parent->level) >= depth)
            return err_set(e, ERR_INVALID, "level_not_below_parent", "level",
                           "层级 %s 必须低于上级区域的层级 %s", in->level, parent->level);
        if (strncmp(in->code, parent->code, strlen(parent->code)) != 0 ||
            strlen(in->code) <= strlen(parent->code))
            return err_set(e, ERR_INVALID, "code_not_under_parent", "code",
                           "区域编码 %s 必须以上级编码 %s 开头并更长", in->code, parent->code);
    }
    struct area dup;
    if (area_get(db, a, in->code, &dup) == 0)
        return err_set(e, ERR_CONFLICT, "code_exists", "code", "区域编码 %s 已存在", in->code);

    char today[11];
    clock_format_date_cn(now, today, sizeof(today));
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO area (code, name, level, parent_id, path, depth, valid_from, created_ms, "
            "updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, in->code);
    db_bind_text(st, 2, in->name);
    db_bind_text(st, 3, in->level);
    if (parent)
        db_bind_int(st, 4, parent->id);
    db_bind_text(st, 5, arena_printf(a, "tmp:%s", in->code));
    db_bind_int(st, 6, parent ? parent->depth + 1 : 0);
    db_bind_text(st, 7, in->valid_from ? in->valid_from : today);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(db, e);
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    st = db_prepare(db, "UPDATE area SET path = ? WHERE id = ?");
    db_bind_text(st, 1, arena_printf(a, "%s%lld/", parent ? parent->path : "/", (long long)id));
    db_bind_int(st, 2, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(db, e);
    return id;
}

int area_update(struct db *db, struct arena *a, const struct area *ar, const struct area_input *in,
                const struct area *np, int64_t now, struct err *e)
{
    if (ar->retired_ms)
        return err_set(e, ERR_CONFLICT, "area_retired", NULL, "区域 %s 已撤销，不能修改", ar->code);
    if (np) {
        if (!ar->parent_id)
            return err_set(e, ERR_INVALID, "cannot_move_root", "parent", "根区域不能移动");
        if (area_path_within(ar->path, np->path))
            return err_set(e, ERR_INVALID, "move_into_own_subtree", "parent",
                           "不能把区域移动到它自己或它的下级之下");
        if (np->retired_ms)
            return err_set(e, ERR_CONFLICT, "parent_retired", "parent", "目标上级区域 %s 已撤销",
                           np->code);
        if (level_depth(db, np->level) >= level_depth(db, ar->level))
            return err_set(e, ERR_INVALID, "level_not_below_parent", "parent",
                           "目标上级区域的层级必须高于 %s", ar->level);
        /* Rewrite the paths of the whole subtree in one statement. */
        const char *new_prefix = arena_printf(a, "%s%lld/", np->path, (long long)ar->id);
        int delta = np->depth + 1 - ar->depth;
        sqlite3_stmt *st = db_prepare(
            db, "UPDATE area SET path = ? || substr(path, ?), depth = depth + ?, updated_ms = ? "
                "WHERE path >= ? AND path < ?");
        db_bind_text(st, 1, new_prefix);
        db_bind_int(st, 2, (int64_t)strlen(ar->path) + 1);
        db_bind_int(st, 3, delta);
        db_bind_int(st, 4, now);
        db_bind_text(st, 5, ar->path);
        db_bind_text(st, 6, area_path_upper(a, ar->path));
        if (sqlite3_step(st) != SQLITE_DONE)
            return db_fail(db, e);
        st = db_prepare(db, "UPDATE area SET parent_id = ? WHERE id = ?");
        db_bind_int(st, 1, np->id);
        db_bind_int(st, 2, ar->id);
        if (sqlite3_step(st) != SQLITE_DONE)
            return db_fail(db, e);
    }
    sqlite3_stmt *st = db_prepare(db, "UPDATE area SET name = coalesce(?, name), "
                                      "valid_from = coalesce(?, valid_from), updated_ms = ? "
                                      "WHERE id = ?");
    db_bind_text(st, 1, in->name);
    db_bind_text(st, 2, in->valid_from);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, ar->id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(db, e);
    return 0;
}

int area_retire(struct db *db, const struct area *ar, int64_t now, struct err *e)
{
    if (ar->retired_ms)
        return err_set(e, ERR_CONFLICT, "area_retired", NULL, "区域 %s 已撤销", ar->code);
    sqlite3_stmt *st =
        db_prepare(db, "SELECT count(*) FROM area WHERE parent_id = ? AND retired_ms IS NULL");
    db_bind_int(st, 1, ar->id);
    int active = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (active)
        return err_set(e, ERR_CONFLICT, "area_has_active_children", NULL,
                       "区域 %s 还有 %d 个未撤销的下级，请先撤销或移走下级", ar->code, active);
    st = db_prepare(db, "UPDATE area SET retired_ms = ?, updated_ms = ? WHERE id = ?");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, ar->id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(db, e);
    return 0;
}

/* Looks up an account id by username inside scope; 0 and e set if not. */
static int64_t staff_account(struct db *db, struct arena *a, const char *username,
                             const char *scope, const char *field, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT ac.id, ar.path FROM account ac JOIN area ar ON ar.id = ac.area_id "
            "WHERE ac.username = ?");
    db_bind_text(st, 1, username);
    int64_t id = 0;
    const char *path = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        path = arena_strdup(a, db_col_text(st, 1));
    }
    sqlite3_reset(st);
    if (!id || !area_path_within(scope, path)) {
        err_set(e, ERR_INVALID, "unknown_account", field, "账号 %s 不存在", username);
        return 0;
    }
    return id;
}

static int parse_person(json_t *v, const char *field, const char **name, const char **username,
                        struct err *e)
{
    static const char *const allowed[] = {"name", "username", NULL};
    if (!json_is_object(v))
        return err_set(e, ERR_INVALID, "invalid_type", field, "字段 %s 应为对象 {name, username}",
                       field);
    if (jf_only(v, allowed, e) < 0) {
        e->field = field;
        return -1;
    }
    if (jf_str(v, "name", 1, 32, name, e) < 0) {
        e->field = field;
        return -1;
    }
    if (jf_str(v, "username", 0, 64, username, e) < 0) {
        e->field = field;
        return -1;
    }
    return 0;
}

static int insert_staff(struct db *db, int64_t area_id, const char *duty, const char *name,
                        int64_t account_id, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO area_staff (area_id, duty, name, account_id) VALUES (?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, duty);
    db_bind_text(st, 3, name);
    if (account_id)
        db_bind_int(st, 4, account_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(db, e);
    return 0;
}

int area_set_staff(struct db *db, struct arena *a, const struct area *ar, json_t *body,
                   const char *scope, struct err *e)
{
    static const char *const allowed[] = {"workers", "leader", NULL};
    if (ar->retired_ms)
        return err_set(e, ERR_CONFLICT, "area_retired", NULL, "区域 %s 已撤销，不能修改", ar->code);
    if (jf_only(body, allowed, e) < 0)
        return -1;
    json_t *workers = json_object_get(body, "workers");
    json_t *leader = json_object_get(body, "leader");
    if (!workers || !json_is_array(workers))
        return err_set(e, ERR_INVALID, workers ? "invalid_type" : "missing_field", "workers",
                       "字段 workers 应为数组");
    if (json_array_size(workers) > 50)
        return err_set(e, ERR_INVALID, "too_many", "workers", "一个区域最多50名网格员");
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM area_staff WHERE area_id = ?");
    db_bind_int(st, 1, ar->id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return db_fail(db, e);
    size_t i;
    json_t *w;
    json_array_foreach(workers, i, w)
    {
        const char *name, *username;
        const char *field = arena_printf(a, "workers[%zu]", i);
        if (parse_person(w, field, &name, &username, e) < 0)
            return -1;
        int64_t acc = username ? staff_account(db, a, username, scope, field, e) : 0;
        if (username && !acc)
            return -1;
        if (insert_staff(db, ar->id, "worker", name, acc, e) < 0)
            return -1;
    }
    if (leader && !json_is_null(leader)) {
        const char *name, *username;
        if (parse_person(leader, "leader", &name, &username, e) < 0)
            return -1;
        int64_t acc = username ? staff_account(db, a, username, scope, "leader", e) : 0;
        if (username && !acc)
            return -1;
        if (insert_staff(db, ar->id, "leader", name, acc, e) < 0)
            return -1;
    }
    return 0;
}

static json_t *person_json(sqlite3_stmt *st, int name_col)
{
    const char *username = db_col_text_or_null(st, name_col + 1);
    return json_pack("{s:s,s:s?}", "name", db_col_text(st, name_col), "username", username);
}

static json_t *retired_json(int64_t ms)
{
    if (!ms)
        return json_null();
    char iso[32];
    clock_format_iso(ms, iso, sizeof(iso));
    return json_string(iso);
}

json_t *area_summary_json(const struct area *ar)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "code", ar->code, "name", ar->name, "level", ar->level,
                     "level_name", ar->level_name);
}

json_t *area_to_json(struct db *db, struct arena *a, const struct area *ar, const char *scope)
{
    json_t *o = area_summary_json(ar);
    json_object_set_new(o, "valid_from", json_string(ar->valid_from));
    json_object_set_new(o, "retired_at", retired_json(ar->retired_ms));

    /* Ancestors from the scope root down to the parent. */
    json_t *anc = json_array();
    const char *parent_code = NULL;
    const char *p = ar->path;
    while (*p == '/' && p[1]) {
        const char *slash = strchr(p + 1, '/');
        if (!slash)
            break;
        const char *prefix = arena_strndup(a, ar->path, (size_t)(slash - ar->path) + 1);
        if (strcmp(prefix, ar->path) == 0)
            break;
        if (area_path_within(scope, prefix)) {
            long long id = 0;
            for (const char *q = p + 1; q < slash; q++)
                id = id * 10 + (*q - '0');
            struct area up;
            if (area_get_by_id(db, a, id, &up) == 0) {
                json_array_append_new(anc, json_pack("{s:s,s:s,s:s}", "code", up.code, "name",
                                                     up.name, "level", up.level));
                if (up.id == ar->parent_id)
                    parent_code = up.code;
            }
        }
        p = slash;
    }
    json_object_set_new(o, "parent", parent_code ? json_string(parent_code) : json_null());
    json_object_set_new(o, "ancestors", anc);

    json_t *workers = json_array();
    json_t *leader = json_null();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT s.duty, s.name, ac.username FROM area_staff s "
            "LEFT JOIN account ac ON ac.id = s.account_id WHERE s.area_id = ? ORDER BY s.id");
    db_bind_int(st, 1, ar->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (strcmp(db_col_text(st, 0), "leader") == 0) {
            json_decref(leader);
            leader = person_json(st, 1);
        } else {
            json_array_append_new(workers, person_json(st, 1));
        }
    }
    sqlite3_reset(st);
    json_object_set_new(o, "workers", workers);
    json_object_set_new(o, "leader", leader);

    /* Children, each with its child count and workers (two queries in all). */
    json_t *children = json_array();
    json_t *by_id = json_object();
    st = db_prepare(db,
                    "SELECT a.id, a.code, a.name, a.level, l.name, a.retired_ms, "
                    "(SELECT count(*) FROM area c WHERE c.parent_id = a.id) "
                    "FROM area a JOIN area_level l ON l.key = a.level "
                    "WHERE a.parent_id = ? ORDER BY a.code");
    db_bind_int(st, 1, ar->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:o,s:i,s:[]}", "code", db_col_text(st, 1),
                              "name", db_col_text(st, 2), "level", db_col_text(st, 3),
                              "level_name", db_col_text(st, 4), "retired_at",
                              retired_json(sqlite3_column_int64(st, 5)), "child_count",
                              sqlite3_column_int(st, 6), "workers");
        json_array_append_new(children, c);
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(st, 0));
        json_object_set(by_id, key, c);
    }
    sqlite3_reset(st);
    if (json_array_size(children)) {
        st = db_prepare(db, "SELECT s.area_id, s.name, ac.username FROM area_staff s "
                            "JOIN area c ON c.id = s.area_id "
                            "LEFT JOIN account ac ON ac.id = s.account_id "
                            "WHERE c.parent_id = ? AND s.duty = 'worker' ORDER BY s.id");
        db_bind_int(st, 1, ar->id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            char key[24];
            snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(st, 0));
            json_t *c = json_object_get(by_id, key);
            if (c)
                json_array_append_new(json_object_get(c, "workers"), person_json(st, 1));
        }
        sqlite3_reset(st);
    }
    json_decref(by_id);
    json_object_set_new(o, "child_count", json_integer((json_int_t)json_array_size(children)));
    json_object_set_new(o, "children", children);
    return o;
}

json_t *area_search(struct db *db, struct arena *a, const char *scope, const char *q, long limit)
{
    json_t *items = json_array();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT a.code, a.name, a.level, l.name, p.name FROM area a "
            "JOIN area_level l ON l.key = a.level LEFT JOIN area p ON p.id = a.parent_id "
            "WHERE a.path >= ?1 AND a.path < ?2 "
            "AND (instr(a.name, ?3) > 0 OR substr(a.code, 1, length(?3)) = ?3) "
            "ORDER BY a.depth, a.code LIMIT ?4");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_text(st, 3, q);
    db_bind_int(st, 4, limit);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s?}", "code",
                                               db_col_text(st, 0), "name", db_col_text(st, 1),
                                               "level", db_col_text(st, 2), "level_name",
                                               db_col_text(st, 3), "parent_name",
                                               db_col_text_or_null(st, 4)));
    sqlite3_reset(st);
    return items;
}

json_t *area_count_by_level(struct db *db, struct arena *a, const char *scope)
{
    json_t *o = json_object();
    sqlite3_stmt *st = db_prepare(db, "SELECT level, count(*) FROM area "
                                      "WHERE path >= ? AND path < ? AND retired_ms IS NULL "
                                      "GROUP BY level");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    while (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(o, db_col_text(st, 0), json_integer(sqlite3_column_int64(st, 1)));
    sqlite3_reset(st);
    return o;
}

int area_active_children(struct db *db, int64_t id)
{
    sqlite3_stmt *st =
        db_prepare(db, "SELECT count(*) FROM area WHERE parent_id = ? AND retired_ms IS NULL");
    db_bind_int(st, 1, id);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

int area_path_of(struct db *db, struct arena *a, const char *sql, int64_t id, const char **path)
{
    sqlite3_stmt *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *path = arena_strdup(a, db_col_text(st, 0));
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}
