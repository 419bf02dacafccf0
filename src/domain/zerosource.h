/*
 * zerosource.h - what the petition and dispute ledgers add to a "三零"
 * subject's metrics, behind one small interface so that zero.c does not
 * depend on how those modules store their records.
 *
 * A target is a village subtree (path) or a registry unit (org_id). The
 * function adds to m[ZM_PETITIONS] the petitions received in [from, to)
 * (domain/petition.h), to m[ZM_OVERDUE_PETITIONS] those among them whose
 * statutory clock ran out, to m[ZM_CRIMINAL_RISKS] the disputes of the
 * period still open and flagged 民转刑 or 群体性 (domain/dispute.h). The
 * events of the loop are counted by zero.c itself.
 *
 * Disputes report one figure for "open and flagged 民转刑 or 群体性", which
 * goes to m[ZM_CRIMINAL_RISKS] (the rules' "民转刑风险" metric); the
 * mass-incident metric keeps the events of its categories.
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
