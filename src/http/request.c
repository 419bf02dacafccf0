#include "request.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "util/conf.h"

int req_fail(struct req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    if (r->failed)
        return -1;
    r->failed = 1;
    r->status = status;
    r->err_code = code;
    r->err_field = field ? arena_strdup(&r->arena, field) : NULL;
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    r->err_message = arena_strdup(&r->arena, msg);
    return -1;
}

int req_fail_err(struct req *r, const struct err *e)
{
    return req_fail(r, err_status(e->kind), e->code ? e->code : "error", e->field, "%s",
                    e->message);
}

void req_fail_extra(struct req *r, const char *key, json_t *value)
{
    if (r->err_extra)
        json_decref(r->err_extra);
    r->err_extra_key = key;
    r->err_extra = value;
}

const char *req_param(struct req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->param_name[i], name) == 0)
            return r->param_value[i];
    return NULL;
}

const char *req_query(struct req *r, const char *name)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

const char *req_header(struct req *r, const char *name)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *req_cookie(struct req *r, const char *name)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

void req_add_header(struct req *r, const char *name, const char *value)
{
    if (r->nheaders < REQ_MAX_HEADERS) {
        r->header_name[r->nheaders] = name;
        r->header_value[r->nheaders] = value;
        r->nheaders++;
    }
}

json_t *json_parse_object(const char *data, size_t len, struct arena *a, const char **code,
                          const char **message)
{
    json_error_t jerr;
    if (len == 0) {
        *code = "empty_body";
        *message = "请求体为空，需要一个 JSON 对象";
        return NULL;
    }
    /* JSON_REJECT_DUPLICATES: {"a":1,"a":2} is ambiguous input, not a choice to make silently. */
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        *code = "invalid_json";
        *message = arena_printf(a, "请求体不是有效的 JSON（第 %d 行第 %d 列）: %s", jerr.line,
                                jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *code = "body_not_object";
        *message = "请求体必须是 JSON 对象";
        return NULL;
    }
    return j;
}

json_t *req_json_object(struct req *r)
{
    const char *code, *message;
    json_t *j = json_parse_object(r->body.ptr, r->body.len, &r->arena, &code, &message);
    if (!j)
        req_fail(r, 400, code, NULL, "%s", message);
    return j;
}

json_t *req_body(struct req *r)
{
    if (!r->json)
        r->json = req_json_object(r);
    return r->json;
}

int reply_json(struct req *r, int status, json_t *body)
{
    /* 12 significant digits: coordinates keep their 7 decimals (1 cm) without
     * the binary noise of 17 digits. */
    return reply_json_digits(r, status, body, 12);
}

int reply_json_digits(struct req *r, int status, json_t *body, int digits)
{
    r->status = status;
    buf_reset(&r->out);
    char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(digits));
    json_decref(body);
    if (!s || buf_addstr(&r->out, s) < 0) {
        free(s);
        return req_fail(r, 500, "response_too_large", NULL, "响应过大");
    }
    free(s);
    r->content_type = "application/json; charset=utf-8";
    return 0;
}

static int safe_in_filename(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
}

int reply_file(struct req *r, int fd, const char *content_type, const char *filename)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return req_fail(r, 500, "export_failed", NULL, "无法读取导出文件");
    }
    r->status = 200;
    r->reply_fd = fd;
    r->reply_size = (uint64_t)st.st_size;
    r->content_type = content_type;
    /* The plain filename= is for old clients: the name itself when it is
     * plain ASCII, else "export" with the name's extension. */
    int plain = 1, ext_plain = 1;
    const char *ext = strrchr(filename, '.');
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        plain &= safe_in_filename(*p);
        if (ext && p >= (const unsigned char *)ext)
            ext_plain &= safe_in_filename(*p);
    }
    if (!ext || !ext_plain)
        ext = "";
    struct buf b = BUF_INIT;
    buf_addf(&b, "attachment; filename=\"%s%s\"; filename*=UTF-8''", plain ? filename : "export",
             plain ? "" : ext);
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        if (safe_in_filename(*p))
            buf_addch(&b, (char)*p);
        else
            buf_addf(&b, "%%%02X", *p);
    }
    req_add_header(r, "Content-Disposition", arena_strdup(&r->arena, b.ptr));
    buf_release(&b);
    return 0;
}

int reply_empty(struct req *r, int status)
{
    r->status = status;
    buf_reset(&r->out);
    r->content_type = NULL;
    return 0;
}

int req_query_long(struct req *r, const char *name, long def, long min, long max, long *out)
{
    const char *v = req_query(r, name);
    if (!v) {
        *out = def;
        return 0;
    }
    long n;
    if (conf_parse_long(v, &n) < 0 || n < min || n > max)
        return req_fail(r, 400, "invalid_query", name, "查询参数 %s 应为 %ld 到 %ld 之间的整数",
                        name, min, max);
    *out = n;
    return 0;
}

int reply_stream(struct req *r)
{
    r->stream = 1;
    r->status = 200;
    return 0;
}
