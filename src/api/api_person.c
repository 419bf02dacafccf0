/* The registry: people — register, read (masked), search, reveal (audited). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "app.h"
#include "domain/area.h"
#include "domain/idnumber.h"
#include "domain/person.h"
#include "domain/personexport.h"
#include "domain/phone.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/jsonfield.h"

static int64_t route_id(struct req *r)
{
    long n = 0;
    conf_parse_long(req_param(r, "id"), &n);
    return n;
}

static const char *today(struct req *r)
{
    char d[11];
    clock_format_date_cn(clock_now_ms(), d, sizeof(d));
    return arena_strdup(&r->arena, d);
}

int api_person_create(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    struct person_input in;
    struct err e = ERR_INIT;
    if (person_from_json(body, &r->arena, today(r), &in, &e) < 0)
        return req_fail_err(r, &e);
    struct area area;
    if (leaf_area_or_reply(r, in.area, &area) < 0)
        return -1;
    int64_t id = person_create(r->db, r->app->seal, &in, area.id, clock_now_ms(), &e);
    if (id < 0)
        return req_fail_err(r, &e);
    r->audit_object = arena_printf(&r->arena, "person:%lld", (long long)id);
    return reply_json(r, 201, person_to_json(r->db, id));
}

int api_person_get(struct req *r)
{
    json_t *o = person_to_json(r->db, route_id(r));
    if (!o)
        return req_fail(r, 404, "not_found", NULL, "对象不存在或不在您的管辖范围内");
    return reply_json(r, 200, o);
}

/* A reason for seeing identifiers in clear: at least two characters that are
 * not spaces (ASCII or full-width). */
static int reason_check(struct req *r, const char *reason)
{
    size_t chars = 0;
    for (const char *p = reason; *p; p++) {
        if (strncmp(p, "\xE3\x80\x80", 3) == 0) {
            p += 2;
            continue;
        }
        chars += ((unsigned char)*p & 0xC0) != 0x80 && *p != ' ';
    }
    if (chars < 2)
        return req_fail(r, 400, "reason_too_short", "reason", "请写明查看的事由（至少2个字）");
    return 0;
}

int api_person_reveal(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"reason", NULL};
    struct err e = ERR_INIT;
    const char *reason;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "reason", 1, 200, &reason, &e) < 0)
        return req_fail_err(r, &e);
    if (reason_check(r, reason) < 0)
        return -1;
    json_t *o = person_reveal_json(r->db, r->app->seal, route_id(r), &e);
    if (!o)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:s}", "reason", reason);
    return reply_json(r, 200, o);
}

int api_person_search(struct req *r)
{
    struct person_query q = {0};
    struct err e = ERR_INIT;
    q.q = req_query(r, "q");
    q.residence_type = req_query(r, "residence_type");
    q.tag = req_query(r, "tag");
    const char *id_raw = req_query(r, "id_number"), *phone_raw = req_query(r, "phone");
    if (req_query_long(r, "limit", 20, 1, 200, &q.limit) < 0 ||
        req_query_long(r, "offset", 0, 0, 100000000, &q.offset) < 0)
        return -1;
    const char *names[] = {"q", "residence_type", "tag"};
    const char *vals[] = {q.q, q.residence_type, q.tag};
    for (int i = 0; i < 3; i++)
        if (vals[i] && jf_check_text(vals[i], strlen(vals[i]), names[i], 64, &e) < 0)
            return req_fail_err(r, &e);
    if (q.tag && strchr(q.tag, ','))
        return req_fail(r, 400, "invalid_query", "tag", "标签 tag 不能包含逗号");
    if (id_raw) {
        struct idnumber id;
        if (idnumber_parse_at(id_raw, today(r), &id, "id_number", &e) < 0)
            return req_fail_err(r, &e);
        q.id_number = arena_strdup(&r->arena, id.id);
        r->audit_read = 1; /* a look-up by identifier is a read of personal data */
    }
    if (phone_raw) {
        char phone[24];
        if (phone_parse(phone_raw, phone, "phone", &e) < 0)
            return req_fail_err(r, &e);
        q.phone = arena_strdup(&r->arena, phone);
        r->audit_read = 1;
    }
    /* ?area= was resolved and checked against the scope by the router. */
    const char *scope = api_scope_path(r);
    json_t *found = person_search_json(r->db, &r->arena, r->app->seal, scope, &q);
    if (r->audit_read) {
        /* Whose data a look-up by identifier showed, without the identifier. */
        json_t *ids = json_array();
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(found, "items"), i, it)
            json_array_append(ids, json_object_get(it, "id"));
        r->audit_detail = json_pack("{s:s,s:o}", "by", q.id_number ? "id_number" : "phone",
                                    "people", ids);
    }
    return reply_json(r, 200, found);
}

