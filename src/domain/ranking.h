/*
 * ranking.h - 考核评价: grid workers, departments and townships scored by a
 * formula the county configures, ranked per period, every component shown.
 *
 * Each component is measured per subject (reports made, on-time handling,
 * satisfaction, visits, 核查不通过, overdue items), normalised to 0–100 over
 * the subjects ranked together (rates: the rate × 100; counts: against the
 * largest in the set), and weighted: score = Σ weight × normalised / 100.
 * Negative weights count against (overdue items, verification failures).
 * The weights live in ranking_weight (sql/018_ranking.sql).
 */
#ifndef PINGAN_RANKING_H
#define PINGAN_RANKING_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

/* Returns 0 if kind is grid_worker, department or township. */
int ranking_kind_valid(const char *kind);

/*
 * The ranking of `kind` among the subjects inside the subtree at path (the
 * departments: by their events inside it), for the events reported and the
 * visits made in [from_ms, to_ms); overdue items are counted as of now.
 * top keeps the first N (0: all). Returns a new object, or NULL with e set.
 */
json_t *ranking_json(struct db *db, struct arena *a, const char *kind, const char *path,
                     int64_t from_ms, int64_t to_ms, int64_t now, int top, struct err *e);

/* The weights of every kind with the components' names. */
json_t *ranking_rules_json(struct db *db);
/* Sets the weights named in body {"kind": …, "weights": {component: w}};
 * 0, or -1 with e naming the field at fault. */
int ranking_rules_set(struct db *db, json_t *body, struct err *e);

#include "util/banned.h"
#endif
