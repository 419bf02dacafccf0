/*
 * org.h - "两新"组织 and the other units of the grid (enterprises, social
 * organisations, institutions, schools), identified by their 统一社会信用代码
 * (GB 32100, checked), placed in a micro-grid, with a contact whose phone is
 * sealed like a resident's.
 */
#ifndef PINGAN_ORG_H
#define PINGAN_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;
struct seal;

struct org_input {
    const char *uscc; /* normalised, or NULL */
    const char *name;
    const char *kind;
    const char *address;
    const char *legal_rep;
    const char *contact_name;
    const char *contact_phone; /* normalised */
    const char *area;
    int64_t employees; /* -1: unknown */
    int party_org, trade_union;
    double lng, lat;
    int has_point;
    json_t *fields; /* the kind's own items (domain/typefields.h), borrowed, or NULL */
};

/* Validates a create body (USCC, phone, point); pure. */
int org_from_json(json_t *body, struct arena *a, struct org_input *in, struct err *e);
/* Inserts it in area_id; -1 with e (409 uscc_exists). */
int64_t org_create(struct db *db, const struct seal *seal, const struct org_input *in,
                   int64_t area_id, int64_t now, struct err *e);
/* Replaces every field of unit id (its USCC included) and its area; -1
 * with e (409 uscc_exists). */
int org_update(struct db *db, const struct seal *seal, int64_t id, const struct org_input *in,
               int64_t area_id, int64_t now, struct err *e);
/* The unit registered with this (normalised) USCC, or 0. */
int64_t org_find_by_uscc(struct db *db, const char *uscc);
/* The kind code of a kind's Chinese name (企业 → enterprise), or NULL. */
const char *org_kind_key(const char *name_zh);
int org_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
json_t *org_to_json(struct db *db, int64_t id);
/* {"items","total"} of the units in a subtree, optionally of one kind or
 * with q in the name. */
json_t *org_list_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                      const char *q, long limit, long offset);

#include "util/banned.h"
#endif
