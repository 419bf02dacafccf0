#include "event.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/attachment.h"
#include "domain/boundary.h"
#include "domain/calendar.h"
#include "domain/categorizer.h"
#include "domain/category.h"
#include "domain/phone.h"
#include "domain/workflow.h"
#include "geo/gcj02.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jsonfield.h"
#include "util/seal.h"

#define HOUR_MS 3600000LL

int event_ctx_load(struct db *db, struct arena *a, struct event_ctx *ctx)
{
    return calendar_load(db, a, &ctx->cal);
}

/* light_of() in SQL, for the stored light: deadline, yellow and the instant
 * it is judged at are SQL expressions. */
#define LIGHT_OF(deadline, yellow, at)                                                             \
    "CASE WHEN " deadline " IS NULL THEN 'none' WHEN " at " >= " deadline " THEN 'red' "           \
    "WHEN " at " >= " yellow " THEN 'yellow' ELSE 'green' END"

/* ------------------------------------------------------------ intake */

static const char *const sources[] = {"grid_worker", "resident",   "hotline",
                                      "video",       "department", "inspection", NULL};

static int one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(*list, v) == 0)
            return 1;
    return 0;
}

int event_from_json(json_t *body, struct arena *a, struct event_input *in, struct err *e)
{
    static const char *const allowed[] = {"source",        "description", "minor",     "area",
                                          "address",       "lng",         "lat",       "crs",
                                          "reporter_name", "reporter_phone", "idempotency_key",
                                          "attachments",   "org_id",      "casualties", NULL};
    memset(in, 0, sizeof(*in));
    const char *crs = NULL, *phone = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "source", 1, 16, &in->source, e) < 0 ||
        jf_str(body, "description", 1, 2000, &in->description, e) < 0 ||
        jf_str(body, "minor", 0, 4, &in->minor, e) < 0 ||
        jf_str(body, "area", 0, 32, &in->area, e) < 0 ||
        jf_str(body, "address", 0, 128, &in->address, e) < 0 ||
        jf_str(body, "crs", 0, 8, &crs, e) < 0 ||
        jf_str(body, "reporter_name", 0, 32, &in->reporter_name, e) < 0 ||
        jf_str(body, "reporter_phone", 0, 32, &phone, e) < 0 ||
        jf_str(body, "idempotency_key", 0, 64, &in->idem_key, e) < 0 ||
        jf_point(body, &in->lng, &in->lat, &in->has_point, e) < 0 ||
        attachment_ids_from_json(body, a, &in->attachments, &in->n_attachments, e) < 0 ||
        jf_int(body, "org_id", 0, 1, INT64_MAX, &in->org_id, NULL, e) < 0 ||
        jf_int(body, "casualties", 0, 0, 100000, &in->casualties, NULL, e) < 0)
        return -1;
    if (!one_of(in->source, sources))
        return err_set(e, ERR_INVALID, "invalid_source", "source",
                       "来源应为 grid_worker、resident、hotline、video、department 或 inspection");
    if (crs && strcmp(crs, "wgs84") && strcmp(crs, "gcj02"))
        return err_set(e, ERR_INVALID, "invalid_crs", "crs", "坐标系应为 wgs84 或 gcj02");
    in->crs = crs && strcmp(crs, "gcj02") == 0 ? GEO_GCJ02 : GEO_WGS84;
    if (phone) {
        char out[24];
        if (phone_parse(phone, out, "reporter_phone", e) < 0)
            return -1;
        in->reporter_phone = arena_strdup(a, out);
    }
    /* The request's fingerprint: a key reused with another request is refused. */
    char *canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    crypto_generichash(in->idem_hash, sizeof(in->idem_hash), (const unsigned char *)canon,
                       canon ? strlen(canon) : 0, NULL, 0);
    free(canon);
    return 0;
}

/* The id at the end of a path "/1/7/42/". */
static int64_t path_last_id(const char *path)
{
    size_t n = strlen(path);
    if (n < 2)
        return 0;
    size_t i = n - 1;
    while (i > 0 && path[i - 1] != '/')
        i--;
    return strtoll(path + i, NULL, 10);
}

/* The ids of a path "/1/7/42/", root first; returns how many (at most max). */
static int path_ids(const char *path, int64_t *ids, int max)
{
    int n = 0;
    for (const char *p = path; *p == '/' && p[1] && n < max;) {
        char *end;
        ids[n++] = strtoll(p + 1, &end, 10);
        p = end;
    }
    return n;
}

#define MAX_DEPTH 16

/* The ancestor of path (or the area itself) at a level; 0 with none. The
 * ancestors are the ids in the path: a few primary-key lookups, where a
 * prefix test over the path index would read every area sorting before it. */
static int ancestor_at_level(struct db *db, struct arena *a, const char *path, const char *level,
                             struct area *out)
{
    int64_t ids[MAX_DEPTH];
    for (int i = path_ids(path, ids, MAX_DEPTH) - 1; i >= 0; i--) {
        struct area up;
        if (area_get_by_id(db, a, ids[i], &up) == 0 && strcmp(up.level, level) == 0) {
            *out = up;
            return 1;
        }
    }
    return 0;
}

/* The root of the chain holding path (the county of a micro-grid). */
static int root_of(struct db *db, struct arena *a, const char *path, struct area *out)
{
    const char *slash = strchr(path + 1, '/');
    if (!slash)
        return 0;
    int64_t id = strtoll(path + 1, NULL, 10);
    return area_get_by_id(db, a, id, out) == 0;
}

static void track_code(char out[11])
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* no 0/O, 1/I */
    unsigned char r[10];
    randombytes_buf(r, sizeof(r));
    for (int i = 0; i < 10; i++)
        out[i] = alphabet[r[i] & 31];
    out[10] = '\0';
}

/* An event row as the steps need it. */
struct ev {
    int64_t id;
    const char *status, *held_status, *minor, *area_path, *handling_path, *step;
    int priority;
    int64_t department_id, area_id, handling_area_id, reporter_id;
    int64_t step_started, budget, deadline, yellow, paused, next_escalation;
    int escalations;
    int64_t extension_hours; /* 0: none pending */
    struct category cat;     /* when minor is set */
    int has_cat;
};

static int natural_time(const struct ev *v)
{
    return v->priority == 1;
}

static int64_t yellow_of(const struct event_ctx *ctx, const struct ev *v)
{
    int64_t rest = v->budget * (100 - ctx->cfg->yellow_percent) / 100;
    return workclock_back(&ctx->cal, v->deadline, rest, natural_time(v));
}

/* Starts the clock of a step (NULL: no clock). */
static void start_step(const struct event_ctx *ctx, struct ev *v, const char *step, int64_t hours)
{
    v->step = step;
    if (!step) {
        v->step_started = v->budget = v->deadline = v->yellow = v->next_escalation = 0;
        return;
    }
    v->step_started = ctx->now;
    v->budget = hours * HOUR_MS;
    v->deadline = workclock_add(&ctx->cal, ctx->now, v->budget, natural_time(v));
    v->yellow = yellow_of(ctx, v);
    v->next_escalation = v->deadline;
}

static int64_t handling_hours(const struct ev *v)
{
    return v->has_cat ? v->cat.deadline_h : 72;
}

