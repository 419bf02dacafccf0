/*
 * duplicates.h - the same problem reported twice: open events near an
 * event (within a radius), reported within a time window of it, whose texts
 * are alike. Likeness is the Jaccard similarity of the texts' sets of
 * character shingles (two characters, after the classifier's
 * normalisation), computed exactly: the radius and the window leave few
 * candidates, found through the index on the time of report.
 */
#ifndef PINGAN_DUPLICATES_H
#define PINGAN_DUPLICATES_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"

struct db;

struct dup_opts {
    double radius_m;     /* default 300 */
    int64_t window_ms;   /* default 72 h, before and after */
    double min_similarity; /* default 0.3 */
    const char *scope;   /* only events whose area lies in this path */
    int limit;           /* default 10 */
};

/* Jaccard similarity of two texts' shingle sets (0..1); pure. */
double dup_similarity(const char *a, const char *b);
/* The possible duplicates of event id: [{id, similarity, distance_m,
 * description, status, created_at}…], most alike first. */
json_t *dup_candidates_json(struct db *db, struct arena *a, int64_t id, const struct dup_opts *o);

#include "util/banned.h"
#endif
