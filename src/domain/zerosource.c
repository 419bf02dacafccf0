#include "zerosource.h"

#include "domain/dispute.h"
#include "domain/petition.h"
#include "domain/zerorules.h"
#include "util/arena.h"

int zero_source_counts(struct db *db, const struct zero_target *t, int64_t from, int64_t to,
                       int64_t now, int64_t *m)
{
    /* The petition ledger: received in the period (零上访 broken), and of
     * them those whose statutory clock ran out. */
    long received = 0, overdue = 0;
    if (petition_count_subject(db, t->path, t->org_id, from, to, now, &received, &overdue) < 0)
        return -1;
    m[ZM_PETITIONS] += received;
    m[ZM_OVERDUE_PETITIONS] += overdue;
    /* The dispute ledger: a dispute breaks nothing (it is to be solved
     * where it arises), but one still open and flagged 民转刑 or 群体性 is
     * a risk the colour must show. */
    struct arena a = ARENA_INIT;
    struct dispute_counts dc = {0, 0};
    int rc = dispute_count(db, &a, t->path, t->org_id, from, to, &dc);
    arena_release(&a);
    if (rc < 0)
        return -1;
    m[ZM_CRIMINAL_RISKS] += dc.open_at_risk;
    return 0;
}

int zero_source_wired(void)
{
    return 3;
}
