/*
 * petitionpublic.h - "三个公开" for petitions: what the petitioner who holds
 * a petition's tracking code sees without an account — the procedure (the
 * steps taken), the deadline nodes and the result — and nothing personal:
 * no names, identifiers, addresses, content, internal notes or staff. And
 * "两个满意": the petitioner rates the handling and the result once a
 * written reply exists (满意 / 基本满意 / 不满意), once.
 */
#ifndef PINGAN_PETITIONPUBLIC_H
#define PINGAN_PETITIONPUBLIC_H

#include <jansson.h>
#include <stdint.h>

#include "util/err.h"

struct db;

/* {track_code, channel_name, category_name, title, status, status_name,
 * open, received_at, node_name, deadline, window_until, nodes: [{at,
 * action_name, status_name, deadline}], result: {outcome_name, text, at} or
 * null, rating: {handling, result} or null, can_rate}; NULL if none. */
json_t *petition_public_json(struct db *db, int64_t id, int64_t now);
/* The petitioner's rating; 409 not_ratable before a reply, already_rated
 * after the first. */
int petition_public_rate(struct db *db, int64_t id, const char *handling, const char *result,
                         int64_t now, struct err *e);

#include "util/banned.h"
#endif
