/* "三零" creation: subjects, their colours and counts, letters, reviews,
 * compliance rates, the rules. The router has checked the permission and
 * the scope of the subject ({id}), of ?area= and of the body's area/org. */
#include <string.h>

#include "api/api.h"
#include "api/api_zero.h"
#include "app.h"
#include "domain/area.h"
#include "domain/department.h"
#include "domain/zero.h"
#include "domain/zeroimport.h"
#include "domain/zeroletter.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

static int64_t param_id(struct req *r, const char *name)
{
    long n = 0;
    conf_parse_long(req_param(r, name), &n);
    return n;
}

static int card(struct req *r, int status, int64_t id)
{
    struct err e = ERR_INIT;
    json_t *o = zero_subject_json(r->db, &r->arena, id, req_query(r, "period"), clock_now_ms(), &e);
    if (!o)
        return req_fail_err(r, &e);
    return reply_json(r, status, o);
}

int api_zero_list(struct req *r)
{
    struct zero_query q = {
        api_scope_path(r), req_query(r, "kind"), req_query(r, "colour"), 0, 0, req_query(r, "q"), 0, 0};
    if (req_query_long(r, "limit", 50, 1, 500, &q.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &q.offset) < 0)
        return -1;
    if (q.kind && strcmp(q.kind, "village") && strcmp(q.kind, "unit"))
        return req_fail(r, 400, "invalid_query", "kind", "kind 应为 village 或 unit");
    if (q.colour && zero_colour_rank(q.colour) < 0)
        return req_fail(r, 400, "invalid_query", "colour",
                        "colour 应为 none、blue、yellow、orange 或 red");
    const char *broken = req_query(r, "broken");
    if (broken && strcmp(broken, "0") && strcmp(broken, "1"))
        return req_fail(r, 400, "invalid_query", "broken", "broken 只能是 0 或 1");
    q.broken = broken && *broken == '1';
    const char *dept = req_query(r, "department");
    if (dept && !(q.department_id = department_find(r->db, dept)))
        return req_fail(r, 400, "invalid_query", "department", "部门 %s 不存在", dept);
    if (q.q && jf_check_text(q.q, strlen(q.q), "q", 64, &(struct err)ERR_INIT) < 0)
        return req_fail(r, 400, "invalid_query", "q", "q 无效");
    return reply_json(r, 200, zero_list_json(r->db, &r->arena, &q));
}

int api_zero_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct zero_subject_input in;
    struct err e = ERR_INIT;
    if (zero_subject_from_json(body, 1, &in, &e) < 0)
        return req_fail_err(r, &e);
    int64_t now = clock_now_ms();
    int64_t id = zero_subject_create(r->db, &r->arena, &in, now, &e);
    if (id < 0 || zero_recompute(r->db, &r->arena, id, now) < 0)
        return e.kind ? req_fail_err(r, &e) : req_fail(r, 500, "db_error", NULL, "数据库错误");
    r->audit_object = arena_printf(&r->arena, "zero:%lld", (long long)id);
    return card(r, 201, id);
}

int api_zero_get(struct req *r)
{
    return card(r, 200, param_id(r, "id"));
}

int api_zero_update(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct zero_subject_input in;
    struct err e = ERR_INIT;
    int64_t id = param_id(r, "id");
    if (zero_subject_from_json(body, 0, &in, &e) < 0 || zero_subject_update(r->db, id, &in, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "zero:%lld", (long long)id);
    return card(r, 200, id);
}

int api_zero_villages(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"area", NULL};
    const char *code = NULL;
    struct err e = ERR_INIT;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "area", 0, 32, &code, &e) < 0)
        return req_fail_err(r, &e);
    const char *scope = r->who.scope_path;
    struct area ar;
    if (code) { /* in scope: the router checked the body's area */
        if (area_get(r->db, &r->arena, code, &ar) < 0)
            return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在", code);
        scope = ar.path;
    }
    int made = zero_villages_sync(r->db, &r->arena, scope, clock_now_ms());
    if (made < 0)
        return req_fail(r, 500, "db_error", NULL, "数据库错误");
    r->audit_detail = json_pack("{s:i}", "created", made);
    return reply_json(r, 200, json_pack("{s:i}", "created", made));
}

int api_zero_import(struct req *r)
{
    const char *skip = req_query(r, "skip_invalid");
    if (skip && strcmp(skip, "0") != 0 && strcmp(skip, "1") != 0)
        return req_fail(r, 400, "invalid_query", "skip_invalid", "skip_invalid 只能是 0 或 1");
    if (r->body.len == 0)
        return req_fail(r, 400, "empty_body", NULL, "请求体为空：请上传 CSV 文件");
    char today[11];
    clock_format_date_cn(clock_now_ms(), today, sizeof(today));
    struct ledger_opts opt = {r->db,
                              r->app->seal,
                              r->who.scope_path,
                              skip && *skip == '1',
                              clock_now_ms(),
                              today,
                              NULL,
                              1000,
                              NULL,
                              NULL};
    struct import_stats st;
    struct err e = ERR_INIT;
    json_t *errors = NULL;
    int rc = zero_import_csv(&opt, r->body.ptr, r->body.len, &st, &errors, &e);
    if (rc < 0) {
        json_decref(errors);
        return req_fail_err(r, &e);
    }
    json_t *summary = json_pack("{s:s,s:I,s:I,s:I,s:I}", "encoding", st.encoding, "rows",
                                (json_int_t)st.rows, "created", (json_int_t)st.created, "updated",
                                (json_int_t)st.updated, "invalid", (json_int_t)st.invalid);
    r->audit_detail = json_deep_copy(summary);
    json_object_set_new(summary, "errors", errors);
    if (rc == 1) { /* all or nothing: the router rolls back */
        req_fail(r, 422, "invalid_rows", NULL, "%zu 行有错误，未导入任何数据", st.invalid);
        req_fail_extra(r, "import", summary);
        return -1;
    }
    return reply_json(r, 200, summary);
}