int64_t event_create(struct db *db, struct arena *a, const struct event_ctx *ctx,
                     const struct actor *who, const struct event_input *in, int *created,
                     struct err *e)
{
    *created = 0;
    /* Anonymous keys share one space: only a long (random) one is safe. */
    if (in->idem_key && who->resident && strlen(in->idem_key) < 16)
        return err_set(e, ERR_INVALID, "idempotency_key_too_short", "idempotency_key",
                       "匿名上报的幂等键至少 16 个字符（请使用随机生成的键）");
    if (in->idem_key) {
        sqlite3_stmt *st = db_prepare(
            db, who->account_id ? "SELECT id, idem_hash FROM event WHERE reporter_id = ?1 AND idem_key = ?2"
                                : "SELECT id, idem_hash FROM event WHERE reporter_id IS NULL AND "
                                  "idem_key = ?2");
        if (who->account_id)
            db_bind_int(st, 1, who->account_id);
        db_bind_text(st, 2, in->idem_key);
        int64_t id = 0;
        int same = 0;
        if (sqlite3_step(st) == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            same = sqlite3_column_bytes(st, 1) == (int)sizeof(in->idem_hash) &&
                   memcmp(sqlite3_column_blob(st, 1), in->idem_hash, sizeof(in->idem_hash)) == 0;
        }
        sqlite3_reset(st);
        if (id && !same)
            return err_set(e, ERR_CONFLICT, "idempotency_key_reused", "idempotency_key",
                           "该幂等键已用于另一个不同的上报");
        if (id)
            return id;
    }
    struct ev v;
    memset(&v, 0, sizeof(v));
    if (in->minor) {
        if (category_get(db, a, in->minor, &v.cat) < 0)
            return err_set(e, ERR_INVALID, "unknown_category", "minor", "事件小类 %s 不存在",
                           in->minor);
        v.has_cat = 1;
        v.minor = in->minor;
        v.priority = v.cat.priority;
    } else {
        v.priority = 3;
    }
    /* Where: the point's micro-grid, else the area named, else the reporter's. */
    struct area area;
    double lng = in->lng, lat = in->lat;
    if (in->has_point) {
        if (in->crs == GEO_GCJ02)
            gcj02_to_wgs84(in->lng, in->lat, &lng, &lat);
        int64_t leaf = boundary_locate(db, lng, lat);
        if (leaf < 0)
            return err_set(e, ERR_INTERNAL, "locate_failed", NULL, "定位失败");
        if (leaf == 0 || area_get_by_id(db, a, leaf, &area) < 0)
            return err_set(e, ERR_INVALID, "point_outside_area", "lng",
                           "坐标 (%.6f, %.6f) 不在任何网格内", in->lng, in->lat);
    } else if (in->area) {
        if (area_get(db, a, in->area, &area) < 0 || area.retired_ms)
            return err_set(e, ERR_NOT_FOUND, "area_not_found", "area", "区域 %s 不存在", in->area);
    } else if (area_get_by_id(db, a, path_last_id(who->scope_path), &area) < 0) {
        return err_set(e, ERR_INVALID, "missing_field", "lng", "请给出事件的坐标或所在区域 area");
    }
    if (!area_path_within(who->scope_path, area.path))
        return err_set(e, ERR_NOT_FOUND, "area_not_found", in->has_point ? "lng" : "area",
                       "事件的位置不在您的管辖范围内");
    /* Who handles it: the category's level above the place, else the top. */
    struct area handling;
    if (!(v.has_cat && ancestor_at_level(db, a, area.path, v.cat.level, &handling)) &&
        !root_of(db, a, area.path, &handling))
        handling = area;
    v.area_path = area.path;
    v.handling_path = handling.path;
    start_step(ctx, &v, "desk", ctx->cfg->deadline_desk_h);

    char code[11], mask[40] = "";
    track_code(code);
    struct buf blob = BUF_INIT;
    if (in->reporter_phone) {
        phone_mask(in->reporter_phone, mask, sizeof(mask));
        seal_encrypt(ctx->seal, in->reporter_phone, strlen(in->reporter_phone),
                     "event.reporter_phone", &blob);
    }
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO event (source, description, minor, area_id, area_path, handling_area_id, "
            "handling_path, lng, lat, address, reporter_id, reporter_name, reporter_phone_enc, "
            "reporter_phone_mask, idem_key, idem_hash, status, priority, step, step_started_ms, "
            "step_budget_ms, deadline_ms, yellow_ms, next_escalation_ms, track_code, created_ms, "
            "updated_ms, light) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
            "?15, ?16, 'reported', ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?25, "
            LIGHT_OF("?21", "?22", "?25") ")");
    db_bind_text(st, 1, in->source);
    db_bind_text(st, 2, in->description);
    db_bind_text(st, 3, v.minor);
    db_bind_int(st, 4, area.id);
    db_bind_text(st, 5, area.path);
    db_bind_int(st, 6, handling.id);
    db_bind_text(st, 7, handling.path);
    if (in->has_point) {
        sqlite3_bind_double(st, 8, lng);
        sqlite3_bind_double(st, 9, lat);
    }
    db_bind_text(st, 10, in->address);
    if (who->account_id)
        db_bind_int(st, 11, who->account_id);
    db_bind_text(st, 12, in->reporter_name);
    if (blob.len)
        sqlite3_bind_blob(st, 13, blob.ptr, (int)blob.len, SQLITE_TRANSIENT);
    db_bind_text(st, 14, in->reporter_phone ? mask : NULL);
    db_bind_text(st, 15, in->idem_key);
    sqlite3_bind_blob(st, 16, in->idem_hash, sizeof(in->idem_hash), SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 17, v.priority);
    db_bind_text(st, 18, v.step);
    db_bind_int(st, 19, v.step_started);
    db_bind_int(st, 20, v.budget);
    db_bind_int(st, 21, v.deadline);
    db_bind_int(st, 22, v.yellow);
    db_bind_int(st, 23, v.next_escalation);
    db_bind_text(st, 24, code);
    db_bind_int(st, 25, ctx->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    buf_release(&blob);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    /* The first deadline node: the centre's desk time, like every step
     * that starts a clock records its deadline. */
    st = db_prepare(db, "INSERT INTO event_timeline (event_id, at_ms, account_id, actor, action, "
                        "to_status, note, detail) VALUES (?, ?, ?, ?, 'report', 'reported', ?, "
                        "json_object('deadline_ms', ?))");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, ctx->now);
    if (who->account_id)
        db_bind_int(st, 3, who->account_id);
    db_bind_text(st, 4, who->username ? who->username : "resident");
    db_bind_text(st, 5, in->source);
    db_bind_int(st, 6, v.deadline);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    if (attachment_link(db, who->account_id, id, sqlite3_last_insert_rowid(db_handle(db)),
                        in->attachments, in->n_attachments, e) < 0)
        return -1;
    /* The unit concerned (涉及单位; its scope was checked by the router) and
     * the casualties: what "三零" creation attributes and counts (zero.h). */
    if (in->org_id || in->casualties) {
        st = db_prepare(db, "UPDATE event SET org_id = (SELECT id FROM org WHERE id = ?2), "
                            "casualties = ?3 WHERE id = ?1");
        db_bind_int(st, 1, id);
        if (in->org_id)
            db_bind_int(st, 2, in->org_id);
        db_bind_int(st, 3, in->casualties);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    }
    *created = 1;
    return id;
}

/* ------------------------------------------------------------ one event */

#define EV_COLS                                                                                    \
    "id, status, held_status, minor, area_path, handling_path, step, priority, department_id, "   \
    "area_id, handling_area_id, reporter_id, step_started_ms, step_budget_ms, deadline_ms, "     \
    "yellow_ms, paused_ms, next_escalation_ms, escalations, extension_hours "

static const char *dup_or_null(struct arena *a, sqlite3_stmt *st, int i)
{
    const char *s = db_col_text_or_null(st, i);
    return s ? arena_strdup(a, s) : NULL;
}

