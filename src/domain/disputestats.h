/*
 * disputestats.h - the dispute figures of an area subtree and a period
 * ("排查 27,102 件，化解 26,833 件，化解率 99%"), and the ledger as XLSX.
 *
 * Every figure is one query over an index range of the stored area path
 * (never a walk of the tree). A dispute counts in the period by its
 * registration time; "resolved" are those of them closed by agreement.
 */
#ifndef PINGAN_DISPUTESTATS_H
#define PINGAN_DISPUTESTATS_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

/* {"screened","resolved","failed","open","controlled","rate","over_limit",
 *  "at_risk","followup_overdue","court_overdue","by_type":[…],"by_tier":[…],
 *  "by_area":[…]} for disputes registered in [from_ms, to_ms) under scope.
 * by_area splits by the children of scope_area_id's area. */
json_t *dispute_stats_json(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                           int64_t to_ms, int64_t now);

/* Writes the ledger (台账) of scope, registered in [from_ms, to_ms), to an
 * XLSX file at path. Returns the number of disputes, or -1 with e. */
long dispute_export_xlsx(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                         int64_t to_ms, int64_t now, const char *path, struct err *e);

#include "util/banned.h"
#endif
