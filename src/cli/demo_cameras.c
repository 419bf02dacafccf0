/*
 * The demo county's cameras (雪亮工程): about one camera for every micro-grid
 * (鹿邑 planned 10,520 for 10,311 micro-grids), of the kinds a county
 * installs — village entrances, squares, roads, schools and the home-linked
 * "雪亮入户" cameras of 数字乡村 — with about 4.5 % planned but not yet
 * installed and about 1.5 % of the installed ones offline (the 鹿邑 rates:
 * 95.51 % installed, 98.49 % online). Deterministic.
 *
 * Times: online cameras were last reported in the five minutes before the
 * build; the offline ones went dark 1–72 hours before it, and their outages
 * count as raised already (alerted_ms set, no event): the demo shows a
 * county in its steady state, so the first sweep of a test run raises
 * nothing that the test did not cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "domain/boundary.h"
#include "store/db.h"
#include "util/xalloc.h"
#include "util/rng.h"

static struct rng rng = {0x5EED0014ull};
static int below(int n)
{
    return (int)(rng_next(&rng) % (uint64_t)n);
}

struct micro {
    int64_t id;
    double lng, lat;
    char path[96], village[64];
};

int demo_cameras(struct db *db, int64_t now)
{
    static const char *const operators[] = {"中国移动沈丘分公司", "中国联通沈丘分公司",
                                            "中国电信沈丘分公司", "沈丘县公安局"};
    struct micro *m = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st =
        db_prepare(db, "SELECT a.id, a.label_lng, a.label_lat, a.path, v.name FROM area a "
                       "JOIN area g ON g.id = a.parent_id JOIN area v ON v.id = g.parent_id "
                       "WHERE a.level = 'microgrid' AND a.label_lng IS NOT NULL ORDER BY a.code");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            m = xrealloc(m, sizeof(*m) * (cap = cap ? cap * 2 : 1024));
        m[n].id = sqlite3_column_int64(st, 0);
        m[n].lng = sqlite3_column_double(st, 1);
        m[n].lat = sqlite3_column_double(st, 2);
        snprintf(m[n].path, sizeof(m[n].path), "%s", db_col_text(st, 3));
        const char *v = db_col_text(st, 4);
        const char *cut = strstr(v, "村民委员会");
        if (!cut)
            cut = strstr(v, "居民委员会");
        snprintf(m[n].village, sizeof(m[n].village), "%.*s",
                 (int)(cut ? (size_t)(cut - v) : strlen(v)), v);
        n++;
    }
    sqlite3_reset(st);
    st = db_prepare(db, "INSERT INTO camera (code, name, kind, operator, lng, lat, area_id, "
                        "area_path, planned_date, installed_date, connected_date, status, "
                        "reported_ms, online_ms, down_since_ms, alerted_ms, created_ms, "
                        "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                        "?13, ?14, ?15, ?16, ?17, ?17)");
    long serial = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        /* 0–3 cameras a micro-grid: 40 %, 35 %, 20 %, 5 %. */
        int roll = below(100), k = roll < 40 ? 0 : roll < 75 ? 1 : roll < 95 ? 2 : 3;
        for (int c = 0; c < k && rc == 0; c++) {
            static const char *const kinds[] = {"village",  "village",  "village", "public",
                                                "public",   "entrance", "road",    "school",
                                                "business", "village"};
            const char *kind = kinds[below(10)];
            char code[24], name[128];
            snprintf(code, sizeof(code), "4116240000132%07d", (int)(++serial % 10000000));
            if (strcmp(kind, "village") == 0)
                snprintf(name, sizeof(name), "%s%d组入户%d号", m[i].village, 1 + below(12),
                         1 + below(60));
            else if (strcmp(kind, "public") == 0)
                snprintf(name, sizeof(name), "%s%s", m[i].village,
                         below(2) ? "文化广场" : "党群服务中心");
            else if (strcmp(kind, "entrance") == 0)
                snprintf(name, sizeof(name), "%s村口%s", m[i].village,
                         (const char *const[]){"东", "西", "南", "北"}[below(4)]);
            else if (strcmp(kind, "road") == 0)
                snprintf(name, sizeof(name), "%s路口", m[i].village);
            else if (strcmp(kind, "school") == 0)
                snprintf(name, sizeof(name), "%s学校门口", m[i].village);
            else
                snprintf(name, sizeof(name), "%s商户门前", m[i].village);
            /* A point near the micro-grid's label point, inside it. */
            double lng = m[i].lng, lat = m[i].lat;
            for (int t = 0; t < 3; t++) {
                double x = m[i].lng + (below(2001) - 1000) * 0.000002,
                       y = m[i].lat + (below(2001) - 1000) * 0.000002;
                if (boundary_contains(db, m[i].id, x, y) == 1) {
                    lng = x;
                    lat = y;
                    break;
                }
            }
            int year = 2020 + below(3), month = 1 + below(12), day = 1 + below(28);
            char plan[40], inst[40], conn[40]; /* any int fits: below() is opaque */
            snprintf(plan, sizeof(plan), "%04d-%02d-%02d", year, month, day);
            snprintf(inst, sizeof(inst), "%04d-%02d-%02d", year + 1, month, day);
            snprintf(conn, sizeof(conn), "%04d-%02d-%02d", year + 1, month,
                     day < 20 ? day + 7 : day);
            int is_installed = below(1000) >= 45, is_online = is_installed && below(1000) >= 15;
            db_bind_text(st, 1, code);
            db_bind_text(st, 2, name);
            db_bind_text(st, 3, kind);
            db_bind_text(
                st, 4,
                operators[strcmp(kind, "entrance") == 0 || strcmp(kind, "road") == 0 ? 3
                                                                                     : below(3)]);
            sqlite3_bind_double(st, 5, lng);
            sqlite3_bind_double(st, 6, lat);
            db_bind_int(st, 7, m[i].id);
            db_bind_text(st, 8, m[i].path);
            db_bind_text(st, 9, plan);
            db_bind_text(st, 10, is_installed ? inst : NULL);
            db_bind_text(st, 11, is_installed ? conn : NULL);
            db_bind_text(st, 12, !is_installed ? "unknown" : is_online ? "online" : "offline");
            if (is_installed) {
                int64_t seen = now - below(300) * 1000LL;
                int64_t down = now - (1 + below(72)) * 3600000LL;
                db_bind_int(st, 13, is_online ? seen : down);
                db_bind_int(st, 14, is_online ? seen : down - 60000);
                if (!is_online) {
                    db_bind_int(st, 15, down);
                    db_bind_int(st, 16, now);
                }
            }
            db_bind_int(st, 17, now);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
        }
    }
    free(m);
    if (rc < 0) {
        fprintf(stderr, "\npingan demo: cameras: %s\n", db_errmsg(db));
        return -1;
    }
    return 0;
}
