#include "house.h"

#include <string.h>

#include "domain/area.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/jsonfield.h"

int house_from_json(json_t *body, struct house_input *in, struct err *e)
{
    static const char *const allowed[] = {"address", "area", "use", "rental", "owner_id",
                                          "lng",     "lat",  NULL};
    memset(in, 0, sizeof(*in));
    int has = 0;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "address", 1, 128, &in->address, e) < 0 ||
        jf_str(body, "area", 1, 32, &in->area, e) < 0 ||
        jf_str(body, "use", 0, 16, &in->use, e) < 0 ||
        jf_bool(body, "rental", 0, &in->rental, NULL, e) < 0 ||
        jf_int(body, "owner_id", 0, 1, INT64_MAX, &in->owner_id, &has, e) < 0)
        return -1;
    if (!in->use)
        in->use = "residential";
    if (strcmp(in->use, "residential") && strcmp(in->use, "commercial") &&
        strcmp(in->use, "mixed") && strcmp(in->use, "other"))
        return err_set(e, ERR_INVALID, "invalid_use", "use",
                       "房屋用途应为 residential、commercial、mixed 或 other");
    if (jf_point(body, &in->lng, &in->lat, &in->has_point, e) < 0)
        return -1;
    return 0;
}

int64_t house_create(struct db *db, const struct house_input *in, int64_t area_id, int64_t now,
                     struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO house (area_id, address, lng, lat, use, rental, "
                                      "owner_id, created_ms, updated_ms) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, in->address);
    if (in->has_point) {
        sqlite3_bind_double(st, 3, in->lng);
        sqlite3_bind_double(st, 4, in->lat);
    }
    db_bind_text(st, 5, in->use);
    db_bind_int(st, 6, in->rental);
    if (in->owner_id)
        db_bind_int(st, 7, in->owner_id);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

int house_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, 
        "SELECT ar.path FROM house h JOIN area ar ON ar.id = h.area_id WHERE h.id = ?", id, path);
}

json_t *house_to_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT h.id, h.address, h.use, h.rental, h.owner_id, p.name, ar.code, ar.name, "
            "h.lng, h.lat FROM house h JOIN area ar ON ar.id = h.area_id LEFT JOIN person p ON p.id = h.owner_id "
            "WHERE h.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_t *owner = sqlite3_column_type(st, 4) == SQLITE_NULL
                            ? json_null()
                            : json_pack("{s:I,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 4),
                                        "name", db_col_text(st, 5));
        o = json_pack("{s:I,s:s,s:s,s:b,s:o,s:{s:s,s:s},s:[]}", "id",
                      (json_int_t)sqlite3_column_int64(st, 0), "address", db_col_text(st, 1),
                      "use", db_col_text(st, 2), "rental", sqlite3_column_int(st, 3), "owner",
                      owner, "area", "code", db_col_text(st, 6), "name", db_col_text(st, 7),
                      "tenants");
        /* The point where one was recorded, as for a unit (org.c). */
        if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
            json_object_set_new(o, "lng", json_real(sqlite3_column_double(st, 8)));
            json_object_set_new(o, "lat", json_real(sqlite3_column_double(st, 9)));
        }
    }
    sqlite3_reset(st);
    if (!o)
        return NULL;
    st = db_prepare(db, "SELECT t.id, p.id, p.name, p.id_mask, p.residence_type, t.since, t.until "
                        "FROM house_tenant t JOIN person p ON p.id = t.person_id "
                        "WHERE t.house_id = ? ORDER BY t.since DESC, t.id DESC");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(json_object_get(o, "tenants"),
                              json_pack("{s:I,s:{s:I,s:s,s:s?,s:s},s:s,s:s?}", "id",
                                        (json_int_t)sqlite3_column_int64(st, 0), "person", "id",
                                        (json_int_t)sqlite3_column_int64(st, 1), "name",
                                        db_col_text(st, 2), "id_number",
                                        db_col_text_or_null(st, 3), "residence_type",
                                        db_col_text(st, 4), "since", db_col_text(st, 5), "until",
                                        db_col_text_or_null(st, 6)));
    sqlite3_reset(st);
    return o;
}

json_t *house_list_json(struct db *db, struct arena *a, const char *scope, int rental_only,
                        long limit, long offset)
{
    const char *upper = area_path_upper(a, scope);
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = db_prepare(
            db, pass == 0
                    ? "SELECT h.id, h.address, h.use, h.rental, ar.code, "
                      "(SELECT count(DISTINCT t.person_id) FROM house_tenant t "
                      "WHERE t.house_id = h.id AND (t.until IS NULL OR "
                      "t.until >= date('now', '+8 hours'))) "
                      "FROM house h JOIN area ar ON ar.id = h.area_id "
                      "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 = 0 OR h.rental = 1) "
                      "ORDER BY h.id LIMIT ?4 OFFSET ?5"
                    : "SELECT count(*) FROM house h JOIN area ar ON ar.id = h.area_id "
                      "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 = 0 OR h.rental = 1)");
        db_bind_text(st, 1, scope);
        db_bind_text(st, 2, upper);
        db_bind_int(st, 3, rental_only);
        if (pass == 0) {
            db_bind_int(st, 4, limit);
            db_bind_int(st, 5, offset);
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:b,s:s,s:i}", "id",
                                                       (json_int_t)sqlite3_column_int64(st, 0),
                                                       "address", db_col_text(st, 1), "use",
                                                       db_col_text(st, 2), "rental",
                                                       sqlite3_column_int(st, 3), "area",
                                                       db_col_text(st, 4), "current_tenants",
                                                       sqlite3_column_int(st, 5)));
        } else if (sqlite3_step(st) == SQLITE_ROW) {
            total = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
    }
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

int64_t house_add_tenant(struct db *db, int64_t house_id, json_t *body, int64_t now,
                         struct err *e)
{
    static const char *const allowed[] = {"person_id", "since", "until", NULL};
    int64_t person = 0;
    int has = 0;
    const char *since, *until;
    if (jf_only(body, allowed, e) < 0 ||
        jf_int(body, "person_id", 1, 1, INT64_MAX, &person, &has, e) < 0 ||
        jf_str(body, "since", 1, 10, &since, e) < 0 || jf_str(body, "until", 0, 10, &until, e) < 0)
        return -1;
    if (clock_valid_date(since) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "since", "起租日期 since 应为 YYYY-MM-DD");
    if (until && (clock_valid_date(until) < 0 || strcmp(until, since) < 0))
        return err_set(e, ERR_INVALID, "invalid_date", "until",
                       "退租日期 until 应为不早于起租日期的 YYYY-MM-DD");
    sqlite3_stmt *st = db_prepare(db, "SELECT rental FROM house WHERE id = ?");
    db_bind_int(st, 1, house_id);
    int rental = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (!rental)
        return err_set(e, ERR_CONFLICT, "house_not_rental", NULL,
                       "该房屋未登记为出租房屋（登记房屋时 rental 为 true 才能登记承租人）");
    st = db_prepare(db, "INSERT INTO house_tenant (house_id, person_id, since, until, created_ms) "
                        "VALUES (?, ?, ?, ?, ?)");
    db_bind_int(st, 1, house_id);
    db_bind_int(st, 2, person);
    db_bind_text(st, 3, since);
    db_bind_text(st, 4, until);
    db_bind_int(st, 5, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}
