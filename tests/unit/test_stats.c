/* domain/stats and the SQL functions its counters rest on (store/db.c). */
#include "unit.h"
#include "domain/stats.c"
#include "domain/workclock.h"
#include "store/db.h"

#define H 3600000LL

static void test_shanghai_days_and_months(void)
{
    /* 2026-11-23 00:30 in Shanghai is still the 22nd in UTC. */
    int64_t t = (int64_t)workclock_day_of("2026-11-23") * 24 * H - 8 * H + H / 2;
    CHECK(clock_day_cn(t) == workclock_day_of("2026-11-23"));
    CHECK(clock_day_cn(t - H) == workclock_day_of("2026-11-22"));
    CHECK(clock_month_cn(t) == 202611);
    int64_t dec1 = (int64_t)workclock_day_of("2026-12-01") * 24 * H - 8 * H;
    CHECK(clock_month_cn(dec1) == 202612);
    CHECK(clock_month_cn(dec1 - 1) == 202611);
    CHECK(clock_day_cn(-8 * H) == 0);
    CHECK(clock_day_cn(-8 * H - 1) == -1);
}

static void test_months(void)
{
    struct err e = ERR_INIT;
    int m = 0;
    CHECK(stats_month_parse("2026-11", "from", &m, &e) == 0 && m == 202611);
    const char *bad[] = {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "", "1999-12"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err one = ERR_INIT;
        CHECK(stats_month_parse(bad[i], "to", &m, &one) < 0);
        CHECK_STR(one.field, "to");
        CHECK_STR(one.code, "invalid_month");
    }
    struct stats_months q = stats_months_previous((struct stats_months){202601, 202603});
    CHECK(q.from == 202510 && q.to == 202512);
    q = stats_months_previous((struct stats_months){202611, 202611});
    CHECK(q.from == 202610 && q.to == 202610);
    q = stats_months_year_before((struct stats_months){202602, 202611});
    CHECK(q.from == 202502 && q.to == 202511);
    CHECK(stats_by_parse("child") == BY_CHILD && stats_by_parse("colour") < 0 && stats_by_parse(NULL) < 0);
}

static void test_periods(void)
{
    int64_t wed = workclock_day_of("2026-11-25");
    CHECK(period_start(wed, GRAIN_DAY) == wed);
    CHECK(period_start(wed, GRAIN_WEEK) == workclock_day_of("2026-11-23"));
    CHECK(period_start(workclock_day_of("2026-11-29"), GRAIN_WEEK) == workclock_day_of("2026-11-23"));
    CHECK(period_start(workclock_day_of("2026-11-30"), GRAIN_WEEK) == workclock_day_of("2026-11-30"));
    CHECK(period_start(wed, GRAIN_MONTH) == workclock_day_of("2026-11-01"));
    CHECK(period_next(workclock_day_of("2026-12-01"), GRAIN_MONTH) == workclock_day_of("2027-01-01"));
    CHECK(period_next(workclock_day_of("2026-02-01"), GRAIN_MONTH) == workclock_day_of("2026-03-01"));
}

static void test_sql_functions(void)
{
    char err[256];
    struct db *db = db_open(":memory:", 0, 0, err, sizeof(err));
    CHECK(db != NULL);
    if (!db)
        return;
    static const char *const cases[][3] = {
        {"/1/2/30/", "1", "/1/"},   {"/1/2/30/", "2", "/1/2/"}, {"/1/2/30/", "3", "/1/2/30/"},
        {"/1/2/30/", "4", NULL},    {"/1/2/30/", "0", NULL},    {"1/2/", "1", NULL},
        {"/", "1", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sqlite3_stmt *st = db_prepare(db, "SELECT path_prefix(?, ?)");
        db_bind_text(st, 1, cases[i][0]);
        db_bind_int(st, 2, cases[i][1][0] - '0');
        CHECK(sqlite3_step(st) == SQLITE_ROW);
        const char *got = (const char *)sqlite3_column_text(st, 0);
        if (cases[i][2])
            CHECK_STR(got, cases[i][2]);
        else
            CHECK(got == NULL);
        sqlite3_reset(st);
    }
    sqlite3_stmt *st = db_prepare(db, "SELECT sh_day(?), sh_month(?), sh_day(NULL)");
    int64_t t = (int64_t)workclock_day_of("2026-11-01") * 24 * H - 8 * H;
    db_bind_int(st, 1, t);
    db_bind_int(st, 2, t);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(st, 0) == workclock_day_of("2026-11-01"));
    CHECK(sqlite3_column_int(st, 1) == 202611);
    CHECK(sqlite3_column_type(st, 2) == SQLITE_NULL);
    sqlite3_reset(st);
    db_close(db);
}

