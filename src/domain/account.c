#include "account.h"

#include <string.h>

#include "domain/area.h"
#include "domain/department.h"
#include "domain/password.h"
#include "domain/role.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/jsonfield.h"

int account_check_username(const char *u, struct err *e)
{
    size_t n = strlen(u);
    if (n < 3 || n > 64 || !(u[0] >= 'a' && u[0] <= 'z'))
        return err_set(e, ERR_INVALID, "invalid_username", "username",
                       "用户名应为3到64个字符，以小写字母开头");
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
              *p == '-'))
            return err_set(e, ERR_INVALID, "invalid_username", "username",
                           "用户名只能包含小写字母、数字、下划线、点和连字符");
    return 0;
}

int account_from_json(json_t *body, struct account_input *in, struct err *e)
{
    static const char *const allowed[] = {"username", "name",       "role",
                                          "area",     "department", "password", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "username", 1, 64, &in->username, e) < 0 ||
        account_check_username(in->username, e) < 0 ||
        jf_str(body, "name", 1, 32, &in->name, e) < 0 ||
        jf_str(body, "role", 1, 32, &in->role, e) < 0 ||
        jf_str(body, "area", 1, 32, &in->area, e) < 0 ||
        jf_str(body, "department", 0, 64, &in->department, e) < 0 ||
        jf_str(body, "password", 1, 128, &in->password, e) < 0)
        return -1;
    if (!role_find(in->role))
        return err_set(e, ERR_INVALID, "unknown_role", "role", "未知角色 %s", in->role);
    return 0;
}

int64_t account_id_by_username(struct db *db, const char *username)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT id FROM account WHERE username = ?");
    db_bind_text(st, 1, username);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

int64_t account_create(struct db *db, const struct account_input *in, int64_t area_id,
                       const char *granter_role, int64_t created_by, const struct pw_cost *cost,
                       const char *pw_hash, int64_t now, struct err *e)
{
    const struct role *role = role_find(in->role);
    if (!role)
        return err_set(e, ERR_INVALID, "unknown_role", "role", "未知角色 %s", in->role);
    if (granter_role && !role_may_grant(granter_role, in->role))
        return err_set(e, ERR_FORBIDDEN, "cannot_grant_role", "role",
                       "无权创建角色为 %s 的账号：不能授予超过自身的权限", in->role);
    int64_t dept = 0;
    if (role->needs_department) {
        if (!in->department)
            return err_set(e, ERR_INVALID, "missing_field", "department",
                           "部门处置人员账号必须指定部门 department");
        dept = department_find(db, in->department);
        if (!dept)
            return err_set(e, ERR_INVALID, "unknown_department", "department", "未知部门 %s",
                           in->department);
    } else if (in->department) {
        return err_set(e, ERR_INVALID, "department_not_allowed", "department",
                       "只有部门处置人员(handler)账号可以指定部门");
    }
    const char *why;
    if (!pw_hash && password_check_policy(in->password, in->username, &why) < 0)
        return err_set(e, ERR_INVALID, "weak_password", "password", "%s", why);
    if (account_id_by_username(db, in->username))
        return err_set(e, ERR_CONFLICT, "username_exists", "username", "用户名 %s 已存在",
                       in->username);
    char hash[PASSWORD_HASH_MAX];
    if (!pw_hash) {
        if (password_hash(in->password, cost->ops, cost->mem_kib, hash) < 0)
            return err_set(e, ERR_INTERNAL, "hash_failed", NULL, "密码哈希失败（内存不足）");
        pw_hash = hash;
    }
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO account (username, name, role, area_id, department_id, pw_hash, "
            "pw_changed_ms, created_ms, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, in->username);
    db_bind_text(st, 2, in->name);
    db_bind_text(st, 3, in->role);
    db_bind_int(st, 4, area_id);
    if (dept)
        db_bind_int(st, 5, dept);
    db_bind_text(st, 6, pw_hash);
    db_bind_int(st, 7, now);
    db_bind_int(st, 8, now);
    if (created_by)
        db_bind_int(st, 9, created_by);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

static void record_failure(struct db *db, int64_t id, int failed, int64_t locked_until)
{
    sqlite3_stmt *st =
        db_prepare(db, "UPDATE account SET failed_logins = ?, locked_until_ms = ? WHERE id = ?");
    db_bind_int(st, 1, failed);
    db_bind_int(st, 2, locked_until);
    db_bind_int(st, 3, id);
    sqlite3_step(st);
    sqlite3_reset(st);
}

int account_login(struct db *db, struct arena *a, const char *username, const char *password,
                  int64_t now, const struct login_rules *rules, struct who *w, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT id, pw_hash, disabled, failed_logins, "
                                      "locked_until_ms FROM account WHERE username = ?");
    db_bind_text(st, 1, username);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        password_dummy_verify(password, rules->cost.ops, rules->cost.mem_kib);
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    int64_t id = sqlite3_column_int64(st, 0);
    char hash[PASSWORD_HASH_MAX];
    const char *h = db_col_text(st, 1);
    size_t hl = strlen(h);
    if (hl >= sizeof(hash))
        hl = sizeof(hash) - 1;
    memcpy(hash, h, hl);
    hash[hl] = '\0';
    int disabled = sqlite3_column_int(st, 2);
    int failed = sqlite3_column_int(st, 3);
    int64_t locked_until = sqlite3_column_int64(st, 4);
    sqlite3_reset(st);

    if (locked_until > now) {
        int minutes = (int)((locked_until - now + 59999) / 60000);
        return err_set(e, ERR_LOCKED, "account_locked", NULL,
                       "连续登录失败次数过多，账号已锁定，请 %d 分钟后再试", minutes);
    }
    if (!password_verify(hash, password)) {
        failed++;
        if (failed >= rules->lock_after) {
            record_failure(db, id, 0, now + rules->lock_ms);
            return err_set(e, ERR_LOCKED, "account_locked", NULL,
                           "连续 %d 次登录失败，账号已锁定 %lld 分钟", rules->lock_after,
                           (long long)(rules->lock_ms / 60000));
        }
        record_failure(db, id, failed, 0);
        return err_set(e, ERR_UNAUTH, "invalid_credentials", NULL, "用户名或密码错误");
    }
    if (disabled)
        return err_set(e, ERR_FORBIDDEN, "account_disabled", NULL, "账号已停用，请联系管理员");
    if (failed || locked_until)
        record_failure(db, id, 0, 0);
    if (who_load(db, a, id, w) < 0)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "无法读取账号");
    return 0;
}

