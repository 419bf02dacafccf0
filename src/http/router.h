/*
 * router.h - the route table and the one place where access is decided.
 *
 * Every request passes router_dispatch(): it finds the route, authenticates
 * the session, checks the role's permission for the route, resolves the
 * route's object (e.g. the area named in the path) and checks that it lies
 * inside the account's subtree (out of scope answers 404 so existence does
 * not leak), wraps writing routes in a transaction, and writes the audit
 * line. Handlers run only after all of that has passed.
 */
#ifndef PINGAN_ROUTER_H
#define PINGAN_ROUTER_H

#include "http/request.h"

typedef int (*handler_fn)(struct req *r);

enum route_flags {
    R_PUBLIC = 1 << 0, /* no session needed */
    R_WRITE = 1 << 1,  /* runs in a write transaction; always audited */
    R_TX_SELF = 1 << 2, /* writes but manages its own transaction (e.g. login) */
    R_TEST_ONLY = 1 << 3, /* exists only when the server runs with test_clock = 1 */
    R_QUERY_AREA = 1 << 4, /* ?area=CODE narrows the route; it must lie inside the scope */
    R_UPLOAD = 1 << 5      /* the body is a file: attachment_max_bytes instead of max_body */
};

/* How the router finds the area of the object a route acts on. */
enum route_object {
    OBJ_NONE = 0,
    OBJ_AREA,    /* path parameter {code} is an area code */
    OBJ_ACCOUNT, /* path parameter {id} is an account id */
    OBJ_PERSON,  /* path parameter {id} is a person of the registry */
    OBJ_HOUSEHOLD, /* path parameter {id} is a household */
    OBJ_ORG,       /* path parameter {id} is an organisation */
    OBJ_HOUSE,     /* path parameter {id} is a house */
    OBJ_LINE,      /* path parameter {id} is a 护路护线 line (seen from any grid it crosses) */
    OBJ_EVENT,     /* path parameter {id} is an event (a department sees only its own) */
    OBJ_ATTACHMENT, /* path parameter {id} is an attachment: its event's, or its uploader's */
    OBJ_DISPUTE,    /* path parameter {id} is a dispute (矛盾纠纷) */
    OBJ_PETITION,   /* path parameter {id} is a petition (信访件) */
    OBJ_ZERO,       /* path parameter {id} is a "三零" creation subject */
    OBJ_RISK,       /* path parameter {id} is a risk-assessment project (2466) */
    OBJ_CAMERA,     /* path parameter {id} is a camera */
    OBJ_BRIEFING,   /* path parameter {id} is a briefing (工作简报, 督查通报) */
};

struct route {
    const char *method;
    const char *pattern; /* e.g. "/api/v1/areas/{code}" */
    handler_fn handler;
    unsigned perm; /* permission bit from domain/role.h; 0 = any signed-in account */
    unsigned flags;
    enum route_object object;
    const char *action; /* audit action name, e.g. "area.update" (every route has one) */
    /* A body field naming an area code that must also lie inside the
     * caller's scope when present (e.g. the new parent of a move). */
    const char *body_area;
    /* A body field holding the id of an object (a household, a person) that
     * must lie inside the scope when present. */
    struct {
        const char *field;
        enum route_object kind;
    } body_ref;
};

/* The table (api/routes.c). Terminated by a route with method == NULL. */
extern const struct route api_routes[];

/* A family of routes under one path prefix whose errors have their own
 * format (Open311's list of {code, description}, in JSON or XML). */
typedef void (*error_renderer_fn)(struct req *r);
struct route_family {
    const char *prefix; /* e.g. "/open311/" */
    error_renderer_fn render_error; /* writes r's error as the response */
};
/* The families (api/routes.c), terminated by prefix == NULL. */
extern const struct route_family api_families[];
/* The error renderer for a request path, or NULL for the API's own
 * {"error":{code,message,field}}. */
error_renderer_fn router_error_renderer(const char *path);

/* The largest body the route for method and path takes (before any byte of
 * it is read): attachment_max_bytes for R_UPLOAD routes, else max_body. */
long router_body_limit(const struct app *app, const char *method, const char *path);

/* Runs the request through the table; always leaves a response in r. */
void router_dispatch(struct req *r);


#include "util/banned.h"
#endif
