/* Unit tests of route matching (the router's static function). */
#include "../../src/http/router.c"
#include "unit.h"

static int dummy(struct req *r)
{
    (void)r;
    return 0;
}

const struct route api_routes[] = {{NULL, NULL, dummy, 0, 0, OBJ_NONE, NULL, NULL, {NULL, OBJ_NONE}}};

static void test_match(void)
{
    struct req r;
    memset(&r, 0, sizeof(r));
    CHECK(match(&r, "/api/v1/areas/{code}", "/api/v1/areas/411624"));
    CHECK(r.nparams == 1);
    CHECK_STR(req_param(&r, "code"), "411624");
    CHECK(match(&r, "/api/v1/areas/{code}/children", "/api/v1/areas/4116/children"));
    CHECK_STR(req_param(&r, "code"), "4116");
    CHECK(!match(&r, "/api/v1/areas/{code}", "/api/v1/areas/"));
    CHECK(!match(&r, "/api/v1/areas/{code}", "/api/v1/areas/1/2"));
    CHECK(!match(&r, "/api/v1/areas", "/api/v1/areas/"));
    CHECK(!match(&r, "/api/v1/areas", "/api/v1/area"));
    CHECK(match(&r, "/api/v1/accounts/{id}/password", "/api/v1/accounts/17/password"));
    CHECK_STR(req_param(&r, "id"), "17");
    CHECK(req_param(&r, "code") == NULL);
    CHECK_STR(outcome_of(200), "ok");
    CHECK_STR(outcome_of(404), "denied");
    CHECK_STR(outcome_of(409), "error");
    arena_release(&r.arena);
}

UNIT_MAIN(test_match)
