/*
 * person.h - 实有人口: the people of the registry, with their personal data
 * protected.
 *
 * The ID number and the phone are stored only sealed (util/seal.c, bound to
 * the column as associated data), with a keyed blind index for exact
 * look-up and a masked form for display. person_to_json() shows the masked
 * forms; person_reveal_json() decrypts, and its caller must audit the view
 * with the reason given.
 */
#ifndef PINGAN_PERSON_H
#define PINGAN_PERSON_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;
struct seal;

struct person_input {
    const char *name;
    const char *former_name;
    const char *gender;     /* "M"/"F"; derived from the ID number when absent */
    const char *doc_type;   /* GA/T 517 code; "111" = 居民身份证 (default) */
    const char *id_number;  /* normalised 18 characters when doc_type is 111 */
    const char *birth_date; /* YYYY-MM-DD; derived from the ID number when absent */
    const char *ethnicity;
    const char *phone;      /* normalised */
    const char *residence_type;
    const char *registered_address;
    const char *current_address;
    const char *relation;
    json_t *tags; /* array of strings, borrowed */
    int64_t household_id; /* 0 = none */
    json_t *details; /* the sub-record of the residence type (GB/T 31000 §1.3), borrowed */
    const char *area;
};

/* Validates a create body: every field, the ID number (GB 11643, 15-digit
 * numbers upgraded) cross-checked with gender and birth date, the phone.
 * today: YYYY-MM-DD for the birth-date checks. Pure (no database). */
int person_from_json(json_t *body, struct arena *a, const char *today, struct person_input *in,
                     struct err *e);

/* Inserts the person in area_id; returns the id or -1 with e (409
 * id_number_exists when the blind index is taken). */
int64_t person_create(struct db *db, const struct seal *seal, const struct person_input *in,
                      int64_t area_id, int64_t now, struct err *e);

/* The person registered with this (normalised) ID number, or 0. */
int64_t person_find_by_id_number(struct db *db, const struct seal *seal, const char *id_number);
/* Replaces the person's fields (the ID number stays) and its area. */
int person_update(struct db *db, const struct seal *seal, int64_t id,
                  const struct person_input *in, int64_t area_id, int64_t now, struct err *e);

/* The area path of a person (for the router's scope check); 0 or -1. */
int person_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
/* The person with masked identifiers, or NULL if none. */
json_t *person_to_json(struct db *db, int64_t id);
/* The unmasked ID number and phone of a person, or NULL with e. */
json_t *person_reveal_json(struct db *db, const struct seal *seal, int64_t id, struct err *e);

struct person_query {
    const char *q;         /* name or current address substring */
    const char *id_number; /* exact, normalised */
    const char *phone;     /* exact, normalised */
    const char *residence_type;
    const char *tag;
    long limit, offset;
};
/* {"items":[…masked…],"total":N} of the people in scope matching qry. */
json_t *person_search_json(struct db *db, struct arena *a, const struct seal *seal,
                           const char *scope, const struct person_query *qry);

#include "util/banned.h"
#endif
