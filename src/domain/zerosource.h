/*
 * zerosource.h - what the petition and dispute ledgers add to a "三零"
 * subject's metrics, behind one small interface so that zero.c does not
 * depend on how those modules store their records.
 *
 * A target is a village subtree (path) or a registry unit (org_id). The
 * function adds to m[ZM_PETITIONS] the petitions received in [from, to),
 * to m[ZM_OVERDUE_PETITIONS] those open past their time limit now, to
 * m[ZM_CRIMINAL_RISKS] and m[ZM_MASS_INCIDENTS] the open disputes flagged
 * 民转刑 / 群体性. The events of the loop are counted by zero.c itself.
 *
 * State: the petition (012) and dispute (011) modules are built in parallel
 * on other branches; until they are merged this adds nothing and
 * zero_source_wired() is 0 (the API reports it, so nobody mistakes the
 * event-only counts for the full ones).
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
/* Which ledgers are wired: {"petitions": 0|1, "disputes": 0|1} as bits 1, 2. */
int zero_source_wired(void);

#include "util/banned.h"
#endif