static int load(struct db *db, struct arena *a, int64_t id, struct ev *v)
{
    memset(v, 0, sizeof(*v));
    sqlite3_stmt *st = db_prepare(db, "SELECT " EV_COLS "FROM event WHERE id = ?");
    db_bind_int(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        v->id = sqlite3_column_int64(st, 0);
        v->status = dup_or_null(a, st, 1);
        v->held_status = dup_or_null(a, st, 2);
        v->minor = dup_or_null(a, st, 3);
        v->area_path = dup_or_null(a, st, 4);
        v->handling_path = dup_or_null(a, st, 5);
        v->step = dup_or_null(a, st, 6);
        v->priority = sqlite3_column_int(st, 7);
        v->department_id = sqlite3_column_int64(st, 8);
        v->area_id = sqlite3_column_int64(st, 9);
        v->handling_area_id = sqlite3_column_int64(st, 10);
        v->reporter_id = sqlite3_column_int64(st, 11);
        v->step_started = sqlite3_column_int64(st, 12);
        v->budget = sqlite3_column_int64(st, 13);
        v->deadline = sqlite3_column_int64(st, 14);
        v->yellow = sqlite3_column_int64(st, 15);
        v->paused = sqlite3_column_int64(st, 16);
        v->next_escalation = sqlite3_column_int64(st, 17);
        v->escalations = sqlite3_column_int(st, 18);
        v->extension_hours = sqlite3_column_int64(st, 19);
    }
    sqlite3_reset(st);
    if (found && v->minor)
        v->has_cat = category_get(db, a, v->minor, &v->cat) == 0;
    return found ? 0 : -1;
}

static int on_event(struct db *db, int64_t event_id, int64_t department_id, int lead)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT 1 FROM event_department WHERE event_id = ? AND department_id = ? AND lead = ?");
    db_bind_int(st, 1, event_id);
    db_bind_int(st, 2, department_id);
    db_bind_int(st, 3, lead);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* What the actor may do to this event (workflow.h). */
static unsigned caps_of(struct db *db, const struct actor *who, const struct ev *v)
{
    /* A resident holds the event's tracking code (the caller checked it). */
    if (who->resident)
        return v->reporter_id ? 0 : CAP_REPORTER;
    if (!who->account_id)
        return CAP_SYSTEM;
    unsigned caps = 0;
    const char *role = who->role ? who->role : "";
    if ((strcmp(role, "admin") == 0 || strcmp(role, "dispatcher") == 0) &&
        area_path_within(who->scope_path, v->handling_path))
        caps |= CAP_CENTRE;
    if (strcmp(role, "handler") == 0 && who->department_id &&
        area_path_within(who->scope_path, v->area_path)) {
        if (who->department_id == v->department_id && on_event(db, v->id, who->department_id, 1))
            caps |= CAP_LEAD;
        else if (on_event(db, v->id, who->department_id, 0))
            caps |= CAP_COHANDLER;
    }
    if (strcmp(role, "grid_worker") == 0 && area_path_within(who->scope_path, v->area_path))
        caps |= CAP_GRID;
    if (v->reporter_id && v->reporter_id == who->account_id)
        caps |= CAP_REPORTER;
    return caps;
}

static unsigned facts_of(const struct ev *v)
{
    return (v->extension_hours ? FACT_EXTENSION_PENDING : 0) |
           (v->has_cat && strcmp(v->cat.level, "grid") != 0 ? FACT_NOT_GRID_LEVEL : 0);
}

static const char *light_of(const struct event_ctx *ctx, int64_t deadline, int64_t yellow,
                            int64_t paused)
{
    if (!deadline)
        return "none";
    int64_t t = paused ? paused : ctx->now;
    if (t >= deadline)
        return "red";
    if (yellow && t >= yellow)
        return "yellow";
    return "green";
}

/* ------------------------------------------------------------ the steps */

static int timeline_add(struct db *db, const struct event_ctx *ctx, const struct actor *who,
                        int64_t id, const char *action, const char *from, const char *to,
                        const char *note, json_t *detail, struct err *e)
{
    char *d = detail && json_object_size(detail) ? json_dumps(detail, JSON_COMPACT) : NULL;
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO event_timeline (event_id, at_ms, account_id, "
                                      "actor, action, from_status, to_status, note, detail) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, ctx->now);
    if (who->account_id)
        db_bind_int(st, 3, who->account_id);
    db_bind_text(st, 4, who->account_id ? who->username : who->resident ? "resident" : "system");
    db_bind_text(st, 5, action);
    db_bind_text(st, 6, from);
    db_bind_text(st, 7, to);
    db_bind_text(st, 8, note);
    db_bind_text(st, 9, d);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(d);
    return rc == SQLITE_DONE ? 0
                             : err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s",
                                       db_errmsg(db));
}

static int save(struct db *db, const struct event_ctx *ctx, const struct ev *v, struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "UPDATE event SET status = ?2, held_status = ?3, minor = ?4, priority = ?5, "
            "department_id = ?6, handling_area_id = ?7, handling_path = ?8, step = ?9, "
            "step_started_ms = ?10, step_budget_ms = ?11, deadline_ms = ?12, yellow_ms = ?13, "
            "paused_ms = ?14, next_escalation_ms = ?15, escalations = ?16, extension_hours = ?17, "
            "updated_ms = ?18, closed_ms = CASE WHEN ?2 IN ('closed', 'evaluated', 'rejected', "
            "'merged') THEN coalesce(closed_ms, ?18) ELSE NULL END, "
            /* The light now (for the counters); late once a step ran past its
             * time (the right-hand side reads the row as it was). */
            "light = " LIGHT_OF("?12", "?13", "coalesce(?14, ?18)") ", "
            "late = (late OR (deadline_ms IS NOT NULL AND coalesce(paused_ms, ?18) > deadline_ms)) "
            "WHERE id = ?1");
    db_bind_int(st, 1, v->id);
    db_bind_text(st, 2, v->status);
    db_bind_text(st, 3, v->held_status);
    db_bind_text(st, 4, v->minor);
    sqlite3_bind_int(st, 5, v->priority);
#define OPT(i, x)                                                                                  \
    if (x)                                                                                         \
        db_bind_int(st, i, x)
    OPT(6, v->department_id);
    db_bind_int(st, 7, v->handling_area_id);
    db_bind_text(st, 8, v->handling_path);
    db_bind_text(st, 9, v->step);
    OPT(10, v->step_started);
    OPT(11, v->budget);
    OPT(12, v->deadline);
    OPT(13, v->yellow);
    OPT(14, v->paused);
    OPT(15, v->next_escalation);
    sqlite3_bind_int(st, 16, v->escalations);
    OPT(17, v->extension_hours);
#undef OPT
    db_bind_int(st, 18, ctx->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0
                             : err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s",
                                       db_errmsg(db));
}

/* Sets the category: priority and, unless escalated, the handling area. */
static int set_category(struct db *db, struct arena *a, struct ev *v, const char *minor,
                        struct err *e)
{
    if (category_get(db, a, minor, &v->cat) < 0)
        return err_set(e, ERR_INVALID, "unknown_category", "minor", "事件小类 %s 不存在", minor);
    v->has_cat = 1;
    v->minor = v->cat.minor;
    v->priority = v->cat.priority;
    struct area h;
    if (!v->escalations && ancestor_at_level(db, a, v->area_path, v->cat.level, &h)) {
        v->handling_area_id = h.id;
        v->handling_path = h.path;
    }
    return 0;
}

static int64_t department_of(struct db *db, json_t *v, const char *field, struct err *e)
{
    if (!json_is_integer(v))
        return err_set(e, ERR_INVALID, "invalid_type", field, "字段 %s 应为部门编号", field);
    sqlite3_stmt *st = db_prepare(db, "SELECT id FROM department WHERE id = ?");
    db_bind_int(st, 1, json_integer_value(v));
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (!id)
        return err_set(e, ERR_INVALID, "unknown_department", field, "部门 %lld 不存在",
                       (long long)json_integer_value(v));
    return id;
}

