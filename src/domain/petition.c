#include "petition.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/duplicates.h"
#include "domain/idnumber.h"
#include "domain/org.h"
#include "domain/person.h"
#include "domain/petitionclock.h"
#include "domain/petitionflow.h"
#include "domain/phone.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jsonfield.h"
#include "util/seal.h"

#define CTX_ID    "petitioner.id_number"
#define CTX_PHONE "petitioner.phone"

/* ------------------------------------------------------------ names */

static const char *lookup(const char *const map[][2], size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        if (strcmp(map[i][0], key) == 0)
            return map[i][1];
    return NULL;
}
#define LOOKUP(map, key) lookup(map, sizeof(map) / sizeof(map[0]), key)

static const char *const channels[][2] = {{"letter", "来信"},
                                          {"visit", "来访"},
                                          {"phone", "电话"},
                                          {"online", "网上信访"},
                                          {"fax", "传真"}};
static const char *const categories[][2] = {
    {"suggestion", "建议意见"}, {"accusation", "检举控告"}, {"claim", "申诉求决"}};
static const char *const levels[][2] = {
    {"local", "本级"}, {"city", "赴市"}, {"province", "赴省"}, {"beijing", "进京"}};
static const char *const ratings[][2] = {
    {"satisfied", "满意"}, {"basic", "基本满意"}, {"unsatisfied", "不满意"}};

const char *petition_channel_name(const char *c)
{
    return LOOKUP(channels, c);
}
const char *petition_category_name(const char *c)
{
    return LOOKUP(categories, c);
}
const char *petition_level_name(const char *l)
{
    return LOOKUP(levels, l);
}
const char *petition_rating_name(const char *r)
{
    return LOOKUP(ratings, r);
}

static int db_fail(struct db *db, struct err *e)
{
    return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
}

/* ------------------------------------------------------------ input */

static int enum_field(json_t *body, const char *key, int required, const char *const map[][2],
                      size_t n, const char **out, struct err *e)
{
    if (jf_str(body, key, required, 16, out, e) < 0)
        return -1;
    if (*out && !lookup(map, n, *out)) {
        struct buf b = BUF_INIT;
        for (size_t i = 0; i < n; i++)
            buf_addf(&b, "%s%s", i ? "、" : "", map[i][0]);
        err_set(e, ERR_INVALID, "invalid_value", key, "%s 应为 %s 之一", key, b.ptr);
        buf_release(&b);
        return -1;
    }
    return 0;
}
#define ENUM_FIELD(body, key, req, map, out, e)                                                    \
    enum_field(body, key, req, map, sizeof(map) / sizeof(map[0]), out, e)

static int petitioner_from_json(json_t *p, int i, struct arena *a, const char *today,
                                struct petitioner_input *out, struct err *e)
{
    static const char *const allowed[] = {"person_id", "name",    "id_number",
                                          "phone",     "address", NULL};
    memset(out, 0, sizeof(*out));
    const char *field = arena_printf(a, "petitioners[%d]", i);
    if (!json_is_object(p))
        return err_set(e, ERR_INVALID, "invalid_type", field, "%s 应为对象", field);
    if (jf_only(p, allowed, e) < 0)
        return -1;
    int present = 0;
    const char *id = NULL, *phone = NULL;
    if (jf_int(p, "person_id", 0, 1, INT64_MAX, &out->person_id, &present, e) < 0 ||
        jf_str(p, "name", 0, 50, &out->name, e) < 0 || jf_str(p, "id_number", 0, 20, &id, e) < 0 ||
        jf_str(p, "phone", 0, 30, &phone, e) < 0 ||
        jf_str(p, "address", 0, 200, &out->address, e) < 0) {
        e->field = arena_printf(a, "%s.%s", field, e->field ? e->field : "");
        return -1;
    }
    if (!out->person_id && !out->name)
        return err_set(e, ERR_INVALID, "missing_field", arena_printf(a, "%s.name", field),
                       "信访人须给出姓名 name 或实有人口编号 person_id");
    if (id) {
        struct idnumber n;
        if (idnumber_parse_at(id, today, &n, arena_printf(a, "%s.id_number", field), e) < 0)
            return -1;
        out->id_number = arena_strdup(a, n.id);
    }
    if (phone) {
        char norm[24];
        if (phone_parse(phone, norm, arena_printf(a, "%s.phone", field), e) < 0)
            return -1;
        out->phone = arena_strdup(a, norm);
    }
    return 0;
}

