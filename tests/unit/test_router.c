/* Unit tests of route matching (the router's static function). */
#include "../../src/http/router.c"
#include "unit.h"

static int dummy(struct req *r)
{
    (void)r;
    return 0;
}

const struct route api_routes[] = {{NULL, NULL, dummy, 0, 0, OBJ_NONE, NULL, NULL, {NULL, OBJ_NONE}}};

static void render_dummy(struct req *r)
{
    (void)r;
}

const struct route_family api_families[] = {{"/open311/", render_dummy}, {NULL, NULL}};

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
    /* "{id}.{format}": the parameter ends at the segment's last dot. */
    CHECK(match(&r, "/open311/v2/requests/{id}.{format}", "/open311/v2/requests/ABC23.json"));
    CHECK_STR(req_param(&r, "id"), "ABC23");
    CHECK_STR(req_param(&r, "format"), "json");
    CHECK(match(&r, "/open311/v2/services.{format}", "/open311/v2/services.xml"));
    CHECK_STR(req_param(&r, "format"), "xml");
    CHECK(match(&r, "/s/{code}.{format}", "/s/a.b.xml"));
    CHECK_STR(req_param(&r, "code"), "a.b");
    CHECK(!match(&r, "/open311/v2/requests/{id}.{format}", "/open311/v2/requests/ABC23"));
    CHECK(!match(&r, "/open311/v2/requests/{id}.{format}", "/open311/v2/requests/.json"));
    CHECK(!match(&r, "/open311/v2/services.{format}", "/open311/v2/services."));
    CHECK(router_error_renderer("/open311/v2/x") == render_dummy);
    CHECK(router_error_renderer("/api/v1/health") == NULL);
    CHECK_STR(outcome_of(200), "ok");
    CHECK_STR(outcome_of(404), "denied");
    CHECK_STR(outcome_of(409), "error");
    arena_release(&r.arena);
}

UNIT_MAIN(test_match)
