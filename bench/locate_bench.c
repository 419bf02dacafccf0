/*
 * locate_bench - in-process point location: calls per second against the
 * index of a demo database (every active area with a boundary).
 * Usage: build/bench/locate_bench DB [CALLS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "domain/boundary.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/conf.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: locate_bench DB [CALLS]\n");
        return 2;
    }
    long calls = 1000000;
    if (argc > 2 && conf_parse_long(argv[2], &calls) < 0)
        return 2;
    char err[256];
    struct db *db = db_open(argv[1], 0, 1, err, sizeof(err));
    if (!db) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int64_t t0 = clock_mono_us();
    if (boundary_index_warm(db) < 0)
        return 1;
    double build_ms = (double)(clock_mono_us() - t0) / 1000.0;
    uint64_t s = 411624;
    long found = 0;
    t0 = clock_mono_us();
    for (long i = 0; i < calls; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double lng = 115.00 + (double)(s >> 11) / 9007199254740992.0 * 0.34;
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double lat = 33.17 + (double)(s >> 11) / 9007199254740992.0 * 0.27;
        found += boundary_locate(db, lng, lat) > 0;
    }
    double secs = (double)(clock_mono_us() - t0) / 1e6;
    printf("index build: %.0f ms\nlocate: %ld calls in %.2f s = %.0f calls/s on one thread "
           "(%.1f %% of the random points inside the county)\n",
           build_ms, calls, secs, (double)calls / secs, 100.0 * (double)found / (double)calls);
    boundary_index_free();
    db_close(db);
    return 0;
}
