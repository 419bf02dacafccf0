/* The camera network (雪亮工程): registry, status, rates, outages, alarms. */
#include "camera.h"

#include <string.h>

#include "domain/area.h"
#include "domain/boundary.h"
#include "domain/event.h"
#include "domain/ledger.h"
#include "domain/workflow.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/buf.h"
#include "util/conf.h"
#include "util/jsonfield.h"

static const struct {
    const char *key, *name;
} kinds[] = {
    {"public", "公共区域"}, {"entrance", "出入口卡口"},          {"road", "道路交通"},
    {"school", "校园周边"}, {"village", "雪亮入户（数字乡村）"}, {"business", "商户单位"},
    {"other", "其他"},
};
#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

const char *camera_kind_name(const char *kind)
{
    for (size_t i = 0; kind && i < NELEM(kinds); i++)
        if (strcmp(kinds[i].key, kind) == 0)
            return kinds[i].name;
    return NULL;
}

/* ------------------------------------------------------------ registry */

static int date_or_null(json_t *body, const char *key, const char **out, struct err *e)
{
    if (jf_str(body, key, 0, 10, out, e) < 0)
        return -1;
    if (*out && clock_valid_date(*out) != 0)
        return err_set(e, ERR_INVALID, "invalid_date", key, "%s 应为 YYYY-MM-DD 格式的日期", key);
    return 0;
}

int camera_from_json(json_t *body, struct camera_input *in, struct err *e)
{
    static const char *const allowed[] = {
        "code", "name",         "kind",           "operator",       "lng",
        "lat",  "planned_date", "installed_date", "connected_date", NULL};
    memset(in, 0, sizeof(*in));
    int has_point = 0;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "code", 1, 32, &in->code, e) < 0 ||
        jf_str(body, "name", 1, 100, &in->name, e) < 0 ||
        jf_str(body, "kind", 1, 16, &in->kind, e) < 0 ||
        jf_str(body, "operator", 0, 100, &in->operator_name, e) < 0 ||
        jf_point(body, &in->lng, &in->lat, &has_point, e) < 0 ||
        date_or_null(body, "planned_date", &in->planned_date, e) < 0 ||
        date_or_null(body, "installed_date", &in->installed_date, e) < 0 ||
        date_or_null(body, "connected_date", &in->connected_date, e) < 0)
        return -1;
    for (const char *p = in->code; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_'))
            return err_set(e, ERR_INVALID, "invalid_code", "code",
                           "摄像机编码只能由字母、数字、- 和 _ 组成");
    if (!camera_kind_name(in->kind))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind",
                       "kind 应为 public、entrance、road、school、village、business 或 other");
    if (!has_point)
        return err_set(e, ERR_INVALID, "missing_field", "lng", "请给出摄像机的坐标 lng、lat");
    if (in->installed_date && !in->planned_date)
        in->planned_date = in->installed_date;
    if (in->connected_date && !in->installed_date)
        return err_set(e, ERR_INVALID, "not_installed", "connected_date",
                       "未安装的摄像机不能有联网日期");
    if (in->installed_date &&
        strcmp(in->connected_date ? in->connected_date : "9", in->installed_date) < 0)
        return err_set(e, ERR_INVALID, "connected_before_installed", "connected_date",
                       "联网日期不能早于安装日期");
    return 0;
}