int petition_from_json(json_t *body, struct arena *a, const char *today, struct petition_input *in,
                       struct err *e)
{
    static const char *const allowed[] = {
        "channel",      "category",    "title",       "content",     "concerns",
        "area",         "org_id",      "group_size",  "level",       "repeat_of",
        "reception_id", "received_at", "petitioners", "attachments", NULL};
    memset(in, 0, sizeof(*in));
    int present;
    const char *received = NULL;
    if (jf_only(body, allowed, e) < 0 ||
        ENUM_FIELD(body, "channel", 1, channels, &in->channel, e) < 0 ||
        ENUM_FIELD(body, "category", 1, categories, &in->category, e) < 0 ||
        jf_str(body, "title", 1, 100, &in->title, e) < 0 ||
        jf_str(body, "content", 1, 5000, &in->content, e) < 0 ||
        jf_str(body, "concerns", 0, 100, &in->concerns, e) < 0 ||
        jf_str(body, "area", 0, 32, &in->area, e) < 0 ||
        jf_int(body, "org_id", 0, 1, INT64_MAX, &in->org_id, &present, e) < 0 ||
        jf_int(body, "group_size", 0, 1, 100000, &in->group_size, &present, e) < 0 ||
        ENUM_FIELD(body, "level", 0, levels, &in->level, e) < 0 ||
        jf_int(body, "repeat_of", 0, 1, INT64_MAX, &in->repeat_of, &present, e) < 0 ||
        jf_int(body, "reception_id", 0, 1, INT64_MAX, &in->reception_id, &present, e) < 0 ||
        jf_str(body, "received_at", 0, 40, &received, e) < 0)
        return -1;
    if (!in->group_size)
        in->group_size = 1;
    if (!in->level)
        in->level = "local";
    if (!in->area && !in->org_id)
        return err_set(e, ERR_INVALID, "missing_field", "area",
                       "请给出事项发生地 area（村、网格或微网格编码）或涉及的组织 org_id");
    if (received && clock_parse_iso(received, &in->received_ms) < 0)
        return err_set(e, ERR_INVALID, "invalid_value", "received_at",
                       "received_at 应为 ISO 8601 时间或日期");
    json_t *ps = json_object_get(body, "petitioners");
    if (!json_is_array(ps) || json_array_size(ps) == 0)
        return err_set(e, ERR_INVALID, ps ? "invalid_type" : "missing_field", "petitioners",
                       "petitioners 应为 1–%d 名信访人（多人走访推选的代表）",
                       PETITION_MAX_PETITIONERS);
    if (json_array_size(ps) > PETITION_MAX_PETITIONERS)
        return err_set(e, ERR_INVALID, "too_many_representatives", "petitioners",
                       "多人走访应推选不超过 %d 名代表（《信访工作条例》第20条）",
                       PETITION_MAX_PETITIONERS);
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        if (petitioner_from_json(p, (int)i, a, today, &in->petitioners[i], e) < 0)
            return -1;
        in->n_petitioners++;
    }
    if (in->group_size < in->n_petitioners)
        return err_set(e, ERR_INVALID, "out_of_range", "group_size",
                       "group_size（人数）不能少于信访人（代表）的人数 %d", in->n_petitioners);
    json_t *att = json_object_get(body, "attachments");
    if (att && !json_is_null(att)) {
        if (!json_is_array(att) || json_array_size(att) > PETITION_MAX_ATTACHMENTS)
            return err_set(e, ERR_INVALID, "invalid_type", "attachments",
                           "attachments 应为至多 %d 个附件编号", PETITION_MAX_ATTACHMENTS);
        json_array_foreach(att, i, p)
        {
            if (!json_is_integer(p) || json_integer_value(p) < 1)
                return err_set(e, ERR_INVALID, "invalid_type", "attachments",
                               "attachments 应为附件编号");
            in->attachments[in->n_attachments++] = json_integer_value(p);
        }
    }
    return 0;
}

/* ------------------------------------------------------------ create */

static void track_code(char out[11])
{
    /* The alphabet and length of event codes (eventpublic.h normalises both). */
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    unsigned char r[10];
    randombytes_buf(r, sizeof(r));
    for (int i = 0; i < 10; i++)
        out[i] = alphabet[r[i] & 31];
    out[10] = '\0';
}

static const char *matter_text(struct arena *a, const char *title, const char *content)
{
    return arena_printf(a, "%s %s", title, content);
}

/* The earlier petitions of these persons: the one a 复核 closed with this
 * matter (*closed), and the most alike otherwise (*repeat). */
