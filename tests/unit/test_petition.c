/* domain/petitionflow, petitionclock and petitionstats' dates: the step
 * table of a petition and its statutory clock. Pure. */
#include <jansson.h>

#include "unit.h"
#include "domain/petitionclock.h"
#include "domain/petitionflow.h"
#include "domain/petitionstats.h"

#define D PETITION_DAY_MS

static int has(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return 1;
    return 0;
}

static void test_table_is_closed(void)
{
    json_t *t = petitionflow_table_json();
    size_t i;
    json_t *row;
    CHECK(json_array_size(t) == 13);
    json_array_foreach(t, i, row)
    {
        json_t *from = json_object_get(row, "from");
        size_t k;
        json_t *f;
        CHECK(json_array_size(from) > 0);
        json_array_foreach(from, k, f)
            CHECK(petitionflow_status_name(json_string_value(f)) != NULL);
        const char *to = json_string_value(json_object_get(row, "to"));
        CHECK(to[0] == '(' || petitionflow_status_name(to) != NULL);
    }
    json_decref(t);
    CHECK(petitionflow_find("teleport") == NULL);
    CHECK(petitionflow_is_open("replied") && !petitionflow_is_open("closed"));
    CHECK(!petitionflow_is_open("refused") && !petitionflow_is_open("nonsense"));
    CHECK_STR(petitionflow_outcome_name("explain"), "解释说明");
    CHECK(petitionflow_outcome_name("maybe") == NULL);
}

static void test_order(void)
{
    /* The regulation's order: no reply before acceptance, no 复核 before 复查. */
    CHECK(!petitionflow_allows(petitionflow_find("reply"), "registered"));
    CHECK(petitionflow_allows(petitionflow_find("accept"), "referred"));
    CHECK(!petitionflow_allows(petitionflow_find("request_recheck"), "replied"));
    CHECK(petitionflow_allows(petitionflow_find("request_recheck"), "reviewed"));
    json_t *a = petitionflow_allowed_json("closed", PFACT_WINDOW_OPEN);
    CHECK(json_array_size(a) == 0); /* after 复核 or 终结: nothing */
    json_decref(a);
    /* The petitioner's window decides whether 复查 may be asked. */
    a = petitionflow_allowed_json("replied", PFACT_WINDOW_OPEN);
    CHECK(has(a, "request_review") && has(a, "close"));
    json_decref(a);
    a = petitionflow_allowed_json("replied", 0);
    CHECK(!has(a, "request_review") && has(a, "close"));
    json_decref(a);
    /* The objection only within the referred organ's 5 working days. */
    a = petitionflow_allowed_json("referred", PFACT_OBJECTION_OPEN);
    CHECK(has(a, "object") && has(a, "accept"));
    json_decref(a);
    a = petitionflow_allowed_json("referred", 0);
    CHECK(!has(a, "object") && has(a, "accept"));
    json_decref(a);
    /* One extension only. */
    a = petitionflow_allowed_json("accepted", PFACT_EXTENDED);
    CHECK(!has(a, "extend") && has(a, "reply"));
    json_decref(a);
}

static void test_clock(void)
{
    struct petition_clock c;
    int64_t t = 1900000000000;
    petitionclock_start("registered", t, 80, &c);
    CHECK_STR(c.node, "refer");
    CHECK(c.deadline == t + 15 * D && c.yellow == t + 12 * D && !c.window);
    petitionclock_start("accepted", t, 80, &c);
    CHECK(c.deadline == t + 60 * D);
    petitionclock_extend(&c, 30, 80);
    CHECK(c.deadline == t + 90 * D && c.yellow == t + 72 * D);
    petitionclock_start("replied", t, 80, &c);
    CHECK(c.node == NULL && c.deadline == 0 && c.window == t + 30 * D);
    petitionclock_start("recheck_requested", t, 80, &c);
    CHECK_STR(c.node, "recheck");
    CHECK(c.deadline == t + 30 * D);
    petitionclock_start("closed", t, 80, &c);
    CHECK(c.node == NULL && !c.window);
    CHECK_STR(petitionclock_light(t, 0, 0), "none");
    CHECK_STR(petitionclock_light(t + 11 * D, t + 15 * D, t + 12 * D), "green");
    CHECK_STR(petitionclock_light(t + 12 * D, t + 15 * D, t + 12 * D), "yellow");
    CHECK_STR(petitionclock_light(t + 15 * D, t + 15 * D, t + 12 * D), "red");
    CHECK(petitionclock_days("handle") == 60 && petitionclock_days("x") == 0);
}

static void test_year_before(void)
{
    char out[11];
    petitionstats_year_before("2032-06-30", out);
    CHECK_STR(out, "2031-06-30");
    petitionstats_year_before("2032-02-29", out);
    CHECK_STR(out, "2031-02-28");
}

UNIT_MAIN(test_table_is_closed, test_order, test_clock, test_year_before)
