/*
 * zero.h - "三零" creation (零上访、零事故、零案件): the subjects, their
 * counts taken from the platform's own data, the four-colour warning kept
 * up to date with its history, compliance rates and the periodic review.
 * Letters are zeroletter.h, the ledger import zeroimport.h, the pure rules
 * zerorules.h, the petition and dispute counts zerosource.h.
 *
 * Subjects: every area of the village level is one (zero_villages_sync
 * makes the missing ones); a registered unit (org) becomes one with its
 * leading department and responsible person. Scope: a subject lies where
 * its area lies (the village; the unit's micro-grid).
 *
 * Attribution: a village owns the events located in its subtree (the event's
 * stored area path, one index range); a unit owns the events that name it
 * (event.org_id, "涉及单位"). Petitions are events of the petition
 * categories; accidents are events of the accident categories with at least
 * one casualty; cases are events of the case categories — lists that are
 * the county's configuration (zero_setting). Events refused or merged into
 * another do not count. A subject "breaks zero" (破零) in a period when one
 * of the three counts is above zero.
 *
 * Colour: the current year's metrics through the rules (zerorules.h),
 * recomputed for the subjects an event touches when it is created or takes
 * a step (zero_event_changed), for all of them when the rules change, and by
 * the sweep for the time-based ones (overdue petitions, events, visits).
 * Every change is recorded with its time and reasons.
 */
#ifndef PINGAN_ZERO_H
#define PINGAN_ZERO_H

#include <jansson.h>
#include <stdint.h>

#include "domain/zerorules.h"
#include "util/arena.h"
#include "util/err.h"

struct db;

/* Which categories count as what (comma-separated minor codes). */
struct zero_settings {
    const char *accident, *cases, *petition, *criminal_risk, *mass_incident;
};
int zero_settings_load(struct db *db, struct arena *a, struct zero_settings *s);

/* The rules in force; returns how many (into *out, arena), or -1. */
int zero_rules_load(struct db *db, struct arena *a, struct zero_rule **out);
/* {"rules": [...], "categories": {accident, cases, petition, criminal_risk,
 * mass_incident}, "metrics": [{key,name}], "headings": [{key,name}]} */
json_t *zero_rules_json(struct db *db, struct arena *a);
/* Validates {rules, categories?} and replaces the rules (and the category
 * lists given), then recomputes every subject's colour. -1 with e. */
int zero_rules_replace(struct db *db, struct arena *a, json_t *body, int64_t now, struct err *e);

struct zero_subject_input {
    int64_t org_id;          /* create: the unit (required) */
    const char *department;  /* leading department's name */
    const char *category;    /* 学校, 医院 … */
    const char *responsible; /* the responsible person */
    int has_department, has_category, has_responsible;
};
/* Validates a create (create = 1: org_id required) or update body. */
int zero_subject_from_json(json_t *body, int create, struct zero_subject_input *in, struct err *e);
/* Makes the unit a subject (its area: the unit's micro-grid); -1 with e
 * (404 org_not_found, 409 subject_exists, 400 unknown_department). */
int64_t zero_subject_create(struct db *db, struct arena *a, const struct zero_subject_input *in,
                            int64_t now, struct err *e);
/* Changes the department, category or responsible person. */
int zero_subject_update(struct db *db, int64_t id, const struct zero_subject_input *in,
                        struct err *e);
/* Makes a subject of every active village-level area in scope that has
 * none; returns how many were made, or -1. Colours are computed. */
int zero_villages_sync(struct db *db, struct arena *a, const char *scope, int64_t now);
/* The subject's area path (for the router). 0, or -1 if none. */
int zero_area_path(struct db *db, struct arena *a, int64_t id, const char **path);

struct zero_query {
    const char *scope;  /* area path */
    const char *kind;   /* village, unit or NULL */
    const char *colour; /* none .. red, or NULL */
    int broken;         /* 1: only those that broke zero this year */
    int64_t department_id;
    const char *q; /* in the name */
    long limit, offset;
};
/* {"items","total","by_colour":{none,blue,...}} most severe colour first. */
json_t *zero_list_json(struct db *db, struct arena *a, const struct zero_query *q);
/* The subject's card: its data, the current counts and colour with the
 * reasons, the breaking events of the period (default: this year), the
 * colour history, letters and reviews. NULL if none. */
json_t *zero_subject_json(struct db *db, struct arena *a, int64_t id, const char *period,
                          int64_t now, struct err *e);

/* Measures a subject over [from, to) and now: metrics m[ZM_COUNT]; when
 * events is not NULL it receives the breaking events (new array). */
int zero_measure(struct db *db, struct arena *a, const struct zero_settings *s, int64_t id,
                 int64_t from, int64_t to, int64_t now, int64_t *m, json_t **events);
/* Recomputes the subject's current counts and colour (recording a change). */
int zero_recompute(struct db *db, struct arena *a, int64_t id, int64_t now);
/* Links an event to a unit subject (the event names the unit from then
 * on) and recomputes what it touches; 409 not_a_unit for a village (its
 * events are those located in it). */
int zero_link_event(struct db *db, struct arena *a, int64_t subject_id, int64_t event_id,
                    int64_t now, struct err *e);
/* Recomputes the subjects a record at path (an area path, or NULL) naming
 * org_id (or 0) touches: the village above path, the unit of org_id — what
 * the petition and dispute ledgers call when they write. Returns how
 * many, or -1. */
int zero_touch(struct db *db, struct arena *a, const char *path, int64_t org_id, int64_t now);
/* Recomputes the subjects an event touches (its village, the unit it
 * names). Returns how many, or -1. */
int zero_event_changed(struct db *db, struct arena *a, int64_t event_id, int64_t now);
/* Recomputes the max subjects checked longest ago (not within the last
 * hour): the time-based rules. Returns how many. */
int zero_sweep(struct db *db, struct arena *a, int64_t now, int max);
/* Recomputes every subject in scope. Returns how many, or -1. */
int zero_recompute_all(struct db *db, struct arena *a, const char *scope, int64_t now);

/* Compliance (达标率) in the subtree scope for a period, villages and units
 * apart: totals, and per child area (by = "area") or per leading department
 * (by = "department"). A subject complies when it did not break zero and
 * no failed review of the period stands against it. */
json_t *zero_rates_json(struct db *db, struct arena *a, const char *scope, const char *period,
                        const char *by, struct err *e);

/* Records (or replaces) the review of a subject for a period:
 * {period, scores: {leadership: 0..100, …eight}, note?}. Returns its id. */
int64_t zero_review_save(struct db *db, struct arena *a, int64_t subject_id, json_t *body,
                         const char *reviewer, int64_t now, struct err *e);

#include "util/banned.h"
#endif
