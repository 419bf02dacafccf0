#include "person.h"

#include <sodium.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "domain/area.h"
#include "domain/household.h"
#include "domain/idnumber.h"
#include "domain/phone.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jsonfield.h"
#include "util/seal.h"

#define CTX_ID "person.id_number"
#define CTX_PHONE "person.phone"

static int check_details(json_t *d, const char *type, struct arena *a, struct err *e);

static const char *const residence_types[] = {"registered", "floating", "overseas",
                                              "left_behind", NULL};

static int one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

int person_from_json(json_t *body, struct arena *a, const char *today, struct person_input *in,
                     struct err *e)
{
    static const char *const allowed[] = {
        "name",      "former_name",   "gender",          "doc_type",           "id_number",
        "birth_date", "ethnicity",    "phone",           "residence_type",     "registered_address",
        "current_address", "relation", "tags",           "area",  "household_id",
        "details", NULL};
    memset(in, 0, sizeof(*in));
    const char *id_raw = NULL, *phone_raw = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "name", 1, 32, &in->name, e) < 0 ||
        jf_str(body, "former_name", 0, 32, &in->former_name, e) < 0 ||
        jf_str(body, "gender", 0, 1, &in->gender, e) < 0 ||
        jf_str(body, "doc_type", 0, 3, &in->doc_type, e) < 0 ||
        jf_str(body, "id_number", 0, 32, &id_raw, e) < 0 ||
        jf_str(body, "birth_date", 0, 10, &in->birth_date, e) < 0 ||
        jf_str(body, "ethnicity", 0, 16, &in->ethnicity, e) < 0 ||
        jf_str(body, "phone", 0, 32, &phone_raw, e) < 0 ||
        jf_str(body, "residence_type", 1, 16, &in->residence_type, e) < 0 ||
        jf_str(body, "registered_address", 0, 128, &in->registered_address, e) < 0 ||
        jf_str(body, "current_address", 0, 128, &in->current_address, e) < 0 ||
        jf_str(body, "relation", 0, 16, &in->relation, e) < 0 ||
        jf_str(body, "area", 1, 32, &in->area, e) < 0)
        return -1;
    int has_hh = 0;
    if (jf_int(body, "household_id", 0, 1, INT64_MAX, &in->household_id, &has_hh, e) < 0)
        return -1;
    if (in->relation && !has_hh)
        return err_set(e, ERR_INVALID, "missing_field", "household_id",
                       "填写与户主关系 relation 时须指定所属户 household_id");
    if (in->gender && strcmp(in->gender, "M") != 0 && strcmp(in->gender, "F") != 0)
        return err_set(e, ERR_INVALID, "invalid_gender", "gender", "性别 gender 应为 M 或 F");
    if (!one_of(in->residence_type, residence_types))
        return err_set(e, ERR_INVALID, "invalid_residence_type", "residence_type",
                       "人口类型应为 registered（户籍）、floating（流动）、overseas（境外）或 "
                       "left_behind（留守）");
    if (in->birth_date && clock_valid_date(in->birth_date) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "birth_date",
                       "出生日期 birth_date 应为有效日期 YYYY-MM-DD");
    if (in->birth_date && strcmp(in->birth_date, today) > 0)
        return err_set(e, ERR_INVALID, "invalid_date", "birth_date", "出生日期不能晚于今天");
    if (!in->doc_type)
        in->doc_type = "111";
    if (strlen(in->doc_type) != 3 || strspn(in->doc_type, "0123456789") != 3)
        return err_set(e, ERR_INVALID, "invalid_doc_type", "doc_type",
                       "证件类型 doc_type 应为 GA/T 517 的三位代码（111 为居民身份证）");
    if (id_raw) {
        if (strcmp(in->doc_type, "111") == 0) {
            struct idnumber id;
            if (idnumber_parse_at(id_raw, today, &id, "id_number", e) < 0 ||
                idnumber_crosscheck(&id, in->gender, in->birth_date, e) < 0)
                return -1;
            in->id_number = arena_strdup(a, id.id);
            if (!in->gender)
                in->gender = id.gender == 'M' ? "M" : "F";
            if (!in->birth_date)
                in->birth_date = arena_strdup(a, id.birth);
        } else {
            for (const char *p = id_raw; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '-'))
                    return err_set(e, ERR_INVALID, "invalid_characters", "id_number",
                                   "证件号码只能包含数字、大写字母和连字符");
            in->id_number = id_raw;
        }
    }
    if (phone_raw) {
        char phone[24];
        if (phone_parse(phone_raw, phone, "phone", e) < 0)
            return -1;
        in->phone = arena_strdup(a, phone);
    }
    json_t *tags = json_object_get(body, "tags");
    if (tags && !json_is_null(tags)) {
        if (!json_is_array(tags) || json_array_size(tags) > 16)
            return err_set(e, ERR_INVALID, "invalid_type", "tags", "标签 tags 应为最多16个字符串的数组");
        size_t i;
        json_t *t;
        json_array_foreach(tags, i, t)
        {
            const char *field = arena_printf(a, "tags[%zu]", i);
            if (!json_is_string(t))
                return err_set(e, ERR_INVALID, "invalid_type", field, "标签必须是字符串");
            if (jf_check_text(json_string_value(t), json_string_length(t), field, 16, e) < 0)
                return -1;
            if (strchr(json_string_value(t), ','))
                return err_set(e, ERR_INVALID, "invalid_text", field, "标签不能包含逗号");
        }
        in->tags = tags;
    }
    json_t *details = json_object_get(body, "details");
    if (details && !json_is_null(details)) {
        if (check_details(details, in->residence_type, a, e) < 0)
            return -1;
        in->details = details;
    }
    return 0;
}