static int earlier_of(struct db *db, struct arena *a, const int64_t *persons, int n,
                      const char *text, int64_t *closed, int64_t *repeat)
{
    *closed = *repeat = 0;
    double best = 0;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT DISTINCT p.id, p.title, p.content, p.recheck_outcome IS NOT NULL "
            "FROM petitioner r JOIN petition p ON p.id = r.petition_id WHERE r.person_id = ? "
            "ORDER BY p.id");
    for (int i = 0; i < n; i++) {
        if (!persons[i])
            continue;
        db_bind_int(st, 1, persons[i]);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            double sim =
                dup_similarity(text, matter_text(a, db_col_text(st, 1), db_col_text(st, 2)));
            int64_t id = sqlite3_column_int64(st, 0);
            if (sqlite3_column_int(st, 3) && sim >= PETITION_SAME_MATTER && !*closed)
                *closed = id;
            if (sim >= PETITION_REPEAT && sim > best) {
                best = sim;
                *repeat = id;
            }
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

static int seal_into(const struct seal *seal, const char *plain, const char *ctx, struct buf *out)
{
    buf_reset(out);
    return plain ? seal_encrypt(seal, plain, strlen(plain), ctx, out) : 0;
}

static void bind_blob_or_null(sqlite3_stmt *st, int i, const struct buf *b)
{
    if (b->len)
        sqlite3_bind_blob(st, i, b->ptr, (int)b->len, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int timeline_add(struct db *db, const struct petition_ctx *ctx,
                        const struct petition_actor *who, int64_t id, const char *action,
                        const char *from, const char *to, const char *note, json_t *detail,
                        struct err *e)
{
    char *d = detail && json_object_size(detail) ? json_dumps(detail, JSON_COMPACT) : NULL;
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO petition_timeline (petition_id, at_ms, "
                                      "account_id, actor, action, from_status, to_status, note, "
                                      "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, ctx->now);
    if (who->account_id)
        db_bind_int(st, 3, who->account_id);
    db_bind_text(st, 4, who->username ? who->username : "petitioner");
    db_bind_text(st, 5, action);
    db_bind_text(st, 6, from);
    db_bind_text(st, 7, to);
    db_bind_text(st, 8, note);
    db_bind_text(st, 9, d);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(d);
    json_decref(detail);
    return rc == SQLITE_DONE ? 0 : db_fail(db, e);
}

/* The area a petition is registered to: a village or below, active. */
static int place_of(struct db *db, struct arena *a, const struct petition_actor *who,
                    const struct petition_input *in, struct area *out, struct err *e)
{
    const char *code = in->area;
    if (in->org_id) {
        const char *opath;
        if (org_area_path(db, a, in->org_id, &opath) < 0 ||
            !area_path_within(who->scope_path, opath))
            return err_set(e, ERR_NOT_FOUND, "org_not_found", "org_id",
                           "组织 %lld 不存在或不在您的管辖范围内", (long long)in->org_id);
        if (!code) {
            sqlite3_stmt *st = db_prepare(
                db, "SELECT a.code FROM org o JOIN area a ON a.id = o.area_id WHERE o.id = ?");
            db_bind_int(st, 1, in->org_id);
            if (sqlite3_step(st) == SQLITE_ROW)
                code = arena_strdup(a, db_col_text(st, 0));
            sqlite3_reset(st);
        }
    }
    if (!code || area_get(db, a, code, out) < 0 || !area_path_within(who->scope_path, out->path))
        return err_set(e, ERR_NOT_FOUND, "area_not_found", "area",
                       "区域 %s 不存在或不在您的管辖范围内", code ? code : "");
    if (out->retired_ms)
        return err_set(e, ERR_INVALID, "area_retired", "area", "区域 %s 已撤销", code);
    if (strcmp(out->level, "village") && strcmp(out->level, "grid") &&
        strcmp(out->level, "microgrid"))
        return err_set(e, ERR_INVALID, "area_level", "area",
                       "事项发生地应为村（社区）、网格或微网格，%s 是%s", code, out->level_name);
    return 0;
}

static int check_ref(struct db *db, const char *sql, int64_t id, const char *scope,
                     const char *field, const char *what, struct err *e)
{
    if (!id)
        return 0;
    sqlite3_stmt *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    int ok = sqlite3_step(st) == SQLITE_ROW && area_path_within(scope, db_col_text(st, 0));
    sqlite3_reset(st);
    return ok ? 0
              : err_set(e, ERR_NOT_FOUND, "not_found", field, "%s %lld 不存在或不在您的管辖范围内",
                        what, (long long)id);
}

int64_t petition_create(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                        const struct petition_actor *who, const struct petition_input *in,
                        int64_t *earlier, struct err *e)
{
    *earlier = 0;
    struct area area;
    if (place_of(db, a, who, in, &area, e) < 0 ||
        check_ref(db, "SELECT area_path FROM petition WHERE id = ?", in->repeat_of, who->scope_path,
                  "repeat_of", "信访件", e) < 0 ||
        check_ref(db, "SELECT area_path FROM petition_reception WHERE id = ?", in->reception_id,
                  who->scope_path, "reception_id", "接访日", e) < 0)
        return -1;
    int64_t received = in->received_ms ? in->received_ms : ctx->now;
    if (received > ctx->now)
        return err_set(e, ERR_INVALID, "out_of_range", "received_at", "登记时间不能晚于现在");

    /* The petitioners, linked to the registry where possible. */
    int64_t persons[PETITION_MAX_PETITIONERS] = {0};
    const char *names[PETITION_MAX_PETITIONERS];
    for (int i = 0; i < in->n_petitioners; i++) {
        const struct petitioner_input *p = &in->petitioners[i];
        names[i] = p->name;
        persons[i] = p->person_id;
        if (p->person_id) {
            const char *ppath;
            if (person_area_path(db, a, p->person_id, &ppath) < 0 ||
                !area_path_within(who->scope_path, ppath))
                return err_set(e, ERR_NOT_FOUND, "person_not_found",
                               arena_printf(a, "petitioners[%d].person_id", i),
                               "实有人口 %lld 不存在或不在您的管辖范围内", (long long)p->person_id);
        } else if (p->id_number) {
            persons[i] = person_find_by_id_number(db, ctx->seal, p->id_number);
        }
        if (persons[i] && !names[i]) {
            sqlite3_stmt *st = db_prepare(db, "SELECT name FROM person WHERE id = ?");
            db_bind_int(st, 1, persons[i]);
            if (sqlite3_step(st) == SQLITE_ROW)
                names[i] = arena_strdup(a, db_col_text(st, 0));
            sqlite3_reset(st);
        }
    }

    /* 第36条: a matter closed by 复核 is not accepted again. */
    const char *text = matter_text(a, in->title, in->content);
    int64_t closed = 0, repeat = 0;
    if (earlier_of(db, a, persons, in->n_petitioners, text, &closed, &repeat) < 0)
        return db_fail(db, e);
    if (!closed && in->repeat_of) {
        sqlite3_stmt *st =
            db_prepare(db, "SELECT recheck_outcome IS NOT NULL FROM petition WHERE id = ?");
        db_bind_int(st, 1, in->repeat_of);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0))
            closed = in->repeat_of;
        sqlite3_reset(st);
    }
    if (closed) {
        *earlier = closed;
        return err_set(e, ERR_CONFLICT, "matter_closed_after_review", NULL,
                       "同一信访事项已经复核终结（信访件 %lld），依《信访工作条例》第36条不再受理",
                       (long long)closed);
    }
    if (in->repeat_of)
        repeat = in->repeat_of;

    struct petition_clock c;
    petitionclock_start("registered", received, ctx->yellow_percent, &c);
    char code[11];
    track_code(code);
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO petition (track_code, channel, category, title, content, concerns, "
            "area_id, area_path, org_id, group_size, level, repeat_of, reception_id, status, "
            "node, node_started_ms, deadline_ms, yellow_ms, late, received_ms, created_by, "
            "created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
            "?13, 'registered', ?14, ?15, ?16, ?17, ?18, ?15, ?19, ?20, ?20)");
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, in->channel);
    db_bind_text(st, 3, in->category);
    db_bind_text(st, 4, in->title);
    db_bind_text(st, 5, in->content);
    db_bind_text(st, 6, in->concerns);
    db_bind_int(st, 7, area.id);
    db_bind_text(st, 8, area.path);
    if (in->org_id)
        db_bind_int(st, 9, in->org_id);
    db_bind_int(st, 10, in->group_size);
    db_bind_text(st, 11, in->level);
    if (repeat)
        db_bind_int(st, 12, repeat);
    if (in->reception_id)
        db_bind_int(st, 13, in->reception_id);
    db_bind_text(st, 14, c.node);
    db_bind_int(st, 15, c.started);
    db_bind_int(st, 16, c.deadline);
    db_bind_int(st, 17, c.yellow);
    db_bind_int(st, 18, 0);
    if (who->account_id)
        db_bind_int(st, 19, who->account_id);
    db_bind_int(st, 20, ctx->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, e);
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));

    struct buf idb = BUF_INIT, phb = BUF_INIT;
    st = db_prepare(db,
                    "INSERT INTO petitioner (petition_id, seq, person_id, name, id_enc, "
                    "id_mask, phone_enc, phone_mask, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (int i = 0; i < in->n_petitioners; i++) {
        const struct petitioner_input *p = &in->petitioners[i];
        char idm[19] = "", phm[40] = "";
        if (p->id_number)
            idnumber_mask(p->id_number, idm);
        if (p->phone)
            phone_mask(p->phone, phm, sizeof(phm));
        if (seal_into(ctx->seal, p->id_number, CTX_ID, &idb) < 0 ||
            seal_into(ctx->seal, p->phone, CTX_PHONE, &phb) < 0) {
            rc = SQLITE_ERROR;
            break;
        }
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, i + 1);
        if (persons[i])
            db_bind_int(st, 3, persons[i]);
        db_bind_text(st, 4, names[i] ? names[i] : "");
        bind_blob_or_null(st, 5, &idb);
        db_bind_text(st, 6, p->id_number ? idm : NULL);
        bind_blob_or_null(st, 7, &phb);
        db_bind_text(st, 8, p->phone ? phm : NULL);
        db_bind_text(st, 9, p->address);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            break;
    }
    buf_release(&idb);
    buf_release(&phb);
    if (rc != SQLITE_DONE)
        return db_fail(db, e);

    /* Attachments: the registering officer's own uploads, not yet used. */
    for (int i = 0; i < in->n_attachments; i++) {
        st = db_prepare(db, "INSERT INTO petition_attachment (petition_id, attachment_id) "
                            "SELECT ?1, id FROM attachment WHERE id = ?2 AND account_id = ?3 "
                            "AND event_id IS NULL");
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, in->attachments[i]);
        db_bind_int(st, 3, who->account_id);
        rc = sqlite3_step(st);
        int changed = sqlite3_changes(db_handle(db));
        sqlite3_reset(st);
        if (rc != SQLITE_DONE || !changed)
            return err_set(e, ERR_NOT_FOUND, "attachment_not_found", "attachments",
                           "附件 %lld 不存在、不是您上传的或已被使用",
                           (long long)in->attachments[i]);
    }
    json_t *detail = json_pack("{s:s,s:s}", "channel", in->channel, "category", in->category);
    if (repeat)
        json_object_set_new(detail, "repeat_of", json_integer(repeat));
    char iso[40];
    clock_format_iso(c.deadline, iso, sizeof(iso));
    json_object_set_new(detail, "deadline", json_string(iso));
    if (timeline_add(db, ctx, who, id, "register", NULL, "registered", NULL, detail, e) < 0)
        return -1;
    return id;
}

