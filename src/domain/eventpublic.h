/*
 * eventpublic.h - the public face of an event: what a resident who holds its
 * tracking code may see ("三个公开": the procedure, the deadline nodes and
 * the result), and nothing personal — no names, phones or usernames, no
 * internal notes, no staff. The tracking code is the only key; it is
 * unguessable (event.c), and the API throttles those who guess.
 *
 * Only events reported by residents (source resident, the public channel and
 * Open311) and by the hotline on a caller's behalf can be found by code: the
 * codes of events that staff report are never handed to the public.
 */
#ifndef PINGAN_EVENTPUBLIC_H
#define PINGAN_EVENTPUBLIC_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"

struct db;

#define EVENT_CODE_LEN 10

/* A code as a person types it: trimmed, upper-cased into out. 0, or -1 if
 * it cannot be a tracking code (length, alphabet). Pure. */
int event_code_normalise(const char *in, char out[EVENT_CODE_LEN + 1]);
/* The id of the public event with this (normalised) code; 0 if none. */
int64_t event_public_find(struct db *db, const char *code);
/* The area the public channel serves: the one root of the area tree (the
 * county); -1 if there is none or more than one. Path in a. */
int event_public_scope(struct db *db, struct arena *a, const char **path);
/*
 * The public view of an event: {track_code, status, status_name, open,
 * category, description, address, lng, lat, department, reported_at,
 * updated_at, closed_at, deadline, nodes: [{at, action, action_name, status,
 * status_name, deadline}], result, rating, rating_comment, can_rate}.
 * NULL if there is no such event. The caller owns the result.
 */
json_t *event_public_json(struct db *db, int64_t id);

#include "util/banned.h"
#endif