/*
 * The sub-records of the residence types (the data items of GB/T 31000 as
 * standards.md §1.3 reconstructs them): which keys each type may carry and
 * of what kind — S text, D date, B yes/no, I whole number. Document numbers
 * (a permit's, a passport's) are not among them: they are identifiers, kept
 * sealed in doc_type + id_number like any other.
 */
struct detail_key {
    const char *key;
    char kind;
};
static const struct detail_key registered_keys[] = {{"household_consistent", 'B'}, {NULL, 0}};
static const struct detail_key floating_keys[] = {
    {"inflow_reason", 'S'}, {"permit_type", 'S'}, {"registered_on", 'D'},
    {"permit_expires", 'D'}, {"residence_kind", 'S'}, {"key_concern", 'B'}, {NULL, 0}};
static const struct detail_key overseas_keys[] = {
    {"surname_foreign", 'S'}, {"given_foreign", 'S'}, {"name_cn", 'S'},   {"nationality", 'S'},
    {"doc_code", 'S'},        {"purpose", 'S'},       {"arrived_on", 'D'},
    {"leaving_on", 'D'},      {"key_concern", 'B'},   {NULL, 0}};
static const struct detail_key left_behind_keys[] = {
    {"kind", 'S'},           {"household_consistent", 'B'}, {"health", 'S'},
    {"family", 'S'},         {"income_personal", 'I'},      {"income_family", 'I'},
    {"needs", 'S'},          {"help", 'S'},                 {NULL, 0}};

static int check_details(json_t *d, const char *type, struct arena *a, struct err *e)
{
    const struct detail_key *keys = strcmp(type, "floating") == 0      ? floating_keys
                                    : strcmp(type, "overseas") == 0    ? overseas_keys
                                    : strcmp(type, "left_behind") == 0 ? left_behind_keys
                                                                       : registered_keys;
    if (!json_is_object(d))
        return err_set(e, ERR_INVALID, "invalid_type", "details", "details 应为对象");
    const char *k;
    json_t *v;
    json_object_foreach(d, k, v)
    {
        const struct detail_key *dk = keys;
        while (dk->key && strcmp(dk->key, k) != 0)
            dk++;
        const char *field = arena_printf(a, "details.%s", k);
        if (!dk->key)
            return err_set(e, ERR_INVALID, "unknown_field", field,
                           "人口类型 %s 的附加信息没有字段 %s", type, k);
        if (json_is_null(v))
            continue;
        if (dk->kind == 'B' && !json_is_boolean(v))
            return err_set(e, ERR_INVALID, "invalid_type", field, "字段 %s 必须是 true 或 false", field);
        if (dk->kind == 'I' && (!json_is_integer(v) || json_integer_value(v) < 0))
            return err_set(e, ERR_INVALID, "invalid_type", field, "字段 %s 必须是非负整数", field);
        if (dk->kind == 'S' || dk->kind == 'D') {
            if (!json_is_string(v))
                return err_set(e, ERR_INVALID, "invalid_type", field, "字段 %s 必须是字符串", field);
            if (jf_check_text(json_string_value(v), json_string_length(v), field, 200, e) < 0)
                return -1;
            if (dk->kind == 'D' && clock_valid_date(json_string_value(v)) < 0)
                return err_set(e, ERR_INVALID, "invalid_date", field, "字段 %s 应为有效日期 YYYY-MM-DD",
                               field);
        }
    }
    return 0;
}

