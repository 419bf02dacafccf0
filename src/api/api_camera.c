/* The camera network (雪亮工程): registry, rates, the video platform's
 * status reports (JSON or CSV) and its alarms. */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/area.h"
#include "domain/camera.h"
#include "domain/cameraimport.h"
#include "domain/event.h"
#include "domain/ledger.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

int api_camera_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct camera_input in;
    struct err e = ERR_INIT;
    if (camera_from_json(body, &in, &e) < 0)
        return req_fail_err(r, &e);
    int64_t id = camera_create(r->db, &r->arena, &in, r->who.scope_path, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "camera:%lld", (long long)id);
    return reply_json(r, 201, camera_to_json(r->db, &r->arena, id));
}

int api_camera_get(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    json_t *o = camera_to_json(r->db, &r->arena, id);
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_camera_update(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    r->audit_object = arena_printf(&r->arena, "camera:%ld", id);
    struct err e = ERR_INIT;
    if (camera_update(r->db, &r->arena, id, body, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, camera_to_json(r->db, &r->arena, id));
}

int api_camera_list(struct req *r)
{
    struct camera_query q = {0};
    struct err e = ERR_INIT;
    /* Up to 10,000 a page: the map layer draws a township's cameras at once. */
    if (req_query_long(r, "limit", 50, 1, 10000, &q.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &q.offset) < 0)
        return -1;
    q.kind = req_query(r, "kind");
    q.status = req_query(r, "status");
    q.q = req_query(r, "q");
    if (q.kind && !camera_kind_name(q.kind))
        return req_fail(r, 400, "invalid_query", "kind", "没有名为 %s 的摄像机类别", q.kind);
    if (q.status && strcmp(q.status, "online") && strcmp(q.status, "offline") &&
        strcmp(q.status, "unknown") && strcmp(q.status, "not_installed"))
        return req_fail(r, 400, "invalid_query", "status",
                        "status 应为 online、offline、unknown 或 not_installed");
    if (q.q && jf_check_text(q.q, strlen(q.q), "q", 50, &e) < 0)
        return req_fail_err(r, &e);
    q.scope = api_scope_path(r);
    return reply_json(r, 200, camera_list_json(r->db, &r->arena, &q));
}

int api_camera_rates(struct req *r)
{
    long max;
    if (req_query_long(r, "uncovered_limit", 100, 0, 5000, &max) < 0)
        return -1;
    struct area own;
    const struct area *ar = r->query_area;
    if (!ar) {
        if (area_get_by_id(r->db, &r->arena, r->who.area_id, &own) < 0)
            return req_fail(r, 404, "area_not_found", "area", "区域不存在");
        ar = &own;
    }
    return reply_json(r, 200, camera_rates_json(r->db, &r->arena, ar, max));
}

/* ------------------------------------------------------------ status */

enum mode { ALL_OR_NOTHING, KEEP_GOOD };

static int mode_or_reply(struct req *r, enum mode *m)
{
    const char *s = req_query(r, "mode");
    *m = ALL_OR_NOTHING;
    if (!s || strcmp(s, "all_or_nothing") == 0)
        return 0;
    if (strcmp(s, "keep_good") == 0)
        return *m = KEEP_GOOD, 0;
    return req_fail(r, 400, "invalid_query", "mode",
                    "mode 应为 all_or_nothing（默认）或 keep_good");
}

/* The answer of a bulk report; with mode all_or_nothing and bad rows it is
 * the 422 and the router rolls every row back. */
static int bulk_reply(struct req *r, enum mode m, const char *format, size_t rows, size_t applied,
                      size_t stale, size_t invalid, json_t *errors)
{
    int none = m == ALL_OR_NOTHING && invalid > 0;
    json_t *s = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "mode",
                          m == KEEP_GOOD ? "keep_good" : "all_or_nothing", "format", format, "rows",
                          (json_int_t)rows, "applied", (json_int_t)(none ? 0 : applied), "stale",
                          (json_int_t)(none ? 0 : stale), "invalid", (json_int_t)invalid);
    r->audit_detail = json_deep_copy(s);
    json_object_set_new(s, "errors", errors);
    if (none) {
        req_fail(r, 422, "invalid_rows", NULL, "%zu 行有错误，未写入任何状态", invalid);
        req_fail_extra(r, "result", s);
        return -1;
    }
    return reply_json(r, 200, s);
}

static int status_json(struct req *r, enum mode m)
{
    json_error_t jerr;
    json_t *doc = json_loadb(r->body.ptr, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return req_fail(r, 400, "invalid_json", NULL,
                        "请求体不是有效的 JSON（第 %d 行第 %d 列）: %s", jerr.line, jerr.column,
                        jerr.text);
    json_t *rows = json_is_array(doc) ? doc : json_object_get(doc, "reports");
    if (!json_is_array(rows)) {
        json_decref(doc);
        return req_fail(r, 400, "invalid_type", "reports",
                        "请求体应为状态数组，或 {\"reports\": [...]}");
    }
    int64_t now = clock_now_ms();
    json_t *errors = json_array();
    size_t applied = 0, stale = 0, invalid = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        struct camera_report rp;
        struct err e = ERR_INIT;
        int was_stale = 0;
        if (camera_report_from_json(row, now, &rp, &e) < 0 ||
            camera_report_apply(r->db, r->who.scope_path, &rp, now, &was_stale, &e) < 0) {
            if (e.kind == ERR_INTERNAL) {
                json_decref(errors);
                json_decref(doc);
                return req_fail_err(r, &e);
            }
            invalid++;
            if (json_array_size(errors) < 1000)
                json_array_append_new(errors, json_pack("{s:I,s:s?,s:s,s:s}", "row",
                                                        (json_int_t)(i + 1), "field", e.field,
                                                        "code", e.code, "message", e.message));
            continue;
        }
        if (was_stale)
            stale++;
        else
            applied++;
    }
    size_t n = json_array_size(rows);
    json_decref(doc);
    return bulk_reply(r, m, "json", n, applied, stale, invalid, errors);
}

/* One shape for JSON and CSV errors: row (the CSV's line) and field (its
 * column as written) beside the ledger's own line and column. */
static void csv_rows_named(json_t *errors)
{
    size_t i;
    json_t *x;
    json_array_foreach(errors, i, x)
    {
        json_object_set(x, "row", json_object_get(x, "line"));
        json_t *col = json_object_get(x, "column");
        json_object_set(x, "field", col ? col : json_null());
    }
}

/* A CSV body through one of the ledger readers (the video platform's status
 * report or the camera ledger), in the caller's scope and mode; the rows'
 * errors named as the JSON path names them. 0, or -1 with the reply written. */
typedef int camera_csv_fn(const struct ledger_opts *opt, const char *data, size_t len,
                          struct import_stats *st, json_t **errors, struct err *e);
static int run_csv(struct req *r, enum mode m, camera_csv_fn *fn, struct import_stats *st,
                   json_t **errors)
{
    char today[11];
    clock_format_date_cn(clock_now_ms(), today, sizeof(today));
    struct ledger_opts opt = {
        r->db, r->app->seal, r->who.scope_path, m == KEEP_GOOD, clock_now_ms(), today, NULL, 1000,
        NULL,  NULL};
    struct err e = ERR_INIT;
    *errors = NULL;
    if (fn(&opt, r->body.ptr, r->body.len, st, errors, &e) < 0) {
        json_decref(*errors);
        *errors = NULL;
        return req_fail_err(r, &e);
    }
    csv_rows_named(*errors);
    return 0;
}

static int status_csv(struct req *r, enum mode m)
{
    struct import_stats st;
    json_t *errors;
    if (run_csv(r, m, camera_report_csv, &st, &errors) < 0)
        return -1;
    return bulk_reply(r, m, "csv", st.rows, st.created, st.updated, st.invalid,
                      errors ? errors : json_array());
}

int api_camera_status(struct req *r)
{
    enum mode m;
    if (mode_or_reply(r, &m) < 0)
        return -1;
    if (r->body.len == 0)
        return req_fail(r, 400, "empty_body", NULL, "请求体为空：请提交状态数组（JSON）或 CSV");
    const char *ct = req_header(r, "Content-Type");
    if (ct && strncmp(ct, "text/csv", 8) == 0)
        return status_csv(r, m);
    return status_json(r, m);
}

/* The camera ledger (点位台账) as CSV: created, updated, or the rows' errors. */
int api_camera_import(struct req *r)
{
    enum mode m;
    if (mode_or_reply(r, &m) < 0)
        return -1;
    if (r->body.len == 0)
        return req_fail(r, 400, "empty_body", NULL, "请求体为空：请上传 CSV 文件");
    struct import_stats st;
    json_t *errors;
    if (run_csv(r, m, camera_import_csv, &st, &errors) < 0)
        return -1;
    int none = m == ALL_OR_NOTHING && st.invalid > 0;
    json_t *s =
        json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "mode",
                  m == KEEP_GOOD ? "keep_good" : "all_or_nothing", "encoding", st.encoding, "rows",
                  (json_int_t)st.rows, "created", (json_int_t)(none ? 0 : st.created), "updated",
                  (json_int_t)(none ? 0 : st.updated), "invalid", (json_int_t)st.invalid);
    r->audit_detail = json_deep_copy(s);
    json_object_set_new(s, "errors", errors ? errors : json_array());
    if (none) {
        req_fail(r, 422, "invalid_rows", NULL, "%zu 行有错误，未导入任何数据", st.invalid);
        req_fail_extra(r, "result", s);
        return -1;
    }
    return reply_json(r, 200, s);
}

/* ------------------------------------------------------------ alarms */

int api_camera_alarm(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct camera_alarm_input in;
    struct err e = ERR_INIT;
    if (camera_alarm_from_json(body, ctx.now, &in, &e) < 0)
        return req_fail_err(r, &e);
    struct actor who = {r->who.account_id, r->who.username,      r->who.role,
                        r->who.scope_path, r->who.department_id, 0};
    int created = 0;
    int64_t ev = camera_alarm_create(r->db, &r->arena, &ctx, &who, id, &in, &created, &e);
    if (ev < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "camera:%ld", id);
    if (created)
        api_event_notify(r, &ev, 1, "report");
    json_t *o = event_to_json(r->db, &r->arena, &ctx, &who, ev);
    return reply_json(r, created ? 201 : 200,
                      json_pack("{s:I,s:s,s:o*}", "event_id", (json_int_t)ev, "alarm_id",
                                in.alarm_id, "event", o));
}
