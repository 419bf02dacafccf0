/*
 * gen_events - a year of events in a demo database, fast: the data the queue
 * and list benchmarks run on (issue 5: 1,000,000 events). The generator is
 * the city demo's (src/cli/demo_events.c); this runs it on any database.
 *
 * Usage: build/bench/gen_events DB [N] [SEED]
 */
#include <stdio.h>

#include "cli/demo.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/conf.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_events DB [N] [SEED]\n");
        return 2;
    }
    long n = 1000000, seed = 411624;
    if ((argc > 2 && conf_parse_long(argv[2], &n) < 0) ||
        (argc > 3 && conf_parse_long(argv[3], &seed) < 0))
        return 2;
    char err[256];
    struct db *db = db_open(argv[1], 0, 1, err, sizeof(err));
    if (!db) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (db_exec(db, "PRAGMA synchronous = OFF") < 0)
        return 1;
    int64_t t0 = clock_mono_us();
    struct demo_events_summary sum;
    if (demo_events(db, n, (uint64_t)seed, clock_now_ms(), NULL, &sum) < 0)
        return 1;
    double s = (double)(clock_mono_us() - t0) / 1e6;
    printf("gen_events: %ld events (%ld open), %ld timeline entries, %ld department rows in "
           "%.1f s (%.0f events/s)\n",
           n, sum.open, sum.timeline, sum.departments, s, (double)n / s);
    db_close(db);
    return 0;
}