/* Tags are stored as ",a,b," so that one tag is found with instr(tags, ',a,'). */
static void tags_text(const struct person_input *in, struct buf *out)
{
    if (!in->tags || !json_array_size(in->tags))
        return;
    size_t i;
    json_t *t;
    buf_addch(out, ',');
    json_array_foreach(in->tags, i, t)
    {
        buf_addstr(out, json_string_value(t));
        buf_addch(out, ',');
    }
}

/* Refuses to make a second head: 0, or -1 with e when household_id already
 * has a head other than person_id (0 for a new person). */
static int check_head(struct db *db, const struct person_input *in, int64_t person_id,
                      struct err *e)
{
    if (!in->household_id || !in->relation || strcmp(in->relation, "户主") != 0)
        return 0;
    sqlite3_stmt *hs = db_prepare(db, "SELECT head_id FROM household WHERE id = ?");
    db_bind_int(hs, 1, in->household_id);
    int64_t head = sqlite3_step(hs) == SQLITE_ROW ? sqlite3_column_int64(hs, 0) : 0;
    sqlite3_reset(hs);
    if (head && head != person_id)
        return err_set(e, ERR_CONFLICT, "household_has_head", "relation",
                       "该户已有户主；请先变更原户主的关系");
    return 0;
}

/* Seals value into the blob/index/mask columns starting at column col. */
static void bind_sealed(sqlite3_stmt *st, int col, const struct seal *seal, const char *ctx,
                        const char *value, const char *mask)
{
    if (!value)
        return; /* NULL bindings */
    struct buf blob = BUF_INIT;
    unsigned char idx[SEAL_INDEX_BYTES];
    seal_encrypt(seal, value, strlen(value), ctx, &blob);
    seal_blind_index(seal, ctx, value, idx);
    sqlite3_bind_blob(st, col, blob.ptr, (int)blob.len, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, col + 1, idx, sizeof(idx), SQLITE_TRANSIENT);
    db_bind_text(st, col + 2, mask);
    buf_release(&blob);
}

int64_t person_create(struct db *db, const struct seal *seal, const struct person_input *in,
                      int64_t area_id, int64_t now, struct err *e)
{
    if (in->household_id) {
        sqlite3_stmt *hs = db_prepare(db, "SELECT area_id FROM household WHERE id = ?");
        db_bind_int(hs, 1, in->household_id);
        int found = sqlite3_step(hs) == SQLITE_ROW;
        int64_t hh_area = found ? sqlite3_column_int64(hs, 0) : 0;
        sqlite3_reset(hs);
        if (!found)
            return err_set(e, ERR_NOT_FOUND, "household_not_found", "household_id", "户不存在");
        if (hh_area != area_id)
            return err_set(e, ERR_INVALID, "household_area_mismatch", "household_id",
                           "人员所在网格须与其户所在网格一致");
        if (check_head(db, in, 0, e) < 0)
            return -1;
    }
    char idmask[40] = "", phonemask[40] = "";
    if (in->id_number && strcmp(in->doc_type, "111") == 0)
        idnumber_mask(in->id_number, idmask);
    else if (in->id_number) {
        size_t n = strlen(in->id_number);
        snprintf(idmask, sizeof(idmask), "%.*s****%s", n > 6 ? 2 : 0, in->id_number,
                 n > 6 ? in->id_number + n - 2 : "");
    }
    if (in->phone)
        phone_mask(in->phone, phonemask, sizeof(phonemask));
    struct buf tags = BUF_INIT;
    tags_text(in, &tags);
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO person (area_id, name, former_name, gender, doc_type, id_enc, id_bidx, "
            "id_mask, birth_date, ethnicity, phone_enc, phone_bidx, phone_mask, residence_type, "
            "registered_address, current_address, relation, tags, created_ms, updated_ms, "
            "household_id, extra) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, in->name);
    db_bind_text(st, 3, in->former_name);
    db_bind_text(st, 4, in->gender);
    db_bind_text(st, 5, in->doc_type);
    bind_sealed(st, 6, seal, CTX_ID, in->id_number, idmask);
    db_bind_text(st, 9, in->birth_date);
    db_bind_text(st, 10, in->ethnicity);
    bind_sealed(st, 11, seal, CTX_PHONE, in->phone, phonemask);
    db_bind_text(st, 14, in->residence_type);
    db_bind_text(st, 15, in->registered_address);
    db_bind_text(st, 16, in->current_address);
    db_bind_text(st, 17, in->relation);
    db_bind_text(st, 18, tags.ptr);
    db_bind_int(st, 19, now);
    db_bind_int(st, 20, now);
    if (in->household_id)
        db_bind_int(st, 21, in->household_id);
    char *extra = in->details ? json_dumps(in->details, JSON_COMPACT) : NULL;
    db_bind_text(st, 22, extra);
    free(extra);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(db_handle(db));
    sqlite3_reset(st);
    buf_release(&tags);
    if (ext == SQLITE_CONSTRAINT_UNIQUE && strstr(db_errmsg(db), "id_bidx"))
        return err_set(e, ERR_CONFLICT, "id_number_exists", "id_number",
                       "该证件号码已登记，请查找并更新已有人员记录");
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    if (in->household_id && in->relation && strcmp(in->relation, "户主") == 0 &&
        household_set_head(db, in->household_id, id, e) < 0)
        return -1;
    return id;
}

int person_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, 
        "SELECT ar.path FROM person p JOIN area ar ON ar.id = p.area_id WHERE p.id = ?", id, path);
}

