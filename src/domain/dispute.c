#include "dispute.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/idnumber.h"
#include "domain/org.h"
#include "domain/person.h"
#include "domain/phone.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jsonfield.h"
#include "util/keyname.h"
#include "util/seal.h"

#define DAY_MS 86400000LL
#define CTX_ID "dispute_party.id_number"
#define CTX_PHONE "dispute_party.phone"
#define DISPUTE_DOMAIN "矛盾纠纷"

static const struct keyname statuses[] = {
    {"open", "化解中"}, {"controlled", "稳控中"}, {"resolved", "调解成功"}, {"failed", "调解不成"},
    {NULL, NULL},
};
static const struct keyname sources[] = {
    {"application", "依申请调解"},      {"initiative", "主动调解"},
    {"court", "法院委托移送"},          {"procuratorate", "检察院委托移送"},
    {"police", "公安机关委托移送"},     {"petition", "信访部门委托移送"},
    {"department", "其他部门委托移送"}, {"other", "其他"},
    {NULL, NULL},
};
static const struct keyname origins[] = {
    {"screening", "排查发现"}, {"event", "事件转入"}, {"direct", "直接登记"}, {NULL, NULL},
};
static const struct keyname scales[] = {
    {"ordinary", "一般"}, {"major", "较大"}, {"mass", "群体性"}, {NULL, NULL},
};
static const struct keyname sides[] = {
    {"applicant", "申请人"}, {"respondent", "被申请人"}, {"other", "其他当事人"}, {NULL, NULL},
};
static const struct keyname routes[] = {
    {"arbitration", "仲裁"}, {"administrative", "行政途径"}, {"litigation", "诉讼"}, {NULL, NULL},
};
static const struct keyname joint_units[] = {
    {"police", "派出所"}, {"judicial", "司法所"}, {"court", "人民法庭"}, {NULL, NULL},
};

const char *dispute_status_name(const char *s)
{
    return keyname_name(statuses, s);
}
const char *dispute_source_name(const char *s)
{
    return keyname_name(sources, s);
}
const char *dispute_scale_name(const char *s)
{
    return keyname_name(scales, s);
}

static int one_of(const struct keyname *t, const char *v, const char *field, struct err *e)
{
    if (!v || keyname_name(t, v))
        return 0;
    struct buf b = BUF_INIT;
    for (const struct keyname *k = t; k->key; k++)
        buf_addf(&b, "%s%s", k == t ? "" : "、", k->key);
    err_set(e, ERR_INVALID, "invalid_choice", field, "字段 %s 应为 %s 之一", field, b.ptr);
    buf_release(&b);
    return -1;
}

/* ---- input -------------------------------------------------------------- */

static const char *const party_field[DISPUTE_MAX_PARTIES] = {
    "parties[0]",  "parties[1]",  "parties[2]",  "parties[3]",  "parties[4]",
    "parties[5]",  "parties[6]",  "parties[7]",  "parties[8]",  "parties[9]",
    "parties[10]", "parties[11]", "parties[12]", "parties[13]", "parties[14]",
    "parties[15]", "parties[16]", "parties[17]", "parties[18]", "parties[19]",
};

static int party_from_json(json_t *p, size_t i, const char *today,
                           struct dispute_party_input *out, struct err *e)
{
    static const char *const allowed[] = {"side", "person_id", "org_id", "name",
                                          "id_number", "phone", NULL};
    const char *field = party_field[i];
    memset(out, 0, sizeof(*out));
    if (!json_is_object(p))
        return err_set(e, ERR_INVALID, "invalid_type", field,
                       "当事人应为 {side, person_id | org_id | name, id_number, phone}");
    const char *idn = NULL, *ph = NULL;
    int has;
    if (jf_only(p, allowed, e) < 0 || jf_str(p, "side", 1, 16, &out->side, e) < 0 ||
        jf_int(p, "person_id", 0, 1, INT64_MAX, &out->person_id, &has, e) < 0 ||
        jf_int(p, "org_id", 0, 1, INT64_MAX, &out->org_id, &has, e) < 0 ||
        jf_str(p, "name", 0, 64, &out->name, e) < 0 || jf_str(p, "id_number", 0, 20, &idn, e) < 0 ||
        jf_str(p, "phone", 0, 24, &ph, e) < 0 || one_of(sides, out->side, "side", e) < 0) {
        e->field = field;
        return -1;
    }
    int links = (out->person_id > 0) + (out->org_id > 0) + (out->name != NULL);
    if (links != 1)
        return err_set(e, ERR_INVALID, "invalid_party", field,
                       "当事人应关联实有人口 person_id、组织 org_id，或填写姓名 name（三者选一）");
    if ((idn || ph) && !out->name)
        return err_set(e, ERR_INVALID, "invalid_party", field,
                       "已关联登记的当事人不再录入身份证号或电话，以人口库为准");
    if (idn) {
        struct idnumber id;
        if (idnumber_parse_at(idn, today, &id, field, e) < 0)
            return -1;
        memcpy(out->id_number, id.id, sizeof(out->id_number));
    }
    if (ph && phone_parse(ph, out->phone, field, e) < 0)
        return -1;
    return 0;
}

int dispute_from_json(json_t *body, const char *today, struct dispute_input *in, struct err *e)
{
    static const char *const allowed[] = {
        "origin",  "source",  "type",     "title",       "summary",  "scale",        "area",
        "address", "mediator", "people_count", "org_id", "event_id", "occurred_at", "parties",
        "risk_criminal", "risk_mass", NULL};
    memset(in, 0, sizeof(*in));
    int has;
    const char *occurred = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "origin", 1, 16, &in->origin, e) < 0 ||
        jf_str(body, "source", 1, 16, &in->source, e) < 0 ||
        jf_str(body, "type", 1, 32, &in->type, e) < 0 ||
        jf_str(body, "title", 1, 60, &in->title, e) < 0 ||
        jf_str(body, "summary", 1, 2000, &in->summary, e) < 0 ||
        jf_str(body, "scale", 0, 16, &in->scale, e) < 0 ||
        jf_str(body, "area", 0, 32, &in->area, e) < 0 ||
        jf_str(body, "address", 0, 200, &in->address, e) < 0 ||
        jf_str(body, "mediator", 0, 32, &in->mediator, e) < 0 ||
        jf_int(body, "people_count", 0, 1, 100000, &in->people_count, &has, e) < 0 ||
        jf_int(body, "org_id", 0, 1, INT64_MAX, &in->org_id, &has, e) < 0 ||
        jf_int(body, "event_id", 0, 1, INT64_MAX, &in->event_id, &has, e) < 0 ||
        jf_str(body, "occurred_at", 0, 32, &occurred, e) < 0 ||
        jf_bool(body, "risk_criminal", 0, &in->risk_criminal, &has, e) < 0 ||
        jf_bool(body, "risk_mass", 0, &in->risk_mass, &has, e) < 0)
        return -1;
    if (one_of(origins, in->origin, "origin", e) < 0 || one_of(sources, in->source, "source", e) < 0)
        return -1;
    if (!in->scale)
        in->scale = "ordinary";
    if (one_of(scales, in->scale, "scale", e) < 0)
        return -1;
    if (!in->people_count)
        in->people_count = 2;
    if (occurred && clock_parse_iso(occurred, &in->occurred_ms) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "occurred_at",
                       "发生时间 occurred_at 应为 YYYY-MM-DD 或 ISO 8601 时间");
    if (strcmp(in->origin, "event") == 0 && !in->event_id)
        return err_set(e, ERR_INVALID, "missing_field", "event_id",
                       "由事件转入的纠纷须指明事件 event_id");
    if (strcmp(in->origin, "event") != 0 && in->event_id)
        return err_set(e, ERR_INVALID, "event_not_allowed", "event_id",
                       "只有来源为事件转入（origin = event）的纠纷关联事件");
    if (!in->area && !in->event_id)
        return err_set(e, ERR_INVALID, "missing_field", "area", "请填写纠纷发生地 area（村或网格编码）");
    json_t *ps = json_object_get(body, "parties");
    if (!ps || json_is_null(ps))
        return err_set(e, ERR_INVALID, "missing_field", "parties", "请填写当事人 parties");
    if (!json_is_array(ps))
        return err_set(e, ERR_INVALID, "invalid_type", "parties", "当事人 parties 应为数组");
    if (json_array_size(ps) < 1 || json_array_size(ps) > DISPUTE_MAX_PARTIES)
        return err_set(e, ERR_INVALID, "invalid_parties", "parties", "当事人 parties 应为 1–%d 人",
                       DISPUTE_MAX_PARTIES);
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        if (party_from_json(p, i, today, &in->parties[i], e) < 0)
            return -1;
    }
    in->n_parties = json_array_size(ps);
    return 0;
}