/* ------------------------------------------------------------ steps */

struct prow {
    int64_t id;
    const char *status, *node;
    int64_t started, deadline, yellow, window;
    int extended;
};

static int load_row(struct db *db, struct arena *a, int64_t id, struct prow *p)
{
    sqlite3_stmt *st =
        db_prepare(db, "SELECT status, node, node_started_ms, deadline_ms, "
                       "yellow_ms, window_ms, extended_days FROM petition WHERE id = ?");
    db_bind_int(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        p->id = id;
        p->status = arena_strdup(a, db_col_text(st, 0));
        p->node = db_col_text_or_null(st, 1) ? arena_strdup(a, db_col_text(st, 1)) : NULL;
        p->started = sqlite3_column_int64(st, 2);
        p->deadline = sqlite3_column_int64(st, 3);
        p->yellow = sqlite3_column_int64(st, 4);
        p->window = sqlite3_column_int64(st, 5);
        p->extended = sqlite3_column_int(st, 6);
    }
    sqlite3_reset(st);
    return found ? 0 : -1;
}

/* The end of a referred organ's 5 working days to object (0: none). */
static int64_t objection_until(const struct petition_ctx *ctx, const char *status, int64_t started)
{
    if (!status || strcmp(status, "referred") != 0 || !started)
        return 0;
    return workclock_add(&ctx->cal, started, PETITION_OBJECTION_WORKDAYS * PETITION_DAY_MS, 0);
}

static unsigned facts_of(const struct petition_ctx *ctx, const struct prow *p)
{
    int64_t until = objection_until(ctx, p->status, p->started);
    return (p->window && ctx->now < p->window ? PFACT_WINDOW_OPEN : 0) |
           (p->extended ? PFACT_EXTENDED : 0) |
           (until && ctx->now < until ? PFACT_OBJECTION_OPEN : 0);
}