#define PERSON_COLS                                                                                \
    "p.id, p.name, p.former_name, p.gender, p.doc_type, p.id_mask, p.birth_date, p.ethnicity, "     \
    "p.phone_mask, p.residence_type, p.registered_address, p.current_address, p.household_id, "    \
    "p.relation, p.tags, ar.code, ar.name, p.extra "
#define PERSON_FROM "FROM person p JOIN area ar ON ar.id = p.area_id "

static json_t *tags_json(const char *tags)
{
    json_t *arr = json_array();
    const char *p = tags;
    while (p && *p) {
        if (*p == ',') {
            p++;
            continue;
        }
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, n));
        p += n;
    }
    return arr;
}

static json_t *row_json(sqlite3_stmt *st)
{
    const char *extra = db_col_text_or_null(st, 17);
    json_t *details = extra ? json_loads(extra, 0, NULL) : NULL;
    json_t *hh = sqlite3_column_type(st, 12) == SQLITE_NULL
                     ? json_null()
                     : json_integer(sqlite3_column_int64(st, 12));
    return json_pack("{s:I,s:s,s:s?,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:s?,s:o,s:s?,s:o,"
                     "s:{s:s,s:s},s:b,s:o}",
                     "id", (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1),
                     "former_name", db_col_text_or_null(st, 2), "gender",
                     db_col_text_or_null(st, 3), "doc_type", db_col_text(st, 4), "id_number",
                     db_col_text_or_null(st, 5), "birth_date", db_col_text_or_null(st, 6),
                     "ethnicity", db_col_text_or_null(st, 7), "phone", db_col_text_or_null(st, 8),
                     "residence_type", db_col_text(st, 9), "registered_address",
                     db_col_text_or_null(st, 10), "current_address", db_col_text_or_null(st, 11),
                     "household_id", hh, "relation", db_col_text_or_null(st, 13), "tags",
                     tags_json(db_col_text(st, 14)), "area", "code", db_col_text(st, 15), "name",
                     db_col_text(st, 16), "masked", 1, "details", details ? details : json_object());
}

json_t *person_to_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " PERSON_COLS PERSON_FROM "WHERE p.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row_json(st) : NULL;
    sqlite3_reset(st);
    return o;
}

static json_t *opened(const struct seal *seal, sqlite3_stmt *st, int col, const char *ctx,
                      struct err *e)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    struct buf out = BUF_INIT;
    if (seal_decrypt(seal, sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), ctx,
                     &out, e) < 0) {
        buf_release(&out);
        return NULL;
    }
    json_t *s = json_stringn(out.ptr, out.len);
    sodium_memzero(out.ptr, out.len);
    buf_release(&out);
    return s;
}

