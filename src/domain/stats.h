/*
 * stats.h - figures for any area and period, read from the counters that
 * sql/016_stats.sql keeps along every event's ancestor path.
 *
 * A rollup is a sum over the rows of ONE path (the area asked for), so its
 * cost does not depend on the size of the subtree: county or grid, it reads
 * at most (months × categories × sources × statuses × lights) rows.
 * Events are counted as a cohort: those reported in the period, with what
 * has become of them since. Periods are whole months (yyyymm) for the
 * breakdowns and days (Asia/Shanghai) for the series.
 */
#ifndef PINGAN_STATS_H
#define PINGAN_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

/* A period of whole months, from and to inclusive, as yyyymm. */
struct stats_months {
    int from, to;
};

/* Parses "YYYY-MM" into yyyymm; 0, or -1 with e naming field. */
int stats_month_parse(const char *s, const char *field, int *out, struct err *e);
/* The period of the same length just before p (环比) and the same months a
 * year earlier (同比). */
struct stats_months stats_months_previous(struct stats_months p);
struct stats_months stats_months_year_before(struct stats_months p);

/* The breakdowns one may ask for. */
enum stats_by { BY_STATUS, BY_LIGHT, BY_SOURCE, BY_MINOR, BY_MAJOR, BY_CHILD, BY_COUNT };
/* Returns the breakdown named s, or -1. */
int stats_by_parse(const char *s);

/*
 * The events of the subtree at path reported in p: totals (reported, open,
 * resolved, rates, handling time, satisfaction), the breakdowns whose bit
 * (1 << BY_x) is in by, and the same totals for the previous period and a
 * year before. top limits each breakdown to its largest entries (0: all).
 * Returns a new object, or NULL with e set.
 */
json_t *stats_events_json(struct db *db, struct arena *a, const char *path, struct stats_months p,
                          unsigned by, int top, struct err *e);

enum stats_grain { GRAIN_DAY, GRAIN_WEEK, GRAIN_MONTH };

/*
 * The series of the subtree at path from day `from` to day `to` (days since
 * 1970-01-01, Asia/Shanghai, inclusive) by day, ISO week (Monday first) or
 * month: one entry per period, empty periods included.
 */
json_t *stats_series_json(struct db *db, struct arena *a, const char *path, int64_t from,
                          int64_t to, enum stats_grain grain, struct err *e);

/*
 * The registry of the subtree at path as of now: residents by kind of
 * residence, special-group members by type, and the members whose visit is
 * overdue (next visit due before now). Returns a new object, or NULL with e.
 */
json_t *stats_registry_json(struct db *db, struct arena *a, const char *path, int64_t now,
                            struct err *e);

#include "util/banned.h"
#endif