int petition_apply(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                   const struct petition_actor *who, int64_t id, const char *action, json_t *body,
                   json_t **allowed, struct err *e)
{
    *allowed = NULL;
    struct prow p;
    if (load_row(db, a, id, &p) < 0)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "信访件不存在");
    const struct petition_step *s = petitionflow_find(action);
    unsigned facts = facts_of(ctx, &p);
    if (!s || !petitionflow_allows(s, p.status)) {
        *allowed = petitionflow_allowed_json(p.status, facts);
        if (!s)
            return err_set(e, ERR_NOT_FOUND, "unknown_action", "action", "没有名为 %s 的步骤",
                           action ? action : "");
        return err_set(e, ERR_CONFLICT, "illegal_transition", "action",
                       "当前状态（%s）不能进行“%s”", petitionflow_status_name(p.status), s->name);
    }
    if (!petitionflow_fits(s, facts)) {
        *allowed = petitionflow_allowed_json(p.status, facts);
        if (s->needs & PNEED_OBJECTION)
            return err_set(e, ERR_CONFLICT, "objection_window_closed", "action",
                           "转送后 %d 个工作日内才能提出异议（《信访工作条例》第23条）",
                           PETITION_OBJECTION_WORKDAYS);
        if (s->needs & PNEED_WINDOW)
            return err_set(e, ERR_CONFLICT, "request_window_closed", "action",
                           "已超过 %d 日的申请期限，不能再%s（《信访工作条例》第35、36条）",
                           PETITION_WINDOW_DAYS, s->name);
        return err_set(e, ERR_CONFLICT, "already_extended", "action",
                       "办理期限只能延长一次（《信访工作条例》第34条）");
    }
    static const char *const allowed_keys[] = {"reason", "note",    "outcome",
                                               "days",   "handler", NULL};
    const char *reason = NULL, *note = NULL, *outcome = NULL, *handler = NULL;
    int64_t days = 0;
    int present;
    if (jf_only(body, allowed_keys, e) < 0 ||
        jf_str(body, "reason", (s->needs & PNEED_REASON) != 0, 1000, &reason, e) < 0 ||
        jf_str(body, "note", (s->needs & PNEED_NOTE) != 0, 5000, &note, e) < 0 ||
        jf_str(body, "handler", (s->needs & PNEED_HANDLER) != 0, 100, &handler, e) < 0 ||
        jf_str(body, "outcome", (s->needs & PNEED_OUTCOME) != 0, 16, &outcome, e) < 0 ||
        jf_int(body, "days", (s->needs & PNEED_DAYS) != 0, 1, PETITION_MAX_EXTENSION_DAYS, &days,
               &present, e) < 0)
        return -1;
    if ((s->needs & PNEED_OUTCOME) && !petitionflow_outcome_name(outcome))
        return err_set(e, ERR_INVALID, "invalid_value", "outcome",
                       "outcome 应为 support（支持）、explain（解释说明）或 reject（不予支持）");

    const char *to = strcmp(s->to, PTO_SAME) == 0 ? p.status : s->to;
    int changes_status = strcmp(to, p.status) != 0;
    json_t *detail = json_object();
    /* The running node ends when the status changes: late if past its deadline. */
    int late = changes_status && p.node && p.deadline && ctx->now > p.deadline;
    struct petition_clock c = {p.node, p.started, p.deadline, p.yellow, p.window};
    if (changes_status)
        petitionclock_start(to, ctx->now, ctx->yellow_percent, &c);
    if (strcmp(action, "extend") == 0) {
        petitionclock_extend(&c, (int)days, ctx->yellow_percent);
        json_object_set_new(detail, "days", json_integer(days));
    }
    if (outcome) {
        json_object_set_new(detail, "outcome", json_string(outcome));
        json_object_set_new(detail, "outcome_name",
                            json_string(petitionflow_outcome_name(outcome)));
    }
    if (handler)
        json_object_set_new(detail, "handler", json_string(handler));
    if (late)
        json_object_set_new(detail, "late", json_true());
    if (c.deadline && c.node) {
        char iso[40];
        clock_format_iso(c.deadline, iso, sizeof(iso));
        json_object_set_new(detail, "deadline", json_string(iso));
    }
    if (c.window) {
        char iso[40];
        clock_format_iso(c.window, iso, sizeof(iso));
        json_object_set_new(detail, "window_until", json_string(iso));
    }
    int is_reply = strcmp(action, "reply") == 0;
    const char *text = note ? note : reason;
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE petition SET status = ?2, node = ?3, node_started_ms = ?4, deadline_ms = ?5, "
            "yellow_ms = ?6, window_ms = ?7, late = late OR ?8, "
            "extended_days = coalesce(?9, extended_days), "
            "supervised = supervised OR ?10, handler = coalesce(?11, handler), "
            "outcome = CASE WHEN ?12 = 'reply' THEN ?13 ELSE outcome END, "
            "review_outcome = CASE WHEN ?12 = 'review' THEN ?13 ELSE review_outcome END, "
            "recheck_outcome = CASE WHEN ?12 = 'recheck' THEN ?13 ELSE recheck_outcome END, "
            "result_text = CASE WHEN ?12 IN ('reply', 'review', 'recheck', 'refuse') THEN ?14 "
            "ELSE result_text END, "
            "accepted_ms = CASE WHEN ?12 = 'accept' THEN ?15 ELSE accepted_ms END, "
            "replied_ms = CASE WHEN ?12 = 'reply' THEN ?15 ELSE replied_ms END, "
            "on_time = CASE WHEN ?12 = 'reply' THEN ?16 ELSE on_time END, "
            "closed_ms = CASE WHEN ?2 IN ('closed', 'refused') THEN ?15 ELSE closed_ms END, "
            "updated_ms = ?15 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, to);
    db_bind_text(st, 3, c.node);
    if (c.node) {
        db_bind_int(st, 4, c.started);
        db_bind_int(st, 5, c.deadline);
        db_bind_int(st, 6, c.yellow);
    }
    if (c.window)
        db_bind_int(st, 7, c.window);
    db_bind_int(st, 8, late);
    if (days)
        db_bind_int(st, 9, days);
    db_bind_int(st, 10, strcmp(action, "supervise") == 0);
    db_bind_text(st, 11, handler);
    db_bind_text(st, 12, action);
    db_bind_text(st, 13, outcome);
    db_bind_text(st, 14, text);
    db_bind_int(st, 15, ctx->now);
    db_bind_int(st, 16, is_reply && !(p.deadline && ctx->now > p.deadline));
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(detail);
        return db_fail(db, e);
    }
    return timeline_add(db, ctx, who, id, action, p.status, to, text, detail, e);
}

int petition_mark_repeat(struct db *db, const struct petition_ctx *ctx,
                         const struct petition_actor *who, int64_t id, int64_t earlier,
                         struct err *e)
{
    if (earlier >= id)
        return err_set(e, ERR_INVALID, "out_of_range", "earlier", "重复信访应指向更早登记的信访件");
    char buf[24] = "";
    sqlite3_stmt *st = db_prepare(db, "SELECT status FROM petition WHERE id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, sizeof(buf), "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    st = db_prepare(db, "UPDATE petition SET repeat_of = ?2, updated_ms = ?3 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, earlier);
    db_bind_int(st, 3, ctx->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, e);
    return timeline_add(db, ctx, who, id, "mark_repeat", buf, buf, NULL,
                        json_pack("{s:I}", "repeat_of", (json_int_t)earlier), e);
}

/* ------------------------------------------------------------ reading */

static json_t *iso_or_null(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL || !sqlite3_column_int64(st, col))
        return json_null();
    char iso[40];
    clock_format_iso(sqlite3_column_int64(st, col), iso, sizeof(iso));
    return json_string(iso);
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
    const char *s = db_col_text_or_null(st, col);
    return s ? json_string(s) : json_null();
}

static json_t *int_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? json_null()
               : json_integer((json_int_t)sqlite3_column_int64(st, col));
}

static json_t *name_or_null(const char *name)
{
    return name ? json_string(name) : json_null();
}

#define ROW_COLS                                                                                   \
    "p.id, p.track_code, p.channel, p.category, p.title, p.status, p.node, p.deadline_ms, "        \
    "p.yellow_ms, p.supervised, p.level, p.repeat_of, p.received_ms, a.code, a.name, "             \
    "p.group_size, p.outcome, p.late, p.area_path, p.org_id, "                                     \
    "(SELECT group_concat(name, '、') FROM petitioner r WHERE r.petition_id = p.id), "            \
    "p.handler, p.window_ms, p.closed_ms "
