#include "zerosource.h"

#include "domain/zerorules.h"

int zero_source_counts(struct db *db, const struct zero_target *t, int64_t from, int64_t to,
                       int64_t now, int64_t *m)
{
    /* Wired when petitions (petition.h) and disputes (dispute.h) are merged:
     * see the header. */
    (void)db;
    (void)t;
    (void)from;
    (void)to;
    (void)now;
    (void)m;
    return 0;
}

int zero_source_wired(void)
{
    return 0;
}
