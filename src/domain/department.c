#include "department.h"

#include <string.h>

#include "store/db.h"
#include "util/embedded.h"

int department_seed(struct db *db)
{
    const struct embedded_file *f = embedded_find("data/taxonomy.tsv");
    if (!f)
        return -1;
    int added = 0;
    const char *line = f->data;
    int first = 1;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!first) {
            /* Column 7 (1-based) is the department. */
            const char *p = line, *end = line + len;
            for (int col = 1; col < 7 && p < end; col++) {
                const char *tab = memchr(p, '\t', (size_t)(end - p));
                p = tab ? tab + 1 : end;
            }
            const char *tab = memchr(p, '\t', (size_t)(end - p));
            size_t dl = tab ? (size_t)(tab - p) : (size_t)(end - p);
            if (dl > 0 && dl < 64) {
                char name[64];
                memcpy(name, p, dl);
                name[dl] = '\0';
                sqlite3_stmt *st =
                    db_prepare(db, "INSERT INTO department (name) VALUES (?) ON CONFLICT DO NOTHING");
                db_bind_text(st, 1, name);
                if (sqlite3_step(st) != SQLITE_DONE) {
                    sqlite3_reset(st);
                    return -1;
                }
                added += sqlite3_changes(db_handle(db));
                sqlite3_reset(st);
            }
        }
        first = 0;
        line += len + (nl ? 1 : 0);
    }
    return added;
}

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