#define ROW_FROM "FROM petition p JOIN area a ON a.id = p.area_id "

/* The columns every view shares, from a ROW_COLS row. */
static json_t *row_json(sqlite3_stmt *st, int64_t now)
{
    const char *channel = db_col_text(st, 2), *category = db_col_text(st, 3);
    const char *status = db_col_text(st, 5), *node = db_col_text_or_null(st, 6);
    const char *level = db_col_text(st, 10), *outcome = db_col_text_or_null(st, 16);
    int64_t deadline = sqlite3_column_int64(st, 7), yellow = sqlite3_column_int64(st, 8);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer((json_int_t)sqlite3_column_int64(st, 0)));
    json_object_set_new(o, "track_code", json_string(db_col_text(st, 1)));
    json_object_set_new(o, "channel", json_string(channel));
    json_object_set_new(o, "channel_name", name_or_null(petition_channel_name(channel)));
    json_object_set_new(o, "category", json_string(category));
    json_object_set_new(o, "category_name", name_or_null(petition_category_name(category)));
    json_object_set_new(o, "title", json_string(db_col_text(st, 4)));
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "status_name", name_or_null(petitionflow_status_name(status)));
    json_object_set_new(o, "open", json_boolean(petitionflow_is_open(status)));
    json_object_set_new(o, "node", node ? json_string(node) : json_null());
    json_object_set_new(o, "node_name", name_or_null(petitionclock_node_name(node)));
    json_object_set_new(o, "deadline", node ? iso_or_null(st, 7) : json_null());
    json_object_set_new(o, "light",
                        json_string(petitionclock_light(now, node ? deadline : 0, yellow)));
    json_object_set_new(o, "supervised", json_boolean(sqlite3_column_int(st, 9)));
    json_object_set_new(o, "level", json_string(level));
    json_object_set_new(o, "level_name", name_or_null(petition_level_name(level)));
    json_object_set_new(o, "repeat_of", int_or_null(st, 11));
    json_object_set_new(o, "received_at", iso_or_null(st, 12));
    json_object_set_new(o, "area",
                        json_pack("{s:s,s:s,s:s}", "code", db_col_text(st, 13), "name",
                                  db_col_text(st, 14), "path", db_col_text(st, 18)));
    json_object_set_new(o, "group_size", json_integer(sqlite3_column_int(st, 15)));
    json_object_set_new(o, "outcome", outcome ? json_string(outcome) : json_null());
    json_object_set_new(o, "outcome_name", name_or_null(petitionflow_outcome_name(outcome)));
    json_object_set_new(o, "late", json_boolean(sqlite3_column_int(st, 17)));
    json_object_set_new(o, "org_id", int_or_null(st, 19));
    json_object_set_new(o, "petitioner_names", text_or_null(st, 20));
    json_object_set_new(o, "handler", text_or_null(st, 21));
    json_object_set_new(o, "window_until", iso_or_null(st, 22));
    json_object_set_new(o, "closed_at", iso_or_null(st, 23));
    return o;
}

static json_t *timeline_json(struct db *db, int64_t id)
{
    json_t *out = json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT at_ms, actor, action, from_status, to_status, note, "
                                      "detail FROM petition_timeline WHERE petition_id = ? "
                                      "ORDER BY id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *action = db_col_text(st, 2), *to = db_col_text(st, 4);
        const struct petition_step *s = petitionflow_find(action);
        const char *aname = s                                    ? s->name
                            : strcmp(action, "register") == 0    ? "登记"
                            : strcmp(action, "rate") == 0        ? "信访人评价"
                            : strcmp(action, "mark_repeat") == 0 ? "认定重复信访"
                                                                 : action;
        const char *d = db_col_text_or_null(st, 6);
        json_t *detail = d ? json_loads(d, 0, NULL) : NULL;
        json_array_append_new(
            out, json_pack("{s:o,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o}", "at", iso_or_null(st, 0),
                           "actor", db_col_text(st, 1), "action", action, "action_name", aname,
                           "from", text_or_null(st, 3), "to", to, "to_name",
                           petitionflow_status_name(to) ? petitionflow_status_name(to) : to, "note",
                           text_or_null(st, 5), "detail", detail ? detail : json_object()));
    }
    sqlite3_reset(st);
    return out;
}

