#include "household.h"

#include <string.h>

#include "domain/area.h"
#include "store/db.h"
#include "util/jsonfield.h"

/* Runs a write statement: 0, or -1 with e. */
static int step_done(struct db *db, sqlite3_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

int household_from_json(json_t *body, struct household_input *in, struct err *e)
{
    static const char *const allowed[] = {"address", "hh_no", "area", "house_id", NULL};
    memset(in, 0, sizeof(*in));
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "address", 1, 128, &in->address, e) < 0 ||
        jf_str(body, "hh_no", 0, 32, &in->hh_no, e) < 0 ||
        jf_str(body, "area", 1, 32, &in->area, e) < 0 ||
        jf_int(body, "house_id", 0, 1, INT64_MAX, &in->house_id, NULL, e) < 0)
        return -1;
    return 0;
}

/* Binds ?1 area, ?2 户号, ?3 address, ?4 house (NULL: none), ?5 now. */
static void bind_household(sqlite3_stmt *st, const struct household_input *in, int64_t area_id,
                           int64_t now)
{
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, in->hh_no);
    db_bind_text(st, 3, in->address);
    if (in->house_id)
        db_bind_int(st, 4, in->house_id);
    db_bind_int(st, 5, now);
}

int64_t household_create(struct db *db, const struct household_input *in, int64_t area_id,
                         int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO household (area_id, hh_no, address, house_id, "
                                      "created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    bind_household(st, in, area_id, now);
    if (step_done(db, st, e) < 0)
        return -1;
    return sqlite3_last_insert_rowid(db_handle(db));
}

int household_update(struct db *db, int64_t id, const struct household_input *in,
                     int64_t area_id, int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE household SET area_id = ?1, hh_no = ?2, address = ?3, "
                                      "house_id = coalesce(?4, house_id), updated_ms = ?5 "
                                      "WHERE id = ?6");
    bind_household(st, in, area_id, now);
    db_bind_int(st, 6, id);
    return step_done(db, st, e);
}

int household_find_by_hh_no(struct db *db, struct arena *a, const char *scope, const char *hh_no,
                            int64_t *id)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT h.id FROM household h JOIN area ar ON ar.id = h.area_id "
                                      "WHERE h.hh_no = ? AND ar.path >= ? AND ar.path < ? "
                                      "ORDER BY h.id LIMIT 2");
    db_bind_text(st, 1, hh_no);
    db_bind_text(st, 2, scope);
    db_bind_text(st, 3, area_path_upper(a, scope));
    int n = 0;
    *id = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (n++ == 0)
            *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

int household_set_head(struct db *db, int64_t household_id, int64_t person_id, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE household SET head_id = ? WHERE id = ?");
    db_bind_int(st, 1, person_id);
    db_bind_int(st, 2, household_id);
    return step_done(db, st, e);
}

int household_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, 
        "SELECT ar.path FROM household h JOIN area ar ON ar.id = h.area_id WHERE h.id = ?", id, path);
}

json_t *household_to_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT h.id, h.hh_no, h.address, ar.code, ar.name, h.head_id, p.name, h.house_id "
            "FROM household h JOIN area ar ON ar.id = h.area_id "
            "LEFT JOIN person p ON p.id = h.head_id WHERE h.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_t *head = sqlite3_column_type(st, 5) == SQLITE_NULL
                           ? json_null()
                           : json_pack("{s:I,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 5),
                                       "name", db_col_text(st, 6));
        o = json_pack("{s:I,s:s?,s:s,s:{s:s,s:s},s:o,s:[]}", "id",
                      (json_int_t)sqlite3_column_int64(st, 0), "hh_no",
                      db_col_text_or_null(st, 1), "address", db_col_text(st, 2), "area", "code",
                      db_col_text(st, 3), "name", db_col_text(st, 4), "head", head, "members");
        json_object_set_new(o, "house_id", sqlite3_column_type(st, 7) == SQLITE_NULL
                                               ? json_null()
                                               : json_integer(sqlite3_column_int64(st, 7)));
    }
    sqlite3_reset(st);
    if (!o)
        return NULL;
    json_t *members = json_object_get(o, "members");
    st = db_prepare(db, "SELECT id, name, relation, gender, birth_date, id_mask FROM person "
                        "WHERE household_id = ? ORDER BY (relation = '户主') DESC, birth_date, id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(members, json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?}", "id",
                                                 (json_int_t)sqlite3_column_int64(st, 0), "name",
                                                 db_col_text(st, 1), "relation",
                                                 db_col_text_or_null(st, 2), "gender",
                                                 db_col_text_or_null(st, 3), "birth_date",
                                                 db_col_text_or_null(st, 4), "id_number",
                                                 db_col_text_or_null(st, 5)));
    sqlite3_reset(st);
    return o;
}

json_t *household_list_json(struct db *db, struct arena *a, const char *path, long limit,
                            long offset)
{
    const char *upper = area_path_upper(a, path);
    json_t *items = json_array();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT h.id, h.hh_no, h.address, p.name, "
            "(SELECT count(*) FROM person m WHERE m.household_id = h.id) "
            "FROM household h JOIN area ar ON ar.id = h.area_id "
            "LEFT JOIN person p ON p.id = h.head_id "
            "WHERE ar.path >= ? AND ar.path < ? ORDER BY h.id LIMIT ? OFFSET ?");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, upper);
    db_bind_int(st, 3, limit);
    db_bind_int(st, 4, offset);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, json_pack("{s:I,s:s?,s:s,s:s?,s:i}", "id",
                                               (json_int_t)sqlite3_column_int64(st, 0), "hh_no",
                                               db_col_text_or_null(st, 1), "address",
                                               db_col_text(st, 2), "head_name",
                                               db_col_text_or_null(st, 3), "member_count",
                                               sqlite3_column_int(st, 4)));
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT count(*) FROM household h JOIN area ar ON ar.id = h.area_id "
                        "WHERE ar.path >= ? AND ar.path < ?");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, upper);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}
