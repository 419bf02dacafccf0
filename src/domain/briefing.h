/*
 * briefing.h - 工作简报 (weekly, monthly) and 督查通报 (inspection notices) of
 * an area and a period, kept with their number (2026年第N期).
 *
 * A briefing's figures are gathered once, at generation, from the statistics
 * (domain/stats.c) and the red list of events (domain/event.c), and frozen as
 * JSON with it: reading or printing it later shows what was issued. The
 * number is allocated per area, kind and year by the INSERT that stores it.
 */
#ifndef PINGAN_BRIEFING_H
#define PINGAN_BRIEFING_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;
struct area;
struct event_ctx;

/* The days a briefing covers (Asia/Shanghai day numbers, inclusive). */
struct briefing_period {
    int64_t from, to;
    int year;
};

/* kind is weekly, monthly or inspection. period: for weekly a date
 * YYYY-MM-DD (its week, Monday to Sunday), else a month YYYY-MM. 0, or -1
 * with e naming the field. */
int briefing_period_parse(const char *kind, const char *period, struct briefing_period *out,
                          struct err *e);

/* Gathers the figures, stores the briefing with the next number and returns
 * its id, or -1 with e. */
int64_t briefing_create(struct db *db, struct arena *a, const struct event_ctx *ctx,
                        const char *kind, const struct area *area, struct briefing_period p,
                        int64_t account_id, struct err *e);

/* One briefing with its figures, or NULL. */
json_t *briefing_to_json(struct db *db, struct arena *a, int64_t id);
/* The briefings of the subtree at scope (optionally one kind), newest first,
 * without their figures: {"items","total"}. */
json_t *briefing_list_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                           long limit, long offset);
/* The path the router compares with the caller's scope. 0, or -1. */
int briefing_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* The briefing as an Excel workbook at path (a sheet each for the figures,
 * the ranking and the red items). 0, or -1 with e. */
int briefing_xlsx(struct db *db, struct arena *a, int64_t id, const char *path, struct err *e);

#include "util/banned.h"
#endif