int64_t camera_create(struct db *db, struct arena *a, const struct camera_input *in,
                      const char *scope, int64_t now, struct err *e)
{
    int64_t leaf = boundary_locate(db, in->lng, in->lat);
    struct area ar;
    if (leaf < 0)
        return err_set(e, ERR_INTERNAL, "locate_failed", NULL, "定位失败");
    if (leaf == 0 || area_get_by_id(db, a, leaf, &ar) < 0)
        return err_set(e, ERR_INVALID, "point_outside_area", "lng",
                       "坐标 (%.6f, %.6f) 不在任何网格内", in->lng, in->lat);
    if (!area_path_within(scope, ar.path))
        return err_set(e, ERR_NOT_FOUND, "area_not_found", "lng", "摄像机的位置不在您的管辖范围内");
    if (db_id_by_text(db, "SELECT id FROM camera WHERE code = ?", in->code) > 0)
        return err_set(e, ERR_CONFLICT, "camera_exists", "code", "编码为 %s 的摄像机已登记",
                       in->code);
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO camera (code, name, kind, operator, lng, lat, area_id, area_path, "
            "planned_date, installed_date, connected_date, created_ms, updated_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)");
    db_bind_text(st, 1, in->code);
    db_bind_text(st, 2, in->name);
    db_bind_text(st, 3, in->kind);
    db_bind_text(st, 4, in->operator_name);
    sqlite3_bind_double(st, 5, in->lng);
    sqlite3_bind_double(st, 6, in->lat);
    db_bind_int(st, 7, ar.id);
    db_bind_text(st, 8, ar.path);
    db_bind_text(st, 9, in->planned_date);
    db_bind_text(st, 10, in->installed_date);
    db_bind_text(st, 11, in->connected_date);
    db_bind_int(st, 12, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

int camera_update(struct db *db, struct arena *a, int64_t id, json_t *body, int64_t now,
                  struct err *e)
{
    static const char *const allowed[] = {
        "name", "kind", "operator", "planned_date", "installed_date", "connected_date", NULL};
    if (jf_only(body, allowed, e) < 0)
        return -1;
    if (json_object_size(body) == 0)
        return err_set(e, ERR_INVALID, "missing_field", NULL, "请给出要修改的字段");
    sqlite3_stmt *st = db_prepare(db, "SELECT name, kind, operator, planned_date, installed_date, "
                                      "connected_date FROM camera WHERE id = ?");
    db_bind_int(st, 1, id);
    const char *v[6] = {NULL};
    int found = sqlite3_step(st) == SQLITE_ROW;
    for (int i = 0; found && i < 6; i++) {
        const char *t = db_col_text_or_null(st, i);
        v[i] = t ? arena_strdup(a, t) : NULL;
    }
    sqlite3_reset(st);
    if (!found)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "摄像机不存在");
    /* The stored values with the body's on top, then the create rules. */
    static const char *const keys[6] = {"name",         "kind",           "operator",
                                        "planned_date", "installed_date", "connected_date"};
    json_t *merged = json_object();
    for (int i = 0; i < 6; i++) {
        json_t *x = json_object_get(body, keys[i]);
        if (x && !json_is_null(x))
            json_object_set(merged, keys[i], x);
        else if (!x && v[i])
            json_object_set_new(merged, keys[i], json_string(v[i]));
    }
    json_object_set_new(merged, "code", json_string("X"));
    json_object_set_new(merged, "lng", json_real(0));
    json_object_set_new(merged, "lat", json_real(0));
    struct camera_input in;
    int rc = camera_from_json(merged, &in, e);
    if (rc == 0) {
        st = db_prepare(db, "UPDATE camera SET name = ?2, kind = ?3, operator = ?4, planned_date = "
                            "?5, installed_date = ?6, connected_date = ?7, updated_ms = ?8 "
                            "WHERE id = ?1");
        db_bind_int(st, 1, id);
        db_bind_text(st, 2, in.name);
        db_bind_text(st, 3, in.kind);
        db_bind_text(st, 4, in.operator_name);
        db_bind_text(st, 5, in.planned_date);
        db_bind_text(st, 6, in.installed_date);
        db_bind_text(st, 7, in.connected_date);
        db_bind_int(st, 8, now);
        int done = sqlite3_step(st);
        sqlite3_reset(st);
        if (done != SQLITE_DONE)
            rc = err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    }
    /* e's strings are static or in e itself: merged may go. */
    json_decref(merged);
    return rc;
}

int camera_area_path(struct db *db, struct arena *a, int64_t id, const char **path)
{
    return area_path_of(db, a, "SELECT area_path FROM camera WHERE id = ?", id, path);
}

#define CAM_COLS                                                                                   \
    "c.id, c.code, c.name, c.kind, c.operator, c.lng, c.lat, ar.code, ar.name, c.planned_date, "   \
    "c.installed_date, c.connected_date, c.status, c.reported_ms, c.online_ms, c.down_since_ms, "  \
    "c.alert_event_id, c.alerted_ms "

static void set_opt_int(json_t *o, const char *key, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        json_object_set_new(o, key, json_null());
    else
        json_object_set_new(o, key, json_integer(sqlite3_column_int64(st, i)));
}

static void set_opt_text(json_t *o, const char *key, sqlite3_stmt *st, int i)
{
    const char *s = db_col_text_or_null(st, i);
    json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static json_t *row_json(sqlite3_stmt *st)
{
    const char *kind = db_col_text(st, 3);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s?,s:f,s:f,s:s,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
        "code", db_col_text(st, 1), "name", db_col_text(st, 2), "kind", kind, "kind_name",
        camera_kind_name(kind), "lng", sqlite3_column_double(st, 5), "lat",
        sqlite3_column_double(st, 6), "area", db_col_text(st, 7), "area_name", db_col_text(st, 8));
    set_opt_text(o, "operator", st, 4);
    set_opt_text(o, "planned_date", st, 9);
    set_opt_text(o, "installed_date", st, 10);
    set_opt_text(o, "connected_date", st, 11);
    json_object_set_new(o, "status", json_string(db_col_text(st, 12)));
    set_opt_int(o, "reported_ms", st, 13);
    set_opt_int(o, "online_ms", st, 14);
    set_opt_int(o, "down_since_ms", st, 15);
    set_opt_int(o, "alert_event_id", st, 16);
    set_opt_int(o, "alerted_ms", st, 17);
    return o;
}

json_t *camera_to_json(struct db *db, struct arena *a, int64_t id)
{
    (void)a;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " CAM_COLS "FROM camera c JOIN area ar ON ar.id = c.area_id WHERE c.id = ?");
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row_json(st) : NULL;
    sqlite3_reset(st);
    if (!o)
        return NULL;
    json_t *alarms = json_array();
    st = db_prepare(db, "SELECT alarm_key, kind, at_ms, event_id, attachment_id FROM camera_alarm "
                        "WHERE camera_id = ? ORDER BY at_ms DESC, id DESC LIMIT 50");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = db_col_text(st, 1);
        json_t *x = json_pack("{s:s,s:s,s:s?,s:I,s:I}", "alarm_id", db_col_text(st, 0), "kind", k,
                              "kind_name", camera_alarm_kind_name(k), "at_ms",
                              (json_int_t)sqlite3_column_int64(st, 2), "event_id",
                              (json_int_t)sqlite3_column_int64(st, 3));
        set_opt_int(x, "attachment_id", st, 4);
        json_array_append_new(alarms, x);
    }
    sqlite3_reset(st);
    json_object_set_new(o, "alarms", alarms);
    return o;
}

