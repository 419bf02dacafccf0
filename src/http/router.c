#include "router.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain/account.h"
#include "domain/area.h"
#include "domain/attachment.h"
#include "domain/audit.h"
#include "domain/dispute.h"
#include "domain/camera.h"
#include "domain/briefing.h"
#include "domain/event.h"
#include "domain/house.h"
#include "domain/household.h"
#include "domain/org.h"
#include "domain/person.h"
#include "domain/risk.h"
#include "domain/petition.h"
#include "domain/role.h"
#include "domain/routeline.h"
#include "domain/session.h"
#include "domain/zero.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/log.h"

static const char LOG_TAG[] = "router";

/* Matches path against pattern, capturing {name} segments into r (r NULL:
 * only whether it matches). */
static int match(struct req *r, const char *pattern, const char *path)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *seg_end = strchr(s, '/');
            size_t seg = seg_end ? (size_t)(seg_end - s) : strlen(s);
            /* "{id}.{format}": a parameter followed by a dot ends at the
             * segment's last dot (an Open311 path such as /requests/X.json). */
            if (close && close[1] == '.') {
                const char *dot = NULL;
                for (size_t i = 0; i < seg; i++)
                    if (s[i] == '.')
                        dot = s + i;
                seg = dot ? (size_t)(dot - s) : 0;
            }
            if (!close || seg == 0 || n == REQ_MAX_PARAMS)
                return 0;
            if (r) {
                r->param_name[n] = arena_strndup(&r->arena, p + 1, (size_t)(close - p - 1));
                r->param_value[n] = arena_strndup(&r->arena, s, seg);
            }
            n++;
            p = close + 1;
            s += seg;
        } else if (*p++ != *s++) {
            return 0;
        }
    }
    if (*p || *s)
        return 0;
    if (r)
        r->nparams = n;
    return 1;
}

static const char *session_token(struct req *r)
{
    const char *auth = req_header(r, "Authorization");
    if (auth && strncmp(auth, "Bearer ", 7) == 0)
        return auth + 7;
    return req_cookie(r, "pingan_session");
}

static void audit(struct req *r, const char *action, const char *outcome)
{
    struct audit_entry e = {
        .at_ms = clock_now_ms(),
        .account_id = r->who.account_id,
        .username = r->who.username,
        .address = r->address,
        .action = action,
        .object = r->audit_object,
        .outcome = outcome,
        .status = r->status ? r->status : 200,
        .scope_path = r->who.scope_path,
        .request_id = r->id,
        .detail = r->audit_detail,
    };
    if (audit_append(r->db, &e) < 0 && !r->failed)
        req_fail(r, 500, "audit_failed", NULL, "无法写入审计日志");
}

static const char *outcome_of(int status)
{
    if (status < 400)
        return "ok";
    if (status == 401 || status == 403 || status == 404 || status == 423 || status == 429)
        return "denied";
    return "error";
}

/* The area path of an object named by id, or -1 if there is none. */
static int object_area_path(struct req *r, enum route_object kind, int64_t id, const char **path)
{
    switch (kind) {
    case OBJ_ACCOUNT:
        return account_area_path(r->db, &r->arena, id, path);
    case OBJ_PERSON:
        return person_area_path(r->db, &r->arena, id, path);
    case OBJ_HOUSEHOLD:
        return household_area_path(r->db, &r->arena, id, path);
    case OBJ_ORG:
        return org_area_path(r->db, &r->arena, id, path);
    case OBJ_HOUSE:
        return house_area_path(r->db, &r->arena, id, path);
    case OBJ_LINE:
        return line_area_path(r->db, &r->arena, id, r->who.scope_path, path);
    case OBJ_EVENT:
        return event_area_path(r->db, &r->arena, id, r->who.department_id, path);
    case OBJ_DISPUTE:
        return dispute_area_path(r->db, &r->arena, id, path);
    case OBJ_ATTACHMENT: {
        struct attachment_reader who = {r->who.account_id, r->who.scope_path,
                                        r->who.department_id,
                                        role_allows(r->who.role, P_PETITION_READ)};
        return attachment_area_path(r->db, &r->arena, id, &who, path);
    }
    case OBJ_ZERO:
        return zero_area_path(r->db, &r->arena, id, path);
    case OBJ_RISK:
        return risk_area_path(r->db, &r->arena, id, path);
    case OBJ_CAMERA:
        return camera_area_path(r->db, &r->arena, id, path);
    case OBJ_PETITION:
        return petition_area_path(r->db, &r->arena, id, path);
    case OBJ_BRIEFING:
        return briefing_area_path(r->db, &r->arena, id, path);
    default:
        return -1;
    }
}

