/* domain/risk: the overall level of six ratings and the outcomes a level
 * allows (the rules are documented in risk.h). */
#include "unit.h"
#include "domain/risk.h"

static const char *level(const char *letters)
{
    enum risk_color c[RISK_KINDS];
    for (int i = 0; i < RISK_KINDS; i++)
        c[i] = letters[i] == 'r'   ? RISK_RED
               : letters[i] == 'o' ? RISK_ORANGE
               : letters[i] == 'y' ? RISK_YELLOW
                                   : RISK_NONE;
    return risk_level_of(c);
}

static void test_level(void)
{
    CHECK_STR(level("------"), "low");
    CHECK_STR(level("yyyyyy"), "low");
    CHECK_STR(level("y-y-y-"), "low");
    CHECK_STR(level("o-----"), "medium");
    CHECK_STR(level("-----o"), "medium");
    CHECK_STR(level("yoyoyo"), "medium");
    CHECK_STR(level("r-----"), "high");
    CHECK_STR(level("-----r"), "high");
    CHECK_STR(level("oooooor"), "medium"); /* only six count: the seventh letter is ignored */
    CHECK_STR(level("yyyyyr"), "high");    /* one red is enough */
    CHECK_STR(level("oooooo"), "medium");  /* orange everywhere is still not red */
}

static void test_outcome(void)
{
    struct err e = ERR_INIT;
    CHECK(risk_outcome_fits("low", "implement", &e) == 0);
    CHECK(risk_outcome_fits("low", "implement_with_measures", &e) == 0);
    CHECK(risk_outcome_fits("low", "not_implement", &e) == 0);
    CHECK(risk_outcome_fits("medium", "implement_with_measures", &e) == 0);
    CHECK(risk_outcome_fits("medium", "not_implement", &e) == 0);
    CHECK(risk_outcome_fits("high", "not_implement", &e) == 0);
    CHECK(e.kind == ERR_NONE);
    CHECK(risk_outcome_fits("medium", "implement", &e) < 0);
    CHECK_STR(e.code, "outcome_not_allowed");
    CHECK_STR(e.field, "outcome");
    struct err e2 = ERR_INIT;
    CHECK(risk_outcome_fits("high", "implement_with_measures", &e2) < 0);
    struct err e3 = ERR_INIT;
    CHECK(risk_outcome_fits("high", "implement", &e3) < 0);
    CHECK(e3.kind == ERR_CONFLICT);
}

static void test_colors(void)
{
    CHECK(risk_color_of("red") == RISK_RED);
    CHECK(risk_color_of("orange") == RISK_ORANGE);
    CHECK(risk_color_of("yellow") == RISK_YELLOW);
    CHECK(risk_color_of("none") == RISK_NONE);
    CHECK(risk_color_of("blue") == -1);
    CHECK(risk_color_of("Red") == -1);
    CHECK(risk_color_of(NULL) == -1);
}

UNIT_MAIN(test_level, test_outcome, test_colors)