#define LIST_WHERE                                                                                 \
    "WHERE c.area_path >= ?1 AND c.area_path < ?2 AND (?3 IS NULL OR c.kind = ?3) AND "            \
    "(?4 IS NULL OR instr(c.code, ?4) > 0 OR instr(c.name, ?4) > 0) AND (?5 IS NULL OR "           \
    "(?5 = 'not_installed' AND c.installed_date IS NULL) OR "                                      \
    "(c.installed_date IS NOT NULL AND c.status = ?5)) "

static void bind_query(sqlite3_stmt *st, const struct camera_query *q, const char *upper)
{
    db_bind_text(st, 1, q->scope);
    db_bind_text(st, 2, upper);
    db_bind_text(st, 3, q->kind);
    db_bind_text(st, 4, q->q);
    db_bind_text(st, 5, q->status);
}

json_t *camera_list_json(struct db *db, struct arena *a, const struct camera_query *q)
{
    const char *upper = area_path_upper(a, q->scope);
    sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM camera c " LIST_WHERE);
    bind_query(st, q, upper);
    int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    json_t *items = json_array();
    st = db_prepare(db,
                    "SELECT " CAM_COLS "FROM camera c JOIN area ar ON ar.id = c.area_id " LIST_WHERE
                    "ORDER BY c.code LIMIT ?6 OFFSET ?7");
    bind_query(st, q, upper);
    db_bind_int(st, 6, q->limit);
    db_bind_int(st, 7, q->offset);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, row_json(st));
    sqlite3_reset(st);
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

/* ------------------------------------------------------------ rates */

static double rate(int64_t part, int64_t whole)
{
    /* Percent with two decimals, as the articles give them (95.51 %). */
    return whole ? (double)(part * 10000 / whole + (part * 10000 % whole * 2 >= whole)) / 100.0
                 : 0.0;
}

