/* The public channel: residents report without an account, follow their
 * report by its tracking code and rate the result ("为民服务一按键").
 *
 * Nothing here trusts the caller beyond its address: reports are limited
 * per address and window, unknown codes are counted against the address
 * (guessing is throttled), and what a code shows is the public view of
 * eventpublic.h — nothing personal. Open311 (api_open311.c) uses the same
 * functions. */
#include <arpa/inet.h>
#include <string.h>

#include "api/api.h"
#include "api/api_zero.h"
#include "app.h"
#include "domain/event.h"
#include "domain/eventpublic.h"
#include "domain/throttle.h"
#include "util/clock.h"
#include "util/jsonfield.h"

/* Bodies of anonymous intake: a description of 2,000 characters with the
 * other fields fits many times over; more is not a resident's report. */
#define PUBLIC_MAX_BODY 16384

/* The throttle key of the caller: what is counted and the address. An IPv6
 * client counts by its /64, the prefix one subscriber gets, since it can
 * change the rest at will. */
static const char *client_key(struct req *r, const char *kind)
{
    struct in6_addr a6;
    const char *addr = r->address;
    char txt[INET6_ADDRSTRLEN];
    if (strchr(addr, ':') && inet_pton(AF_INET6, addr, &a6) == 1) {
        memset(a6.s6_addr + 8, 0, 8);
        if (inet_ntop(AF_INET6, &a6, txt, sizeof(txt)))
            addr = txt;
    }
    return arena_printf(&r->arena, "%s:%s", kind, addr);
}

static int64_t window_ms(struct req *r)
{
    return (int64_t)r->app->cfg.public_window * 1000;
}

/* 0 if the key is under its limit; else the 429 with Retry-After. */
static int limit_or_reply(struct req *r, const char *key, long max, const char *code,
                          const char *what)
{
    int wait = throttle_wait_s(key, clock_now_ms(), max, window_ms(r));
    if (!wait)
        return 0;
    req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
    return req_fail(r, 429, code, NULL, "%s，请 %d 秒后再试", what, wait);
}

int public_intake_allowed_or_reply(struct req *r)
{
    if (r->body.len > PUBLIC_MAX_BODY)
        return req_fail(r, 413, "body_too_large", NULL, "公众上报的请求体不能超过 %d 字节",
                        PUBLIC_MAX_BODY);
    return limit_or_reply(r, client_key(r, "report"), r->app->cfg.public_report_limit,
                          "too_many_reports", "该地址上报过于频繁");
}

int public_guess_allowed_or_reply(struct req *r)
{
    return limit_or_reply(r, client_key(r, "code"), r->app->cfg.public_guess_limit,
                          "too_many_lookups", "该地址查询了过多不存在的查询码");
}

void public_guess_failed(struct req *r)
{
    throttle_fail(client_key(r, "code"), clock_now_ms(), window_ms(r));
}

int64_t public_report_or_reply(struct req *r, json_t *body, int *created)
{
    *created = 0;
    if (idempotency_key_or_reply(r, body) < 0)
        return -1;
    json_object_set_new(body, "source", json_string("resident"));
    struct event_input in;
    struct err e = ERR_INIT;
    if (event_from_json(body, &r->arena, &in, &e) < 0)
        return req_fail_err(r, &e);
    if (!in.has_point && !in.address)
        return req_fail(r, 400, "missing_field", "lng",
                        "请给出问题所在的坐标（lng、lat）或地址 address");
    const char *scope;
    if (event_public_scope(r->db, &r->arena, &scope) < 0)
        return req_fail(r, 503, "public_channel_closed", NULL,
                        "公众上报尚未开放：区域树没有唯一的根（县）");
    struct actor who = {0, NULL, NULL, scope, 0, 1};
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    int64_t id = event_create(r->db, &r->arena, &ctx, &who, &in, created, &e);
    if (id < 0)
        return req_fail_err(r, &e);
    /* Only a new event counts: a retry of the same report is free. */
    if (*created) {
        if (api_zero_event_changed(r, id) < 0) /* its village's "三零" colour */
            return -1;
        throttle_fail(client_key(r, "report"), ctx.now, window_ms(r));
        if (!in.minor)
            api_event_propose(r, id, in.description);
        api_event_notify(r, &id, 1, "report");
    }
    r->audit_object = arena_printf(&r->arena, "event:%lld", (long long)id);
    return id;
}

int64_t public_event_or_reply(struct req *r, const char *code)
{
    if (public_guess_allowed_or_reply(r) < 0)
        return 0;
    char norm[EVENT_CODE_LEN + 1];
    int64_t id = event_code_normalise(code, norm) == 0 ? event_public_find(r->db, norm) : 0;
    if (!id) {
        public_guess_failed(r);
        req_fail(r, 404, "not_found", NULL, "查询码不存在");
        return 0;
    }
    r->audit_object = arena_printf(&r->arena, "event:%lld", (long long)id);
    return id;
}

int api_public_report_create(struct req *r)
{
    static const char *const allowed[] = {"description", "minor",          "lng",
                                          "lat",         "crs",            "address",
                                          "reporter_name", "reporter_phone", "idempotency_key",
                                          NULL};
    if (public_intake_allowed_or_reply(r) < 0)
        return -1;
    json_t *body = req_body(r);
    struct err e = ERR_INIT;
    if (!body)
        return -1;
    if (jf_only(body, allowed, &e) < 0)
        return req_fail_err(r, &e);
    int created;
    int64_t id = public_report_or_reply(r, body, &created);
    if (id < 0)
        return -1;
    return reply_json(r, created ? 201 : 200, event_public_json(r->db, id));
}

int api_public_report_get(struct req *r)
{
    int64_t id = public_event_or_reply(r, req_param(r, "code"));
    if (!id)
        return -1;
    return reply_json(r, 200, event_public_json(r->db, id));
}

int api_public_report_rate(struct req *r)
{
    int64_t id = public_event_or_reply(r, req_param(r, "code"));
    json_t *body = id ? req_body(r) : NULL;
    if (!body)
        return -1;
    const char *scope = "/";
    event_public_scope(r->db, &r->arena, &scope);
    struct actor who = {0, NULL, NULL, scope, 0, 1};
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    struct err e = ERR_INIT;
    json_t *allowed = NULL;
    /* The same step as a reporter's account takes: the step table decides
     * (only from 已结案, only once) and the timeline records it. */
    if (event_apply(r->db, &r->arena, &ctx, &who, id, "evaluate", body, &allowed, &e) < 0) {
        json_decref(allowed);
        return req_fail_err(r, &e);
    }
    api_event_notify(r, &id, 1, "evaluate");
    return reply_json(r, 200, event_public_json(r->db, id));
}