/* ---- tiers ---------------------------------------------------------------- */

struct tier {
    char tier[16], name[32], level[32];
    int ord, limit_days;
};

static int load_tiers(struct db *db, struct tier *t, int max)
{
    sqlite3_stmt *st =
        db_prepare(db, "SELECT tier, ord, name, level, limit_days FROM dispute_tier ORDER BY ord");
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(t[n].tier, sizeof(t[n].tier), "%s", db_col_text(st, 0));
        t[n].ord = sqlite3_column_int(st, 1);
        snprintf(t[n].name, sizeof(t[n].name), "%s", db_col_text(st, 2));
        snprintf(t[n].level, sizeof(t[n].level), "%s", db_col_text(st, 3));
        t[n].limit_days = sqlite3_column_int(st, 4);
        n++;
    }
    sqlite3_reset(st);
    return n;
}

static int setting(struct db *db, const char *name, int def)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT value FROM dispute_setting WHERE name = ?");
    db_bind_text(st, 1, name);
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : def;
    sqlite3_reset(st);
    return v;
}

/* The ancestor (or self) of the area at path whose level is level: its id,
 * or 0. The ids are in the path; each is one primary-key look-up. */
static int64_t ancestor_at(struct db *db, const char *path, const char *level)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT level FROM area WHERE id = ?");
    const char *p = path;
    int64_t found = 0;
    while (*p == '/') {
        char *end;
        long long id = strtoll(p + 1, &end, 10);
        if (end == p + 1 || *end != '/')
            break;
        db_bind_int(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW && strcmp(db_col_text(st, 0), level) == 0)
            found = id;
        sqlite3_reset(st);
        if (found)
            break;
        p = end;
    }
    return found;
}

/* The first tier from index i on (by ord) that has an area on path; its
 * index, with *area the area; -1 if none. */
static int tier_from(struct db *db, const struct tier *t, int n, int i, const char *path,
                     int64_t *area)
{
    for (; i < n; i++)
        if ((*area = ancestor_at(db, path, t[i].level)) > 0)
            return i;
    return -1;
}

static int tier_index(const struct tier *t, int n, const char *tier)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].tier, tier) == 0)
            return i;
    return -1;
}

/* ---- timeline --------------------------------------------------------------- */