int account_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, 
        "SELECT ar.path FROM account ac JOIN area ar ON ar.id = ac.area_id WHERE ac.id = ?", id, path);
}

#define ACCOUNT_COLS                                                                               \
    "ac.id, ac.username, ac.name, ac.role, ar.code, ar.name, ar.level, d.name, ac.disabled, "       \
    "ac.locked_until_ms, ac.created_ms "
#define ACCOUNT_FROM                                                                               \
    "FROM account ac JOIN area ar ON ar.id = ac.area_id "                                          \
    "LEFT JOIN department d ON d.id = ac.department_id "

static json_t *row_json(sqlite3_stmt *st, int64_t now)
{
    char created[32];
    clock_format_iso(sqlite3_column_int64(st, 10), created, sizeof(created));
    const struct role *role = role_find(db_col_text(st, 3));
    int64_t locked = sqlite3_column_int64(st, 9);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s},s:s?,s:b,s:b,s:s}", "id",
                     (json_int_t)sqlite3_column_int64(st, 0), "username", db_col_text(st, 1),
                     "name", db_col_text(st, 2), "role", db_col_text(st, 3), "role_name",
                     role ? role->name_zh : db_col_text(st, 3), "area", "code", db_col_text(st, 4),
                     "name", db_col_text(st, 5), "level", db_col_text(st, 6), "department",
                     db_col_text_or_null(st, 7), "disabled", sqlite3_column_int(st, 8), "locked",
                     locked > now, "created_at", created);
}

json_t *account_get_json(struct db *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " ACCOUNT_COLS ACCOUNT_FROM "WHERE ac.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row_json(st, now) : NULL;
    sqlite3_reset(st);
    return o;
}

json_t *account_list_json(struct db *db, struct arena *a, const char *scope, const char *role,
                          long limit, long offset, int64_t now)
{
    const char *upper = area_path_upper(a, scope);
    json_t *items = json_array();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " ACCOUNT_COLS ACCOUNT_FROM
            "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR ac.role = ?3) "
            "ORDER BY ar.path, ac.username LIMIT ?4 OFFSET ?5");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, role);
    db_bind_int(st, 4, limit);
    db_bind_int(st, 5, offset);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, row_json(st, now));
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT count(*) " ACCOUNT_FROM
                        "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR ac.role = ?3)");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, role);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

int account_set_disabled(struct db *db, int64_t id, int disabled, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE account SET disabled = ? WHERE id = ?");
    db_bind_int(st, 1, disabled);
    db_bind_int(st, 2, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || (disabled && session_delete_account(db, id) < 0))
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

int account_set_password(struct db *db, int64_t id, const char *password,
                         const struct pw_cost *cost, int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT username FROM account WHERE id = ?");
    db_bind_int(st, 1, id);
    char username[80] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *u = db_col_text(st, 0);
        size_t n = strlen(u) < sizeof(username) - 1 ? strlen(u) : sizeof(username) - 1;
        memcpy(username, u, n);
        username[n] = '\0';
    }
    sqlite3_reset(st);
    if (!username[0])
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "账号不存在");
    const char *why;
    if (password_check_policy(password, username, &why) < 0)
        return err_set(e, ERR_INVALID, "weak_password", "password", "%s", why);
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, cost->ops, cost->mem_kib, hash) < 0)
        return err_set(e, ERR_INTERNAL, "hash_failed", NULL, "密码哈希失败（内存不足）");
    st = db_prepare(db, "UPDATE account SET pw_hash = ?, pw_changed_ms = ?, failed_logins = 0, "
                        "locked_until_ms = 0 WHERE id = ?");
    db_bind_text(st, 1, hash);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || session_delete_account(db, id) < 0)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}
