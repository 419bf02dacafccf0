/*
 * group.h - 特殊人群 and 走访: special groups of the registry and the visits
 * that their duty requires.
 *
 * A person may belong to each group type once, with the type's own fields,
 * a risk level, for severe mental disorder the danger level 0–5 (卫健委
 * 《严重精神障碍管理治疗工作规范》), and the guardianship team. The visit
 * duty — how many days may pass between visits — comes from the rules of the
 * config key visit_duties ("mental@3=7,mental=30,…": type, optionally the
 * lowest danger level, then days; the first rule that matches wins). A visit
 * to the person moves every one of its groups' next due date.
 */
#ifndef PINGAN_GROUP_H
#define PINGAN_GROUP_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

struct group_input {
    const char *type;
    const char *risk_level;
    int danger_level; /* -1: none */
    json_t *fields;   /* object of strings, borrowed */
    json_t *guardians;
    const char *since;
};

/* Validates a membership body; pure. */
int group_from_json(json_t *body, struct group_input *in, struct err *e);
/* Checks the visit_duties rules; 0, or -1 with e (field visit_duties). */
int group_duties_check(const char *rules, struct err *e);
/* Days between visits for a type and danger level (-1: none) under rules. */
int group_duty_days(const char *rules, const char *type, int danger_level);

int64_t group_create(struct db *db, int64_t person_id, const struct group_input *in, int days,
                     int64_t now, struct err *e);
/* The groups of one person: {"items":[…]}. */
json_t *group_person_json(struct db *db, int64_t person_id, int64_t now);
/* The groups in a subtree; due: NULL/"all", "due" (due within 3 days or
 * overdue) or "overdue". */
json_t *group_list_json(struct db *db, struct arena *a, const char *scope, const char *type,
                        const char *due, long limit, long offset, int64_t now);

struct visit_input {
    const char *kind;
    const char *notes;
    int64_t at_ms; /* INT64_MIN: now */
    double lng, lat;
    int has_point;
};
int visit_from_json(json_t *body, struct visit_input *in, struct err *e);
int64_t visit_create(struct db *db, int64_t person_id, const struct visit_input *in,
                     int64_t account_id, int64_t now, struct err *e);
json_t *visit_to_json(struct db *db, int64_t id);
json_t *visit_list_json(struct db *db, int64_t person_id);

#include "util/banned.h"
#endif