static int timeline(struct db *db, int64_t id, int64_t now, const struct dispute_actor *who,
                    const char *action, const char *from, const char *to, const char *tier,
                    const char *note, json_t *detail, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO dispute_timeline (dispute_id, at_ms, account_id, actor, action, "
            "from_status, to_status, tier, note, detail) VALUES (?,?,?,?,?,?,?,?,?,?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    if (who->account_id)
        db_bind_int(st, 3, who->account_id);
    db_bind_text(st, 4, who->username ? who->username : "system");
    db_bind_text(st, 5, action);
    db_bind_text(st, 6, from);
    db_bind_text(st, 7, to);
    db_bind_text(st, 8, tier);
    db_bind_text(st, 9, note);
    char *d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    db_bind_text(st, 10, d);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(d);
    json_decref(detail);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

/* ---- create ------------------------------------------------------------------ */

static int name_of(struct db *db, const char *sql, int64_t id, struct arena *a, const char **out)
{
    sqlite3_stmt *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = arena_strdup(a, db_col_text(st, 0));
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/* A registry person or organisation the caller may see: its name. */
static int linked(struct db *db, struct arena *a, const struct dispute_actor *who, int is_org,
                  int64_t id, const char *field, const char **name, struct err *e)
{
    const char *path;
    int rc = is_org ? org_area_path(db, a, id, &path) : person_area_path(db, a, id, &path);
    if (rc < 0 || !area_path_within(who->scope_path, path) ||
        name_of(db, is_org ? "SELECT name FROM org WHERE id = ?" : "SELECT name FROM person WHERE id = ?",
                id, a, name) < 0)
        return err_set(e, ERR_NOT_FOUND, is_org ? "org_not_found" : "person_not_found", field,
                       "%s %lld 不存在或不在您的管辖范围内", is_org ? "组织" : "人员", (long long)id);
    return 0;
}

static int add_party(struct db *db, const struct seal *seal, int64_t dispute,
                     const struct dispute_party_input *p, const char *name, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO dispute_party (dispute_id, side, person_id, org_id, name, id_enc, "
            "id_mask, phone_enc, phone_mask) VALUES (?,?,?,?,?,?,?,?,?)");
    struct buf idb = BUF_INIT, phb = BUF_INIT;
    char idmask[19], phmask[40];
    db_bind_int(st, 1, dispute);
    db_bind_text(st, 2, p->side);
    if (p->person_id)
        db_bind_int(st, 3, p->person_id);
    if (p->org_id)
        db_bind_int(st, 4, p->org_id);
    db_bind_text(st, 5, name);
    if (p->id_number[0]) {
        seal_encrypt(seal, p->id_number, strlen(p->id_number), CTX_ID, &idb);
        idnumber_mask(p->id_number, idmask);
        sqlite3_bind_blob(st, 6, idb.ptr, (int)idb.len, SQLITE_TRANSIENT);
        db_bind_text(st, 7, idmask);
    }
    if (p->phone[0]) {
        seal_encrypt(seal, p->phone, strlen(p->phone), CTX_PHONE, &phb);
        phone_mask(p->phone, phmask, sizeof(phmask));
        sqlite3_bind_blob(st, 8, phb.ptr, (int)phb.len, SQLITE_TRANSIENT);
        db_bind_text(st, 9, phmask);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    buf_release(&idb);
    buf_release(&phb);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

int64_t dispute_create(struct db *db, struct arena *a, const struct seal *seal,
                       const struct dispute_actor *who, const struct dispute_input *in, int64_t now,
                       struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM dispute_type WHERE code = ? AND active = 1");
    db_bind_text(st, 1, in->type);
    int known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (!known)
        return err_set(e, ERR_INVALID, "unknown_dispute_type", "type", "纠纷类型 %s 不存在", in->type);

    struct area place = {0};
    if (in->event_id) {
        /* The router has checked the event's scope (body_ref). */
        st = db_prepare(db, "SELECT a.code, c.domain FROM event ev JOIN area a ON a.id = ev.area_id "
                            "LEFT JOIN category c ON c.minor = ev.minor WHERE ev.id = ?");
        db_bind_int(st, 1, in->event_id);
        int found = sqlite3_step(st) == SQLITE_ROW;
        const char *code = found ? arena_strdup(a, db_col_text(st, 0)) : NULL;
        int is_dispute = found && strcmp(db_col_text(st, 1), DISPUTE_DOMAIN) == 0;
        sqlite3_reset(st);
        if (!found)
            return err_set(e, ERR_NOT_FOUND, "not_found", "event_id", "事件不存在");
        if (!is_dispute)
            return err_set(e, ERR_INVALID, "event_not_dispute", "event_id",
                           "该事件不属于矛盾纠纷类别，不能转为纠纷");
        if (!in->area && area_get(db, a, code, &place) < 0)
            return err_set(e, ERR_NOT_FOUND, "area_not_found", "area", "区域不存在");
    }
    if (in->area) {
        /* The router has checked the area's scope (body_area). */
        if (area_get(db, a, in->area, &place) < 0)
            return err_set(e, ERR_NOT_FOUND, "area_not_found", "area", "区域 %s 不存在", in->area);
    }
    if (place.retired_ms)
        return err_set(e, ERR_INVALID, "area_retired", "area", "区域 %s 已撤销", place.code);
    struct tier tiers[8];
    int nt = load_tiers(db, tiers, 8);
    int vi = tier_index(tiers, nt, "village");
    if (vi < 0 || ancestor_at(db, place.path, tiers[vi].level) == 0)
        return err_set(e, ERR_INVALID, "area_too_high", "area",
                       "纠纷发生地应为村（社区）、网格或微网格，而 %s 是%s", place.name,
                       place.level_name ? place.level_name : place.level);
    int64_t tier_area = 0;
    int ti = tier_from(db, tiers, nt, 0, place.path, &tier_area);
    if (ti < 0)
        return err_set(e, ERR_INTERNAL, "no_tier", "area", "找不到受理层级");

    const char *org_name = NULL;
    if (in->org_id && linked(db, a, who, 1, in->org_id, "org_id", &org_name, e) < 0)
        return -1;
    const char *names[DISPUTE_MAX_PARTIES];
    for (size_t i = 0; i < in->n_parties; i++) {
        const struct dispute_party_input *p = &in->parties[i];
        names[i] = p->name;
        if (p->person_id && linked(db, a, who, 0, p->person_id, party_field[i], &names[i], e) < 0)
            return -1;
        if (p->org_id && linked(db, a, who, 1, p->org_id, party_field[i], &names[i], e) < 0)
            return -1;
    }

    st = db_prepare(
        db, "INSERT INTO dispute (origin, source, type, title, summary, scale, people_count, "
            "area_id, area_path, org_id, event_id, address, occurred_ms, tier, tier_area_id, "
            "tier_started_ms, tier_deadline_ms, status, mediator, risk_criminal, risk_mass, "
            "created_by, created_ms, updated_ms) "
            "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,'open',?18,?19,?20,"
            "?21,?16,?16)");
    db_bind_text(st, 1, in->origin);
    db_bind_text(st, 2, in->source);
    db_bind_text(st, 3, in->type);
    db_bind_text(st, 4, in->title);
    db_bind_text(st, 5, in->summary);
    db_bind_text(st, 6, in->scale);
    db_bind_int(st, 7, in->people_count);
    db_bind_int(st, 8, place.id);
    db_bind_text(st, 9, place.path);
    if (in->org_id)
        db_bind_int(st, 10, in->org_id);
    if (in->event_id)
        db_bind_int(st, 11, in->event_id);
    db_bind_text(st, 12, in->address);
    if (in->occurred_ms)
        db_bind_int(st, 13, in->occurred_ms);
    db_bind_text(st, 14, tiers[ti].tier);
    db_bind_int(st, 15, tier_area);
    db_bind_int(st, 16, now);
    db_bind_int(st, 17, now + tiers[ti].limit_days * DAY_MS);
    db_bind_text(st, 18, in->mediator);
    db_bind_int(st, 19, in->risk_criminal);
    db_bind_int(st, 20, in->risk_mass);
    if (who->account_id)
        db_bind_int(st, 21, who->account_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    for (size_t i = 0; i < in->n_parties; i++)
        if (add_party(db, seal, id, &in->parties[i], names[i], e) < 0)
            return -1;
    json_t *detail = json_pack("{s:s,s:s,s:s}", "origin", in->origin, "source", in->source,
                               "area", place.code);
    if (in->event_id)
        json_object_set_new(detail, "event_id", json_integer(in->event_id));
    if (timeline(db, id, now, who, "create", NULL, "open", tiers[ti].tier, NULL, detail, e) < 0)
        return -1;
    if ((in->risk_criminal || in->risk_mass) &&
        timeline(db, id, now, who, "risk", "open", "open", tiers[ti].tier, NULL,
                 json_pack("{s:b,s:b}", "criminal", in->risk_criminal, "mass", in->risk_mass),
                 e) < 0)
        return -1;
    return id;
}

/* ---- actions ------------------------------------------------------------------ */

struct state {
    char status[16], tier[16], area_path[512];
    int64_t court_due, court_done, closed, followup_done, agreement_ms;
    int risk_criminal, risk_mass;
};

static int load_state(struct db *db, int64_t id, struct state *s)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT status, tier, area_path, court_due_ms, court_done_ms, closed_ms, "
            "followup_done_ms, agreement_ms, risk_criminal, risk_mass FROM dispute WHERE id = ?");
    db_bind_int(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(s->status, sizeof(s->status), "%s", db_col_text(st, 0));
        snprintf(s->tier, sizeof(s->tier), "%s", db_col_text(st, 1));
        snprintf(s->area_path, sizeof(s->area_path), "%s", db_col_text(st, 2));
        s->court_due = sqlite3_column_int64(st, 3);
        s->court_done = sqlite3_column_int64(st, 4);
        s->closed = sqlite3_column_int64(st, 5);
        s->followup_done = sqlite3_column_int64(st, 6);
        s->agreement_ms = sqlite3_column_int64(st, 7);
        s->risk_criminal = sqlite3_column_int(st, 8);
        s->risk_mass = sqlite3_column_int(st, 9);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

static int active(const struct state *s)
{
    return strcmp(s->status, "open") == 0 || strcmp(s->status, "controlled") == 0;
}

static int illegal(struct err *e, const char *action, const struct state *s)
{
    return err_set(e, ERR_CONFLICT, "illegal_transition", NULL, "纠纷当前状态为%s，不能执行 %s",
                   dispute_status_name(s->status), action);
}

static int exec_update(struct db *db, sqlite3_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

/* Moves the dispute to the next tier that has an area on its path. */
static int escalate(struct db *db, const struct dispute_actor *who, int64_t id,
                    const struct state *s, const char *reason, int64_t now, struct err *e)
{
    struct tier tiers[8];
    int nt = load_tiers(db, tiers, 8);
    int cur = tier_index(tiers, nt, s->tier);
    int64_t area = 0;
    int next = cur < 0 ? -1 : tier_from(db, tiers, nt, cur + 1, s->area_path, &area);
    if (next < 0)
        return err_set(e, ERR_CONFLICT, "top_tier", NULL, "已在最高层级（%s），不能再上交",
                       cur >= 0 ? tiers[cur].name : s->tier);
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET tier = ?2, tier_area_id = ?3, tier_started_ms = ?4, "
            "tier_deadline_ms = ?5, status = 'open', updated_ms = ?4 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, tiers[next].tier);
    db_bind_int(st, 3, area);
    db_bind_int(st, 4, now);
    db_bind_int(st, 5, now + tiers[next].limit_days * DAY_MS);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, who->account_id ? "escalate" : "auto_escalate", s->status,
                    "open", tiers[next].tier, reason,
                    json_pack("{s:s,s:s}", "from_tier", s->tier, "to_tier", tiers[next].tier), e);
}

static int64_t amount_cents(json_t *body, int *has, struct err *e)
{
    json_t *v = json_object_get(body, "amount");
    *has = v && !json_is_null(v);
    if (!*has)
        return 0;
    if (!json_is_number(v))
        return err_set(e, ERR_INVALID, "invalid_type", "amount", "协议金额 amount 应为数字（元）");
    double x = json_number_value(v);
    if (!(x >= 0 && x <= 1e10))
        return err_set(e, ERR_INVALID, "out_of_range", "amount", "协议金额 amount 应在 0 到 100 亿元之间");
    return (int64_t)llround(x * 100);
}

static int act_agree(struct db *db, const struct dispute_actor *who, int64_t id,
                     const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"form", "amount", "terms", "court_confirm", "note", NULL};
    const char *form, *terms, *note;
    int court = 0, has;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "form", 1, 8, &form, e) < 0 ||
        jf_str(body, "terms", 1, 4000, &terms, e) < 0 || jf_str(body, "note", 0, 500, &note, e) < 0 ||
        jf_bool(body, "court_confirm", 0, &court, &has, e) < 0)
        return -1;
    if (strcmp(form, "oral") && strcmp(form, "written"))
        return err_set(e, ERR_INVALID, "invalid_choice", "form", "协议形式 form 应为 oral（口头）或 written（书面）");
    if (court && strcmp(form, "written"))
        return err_set(e, ERR_INVALID, "court_needs_written", "court_confirm",
                       "只有书面调解协议可以申请司法确认");
    int64_t cents = amount_cents(body, &has, e);
    if (cents < 0)
        return -1;
    int followup = setting(db, "followup_days", 15);
    int court_days = setting(db, "court_confirm_days", 30);
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET status = 'resolved', agreement_form = ?2, amount_cents = ?3, "
            "terms = ?4, agreement_ms = ?5, court_due_ms = ?6, outcome_note = ?7, closed_ms = ?5, "
            "tier_deadline_ms = NULL, followup_due_ms = ?8, updated_ms = ?5 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, form);
    if (has)
        db_bind_int(st, 3, cents);
    db_bind_text(st, 4, terms);
    db_bind_int(st, 5, now);
    if (court)
        db_bind_int(st, 6, now + court_days * DAY_MS);
    db_bind_text(st, 7, note);
    db_bind_int(st, 8, now + followup * DAY_MS);
    if (exec_update(db, st, e) < 0)
        return -1;
    json_t *d = json_pack("{s:s,s:b}", "form", form, "court_confirm", court);
    if (has)
        json_object_set_new(d, "amount_cents", json_integer(cents));
    return timeline(db, id, now, who, "agree", s->status, "resolved", s->tier, note, d, e);
}

static int act_fail(struct db *db, const struct dispute_actor *who, int64_t id,
                    const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"routes", "note", NULL};
    const char *note;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "note", 1, 1000, &note, e) < 0)
        return -1;
    json_t *r = json_object_get(body, "routes");
    if (!r || !json_is_array(r) || json_array_size(r) == 0 || json_array_size(r) > 3)
        return err_set(e, ERR_INVALID, "missing_field", "routes",
                       "调解不成须告知当事人的途径 routes：arbitration、administrative、litigation 中至少一项");
    struct buf list = BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(r, i, v)
    {
        const char *k = json_string_value(v);
        if (!k || !keyname_name(routes, k)) {
            buf_release(&list);
            return err_set(e, ERR_INVALID, "invalid_choice", "routes",
                           "途径应为 arbitration（仲裁）、administrative（行政）或 litigation（诉讼）");
        }
        buf_addf(&list, "%s%s", i ? "," : "", k);
    }
    int followup = setting(db, "followup_days", 15);
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET status = 'failed', failure_routes = ?2, outcome_note = ?3, "
            "closed_ms = ?4, tier_deadline_ms = NULL, followup_due_ms = ?5, updated_ms = ?4 "
            "WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, list.ptr);
    db_bind_text(st, 3, note);
    db_bind_int(st, 4, now);
    db_bind_int(st, 5, now + followup * DAY_MS);
    int rc = exec_update(db, st, e);
    json_t *d = json_pack("{s:s}", "routes", list.ptr);
    buf_release(&list);
    if (rc < 0) {
        json_decref(d);
        return -1;
    }
    return timeline(db, id, now, who, "fail", s->status, "failed", s->tier, note, d, e);
}

