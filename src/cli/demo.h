/*
 * demo.h - parts of `pingan demo` that live in their own files.
 */
#ifndef PINGAN_DEMO_H
#define PINGAN_DEMO_H

#include <stdint.h>

#include <geos_c.h>
#include <stddef.h>

struct db;
struct seal;

/* One line of the progress shown while building (see demo.c, demo_city.c). */
typedef void (*demo_progress_fn)(const char *what, long done, long total);

/* The shared tree builder (demo_tree.c). */
struct division {
    char code[16], parent[16], level[16], name[96];
};
/* Reads an embedded division TSV (code, parent_code, level, name; a header
 * line; tree order). Returns the rows (caller frees *out) or -1. */
int demo_load_divisions(const char *embedded_name, struct division **out);
/* The generator behind names and spreads (splitmix64). */
void demo_rng_seed(uint64_t seed);
void demo_random_name(char *out, size_t size);
/* Splits `total` into `n` counts of at least `min` each, at random. */
int *demo_spread(int n, int total, int min);
int64_t demo_add_account(struct db *db, const char *username, const char *name, const char *role,
                         int64_t area_id, const char *dept, const char *hash, int64_t now);
struct demo_tree {
    char root_code[16];
    int64_t root_id;
    int villages, grids, micro;
    long areas;
};
/* Creates the areas of d[0..n) (d[0] is the root), `grids` grids spread over
 * the villages (at least one each) and `micro` micro-grids over the grids (at
 * least three each), a leader per area below the root, a worker per grid and
 * micro-grid and a grid_worker account per grid (username g<grid code>), in
 * the caller's transaction. Returns 0 or -1 (message printed). */
int demo_build_tree(struct db *db, const struct division *d, int n, int grids, int micro,
                    const char *hash, int64_t now, demo_progress_fn progress,
                    struct demo_tree *out);
/* Gives the children of area_id boundaries that tile geom, recursively. */
int demo_shape(struct db *db, int64_t area_id, const GEOSGeometry *geom, long *done, long total,
               demo_progress_fn progress);

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

/* pingan demo --scale city (demo_city.c). */
int cli_demo_city(int argc, char **argv);

/* n events over the last year at the micro-grids (demo_events.c), in
 * transactions of its own. Returns 0 or -1 (message printed). */
struct demo_events_summary {
    long open, timeline, departments;
};
int demo_events(struct db *db, long n, uint64_t seed, int64_t now, demo_progress_fn progress,
                struct demo_events_summary *out);

#include "util/banned.h"
#endif
