/* 工作简报 and 督查通报: generated for an area and period, kept, numbered. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "domain/area.h"
#include "domain/briefing.h"
#include "domain/event.h"
#include "util/conf.h"
#include "util/jsonfield.h"

int api_briefing_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"kind", "area", "period", NULL};
    struct err e = ERR_INIT;
    const char *kind, *code, *period;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "kind", 1, 16, &kind, &e) < 0 ||
        jf_str(body, "area", 0, 32, &code, &e) < 0 ||
        jf_str(body, "period", 1, 10, &period, &e) < 0)
        return req_fail_err(r, &e);
    struct briefing_period p;
    if (briefing_period_parse(kind, period, &p, &e) < 0)
        return req_fail_err(r, &e);
    /* The router has checked a given area against the caller's scope. */
    struct area area;
    if (!code && !r->who.area_id)
        return req_fail(r, 400, "missing_field", "area", "请用 area 指定区域");
    if (area_get(r->db, &r->arena, code ? code : r->who.area_code, &area) < 0)
        return req_fail(r, 404, "area_not_found", "area", "区域不存在或不在您的管辖范围内");
    struct event_ctx ctx;
    api_event_ctx(r, &ctx);
    int64_t id = briefing_create(r->db, &r->arena, &ctx, kind, &area, p, r->who.account_id, &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "briefing:%lld", (long long)id);
    return reply_json(r, 201, briefing_to_json(r->db, &r->arena, id));
}

int api_briefing_list(struct req *r)
{
    long limit, offset;
    if (req_query_long(r, "limit", 20, 1, 200, &limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &offset) < 0)
        return -1;
    const char *kind = req_query(r, "kind");
    if (kind && strcmp(kind, "weekly") && strcmp(kind, "monthly") && strcmp(kind, "inspection"))
        return req_fail(r, 400, "invalid_query", "kind",
                        "kind 只能是 weekly、monthly 或 inspection");
    const char *scope = api_scope_path(r);
    return reply_json(r, 200, briefing_list_json(r->db, &r->arena, scope, kind, limit, offset));
}

static int64_t path_id(struct req *r)
{
    long id = 0;
    conf_parse_long(req_param(r, "id"), &id);
    return id;
}

int api_briefing_get(struct req *r)
{
    json_t *o = briefing_to_json(r->db, &r->arena, path_id(r));
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "简报不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

int api_briefing_xlsx(struct req *r)
{
    struct err e = ERR_INIT;
    int64_t id = path_id(r);
    json_t *b = briefing_to_json(r->db, &r->arena, id);
    if (!b)
        return req_fail(r, 404, "not_found", NULL, "简报不存在或不在您的管辖范围内");
    const char *name =
        arena_printf(&r->arena, "%s-%s.xlsx", json_string_value(json_object_get(b, "title")),
                     json_string_value(json_object_get(b, "issue")));
    json_decref(b);
    char path[] = "/tmp/pingan-briefing-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法创建临时文件");
    close(fd);
    int rc = briefing_xlsx(r->db, &r->arena, id, path, &e);
    fd = rc == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path); /* the open descriptor keeps it until the answer is sent */
    if (rc < 0)
        return req_fail_err(r, &e);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法读取导出文件");
    return reply_file(r, fd, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      name);
}
