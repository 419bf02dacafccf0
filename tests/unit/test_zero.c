/* domain/zerorules: periods, the four-colour rules and their evaluation,
 * category lists, letter numbers. */
#include <jansson.h>

#include "unit.h"
#include "domain/zerorules.h"
#include "util/clock.h"

#define H 3600000LL

static void test_periods(void)
{
    struct err e = ERR_INIT;
    int64_t from, to, jan1;
    CHECK(clock_parse_iso("2026-01-01", &jan1) == 0);
    CHECK(zero_period_parse("2026", "period", &from, &to, &e) == 0);
    CHECK(from == jan1);
    CHECK(from == 1767225600000LL - 8 * H); /* 2026-01-01T00:00+08:00 */
    CHECK(to - from == 365 * 24 * H);
    CHECK(zero_period_parse("2024", "period", &from, &to, &e) == 0 && to - from == 366 * 24 * H);
    CHECK(zero_period_parse("2026-Q1", "period", &from, &to, &e) == 0 && to - from == 90 * 24 * H);
    CHECK(zero_period_parse("2026-Q4", "period", &from, &to, &e) == 0 && to - from == 92 * 24 * H);
    CHECK(zero_period_parse("2026-02", "period", &from, &to, &e) == 0 && to - from == 28 * 24 * H);
    CHECK(zero_period_parse("2026-12", "period", &from, &to, &e) == 0 && to - from == 31 * 24 * H);
    static const char *const bad[] = {"",         "26",     "2026-13", "2026-Q0",
                                      "2026-Q5",  "2026-1", "20a6",    "2026-01x",
                                      "2026-Q1x", "1999",   "+026",    "2026 "};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err b = ERR_INIT;
        CHECK(zero_period_parse(bad[i], "period", &from, &to, &b) == -1);
        CHECK_STR(b.code, "invalid_period");
    }
    char y[8];
    /* 2026-12-31T16:30Z is already 2027 in Shanghai. */
    zero_period_year(1798734600000LL, y, sizeof(y));
    CHECK_STR(y, "2027");
}