static int act_session(struct db *db, const struct dispute_actor *who, int64_t id,
                       const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"held_at", "place", "mediators", "attendees", "notes",
                                          NULL};
    const char *held = NULL, *place, *mediators, *attendees, *notes;
    int64_t held_ms = now;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "held_at", 0, 32, &held, e) < 0 ||
        jf_str(body, "place", 0, 100, &place, e) < 0 ||
        jf_str(body, "mediators", 1, 200, &mediators, e) < 0 ||
        jf_str(body, "attendees", 0, 500, &attendees, e) < 0 ||
        jf_str(body, "notes", 1, 4000, &notes, e) < 0)
        return -1;
    if (held && clock_parse_iso(held, &held_ms) < 0)
        return err_set(e, ERR_INVALID, "invalid_date", "held_at", "调解时间 held_at 应为 ISO 8601 时间");
    if (held_ms > now + DAY_MS)
        return err_set(e, ERR_INVALID, "in_future", "held_at", "调解时间不能晚于今天");
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO dispute_session (dispute_id, held_ms, place, mediators, attendees, notes, "
            "account_id, created_ms) VALUES (?,?,?,?,?,?,?,?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, held_ms);
    db_bind_text(st, 3, place);
    db_bind_text(st, 4, mediators);
    db_bind_text(st, 5, attendees);
    db_bind_text(st, 6, notes);
    if (who->account_id)
        db_bind_int(st, 7, who->account_id);
    db_bind_int(st, 8, now);
    if (exec_update(db, st, e) < 0)
        return -1;
    int64_t sid = sqlite3_last_insert_rowid(db_handle(db));
    st = db_prepare(db, "UPDATE dispute SET updated_ms = ?2 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "session", s->status, s->status, s->tier, NULL,
                    json_pack("{s:I,s:s}", "session", (json_int_t)sid, "mediators", mediators), e);
}

