#include "level.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"

int level_sync(struct db *db, const char *spec, struct err *e)
{
    char keys[16][32], names[16][64];
    int n = 0;
    const char *p = spec;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p || (size_t)(eq - p) >= sizeof(keys[0]) ||
            len - (size_t)(eq - p) - 1 >= sizeof(names[0]) || len - (size_t)(eq - p) - 1 == 0 ||
            n == 16)
            return err_set(e, ERR_INVALID, "invalid_config", "area_levels",
                           "area_levels 的格式应为 key=名称,key=名称（最多16级）");
        snprintf(keys[n], sizeof(keys[n]), "%.*s", (int)(eq - p), p);
        snprintf(names[n], sizeof(names[n]), "%.*s", (int)(len - (size_t)(eq - p) - 1), eq + 1);
        for (const char *k = keys[n]; *k; k++)
            if (!((*k >= 'a' && *k <= 'z') || *k == '_' || (*k >= '0' && *k <= '9')))
                return err_set(e, ERR_INVALID, "invalid_config", "area_levels",
                               "层级键 %s 只能包含小写字母、数字和下划线", keys[n]);
        for (int i = 0; i < n; i++)
            if (strcmp(keys[i], keys[n]) == 0)
                return err_set(e, ERR_INVALID, "invalid_config", "area_levels",
                               "层级键 %s 重复", keys[n]);
        n++;
        p += len;
        if (*p == ',')
            p++;
    }
    if (n == 0)
        return err_set(e, ERR_INVALID, "invalid_config", "area_levels", "至少需要一个层级");

    /* A level still used by an area may not disappear. */
    sqlite3_stmt *st = db_prepare(db, "SELECT DISTINCT level FROM area");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *used = db_col_text(st, 0);
        int found = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(used, keys[i]) == 0)
                found = 1;
        if (!found) {
            err_set(e, ERR_CONFLICT, "level_in_use", "area_levels",
                    "层级 %s 仍有区域在使用，不能从 area_levels 中删除", used);
            sqlite3_reset(st);
            return -1;
        }
    }
    if (db_begin(db, 1) < 0)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误");
    /* Shift depths out of the way first so the UNIQUE(depth) never clashes. */
    if (db_exec(db, "UPDATE area_level SET depth = depth + 1000") < 0)
        goto fail;
    for (int i = 0; i < n; i++) {
        st = db_prepare(db, "INSERT INTO area_level (key, name, depth) VALUES (?, ?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET name = excluded.name, depth = excluded.depth");
        db_bind_text(st, 1, keys[i]);
        db_bind_text(st, 2, names[i]);
        db_bind_int(st, 3, i);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
    }
    if (db_exec(db, "DELETE FROM area_level WHERE depth >= 1000") < 0 || db_commit(db) < 0)
        goto fail;
    return 0;
fail:
    err_set(e, ERR_INTERNAL, "db_error", NULL, "保存层级配置失败: %s", db_errmsg(db));
    db_rollback(db);
    return -1;
}

int level_depth(struct db *db, const char *key)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT depth FROM area_level WHERE key = ?");
    db_bind_text(st, 1, key);
    int d = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return d;
}

json_t *level_list_json(struct db *db)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT key, name, depth FROM area_level ORDER BY depth");
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:i}", "key", db_col_text(st, 0), "name",
                                             db_col_text(st, 1), "depth",
                                             sqlite3_column_int(st, 2)));
    sqlite3_reset(st);
    return arr;
}
