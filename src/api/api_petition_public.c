/* The petitioner's side of "三个公开" and "两个满意", without an account:
 * GET a petition's public view by its tracking code, POST the rating of
 * the handling and the result. The guessing throttle and the code's form
 * are the public channel's (api_public.c, eventpublic.h); the view is
 * petitionpublic.h's — nothing personal. */
#include <string.h>

#include "api/api.h"
#include "domain/eventpublic.h"
#include "domain/petition.h"
#include "domain/petitionpublic.h"
#include "util/clock.h"
#include "util/jsonfield.h"

/* The petition named by the path's code, after the guessing throttle; 0
 * with the 404/429 recorded. */
static int64_t petition_by_code_or_reply(struct req *r)
{
    if (public_guess_allowed_or_reply(r) < 0)
        return 0;
    char norm[EVENT_CODE_LEN + 1];
    int64_t id = event_code_normalise(req_param(r, "code"), norm) == 0
                     ? petition_find_by_code(r->db, norm)
                     : 0;
    if (!id) {
        public_guess_failed(r);
        req_fail(r, 404, "not_found", NULL, "查询码不存在");
        return 0;
    }
    r->audit_object = arena_printf(&r->arena, "petition:%lld", (long long)id);
    return id;
}

int api_public_petition_get(struct req *r)
{
    int64_t id = petition_by_code_or_reply(r);
    if (!id)
        return -1;
    return reply_json(r, 200, petition_public_json(r->db, id, clock_now_ms()));
}

static int rating_field(json_t *body, const char *key, const char **out, struct err *e)
{
    if (jf_str(body, key, 1, 16, out, e) < 0)
        return -1;
    if (!petition_rating_name(*out))
        return err_set(e, ERR_INVALID, "invalid_value", key,
                       "%s 应为 satisfied（满意）、basic（基本满意）或 unsatisfied（不满意）", key);
    return 0;
}

int api_public_petition_rate(struct req *r)
{
    int64_t id = petition_by_code_or_reply(r);
    json_t *body = id ? req_body(r) : NULL;
    if (!body)
        return -1;
    static const char *const allowed[] = {"handling", "result", NULL};
    struct err e = ERR_INIT;
    const char *handling, *result;
    if (jf_only(body, allowed, &e) < 0 || rating_field(body, "handling", &handling, &e) < 0 ||
        rating_field(body, "result", &result, &e) < 0)
        return req_fail_err(r, &e);
    int64_t now = clock_now_ms();
    if (petition_public_rate(r->db, id, handling, result, now, &e) < 0)
        return req_fail_err(r, &e);
    return reply_json(r, 200, petition_public_json(r->db, id, now));
}