static int act_control(struct db *db, const struct dispute_actor *who, int64_t id,
                       const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"person", "measures", NULL};
    const char *person, *measures;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "person", 1, 32, &person, e) < 0 ||
        jf_str(body, "measures", 1, 1000, &measures, e) < 0)
        return -1;
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET status = 'controlled', control_person = ?2, control_measures = ?3, "
            "tier_deadline_ms = NULL, updated_ms = ?4 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, person);
    db_bind_text(st, 3, measures);
    db_bind_int(st, 4, now);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "control", s->status, "controlled", s->tier, measures,
                    json_pack("{s:s}", "person", person), e);
}

/* Back from 稳控 to mediation: the tier's clock starts again. */
static int act_resume(struct db *db, const struct dispute_actor *who, int64_t id,
                      const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"note", NULL};
    const char *note;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "note", 0, 500, &note, e) < 0)
        return -1;
    struct tier tiers[8];
    int nt = load_tiers(db, tiers, 8);
    int cur = tier_index(tiers, nt, s->tier);
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET status = 'open', tier_started_ms = ?2, tier_deadline_ms = ?3, "
            "updated_ms = ?2 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, now + (cur >= 0 ? tiers[cur].limit_days : 7) * DAY_MS);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "resume", s->status, "open", s->tier, note, NULL, e);
}

static int act_risk(struct db *db, const struct dispute_actor *who, int64_t id,
                    const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"criminal", "mass", "note", NULL};
    int criminal, mass, has;
    const char *note;
    if (jf_only(body, allowed, e) < 0 || jf_bool(body, "criminal", 1, &criminal, &has, e) < 0 ||
        jf_bool(body, "mass", 1, &mass, &has, e) < 0 || jf_str(body, "note", 0, 500, &note, e) < 0)
        return -1;
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET risk_criminal = ?2, risk_mass = ?3, risk_note = ?4, updated_ms = ?5 "
            "WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, criminal);
    db_bind_int(st, 3, mass);
    db_bind_text(st, 4, note);
    db_bind_int(st, 5, now);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "risk", s->status, s->status, s->tier, note,
                    json_pack("{s:b,s:b}", "criminal", criminal, "mass", mass), e);
}

static int act_joint(struct db *db, const struct dispute_actor *who, int64_t id,
                     const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"participants", NULL};
    if (jf_only(body, allowed, e) < 0)
        return -1;
    json_t *ps = json_object_get(body, "participants");
    if (!ps || !json_is_array(ps) || json_array_size(ps) == 0 || json_array_size(ps) > 20)
        return err_set(e, ERR_INVALID, "missing_field", "participants",
                       "请填写两所一庭联调的参加人 participants（1–20 人）");
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        static const char *const pallowed[] = {"unit", "name", NULL};
        const char *unit, *name;
        if (!json_is_object(p) || jf_only(p, pallowed, e) < 0 ||
            jf_str(p, "unit", 1, 16, &unit, e) < 0 || jf_str(p, "name", 1, 32, &name, e) < 0 ||
            one_of(joint_units, unit, "unit", e) < 0) {
            err_set(e, ERR_INVALID, "invalid_type", "participants",
                    "参加人应为 {unit: police | judicial | court, name}");
            e->field = "participants";
            return -1;
        }
    }
    char *j = json_dumps(ps, JSON_COMPACT);
    sqlite3_stmt *st = db_prepare(db, "UPDATE dispute SET joint = ?2, updated_ms = ?3 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, j);
    db_bind_int(st, 3, now);
    free(j);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "joint", s->status, s->status, s->tier, NULL,
                    json_pack("{s:O}", "participants", ps), e);
}

static int act_court(struct db *db, const struct dispute_actor *who, int64_t id,
                     const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"result", "note", NULL};
    const char *result, *note;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "result", 1, 16, &result, e) < 0 ||
        jf_str(body, "note", 0, 500, &note, e) < 0)
        return -1;
    if (strcmp(result, "confirmed") && strcmp(result, "rejected") && strcmp(result, "not_applied"))
        return err_set(e, ERR_INVALID, "invalid_choice", "result",
                       "司法确认结果 result 应为 confirmed、rejected 或 not_applied");
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET court_result = ?2, court_done_ms = ?3, updated_ms = ?3 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, result);
    db_bind_int(st, 3, now);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "court", s->status, s->status, s->tier, note,
                    json_pack("{s:s}", "result", result), e);
}

static int act_followup(struct db *db, const struct dispute_actor *who, int64_t id,
                        const struct state *s, json_t *body, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"note", "satisfied", NULL};
    const char *note;
    int satisfied, has;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "note", 1, 1000, &note, e) < 0 ||
        jf_bool(body, "satisfied", 1, &satisfied, &has, e) < 0)
        return -1;
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE dispute SET followup_done_ms = ?2, followup_note = ?3, followup_satisfied = ?4, "
            "updated_ms = ?2 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, note);
    db_bind_int(st, 4, satisfied);
    if (exec_update(db, st, e) < 0)
        return -1;
    return timeline(db, id, now, who, "followup", s->status, s->status, s->tier, note,
                    json_pack("{s:b}", "satisfied", satisfied), e);
}

int dispute_apply(struct db *db, struct arena *a, const struct dispute_actor *who, int64_t id,
                  const char *action, json_t *body, int64_t now, struct err *e)
{
    (void)a;
    struct state s;
    if (load_state(db, id, &s) < 0)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "纠纷不存在");
    if (strcmp(action, "session") == 0)
        return active(&s) ? act_session(db, who, id, &s, body, now, e) : illegal(e, action, &s);
    if (strcmp(action, "escalate") == 0) {
        static const char *const allowed[] = {"reason", NULL};
        const char *reason;
        if (!active(&s))
            return illegal(e, action, &s);
        if (jf_only(body, allowed, e) < 0 || jf_str(body, "reason", 1, 500, &reason, e) < 0)
            return -1;
        return escalate(db, who, id, &s, reason, now, e);
    }
    if (strcmp(action, "agree") == 0)
        return active(&s) ? act_agree(db, who, id, &s, body, now, e) : illegal(e, action, &s);
    if (strcmp(action, "fail") == 0)
        return active(&s) ? act_fail(db, who, id, &s, body, now, e) : illegal(e, action, &s);
    if (strcmp(action, "control") == 0)
        return strcmp(s.status, "open") == 0 ? act_control(db, who, id, &s, body, now, e)
                                             : illegal(e, action, &s);
    if (strcmp(action, "resume") == 0)
        return strcmp(s.status, "controlled") == 0 ? act_resume(db, who, id, &s, body, now, e)
                                                   : illegal(e, action, &s);
    if (strcmp(action, "risk") == 0)
        return active(&s) ? act_risk(db, who, id, &s, body, now, e) : illegal(e, action, &s);
    if (strcmp(action, "joint") == 0)
        return active(&s) ? act_joint(db, who, id, &s, body, now, e) : illegal(e, action, &s);
    if (strcmp(action, "court") == 0)
        return s.court_due && !s.court_done ? act_court(db, who, id, &s, body, now, e)
                                            : illegal(e, action, &s);
    if (strcmp(action, "followup") == 0)
        return s.closed && !s.followup_done ? act_followup(db, who, id, &s, body, now, e)
                                            : illegal(e, action, &s);
    return err_set(e, ERR_NOT_FOUND, "unknown_action", "action", "未知操作 %s", action);
}