/* The departments of a dispatch: the lead and the co-handlers. */
static int set_departments(struct db *db, struct ev *v, json_t *body, json_t *detail,
                           struct err *e)
{
    json_t *lead = json_object_get(body, "department");
    int64_t lead_id = v->has_cat ? v->cat.department_id : 0;
    if (lead && !json_is_null(lead) && (lead_id = department_of(db, lead, "department", e)) < 0)
        return -1;
    json_t *co = json_object_get(body, "co_departments");
    if (co && !json_is_null(co) && (!json_is_array(co) || json_array_size(co) > 10))
        return err_set(e, ERR_INVALID, "invalid_type", "co_departments",
                       "co_departments 应为最多10个部门编号的数组");
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM event_department WHERE event_id = ?");
    db_bind_int(st, 1, v->id);
    sqlite3_step(st);
    sqlite3_reset(st);
    st = db_prepare(db, "INSERT INTO event_department (event_id, department_id, lead) "
                        "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    db_bind_int(st, 1, v->id);
    db_bind_int(st, 2, lead_id);
    sqlite3_bind_int(st, 3, 1);
    sqlite3_step(st);
    sqlite3_reset(st);
    json_t *cos = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(co, i, x)
    {
        int64_t id = department_of(db, x, "co_departments", e);
        if (id < 0) {
            json_decref(cos);
            return -1;
        }
        if (id == lead_id)
            continue;
        db_bind_int(st, 1, v->id);
        db_bind_int(st, 2, id);
        sqlite3_bind_int(st, 3, 0);
        sqlite3_step(st);
        sqlite3_reset(st);
        json_array_append_new(cos, json_integer(id));
    }
    v->department_id = lead_id;
    json_object_set_new(detail, "department", json_integer(lead_id));
    if (json_array_size(cos))
        json_object_set_new(detail, "co_departments", cos);
    else
        json_decref(cos);
    return 0;
}

/* Moves the handling area one level up; 0 at the top. */
static int escalate(struct db *db, struct arena *a, struct ev *v, json_t *detail)
{
    struct area h;
    if (area_get_by_id(db, a, v->handling_area_id, &h) < 0 || !h.parent_id)
        return 0;
    struct area up;
    if (area_get_by_id(db, a, h.parent_id, &up) < 0)
        return 0;
    v->handling_area_id = up.id;
    v->handling_path = up.path;
    v->escalations++;
    json_object_set_new(detail, "from_area", json_string(h.code));
    json_object_set_new(detail, "to_area", json_string(up.code));
    return 1;
}

static int check_body(const struct transition *t, json_t *body, struct err *e)
{
    const char *keys[12];
    size_t n = 0;
    if (t->needs & NEED_REASON)
        keys[n++] = "reason";
    if (t->needs & NEED_NOTE || strcmp(t->action, "close") == 0 ||
        strcmp(t->action, "accept") == 0 || strcmp(t->action, "escalate") == 0 ||
        strcmp(t->action, "grant_extension") == 0 || strcmp(t->action, "resume") == 0 ||
        strcmp(t->action, "register") == 0 || strcmp(t->action, "dispatch") == 0)
        keys[n++] = "note";
    if (t->needs & NEED_RATING) {
        keys[n++] = "rating";
        keys[n++] = "comment";
    }
    if (t->needs & NEED_HOURS)
        keys[n++] = "hours";
    if (t->needs & NEED_TARGET)
        keys[n++] = "into";
    if (t->needs & ALLOW_MINOR)
        keys[n++] = "minor";
    if (t->needs & ALLOW_DEPTS) {
        keys[n++] = "department";
        keys[n++] = "co_departments";
    }
    keys[n++] = "attachments"; /* every step may carry photos */
    keys[n] = NULL;
    const char *s;
    int64_t i;
    int has;
    if (jf_only(body, keys, e) < 0 ||
        ((t->needs & NEED_REASON) && jf_str(body, "reason", 1, 500, &s, e) < 0) ||
        ((t->needs & NEED_NOTE) && jf_str(body, "note", 1, 2000, &s, e) < 0) ||
        (!(t->needs & NEED_NOTE) && jf_str(body, "note", 0, 2000, &s, e) < 0) ||
        ((t->needs & NEED_RATING) && (jf_int(body, "rating", 1, 1, 5, &i, &has, e) < 0 ||
                                      jf_str(body, "comment", 0, 500, &s, e) < 0)) ||
        ((t->needs & NEED_HOURS) && jf_int(body, "hours", 1, 1, 720, &i, &has, e) < 0) ||
        ((t->needs & NEED_TARGET) && jf_int(body, "into", 1, 1, INT64_MAX, &i, &has, e) < 0) ||
        ((t->needs & ALLOW_MINOR) && jf_str(body, "minor", 0, 4, &s, e) < 0))
        return -1;
    return 0;
}

static const char *str_of(json_t *body, const char *key)
{
    return json_string_value(json_object_get(body, key));
}

int event_apply(struct db *db, struct arena *a, const struct event_ctx *ctx,
                const struct actor *who, int64_t id, const char *action, json_t *body,
                json_t **allowed, struct err *e)
{
    *allowed = NULL;
    const struct transition *t = workflow_find(action);
    if (!t)
        return err_set(e, ERR_INVALID, "unknown_action", "action", "没有名为 %s 的操作",
                       action ? action : "");
    struct ev v;
    if (load(db, a, id, &v) < 0)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "事件不存在或不在您的管辖范围内");
    unsigned caps = caps_of(db, who, &v);
    if (!workflow_allows(t, v.status, ~0u)) {
        *allowed = workflow_allowed_json(v.status, caps, facts_of(&v));
        return err_set(e, ERR_CONFLICT, "illegal_transition", "action",
                       "事件当前状态为“%s”，不能执行“%s”", workflow_status_name(v.status),
                       t->name);
    }
    if (!workflow_allows(t, v.status, caps)) {
        *allowed = workflow_allowed_json(v.status, caps, facts_of(&v));
        return err_set(e, ERR_FORBIDDEN, "not_your_step", "action", "“%s”不由您执行", t->name);
    }
    int64_t *photos;
    size_t nphotos;
    if (check_body(t, body, e) < 0 || attachment_ids_from_json(body, a, &photos, &nphotos, e) < 0)
        return -1;
    if ((t->needs & NEED_PENDING_EXT) && !v.extension_hours)
        return err_set(e, ERR_CONFLICT, "no_extension_pending", "action", "没有待审批的延期申请");
    if ((t->needs & NEED_NO_PENDING_EXT) && v.extension_hours)
        return err_set(e, ERR_CONFLICT, "extension_pending", "action",
                       "延期申请尚待审批，请等待调度员答复");
    const char *minor = str_of(body, "minor");
    if (minor && set_category(db, a, &v, minor, e) < 0)
        return -1;
    if ((t->needs & NEED_MINOR) && !v.minor)
        return err_set(e, ERR_INVALID, "missing_field", "minor", "请先确定事件分类（小类 minor）");
    if ((t->needs & NEED_GRID_LEVEL) && strcmp(v.cat.level, "grid") != 0)
        return err_set(e, ERR_INVALID, "not_grid_level", "minor",
                       "“%s”由%s处置，不能网格现场解决", v.cat.minor_name, v.cat.level);

    const char *from = v.status;
    const char *note = str_of(body, "reason") ? str_of(body, "reason") : str_of(body, "note");
    json_t *detail = json_object();
    int rc = 0;
    if (strcmp(t->to, TO_HELD) == 0) {
        v.status = v.held_status ? v.held_status : "registered";
        v.held_status = NULL;
    } else if (strcmp(t->to, TO_SAME) != 0) {
        v.status = t->to;
    }
    if (minor)
        json_object_set_new(detail, "minor", json_string(v.minor));