/* Resolves the route's object and checks it lies inside the caller's scope.
 * Unknown and out-of-scope objects get the same 404. */
static int check_object(struct req *r, const struct route *rt)
{
    const char *path = NULL;
    int found = 0;
    if (rt->object == OBJ_AREA) {
        const char *code = req_param(r, "code");
        struct area *a = arena_alloc(&r->arena, sizeof(*a));
        r->audit_object = code;
        if (code && area_get(r->db, &r->arena, code, a) == 0) {
            found = 1;
            path = a->path;
            r->area = a;
        }
    } else if (rt->object != OBJ_NONE) {
        /* Every other kind is named by {id}. */
        static const char *const kinds[] = {[OBJ_ACCOUNT] = "account", [OBJ_PERSON] = "person",
                                            [OBJ_HOUSEHOLD] = "household", [OBJ_ORG] = "org",
                                            [OBJ_HOUSE] = "house", [OBJ_LINE] = "line",
                                            [OBJ_EVENT] = "event", [OBJ_ATTACHMENT] = "attachment",
                                            [OBJ_DISPUTE] = "dispute", [OBJ_PETITION] = "petition",
                                            [OBJ_ZERO] = "zero", [OBJ_RISK] = "risk",
                                            [OBJ_CAMERA] = "camera", [OBJ_BRIEFING] = "briefing"};
        _Static_assert(sizeof(kinds) / sizeof(kinds[0]) == OBJ_BRIEFING + 1, "a name per kind");
        const char *id = req_param(r, "id");
        long n;
        r->audit_object = id ? arena_printf(&r->arena, "%s:%s", kinds[rt->object], id) : NULL;
        if (id && conf_parse_long(id, &n) == 0 && n > 0 &&
            object_area_path(r, rt->object, n, &path) == 0)
            found = 1;
    } else {
        return 0;
    }
    if (found && area_path_within(r->who.scope_path, path))
        return 0;
    r->area = NULL;
    if (found) /* exists, but not for this account: worth an audit line */
        log_info("scope: %s denied %s", r->who.username, r->audit_object);
    return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
}

static int check_body_ref(struct req *r, const struct route *rt, json_t *body)
{
    const char *field = rt->body_ref.field;
    json_t *v = json_object_get(body, field);
    if (!v || json_is_null(v))
        return 0;
    const char *path;
    if (!json_is_integer(v))
        return req_fail(r, 400, "invalid_type", field, "字段 %s 必须是整数编号", field);
    if (object_area_path(r, rt->body_ref.kind, json_integer_value(v), &path) == 0 &&
        area_path_within(r->who.scope_path, path))
        return 0;
    int hh = rt->body_ref.kind == OBJ_HOUSEHOLD;
    return req_fail(r, 404, hh ? "household_not_found" : "not_found", field,
                    "%s %lld 不存在或不在您的管辖范围内", hh ? "户" : "对象",
                    (long long)json_integer_value(v));
}

static int check_query_area(struct req *r, const struct route *rt)
{
    const char *code = (rt->flags & R_QUERY_AREA) ? req_query(r, "area") : NULL;
    if (!code)
        return 0;
    struct area *a = arena_alloc(&r->arena, sizeof(*a));
    if (area_get(r->db, &r->arena, code, a) == 0 && area_path_within(r->who.scope_path, a->path)) {
        r->query_area = a;
        return 0;
    }
    return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在或不在您的管辖范围内", code);
}

static int check_body_area(struct req *r, const struct route *rt)
{
    if (check_query_area(r, rt) < 0)
        return -1;
    if (!rt->body_area && !rt->body_ref.field)
        return 0;
    json_t *body = req_body(r);
    if (!body)
        return -1;
    if (rt->body_ref.field && check_body_ref(r, rt, body) < 0)
        return -1;
    if (!rt->body_area)
        return 0;
    json_t *v = json_object_get(body, rt->body_area);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return req_fail(r, 400, "invalid_type", rt->body_area, "字段 %s 必须是区域编码字符串",
                        rt->body_area);
    struct area a;
    if (area_get(r->db, &r->arena, json_string_value(v), &a) == 0 &&
        area_path_within(r->who.scope_path, a.path))
        return 0;
    return req_fail(r, 404, "area_not_found", rt->body_area, "区域 %s 不存在或不在您的管辖范围内",
                    json_string_value(v));
}

