/*
 * category.h - the event categories of the taxonomy: 54 major and 162 minor
 * codes, each with its department, handling level (grid, village, township,
 * county), deadline in hours and priority (1: urgent, natural hours; 2–3:
 * working time). The project's copy is data/taxonomy.tsv, embedded; start-up
 * writes it into the category table (and its departments into department),
 * so the codes stay those of the file.
 */
#ifndef PINGAN_CATEGORY_H
#define PINGAN_CATEGORY_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"

struct db;

struct category {
    const char *minor, *major, *major_name, *minor_name;
    int64_t department_id;
    const char *department;
    const char *level;
    int deadline_h;
    int priority;
};

/* Seeds departments and categories from the embedded taxonomy (upsert).
 * Returns the number of categories, or -1. */
int category_seed(struct db *db);
/* Loads one minor category; strings in a. 0, or -1 if unknown. */
int category_get(struct db *db, struct arena *a, const char *minor, struct category *out);
/* Sets a county's own handling time for a category (hours > 0), or goes
 * back to the taxonomy's (hours 0). 1 if done, 0 if no such category, -1. */
int category_set_deadline(struct db *db, const char *minor, int hours);
/* Every category: [{minor, major, major_name, minor_name, department, level, deadline_h
 * (the county's, else the taxonomy's), priority, taxonomy_deadline_h}]. */
json_t *category_list_json(struct db *db);

#include "util/banned.h"
#endif