static json_t *counts_json(int64_t planned, int64_t installed, int64_t connected, int64_t online)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:f,s:f}", "planned", (json_int_t)planned, "installed",
                     (json_int_t)installed, "connected", (json_int_t)connected, "online",
                     (json_int_t)online, "offline", (json_int_t)(installed - online),
                     "install_rate", rate(installed, planned), "online_rate",
                     rate(online, installed));
}

#define COUNT_COLS                                                                                 \
    "count(c.id), count(c.installed_date), count(c.connected_date), "                              \
    "coalesce(sum(CASE WHEN c.installed_date IS NOT NULL AND c.status = 'online' THEN 1 END), 0) "

json_t *camera_rates_json(struct db *db, struct arena *a, const struct area *ar, long max_uncovered)
{
    const char *upper = area_path_upper(a, ar->path);
    sqlite3_stmt *st = db_prepare(db, "SELECT " COUNT_COLS ", max(c.reported_ms) FROM camera c "
                                      "WHERE c.area_path >= ?1 AND c.area_path < ?2");
    db_bind_text(st, 1, ar->path);
    db_bind_text(st, 2, upper);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = counts_json(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                        sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
        /* When the platform last reported here: a feed that stopped shows. */
        set_opt_int(o, "newest_report_ms", st, 4);
    }
    sqlite3_reset(st);
    if (!o)
        o = counts_json(0, 0, 0, 0);
    json_object_set_new(
        o, "area",
        json_pack("{s:s,s:s,s:s}", "code", ar->code, "name", ar->name, "level", ar->level));
    /* Each child's subtree is one range of the camera index. */
    json_t *children = json_array();
    st = db_prepare(db, "SELECT ch.code, ch.name, ch.level, " COUNT_COLS
                        "FROM area ch LEFT JOIN camera c ON c.area_path >= ch.path AND "
                        "c.area_path < substr(ch.path, 1, length(ch.path) - 1) || '0' "
                        "WHERE ch.parent_id = ? AND ch.retired_ms IS NULL "
                        "GROUP BY ch.id ORDER BY ch.code");
    db_bind_int(st, 1, ar->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *c = counts_json(sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
                                sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6));
        json_object_set_new(c, "code", json_string(db_col_text(st, 0)));
        json_object_set_new(c, "name", json_string(db_col_text(st, 1)));
        json_object_set_new(c, "level", json_string(db_col_text(st, 2)));
        json_array_append_new(children, c);
    }
    sqlite3_reset(st);
    json_object_set_new(o, "children", children);
    /* Grids (网格, where a grid worker answers for the coverage) of the
     * subtree without any installed camera; the area itself counts when it
     * is a grid. */
    json_t *grids = json_array();
    int64_t n = 0;
    st = db_prepare(
        db, "SELECT g.code, g.name, (SELECT name FROM area v WHERE v.id = g.parent_id) FROM area g "
            "WHERE g.level = 'grid' AND g.path >= ?1 AND g.path < ?2 AND g.retired_ms IS NULL AND "
            "NOT EXISTS (SELECT 1 FROM camera c WHERE c.area_path >= g.path AND c.area_path < "
            "substr(g.path, 1, length(g.path) - 1) || '0' AND c.installed_date IS NOT NULL) "
            "ORDER BY g.code");
    db_bind_text(st, 1, ar->path);
    db_bind_text(st, 2, upper);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n++ < max_uncovered)
            json_array_append_new(grids, json_pack("{s:s,s:s,s:s?}", "code", db_col_text(st, 0),
                                                   "name", db_col_text(st, 1), "parent_name",
                                                   db_col_text_or_null(st, 2)));
    }
    sqlite3_reset(st);
    json_object_set_new(o, "grids_without_camera",
                        json_pack("{s:I,s:o}", "total", (json_int_t)n, "items", grids));
    return o;
}

/* ------------------------------------------------------------ status */

int camera_parse_time(const char *s, int64_t *ms)
{
    if (!s || !*s)
        return -1;
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    if (!*p && p - s >= 10 && p - s <= 15) { /* epoch milliseconds */
        long v;
        if (conf_parse_long(s, &v) < 0)
            return -1;
        *ms = v;
        return 0;
    }
    if (clock_parse_iso(s, ms) < 0)
        return -1;
    size_t n = strlen(s);
    /* clock_parse_iso reads a time of day as UTC; without Z it is local. */
    if (n > 10 && s[n - 1] != 'Z')
        *ms -= 8 * 3600 * 1000LL;
    return 0;
}