json_t *person_reveal_json(struct db *db, const struct seal *seal, int64_t id, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT id_enc, phone_enc FROM person WHERE id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_t *idn = opened(seal, st, 0, CTX_ID, e);
        json_t *ph = idn ? opened(seal, st, 1, CTX_PHONE, e) : NULL;
        if (idn && ph)
            o = json_pack("{s:I,s:o,s:o}", "id", (json_int_t)id, "id_number", idn, "phone", ph);
        else {
            json_decref(idn);
            json_decref(ph);
        }
    } else {
        err_set(e, ERR_NOT_FOUND, "not_found", NULL, "人员不存在");
    }
    sqlite3_reset(st);
    return o;
}

/* The same filters after each way in: scope, residence type, tag. */
#define FILTERS                                                                                    \
    "ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR p.residence_type = ?3) "                   \
    "AND (?4 IS NULL OR instr(p.tags, ',' || ?4 || ',') > 0) "

json_t *person_search_json(struct db *db, struct arena *a, const struct seal *seal,
                           const char *scope, const struct person_query *qry)
{
    static const char by_scope[] =
        "SELECT " PERSON_COLS PERSON_FROM "WHERE " FILTERS "ORDER BY p.id LIMIT ?6 OFFSET ?7";
    static const char by_scope_n[] = "SELECT count(*) " PERSON_FROM "WHERE " FILTERS;
    static const char by_bidx_id[] = "SELECT " PERSON_COLS PERSON_FROM
                                     "WHERE p.id_bidx = ?5 AND " FILTERS
                                     "ORDER BY p.id LIMIT ?6 OFFSET ?7";
    static const char by_bidx_id_n[] =
        "SELECT count(*) " PERSON_FROM "WHERE p.id_bidx = ?5 AND " FILTERS;
    static const char by_bidx_phone[] = "SELECT " PERSON_COLS PERSON_FROM
                                        "WHERE p.phone_bidx = ?5 AND " FILTERS
                                        "ORDER BY p.id LIMIT ?6 OFFSET ?7";
    static const char by_bidx_phone_n[] =
        "SELECT count(*) " PERSON_FROM "WHERE p.phone_bidx = ?5 AND " FILTERS;
    static const char by_text[] =
        "SELECT " PERSON_COLS PERSON_FROM
        "WHERE p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?5) AND " FILTERS
        "ORDER BY p.id LIMIT ?6 OFFSET ?7";
    static const char by_text_n[] =
        "SELECT count(*) " PERSON_FROM
        "WHERE p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?5) AND " FILTERS;
    static const char by_name[] = "SELECT " PERSON_COLS PERSON_FROM
                                  "WHERE p.name >= ?5 AND p.name < ?8 AND " FILTERS
                                  "ORDER BY p.id LIMIT ?6 OFFSET ?7";
    static const char by_name_n[] =
        "SELECT count(*) " PERSON_FROM "WHERE p.name >= ?5 AND p.name < ?8 AND " FILTERS;
    /* The same for a small scope (a village, a grid): walk the scope's people
     * (CROSS JOIN fixes the order: areas first, then person_area) instead of
     * every namesake in the county. */
#define PERSON_FROM_AREA_FIRST "FROM area ar CROSS JOIN person p ON p.area_id = ar.id "
    static const char by_name_small[] = "SELECT " PERSON_COLS PERSON_FROM_AREA_FIRST
                                        "WHERE p.name >= ?5 AND p.name < ?8 AND " FILTERS
                                        "ORDER BY p.id LIMIT ?6 OFFSET ?7";
    static const char by_name_small_n[] = "SELECT count(*) " PERSON_FROM_AREA_FIRST
                                          "WHERE p.name >= ?5 AND p.name < ?8 AND " FILTERS;

    const char *list = by_scope, *count = by_scope_n;
    unsigned char idx[SEAL_INDEX_BYTES];
    const char *text = NULL, *upper = NULL;
    int bind_idx = 0;
    if (qry->id_number) {
        seal_blind_index(seal, CTX_ID, qry->id_number, idx);
        list = by_bidx_id, count = by_bidx_id_n, bind_idx = 1;
    } else if (qry->phone) {
        seal_blind_index(seal, CTX_PHONE, qry->phone, idx);
        list = by_bidx_phone, count = by_bidx_phone_n, bind_idx = 1;
    } else if (qry->q) {
        size_t chars = 0;
        for (const char *p = qry->q; *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
        if (chars >= 3) {
            /* A trigram phrase query; quotes doubled. */
            struct buf b = BUF_INIT;
            buf_addch(&b, '"');
            for (const char *p = qry->q; *p; p++) {
                if (*p == '"')
                    buf_addch(&b, '"');
                buf_addch(&b, *p);
            }
            buf_addch(&b, '"');
            text = arena_strdup(a, b.ptr);
            buf_release(&b);
            list = by_text, count = by_text_n;
        } else {
            /* One or two characters: trigrams cannot match; names that start with it. */
            text = qry->q;
            upper = arena_printf(a, "%s\xF4\x8F\xBF\xBF", qry->q);
            int depth = 0;
            for (const char *p = scope; *p; p++)
                depth += *p == '/';
            if (depth >= 4) /* a village or below: its people are fewer than the namesakes */
                list = by_name_small, count = by_name_small_n;
            else
                list = by_name, count = by_name_n;
        }
    }
    json_t *items = json_array();
    int64_t total = 0;
    const char *scope_upper = area_path_upper(a, scope);
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = db_prepare(db, pass == 0 ? list : count);
        db_bind_text(st, 1, scope);
        db_bind_text(st, 2, scope_upper);
        db_bind_text(st, 3, qry->residence_type);
        db_bind_text(st, 4, qry->tag);
        if (bind_idx)
            sqlite3_bind_blob(st, 5, idx, sizeof(idx), SQLITE_TRANSIENT);
        else if (text)
            db_bind_text(st, 5, text);
        if (upper)
            db_bind_text(st, 8, upper);
        if (pass == 0) {
            db_bind_int(st, 6, qry->limit);
            db_bind_int(st, 7, qry->offset);
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(items, row_json(st));
        } else if (sqlite3_step(st) == SQLITE_ROW) {
            total = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
    }
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

int64_t person_find_by_id_number(struct db *db, const struct seal *seal, const char *id_number)
{
    unsigned char idx[SEAL_INDEX_BYTES];
    seal_blind_index(seal, CTX_ID, id_number, idx);
    sqlite3_stmt *st = db_prepare(db, "SELECT id FROM person WHERE id_bidx = ?");
    sqlite3_bind_blob(st, 1, idx, sizeof(idx), SQLITE_TRANSIENT);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

int person_update(struct db *db, const struct seal *seal, int64_t id,
                  const struct person_input *in, int64_t area_id, int64_t now, struct err *e)
{
    if (check_head(db, in, id, e) < 0)
        return -1;
    /* Leaving a household one heads: that household has no head any more. */
    sqlite3_stmt *old = db_prepare(db, "UPDATE household SET head_id = NULL WHERE head_id = ? "
                                       "AND id IS NOT ?");
    db_bind_int(old, 1, id);
    if (in->household_id)
        db_bind_int(old, 2, in->household_id);
    if (sqlite3_step(old) != SQLITE_DONE) {
        sqlite3_reset(old);
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    }
    sqlite3_reset(old);
    char phonemask[40] = "";
    if (in->phone)
        phone_mask(in->phone, phonemask, sizeof(phonemask));
    struct buf tags = BUF_INIT;
    tags_text(in, &tags);
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE person SET area_id = ?, name = ?, former_name = ?, gender = ?, "
            "birth_date = ?, ethnicity = ?, phone_enc = ?, phone_bidx = ?, phone_mask = ?, "
            "residence_type = ?, registered_address = ?, current_address = ?, relation = ?, "
            "tags = ?, household_id = ?, updated_ms = ?, extra = coalesce(?, extra) WHERE id = ?");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, in->name);
    db_bind_text(st, 3, in->former_name);
    db_bind_text(st, 4, in->gender);
    db_bind_text(st, 5, in->birth_date);
    db_bind_text(st, 6, in->ethnicity);
    bind_sealed(st, 7, seal, CTX_PHONE, in->phone, phonemask);
    db_bind_text(st, 10, in->residence_type);
    db_bind_text(st, 11, in->registered_address);
    db_bind_text(st, 12, in->current_address);
    db_bind_text(st, 13, in->relation);
    db_bind_text(st, 14, tags.ptr);
    if (in->household_id)
        db_bind_int(st, 15, in->household_id);
    db_bind_int(st, 16, now);
    char *extra = in->details ? json_dumps(in->details, JSON_COMPACT) : NULL;
    db_bind_text(st, 17, extra);
    free(extra);
    db_bind_int(st, 18, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    buf_release(&tags);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    if (in->household_id && in->relation && strcmp(in->relation, "户主") == 0 &&
        household_set_head(db, in->household_id, id, e) < 0)
        return -1;
    return 0;
}
