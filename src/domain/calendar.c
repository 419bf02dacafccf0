#include "calendar.h"

#include <string.h>

#include "store/db.h"
#include "util/jsonfield.h"

int calendar_load(struct db *db, struct arena *a, struct workcal *cal)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT day, workday FROM calendar_day ORDER BY day");
    size_t n = 0, cap = 16;
    struct workday_exception *ex = arena_alloc(a, cap * sizeof(*ex));
    while (sqlite3_step(st) == SQLITE_ROW) {
        int32_t day = workclock_day_of(db_col_text(st, 0));
        if (day < 0)
            continue;
        if (n == cap) {
            struct workday_exception *more = arena_alloc(a, 2 * cap * sizeof(*ex));
            memcpy(more, ex, n * sizeof(*ex));
            ex = more;
            cap *= 2;
        }
        ex[n].day = day;
        ex[n].workday = sqlite3_column_int(st, 1);
        n++;
    }
    sqlite3_reset(st);
    cal->ex = ex;
    cal->n = n;
    return 0;
}

json_t *calendar_json(struct db *db, long year)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT day, workday, note FROM calendar_day "
                                      "WHERE ?1 = 0 OR substr(day, 1, 4) = printf('%04d', ?1) "
                                      "ORDER BY day");
    db_bind_int(st, 1, year);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, json_pack("{s:s,s:b,s:s?}", "day", db_col_text(st, 0),
                                               "workday", sqlite3_column_int(st, 1), "note",
                                               db_col_text_or_null(st, 2)));
    sqlite3_reset(st);
    return json_pack("{s:o}", "items", items);
}

int calendar_from_json(json_t *body, struct calendar_input *in, struct err *e)
{
    static const char *const allowed[] = {"day", "workday", "note", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "day", 1, 10, &in->day, e) < 0 ||
        jf_bool(body, "workday", 0, &in->workday, &in->has_workday, e) < 0 ||
        jf_str(body, "note", 0, 64, &in->note, e) < 0)
        return -1;
    if (workclock_day_of(in->day) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "day", "day 应为有效日期 YYYY-MM-DD");
    return 0;
}

int calendar_set(struct db *db, const struct calendar_input *in, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, in->has_workday ? "INSERT INTO calendar_day (day, workday, note) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (day) DO UPDATE SET workday = ?2, note = ?3"
                            : "DELETE FROM calendar_day WHERE day = ?1");
    db_bind_text(st, 1, in->day);
    if (in->has_workday) {
        sqlite3_bind_int(st, 2, in->workday);
        db_bind_text(st, 3, in->note);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE
               ? 0
               : err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
}
