/* domain/workflow: the step table. */
#include <jansson.h>

#include "unit.h"
#include "domain/workflow.h"

static int has(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return 1;
    return 0;
}

static void test_table_is_closed(void)
{
    /* Every status an action starts from or leads to is a known status. */
    json_t *t = workflow_table_json();
    size_t i;
    json_t *row;
    CHECK(json_array_size(t) >= 19);
    json_array_foreach(t, i, row)
    {
        json_t *from = json_object_get(row, "from");
        size_t k;
        json_t *f;
        CHECK(json_array_size(from) > 0);
        json_array_foreach(from, k, f) CHECK(workflow_status_name(json_string_value(f)) != NULL);
        const char *to = json_string_value(json_object_get(row, "to"));
        CHECK(to[0] == '(' || workflow_status_name(to) != NULL);
        CHECK(json_array_size(json_object_get(row, "who")) > 0);
    }
    json_decref(t);
    CHECK(workflow_find("teleport") == NULL);
    CHECK(workflow_find(NULL) == NULL);
    CHECK(workflow_is_open("accepted") && workflow_is_open("suspended"));
    CHECK(!workflow_is_open("closed") && !workflow_is_open("merged") && !workflow_is_open("x"));
}

static void test_who_may(void)
{
    const struct transition *dispatch = workflow_find("dispatch");
    CHECK(workflow_allows(dispatch, "registered", CAP_CENTRE));
    CHECK(!workflow_allows(dispatch, "registered", CAP_GRID | CAP_LEAD | CAP_REPORTER));
    CHECK(!workflow_allows(dispatch, "reported", CAP_CENTRE)); /* register first */
    const struct transition *accept = workflow_find("accept");
    CHECK(workflow_allows(accept, "dispatched", CAP_LEAD));
    CHECK(!workflow_allows(accept, "dispatched", CAP_COHANDLER));
    CHECK(workflow_allows(workflow_find("escalate"), "accepted", CAP_SYSTEM));
    CHECK(!workflow_allows(workflow_find("close"), "handled", CAP_SYSTEM));
    CHECK(workflow_allows(workflow_find("evaluate"), "closed", CAP_REPORTER));
    CHECK(!workflow_allows(workflow_find("evaluate"), "handled", CAP_REPORTER));
}

static void test_allowed_lists(void)
{
    json_t *a = workflow_allowed_json("accepted", CAP_LEAD, 0);
    CHECK(has(a, "handle") && has(a, "request_extension") && has(a, "return") && has(a, "comment"));
    CHECK(!has(a, "close") && !has(a, "grant_extension"));
    json_decref(a);
    /* A pending extension: no second request, no feedback; the centre answers. */
    a = workflow_allowed_json("accepted", CAP_LEAD, FACT_EXTENSION_PENDING);
    CHECK(!has(a, "handle") && !has(a, "request_extension") && has(a, "comment"));
    json_decref(a);
    a = workflow_allowed_json("accepted", CAP_CENTRE, FACT_EXTENSION_PENDING);
    CHECK(has(a, "grant_extension") && has(a, "refuse_extension") && has(a, "suspend"));
    json_decref(a);
    a = workflow_allowed_json("accepted", CAP_CENTRE, 0);
    CHECK(!has(a, "grant_extension"));
    json_decref(a);
    /* 小事一格解决 only for grid-level categories. */
    a = workflow_allowed_json("reported", CAP_GRID, 0);
    CHECK(has(a, "resolve") && has(a, "escalate"));
    json_decref(a);
    a = workflow_allowed_json("reported", CAP_GRID, FACT_NOT_GRID_LEVEL);
    CHECK(!has(a, "resolve"));
    json_decref(a);
    /* The sweep's power is not offered to people. */
    a = workflow_allowed_json("accepted", CAP_SYSTEM, 0);
    CHECK(json_array_size(a) == 0);
    json_decref(a);
    a = workflow_allowed_json("evaluated", CAP_CENTRE | CAP_LEAD | CAP_GRID, 0);
    CHECK(has(a, "rate_handling") && json_array_size(a) == 1);
    json_decref(a);
}

UNIT_MAIN(test_table_is_closed, test_who_may, test_allowed_lists)
