/*
 * demo.h - parts of `pingan demo` that live in their own files.
 */
#ifndef PINGAN_DEMO_H
#define PINGAN_DEMO_H

#include <stdint.h>

struct db;
struct seal;

/* Adds about `target` residents in households over the micro-grids, inside
 * the caller's transaction. Returns 0 or -1 (message printed). */
int demo_people(struct db *db, const struct seal *seal, long target, int64_t now,
                const char *duties, void (*progress)(const char *what, long done, long total));

/* Adds about `target` units (enterprises and schools) over the micro-grids,
 * inside the caller's transaction. Returns 0 or -1 (message printed). */
int demo_orgs(struct db *db, const struct seal *seal, long target, int64_t now);
/* "三零" creation subjects (every village and unit), breaking events in
 * proportion to the units, colours (src/cli/demo_zero.c). */
struct app;
int demo_zero(struct app *app, struct db *db, long orgs, int64_t now);
/* Adds about `target` disputes of the past year over the micro-grids, with
 * their parties, sessions and timelines, inside the caller's transaction.
 * Returns 0 or -1 (message printed). */
int demo_disputes(struct db *db, long target, int64_t now);
/* 漯阜铁路 through the county (nothing without a county outline). */
int demo_lines(struct db *db, int64_t county_id, int64_t now);
/* The camera network (雪亮工程) over the micro-grids (demo_cameras.c). */
int demo_cameras(struct db *db, int64_t now);
/* Social-stability risk assessments, "2466" (demo_risk.c). */
int demo_risk(struct db *db, int64_t now);

#include "util/banned.h"
#endif
