/*
 * petitionrepeat.h - repeat petitions proposed as pairs: in a scope and a
 * period, the petitions of the same village whose matters are alike (the
 * shingle similarity of duplicates.h), not yet linked as repeats, most
 * alike first. A person confirms a pair with petition_mark_repeat().
 */
#ifndef PINGAN_PETITIONREPEAT_H
#define PINGAN_PETITIONREPEAT_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"

struct db;

#define PETITION_PAIR_MIN  0.5  /* similarity at which a pair is proposed */
#define PETITION_PAIR_ROWS 3000 /* petitions compared at most (the newest) */

/* {items: [{earlier: {id, track_code, title, received_at}, later: {…},
 * similarity, same_person}], compared} of petitions under scope received in
 * [from_ms, to_ms) (0: open), at most limit pairs. */
json_t *petition_pairs_json(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                            int64_t to_ms, int limit);

#include "util/banned.h"
#endif
