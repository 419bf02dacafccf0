/*
 * petitionstats.h - the petition figures of an area and a period: received,
 * accepted, replied, replied on time, rated and satisfied ("两个满意": both
 * the handling and the result rated 满意 or 基本满意), repeat, above-level
 * (赴省, 进京) — for the period and the same period a year before (year on
 * year), for the area and each of its child areas. Every count is one
 * index range over the stored area path and the time of registration.
 */
#ifndef PINGAN_PETITIONSTATS_H
#define PINGAN_PETITIONSTATS_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"

struct db;
struct area;

struct petition_figures {
    long received, accepted, replied, on_time, rated, satisfied, repeat, province, beijing, overdue;
};

/* The figures of the petitions whose area lies under path, received in
 * [from_ms, to_ms); overdue as at now. 0, or -1. */
int petitionstats_count(struct db *db, struct arena *a, const char *path, int64_t from_ms,
                        int64_t to_ms, int64_t now, struct petition_figures *out);
/* The figures as JSON with their rates. */
json_t *petitionstats_figures_json(const struct petition_figures *f);
/* {area, from, to, figures, last_year: {from, to, figures}, yoy: {received,
 * …: change in percent or null}, children: [{code, name, level, figures}]}.
 * from and to are dates (YYYY-MM-DD, Asia/Shanghai), both included. NULL on
 * a database error. */
json_t *petitionstats_json(struct db *db, struct arena *a, const struct area *area,
                           const char *from, const char *to, int64_t now);
/* The same dates a year earlier (29 February becomes the 28th); pure. */
void petitionstats_year_before(const char *date, char out[11]);

#include "util/banned.h"
#endif
