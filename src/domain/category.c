#include "category.h"

#include <stdlib.h>
#include <string.h>

#include "domain/department.h"
#include "store/db.h"
#include "util/embedded.h"

/* The columns of data/taxonomy.tsv. */
enum { T_MINOR, T_MAJOR, T_DOMAIN, T_MAJOR_ZH, T_MINOR_ZH, T_MINOR_EN, T_DEPT, T_LEVEL,
       T_DEADLINE, T_PRIORITY, T_NCOLS };

/* Splits one line into its tab-separated columns (copied into cols, at most
 * 128 bytes each). Returns the number of columns. */
static int split(const char *line, size_t len, char cols[T_NCOLS][128])
{
    int n = 0;
    const char *p = line, *end = line + len;
    while (n < T_NCOLS) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        size_t l = tab ? (size_t)(tab - p) : (size_t)(end - p);
        if (l >= 128)
            l = 127;
        memcpy(cols[n], p, l);
        cols[n][l] = '\0';
        n++;
        if (!tab)
            break;
        p = tab + 1;
    }
    return n;
}

int category_seed(struct db *db)
{
    const struct embedded_file *f = embedded_find("data/taxonomy.tsv");
    if (!f)
        return -1;
    sqlite3_stmt *dep = db_prepare(db, "INSERT INTO department (name) VALUES (?) ON CONFLICT DO NOTHING");
    sqlite3_stmt *cat = db_prepare(
        db, "INSERT INTO category (minor, major, domain, major_name, minor_name, minor_en, "
            "department_id, level, deadline_h, priority) VALUES (?, ?, ?, ?, ?, ?, "
            "(SELECT id FROM department WHERE name = ?), ?, ?, ?) ON CONFLICT (minor) DO UPDATE SET "
            "major = excluded.major, domain = excluded.domain, major_name = excluded.major_name, "
            "minor_name = excluded.minor_name, minor_en = excluded.minor_en, "
            "department_id = excluded.department_id, level = excluded.level, "
            "deadline_h = excluded.deadline_h, priority = excluded.priority");
    const char *line = f->data;
    int first = 1, count = 0;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        size_t advance = nl ? len + 1 : len;
        if (len && line[len - 1] == '\r')
            len--;
        char cols[T_NCOLS][128];
        if (!first && len && split(line, len, cols) == T_NCOLS) {
            db_bind_text(dep, 1, cols[T_DEPT]);
            int ok = sqlite3_step(dep) == SQLITE_DONE;
            sqlite3_reset(dep);
            for (int i = 0; i < T_NCOLS; i++)
                db_bind_text(cat, i + 1, cols[i]);
            sqlite3_bind_int(cat, T_DEADLINE + 1, (int)strtol(cols[T_DEADLINE], NULL, 10));
            sqlite3_bind_int(cat, T_PRIORITY + 1, (int)strtol(cols[T_PRIORITY], NULL, 10));
            ok = ok && sqlite3_step(cat) == SQLITE_DONE;
            sqlite3_reset(cat);
            if (!ok)
                return -1;
            count++;
        }
        first = 0;
        line += advance;
    }
    return count;
}

#define CAT_COLS                                                                                   \
    "c.minor, c.major, c.major_name, c.minor_name, c.department_id, d.name, c.level, "          \
    "coalesce(c.deadline_override_h, c.deadline_h), c.priority, c.deadline_h "                   \
    "FROM category c JOIN department d ON d.id = c.department_id "

int category_get(struct db *db, struct arena *a, const char *minor, struct category *out)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " CAT_COLS "WHERE c.minor = ?");
    db_bind_text(st, 1, minor);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->minor = arena_strdup(a, db_col_text(st, 0));
        out->major = arena_strdup(a, db_col_text(st, 1));
        out->major_name = arena_strdup(a, db_col_text(st, 2));
        out->minor_name = arena_strdup(a, db_col_text(st, 3));
        out->department_id = sqlite3_column_int64(st, 4);
        out->department = arena_strdup(a, db_col_text(st, 5));
        out->level = arena_strdup(a, db_col_text(st, 6));
        out->deadline_h = sqlite3_column_int(st, 7);
        out->priority = sqlite3_column_int(st, 8);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

json_t *category_list_json(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " CAT_COLS "ORDER BY c.minor");
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i}", "minor", db_col_text(st, 0),
                             "major", db_col_text(st, 1), "major_name", db_col_text(st, 2),
                             "minor_name", db_col_text(st, 3), "department", db_col_text(st, 5),
                             "level", db_col_text(st, 6), "deadline_h", sqlite3_column_int(st, 7),
                             "priority", sqlite3_column_int(st, 8), "taxonomy_deadline_h",
                             sqlite3_column_int(st, 9)));
    sqlite3_reset(st);
    return items;
}

int category_set_deadline(struct db *db, const char *minor, int hours)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE category SET deadline_override_h = ? WHERE minor = ?");
    if (hours > 0)
        sqlite3_bind_int(st, 1, hours);
    db_bind_text(st, 2, minor);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(db_handle(db)) : -1;
    sqlite3_reset(st);
    return rc;
}