    if (strcmp(action, "register") == 0) {
        start_step(ctx, &v, "desk", ctx->cfg->deadline_desk_h);
    } else if (strcmp(action, "reject") == 0 || strcmp(action, "close") == 0) {
        start_step(ctx, &v, NULL, 0);
    } else if (strcmp(action, "dispatch") == 0) {
        rc = set_departments(db, &v, body, detail, e);
        start_step(ctx, &v, "accept", ctx->cfg->deadline_accept_h);
    } else if (strcmp(action, "accept") == 0 || strcmp(action, "reopen") == 0) {
        start_step(ctx, &v, "handle", handling_hours(&v));
    } else if (strcmp(action, "return") == 0) {
        start_step(ctx, &v, "desk", ctx->cfg->deadline_desk_h);
    } else if (strcmp(action, "handle") == 0 || strcmp(action, "resolve") == 0) {
        start_step(ctx, &v, "verify", ctx->cfg->deadline_verify_h);
    } else if (strcmp(action, "evaluate") == 0 || strcmp(action, "rate_handling") == 0) {
        int64_t rating = json_integer_value(json_object_get(body, "rating"));
        const char *comment = str_of(body, "comment");
        int reporter = strcmp(action, "evaluate") == 0;
        sqlite3_stmt *st = db_prepare(
            db, reporter ? "UPDATE event SET rating = ?2, rating_comment = ?3 WHERE id = ?1"
                         : "UPDATE event SET handling_rating = ?2 WHERE id = ?1");
        db_bind_int(st, 1, v.id);
        db_bind_int(st, 2, rating);
        if (reporter)
            db_bind_text(st, 3, comment);
        sqlite3_step(st);
        sqlite3_reset(st);
        json_object_set_new(detail, "rating", json_integer(rating));
        if (comment)
            note = comment;
    } else if (strcmp(action, "request_extension") == 0) {
        v.extension_hours = json_integer_value(json_object_get(body, "hours"));
        json_object_set_new(detail, "hours", json_integer(v.extension_hours));
    } else if (strcmp(action, "grant_extension") == 0) {
        json_object_set_new(detail, "hours", json_integer(v.extension_hours));
        v.budget += v.extension_hours * HOUR_MS;
        v.deadline = workclock_add(&ctx->cal, v.deadline, v.extension_hours * HOUR_MS,
                                   natural_time(&v));
        v.yellow = yellow_of(ctx, &v);
        v.next_escalation = v.deadline > ctx->now ? v.deadline : v.next_escalation;
        v.extension_hours = 0;
    } else if (strcmp(action, "refuse_extension") == 0) {
        json_object_set_new(detail, "hours", json_integer(v.extension_hours));
        v.extension_hours = 0;
    } else if (strcmp(action, "escalate") == 0) {
        if (!escalate(db, a, &v, detail))
            rc = err_set(e, ERR_CONFLICT, "already_top", "action", "事件已由最高一级处置");
        else if (v.deadline && v.deadline <= ctx->now)
            v.next_escalation = workclock_add(&ctx->cal, ctx->now,
                                              ctx->cfg->escalate_every_h * HOUR_MS, natural_time(&v));
    } else if (strcmp(action, "suspend") == 0) {
        v.held_status = from;
        v.paused = ctx->now;
    } else if (strcmp(action, "resume") == 0) {
        if (v.deadline && v.paused) {
            /* The clock resumes with the time that was left at the pause. */
            int64_t left = workclock_between(&ctx->cal, v.paused, v.deadline, natural_time(&v));
            v.deadline = workclock_add(&ctx->cal, ctx->now, left, natural_time(&v));
            v.yellow = yellow_of(ctx, &v);
            v.next_escalation = v.deadline;
            json_object_set_new(detail, "paused_ms", json_integer(ctx->now - v.paused));
        }
        v.paused = 0;
    } else if (strcmp(action, "merge") == 0) {
        int64_t into = json_integer_value(json_object_get(body, "into"));
        struct ev target;
        if (into == v.id || load(db, a, into, &target) < 0 ||
            !area_path_within(who->scope_path, target.area_path) ||
            !workflow_is_open(target.status))
            rc = err_set(e, ERR_INVALID, "invalid_merge_target", "into",
                         "事件 %lld 不存在、不在您的管辖范围内、已办结或就是本事件", (long long)into);
        else {
            sqlite3_stmt *st = db_prepare(db, "UPDATE event SET merged_into = ? WHERE id = ?");
            db_bind_int(st, 1, into);
            db_bind_int(st, 2, v.id);
            sqlite3_step(st);
            sqlite3_reset(st);
            start_step(ctx, &v, NULL, 0);
            json_object_set_new(detail, "into", json_integer(into));
            json_t *back = json_pack("{s:I}", "from", (json_int_t)v.id);
            rc = timeline_add(db, ctx, who, into, "merge", target.status, target.status,
                              note, back, e);
            json_decref(back);
        }
    }
    if (rc == 0 && v.step && strcmp(t->to, TO_SAME) != 0)
        json_object_set_new(detail, "deadline_ms", json_integer(v.deadline));
    if (rc == 0)
        rc = save(db, ctx, &v, e);
    if (rc == 0)
        rc = timeline_add(db, ctx, who, v.id, action, from, v.status, note, detail, e);
    if (rc == 0 && nphotos)
        rc = attachment_link(db, who->account_id, v.id, sqlite3_last_insert_rowid(db_handle(db)),
                             photos, nphotos, e);
    /* A category a person settled is an example the classifier learns from
     * (pingan train), marked corrected when it is not the one proposed. */
    if (rc == 0 && v.minor &&
        (strcmp(action, "register") == 0 || strcmp(action, "dispatch") == 0 ||
         strcmp(action, "resolve") == 0) &&
        categorizer_keep(db, v.id, v.minor, ctx->now) < 0)
        rc = err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    json_decref(detail);
    return rc;
}

