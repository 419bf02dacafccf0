/*
 * api_zero.h - the handlers of "三零" creation (api_zero.c), and the hook
 * the event handlers call so that the subjects an event touches are
 * recoloured in the same transaction.
 */
#ifndef PINGAN_API_ZERO_H
#define PINGAN_API_ZERO_H

#include "http/request.h"

int api_zero_list(struct req *r);
int api_zero_create(struct req *r);
int api_zero_get(struct req *r);
int api_zero_update(struct req *r);
int api_zero_villages(struct req *r);
int api_zero_import(struct req *r);
int api_zero_letter_create(struct req *r);
int api_zero_letter_get(struct req *r);
int api_zero_letter_print(struct req *r);
int api_zero_link_event(struct req *r);
int api_zero_review(struct req *r);
int api_zero_rates(struct req *r);
int api_zero_rules(struct req *r);
int api_zero_rules_set(struct req *r);
int api_zero_test_sweep(struct req *r);

/* Recomputes the subjects event_id touches (its village, the unit it
 * names); on failure the 500 answer is recorded and -1 returned. */
int api_zero_event_changed(struct req *r, int64_t event_id);

/* The same for a record of another ledger (a petition, a dispute) at path
 * (an area path) naming org_id (or 0). */
int api_zero_touch(struct req *r, const char *path, int64_t org_id);

#include "util/banned.h"
#endif
