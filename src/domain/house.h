/*
 * house.h - 房屋 and 出租房屋: the houses of a micro-grid, their use, their
 * owner, and for rented houses the tenants with the dates they live there.
 */
#ifndef PINGAN_HOUSE_H
#define PINGAN_HOUSE_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

struct house_input {
    const char *address;
    const char *area;
    const char *use; /* residential, commercial, mixed, other */
    int rental;
    int64_t owner_id; /* 0: none */
    double lng, lat;
    int has_point;
};

int house_from_json(json_t *body, struct house_input *in, struct err *e);
int64_t house_create(struct db *db, const struct house_input *in, int64_t area_id, int64_t now,
                     struct err *e);
int house_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* The house with its owner, its point (lng, lat) when one was recorded and
 * its tenants (identifiers masked), or NULL. */
json_t *house_to_json(struct db *db, int64_t id);
json_t *house_list_json(struct db *db, struct arena *a, const char *scope, int rental_only,
                        long limit, long offset);
/* Adds a tenancy (the house must be a rental); body {person_id, since, until?}. */
int64_t house_add_tenant(struct db *db, int64_t house_id, json_t *body, int64_t now,
                         struct err *e);

#include "util/banned.h"
#endif