int event_area_path(struct db *db, struct arena *a, int64_t id, int64_t department_id,
                    const char **path)
{
    if (!department_id)
        return area_path_of(db, a, "SELECT area_path FROM event WHERE id = ?", id, path);
    sqlite3_stmt *st = db_prepare(db, "SELECT e.area_path FROM event e JOIN event_department d "
                                      "ON d.event_id = e.id AND d.department_id = ?2 WHERE e.id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, department_id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        *path = arena_strdup(a, db_col_text(st, 0));
    sqlite3_reset(st);
    return found ? 0 : -1;
}

/* ------------------------------------------------------------ reading */

static json_t *json_string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void set_time(json_t *o, const char *key, int64_t ms)
{
    if (!ms) {
        json_object_set_new(o, key, json_null());
        return;
    }
    char iso[40];
    clock_format_iso(ms, iso, sizeof(iso));
    json_object_set_new(o, key, json_string(iso));
}

#define ROW_COLS                                                                                   \
    "e.id, e.track_code, e.source, e.description, e.status, e.minor, c.minor_name, c.major, "    \
    "c.major_name, c.level, coalesce(c.deadline_override_h, c.deadline_h), e.priority, a.code, a.name, h.code, h.name, h.level, "  \
    "e.lng, e.lat, e.address, e.reporter_name, e.step, e.deadline_ms, e.yellow_ms, e.paused_ms, " \
    "e.escalations, e.extension_hours, e.merged_into, e.rating, e.rating_comment, "              \
    "e.handling_rating, e.created_ms, e.updated_ms, e.closed_ms, d.name, e.department_id, "      \
    "e.reporter_phone_mask "
#define ROW_FROM                                                                                   \
    "FROM event e JOIN area a ON a.id = e.area_id JOIN area h ON h.id = e.handling_area_id "     \
    "LEFT JOIN category c ON c.minor = e.minor LEFT JOIN department d ON d.id = e.department_id "

static json_t *row_json(const struct event_ctx *ctx, sqlite3_stmt *st)
{
    const char *status = db_col_text(st, 4);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:i,s:{s:s,s:s},s:{s:s,s:s,s:s}}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "track_code",
                          db_col_text(st, 1), "source", db_col_text(st, 2), "description",
                          db_col_text(st, 3), "status", status, "status_name",
                          workflow_status_name(status), "priority", sqlite3_column_int(st, 11),
                          "area", "code", db_col_text(st, 12), "name", db_col_text(st, 13),
                          "handling_area", "code", db_col_text(st, 14), "name",
                          db_col_text(st, 15), "level", db_col_text(st, 16));
    json_object_set_new(o, "category",
                        sqlite3_column_type(st, 5) == SQLITE_NULL
                            ? json_null()
                            : json_pack("{s:s,s:s,s:s,s:s,s:s,s:i}", "minor", db_col_text(st, 5),
                                        "minor_name", db_col_text(st, 6), "major",
                                        db_col_text(st, 7), "major_name", db_col_text(st, 8),
                                        "level", db_col_text(st, 9), "deadline_h",
                                        sqlite3_column_int(st, 10)));
    if (sqlite3_column_type(st, 17) != SQLITE_NULL) {
        json_object_set_new(o, "lng", json_real(sqlite3_column_double(st, 17)));
        json_object_set_new(o, "lat", json_real(sqlite3_column_double(st, 18)));
    }
    json_object_set_new(o, "address", json_string_or_null(db_col_text_or_null(st, 19)));
    json_object_set_new(o, "reporter_name", json_string_or_null(db_col_text_or_null(st, 20)));
    json_object_set_new(o, "reporter_phone", json_string_or_null(db_col_text_or_null(st, 36)));
    json_object_set_new(o, "step", json_string_or_null(db_col_text_or_null(st, 21)));
    int64_t deadline = sqlite3_column_int64(st, 22), yellow = sqlite3_column_int64(st, 23),
            paused = sqlite3_column_int64(st, 24);
    set_time(o, "deadline", deadline);
    json_object_set_new(o, "light", json_string(light_of(ctx, deadline, yellow, paused)));
    json_object_set_new(o, "paused", json_boolean(paused != 0));
    json_object_set_new(o, "escalations", json_integer(sqlite3_column_int(st, 25)));
    json_object_set_new(o, "extension_requested_hours",
                        sqlite3_column_int64(st, 26) ? json_integer(sqlite3_column_int64(st, 26))
                                                     : json_null());
    json_object_set_new(o, "merged_into", sqlite3_column_type(st, 27) == SQLITE_NULL
                                              ? json_null()
                                              : json_integer(sqlite3_column_int64(st, 27)));
    json_object_set_new(o, "rating", sqlite3_column_type(st, 28) == SQLITE_NULL
                                         ? json_null()
                                         : json_integer(sqlite3_column_int(st, 28)));
    json_object_set_new(o, "rating_comment", json_string_or_null(db_col_text_or_null(st, 29)));
    json_object_set_new(o, "handling_rating", sqlite3_column_type(st, 30) == SQLITE_NULL
                                                  ? json_null()
                                                  : json_integer(sqlite3_column_int(st, 30)));
    set_time(o, "created_at", sqlite3_column_int64(st, 31));
    set_time(o, "updated_at", sqlite3_column_int64(st, 32));
    set_time(o, "closed_at", sqlite3_column_int64(st, 33));
    json_object_set_new(o, "department",
                        sqlite3_column_type(st, 34) == SQLITE_NULL
                            ? json_null()
                            : json_pack("{s:I,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 35),
                                        "name", db_col_text(st, 34)));
    return o;
}

json_t *event_to_json(struct db *db, struct arena *a, const struct event_ctx *ctx,
                      const struct actor *who, int64_t id)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " ROW_COLS ROW_FROM "WHERE e.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row_json(ctx, st) : NULL;
    sqlite3_reset(st);
    struct ev v;
    if (!o || load(db, a, id, &v) < 0)
        return o;
    json_object_set_new(o, "allowed", workflow_allowed_json(v.status, caps_of(db, who, &v), facts_of(&v)));
    /* The departments on it, lead first. */
    json_t *deps = json_array();
    st = db_prepare(db, "SELECT d.id, d.name, ed.lead FROM event_department ed JOIN department d "
                        "ON d.id = ed.department_id WHERE ed.event_id = ? ORDER BY ed.lead DESC, d.id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(deps, json_pack("{s:I,s:s,s:b}", "id",
                                              (json_int_t)sqlite3_column_int64(st, 0), "name",
                                              db_col_text(st, 1), "lead", sqlite3_column_int(st, 2)));
    sqlite3_reset(st);
    json_object_set_new(o, "departments", deps);
    /* The area chain, root first. */
    json_t *chain = json_array();
    int64_t ids[MAX_DEPTH];
    for (int i = 0, n = path_ids(v.area_path, ids, MAX_DEPTH); i < n; i++) {
        struct area up;
        if (area_get_by_id(db, a, ids[i], &up) == 0)
            json_array_append_new(chain, json_pack("{s:s,s:s,s:s}", "code", up.code, "name",
                                                   up.name, "level", up.level));
    }
    json_object_set_new(o, "area_chain", chain);
    /* The unit it concerns and its casualties (三零 creation). */
    st = db_prepare(db, "SELECT o.id, o.name, e.casualties FROM event e LEFT JOIN org o ON o.id = "
                        "e.org_id WHERE e.id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_object_set_new(o, "org", sqlite3_column_type(st, 0) == SQLITE_NULL
                                          ? json_null()
                                          : json_pack("{s:I,s:s}", "id",
                                                      (json_int_t)sqlite3_column_int64(st, 0),
                                                      "name", db_col_text(st, 1)));
        json_object_set_new(o, "casualties", json_integer(sqlite3_column_int(st, 2)));
    }
    sqlite3_reset(st);
    /* What the classifier proposed at intake, and with which model. */
    st = db_prepare(db, "SELECT e.proposed_minor, c.minor_name, e.proposed_score, e.model_version "
                        "FROM event e LEFT JOIN category c ON c.minor = e.proposed_minor "
                        "WHERE e.id = ? AND e.proposed_minor IS NOT NULL");
    db_bind_int(st, 1, id);
    json_object_set_new(
        o, "proposal",
        sqlite3_step(st) == SQLITE_ROW
            ? json_pack("{s:s,s:s?,s:f,s:b,s:s?}", "minor", db_col_text(st, 0), "minor_name",
                        db_col_text_or_null(st, 1), "score", sqlite3_column_double(st, 2),
                        "needs_review",
                        sqlite3_column_double(st, 2) * 100 < (double)ctx->cfg->classify_review_below,
                        "model", db_col_text_or_null(st, 3))
            : json_null());
    sqlite3_reset(st);
    /* Photos: all of them, and each entry's own. */
    json_t *photos = attachment_list_json(db, id);
    json_object_set_new(o, "attachments", photos);
    json_t *tl = json_array();
    st = db_prepare(db, "SELECT id, at_ms, actor, action, from_status, to_status, note, detail "
                        "FROM event_timeline WHERE event_id = ? ORDER BY id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const struct transition *t = workflow_find(db_col_text(st, 3));
        json_t *x = json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s,s:s?}", "id",
                              (json_int_t)sqlite3_column_int64(st, 0), "actor", db_col_text(st, 2),
                              "action", db_col_text(st, 3), "action_name",
                              t ? t->name : "上报", "from", db_col_text_or_null(st, 4), "to",
                              db_col_text(st, 5), "note", db_col_text_or_null(st, 6));
        set_time(x, "at", sqlite3_column_int64(st, 1));
        json_t *d = sqlite3_column_type(st, 7) == SQLITE_NULL
                        ? NULL
                        : json_loads(db_col_text(st, 7), 0, NULL);
        json_object_set_new(x, "detail", d ? d : json_object());
        json_t *mine = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(photos, i, p)
        {
            if (json_integer_value(json_object_get(p, "timeline_id")) ==
                sqlite3_column_int64(st, 0))
                json_array_append(mine, p);
        }
        json_object_set_new(x, "attachments", mine);
        json_array_append_new(tl, x);
    }
    sqlite3_reset(st);
    json_object_set_new(o, "timeline", tl);
    return o;
}

