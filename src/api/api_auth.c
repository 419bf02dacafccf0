/* Login, logout and "who am I". */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "domain/account.h"
#include "domain/role.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "util/clock.h"
#include "util/jsonfield.h"

static json_t *who_json(const struct who *w)
{
    const struct role *role = role_find(w->role);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:{s:s,s:s,s:s}}", "id",
                     (json_int_t)w->account_id, "username", w->username, "name", w->name, "role",
                     w->role, "role_name", role ? role->name_zh : w->role, "department",
                     w->department, "area", "code", w->area_code, "name", w->area_name, "level",
                     w->area_level);
}

int api_login(struct req *r)
{
    const struct config *cfg = &r->app->cfg;
    int64_t now = clock_now_ms();
    int64_t window = (int64_t)cfg->throttle_window * 1000;
    int wait = throttle_wait_s(r->address, now, cfg->throttle_failures, window);
    if (wait) {
        req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
        return req_fail(r, 429, "too_many_attempts", NULL,
                        "该地址登录失败次数过多，请 %d 秒后再试", wait);
    }
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"username", "password", NULL};
    struct err e = ERR_INIT;
    const char *username, *password;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "username", 1, 64, &username, &e) < 0 ||
        jf_str(body, "password", 1, 128, &password, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "user:%s", username);

    struct login_rules rules = {(int)cfg->lock_after, (int64_t)cfg->lock_seconds * 1000,
                               {cfg->argon2_ops, cfg->argon2_mem_kib}};
    struct who w;
    if (account_login(r->db, &r->arena, username, password, now, &rules, &w, &e) < 0) {
        if (e.kind == ERR_UNAUTH || e.kind == ERR_LOCKED)
            throttle_fail(r->address, now, window);
        return req_fail_err(r, &e);
    }
    char token[SESSION_TOKEN_LEN + 1];
    if (session_create(r->db, w.account_id, r->address, now, token, &e) < 0)
        return req_fail_err(r, &e);
    r->who = w;
    req_add_header(r, "Set-Cookie",
                   arena_printf(&r->arena, "pingan_session=%s; Path=/; HttpOnly; SameSite=Strict",
                                token));
    return reply_json(r, 200, json_pack("{s:s,s:I,s:o}", "token", token, "expires_in",
                                        (json_int_t)cfg->session_idle, "account", who_json(&w)));
}

int api_logout(struct req *r)
{
    session_delete(r->db, r->token);
    req_add_header(r, "Set-Cookie",
                   "pingan_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return reply_empty(r, 204);
}

int api_me(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:o}", "account", who_json(&r->who)));
}
