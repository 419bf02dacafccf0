#include "audit.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/log.h"

static const char LOG_TAG[] = "audit";

int audit_append(struct db *db, const struct audit_entry *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO audit (at_ms, account_id, username, address, action, object, outcome, "
            "status, scope_path, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, e->at_ms);
    if (e->account_id)
        db_bind_int(st, 2, e->account_id);
    db_bind_text(st, 3, e->username);
    db_bind_text(st, 4, e->address);
    db_bind_text(st, 5, e->action);
    db_bind_text(st, 6, e->object);
    db_bind_text(st, 7, e->outcome);
    db_bind_int(st, 8, e->status);
    db_bind_text(st, 9, e->scope_path);
    db_bind_text(st, 10, e->request_id);
    char *detail = e->detail ? json_dumps(e->detail, JSON_COMPACT) : NULL;
    db_bind_text(st, 11, detail);
    free(detail);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("cannot append audit row (%s %s): %s", e->action, e->object ? e->object : "-",
                  db_errmsg(db));
        return -1;
    }
    return 0;
}

json_t *audit_list_json(struct db *db, struct arena *a, const char *scope,
                        const struct audit_filter *f)
{
    /* A root scope is "/<id>/": exactly two slashes. */
    int root = 0;
    for (const char *p = scope; *p; p++)
        root += *p == '/';
    root = root == 2;
    const char *action_prefix = NULL;
    if (f->action && *f->action && f->action[strlen(f->action) - 1] == '.')
        action_prefix = f->action;
    static const char list_sql[] =
        "SELECT id, at_ms, username, address, action, object, outcome, status, detail, "
        "request_id FROM audit "
        "WHERE ((scope_path >= ?1 AND scope_path < ?2) OR (?3 AND scope_path IS NULL)) "
        "AND (?4 IS NULL OR username = ?4) "
        "AND (?5 IS NULL OR action = ?5) "
        "AND (?6 IS NULL OR substr(action, 1, length(?6)) = ?6) "
        "AND (?7 IS NULL OR object = ?7) "
        "AND (?8 = 0 OR at_ms >= ?8) AND (?9 = 0 OR at_ms < ?9) "
        "ORDER BY id DESC LIMIT ?10 OFFSET ?11";
    static const char count_sql[] =
        "SELECT count(*) FROM audit "
        "WHERE ((scope_path >= ?1 AND scope_path < ?2) OR (?3 AND scope_path IS NULL)) "
        "AND (?4 IS NULL OR username = ?4) "
        "AND (?5 IS NULL OR action = ?5) "
        "AND (?6 IS NULL OR substr(action, 1, length(?6)) = ?6) "
        "AND (?7 IS NULL OR object = ?7) "
        "AND (?8 = 0 OR at_ms >= ?8) AND (?9 = 0 OR at_ms < ?9)";
    const char *upper = area_path_upper(a, scope);
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = db_prepare(db, pass == 0 ? list_sql : count_sql);
        db_bind_text(st, 1, scope);
        db_bind_text(st, 2, upper);
        db_bind_int(st, 3, root);
        db_bind_text(st, 4, f->account && *f->account ? f->account : NULL);
        db_bind_text(st, 5, f->action && *f->action && !action_prefix ? f->action : NULL);
        db_bind_text(st, 6, action_prefix);
        db_bind_text(st, 7, f->object && *f->object ? f->object : NULL);
        db_bind_int(st, 8, f->from_ms);
        db_bind_int(st, 9, f->to_ms);
        if (pass == 0) {
            db_bind_int(st, 10, f->limit);
            db_bind_int(st, 11, f->offset);
            while (sqlite3_step(st) == SQLITE_ROW) {
                char at[32];
                clock_format_iso(sqlite3_column_int64(st, 1), at, sizeof(at));
                const char *detail = db_col_text_or_null(st, 8);
                json_t *dj = detail ? json_loads(detail, 0, NULL) : NULL;
                json_array_append_new(
                    items, json_pack("{s:I,s:s,s:s?,s:s?,s:s,s:s?,s:s,s:i,s:o?,s:s?}", "id",
                                     (json_int_t)sqlite3_column_int64(st, 0), "at", at, "account",
                                     db_col_text_or_null(st, 2), "address",
                                     db_col_text_or_null(st, 3), "action", db_col_text(st, 4),
                                     "object", db_col_text_or_null(st, 5), "outcome",
                                     db_col_text(st, 6), "status", sqlite3_column_int(st, 7),
                                     "detail", dj, "request_id", db_col_text_or_null(st, 9)));
            }
        } else if (sqlite3_step(st) == SQLITE_ROW) {
            total = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
    }
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}