/* The ledger of the caller's scope (or of ?area= inside it) as XLSX. */
static int export_ledger(struct req *r, int reveal, const struct area *narrow,
                         const char *residence_type, const char *tag)
{
    struct person_query q = {0};
    struct err e = ERR_INIT;
    q.residence_type = residence_type;
    q.tag = tag;
    const char *names[] = {"residence_type", "tag"};
    const char *vals[] = {residence_type, tag};
    for (int i = 0; i < 2; i++)
        if (vals[i] && jf_check_text(vals[i], strlen(vals[i]), names[i], 64, &e) < 0)
            return req_fail_err(r, &e);
    if (tag && strchr(tag, ','))
        return req_fail(r, 400, "invalid_query", "tag", "标签 tag 不能包含逗号");
    const char *scope = narrow ? narrow->path : r->who.scope_path;
    const char *label = narrow ? narrow->name : r->who.area_name;
    char path[] = "/tmp/pingan-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法创建临时文件");
    close(fd);
    long n = person_export_xlsx(r->db, &r->arena, r->app->seal, scope, &q, reveal, path, &e);
    fd = n >= 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path); /* the open descriptor keeps it until the answer is sent */
    if (n < 0)
        return req_fail_err(r, &e);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法读取导出文件");
    r->audit_read = 1;
    if (!r->audit_detail)
        r->audit_detail = json_object();
    json_object_set_new(r->audit_detail, "people", json_integer(n));
    json_object_set_new(r->audit_detail, "revealed", json_boolean(reveal));
    /* Which people went out: the area and the filters. */
    json_object_set_new(r->audit_detail, "area", json_string(narrow ? narrow->code : r->who.area_code));
    if (residence_type)
        json_object_set_new(r->audit_detail, "residence_type", json_string(residence_type));
    if (tag)
        json_object_set_new(r->audit_detail, "tag", json_string(tag));
    char day[11];
    clock_format_date_cn(clock_now_ms(), day, sizeof(day));
    return reply_file(r, fd,
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      arena_printf(&r->arena, "实有人口台账-%s-%s.xlsx", label, day));
}

int api_person_export(struct req *r)
{
    return export_ledger(r, 0, r->query_area, req_query(r, "residence_type"), req_query(r, "tag"));
}

int api_person_export_revealed(struct req *r)
{
    json_t *body = req_body(r);
    if (!body)
        return -1;
    static const char *const allowed[] = {"reason", "area", "residence_type", "tag", NULL};
    struct err e = ERR_INIT;
    const char *reason, *area, *type, *tag;
    if (jf_only(body, allowed, &e) < 0 || jf_str(body, "reason", 1, 200, &reason, &e) < 0 ||
        reason_check(r, reason) < 0 || jf_str(body, "area", 0, 32, &area, &e) < 0 ||
        jf_str(body, "residence_type", 0, 16, &type, &e) < 0 ||
        jf_str(body, "tag", 0, 16, &tag, &e) < 0)
        return req_fail_err(r, &e);
    r->audit_detail = json_pack("{s:s}", "reason", reason);
    struct area narrow, *np = NULL;
    if (area) { /* checked against the scope by the router (body_area) */
        if (area_get(r->db, &r->arena, area, &narrow) < 0)
            return req_fail(r, 404, "area_not_found", "area", "区域 %s 不存在", area);
        np = &narrow;
    }
    return export_ledger(r, 1, np, type, tag);
}