json_t *petition_to_json(struct db *db, struct arena *a, const struct petition_ctx *ctx, int64_t id)
{
    (void)a;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " ROW_COLS ", p.content, p.concerns, p.extended_days, p.review_outcome, "
            "p.recheck_outcome, p.result_text, p.rating_handling, p.rating_result, p.accepted_ms, "
            "p.replied_ms, p.on_time, p.reception_id, p.node_started_ms, "
            "(SELECT name FROM org WHERE id = p.org_id) " ROW_FROM "WHERE p.id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    json_t *o = row_json(st, ctx->now);
    const char *ro = db_col_text_or_null(st, 27), *rc = db_col_text_or_null(st, 28);
    const char *rh = db_col_text_or_null(st, 30), *rr = db_col_text_or_null(st, 31);
    json_object_set_new(o, "content", json_string(db_col_text(st, 24)));
    json_object_set_new(o, "concerns", text_or_null(st, 25));
    json_object_set_new(o, "extended_days", int_or_null(st, 26));
    json_object_set_new(o, "review_outcome", ro ? json_string(ro) : json_null());
    json_object_set_new(o, "review_outcome_name", name_or_null(petitionflow_outcome_name(ro)));
    json_object_set_new(o, "recheck_outcome", rc ? json_string(rc) : json_null());
    json_object_set_new(o, "recheck_outcome_name", name_or_null(petitionflow_outcome_name(rc)));
    json_object_set_new(o, "result_text", text_or_null(st, 29));
    json_object_set_new(o, "rating_handling", rh ? json_string(rh) : json_null());
    json_object_set_new(o, "rating_result", rr ? json_string(rr) : json_null());
    json_object_set_new(o, "accepted_at", iso_or_null(st, 32));
    json_object_set_new(o, "replied_at", iso_or_null(st, 33));
    json_object_set_new(o, "on_time",
                        sqlite3_column_type(st, 34) == SQLITE_NULL
                            ? json_null()
                            : json_boolean(sqlite3_column_int(st, 34)));
    json_object_set_new(o, "reception_id", int_or_null(st, 35));
    json_object_set_new(o, "node_started_at", iso_or_null(st, 36));
    json_object_set_new(o, "org_name", text_or_null(st, 37));
    struct prow p = {0};
    p.window = sqlite3_column_int64(st, 22);
    p.extended = sqlite3_column_type(st, 26) != SQLITE_NULL;
    p.status = json_string_value(json_object_get(o, "status"));
    p.started = sqlite3_column_int64(st, 36);
    int64_t until = objection_until(ctx, p.status, p.started);
    if (until) {
        char iso[40];
        clock_format_iso(until, iso, sizeof(iso));
        json_object_set_new(o, "objection_until", json_string(iso));
    }
    json_object_set_new(o, "allowed", petitionflow_allowed_json(p.status, facts_of(ctx, &p)));
    sqlite3_reset(st);

    json_t *people = json_array();
    st = db_prepare(db, "SELECT seq, person_id, name, id_mask, phone_mask, address FROM "
                        "petitioner WHERE petition_id = ? ORDER BY seq");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            people, json_pack("{s:i,s:o,s:s,s:o,s:o,s:o}", "seq", sqlite3_column_int(st, 0),
                              "person_id", int_or_null(st, 1), "name", db_col_text(st, 2),
                              "id_mask", text_or_null(st, 3), "phone_mask", text_or_null(st, 4),
                              "address", text_or_null(st, 5)));
    sqlite3_reset(st);
    json_object_set_new(o, "petitioners", people);
    json_t *att = json_array();
    st = db_prepare(db, "SELECT attachment_id FROM petition_attachment WHERE petition_id = ? "
                        "ORDER BY attachment_id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(att, json_integer((json_int_t)sqlite3_column_int64(st, 0)));
    sqlite3_reset(st);
    json_object_set_new(o, "attachments", att);
    json_object_set_new(o, "timeline", timeline_json(db, id));
    return o;
}

json_t *petition_reveal_json(struct db *db, const struct seal *seal, int64_t id, struct err *e)
{
    json_t *out = json_array();
    struct buf idb = BUF_INIT, phb = BUF_INIT;
    sqlite3_stmt *st = db_prepare(db, "SELECT seq, name, id_enc, phone_enc FROM petitioner "
                                      "WHERE petition_id = ? ORDER BY seq");
    db_bind_int(st, 1, id);
    int ok = 1;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        buf_reset(&idb);
        buf_reset(&phb);
        if ((sqlite3_column_type(st, 2) != SQLITE_NULL &&
             seal_decrypt(seal, sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
                          CTX_ID, &idb, e) < 0) ||
            (sqlite3_column_type(st, 3) != SQLITE_NULL &&
             seal_decrypt(seal, sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3),
                          CTX_PHONE, &phb, e) < 0)) {
            ok = 0;
            break;
        }
        json_array_append_new(out, json_pack("{s:i,s:s,s:o,s:o}", "seq", sqlite3_column_int(st, 0),
                                             "name", db_col_text(st, 1), "id_number",
                                             idb.len ? json_string(idb.ptr) : json_null(), "phone",
                                             phb.len ? json_string(phb.ptr) : json_null()));
    }
    sqlite3_reset(st);
    buf_release(&idb);
    buf_release(&phb);
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The light of a row as SQL (?N: now). */
#define LIGHT_SQL(now)                                                                             \
    "CASE WHEN p.node IS NULL THEN 'none' WHEN " now " >= p.deadline_ms THEN 'red' "               \
    "WHEN " now " >= p.yellow_ms THEN 'yellow' ELSE 'green' END"
#define LIST_WHERE                                                                                 \
    "WHERE p.area_path >= ?1 AND p.area_path < ?2 "                                                \
    "AND (?3 IS NULL OR p.status IN (SELECT value FROM json_each(?3))) "                           \
    "AND (?4 IS NULL OR " LIGHT_SQL(                                                               \
        "?5") " = ?4) "                                                                            \
              "AND (?6 = 0 OR (p.node IS NOT NULL AND p.deadline_ms <= ?5)) AND (?7 = 0 OR "       \
              "p.supervised) "                                                                     \
              "AND (?8 IS NULL OR instr(p.title, ?8) OR instr(p.content, ?8)) "                    \
              "AND (?9 = 0 OR p.received_ms >= ?9) AND (?10 = 0 OR p.received_ms < ?10) "

static void bind_list(sqlite3_stmt *st, struct arena *a, const struct petition_query *q,
                      const char *statuses_json, int64_t now)
{
    db_bind_text(st, 1, q->scope);
    db_bind_text(st, 2, area_path_upper(a, q->scope));
    db_bind_text(st, 3, statuses_json);
    db_bind_text(st, 4, q->light);
    db_bind_int(st, 5, now);
    db_bind_int(st, 6, q->overdue);
    db_bind_int(st, 7, q->supervised);
    db_bind_text(st, 8, q->q);
    db_bind_int(st, 9, q->from_ms);
    db_bind_int(st, 10, q->to_ms);
}