/* The light of a row as SQL, for filters and counts (?N: now). */
#define LIGHT_SQL(now)                                                                             \
    "CASE WHEN e.deadline_ms IS NULL THEN 'none' WHEN coalesce(e.paused_ms, " now ") >= "        \
    "e.deadline_ms THEN 'red' WHEN coalesce(e.paused_ms, " now ") >= e.yellow_ms THEN 'yellow' " \
    "ELSE 'green' END"

/* The filters other than place, status and department, tested row by row. */
#define LIST_FILTERS                                                                               \
    "AND (?4 IS NULL OR " LIGHT_SQL("?5") " = ?4) AND (?6 IS NULL OR e.minor = ?6) "               \
    "AND (?7 IS NULL OR e.source = ?7) "
#define LIST_REST                                                                                  \
    LIST_FILTERS "AND (?8 = 0 OR EXISTS (SELECT 1 FROM event_department x "                        \
                 "WHERE x.event_id = e.id AND x.department_id = ?8)) "
#define LIST_STATUS "e.status IN (SELECT value FROM json_each(?3)) "
#define LIST_PLACE "e.area_path >= ?1 AND e.area_path < ?2 "
/* A department's events with statuses: those it leads (event_lead alone
 * answers) and those it co-handles. */
#define LIST_DEPARTMENT                                                                            \
    "SELECT e.id FROM event e WHERE e.department_id = ?8 AND " LIST_STATUS "AND " LIST_PLACE      \
    LIST_FILTERS "UNION ALL SELECT e.id FROM event_department x JOIN event e ON e.id = "           \
    "x.event_id WHERE x.department_id = ?8 AND x.lead = 0 AND " LIST_STATUS "AND " LIST_PLACE     \
    LIST_FILTERS
/* A page is chosen by ids first, then only its rows are joined and shown. */
#define LIST_PAGE(ids) "SELECT " ROW_COLS ROW_FROM "WHERE e.id IN (" ids ") ORDER BY e.id DESC"
#define LIST_IDS(where) "SELECT e.id FROM event e WHERE " where " ORDER BY e.id DESC LIMIT ?9 OFFSET ?10"

/* Lists count their matches up to this many; a larger total is shown as
 * this many with total_capped (counting a county's year of events, a
 * million rows, costs more than the page itself). */
#define LIST_COUNT_CAP 10000

json_t *event_list_json(struct db *db, struct arena *a, const struct event_ctx *ctx,
                        const struct event_query *q)
{
    /* Statuses as a JSON array for json_each. */
    json_t *sts = NULL;
    if (q->statuses) {
        sts = json_array();
        const char *p = q->statuses;
        while (*p) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            json_array_append_new(sts, json_stringn(p, n));
            p += n + (c ? 1 : 0);
        }
    }
    char *stext = sts ? json_dumps(sts, JSON_COMPACT) : NULL;
    json_decref(sts);
    /* The plan is chosen here, the planner having no statistics. For a
     * county or a township, the newest events backwards until the page is
     * full (one in 22 is a township's), by event_status (status, id) when
     * statuses are asked; for a smaller place, its range of
     * event_status_place or event_path and a sort of the matches; for a
     * department with statuses, event_lead. Counts come from the covering
     * indexes. Literals: the statement cache keys on the SQL's address. */
    int depth = 0;
    for (const char *p = q->scope; *p; p++)
        depth += *p == '/';
    static const char *const page_sql[] = {
        LIST_PAGE(LIST_IDS(LIST_STATUS "AND " LIST_PLACE LIST_REST)),
        LIST_PAGE(LIST_IDS("+e.area_path >= ?1 AND +e.area_path < ?2 " LIST_REST)),
        LIST_PAGE(LIST_IDS(LIST_PLACE LIST_REST)),
        LIST_PAGE("SELECT id FROM (" LIST_DEPARTMENT ") ORDER BY id DESC LIMIT ?9 OFFSET ?10"),
        LIST_PAGE(LIST_IDS(LIST_STATUS "AND +e.area_path >= ?1 AND +e.area_path < ?2 " LIST_REST)),
        /* One status: event_status gives its ids in order, no sort at all. */
        LIST_PAGE(LIST_IDS("e.status = ?11 AND +e.area_path >= ?1 AND +e.area_path < ?2 " LIST_REST)),
    };
    static const char *const count_sql[] = {
        "SELECT count(*) FROM (SELECT 1 FROM event e WHERE " LIST_STATUS "AND " LIST_PLACE
        LIST_REST "LIMIT ?9)",
        "SELECT count(*) FROM (SELECT 1 FROM event e WHERE " LIST_PLACE LIST_REST "LIMIT ?9)",
        NULL,
        "SELECT count(*) FROM (" LIST_DEPARTMENT "LIMIT ?9)",
    };
    int broad = depth <= 3;
    int one = q->statuses && !strchr(q->statuses, ',');
    int which = stext && q->department_id ? 3
                : stext                   ? (broad ? (one ? 5 : 4) : 0)
                : broad                   ? 1
                                          : 2;
    json_t *items = json_array();
    int64_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st =
            db_prepare(db, pass == 0 ? page_sql[which]
                                     : count_sql[which == 2 ? 1 : which >= 4 ? 0 : which]);
        db_bind_text(st, 1, q->scope);
        db_bind_text(st, 2, area_path_upper(a, q->scope));
        db_bind_text(st, 3, stext);
        db_bind_text(st, 4, q->light);
        db_bind_int(st, 5, ctx->now);
        db_bind_text(st, 6, q->minor);
        db_bind_text(st, 7, q->source);
        sqlite3_bind_int64(st, 8, q->department_id);
        if (pass == 0) {
            db_bind_int(st, 9, q->limit);
            db_bind_int(st, 10, q->offset);
            if (which == 5)
                db_bind_text(st, 11, q->statuses);
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(items, row_json(ctx, st));
        } else {
            db_bind_int(st, 9, LIST_COUNT_CAP + 1);
            if (sqlite3_step(st) == SQLITE_ROW)
                total = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
    }
    free(stext);
    return json_pack("{s:o,s:I,s:b}", "items", items, "total",
                     (json_int_t)(total > LIST_COUNT_CAP ? LIST_COUNT_CAP : total), "total_capped",
                     total > LIST_COUNT_CAP);
}

