#include "org.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/phone.h"
#include "domain/typefields.h"
#include "domain/uscc.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/jsonfield.h"
#include "util/keyname.h"
#include "util/seal.h"

static const struct keyname kinds[] = {
    {"enterprise", "企业"}, {"social_org", "社会组织"}, {"institution", "事业单位"},
    {"school", "学校"},     {"individual", "个体工商户"}, {"other", "其他"},
    {NULL, NULL},
};

static const char *kind_name(const char *k)
{
    return keyname_name(kinds, k);
}

int org_from_json(json_t *body, struct arena *a, struct org_input *in, struct err *e)
{
    static const char *const allowed[] = {"uscc",        "name",          "kind",     "address",
                                          "legal_rep",   "contact_name",  "contact_phone",
                                          "area",        "employees",     "party_org",
                                          "trade_union", "lng",           "lat",
                                          "fields",      NULL};
    memset(in, 0, sizeof(*in));
    in->employees = -1;
    const char *uscc = NULL, *phone = NULL;
    int has = 0;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "uscc", 0, 18, &uscc, e) < 0 ||
        jf_str(body, "name", 1, 64, &in->name, e) < 0 ||
        jf_str(body, "kind", 1, 16, &in->kind, e) < 0 ||
        jf_str(body, "address", 0, 128, &in->address, e) < 0 ||
        jf_str(body, "legal_rep", 0, 32, &in->legal_rep, e) < 0 ||
        jf_str(body, "contact_name", 0, 32, &in->contact_name, e) < 0 ||
        jf_str(body, "contact_phone", 0, 32, &phone, e) < 0 ||
        jf_str(body, "area", 1, 32, &in->area, e) < 0 ||
        jf_int(body, "employees", 0, 0, 10000000, &in->employees, &has, e) < 0 ||
        jf_bool(body, "party_org", 0, &in->party_org, NULL, e) < 0 ||
        jf_bool(body, "trade_union", 0, &in->trade_union, NULL, e) < 0)
        return -1;
    if (!has)
        in->employees = -1;
    if (!kind_name(in->kind))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind",
                       "单位类别应为 enterprise、social_org、institution、school、individual 或 other");
    if (uscc) {
        char out[19];
        if (uscc_parse(uscc, out, "uscc", e) < 0)
            return -1;
        in->uscc = arena_strdup(a, out);
    }
    if (phone) {
        char out[24];
        if (phone_parse(phone, out, "contact_phone", e) < 0)
            return -1;
        in->contact_phone = arena_strdup(a, out);
    }
    if (jf_point(body, &in->lng, &in->lat, &in->has_point, e) < 0)
        return -1;
    json_t *f = json_object_get(body, "fields");
    if (typefields_check("org", in->kind, f, e) < 0)
        return -1;
    in->fields = f && !json_is_null(f) ? f : NULL;
    return 0;
}

const char *org_kind_key(const char *name_zh)
{
    return keyname_key(kinds, name_zh);
}

/* The columns org_create and org_update write, in the order bind_org binds
 * them (from ?1): one list, so that a new field is written by both. */
#define ORG_WRITE_COLS                                                                             \
    "area_id, uscc, name, kind, address, lng, lat, legal_rep, contact_name, contact_phone_enc, "   \
    "contact_phone_mask, employees, party_org, trade_union, updated_ms"
#define ORG_WRITE_VALUES "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15"

/* Binds ?1..?16; blob receives the sealed phone (released by the caller). */
static void bind_org(sqlite3_stmt *st, const struct seal *seal, const struct org_input *in,
                     int64_t area_id, int64_t now, struct buf *blob)
{
    char mask[40] = "";
    if (in->contact_phone) {
        phone_mask(in->contact_phone, mask, sizeof(mask));
        seal_encrypt(seal, in->contact_phone, strlen(in->contact_phone), "org.contact_phone",
                     blob);
    }
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, in->uscc);
    db_bind_text(st, 3, in->name);
    db_bind_text(st, 4, in->kind);
    db_bind_text(st, 5, in->address);
    if (in->has_point) {
        sqlite3_bind_double(st, 6, in->lng);
        sqlite3_bind_double(st, 7, in->lat);
    }
    db_bind_text(st, 8, in->legal_rep);
    db_bind_text(st, 9, in->contact_name);
    if (blob->len)
        sqlite3_bind_blob(st, 10, blob->ptr, (int)blob->len, SQLITE_TRANSIENT);
    db_bind_text(st, 11, in->contact_phone ? mask : NULL);
    if (in->employees >= 0)
        db_bind_int(st, 12, in->employees);
    db_bind_int(st, 13, in->party_org);
    db_bind_int(st, 14, in->trade_union);
    db_bind_int(st, 15, now);
    /* ?16, the kind's own items: an update without them keeps the old ones
     * (a ledger has no columns for them). */
    char *fields = in->fields ? json_dumps(in->fields, JSON_COMPACT) : NULL;
    db_bind_text(st, 16, fields);
    free(fields);
}

