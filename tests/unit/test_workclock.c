/* domain/workclock: natural and working time over weekends and holidays. */
#include "unit.h"
#include "domain/workclock.h"

#define H 3600000LL
/* Shanghai wall time of a day at hh:00, as epoch ms. */
static int64_t at(const char *ymd, int hh)
{
    return (int64_t)workclock_day_of(ymd) * 24 * H - 8 * H + hh * H;
}

static void test_days(void)
{
    CHECK(workclock_day_of("1970-01-01") == 0);
    CHECK(workclock_day_of("2026-11-23") == 20780);
    CHECK(workclock_day_of("2024-02-29") > 0);
    CHECK(workclock_day_of("2023-02-29") == -1);
    CHECK(workclock_day_of("2026-13-01") == -1);
    CHECK(workclock_day_of("2026-1-01") == -1);
    CHECK(workclock_day_of("2026-01-01x") == -1);
    CHECK(workclock_day_of(NULL) == -1);
    struct workcal none = {NULL, 0};
    CHECK(workclock_is_workday(&none, workclock_day_of("2026-11-20")));  /* Friday */
    CHECK(!workclock_is_workday(&none, workclock_day_of("2026-11-21"))); /* Saturday */
    CHECK(!workclock_is_workday(&none, workclock_day_of("2026-11-22"))); /* Sunday */
    CHECK(workclock_is_workday(&none, workclock_day_of("2026-11-23")));  /* Monday */
}

static void test_weekend(void)
{
    struct workcal none = {NULL, 0};
    /* 24 working hours from Friday 10:00 end on Monday 10:00. */
    CHECK(workclock_add(&none, at("2026-11-20", 10), 24 * H, 0) == at("2026-11-23", 10));
    /* Natural hours run through the weekend. */
    CHECK(workclock_add(&none, at("2026-11-20", 10), 24 * H, 1) == at("2026-11-21", 10));
    /* Reported on Saturday afternoon: the clock starts on Monday at midnight. */
    CHECK(workclock_add(&none, at("2026-11-21", 15), 2 * H, 0) == at("2026-11-23", 2));
    /* 360 h = 15 working days: three weeks from a Monday. */
    CHECK(workclock_add(&none, at("2026-11-23", 9), 360 * H, 0) == at("2026-12-14", 9));
    CHECK(workclock_between(&none, at("2026-11-20", 10), at("2026-11-23", 10), 0) == 24 * H);
    CHECK(workclock_between(&none, at("2026-11-20", 10), at("2026-11-23", 10), 1) == 72 * H);
    CHECK(workclock_between(&none, at("2026-11-21", 0), at("2026-11-23", 0), 0) == 0);
    CHECK(workclock_between(&none, at("2026-11-23", 5), at("2026-11-23", 4), 0) == 0);
    CHECK(workclock_add(&none, at("2026-11-23", 5), 0, 0) == at("2026-11-23", 5));
    /* Back is the inverse of add. */
    CHECK(workclock_back(&none, at("2026-11-23", 10), 24 * H, 0) == at("2026-11-20", 10));
    CHECK(workclock_back(&none, at("2026-11-23", 0), 1 * H, 0) == at("2026-11-20", 23));
    CHECK(workclock_back(&none, at("2026-11-23", 10), 24 * H, 1) == at("2026-11-22", 10));
    /* From a Saturday, add then back lands on the Monday the clock started. */
    for (int h = 1; h < 400; h += 7)
        CHECK(workclock_back(&none, workclock_add(&none, at("2026-11-21", 13), h * H, 0), h * H, 0) ==
              at("2026-11-23", 0));
}

static void test_holidays(void)
{
    /* A Monday holiday, and a Saturday made a working day (调休). */
    struct workday_exception ex[] = {
        {workclock_day_of("2026-11-23"), 0},
        {workclock_day_of("2026-11-28"), 1},
    };
    struct workcal cal = {ex, 2};
    CHECK(!workclock_is_workday(&cal, workclock_day_of("2026-11-23")));
    CHECK(workclock_is_workday(&cal, workclock_day_of("2026-11-28")));
    CHECK(workclock_add(&cal, at("2026-11-20", 10), 24 * H, 0) == at("2026-11-24", 10));
    /* From Friday 27th 10:00, 24 h: the make-up Saturday counts. */
    CHECK(workclock_add(&cal, at("2026-11-27", 10), 24 * H, 0) == at("2026-11-28", 10));
    CHECK(workclock_between(&cal, at("2026-11-20", 10), at("2026-11-24", 10), 0) == 24 * H);
}

UNIT_MAIN(test_days, test_weekend, test_holidays)
