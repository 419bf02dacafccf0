/*
 * petitionflow.h - the steps of a petition (信访事项), in one table: which
 * step leads from which status to which and what it must supply. Pure: the
 * petition module (petition.c) applies what this table allows, and
 * petitionclock.h says how long each status may last.
 *
 * 《信访工作条例》(2022): 登记 (registered) → 转送/交办 (referred) or
 * 受理 (accepted) / 不予受理 (refused), each told in writing → 办理中
 * (accepted, → 延期 once) → 答复 with a 信访处理意见书 (replied: 支持 /
 * 解释说明 / 不予支持) → [复查申请 (review_requested) → 复查意见
 * (reviewed)] → [复核申请 (recheck_requested) → 复核意见] → 终结 (closed).
 * A referred organ may object that the matter is not its competence within
 * 5 working days (异议, back to registered). 督办 (supervise) and 备注
 * (comment) may come at any open status.
 */
#ifndef PINGAN_PETITIONFLOW_H
#define PINGAN_PETITIONFLOW_H

#include <jansson.h>

/* What a step needs in its body. */
enum {
    PNEED_REASON = 1u << 0,       /* "reason" */
    PNEED_NOTE = 1u << 1,         /* "note": the written reply or what was done */
    PNEED_OUTCOME = 1u << 2,      /* "outcome": support, explain or reject */
    PNEED_DAYS = 1u << 3,         /* "days" of the extension, 1–30 */
    PNEED_HANDLER = 1u << 4,      /* "handler": the organ it goes to */
    PNEED_WINDOW = 1u << 5,       /* only while the petitioner's window is open */
    PNEED_NOT_EXTENDED = 1u << 6, /* the one extension not yet taken */
    PNEED_OBJECTION = 1u << 7,    /* within 5 working days of the referral (第23条) */
};

#define PTO_SAME "=" /* the status does not change */

struct petition_step {
    const char *action;
    const char *name;        /* zh-CN, for the timeline */
    const char *const *from; /* NULL-terminated */
    const char *to;
    unsigned needs;
    int petitioner; /* 1: the petitioner's own request (复查/复核申请) */
    int internal;   /* 1: not shown on the public page */
};

/* The step, or NULL if there is none by that name. */
const struct petition_step *petitionflow_find(const char *action);
/* 1 if the step may be taken from status. */
int petitionflow_allows(const struct petition_step *s, const char *status);
/* Facts beyond the status. */
enum {
    PFACT_WINDOW_OPEN = 1u << 0,    /* the 复查/复核 window has not ended */
    PFACT_EXTENDED = 1u << 1,       /* the extension was taken */
    PFACT_OBJECTION_OPEN = 1u << 2, /* 5 working days since the referral not yet over */
};
/* 1 if the facts allow the step. */
int petitionflow_fits(const struct petition_step *s, unsigned facts);
/* The steps allowed from status given facts: ["accept", …]. */
json_t *petitionflow_allowed_json(const char *status, unsigned facts);
/* The zh-CN name of a status, or NULL if unknown. */
const char *petitionflow_status_name(const char *status);
/* 1 while the matter is open (not closed or refused). */
int petitionflow_is_open(const char *status);
/* The zh-CN name of an outcome (support 支持, explain 解释说明, reject 不予支持), or NULL. */
const char *petitionflow_outcome_name(const char *outcome);
/* The table as JSON: [{action, name, from, to, needs}]. */
json_t *petitionflow_table_json(void);

#include "util/banned.h"
#endif