static int64_t one(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_prepare(db, sql);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -999;
    sqlite3_reset(st);
    return v;
}

/* The registry counters follow a person who moves, with their memberships. */
static void test_registry_counters_follow_a_move(void)
{
    char err[256];
    struct db *db = db_open(":memory:", 0, 1, err, sizeof(err));
    CHECK(db != NULL);
    if (!db)
        return;
    CHECK(db_exec(db, "INSERT INTO area_level (key, name, depth) VALUES ('county', '县', 0), "
                      "('township', '乡镇', 1)") == 0);
    CHECK(db_exec(db, "INSERT INTO area (id, code, name, level, parent_id, path, depth, valid_from, created_ms, "
                      "updated_ms) VALUES (1, '411624', '县', 'county', NULL, '/1/', 0, '2026-01-01', 0, 0), "
                      "(2, '411624001', '甲镇', 'township', 1, '/1/2/', 1, '2026-01-01', 0, 0), "
                      "(3, '411624002', '乙镇', 'township', 1, '/1/3/', 1, '2026-01-01', 0, 0)") == 0);
    CHECK(db_exec(db, "INSERT INTO person (id, area_id, name, residence_type, created_ms, updated_ms) "
                      "VALUES (10, 2, '某甲', 'floating', 0, 0)") == 0);
    CHECK(db_exec(db, "INSERT INTO special_group (person_id, type, risk_level, visit_every_days, "
                      "next_due_ms, created_ms, updated_ms) VALUES (10, 'drug', 'low', 30, 0, 0, 0)") == 0);
    CHECK(one(db, "SELECT n FROM stat_person WHERE path = '/1/2/' AND residence_type = 'floating'") == 1);
    CHECK(one(db, "SELECT sum(n) FROM stat_group WHERE path = '/1/2/' AND type = 'drug'") == 1);
    CHECK(db_exec(db, "UPDATE person SET area_id = 3 WHERE id = 10") == 0);
    CHECK(one(db, "SELECT n FROM stat_person WHERE path = '/1/2/' AND residence_type = 'floating'") == 0);
    CHECK(one(db, "SELECT n FROM stat_person WHERE path = '/1/3/' AND residence_type = 'floating'") == 1);
    CHECK(one(db, "SELECT n FROM stat_person WHERE path = '/1/' AND residence_type = 'floating'") == 1);
    CHECK(one(db, "SELECT sum(n) FROM stat_group WHERE path = '/1/2/'") == 0);
    CHECK(one(db, "SELECT sum(n) FROM stat_group WHERE path = '/1/3/' AND type = 'drug'") == 1);
    CHECK(one(db, "SELECT sum(n) FROM stat_group WHERE path = '/1/'") == 1);
    CHECK(db_exec(db, "DELETE FROM special_group") == 0 && db_exec(db, "DELETE FROM person") == 0);
    CHECK(one(db, "SELECT sum(n) FROM stat_person") == 0 && one(db, "SELECT sum(n) FROM stat_group") == 0);
    db_close(db);
}

UNIT_MAIN(test_shanghai_days_and_months, test_months, test_periods, test_sql_functions,
          test_registry_counters_follow_a_move)