static void test_rules(void)
{
    struct arena a = ARENA_INIT;
    struct err e = ERR_INIT;
    json_t *arr = json_loads(
        "[{\"metric\":\"cases\",\"threshold\":2,\"colour\":\"red\",\"reason\":\"案件 {n} 起\"},"
        "{\"metric\":\"cases\",\"threshold\":1,\"colour\":\"orange\",\"reason\":\"破零 {n}\"},"
        "{\"metric\":\"petitions\",\"threshold\":1,\"colour\":\"yellow\",\"reason\":\"信访 {n} "
        "件\"},"
        "{\"metric\":\"overdue_visits\",\"threshold\":1,\"colour\":\"blue\",\"kind\":\"village\","
        "\"reason\":\"走访超期 {n} 人，{n}\"}]",
        0, NULL);
    struct zero_rule *r;
    int n = zero_rules_from_json(arr, &a, &r, &e);
    CHECK(n == 4);
    int64_t m[ZM_COUNT] = {0};
    json_t *why;
    CHECK(zero_evaluate(r, n, "village", m, &why) == 0);
    CHECK(json_array_size(why) == 0);
    json_decref(why);
    m[ZM_CASES] = 1;
    CHECK(zero_evaluate(r, n, "village", m, &why) == 3);
    CHECK_STR(json_string_value(json_array_get(why, 0)), "破零 1");
    json_decref(why);
    /* Two cases: red says it, the orange rule of the same metric does not repeat it. */
    m[ZM_CASES] = 2;
    m[ZM_PETITIONS] = 4;
    m[ZM_OVERDUE_VISITS] = 3;
    CHECK(zero_evaluate(r, n, "village", m, &why) == 4);
    CHECK(json_array_size(why) == 3);
    CHECK_STR(json_string_value(json_array_get(why, 0)), "案件 2 起");
    CHECK_STR(json_string_value(json_array_get(why, 1)), "信访 4 件");
    CHECK_STR(json_string_value(json_array_get(why, 2)), "走访超期 3 人，3");
    json_decref(why);
    /* A village-only rule does not apply to a unit. */
    m[ZM_CASES] = m[ZM_PETITIONS] = 0;
    CHECK(zero_evaluate(r, n, "unit", m, &why) == 0);
    json_decref(why);
    json_t *back = zero_rules_to_json(r, n);
    CHECK_STR(json_string_value(json_object_get(json_array_get(back, 3), "kind")), "village");
    CHECK_STR(json_string_value(json_object_get(json_array_get(back, 0), "colour_name")), "红色");
    /* What GET answers can be PUT back. */
    struct zero_rule *r2;
    struct err e2 = ERR_INIT;
    CHECK(zero_rules_from_json(back, &a, &r2, &e2) == 4);
    json_decref(back);
    json_decref(arr);

    static const struct {
        const char *json, *code, *field;
    } bad[] = {
        {"[]", "out_of_range", "rules"},
        {"{}", "invalid_type", "rules"},
        {"[1]", "invalid_type", "rules[0]"},
        {"[{\"metric\":\"x\",\"threshold\":1,\"colour\":\"red\",\"reason\":\"r\"}]",
         "invalid_metric", "rules[0].metric"},
        {"[{\"metric\":\"cases\",\"threshold\":1,\"colour\":\"none\",\"reason\":\"r\"}]",
         "invalid_colour", "rules[0].colour"},
        {"[{\"metric\":\"cases\",\"threshold\":0,\"colour\":\"red\",\"reason\":\"r\"}]",
         "out_of_range", "rules[0].threshold"},
        {"[{\"metric\":\"cases\",\"threshold\":1,\"colour\":\"red\"}]", "missing_field",
         "rules[0].reason"},
        {"[{\"metric\":\"cases\",\"threshold\":1,\"colour\":\"red\",\"reason\":\"r\",\"x\":1}]",
         "unknown_field", "rules[0].x"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err b = ERR_INIT;
        json_t *j = json_loads(bad[i].json, 0, NULL);
        CHECK(zero_rules_from_json(j, &a, &r, &b) == -1);
        CHECK_STR(b.code, bad[i].code);
        CHECK_STR(b.field, bad[i].field);
        json_decref(j);
    }
    arena_release(&a);
}

static void test_lists(void)
{
    struct err e = ERR_INIT;
    CHECK(zero_minors_check("1401,1402,2601", "f", &e) == 0);
    CHECK(zero_minors_check("", "f", &e) == 0);
    static const char *const bad[] = {"14", "1401,", ",1401", "1401;1402", "14a1", "1401,,1402"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err b = ERR_INIT;
        CHECK(zero_minors_check(bad[i], "f", &b) == -1);
    }
    CHECK(zero_minor_in("1401,1402,2601", "1402"));
    CHECK(zero_minor_in("1401,1402,2601", "2601"));
    CHECK(zero_minor_in("1401", "1401"));
    CHECK(!zero_minor_in("14012,1402", "1401"));
    CHECK(!zero_minor_in("1401,1402", "4014"));
    CHECK(!zero_minor_in("1401,1402", "0140"));
    CHECK(!zero_minor_in("1401", NULL));
    CHECK(!zero_minor_in("", "1401"));
}

static void test_names(void)
{
    struct arena a = ARENA_INIT;
    CHECK_STR(zero_letter_number(&a, "warning", 2026, 3), "三零警示〔2026〕第3号");
    CHECK_STR(zero_letter_number(&a, "supervision", 2027, 12), "三零督办〔2027〕第12号");
    CHECK(zero_colour_rank("red") == 4 && zero_colour_rank("none") == 0);
    CHECK(zero_colour_rank("green") == -1);
    CHECK_STR(zero_colour_name("orange"), "橙色");
    CHECK(zero_metric_of("overdue_visits") == ZM_OVERDUE_VISITS);
    CHECK(zero_metric_of("nope") == -1);
    CHECK_STR(zero_heading_name(7), "人民群众普遍满意");
    CHECK(zero_heading_key(8) == NULL);
    arena_release(&a);
}

UNIT_MAIN(test_periods, test_rules, test_lists, test_names)