json_t *event_inbox_json(struct db *db, struct arena *a, const struct event_ctx *ctx,
                         const struct actor *who, long limit)
{
    const char *role = who->role ? who->role : "";
    /* What waits on whom (workflow.h): the centre registers, dispatches,
     * verifies and answers extension requests in the area it handles; a
     * department accepts and handles; a reporter rates what was closed.
     * Literals: the statement cache keys on the SQL's address. */
#define INBOX_CENTRE                                                                               \
    "e.status IN ('reported', 'registered', 'handled', 'accepted') AND e.handling_path >= ?1 "    \
    "AND e.handling_path < ?2 AND (e.status <> 'accepted' OR e.extension_hours IS NOT NULL)"
#define INBOX_DEPARTMENT                                                                           \
    "e.department_id = ?3 AND e.status IN ('dispatched', 'accepted') AND "                         \
    "e.area_path >= ?1 AND e.area_path < ?2"
#define INBOX_REPORTER "e.reporter_id = ?4 AND e.status = 'closed'"
/* One pass, no grouping: the counts by light as sums over the rows. */
#define INBOX_COUNT(cond)                                                                          \
    "SELECT count(*), count(CASE WHEN " LIGHT_SQL("?5") " = 'red' THEN 1 END), "                   \
    "count(CASE WHEN " LIGHT_SQL("?5") " = 'yellow' THEN 1 END) FROM event e WHERE " cond
/* The page by ids first (from the index alone), then only its rows joined. */
#define INBOX_ITEMS(cond)                                                                          \
    "SELECT " ROW_COLS ROW_FROM "WHERE e.id IN (SELECT e.id FROM event e WHERE " cond            \
    " ORDER BY e.deadline_ms IS NULL, e.deadline_ms, e.id LIMIT ?6) "                             \
    "ORDER BY e.deadline_ms IS NULL, e.deadline_ms, e.id"
    static const char *const count_sql[] = {INBOX_COUNT(INBOX_CENTRE),
                                            INBOX_COUNT(INBOX_DEPARTMENT),
                                            INBOX_COUNT(INBOX_REPORTER)};
    /* The centre's page walks the open events by deadline (event_deadline)
     * and stops at the page's end, instead of sorting all its queue (a
     * county's is tens of thousands); work without a clock comes after. */
#define INBOX_CENTRE_ROWS                                                                          \
    "+e.status IN ('reported', 'registered', 'handled', 'accepted') AND +e.handling_path >= ?1 "  \
    "AND +e.handling_path < ?2 AND (e.status <> 'accepted' OR e.extension_hours IS NOT NULL)"
    static const char *const items_sql[] = {
        "SELECT " ROW_COLS ROW_FROM "WHERE e.id IN (SELECT e.id FROM event e WHERE "
        "e.deadline_ms IS NOT NULL AND " INBOX_CENTRE_ROWS " ORDER BY e.deadline_ms, e.id "
        "LIMIT ?6) ORDER BY e.deadline_ms, e.id",
        INBOX_ITEMS(INBOX_DEPARTMENT), INBOX_ITEMS(INBOX_REPORTER),
        "SELECT " ROW_COLS ROW_FROM "WHERE e.id IN (SELECT e.id FROM event e WHERE "
        "e.deadline_ms IS NULL AND " INBOX_CENTRE_ROWS " ORDER BY e.id LIMIT ?6) ORDER BY e.id"};
    int which = strcmp(role, "admin") == 0 || strcmp(role, "dispatcher") == 0 ? 0
                : strcmp(role, "handler") == 0                               ? 1
                                                                              : 2;
    json_t *out = json_pack("{s:i,s:i,s:i,s:i}", "total", 0, "green", 0, "yellow", 0, "red", 0);
    sqlite3_stmt *st = db_prepare(db, count_sql[which]);
    db_bind_text(st, 1, who->scope_path);
    db_bind_text(st, 2, area_path_upper(a, who->scope_path));
    sqlite3_bind_int64(st, 3, who->department_id);
    sqlite3_bind_int64(st, 4, who->account_id);
    db_bind_int(st, 5, ctx->now);
    if (sqlite3_step(st) == SQLITE_ROW) {
        int64_t total = sqlite3_column_int64(st, 0), red = sqlite3_column_int64(st, 1),
                yellow = sqlite3_column_int64(st, 2);
        /* Work without a clock (none) counts as green. */
        json_object_set_new(out, "total", json_integer(total));
        json_object_set_new(out, "red", json_integer(red));
        json_object_set_new(out, "yellow", json_integer(yellow));
        json_object_set_new(out, "green", json_integer(total - red - yellow));
    }
    sqlite3_reset(st);
    /* The most urgent first: red, then the nearest deadline. */
    json_t *items = json_array();
    for (int part = which; part >= 0; part = part == 0 ? 3 : -1) {
        long left = limit - (long)json_array_size(items);
        if (left <= 0)
            break;
        st = db_prepare(db, items_sql[part]);
        db_bind_text(st, 1, who->scope_path);
        db_bind_text(st, 2, area_path_upper(a, who->scope_path));
        sqlite3_bind_int64(st, 3, who->department_id);
        sqlite3_bind_int64(st, 4, who->account_id);
        db_bind_int(st, 5, ctx->now);
        db_bind_int(st, 6, left);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(items, row_json(ctx, st));
        sqlite3_reset(st);
        if (part != 0)
            break;
    }
    json_object_set_new(out, "items", items);
    return out;
}

/* Turns the stored lights that time has turned (green → yellow → red) and
 * marks the events that went red as late; the counters follow by trigger. */
static int refresh_lights(struct db *db, int64_t now, struct err *e)
{
    static const char *const sql[] = {
        "UPDATE event SET light = 'red', late = 1 WHERE light IN ('green', 'yellow') AND "
        "paused_ms IS NULL AND deadline_ms <= ?",
        "UPDATE event SET light = 'yellow' WHERE light = 'green' AND paused_ms IS NULL AND "
        "yellow_ms <= ?",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st = db_prepare(db, sql[i]);
        db_bind_int(st, 1, now);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    }
    return 0;
}

int event_sweep(struct db *db, struct arena *a, const struct event_ctx *ctx, int64_t *out,
                int max, struct err *e)
{
    if (refresh_lights(db, ctx->now, e) < 0)
        return -1;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id FROM event WHERE next_escalation_ms <= ?1 AND deadline_ms <= ?1 AND "
            "status IN ('reported', 'registered', 'dispatched', 'accepted') LIMIT ?2");
    db_bind_int(st, 1, ctx->now);
    db_bind_int(st, 2, max);
    int64_t *ids = out;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    struct actor sys = {0, "system", NULL, "/", 0, 0};
    int escalated = 0;
    for (int i = 0; i < n; i++) {
        json_t *allowed = NULL;
        struct err one = ERR_INIT;
        json_t *body = json_object();
        int rc = event_apply(db, a, ctx, &sys, ids[i], "escalate", body, &allowed, &one);
        json_decref(body);
        json_decref(allowed);
        if (rc == 0) {
            ids[escalated++] = ids[i];
        } else if (one.code && strcmp(one.code, "already_top") == 0) {
            /* At the top: stop asking until the next period. */
            sqlite3_stmt *up = db_prepare(db, "UPDATE event SET next_escalation_ms = ? WHERE id = ?");
            db_bind_int(up, 1, workclock_add(&ctx->cal, ctx->now,
                                             ctx->cfg->escalate_every_h * HOUR_MS, 1));
            db_bind_int(up, 2, ids[i]);
            sqlite3_step(up);
            sqlite3_reset(up);
        } else {
            *e = one;
            return -1;
        }
    }
    return escalated;
}

int event_set_org(struct db *db, int64_t id, int64_t org_id)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE event SET org_id = ?2 WHERE id = ?1");
    db_bind_int(st, 1, id);
    if (org_id)
        db_bind_int(st, 2, org_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE && sqlite3_changes(db_handle(db)) == 1 ? 0 : -1;
}

int event_set_proposal(struct db *db, int64_t id, const char *minor, double score,
                       const char *model)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE event SET proposed_minor = ?, proposed_score = ?, "
                                      "model_version = ? WHERE id = ?");
    db_bind_text(st, 1, minor);
    sqlite3_bind_double(st, 2, score);
    db_bind_text(st, 3, model);
    db_bind_int(st, 4, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

int event_brief(struct db *db, int64_t id, char *area_path, size_t path_size, char *status,
                size_t status_size, int64_t *depts, int max, int *ndepts)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT area_path, status FROM event WHERE id = ?");
    db_bind_int(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        snprintf(area_path, path_size, "%s", db_col_text(st, 0));
        snprintf(status, status_size, "%s", db_col_text(st, 1));
    }
    sqlite3_reset(st);
    *ndepts = 0;
    if (!found)
        return -1;
    st = db_prepare(db, "SELECT department_id FROM event_department WHERE event_id = ?");
    db_bind_int(st, 1, id);
    while (*ndepts < max && sqlite3_step(st) == SQLITE_ROW)
        depts[(*ndepts)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 0;
}
