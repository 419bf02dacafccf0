/*
 * zerosource.h - what the petition and dispute ledgers add to a "三零"
 * subject's metrics, behind one small interface so that zero.c does not
 * depend on how those modules store their records.
 *
 * A target is a village subtree (path) or a registry unit (org_id). The
 * function adds to m[ZM_CRIMINAL_RISKS] the disputes of the period still
 * open and flagged 民转刑 or 群体性 (domain/dispute.h reports the two as one
 * figure; the mass-incident metric keeps the events of its categories).
 * The events of the loop are counted by zero.c itself.
 *
 * State: the petition ledger (012, domain/petition.h) is on its own branch;
 * once merged it adds m[ZM_PETITIONS] (received in [from, to)) and
 * m[ZM_OVERDUE_PETITIONS] (those whose statutory clock ran out) here, and
 * zero_source_wired() gains bit 1 (the API reports it, so nobody mistakes
 * the event-only petition counts for the full ones).
 */
#ifndef PINGAN_ZEROSOURCE_H
#define PINGAN_ZEROSOURCE_H

#include <stdint.h>

struct db;

struct zero_target {
    const char *path; /* village: its area path, else NULL */
    int64_t org_id;   /* unit: the org, else 0 */
};

/* Adds the ledgers' counts to m[ZM_COUNT]. 0, or -1. */
int zero_source_counts(struct db *db, const struct zero_target *t, int64_t from, int64_t to,
                       int64_t now, int64_t *m);
/* Which ledgers are counted: bit 1 petitions, bit 2 disputes. */
int zero_source_wired(void);

#include "util/banned.h"
#endif