int api_zero_letter_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct err e = ERR_INIT;
    int64_t id = param_id(r, "id");
    int64_t letter =
        zero_letter_create(r->db, &r->arena, id, body, r->who.username, clock_now_ms(), &e);
    if (letter < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "zero:%lld", (long long)id);
    r->audit_detail = json_pack("{s:I}", "letter", (json_int_t)letter);
    return reply_json(r, 201, zero_letter_json(r->db, &r->arena, id, letter));
}

int api_zero_letter_get(struct req *r)
{
    json_t *o = zero_letter_json(r->db, &r->arena, param_id(r, "id"), param_id(r, "letter"));
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "函件不存在");
    return reply_json(r, 200, o);
}

int api_zero_letter_print(struct req *r)
{
    buf_reset(&r->out);
    if (zero_letter_html(r->db, &r->arena, param_id(r, "id"), param_id(r, "letter"), &r->out) < 0)
        return req_fail(r, 404, "not_found", NULL, "函件不存在");
    r->status = 200;
    r->content_type = "text/html; charset=utf-8";
    /* A document to print: no script, styles of its own only. */
    req_add_header(r, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    return 0;
}

int api_zero_link_event(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"event_id", NULL};
    struct err e = ERR_INIT;
    int64_t event = 0, id = param_id(r, "id");
    /* event_id was checked against the scope by the router (body_ref). */
    if (jf_only(body, allowed, &e) < 0 ||
        jf_int(body, "event_id", 1, 1, INT64_MAX, &event, NULL, &e) < 0 ||
        zero_link_event(r->db, &r->arena, id, event, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "zero:%lld", (long long)id);
    r->audit_detail = json_pack("{s:I}", "event", (json_int_t)event);
    return card(r, 200, id);
}

int api_zero_review(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct err e = ERR_INIT;
    int64_t id = param_id(r, "id");
    if (zero_review_save(r->db, &r->arena, id, body, r->who.username, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "zero:%lld", (long long)id);
    return card(r, 201, id);
}

int api_zero_rates(struct req *r)
{
    const char *period = req_query(r, "period"), *by = req_query(r, "by");
    char year[8];
    if (!period) {
        zero_period_year(clock_now_ms(), year, sizeof(year));
        period = year;
    }
    if (by && strcmp(by, "area") && strcmp(by, "department"))
        return req_fail(r, 400, "invalid_query", "by", "by 应为 area 或 department");
    struct err e = ERR_INIT;
    json_t *o = zero_rates_json(r->db, &r->arena, api_scope_path(r), period, by, &e);
    if (!o) {
        e.field = "period";
        e.code = "invalid_query";
        return req_fail_err(r, &e);
    }
    return reply_json(r, 200, o);
}

int api_zero_rules(struct req *r)
{
    return reply_json(r, 200, zero_rules_json(r->db, &r->arena));
}

int api_zero_rules_set(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    /* The rules are the county's: the body names the county (the router
     * checked it lies in the caller's scope), so only a county-level
     * account can change them. */
    const char *code = NULL;
    struct err e = ERR_INIT;
    struct area ar;
    if (jf_str(body, "area", 1, 32, &code, &e) < 0)
        return req_fail_err(r, &e);
    if (area_get(r->db, &r->arena, code, &ar) < 0)
        return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在", code);
    if (ar.parent_id)
        return req_fail(r, 403, "not_county", "area", "四色预警规则由县级设置");
    if (zero_rules_replace(r->db, &r->arena, body, clock_now_ms(), &e) < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, zero_rules_json(r->db, &r->arena));
}

int api_zero_test_sweep(struct req *r)
{
    int n = zero_sweep(r->db, &r->arena, clock_now_ms(), 100000);
    if (n < 0)
        return req_fail(r, 500, "db_error", NULL, "数据库错误");
    return reply_json(r, 200, json_pack("{s:i}", "recomputed", n));
}

int api_zero_touch(struct req *r, const char *path, int64_t org_id)
{
    if (zero_touch(r->db, &r->arena, path, org_id, clock_now_ms()) < 0)
        return req_fail(r, 500, "db_error", NULL, "无法更新\"三零\"创建主体");
    return 0;
}

int api_zero_event_changed(struct req *r, int64_t event_id)
{
    if (zero_event_changed(r->db, &r->arena, event_id, clock_now_ms()) < 0)
        return req_fail(r, 500, "db_error", NULL, "无法更新\"三零\"创建主体");
    return 0;
}
