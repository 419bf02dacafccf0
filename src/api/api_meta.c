/* Health, the test clock, and reference lists (levels, departments). */
#include "api/api.h"
#include "app.h"
#include "domain/department.h"
#include "domain/level.h"
#include "domain/typefields.h"
#include "util/clock.h"
#include "util/jsonfield.h"

int api_health(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "version", PINGAN_VERSION));
}

int api_test_clock(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"advance_ms", "offset_ms", "now_ms", NULL};
    struct err e = ERR_INIT;
    int64_t advance = 0, offset = 0, at = 0;
    int has_advance = 0, has_offset = 0, has_at = 0;
    if (jf_only(body, allowed, &e) < 0 ||
        jf_int(body, "advance_ms", 0, 0, 1000LL * 86400 * 3650, &advance, &has_advance, &e) < 0 ||
        jf_int(body, "offset_ms", 0, -1000LL * 86400 * 3650, 1000LL * 86400 * 3650, &offset,
               &has_offset, &e) < 0 ||
        jf_int(body, "now_ms", 0, 0, 253402300799999LL, &at, &has_at, &e) < 0)
        return req_fail_err(r, &e);
    /* now_ms stops the clock there (0 lets it run); offset_ms moves a running
     * clock; advance_ms moves either. */
    if (has_at)
        clock_freeze_ms(at);
    if (has_offset)
        clock_set_offset_ms(offset);
    if (has_advance) {
        if (clock_frozen_ms())
            clock_freeze_ms(clock_frozen_ms() + advance);
        else
            clock_set_offset_ms(clock_offset_ms() + advance);
    }
    char now[32];
    clock_format_iso(clock_now_ms(), now, sizeof(now));
    return reply_json(r, 200, json_pack("{s:s,s:I}", "now", now, "offset_ms",
                                        (json_int_t)clock_offset_ms()));
}

int api_levels(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:o}", "items", level_list_json(r->db)));
}

int api_departments(struct req *r)
{
    return reply_json(r, 200, json_pack("{s:o}", "items", department_list_json(r->db)));
}

/* The items of each special group and kind of unit (domain/typefields.c). */
int api_type_fields(struct req *r)
{
    return reply_json(r, 200, typefields_json());
}