static int status_value(const char *s, int *online)
{
    static const char *const on[] = {"online", "在线", "1", "正常", NULL};
    static const char *const off[] = {"offline", "离线", "0", "故障", NULL};
    for (size_t i = 0; on[i]; i++)
        if (strcmp(s, on[i]) == 0)
            return *online = 1, 0;
    for (size_t i = 0; off[i]; i++)
        if (strcmp(s, off[i]) == 0)
            return *online = 0, 0;
    return -1;
}

int camera_report_from_json(json_t *row, int64_t now, struct camera_report *out, struct err *e)
{
    static const char *const allowed[] = {"code", "status", "online", "at", NULL};
    memset(out, 0, sizeof(*out));
    if (!json_is_object(row))
        return err_set(e, ERR_INVALID, "invalid_type", NULL, "每一条状态应为 JSON 对象");
    const char *status = NULL;
    int online = 0, has_online = 0;
    if (jf_only(row, allowed, e) < 0 || jf_str(row, "code", 1, 32, &out->code, e) < 0 ||
        jf_bool(row, "online", 0, &online, &has_online, e) < 0)
        return -1;
    json_t *sv = json_object_get(row, "status");
    if (sv && !json_is_null(sv)) {
        if (!json_is_string(sv) || status_value(json_string_value(sv), &out->online) < 0)
            return err_set(e, ERR_INVALID, "invalid_status", "status",
                           "状态 status 应为 online（在线）或 offline（离线）");
        status = json_string_value(sv);
        if (has_online && online != out->online)
            return err_set(e, ERR_INVALID, "status_conflict", "online", "online 与 status 不一致");
    } else if (has_online) {
        out->online = online;
    } else {
        return err_set(e, ERR_INVALID, "missing_field", "status",
                       "缺少状态 status（online/offline）");
    }
    (void)status;
    json_t *at = json_object_get(row, "at");
    if (!at || json_is_null(at))
        out->at = now;
    else if (json_is_integer(at))
        out->at = json_integer_value(at);
    else if (!json_is_string(at) || camera_parse_time(json_string_value(at), &out->at) < 0)
        return err_set(e, ERR_INVALID, "invalid_time", "at",
                       "时间 at 应为毫秒时间戳或 ISO 8601 时间（如 2026-11-23 08:30:00）");
    if (out->at < 946684800000LL)
        return err_set(e, ERR_INVALID, "invalid_time", "at",
                       "时间 at 早于 2000 年，不可能是状态时间");
    if (out->at > now + 10 * 60 * 1000)
        return err_set(e, ERR_INVALID, "future_time", "at", "时间 at 晚于当前时间，请检查平台时钟");
    return 0;
}

