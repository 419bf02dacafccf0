/* Open311 GeoReport v2 under /open311/v2/: discovery, the services (the
 * taxonomy's minor categories), and service requests — residents' reports
 * through the same public channel as /api/v1/public/reports (api_public.c).
 *
 * Every answer is built once as JSON and written as JSON or, by the path's
 * .xml suffix, as the spec's mandatory XML (util/xml.h): the two cannot
 * differ. Decisions (docs/architecture.md):
 * - no API key: POST requests is open like the public channel and limited
 *   per client address; an api_key sent is ignored;
 * - service_request_id is the tracking code, which is a secret of the
 *   reporter: GET requests lists only the requests whose ids the client
 *   names (service_code, status and dates then narrow that list); without
 *   service_request_id the list is empty rather than a register of the
 *   county's reports;
 * - media_url, email, device_id, account_id, address_id and attributes are
 *   accepted and not stored (nothing is fetched from a client's URL);
 * - jurisdiction_id is ignored: one endpoint serves one county. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/category.h"
#include "domain/eventpublic.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/form.h"
#include "util/jsonfield.h"
#include "util/xml.h"

#define BASE "/open311/v2"
#define CHANGESET "2026-05-01T00:00:00Z" /* of this endpoint's behaviour */
#define MAX_IDS 50

/* The format of the path's suffix: 1 for XML (also the default of an
 * unknown suffix, XML being the spec's mandatory format), 0 for JSON. */
static int wants_xml(const char *path)
{
    size_t n = strlen(path);
    return !(n >= 5 && strcmp(path + n - 5, ".json") == 0);
}

/* The one writer of Open311 answers: v as JSON, or as XML under root with
 * a top-level array's items named item. Takes the reference. */
static int reply(struct req *r, int status, json_t *v, const char *root, const char *item)
{
    if (!wants_xml(r->path))
        return reply_json(r, status, v);
    buf_reset(&r->out);
    int rc = xml_from_json(&r->out, root, item, v);
    json_decref(v);
    if (rc < 0)
        return req_fail(r, 500, "response_too_large", NULL, "响应过大");
    r->status = status;
    r->content_type = "text/xml; charset=utf-8";
    return 0;
}

static int format_or_reply(struct req *r)
{
    const char *f = req_param(r, "format");
    if (f && (strcmp(f, "json") == 0 || strcmp(f, "xml") == 0))
        return 0;
    return req_fail(r, 404, "unknown_format", "format", "格式应为 .xml 或 .json");
}

/* Our intake field names as Open311 calls them, for error descriptions. */
static const char *open311_field(const char *field)
{
    static const char *const names[][2] = {
        {"lng", "long"},          {"minor", "service_code"}, {"address", "address_string"},
        {"reporter_phone", "phone"}, {"reporter_name", "last_name"}, {NULL, NULL},
    };
    for (int i = 0; field && names[i][0]; i++)
        if (strcmp(field, names[i][0]) == 0)
            return names[i][1];
    return field;
}

void open311_render_error(struct req *r)
{
    const char *field = open311_field(r->err_field);
    json_t *one = json_pack(
        "{s:i,s:o}", "code", r->status, "description",
        json_string(field ? arena_printf(&r->arena, "%s [%s: %s]", r->err_message, r->err_code, field)
                          : arena_printf(&r->arena, "%s [%s]", r->err_message, r->err_code)));
    int status = r->status;
    r->failed = 0; /* the error is the answer now */
    reply(r, status, json_pack("[o]", one), "errors", "error");
    r->failed = 1;
}

