/*
 * risk.h - social-stability risk assessment (社会稳定风险评估, 淇滨's
 * "2466"): a project or decision, registered with its owner unit and area,
 * goes through six steps, each with its documents; the six risk kinds are
 * rated; the overall level and the outcome are recorded; counts by area and
 * period read like the articles' sentence. Owns risk_project, risk_step,
 * risk_document and risk_rating (sql/013_risk.sql).
 *
 * Steps, in order (a step is completed only after the one before it, and
 * only with at least one document):
 *   1 plan       制订评估方案
 *   2 opinions   广泛听取意见
 *   3 predict    预测、预判风险 — needs all six kinds rated
 *   4 conclude   作出评估结论 — records the outcome; the level is fixed here
 *   5 file       报备（评估报告报备）
 *   6 follow_up  跟踪督查督办 — completing it closes the case
 * Before step 4 a project may instead be exempted (免于评估) or postponed
 * (暂缓评估), with a reason.
 *
 * The level rule (risk_level_of): any kind rated red → 高 (high); else any
 * orange → 中 (medium); else 低 (low) (yellow or none). It follows the
 * national rule's three grades (发改投资〔2012〕2492号 第4条) with the
 * colours as the article uses them.
 * The outcome must fit the level (risk_outcome_fits): a high-risk project
 * is not implemented (not_implement; or postponed before the conclusion);
 * a medium one only with measures (implement_with_measures) or not at all;
 * a low one may be implemented with or without measures, or not.
 */
#ifndef PINGAN_RISK_H
#define PINGAN_RISK_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;
struct area;

#define RISK_STEPS 6
#define RISK_KINDS 6

enum risk_color { RISK_NONE = 0, RISK_YELLOW, RISK_ORANGE, RISK_RED };

/* "high", "medium" or "low" of six ratings (see above); pure. */
const char *risk_level_of(const enum risk_color colors[RISK_KINDS]);
/* 0 if the outcome may follow a project of this level, else -1 with e
 * (409 outcome_not_allowed at field outcome); pure. */
int risk_outcome_fits(const char *level, const char *outcome, struct err *e);
/* The colour of a name (red, orange, yellow, none), or -1. */
int risk_color_of(const char *name);

struct risk_input {
    const char *title, *kind, *owner_unit, *description, *area;
};
/* Validates a create body; pure. */
int risk_from_json(json_t *body, struct risk_input *in, struct err *e);

/* Who acts. */
struct risk_actor {
    int64_t account_id;
    const char *username;
    const char *scope; /* area path */
};

/* Registers it in its area (inside the actor's scope, else 404). */
int64_t risk_create(struct db *db, struct arena *a, const struct risk_input *in,
                    const struct risk_actor *who, int64_t now, struct err *e);
int risk_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* The case: its steps with their documents, ratings, level, outcome; NULL
 * if none. */
json_t *risk_to_json(struct db *db, struct arena *a, int64_t id);
/* {"items","total"} newest first, in the subtree, optionally of a status. */
json_t *risk_list_json(struct db *db, struct arena *a, const char *scope, const char *status,
                       long limit, long offset);
/* The counts of the projects registered in [from_ms, to_ms) in the subtree
 * — total, assessed (implement / with measures), exempt, postponed, not
 * implemented, in progress (not yet concluded), by level — with the
 * sentence the articles write, for the area ar and each of its children. */
json_t *risk_counts_json(struct db *db, struct arena *a, const struct area *ar, int64_t from_ms,
                         int64_t to_ms);

/* Adds the documents of body ({documents: [{title, body}], complete,
 * outcome, outcome_note}) to step (1–6) and completes it when asked (see
 * the rules above); -1 with e (409 risk_closed, step_out_of_order,
 * step_done, ratings_incomplete, outcome_not_allowed; 400 on bad input). */
int risk_step_add(struct db *db, struct arena *a, int64_t id, int step, json_t *body,
                  const struct risk_actor *who, int64_t now, struct err *e);
/* Sets ratings ({ratings: {kind: color | {color, note}}}), before the
 * conclusion. */
int risk_rate(struct db *db, struct arena *a, int64_t id, json_t *body,
              const struct risk_actor *who, int64_t now, struct err *e);
/* Exempts or postpones before the conclusion ({outcome: exempt|postpone,
 * reason}). */
int risk_decide(struct db *db, struct arena *a, int64_t id, json_t *body, int64_t now,
                struct err *e);

#include "util/banned.h"
#endif
