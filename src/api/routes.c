/*
 * routes.c - every API route, one line each: method, pattern, handler, the
 * permission it needs, whether it writes, which object's scope is checked,
 * and the audit action. Access rules are this data; router.c enforces them.
 */
#include "api/api.h"
#include "domain/role.h"
#include "http/router.h"

#define W R_WRITE
#define PUB R_PUBLIC

const struct route api_routes[] = {
    {"GET", "/api/v1/health", api_health, 0, PUB, OBJ_NONE, "health", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/_test/clock", api_test_clock, 0, PUB | R_TEST_ONLY, OBJ_NONE, "test.clock",
     NULL, {NULL, OBJ_NONE}},

    {"POST", "/api/v1/auth/login", api_login, 0, PUB | W | R_TX_SELF, OBJ_NONE, "auth.login", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/auth/logout", api_logout, 0, W, OBJ_NONE, "auth.logout", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/auth/me", api_me, 0, 0, OBJ_NONE, "auth.me", NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/levels", api_levels, 0, 0, OBJ_NONE, "level.list", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/departments", api_departments, 0, 0, OBJ_NONE, "department.list", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/meta/fields", api_type_fields, 0, 0, OBJ_NONE, "meta.fields", NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/areas", api_area_list, P_AREA_READ, 0, OBJ_NONE, "area.list", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/areas/locate", api_area_locate, P_AREA_READ, 0, OBJ_NONE, "area.locate",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/areas/import", api_area_import, P_AREA_WRITE, W, OBJ_NONE, "area.import",
     NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/areas/{code}/map", api_area_map, P_AREA_READ, 0, OBJ_AREA, "area.map", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/areas/{code}/export", api_area_export, P_AREA_READ, 0, OBJ_AREA,
     "area.export", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/areas/{code}", api_area_get, P_AREA_READ, 0, OBJ_AREA, "area.get", NULL, {NULL, OBJ_NONE}},
    {"PATCH", "/api/v1/areas/{code}", api_area_update, P_AREA_WRITE, W, OBJ_AREA, "area.update",
     "parent", {NULL, OBJ_NONE}},
    {"POST", "/api/v1/areas/{code}/children", api_area_create, P_AREA_WRITE, W, OBJ_AREA,
     "area.create", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/areas/{code}/retire", api_area_retire, P_AREA_WRITE, W, OBJ_AREA,
     "area.retire", NULL, {NULL, OBJ_NONE}},
    {"PUT", "/api/v1/areas/{code}/staff", api_area_staff, P_AREA_WRITE, W, OBJ_AREA, "area.staff",
     NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/accounts", api_account_list, P_ACCOUNT_READ, 0, OBJ_NONE, "account.list",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/accounts", api_account_create, P_ACCOUNT_WRITE, W, OBJ_NONE,
     "account.create", "area", {NULL, OBJ_NONE}},
    {"GET", "/api/v1/accounts/{id}", api_account_get, P_ACCOUNT_READ, 0, OBJ_ACCOUNT,
     "account.get", NULL, {NULL, OBJ_NONE}},
    {"PATCH", "/api/v1/accounts/{id}", api_account_update, P_ACCOUNT_WRITE, W, OBJ_ACCOUNT,
     "account.update", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/accounts/{id}/password", api_account_password, P_ACCOUNT_WRITE, W,
     OBJ_ACCOUNT, "account.password", NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/people", api_person_search, P_PERSON_READ, R_QUERY_AREA, OBJ_NONE, "person.search",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/people", api_person_create, P_PERSON_WRITE, W, OBJ_NONE, "person.create",
     "area", {"household_id", OBJ_HOUSEHOLD}},
    {"POST", "/api/v1/households", api_household_create, P_PERSON_WRITE, W, OBJ_NONE,
     "household.create", "area", {"house_id", OBJ_HOUSE}},
    {"POST", "/api/v1/households/import", api_household_import, P_PERSON_WRITE, W, OBJ_NONE,
     "household.import", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/households/{id}", api_household_get, P_PERSON_READ, 0, OBJ_HOUSEHOLD,
     "household.get", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/areas/{code}/households", api_household_list, P_PERSON_READ, 0, OBJ_AREA,
     "household.list", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/people/export", api_person_export, P_PERSON_READ, R_QUERY_AREA, OBJ_NONE,
     "person.export", NULL, {NULL, OBJ_NONE}},
    /* Runs without a write transaction: a county's ledger takes seconds to
     * write and must not hold other writers off; it writes only its audit row. */
    {"POST", "/api/v1/people/export", api_person_export_revealed, P_PERSON_REVEAL, W | R_TX_SELF,
     OBJ_NONE,
     "person.export", "area", {NULL, OBJ_NONE}},
    {"POST", "/api/v1/people/import", api_person_import, P_PERSON_WRITE, W, OBJ_NONE,
     "person.import", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/people/{id}", api_person_get, P_PERSON_READ, 0, OBJ_PERSON, "person.get",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/people/{id}/reveal", api_person_reveal, P_PERSON_REVEAL, W, OBJ_PERSON,
     "person.reveal", NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/groups", api_group_list, P_GROUP_READ, R_QUERY_AREA, OBJ_NONE, "group.list",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/people/{id}/groups", api_group_create, P_GROUP_WRITE, W, OBJ_PERSON,
     "group.create", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/people/{id}/groups", api_group_of_person, P_GROUP_READ, 0, OBJ_PERSON,
     "group.get", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/visits", api_visit_create, P_PERSON_WRITE, W, OBJ_NONE, "visit.create",
     NULL, {"person_id", OBJ_PERSON}},
    /* Visit notes tell of health and supervision: for those who visit. */
    {"GET", "/api/v1/people/{id}/visits", api_visit_list, P_GROUP_READ, 0, OBJ_PERSON,
     "visit.list", NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/orgs", api_org_list, P_AREA_READ, R_QUERY_AREA, OBJ_NONE, "org.list", NULL,
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/orgs", api_org_create, P_PERSON_WRITE, W, OBJ_NONE, "org.create", "area",
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/orgs/import", api_org_import, P_PERSON_WRITE, W, OBJ_NONE, "org.import",
     NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/orgs/{id}", api_org_get, P_AREA_READ, 0, OBJ_ORG, "org.get", NULL,
     {NULL, OBJ_NONE}},

    {"GET", "/api/v1/categories", api_categories, 0, 0, OBJ_NONE, "category.list", NULL,
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/categories/{minor}", api_category_set, P_AREA_WRITE, W, OBJ_NONE,
     "category.set", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/workflow", api_workflow, 0, 0, OBJ_NONE, "workflow.get", NULL,
     {NULL, OBJ_NONE}},
    {"GET", "/api/v1/calendar", api_calendar_list, 0, 0, OBJ_NONE, "calendar.list", NULL,
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/calendar", api_calendar_set, P_AREA_WRITE, W, OBJ_NONE, "calendar.set",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/events", api_event_create, P_EVENT_REPORT, W, OBJ_NONE, "event.create",
     NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/events", api_event_list, P_EVENT_READ, R_QUERY_AREA, OBJ_NONE, "event.list",
     NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/events/{id}", api_event_get, P_EVENT_READ, 0, OBJ_EVENT, "event.get", NULL,
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/events/{id}/actions/{action}", api_event_act, P_EVENT_ACT, W, OBJ_EVENT,
     "event.act", NULL, {NULL, OBJ_NONE}},
    /* Photos: uploaded alone (the body is the image; its own size limit and
     * its own transaction, after the file is on disk), then named by an
     * intake or a step; seen by whoever may see the event. */
    {"POST", "/api/v1/attachments", api_attachment_create, P_EVENT_REPORT,
     W | R_TX_SELF | R_UPLOAD, OBJ_NONE, "attachment.create", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/attachments/{id}", api_attachment_get, P_EVENT_READ, 0, OBJ_ATTACHMENT,
     "attachment.get", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/inbox", api_inbox, P_EVENT_READ, 0, OBJ_NONE, "inbox.get", NULL,
     {NULL, OBJ_NONE}},
    {"GET", "/api/v1/events/{id}/duplicates", api_event_duplicates, P_EVENT_READ, 0, OBJ_EVENT,
     "event.duplicates", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/classify", api_classify, P_EVENT_READ, 0, OBJ_NONE, "event.classify", NULL,
     {NULL, OBJ_NONE}},
    {"GET", "/api/v1/stream", api_stream, P_EVENT_READ, 0, OBJ_NONE, "stream.open", NULL,
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/_test/train", api_test_train, 0, PUB | W | R_TEST_ONLY, OBJ_NONE,
     "test.train", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/_test/sweep", api_test_sweep, 0, PUB | W | R_TEST_ONLY, OBJ_NONE,
     "test.sweep", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/lines", api_line_list, P_AREA_READ, R_QUERY_AREA, OBJ_NONE, "line.list",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/lines", api_line_create, P_AREA_WRITE, W, OBJ_NONE, "line.create", NULL,
     {NULL, OBJ_NONE}},
    {"GET", "/api/v1/lines/{id}", api_line_get, P_AREA_READ, 0, OBJ_LINE, "line.get", NULL,
     {NULL, OBJ_NONE}},
    {"GET", "/api/v1/houses", api_house_list, P_PERSON_READ, R_QUERY_AREA, OBJ_NONE, "house.list",
     NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/houses", api_house_create, P_PERSON_WRITE, W, OBJ_NONE, "house.create",
     "area", {"owner_id", OBJ_PERSON}},
    {"GET", "/api/v1/houses/{id}", api_house_get, P_PERSON_READ, 0, OBJ_HOUSE, "house.get", NULL,
     {NULL, OBJ_NONE}},
    {"POST", "/api/v1/houses/{id}/tenants", api_house_tenant, P_PERSON_WRITE, W, OBJ_HOUSE,
     "house.tenant", NULL, {"person_id", OBJ_PERSON}},

    /* The public channel: residents without an account (api_public.c). */
    {"POST", "/api/v1/public/reports", api_public_report_create, 0, PUB | W, OBJ_NONE,
     "public.report", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/public/reports/{code}", api_public_report_get, 0, PUB, OBJ_NONE,
     "public.get", NULL, {NULL, OBJ_NONE}},
    {"POST", "/api/v1/public/reports/{code}/rating", api_public_report_rate, 0, PUB | W,
     OBJ_NONE, "public.rate", NULL, {NULL, OBJ_NONE}},
    /* Open311 GeoReport v2 (api_open311.c): {format} is json or xml. */
    {"GET", "/open311/v2/discovery.{format}", api_open311_discovery, 0, PUB, OBJ_NONE,
     "open311.discovery", NULL, {NULL, OBJ_NONE}},
    {"GET", "/open311/v2/services.{format}", api_open311_services, 0, PUB, OBJ_NONE,
     "open311.services", NULL, {NULL, OBJ_NONE}},
    {"GET", "/open311/v2/services/{code}.{format}", api_open311_service, 0, PUB, OBJ_NONE,
     "open311.service", NULL, {NULL, OBJ_NONE}},
    {"POST", "/open311/v2/requests.{format}", api_open311_request_create, 0, PUB | W, OBJ_NONE,
     "open311.request_create", NULL, {NULL, OBJ_NONE}},
    {"GET", "/open311/v2/requests.{format}", api_open311_requests, 0, PUB, OBJ_NONE,
     "open311.requests", NULL, {NULL, OBJ_NONE}},
    {"GET", "/open311/v2/requests/{id}.{format}", api_open311_request, 0, PUB, OBJ_NONE,
     "open311.request", NULL, {NULL, OBJ_NONE}},

    /* 统计分析 (api_stats.c): counters along the ancestor path (domain/stats.c). */
    {"GET", "/api/v1/stats/events", api_stats_events, P_STATS_READ, R_QUERY_AREA, OBJ_NONE,
     "stats.events", NULL, {NULL, OBJ_NONE}},
    {"GET", "/api/v1/stats/events/series", api_stats_series, P_STATS_READ, R_QUERY_AREA, OBJ_NONE,
     "stats.series", NULL, {NULL, OBJ_NONE}},

    {"GET", "/api/v1/audit", api_audit_list, P_AUDIT_READ, 0, OBJ_NONE, "audit.list", NULL, {NULL, OBJ_NONE}},
    {NULL, NULL, NULL, 0, 0, OBJ_NONE, NULL, NULL, {NULL, OBJ_NONE}},
};

/* Route families with an error format of their own. */
const struct route_family api_families[] = {
    {"/open311/", open311_render_error},
    {NULL, NULL},
};