/* ---- sweep --------------------------------------------------------------------- */

int dispute_sweep(struct db *db, struct arena *a, int64_t now, int64_t *ids, int max,
                  struct err *e)
{
    (void)a;
    struct tier tiers[8];
    int nt = load_tiers(db, tiers, 8);
    if (nt == 0)
        return 0;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id FROM dispute WHERE tier_deadline_ms IS NOT NULL AND tier_deadline_ms <= ?1 "
            "AND status = 'open' AND tier <> ?2 ORDER BY tier_deadline_ms LIMIT ?3");
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, tiers[nt - 1].tier);
    db_bind_int(st, 3, max);
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    static const struct dispute_actor system = {0, "system", "/"};
    int done = 0;
    for (int i = 0; i < n; i++) {
        struct state s;
        struct err ignored = ERR_INIT;
        if (load_state(db, ids[i], &s) < 0)
            continue;
        int rc = escalate(db, &system, ids[i], &s, "本级化解时限已到，自动上交", now, &ignored);
        if (rc < 0 && ignored.kind == ERR_INTERNAL)
            return err_set(e, ERR_INTERNAL, ignored.code, NULL, "%s", ignored.message);
        if (rc == 0)
            ids[done++] = ids[i];
    }
    return done;
}

/* ---- reading ------------------------------------------------------------------- */

static void set_text(json_t *o, const char *k, sqlite3_stmt *st, int col)
{
    const char *v = db_col_text_or_null(st, col);
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static void set_int(json_t *o, const char *k, sqlite3_stmt *st, int col)
{
    json_object_set_new(o, k, sqlite3_column_type(st, col) == SQLITE_NULL
                                  ? json_null()
                                  : json_integer(sqlite3_column_int64(st, col)));
}

/* Columns shared by the list and the page. */
#define DISPUTE_COLS                                                                               \
    "d.id, d.origin, d.source, d.type, t.name, d.title, d.scale, d.people_count, ar.code, "        \
    "ar.name, d.tier, tr.name, ta.code, ta.name, d.tier_started_ms, d.tier_deadline_ms, "          \
    "d.status, d.risk_criminal, d.risk_mass, d.created_ms, d.closed_ms, d.followup_due_ms, "       \
    "d.followup_done_ms, d.court_due_ms, d.court_done_ms, d.event_id, d.org_id, d.mediator, "      \
    "(SELECT group_concat(name, '、') FROM dispute_party p WHERE p.dispute_id = d.id), "          \
    "d.amount_cents, d.agreement_form "
#define DISPUTE_FROM                                                                               \
    "FROM dispute d JOIN area ar ON ar.id = d.area_id JOIN dispute_type t ON t.code = d.type "    \
    "JOIN area ta ON ta.id = d.tier_area_id JOIN dispute_tier tr ON tr.tier = d.tier "

static json_t *row_json(sqlite3_stmt *st, int64_t now)
{
    json_t *o = json_object();
    set_int(o, "id", st, 0);
    set_text(o, "origin", st, 1);
    set_text(o, "source", st, 2);
    json_object_set_new(o, "source_name", json_string(dispute_source_name(db_col_text(st, 2))
                                                           ? dispute_source_name(db_col_text(st, 2))
                                                           : ""));
    set_text(o, "type", st, 3);
    set_text(o, "type_name", st, 4);
    set_text(o, "title", st, 5);
    set_text(o, "scale", st, 6);
    const char *sc = dispute_scale_name(db_col_text(st, 6));
    json_object_set_new(o, "scale_name", json_string(sc ? sc : ""));
    set_int(o, "people_count", st, 7);
    json_object_set_new(o, "area", json_pack("{s:s,s:s}", "code", db_col_text(st, 8), "name",
                                             db_col_text(st, 9)));
    set_text(o, "tier", st, 10);
    set_text(o, "tier_name", st, 11);
    json_object_set_new(o, "tier_area", json_pack("{s:s,s:s}", "code", db_col_text(st, 12),
                                                  "name", db_col_text(st, 13)));
    set_int(o, "tier_started_ms", st, 14);
    set_int(o, "tier_deadline_ms", st, 15);
    const char *status = db_col_text(st, 16);
    json_object_set_new(o, "status", json_string(status));
    const char *sn = dispute_status_name(status);
    json_object_set_new(o, "status_name", json_string(sn ? sn : status));
    int criminal = sqlite3_column_int(st, 17), mass = sqlite3_column_int(st, 18);
    int is_active = strcmp(status, "open") == 0 || strcmp(status, "controlled") == 0;
    json_object_set_new(o, "risk", json_pack("{s:b,s:b,s:b}", "criminal", criminal, "mass", mass,
                                             "flagged", is_active && (criminal || mass)));
    set_int(o, "created_ms", st, 19);
    set_int(o, "closed_ms", st, 20);
    int64_t deadline = sqlite3_column_int64(st, 15);
    json_object_set_new(o, "over_limit",
                        json_boolean(strcmp(status, "open") == 0 && deadline && now > deadline));
    /* 人民调解工作若干规定 (2002) 第36条: normally settled within one month. */
    int64_t created = sqlite3_column_int64(st, 19);
    json_object_set_new(o, "month_overdue", json_boolean(is_active && now > created + 30 * DAY_MS));
    int64_t fdue = sqlite3_column_int64(st, 21), fdone = sqlite3_column_int64(st, 22);
    json_object_set_new(o, "followup",
                        fdue ? json_pack("{s:I,s:o,s:b}", "due_ms", (json_int_t)fdue, "done_ms",
                                         fdone ? json_integer(fdone) : json_null(), "overdue",
                                         !fdone && now > fdue)
                             : json_null());
    int64_t cdue = sqlite3_column_int64(st, 23), cdone = sqlite3_column_int64(st, 24);
    json_object_set_new(o, "court",
                        cdue ? json_pack("{s:I,s:o,s:b}", "due_ms", (json_int_t)cdue, "done_ms",
                                         cdone ? json_integer(cdone) : json_null(), "overdue",
                                         !cdone && now > cdue)
                             : json_null());
    set_int(o, "event_id", st, 25);
    set_int(o, "org_id", st, 26);
    set_text(o, "mediator", st, 27);
    set_text(o, "party_names", st, 28);
    set_int(o, "amount_cents", st, 29);
    set_text(o, "agreement_form", st, 30);
    return o;
}

static json_t *parties_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id, side, person_id, org_id, name, id_mask, phone_mask FROM dispute_party "
            "WHERE dispute_id = ? ORDER BY id");
    db_bind_int(st, 1, id);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *p = json_object();
        set_int(p, "id", st, 0);
        set_text(p, "side", st, 1);
        json_object_set_new(p, "side_name", json_string(keyname_name(sides, db_col_text(st, 1))));
        set_int(p, "person_id", st, 2);
        set_int(p, "org_id", st, 3);
        set_text(p, "name", st, 4);
        set_text(p, "id_number", st, 5);
        set_text(p, "phone", st, 6);
        json_array_append_new(arr, p);
    }
    sqlite3_reset(st);
    return arr;
}