int camera_report_apply(struct db *db, const char *scope, const struct camera_report *rp,
                        int64_t now, int *stale, struct err *e)
{
    *stale = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT id, area_path, status, reported_ms FROM camera "
                                      "WHERE code = ?");
    db_bind_text(st, 1, rp->code);
    int64_t id = 0, reported = 0;
    int inside = 0, was_offline = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        inside = area_path_within(scope, db_col_text(st, 1));
        was_offline = strcmp(db_col_text(st, 2), "offline") == 0;
        reported = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (!id || !inside)
        return err_set(e, ERR_NOT_FOUND, "camera_not_found", "code",
                       "编码为 %s 的摄像机不存在或不在您的管辖范围内", rp->code);
    if (reported && rp->at < reported) {
        *stale = 1; /* a late copy of an older report: the newer one stands */
        return 0;
    }
    if (rp->online)
        /* Back online: the outage (if any) is over; its event stays in the
         * loop, and a later outage is a new one. */
        st =
            db_prepare(db, "UPDATE camera SET status = 'online', reported_ms = ?2, online_ms = ?2, "
                           "down_since_ms = NULL, alerted_ms = NULL, alert_event_id = NULL, "
                           "updated_ms = ?3 WHERE id = ?1");
    else if (was_offline)
        st = db_prepare(db, "UPDATE camera SET reported_ms = ?2, updated_ms = ?3 WHERE id = ?1");
    else
        st = db_prepare(db, "UPDATE camera SET status = 'offline', reported_ms = ?2, "
                            "down_since_ms = ?2, updated_ms = ?3 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, rp->at);
    db_bind_int(st, 3, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return 0;
}

enum { C_CODE, C_STATUS, C_AT, NCOLS };
static const struct csv_column columns[NCOLS] = {
    [C_CODE] = {"code", LEDGER_NAMES("编码", "设备编码", "摄像机编码", "国标编码", "code"), 1},
    [C_STATUS] = {"status", LEDGER_NAMES("状态", "在线状态", "status"), 1},
    [C_AT] = {"at", LEDGER_NAMES("时间", "上报时间", "at", "time"), 0},
};

static int report_row(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                      json_t *body, struct arena *a)
{
    (void)ctx;
    (void)cells;
    (void)a;
    struct camera_report rp;
    struct err e = ERR_INIT;
    if (camera_report_from_json(body, l->opt->now, &rp, &e) < 0)
        return ledger_invalid(l, line, &e);
    int stale = 0;
    int rc = camera_report_apply(l->opt->db, l->opt->scope, &rp, l->opt->now, &stale, &e);
    return ledger_written(l, line, stale, rc, &e);
}

int camera_report_csv(const struct ledger_opts *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e)
{
    return ledger_read(opt, columns, NCOLS, report_row, NULL, data, len, stats, errors_json, e);
}

/* ------------------------------------------------------------ outages */

struct down {
    int64_t id, area_id, grid_id;
    double lng, lat;
    const char *code, *name;
};

static int64_t open_outage_event(struct db *db, int64_t grid_id)
{
    /* The outage events of this grid's cameras still down and raised. */
    sqlite3_stmt *st = db_prepare(
        db, "SELECT DISTINCT c.alert_event_id FROM camera c JOIN area ar ON ar.id = c.area_id "
            "WHERE ar.parent_id = ? AND c.alert_event_id IS NOT NULL ORDER BY 1 DESC");
    db_bind_int(st, 1, grid_id);
    int64_t ids[16];
    int n = 0;
    while (n < 16 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        char path[512], status[32];
        int64_t depts[4];
        int nd = 0;
        if (event_brief(db, ids[i], path, sizeof(path), status, sizeof(status), depts, 4, &nd) ==
                0 &&
            workflow_is_open(status))
            return ids[i];
    }
    return 0;
}

static int64_t raise_outage(struct db *db, struct arena *a, const struct event_ctx *ctx,
                            const struct down *d, int n, int64_t threshold_ms, struct err *e)
{
    struct area grid;
    if (area_get_by_id(db, a, d[0].grid_id, &grid) < 0)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "摄像机所在网格不存在");
    struct buf list = BUF_INIT;
    for (int i = 0; i < n && i < 10; i++)
        buf_addf(&list, "%s%s（%s）", i ? "、" : "", d[i].name, d[i].code);
    const char *desc =
        arena_printf(a, "视频监控离线：%s %d 路摄像机离线超过 %lld 小时：%s%s", grid.name, n,
                     (long long)(threshold_ms / 3600000), list.ptr, n > 10 ? " 等" : "");
    buf_release(&list);
    struct event_input in;
    memset(&in, 0, sizeof(in));
    in.source = "video";
    in.description = desc;
    in.minor = CAMERA_OUTAGE_MINOR;
    in.crs = GEO_WGS84;
    if (n == 1) {
        in.lng = d[0].lng;
        in.lat = d[0].lat;
        in.has_point = 1;
    } else {
        in.area = grid.code;
    }
    struct actor sys = {0, "system", NULL, "/", 0, 0};
    int created = 0;
    return event_create(db, a, ctx, &sys, &in, &created, e);
}

