/*
 * workflow.h - the steps of the closed loop, in one table: which action
 * leads from which status to which, who may take it, and what they must
 * supply. Pure: the event module (event.c) applies what this table allows.
 *
 * Statuses: reported (上报) → registered (立案) → dispatched (派遣) →
 * accepted (签收) → handled (处置反馈) → closed (核查结案) → evaluated (评价);
 * and rejected (不予立案), suspended (挂起), merged (合并).
 *
 * Who ("capacities", decided by event.c from the account and the event):
 *   CAP_CENTRE    a dispatcher or administrator whose scope holds the area
 *                 that handles the event now (escalation moves it up)
 *   CAP_LEAD      a handler of the event's lead department
 *   CAP_COHANDLER a handler of a co-handling department ("1+5+N")
 *   CAP_GRID      a grid worker whose grid holds the event
 *   CAP_REPORTER  the account that reported it
 *   CAP_SYSTEM    the deadline sweep (escalation of overdue work)
 */
#ifndef PINGAN_WORKFLOW_H
#define PINGAN_WORKFLOW_H

#include <jansson.h>

#include "util/err.h"

enum {
    CAP_CENTRE = 1u << 0,
    CAP_LEAD = 1u << 1,
    CAP_COHANDLER = 1u << 2,
    CAP_GRID = 1u << 3,
    CAP_REPORTER = 1u << 4,
    CAP_SYSTEM = 1u << 5,
};

/* What an action needs in its body. */
enum {
    NEED_REASON = 1u << 0,     /* "reason": why (不予立案, 退回, 挂起, 不通过, 拒绝延期) */
    NEED_NOTE = 1u << 1,       /* "note": what was done (处置反馈, 现场解决) */
    NEED_RATING = 1u << 2,     /* "rating" 1–5, optional "comment" */
    NEED_HOURS = 1u << 3,      /* "hours" of an extension, 1–720 */
    NEED_TARGET = 1u << 4,     /* "into": the event it merges into */
    ALLOW_MINOR = 1u << 5,     /* may give "minor" (the category) */
    ALLOW_DEPTS = 1u << 6,     /* may give "department" and "co_departments" */
    NEED_MINOR = 1u << 7,      /* the event must have a category after this step */
    NEED_PENDING_EXT = 1u << 8, /* an extension request must be pending */
    NEED_NO_PENDING_EXT = 1u << 9,
    NEED_GRID_LEVEL = 1u << 10, /* only categories handled at grid level (小事一格解决) */
};

/* Where an action leads: a status, or one of these. */
#define TO_SAME "="   /* the status does not change */
#define TO_HELD "<"   /* back to the status held before a suspension */

struct transition {
    const char *action;
    const char *name;          /* zh-CN, for the timeline */
    const char *const *from;   /* NULL-terminated */
    const char *to;
    unsigned who;              /* CAP_* that may take it */
    unsigned needs;            /* NEED_* / ALLOW_* */
};

/* The action, or NULL if there is none by that name. */
const struct transition *workflow_find(const char *action);
/* 1 if the action may be taken from status by someone with caps. */
int workflow_allows(const struct transition *t, const char *status, unsigned caps);
/* What else an action may depend on, known of the event. */
enum {
    FACT_EXTENSION_PENDING = 1u << 0,
    FACT_NOT_GRID_LEVEL = 1u << 1, /* its category is handled above the grid */
};
/* 1 if the facts of the event allow the action (beyond status and caps). */
int workflow_fits(const struct transition *t, unsigned facts);
/* The actions caps may take from status given the facts: ["register", …]. */
json_t *workflow_allowed_json(const char *status, unsigned caps, unsigned facts);
/* The zh-CN name of a status, or NULL if unknown. */
const char *workflow_status_name(const char *status);
/* 1 for the statuses in which an event is still open (work waits). */
int workflow_is_open(const char *status);
/* The table as JSON, for the docs and the UI: [{action,name,from,to,who,needs}]. */
json_t *workflow_table_json(void);

#include "util/banned.h"
#endif
