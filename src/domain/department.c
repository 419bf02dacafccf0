#include "department.h"

#include <string.h>

#include "store/db.h"

int64_t department_find(struct db *db, const char *name)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT id FROM department WHERE name = ?");
    db_bind_text(st, 1, name);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

json_t *department_list_json(struct db *db)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT id, name FROM department ORDER BY id");
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I,s:s}", "id",
                                             (json_int_t)sqlite3_column_int64(st, 0), "name",
                                             db_col_text(st, 1)));
    sqlite3_reset(st);
    return arr;
}