static json_t *sessions_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id, held_ms, place, mediators, attendees, notes FROM dispute_session "
            "WHERE dispute_id = ? ORDER BY held_ms, id");
    db_bind_int(st, 1, id);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *s = json_object();
        set_int(s, "id", st, 0);
        set_int(s, "held_ms", st, 1);
        set_text(s, "place", st, 2);
        set_text(s, "mediators", st, 3);
        set_text(s, "attendees", st, 4);
        set_text(s, "notes", st, 5);
        json_array_append_new(arr, s);
    }
    sqlite3_reset(st);
    return arr;
}

static json_t *timeline_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT at_ms, actor, action, from_status, to_status, tier, note, detail "
            "FROM dispute_timeline WHERE dispute_id = ? ORDER BY id");
    db_bind_int(st, 1, id);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *t = json_object();
        set_int(t, "at_ms", st, 0);
        set_text(t, "actor", st, 1);
        set_text(t, "action", st, 2);
        set_text(t, "from_status", st, 3);
        set_text(t, "to_status", st, 4);
        set_text(t, "tier", st, 5);
        set_text(t, "note", st, 6);
        const char *d = db_col_text_or_null(st, 7);
        json_t *dj = d ? json_loads(d, 0, NULL) : NULL;
        json_object_set_new(t, "detail", dj ? dj : json_null());
        json_array_append_new(arr, t);
    }
    sqlite3_reset(st);
    return arr;
}

json_t *dispute_to_json(struct db *db, struct arena *a, int64_t id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " DISPUTE_COLS ", d.summary, d.address, d.occurred_ms, d.risk_note, d.joint, "
            "d.terms, d.agreement_ms, d.court_result, d.failure_routes, d.control_person, "
            "d.control_measures, d.outcome_note, d.followup_note, d.followup_satisfied, "
            "(SELECT name FROM org WHERE id = d.org_id) " DISPUTE_FROM "WHERE d.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = row_json(st, now);
        set_text(o, "summary", st, 31);
        set_text(o, "address", st, 32);
        set_int(o, "occurred_ms", st, 33);
        set_text(o, "risk_note", st, 34);
        const char *j = db_col_text_or_null(st, 35);
        json_t *jj = j ? json_loads(j, 0, NULL) : NULL;
        json_object_set_new(o, "joint", jj ? jj : json_null());
        set_text(o, "terms", st, 36);
        set_int(o, "agreement_ms", st, 37);
        set_text(o, "court_result", st, 38);
        json_t *rs = json_array();
        const char *r = db_col_text_or_null(st, 39);
        while (r && *r) {
            size_t n = strcspn(r, ",");
            json_array_append_new(rs, json_stringn(r, n));
            r += n + (r[n] == ',');
        }
        json_object_set_new(o, "failure_routes", rs);
        set_text(o, "control_person", st, 40);
        set_text(o, "control_measures", st, 41);
        set_text(o, "outcome_note", st, 42);
        set_text(o, "followup_note", st, 43);
        set_int(o, "followup_satisfied", st, 44);
        set_text(o, "org_name", st, 45);
    }
    sqlite3_reset(st);
    if (!o)
        return NULL;
    /* The village of the place: the mediation committee (人民调解委员会)
     * of the grid and village tiers, and what the page names the place by. */
    const char *path = NULL;
    json_t *village = json_null();
    if (dispute_area_path(db, a, id, &path) == 0) {
        struct tier t[8];
        int nt = load_tiers(db, t, 8), vi = tier_index(t, nt, "village");
        int64_t vid = vi < 0 ? 0 : ancestor_at(db, path, t[vi].level);
        struct area v;
        if (vid > 0 && area_get_by_id(db, a, vid, &v) == 0)
            village = json_pack("{s:s,s:s}", "code", v.code, "name", v.name);
    }
    json_object_set_new(o, "village", village);
    json_object_set_new(o, "parties", parties_json(db, id));
    json_object_set_new(o, "sessions", sessions_json(db, id));
    json_object_set_new(o, "timeline", timeline_json(db, id));
    return o;
}

json_t *dispute_party_reveal_json(struct db *db, const struct seal *seal, int64_t dispute_id,
                                  int64_t party_id, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT name, id_enc, phone_enc FROM dispute_party WHERE id = ? AND dispute_id = ?");
    db_bind_int(st, 1, party_id);
    db_bind_int(st, 2, dispute_id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = json_pack("{s:I,s:s}", "id", (json_int_t)party_id, "name", db_col_text(st, 0));
        static const char *const keys[] = {"id_number", "phone"};
        static const char *const ctxs[] = {CTX_ID, CTX_PHONE};
        for (int i = 0; i < 2 && o; i++) {
            if (sqlite3_column_type(st, 1 + i) == SQLITE_NULL) {
                json_object_set_new(o, keys[i], json_null());
                continue;
            }
            struct buf b = BUF_INIT;
            if (seal_decrypt(seal, sqlite3_column_blob(st, 1 + i),
                             (size_t)sqlite3_column_bytes(st, 1 + i), ctxs[i], &b, e) < 0) {
                json_decref(o);
                o = NULL;
            } else {
                json_object_set_new(o, keys[i], json_string(b.ptr));
            }
            sodium_memzero(b.ptr, b.len);
            buf_release(&b);
        }
    } else {
        err_set(e, ERR_NOT_FOUND, "party_not_found", "party", "当事人不存在");
    }
    sqlite3_reset(st);
    return o;
}

#define LIST_WHERE                                                                                 \
    "WHERE d.area_path >= ?1 AND d.area_path < ?2 "                                                \
    "AND (?3 IS NULL OR d.status = ?3 OR (?3 = 'active' AND d.status IN ('open','controlled'))) " \
    "AND (?4 IS NULL OR d.tier = ?4) AND (?5 IS NULL OR d.type = ?5) "                            \
    "AND (?6 = 0 OR ((d.risk_criminal = 1 OR d.risk_mass = 1) "                                   \
    "     AND d.status IN ('open','controlled'))) "                                                \
    "AND (?7 IS NULL "                                                                             \
    "  OR (?7 = 'over_limit' AND d.status = 'open' AND d.tier_deadline_ms < ?8) "                 \
    "  OR (?7 = 'followup' AND d.followup_due_ms IS NOT NULL AND d.followup_done_ms IS NULL) "    \
    "  OR (?7 = 'court' AND d.court_due_ms IS NOT NULL AND d.court_done_ms IS NULL)) "            \
    "AND (?9 = 0 OR d.event_id = ?9) "