static int mark_raised(struct db *db, const struct down *d, int n, int64_t event_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(db, "UPDATE camera SET alerted_ms = ?2, alert_event_id = ?3, "
                                      "updated_ms = ?2 WHERE id = ?1");
    for (int i = 0; i < n; i++) {
        db_bind_int(st, 1, d[i].id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, event_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

int camera_sweep(struct db *db, struct arena *a, const struct event_ctx *ctx, int64_t threshold_ms,
                 int64_t *ids, int max, struct err *e)
{
    int64_t now = ctx->now;
    /* Silent cameras: judged against the platform's newest report, so a
     * platform that stopped sending does not turn every camera dark. */
    sqlite3_stmt *st = db_prepare(db, "SELECT max(reported_ms) FROM camera");
    int64_t newest = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (newest > now)
        newest = now;
    st = db_prepare(db, "UPDATE camera SET status = 'offline', down_since_ms = reported_ms, "
                        "updated_ms = ?2 WHERE status = 'online' AND reported_ms < ?1 AND "
                        "connected_date IS NOT NULL");
    db_bind_int(st, 1, newest - threshold_ms);
    db_bind_int(st, 2, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    /* Outages past the threshold not yet raised, grouped by grid. */
    st =
        db_prepare(db, "SELECT c.id, c.area_id, ar.parent_id, c.lng, c.lat, c.code, c.name "
                       "FROM camera c JOIN area ar ON ar.id = c.area_id WHERE c.status = 'offline' "
                       "AND c.alerted_ms IS NULL AND c.down_since_ms <= ? AND "
                       "c.installed_date IS NOT NULL AND c.connected_date IS NOT NULL "
                       "ORDER BY ar.parent_id, c.code LIMIT 5000");
    db_bind_int(st, 1, now - threshold_ms);
    struct down *d = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct down *nd = arena_alloc(a, cap * sizeof(*nd));
            if (n)
                memcpy(nd, d, n * sizeof(*nd));
            d = nd;
        }
        d[n].id = sqlite3_column_int64(st, 0);
        d[n].area_id = sqlite3_column_int64(st, 1);
        d[n].grid_id = sqlite3_column_int64(st, 2);
        d[n].lng = sqlite3_column_double(st, 3);
        d[n].lat = sqlite3_column_double(st, 4);
        d[n].code = arena_strdup(a, db_col_text(st, 5));
        d[n].name = arena_strdup(a, db_col_text(st, 6));
        n++;
    }
    sqlite3_reset(st);
    int made = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && d[j].grid_id == d[i].grid_id)
            j++;
        int64_t ev = open_outage_event(db, d[i].grid_id);
        if (!ev) {
            if (made >= max)
                break; /* the rest waits for the next sweep */
            ev = raise_outage(db, a, ctx, d + i, (int)(j - i), threshold_ms, e);
            if (ev < 0)
                return -1;
            ids[made++] = ev;
        }
        if (mark_raised(db, d + i, (int)(j - i), ev, now) < 0)
            return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
        i = j;
    }
    return made;
}

/* ------------------------------------------------------------ alarms */

static const struct {
    const char *key, *name, *minor; /* minor NULL: the dispatcher classifies */
} alarm_kinds[] = {
    {"intrusion", "区域入侵", "1301"},
    {"loitering", "人员徘徊", "1301"},
    {"fight", "打架斗殴", "1303"},
    {"crowd", "人员聚集", "2001"},
    {"fire", "烟火", "2103"},
    {"parking", "违规停车", "3002"},
    {"street_trading", "占道经营", "3001"},
    {"hawker", "流动摊贩", "3003"},
    {"burning", "焚烧秸秆垃圾", "3601"},
    {"dumping", "倾倒垃圾渣土", "3901"},
    {"water", "危险水域人员", "2801"},
    {"traffic_accident", "交通事故", "2601"},
    {"other", "其他告警", NULL},
};

const char *camera_alarm_kind_name(const char *kind)
{
    for (size_t i = 0; kind && i < NELEM(alarm_kinds); i++)
        if (strcmp(alarm_kinds[i].key, kind) == 0)
            return alarm_kinds[i].name;
    return NULL;
}

static const char *alarm_minor(const char *kind)
{
    for (size_t i = 0; i < NELEM(alarm_kinds); i++)
        if (strcmp(alarm_kinds[i].key, kind) == 0)
            return alarm_kinds[i].minor;
    return NULL;
}

