/*
 * event.h - events and their work orders: intake, the steps of the loop
 * (workflow.h says which), deadlines with their lights, escalation up the
 * area tree, the timeline, lists and inboxes.
 *
 * Intake: a point is located to its micro-grid and the event keeps that
 * area's whole path (the chain: scope checks are one range); without a
 * point it takes the area given, or the reporter's own. An idempotency key
 * makes a retry (a phone that lost signal) return the first event instead
 * of a second one; the same key with a different request is refused.
 *
 * Deadlines: each step has a time — the centre's desk (register or refuse),
 * the department's acceptance, the handling (the category's deadline_h, plus
 * granted extensions), the verification — counted in natural hours for
 * priority 1 and working time otherwise (workclock.h). The light is green,
 * yellow once yellow_percent of the step's time is used, red when overdue; a
 * suspension stops the clock. An overdue event escalates one level up the
 * tree (the area that handles it moves up, so the next level's centre finds
 * it in its inbox), again every escalate_every_h while it stays overdue.
 */
#ifndef PINGAN_EVENT_H
#define PINGAN_EVENT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/workclock.h"
#include "geo/geojson.h"
#include "util/arena.h"
#include "util/conf.h"
#include "util/err.h"

struct db;
struct seal;

/* Who is acting: from the session (or the sweep: account_id 0, "system"; or
 * a resident without an account: account_id 0, resident 1). */
struct actor {
    int64_t account_id;
    const char *username;
    const char *role;
    const char *scope_path;
    int64_t department_id;
    /* A resident: reports without an account (reporter_id NULL; an
     * idempotency key is then scoped to all anonymous reports and must be
     * 16 characters or more), and on an event the caller has found by its
     * tracking code acts as its reporter (evaluate). */
    int resident;
};

/* What a step needs besides the database. */
struct event_ctx {
    const struct config *cfg;
    const struct seal *seal;
    struct workcal cal; /* loaded by event_ctx_load */
    int64_t now;
};

/* Loads the working-day calendar into ctx->cal (arena memory). */
int event_ctx_load(struct db *db, struct arena *a, struct event_ctx *ctx);

struct event_input {
    const char *source, *description, *minor, *area, *address;
    const char *reporter_name, *reporter_phone; /* phone normalised */
    const char *idem_key;
    double lng, lat;
    int has_point;
    enum geo_datum crs;
    unsigned char idem_hash[32]; /* of the request, for key reuse */
    int64_t *attachments;        /* uploads to link to the report (attachment.h) */
    size_t n_attachments;
    int64_t org_id;     /* the unit concerned (涉及单位), or 0 */
    int64_t casualties; /* people killed or injured (an accident's), 0 if none */
};

/* Validates an intake body; pure. */
int event_from_json(json_t *body, struct arena *a, struct event_input *in, struct err *e);
/* Creates the event, or finds the one created earlier with the same key
 * (*created = 0). Returns its id, or -1 with e. */
int64_t event_create(struct db *db, struct arena *a, const struct event_ctx *ctx,
                     const struct actor *who, const struct event_input *in, int *created,
                     struct err *e);
/* Takes a step. On a step not allowed now, e is 409 illegal_transition (or
 * 403 not_your_step) and *allowed receives the actions the actor may take. */
int event_apply(struct db *db, struct arena *a, const struct event_ctx *ctx,
                const struct actor *who, int64_t id, const char *action, json_t *body,
                json_t **allowed, struct err *e);
/* One event with its departments, light, the caller's actions and the
 * timeline; NULL if there is none. */
json_t *event_to_json(struct db *db, struct arena *a, const struct event_ctx *ctx,
                      const struct actor *who, int64_t id);

struct event_query {
    const char *scope;      /* area path */
    const char *statuses;   /* comma-separated, or NULL */
    const char *light;      /* green, yellow, red, or NULL */
    const char *minor, *source;
    int64_t department_id;  /* 0: any (a department's account: its own, forced) */
    long limit, offset;
};
/* {"items", "total"} newest first. */
json_t *event_list_json(struct db *db, struct arena *a, const struct event_ctx *ctx,
                        const struct event_query *q);
/* What waits on the actor, counted by light: {"total","green","yellow","red","items"}. */
json_t *event_inbox_json(struct db *db, struct arena *a, const struct event_ctx *ctx,
                         const struct actor *who, long limit);
/* The path the router compares with the caller's scope; a department's
 * account finds only the events its department is on. 0, or -1. */
int event_area_path(struct db *db, struct arena *a, int64_t id, int64_t department_id,
                    const char **path);
/* Turns the stored lights time has turned (the counters of stats.c follow),
 * then escalates what is overdue (at most max events, their ids into ids);
 * returns the number escalated, or -1. */
int event_sweep(struct db *db, struct arena *a, const struct event_ctx *ctx, int64_t *ids,
                int max, struct err *e);
/* Names the unit an event concerns (涉及单位, "三零" attribution), after
 * intake; org_id 0 clears it. 0, or -1 if there is no such event. */
int event_set_org(struct db *db, int64_t id, int64_t org_id);
/* Records the category the classifier proposed at intake, its score and
 * the model's version. */
int event_set_proposal(struct db *db, int64_t id, const char *minor, double score,
                       const char *model);
/* What the event stream needs of an event: its area path, status and the
 * departments on it (at most max). 0, or -1 if there is no such event. */
int event_brief(struct db *db, int64_t id, char *area_path, size_t path_size, char *status,
                size_t status_size, int64_t *depts, int max, int *ndepts);

#include "util/banned.h"
#endif