int api_open311_discovery(struct req *r)
{
    if (format_or_reply(r) < 0)
        return -1;
    /* The endpoint's absolute URL, from the Host the client used (a
     * name or an address with a port, nothing else). */
    const char *host = req_header(r, "Host");
    if (!host || !*host || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789.-:[]") != strlen(host) || strlen(host) > 255)
        host = "localhost";
    const char *proto = req_header(r, "X-Forwarded-Proto");
    const char *url = arena_printf(&r->arena, "%s://%s" BASE,
                                   proto && strcmp(proto, "https") == 0 ? "https" : "http", host);
    json_t *d = json_pack(
        "{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset", CHANGESET, "contact",
        "本县社会治理综合服务中心（综治中心）", "key_service",
        "不需要 API 密钥：提交按客户端地址限流。No API key is needed; submissions are rate-limited "
        "per client address.",
        "endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url", url,
        "changeset", CHANGESET, "type", "production", "formats", "text/xml", "application/json");
    return reply(r, 200, d, "discovery", NULL);
}

/* A service of the taxonomy: its minor category. */
static json_t *service_of(json_t *cat)
{
    const char *dept = json_string_value(json_object_get(cat, "department"));
    char desc[256];
    snprintf(desc, sizeof(desc), "%s：%s（%s处置，时限 %lld 小时）",
             json_string_value(json_object_get(cat, "major_name")),
             json_string_value(json_object_get(cat, "minor_name")), dept ? dept : "综治中心",
             (long long)json_integer_value(json_object_get(cat, "deadline_h")));
    return json_pack("{s:O,s:O,s:s,s:b,s:s,s:O}", "service_code", json_object_get(cat, "minor"),
                     "service_name", json_object_get(cat, "minor_name"), "description", desc,
                     "metadata", 0, "type", "realtime", "group", json_object_get(cat, "major_name"));
}

int api_open311_services(struct req *r)
{
    if (format_or_reply(r) < 0)
        return -1;
    json_t *cats = category_list_json(r->db), *out = json_array(), *c;
    size_t i;
    json_array_foreach(cats, i, c) json_array_append_new(out, service_of(c));
    json_decref(cats);
    return reply(r, 200, out, "services", "service");
}

/* The category of a service code; -1 with the 404 recorded. */
static int service_or_reply(struct req *r, const char *code, struct category *cat)
{
    struct err e = ERR_INIT;
    if (!code || jf_check_text(code, strlen(code), "service_code", 8, &e) < 0 ||
        category_get(r->db, &r->arena, code, cat) < 0)
        return req_fail(r, 404, "service_not_found", "service_code", "服务代码 %.16s 不存在",
                        code ? code : "");
    return 0;
}

int api_open311_service(struct req *r)
{
    struct category cat;
    if (format_or_reply(r) < 0 || service_or_reply(r, req_param(r, "code"), &cat) < 0)
        return -1;
    /* No service has extra attributes (metadata false): the definition is
     * its code and an empty list. */
    return reply(r, 200, json_pack("{s:s,s:[]}", "service_code", cat.minor, "attributes"),
                 "service_definition", NULL);
}

/* A decimal coordinate of a form; -1 with the 400 recorded. */
static int coordinate_or_reply(struct req *r, const char *s, const char *field, double lo,
                               double hi, double *out)
{
    char *end;
    *out = s && *s ? strtod(s, &end) : NAN;
    if (!s || !*s || *end || !isfinite(*out) || *out < lo || *out > hi)
        return req_fail(r, 400, "invalid_coordinate", field, "%s 应为 %g 到 %g 之间的十进制数",
                        field, lo, hi);
    return 0;
}

/* The intake body of an Open311 POST: our field names, the form's values. */
static json_t *intake_of_or_reply(struct req *r, json_t *form, const struct category *cat)
{
    static const char *const known[] = {
        "jurisdiction_id", "api_key",   "service_code", "lat",        "long",
        "address_string",  "address_id", "email",       "device_id",  "account_id",
        "first_name",      "last_name", "phone",        "description", "media_url", NULL};
    const char *key;
    json_t *v;
    struct err e = ERR_INIT;
    json_object_foreach(form, key, v)
    {
        int ok = strncmp(key, "attribute[", 10) == 0; /* no service has attributes */
        for (int i = 0; !ok && known[i]; i++)
            ok = strcmp(key, known[i]) == 0;
        if (!ok)
            return req_fail(r, 400, "unknown_field", NULL, "不支持的参数 %.64s", key), NULL;
        /* Kept or not, every value must be sound text. */
        if (json_is_string(v) &&
            jf_check_text(json_string_value(v), json_string_length(v), "form", 4000, &e) < 0)
            return req_fail(r, 400, e.code, key, "参数 %.64s: %s", key, e.message), NULL;
    }
    json_t *in = json_pack("{s:s}", "minor", cat->minor);
    const char *lat = json_string_value(json_object_get(form, "lat"));
    const char *lng = json_string_value(json_object_get(form, "long"));
    if ((lat && *lat) || (lng && *lng)) {
        double x, y;
        if (coordinate_or_reply(r, lat, "lat", -90, 90, &y) < 0 ||
            coordinate_or_reply(r, lng, "long", -180, 180, &x) < 0) {
            json_decref(in);
            return NULL;
        }
        json_object_set_new(in, "lng", json_real(x));
        json_object_set_new(in, "lat", json_real(y));
    }
    /* "Optional" means an empty value is no value. */
    static const char *const map[][2] = {{"address_string", "address"},
                                         {"phone", "reporter_phone"},
                                         {"description", "description"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        const char *s = json_string_value(json_object_get(form, map[i][0]));
        if (s && *s)
            json_object_set_new(in, map[i][1], json_string(s));
    }
    if (!json_object_get(in, "description"))
        json_object_set_new(in, "description", json_string(cat->minor_name));
    const char *first = json_string_value(json_object_get(form, "first_name"));
    const char *last = json_string_value(json_object_get(form, "last_name"));
    if ((first && *first) || (last && *last)) /* 姓 before 名 */
        json_object_set_new(in, "reporter_name",
                            json_string(arena_printf(&r->arena, "%s%s", last ? last : "",
                                                     first ? first : "")));
    return in;
}

int api_open311_request_create(struct req *r)
{
    if (format_or_reply(r) < 0 || public_intake_allowed_or_reply(r) < 0)
        return -1;
    struct err e = ERR_INIT;
    json_t *form = form_parse(r->body.ptr, r->body.len, &e);
    if (!form)
        return req_fail_err(r, &e);
    const char *code = json_string_value(json_object_get(form, "service_code"));
    struct category cat;
    json_t *in = NULL;
    int64_t id = -1;
    int created = 0;
    if (!code || !*code)
        req_fail(r, 400, "missing_field", "service_code", "请给出 service_code（服务代码）");
    else if (service_or_reply(r, code, &cat) == 0 && (in = intake_of_or_reply(r, form, &cat)))
        id = public_report_or_reply(r, in, &created);
    const char *media = json_string_value(json_object_get(form, "media_url"));
    int had_media = media && *media;
    json_decref(form);
    json_decref(in);
    if (id < 0)
        return -1;
    json_t *view = event_public_json(r->db, id);
    const char *notice = arena_printf(
        &r->arena, "已受理，请凭查询码 %s 查询办理进度和评价结果。%s",
        json_string_value(json_object_get(view, "track_code")),
        had_media ? "附件链接未保存：请在工作人员联系您时提供照片。" : "");
    json_t *out = json_pack("[{s:O,s:s,s:n}]", "service_request_id",
                            json_object_get(view, "track_code"), "service_notice", notice,
                            "account_id");
    json_decref(view);
    return reply(r, created ? 201 : 200, out, "service_requests", "request");
}

/* One request as Open311 shows it, from the public view (one source for
 * /api/v1/public/reports and this endpoint). */
static json_t *request_of(json_t *view)
{
    json_t *cat = json_object_get(view, "category");
    json_t *result = json_object_get(view, "result");
    const char *notes = json_string_value(json_object_get(view, "status_name"));
    json_t *o = json_pack(
        "{s:O,s:s,s:s,s:O,s:O,s:O,s:O,s:n,s:O,s:O,s:O,s:O,s:n,s:n,s:O,s:O,s:n}",
        "service_request_id", json_object_get(view, "track_code"), "status",
        json_is_true(json_object_get(view, "open")) ? "open" : "closed", "status_notes",
        notes, "service_name", json_is_object(cat) ? json_object_get(cat, "minor_name") : json_null(),
        "service_code", json_is_object(cat) ? json_object_get(cat, "minor") : json_null(),
        "description", json_object_get(view, "description"), "agency_responsible",
        json_object_get(view, "department"), "service_notice", "requested_datetime",
        json_object_get(view, "reported_at"), "updated_datetime",
        json_object_get(view, "updated_at"), "expected_datetime",
        json_object_get(view, "deadline"), "address", json_object_get(view, "address"),
        "address_id", "zipcode", "lat", json_object_get(view, "lat"), "long",
        json_object_get(view, "lng"), "media_url");
    if (json_is_string(result)) /* the result is the reporter's to read */
        json_object_set_new(o, "status_notes",
                            json_sprintf("%s：%s", notes, json_string_value(result)));
    return o;
}

int api_open311_request(struct req *r)
{
    if (format_or_reply(r) < 0)
        return -1;
    int64_t id = public_event_or_reply(r, req_param(r, "id"));
    if (!id)
        return -1;
    json_t *view = event_public_json(r->db, id);
    json_t *out = json_pack("[o]", request_of(view));
    json_decref(view);
    return reply(r, 200, out, "service_requests", "request");
}

/* A W3C datetime with its zone (Z or ±HH:MM); -1 with the 400 recorded. */
static int datetime_or_reply(struct req *r, const char *name, int64_t *ms)
{
    const char *s = req_query(r, name);
    if (!s || !*s)
        return 0;
    size_t n = strlen(s);
    char utc[40];
    int64_t shift = 0;
    if (n > 6 && n < sizeof(utc) && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':') {
        long h, m;
        char hh[3] = {s[n - 5], s[n - 4], 0}, mm[3] = {s[n - 2], s[n - 1], 0};
        if (conf_parse_long(hh, &h) == 0 && conf_parse_long(mm, &m) == 0 && h < 24 && m < 60)
            shift = (s[n - 6] == '+' ? 1 : -1) * (h * 60 + m) * 60000;
        else
            shift = INT64_MIN;
        snprintf(utc, sizeof(utc), "%.*s", (int)(n - 6), s);
    } else if (n < sizeof(utc) && n > 1 && s[n - 1] == 'Z') { /* a zone is required */
        snprintf(utc, sizeof(utc), "%s", s);
    } else {
        shift = INT64_MIN;
    }
    if (shift == INT64_MIN || strchr(utc, 'T') == NULL || clock_parse_iso(utc, ms) < 0)
        return req_fail(r, 400, "invalid_query", name,
                        "%s 应为带时区的 W3C 时间，如 2026-05-01T08:00:00+08:00", name);
    *ms -= shift;
    return 0;
}

/* 1 if item is in the comma list (NULL or empty: everything). */
static int in_list(const char *list, const char *item)
{
    if (!list || !*list)
        return 1;
    size_t n = item ? strlen(item) : 0;
    for (const char *p = list; item && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return 1;
        p += len + (c ? 1 : 0);
    }
    return 0;
}

int api_open311_requests(struct req *r)
{
    int64_t start = 0, end = INT64_MAX;
    const char *ids = req_query(r, "service_request_id");
    const char *codes = req_query(r, "service_code");
    const char *status = req_query(r, "status");
    if (format_or_reply(r) < 0 || datetime_or_reply(r, "start_date", &start) < 0 ||
        datetime_or_reply(r, "end_date", &end) < 0)
        return -1;
    struct err e = ERR_INIT;
    for (const char *p = status; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (!((len == 4 && strncmp(p, "open", 4) == 0) || (len == 6 && strncmp(p, "closed", 6) == 0)))
            return req_fail(r, 400, "invalid_query", "status", "status 应为 open、closed 或二者");
        p += len + (c ? 1 : 0);
    }
    if ((ids && jf_check_text(ids, strlen(ids), "service_request_id", 600, &e) < 0) ||
        (codes && jf_check_text(codes, strlen(codes), "service_code", 400, &e) < 0))
        return req_fail_err(r, &e);
    json_t *out = json_array();
    int n = 0;
    for (const char *p = ids; p && *p && n <= MAX_IDS;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        char one[24];
        snprintf(one, sizeof(one), "%.*s", (int)(len < 23 ? len : 23), p);
        p += len + (c ? 1 : 0);
        if (++n > MAX_IDS) {
            json_decref(out);
            return req_fail(r, 400, "invalid_query", "service_request_id",
                            "service_request_id 最多 %d 个", MAX_IDS);
        }
        /* Each id is a code the client claims to hold: unknown ones count
         * against its address like any other guess, and are left out. */
        char norm[EVENT_CODE_LEN + 1];
        if (public_guess_allowed_or_reply(r) < 0) {
            json_decref(out);
            return -1;
        }
        int64_t id = event_code_normalise(one, norm) == 0 ? event_public_find(r->db, norm) : 0;
        if (!id) {
            public_guess_failed(r);
            continue;
        }
        json_t *view = event_public_json(r->db, id);
        json_t *req = request_of(view);
        json_decref(view);
        int64_t at = 0;
        clock_parse_iso(json_string_value(json_object_get(req, "requested_datetime")), &at);
        if (in_list(status, json_string_value(json_object_get(req, "status"))) &&
            in_list(codes, json_string_value(json_object_get(req, "service_code"))) &&
            at >= start && at <= end)
            json_array_append_new(out, req);
        else
            json_decref(req);
    }
    return reply(r, 200, out, "service_requests", "request");
}