int camera_alarm_from_json(json_t *body, int64_t now, struct camera_alarm_input *in, struct err *e)
{
    static const char *const allowed[] = {"alarm_id", "kind", "at", "snapshot", "note", NULL};
    memset(in, 0, sizeof(*in));
    int present = 0;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "alarm_id", 1, 64, &in->alarm_id, e) < 0 ||
        jf_str(body, "kind", 1, 32, &in->kind, e) < 0 ||
        jf_str(body, "note", 0, 500, &in->note, e) < 0 ||
        jf_int(body, "snapshot", 0, 1, INT64_MAX, &in->attachment, &present, e) < 0)
        return -1;
    if (!camera_alarm_kind_name(in->kind))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind",
                       "告警类型 %s 不在已知类型中（intrusion、fight、crowd、fire 等，或 other）",
                       in->kind);
    json_t *at = json_object_get(body, "at");
    if (!at || json_is_null(at))
        return err_set(e, ERR_INVALID, "missing_field", "at", "缺少告警时间 at");
    if (json_is_integer(at))
        in->at = json_integer_value(at);
    else if (!json_is_string(at) || camera_parse_time(json_string_value(at), &in->at) < 0)
        return err_set(e, ERR_INVALID, "invalid_time", "at",
                       "告警时间 at 应为毫秒时间戳或 ISO 8601 时间");
    if (in->at < 946684800000LL || in->at > now + 10 * 60 * 1000)
        return err_set(e, ERR_INVALID, "invalid_time", "at", "告警时间 at 不在合理范围内");
    return 0;
}

int64_t camera_alarm_create(struct db *db, struct arena *a, const struct event_ctx *ctx,
                            const struct actor *who, int64_t camera_id,
                            const struct camera_alarm_input *in, int *created, struct err *e)
{
    *created = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT event_id, kind, at_ms, coalesce(attachment_id, 0) "
                                      "FROM camera_alarm WHERE camera_id = ? AND alarm_key = ?");
    db_bind_int(st, 1, camera_id);
    db_bind_text(st, 2, in->alarm_id);
    int64_t ev = 0;
    int same = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        ev = sqlite3_column_int64(st, 0);
        same = strcmp(db_col_text(st, 1), in->kind) == 0 && sqlite3_column_int64(st, 2) == in->at &&
               sqlite3_column_int64(st, 3) == in->attachment;
    }
    sqlite3_reset(st);
    if (ev && !same)
        return err_set(e, ERR_CONFLICT, "alarm_id_reused", "alarm_id",
                       "告警编号 %s 已用于本摄像机的另一条告警", in->alarm_id);
    if (ev)
        return ev;
    st = db_prepare(db, "SELECT code, name, lng, lat FROM camera WHERE id = ?");
    db_bind_int(st, 1, camera_id);
    const char *code = NULL, *name = NULL;
    double lng = 0, lat = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        code = arena_strdup(a, db_col_text(st, 0));
        name = arena_strdup(a, db_col_text(st, 1));
        lng = sqlite3_column_double(st, 2);
        lat = sqlite3_column_double(st, 3);
    }
    sqlite3_reset(st);
    if (!code)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "摄像机不存在");
    char when[32];
    clock_format_iso(in->at, when, sizeof(when));
    struct event_input ei;
    memset(&ei, 0, sizeof(ei));
    ei.source = "video";
    ei.description =
        arena_printf(a, "视频告警：%s（摄像机 %s，编码 %s，告警时间 %s，平台告警编号 %s）%s%s",
                     camera_alarm_kind_name(in->kind), name, code, when, in->alarm_id,
                     in->note ? "：" : "", in->note ? in->note : "");
    ei.minor = alarm_minor(in->kind);
    ei.lng = lng;
    ei.lat = lat;
    ei.has_point = 1;
    ei.crs = GEO_WGS84;
    int64_t snap = in->attachment;
    if (snap) {
        ei.attachments = &snap;
        ei.n_attachments = 1;
    }
    int made = 0;
    ev = event_create(db, a, ctx, who, &ei, &made, e);
    if (ev < 0)
        return -1;
    st = db_prepare(db,
                    "INSERT INTO camera_alarm (camera_id, alarm_key, kind, at_ms, attachment_id, "
                    "event_id, account_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, camera_id);
    db_bind_text(st, 2, in->alarm_id);
    db_bind_text(st, 3, in->kind);
    db_bind_int(st, 4, in->at);
    if (snap)
        db_bind_int(st, 5, snap);
    db_bind_int(st, 6, ev);
    if (who->account_id)
        db_bind_int(st, 7, who->account_id);
    db_bind_int(st, 8, ctx->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    *created = 1;
    return ev;
}