static int write_org(struct db *db, sqlite3_stmt *st, const struct seal *seal,
                     const struct org_input *in, int64_t area_id, int64_t now, struct err *e)
{
    struct buf blob = BUF_INIT;
    bind_org(st, seal, in, area_id, now, &blob);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(db_handle(db));
    sqlite3_reset(st);
    buf_release(&blob);
    if (ext == SQLITE_CONSTRAINT_UNIQUE)
        return err_set(e, ERR_CONFLICT, "uscc_exists", "uscc", "该统一社会信用代码已登记");
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

int64_t org_create(struct db *db, const struct seal *seal, const struct org_input *in,
                   int64_t area_id, int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO org (" ORG_WRITE_COLS ", fields, created_ms) "
                                      "VALUES (" ORG_WRITE_VALUES ", coalesce(?16, '{}'), ?15)");
    if (write_org(db, st, seal, in, area_id, now, e) < 0)
        return -1;
    return sqlite3_last_insert_rowid(db_handle(db));
}

int org_update(struct db *db, const struct seal *seal, int64_t id, const struct org_input *in,
               int64_t area_id, int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE org SET (" ORG_WRITE_COLS ") = "
                                      "(" ORG_WRITE_VALUES "), fields = coalesce(?16, fields) "
                                      "WHERE id = ?17");
    db_bind_int(st, 17, id);
    return write_org(db, st, seal, in, area_id, now, e);
}

int64_t org_find_by_uscc(struct db *db, const char *uscc)
{
    return db_id_by_text(db, "SELECT id FROM org WHERE uscc = ?", uscc);
}

int org_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, 
        "SELECT ar.path FROM org o JOIN area ar ON ar.id = o.area_id WHERE o.id = ?", id, path);
}

#define ORG_COLS                                                                                   \
    "o.id, o.uscc, o.name, o.kind, o.address, o.lng, o.lat, o.legal_rep, o.contact_name, "        \
    "o.contact_phone_mask, o.employees, o.party_org, o.trade_union, ar.code, ar.name, o.fields "
#define ORG_FROM "FROM org o JOIN area ar ON ar.id = o.area_id "

static json_t *org_row(sqlite3_stmt *st)
{
    json_t *o = json_pack("{s:I,s:s?,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:b,s:b,s:{s:s,s:s}}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "uscc",
                          db_col_text_or_null(st, 1), "name", db_col_text(st, 2), "kind",
                          db_col_text(st, 3), "kind_name", kind_name(db_col_text(st, 3)),
                          "address", db_col_text_or_null(st, 4), "legal_rep",
                          db_col_text_or_null(st, 7), "contact_name", db_col_text_or_null(st, 8),
                          "contact_phone", db_col_text_or_null(st, 9), "party_org",
                          sqlite3_column_int(st, 11), "trade_union", sqlite3_column_int(st, 12),
                          "area", "code", db_col_text(st, 13), "name", db_col_text(st, 14));
    json_object_set_new(o, "employees", sqlite3_column_type(st, 10) == SQLITE_NULL
                                            ? json_null()
                                            : json_integer(sqlite3_column_int64(st, 10)));
    if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
        json_object_set_new(o, "lng", json_real(sqlite3_column_double(st, 5)));
        json_object_set_new(o, "lat", json_real(sqlite3_column_double(st, 6)));
    }
    json_t *fields = json_loads(db_col_text(st, 15), 0, NULL);
    json_object_set_new(o, "fields", fields ? fields : json_object());
    return o;
}

json_t *org_to_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " ORG_COLS ORG_FROM "WHERE o.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? org_row(st) : NULL;
    sqlite3_reset(st);
    return o;
}

json_t *org_list_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                      const char *q, long limit, long offset)
{
    const char *upper = area_path_upper(a, scope);
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = db_prepare(
            db, pass == 0 ? "SELECT " ORG_COLS ORG_FROM
                            "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR o.kind = ?3) "
                            "AND (?4 IS NULL OR instr(o.name, ?4) > 0 OR o.uscc = ?4) "
                            "ORDER BY o.id LIMIT ?5 OFFSET ?6"
                          : "SELECT count(*) " ORG_FROM
                            "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR o.kind = ?3) "
                            "AND (?4 IS NULL OR instr(o.name, ?4) > 0 OR o.uscc = ?4)");
        db_bind_text(st, 1, scope);
        db_bind_text(st, 2, upper);
        db_bind_text(st, 3, kind);
        db_bind_text(st, 4, q);
        if (pass == 0) {
            db_bind_int(st, 5, limit);
            db_bind_int(st, 6, offset);
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(items, org_row(st));
        } else if (sqlite3_step(st) == SQLITE_ROW) {
            total = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
    }
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}