static void bind_query(sqlite3_stmt *st, struct arena *a, const struct dispute_query *q,
                       int64_t now)
{
    db_bind_text(st, 1, q->scope);
    db_bind_text(st, 2, area_path_upper(a, q->scope));
    db_bind_text(st, 3, q->status);
    db_bind_text(st, 4, q->tier);
    db_bind_text(st, 5, q->type);
    db_bind_int(st, 6, q->risk);
    db_bind_text(st, 7, q->due);
    db_bind_int(st, 8, now);
    db_bind_int(st, 9, q->event_id);
}

json_t *dispute_list_json(struct db *db, struct arena *a, const struct dispute_query *q,
                          int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " DISPUTE_COLS DISPUTE_FROM LIST_WHERE
            "ORDER BY (d.status IN ('open','controlled') AND (d.risk_criminal = 1 OR "
            "d.risk_mass = 1)) DESC, d.id DESC LIMIT ?10 OFFSET ?11");
    bind_query(st, a, q, now);
    db_bind_int(st, 10, q->limit);
    db_bind_int(st, 11, q->offset);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, row_json(st, now));
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT count(*) FROM dispute d " LIST_WHERE);
    bind_query(st, a, q, now);
    long total = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return json_pack("{s:o,s:i}", "items", items, "total", (int)total);
}

int dispute_brief(struct db *db, int64_t id, char *area_path, size_t path_size, char *status,
                  size_t status_size, int *flagged)
{
    struct state s;
    if (load_state(db, id, &s) < 0)
        return -1;
    snprintf(area_path, path_size, "%s", s.area_path);
    snprintf(status, status_size, "%s", s.status);
    *flagged = active(&s) && (s.risk_criminal || s.risk_mass);
    return 0;
}

int dispute_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, "SELECT area_path FROM dispute WHERE id = ?", id, path);
}

int dispute_count(struct db *db, struct arena *a, const char *area_path, int64_t org_id,
                  int64_t from_ms, int64_t to_ms, struct dispute_counts *out)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st;
    if (area_path) {
        st = db_prepare(
            db, "SELECT count(*), coalesce(sum(status IN ('open','controlled') AND "
                "(risk_criminal = 1 OR risk_mass = 1)), 0) FROM dispute "
                "WHERE area_path >= ?1 AND area_path < ?2 AND created_ms >= ?3 AND created_ms < ?4");
        db_bind_text(st, 1, area_path);
        db_bind_text(st, 2, area_path_upper(a, area_path));
    } else if (org_id > 0) {
        st = db_prepare(
            db, "SELECT count(*), coalesce(sum(status IN ('open','controlled') AND "
                "(risk_criminal = 1 OR risk_mass = 1)), 0) FROM dispute "
                "WHERE org_id = ?1 AND created_ms >= ?3 AND created_ms < ?4");
        db_bind_int(st, 1, org_id);
    } else {
        return -1;
    }
    db_bind_int(st, 3, from_ms);
    db_bind_int(st, 4, to_ms);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->total = (long)sqlite3_column_int64(st, 0);
        out->open_at_risk = (long)sqlite3_column_int64(st, 1);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/* ---- configuration ------------------------------------------------------------- */

json_t *dispute_meta_json(struct db *db)
{
    json_t *types = json_array(), *tiers = json_array(), *src = json_array(), *o = json_object();
    sqlite3_stmt *st =
        db_prepare(db, "SELECT code, name FROM dispute_type WHERE active = 1 ORDER BY ord");
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(types, json_pack("{s:s,s:s}", "code", db_col_text(st, 0), "name",
                                               db_col_text(st, 1)));
    sqlite3_reset(st);
    struct tier t[8];
    int nt = load_tiers(db, t, 8);
    for (int i = 0; i < nt; i++)
        json_array_append_new(tiers, json_pack("{s:s,s:s,s:s,s:i}", "tier", t[i].tier, "name",
                                               t[i].name, "level", t[i].level, "limit_days",
                                               t[i].limit_days));
    for (const struct keyname *k = sources; k->key; k++)
        json_array_append_new(src, json_pack("{s:s,s:s}", "code", k->key, "name", k->name));
    /* The event categories a dispute can be opened from (their majors). */
    json_t *majors = json_array();
    st = db_prepare(db, "SELECT DISTINCT major FROM category WHERE domain = ? ORDER BY major");
    db_bind_text(st, 1, DISPUTE_DOMAIN);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(majors, json_string(db_col_text(st, 0)));
    sqlite3_reset(st);
    json_object_set_new(o, "event_majors", majors);
    json_object_set_new(o, "types", types);
    json_object_set_new(o, "tiers", tiers);
    json_object_set_new(o, "sources", src);
    json_t *kv = json_object();
    const struct keyname *lists[] = {statuses, origins, scales, sides, routes, joint_units};
    const char *names[] = {"statuses", "origins", "scales", "sides", "routes", "joint_units"};
    for (int i = 0; i < 6; i++) {
        json_t *m = json_object();
        for (const struct keyname *k = lists[i]; k->key; k++)
            json_object_set_new(m, k->key, json_string(k->name));
        json_object_set_new(kv, names[i], m);
    }
    json_object_set_new(o, "names", kv);
    json_object_set_new(o, "followup_days", json_integer(setting(db, "followup_days", 15)));
    json_object_set_new(o, "court_confirm_days", json_integer(setting(db, "court_confirm_days", 30)));
    return o;
}

int dispute_settings_set(struct db *db, json_t *body, struct err *e)
{
    static const char *const allowed[] = {"tiers", "followup_days", "court_confirm_days", NULL};
    int64_t v;
    int has;
    if (jf_only(body, allowed, e) < 0)
        return -1;
    static const char *const keys[] = {"followup_days", "court_confirm_days"};
    for (int i = 0; i < 2; i++) {
        if (jf_int(body, keys[i], 0, 1, 365, &v, &has, e) < 0)
            return -1;
        if (!has)
            continue;
        sqlite3_stmt *st = db_prepare(db, "UPDATE dispute_setting SET value = ?2 WHERE name = ?1");
        db_bind_text(st, 1, keys[i]);
        db_bind_int(st, 2, v);
        if (exec_update(db, st, e) < 0)
            return -1;
    }
    json_t *tiers = json_object_get(body, "tiers");
    if (tiers && !json_is_object(tiers))
        return err_set(e, ERR_INVALID, "invalid_type", "tiers", "tiers 应为 {层级: 天数}");
    const char *k;
    json_t *d;
    json_object_foreach(tiers, k, d)
    {
        if (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 365)
            return err_set(e, ERR_INVALID, "out_of_range", "tiers", "层级 %s 的时限应为 1–365 天", k);
        sqlite3_stmt *st = db_prepare(db, "UPDATE dispute_tier SET limit_days = ?2 WHERE tier = ?1");
        db_bind_text(st, 1, k);
        db_bind_int(st, 2, json_integer_value(d));
        if (exec_update(db, st, e) < 0)
            return -1;
        if (sqlite3_changes(db_handle(db)) == 0)
            return err_set(e, ERR_INVALID, "unknown_tier", "tiers", "没有层级 %s", k);
    }
    return 0;
}