/* Opens the route's transaction, checks its objects inside it, then runs the
 * handler: reads in one read transaction (a consistent snapshot), writes in
 * a write transaction that also holds their audit row — the scope check
 * and the write see the same state, so a concurrent move cannot slip
 * between them. Login-like routes manage their own writes. */
static void run_handler(struct req *r, const struct route *rt)
{
    const char *action = rt->action;
    int self = (rt->flags & R_TX_SELF) != 0;
    int write = (rt->flags & R_WRITE) && !self;
    if (!self && (write ? db_begin(r->db, 1) : db_begin_lazy(r->db)) < 0) {
        req_fail(r, 503, "db_busy", NULL, "数据库繁忙，请稍后重试");
        if (write)
            audit(r, action, "error");
        return;
    }
    if (!(rt->flags & R_PUBLIC) && (check_object(r, rt) < 0 || check_body_area(r, rt) < 0)) {
        if (db_in_tx(r->db))
            db_rollback(r->db);
        audit(r, action, outcome_of(r->status));
        return;
    }
    rt->handler(r);
    if (self) {
        audit(r, action, outcome_of(r->status));
        return;
    }
    if (!write) {
        if (db_commit(r->db) < 0)
            db_rollback(r->db);
        if (r->audit_read)
            audit(r, action, outcome_of(r->status));
        return;
    }
    if (!r->failed) {
        audit(r, action, "ok");
        if (!r->failed && db_commit(r->db) == 0) {
            if (r->after_commit)
                r->after_commit(r);
            return;
        }
        req_fail(r, 500, "commit_failed", NULL, "保存失败，未做任何修改");
    }
    db_rollback(r->db);
    /* The failure itself is recorded outside the rolled-back transaction. */
    audit(r, action, outcome_of(r->status));
}

error_renderer_fn router_error_renderer(const char *path)
{
    for (const struct route_family *f = api_families; f->prefix; f++)
        if (strncmp(path, f->prefix, strlen(f->prefix)) == 0)
            return f->render_error;
    return NULL;
}

long router_body_limit(const struct app *app, const char *method, const char *path)
{
    for (const struct route *t = api_routes; t->method; t++)
        if ((t->flags & R_UPLOAD) && strcmp(t->method, method) == 0 && match(NULL, t->pattern, path))
            return app->cfg.attachment_max_bytes;
    return app->cfg.max_body;
}

void router_dispatch(struct req *r)
{
    const struct route *rt = NULL;
    int path_matched = 0;
    for (const struct route *t = api_routes; t->method; t++) {
        if ((t->flags & R_TEST_ONLY) && !r->app->cfg.test_clock)
            continue;
        if (!match(r, t->pattern, r->path))
            continue;
        path_matched = 1;
        if (strcmp(t->method, r->method) == 0) {
            rt = t;
            break;
        }
    }
    if (!rt) {
        r->nparams = 0;
        if (path_matched)
            req_fail(r, 405, "method_not_allowed", NULL, "该接口不支持 %s 方法", r->method);
        else
            req_fail(r, 404, "no_such_route", NULL, "接口不存在: %s", r->path);
        return;
    }
    /* Re-match: a later pattern may have overwritten captures of an earlier one. */
    match(r, rt->pattern, r->path);
    r->route = rt;
    r->db = db_for_thread();
    r->token = session_token(r);

    if (!(rt->flags & R_PUBLIC)) {
        struct err e = ERR_INIT;
        if (!r->token)
            req_fail(r, 401, "unauthenticated", NULL, "请先登录");
        else if (session_resolve(r->db, &r->arena, r->token, clock_now_ms(),
                                 (int64_t)r->app->cfg.session_idle * 1000, &r->who, &e) < 0)
            req_fail_err(r, &e);
        if (r->failed) {
            /* An attempt to write without a valid session is worth a line;
             * plain reads without one (an expired page) are not. */
            if (rt->flags & R_WRITE)
                audit(r, rt->action, "denied");
            return;
        }
        if (rt->perm && !role_allows(r->who.role, rt->perm)) {
            req_fail(r, 403, "forbidden", NULL, "您的角色无权执行此操作");
            audit(r, rt->action, "denied");
            return;
        }
    }
    run_handler(r, rt);
}
