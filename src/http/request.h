/*
 * request.h - one HTTP request as handlers see it.
 *
 * A struct req lives from the first byte of a request to the end of its
 * response. Its arena holds everything the handler allocates. Errors travel
 * in the request: the first req_fail() sticks, and the router serialises it
 * as {"error":{"code","message","field"}}.
 */
#ifndef PINGAN_REQUEST_H
#define PINGAN_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "domain/session.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

struct MHD_Connection;
struct db;
struct app;
struct area;

#define REQ_MAX_PARAMS 4
#define REQ_MAX_HEADERS 4

struct req {
    struct arena arena;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    char id[17];      /* request id, hex */
    char address[64]; /* client address */
    int64_t t0_us;

    struct buf body;
    long body_limit;    /* the route's largest body (router_body_limit) */
    int body_too_large; /* 1: declared too long; 2: grew too long while read */
    size_t discarded;   /* bytes dropped after the limit */

    struct app *app;
    struct db *db;
    struct who who;
    const char *token; /* the session token the request came with */
    json_t *json;      /* the parsed body (owned), see req_body() */
    struct area *area; /* the route's area, resolved and scope-checked by the router */
    struct area *query_area; /* ?area= of an R_QUERY_AREA route, checked likewise, or NULL */
    const struct route *route;

    int nparams;
    const char *param_name[REQ_MAX_PARAMS];
    const char *param_value[REQ_MAX_PARAMS];

    /* The response. */
    int status;
    int reply_fd;         /* > 0: the body is this open file (see reply_file) */
    uint64_t reply_size;
    struct buf out;
    const char *content_type;
    int nheaders;
    const char *header_name[REQ_MAX_HEADERS];
    const char *header_value[REQ_MAX_HEADERS];

    /* The error (first one sticks). */
    int failed;
    const char *err_code;
    const char *err_message;
    const char *err_field;
    const char *err_extra_key; /* optional extra member in the error object */
    json_t *err_extra;

    /* What the audit line says about this request (set by handlers). */
    const char *audit_object;
    int audit_read; /* a read route that showed personal data: audit it too */
    json_t *audit_detail; /* owned; released with the request */
    int stream;           /* answer with the event stream (reply_stream) */
    /* Called after the route's transaction committed (e.g. to publish to
     * the event stream what was written); not after a rollback. */
    void (*after_commit)(struct req *r);
    int64_t *notify_ids;  /* for after_commit: the objects written (arena) */
    int nnotify;
    const char *notify_action;
};

/* Records an error (status, stable snake_case code, field or NULL, message
 * in Chinese for people). Only the first call has effect. Returns -1 so
 * handlers can `return req_fail(...)`. */
int req_fail(struct req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Attaches an extra member to the error object (takes the reference). */
void req_fail_extra(struct req *r, const char *key, json_t *value);

/* Path parameter by name (from the route pattern), or NULL. */
const char *req_param(struct req *r, const char *name);
/* Query-string argument, or NULL. */
const char *req_query(struct req *r, const char *name);
/* Request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* Cookie value, or NULL. */
const char *req_cookie(struct req *r, const char *name);

/* Adds a response header (name and value must outlive the request: use the arena). */
void req_add_header(struct req *r, const char *name, const char *value);

/*
 * Parses the body as a JSON object. On failure the 400 error is already
 * recorded (invalid_json with the position, or body_not_object) and NULL
 * is returned. The returned object is owned by the caller.
 */
json_t *req_json_object(struct req *r);

/* The body as a JSON object, parsed once and kept in r->json (owned by the
 * request). NULL with the 400 already recorded on failure. */
json_t *req_body(struct req *r);
/* Records the err value as the request's error. Returns -1. */
int req_fail_err(struct req *r, const struct err *e);

/* Parses a JSON text that must be an object; on failure fills code/message
 * (static or arena strings) and returns NULL. Pure: used by the fuzz target. */
json_t *json_parse_object(const char *data, size_t len, struct arena *a, const char **code,
                          const char **message);

/* Sets a JSON reply (takes the reference). Returns 0. */
int reply_json(struct req *r, int status, json_t *body);
/* The same with reals written to `digits` significant digits (17: exact). */
int reply_json_digits(struct req *r, int status, json_t *body, int digits);
/* Replies with the whole of an open file (the request closes it), e.g. an
 * export written to an unlinked temporary file. filename: the download name
 * (UTF-8; sent RFC 6266/5987-encoded). */
int reply_file(struct req *r, int fd, const char *content_type, const char *filename);
/* 204 No Content. */
int reply_empty(struct req *r, int status);
/* Answers with the Server-Sent Events stream of the caller's scope (http/stream.h). */
int reply_stream(struct req *r);

/*
 * Query-string integer with a range; absent -> def. On bad input records a
 * 400 invalid_query error naming the parameter and returns -1.
 */
int req_query_long(struct req *r, const char *name, long def, long min, long max, long *out);

#include "util/banned.h"
#endif
