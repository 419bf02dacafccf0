/*
 * household.h - 户: a household of the registry, its address and members.
 *
 * A household belongs to a micro-grid; its members are people whose
 * household_id points at it, each with a relation to the head (与户主关系,
 * GB/T 4761). A person registered with relation 户主 becomes the head.
 */
#ifndef PINGAN_HOUSEHOLD_H
#define PINGAN_HOUSEHOLD_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

struct household_input {
    const char *address;
    const char *hh_no; /* 户号, optional */
    const char *area;  /* micro-grid code */
    int64_t house_id;  /* 房屋 the household lives in, 0 = none */
};

/* Validates a create body; pure. */
int household_from_json(json_t *body, struct household_input *in, struct err *e);
/* Inserts it; returns the id or -1 with e. */
int64_t household_create(struct db *db, const struct household_input *in, int64_t area_id,
                         int64_t now, struct err *e);
/* Replaces address, 户号 and micro-grid, and the house when in->house_id
 * is set (0 keeps it). 0, or -1 with e. */
int household_update(struct db *db, int64_t id, const struct household_input *in,
                     int64_t area_id, int64_t now, struct err *e);
/* How many households of the subtree scope carry this 户号 (2 meaning two
 * or more); *id: the first of them, 0 if none. */
int household_find_by_hh_no(struct db *db, struct arena *a, const char *scope, const char *hh_no,
                            int64_t *id);
/* Makes person the head of household (when registered as 户主). */
int household_set_head(struct db *db, int64_t household_id, int64_t person_id, struct err *e);
/* The area path of a household (scope checks); 0 or -1 if none. */
int household_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* The household with its head and members (identifiers masked), or NULL. */
json_t *household_to_json(struct db *db, int64_t id);
/* {"items":[{id,hh_no,address,head_name,member_count}],"total":N} in a subtree. */
json_t *household_list_json(struct db *db, struct arena *a, const char *path, long limit,
                            long offset);

#include "util/banned.h"
#endif
