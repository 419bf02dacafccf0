/* The audit log, read-only, for administrators within their scope. */
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "util/clock.h"
#include "util/jsonfield.h"

static int time_arg(struct req *r, const char *name, int64_t *out)
{
    const char *v = req_query(r, name);
    *out = 0;
    if (v && clock_parse_iso(v, out) < 0)
        return req_fail(r, 400, "invalid_query", name,
                        "查询参数 %s 应为日期 YYYY-MM-DD 或时间 YYYY-MM-DDTHH:MM:SSZ", name);
    return 0;
}

int api_audit_list(struct req *r)
{
    struct audit_filter f = {0};
    f.account = req_query(r, "account");
    f.action = req_query(r, "action");
    f.object = req_query(r, "object");
    struct err e = ERR_INIT;
    const char *names[] = {"account", "action", "object"};
    const char *vals[] = {f.account, f.action, f.object};
    for (int i = 0; i < 3; i++)
        if (vals[i] && *vals[i] && jf_check_text(vals[i], strlen(vals[i]), names[i], 128, &e) < 0)
            return req_fail_err(r, &e);
    if (time_arg(r, "from", &f.from_ms) < 0 || time_arg(r, "to", &f.to_ms) < 0 ||
        req_query_long(r, "limit", 50, 1, 500, &f.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 1000000000, &f.offset) < 0)
        return -1;
    return reply_json(r, 200, audit_list_json(r->db, &r->arena, r->who.scope_path, &f));
}