json_t *petition_list_json(struct db *db, struct arena *a, const struct petition_ctx *ctx,
                           const struct petition_query *q)
{
    const char *sj = NULL;
    if (q->statuses) {
        json_t *arr = json_array();
        const char *s = q->statuses;
        while (*s) {
            const char *c = strchr(s, ',');
            size_t n = c ? (size_t)(c - s) : strlen(s);
            json_array_append_new(arr, json_stringn(s, n));
            s += n + (c ? 1 : 0);
        }
        char *d = json_dumps(arr, JSON_COMPACT);
        sj = arena_strdup(a, d);
        free(d);
        json_decref(arr);
    }
    sqlite3_stmt *st;
    if (q->overdue)
        st = db_prepare(db, "SELECT " ROW_COLS ROW_FROM LIST_WHERE
                            "ORDER BY p.deadline_ms, p.id LIMIT ?11 OFFSET ?12");
    else
        st = db_prepare(db, "SELECT " ROW_COLS ROW_FROM LIST_WHERE
                            "ORDER BY p.id DESC LIMIT ?11 OFFSET ?12");
    bind_list(st, a, q, sj, ctx->now);
    db_bind_int(st, 11, q->limit);
    db_bind_int(st, 12, q->offset);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, row_json(st, ctx->now));
    sqlite3_reset(st);
    st = db_prepare(
        db, "SELECT count(*), "
            "coalesce(sum(" LIGHT_SQL("?5") " = 'green'), 0), "
                                            "coalesce(sum(" LIGHT_SQL(
                                                "?5") " = 'yellow'), 0), "
                                                      "coalesce(sum(" LIGHT_SQL(
                                                          "?5") " = 'red'), 0) "
                                                                "FROM petition p " LIST_WHERE);
    bind_list(st, a, q, sj, ctx->now);
    json_int_t total = 0, g = 0, y = 0, r = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        total = sqlite3_column_int64(st, 0);
        g = sqlite3_column_int64(st, 1);
        y = sqlite3_column_int64(st, 2);
        r = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    return json_pack("{s:o,s:I,s:{s:I,s:I,s:I}}", "items", items, "total", total, "counts", "green",
                     g, "yellow", y, "red", r);
}

struct cand {
    int64_t id;
    double sim;
    int same_person;
    const char *code, *title, *status;
};

static int by_sim(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    return a->sim < b->sim ? 1 : a->sim > b->sim ? -1 : (a->id > b->id) - (a->id < b->id);
}

json_t *petition_similar_json(struct db *db, struct arena *a, int64_t id, const char *scope,
                              double min_similarity, int limit)
{
    sqlite3_stmt *st =
        db_prepare(db, "SELECT title, content, area_path FROM petition WHERE id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return json_array();
    }
    const char *text = matter_text(a, db_col_text(st, 0), db_col_text(st, 1));
    /* Alike matters arise near each other: the candidates are the
     * petitions of the same village (or the same persons anywhere in scope). */
    const char *path = arena_strdup(a, db_col_text(st, 2));
    sqlite3_reset(st);
    const char *village = path;
    {
        /* /county/township/village/...: keep three ids. */
        int slashes = 0;
        const char *p = path;
        for (; *p; p++)
            if (*p == '/' && ++slashes == 4)
                break;
        village = arena_strndup(a, path, (size_t)(p - path) + (*p ? 1 : 0));
    }
    if (!area_path_within(scope, village))
        village = scope;
    st = db_prepare(
        db, "SELECT p.id, p.track_code, p.title, p.content, p.status, "
            "EXISTS (SELECT 1 FROM petitioner x JOIN petitioner y ON x.person_id = y.person_id "
            "WHERE x.petition_id = ?1 AND y.petition_id = p.id) AS same "
            "FROM petition p WHERE p.id <> ?1 AND ((p.area_path >= ?2 AND p.area_path < ?3) OR "
            "p.id IN (SELECT y.petition_id FROM petitioner x JOIN petitioner y ON "
            "x.person_id = y.person_id WHERE x.petition_id = ?1)) "
            "AND p.area_path >= ?4 AND p.area_path < ?5 ORDER BY p.id DESC LIMIT 2000");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, village);
    db_bind_text(st, 3, area_path_upper(a, village));
    db_bind_text(st, 4, scope);
    db_bind_text(st, 5, area_path_upper(a, scope));
    size_t n = 0, cap = 64;
    struct cand *c = arena_alloc(a, cap * sizeof(*c));
    while (sqlite3_step(st) == SQLITE_ROW) {
        double sim = dup_similarity(text, matter_text(a, db_col_text(st, 2), db_col_text(st, 3)));
        if (sim < min_similarity)
            continue;
        if (n == cap) {
            struct cand *m = arena_alloc(a, 2 * cap * sizeof(*c));
            memcpy(m, c, cap * sizeof(*c));
            c = m;
            cap *= 2;
        }
        c[n++] =
            (struct cand){sqlite3_column_int64(st, 0),         sim,
                          sqlite3_column_int(st, 5),           arena_strdup(a, db_col_text(st, 1)),
                          arena_strdup(a, db_col_text(st, 2)), arena_strdup(a, db_col_text(st, 4))};
    }
    sqlite3_reset(st);
    qsort(c, n, sizeof(*c), by_sim);
    json_t *out = json_array();
    for (size_t i = 0; i < n && (int)i < limit; i++)
        json_array_append_new(out,
                              json_pack("{s:I,s:s,s:s,s:f,s:b,s:s,s:s}", "id", (json_int_t)c[i].id,
                                        "track_code", c[i].code, "title", c[i].title, "similarity",
                                        (double)(int)(c[i].sim * 1000) / 1000, "same_person",
                                        c[i].same_person, "status", c[i].status, "status_name",
                                        petitionflow_status_name(c[i].status)));
    return out;
}

int petition_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, "SELECT area_path FROM petition WHERE id = ?", id, path);
}

int64_t petition_of_attachment(struct db *db, int64_t attachment_id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT petition_id FROM petition_attachment WHERE attachment_id = ? LIMIT 1");
    db_bind_int(st, 1, attachment_id);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

int64_t petition_find_by_code(struct db *db, const char *code)
{
    return db_id_by_text(db, "SELECT id FROM petition WHERE track_code = ?", code);
}

int petition_count_subject(struct db *db, const char *area_path, int64_t org_id, int64_t from_ms,
                           int64_t to_ms, int64_t now, long *received, long *overdue)
{
    struct arena a = ARENA_INIT;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT count(*), coalesce(sum(late OR (node IS NOT NULL AND deadline_ms <= ?6)), 0) "
            "FROM petition WHERE (?1 IS NULL OR (area_path >= ?1 AND area_path < ?2)) "
            "AND (?3 = 0 OR org_id = ?3) AND received_ms >= ?4 AND received_ms < ?5");
    db_bind_text(st, 1, area_path);
    db_bind_text(st, 2, area_path ? area_path_upper(&a, area_path) : NULL);
    db_bind_int(st, 3, org_id);
    db_bind_int(st, 4, from_ms);
    db_bind_int(st, 5, to_ms);
    db_bind_int(st, 6, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *received = (long)sqlite3_column_int64(st, 0);
        *overdue = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    arena_release(&a);
    return rc == SQLITE_ROW ? 0 : -1;
}
