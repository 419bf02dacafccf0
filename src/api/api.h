/*
 * api.h - the handlers behind the route table (routes.c).
 *
 * A handler runs only after the router has authenticated the caller,
 * checked the role's permission and the object's scope. It validates its
 * input, calls the domain and renders JSON; it never writes SQL.
 */
#ifndef PINGAN_API_H
#define PINGAN_API_H

#include "geo/geojson.h"
#include "http/request.h"

struct db;

struct area;
struct event_ctx;

/* Loads the area named code (the router has checked its scope) and requires
 * an active leaf (a micro-grid): people and households live there. On
 * failure the 404/400 answer (field "area") is already recorded; -1. */
int leaf_area_or_reply(struct req *r, const char *code, struct area *out);
/* Requires (lng, lat) to lie in area; else the 400 point_outside_area answer
 * (field lng) is recorded and -1 returned. */
int point_in_area_or_reply(struct req *r, double lng, double lat, const struct area *area);

int api_health(struct req *r);
int api_test_clock(struct req *r);

int api_login(struct req *r);
int api_logout(struct req *r);
int api_me(struct req *r);

int api_levels(struct req *r);
int api_departments(struct req *r);
int api_type_fields(struct req *r);

int api_area_list(struct req *r);
int api_area_get(struct req *r);
int api_area_create(struct req *r);
int api_area_update(struct req *r);
int api_area_retire(struct req *r);
int api_area_staff(struct req *r);
int api_area_map(struct req *r);
int api_area_export(struct req *r);
int api_area_locate(struct req *r);
int api_area_import(struct req *r);

int api_account_list(struct req *r);
int api_account_create(struct req *r);
int api_account_get(struct req *r);
int api_account_update(struct req *r);
int api_account_password(struct req *r);

int api_audit_list(struct req *r);

int api_person_create(struct req *r);
int api_person_get(struct req *r);
int api_person_reveal(struct req *r);
int api_person_search(struct req *r);
int api_person_export(struct req *r);
int api_person_export_revealed(struct req *r);
int api_group_create(struct req *r);
int api_group_of_person(struct req *r);
int api_group_list(struct req *r);
int api_visit_create(struct req *r);
int api_visit_list(struct req *r);
int api_org_create(struct req *r);
int api_org_get(struct req *r);
int api_org_list(struct req *r);
/* The crs query parameter (wgs84, the default, or gcj02); -1 after a 400. */
int api_query_crs(struct req *r, enum geo_datum *out);
/* The subtree a list or figure covers: ?area= when the route takes it (the
 * router checked it), else the caller's whole scope. */
const char *api_scope_path(const struct req *r);
int api_line_create(struct req *r);
/* Moves an Idempotency-Key header into the body's idempotency_key; a header
 * that differs from the body's key is the 400 idempotency_key_mismatch. */
int idempotency_key_or_reply(struct req *r, json_t *body);
/* The event rules' context for this request: configuration, seal, now and
 * the working-day calendar (arena memory). */
void api_event_ctx(struct req *r, struct event_ctx *ctx);
int api_event_create(struct req *r);
int api_event_get(struct req *r);
int api_event_act(struct req *r);
int api_event_list(struct req *r);
int api_inbox(struct req *r);
int api_attachment_create(struct req *r);
int api_attachment_get(struct req *r);
int api_categories(struct req *r);
int api_category_set(struct req *r);
int api_workflow(struct req *r);
int api_calendar_list(struct req *r);
int api_calendar_set(struct req *r);
int api_test_sweep(struct req *r);
int api_stream(struct req *r);
int api_classify(struct req *r);
int api_event_duplicates(struct req *r);
int api_test_train(struct req *r);
struct classifier;
/* The classifier in use; with train, one is trained when there is no model
 * file yet (seconds), else NULL then. */
const struct classifier *api_classifier(struct req *r, int train, struct err *e);
/* Proposes a category for a new event without one (when a model exists). */
void api_event_propose(struct req *r, int64_t id, const char *text);
/* Tells the event streams that event id changed (after its commit). */
void api_event_publish(struct db *db, int64_t id, const char *action);
/* Publishes these events to the streams once the route's transaction has
 * committed (nothing after a rollback). */
void api_event_notify(struct req *r, const int64_t *ids, int n, const char *action);
int api_line_get(struct req *r);
int api_line_list(struct req *r);
/* The camera network (api_camera.c). */
int api_camera_create(struct req *r);
int api_camera_get(struct req *r);
int api_camera_update(struct req *r);
int api_camera_list(struct req *r);
int api_camera_rates(struct req *r);
int api_camera_status(struct req *r);
int api_camera_import(struct req *r);
int api_camera_alarm(struct req *r);
/* Social-stability risk assessment, "2466" (api_risk.c). */
int api_risk_create(struct req *r);
int api_risk_get(struct req *r);
int api_risk_list(struct req *r);
int api_risk_counts(struct req *r);
int api_risk_step(struct req *r);
int api_risk_ratings(struct req *r);
int api_risk_decision(struct req *r);
/* api_stats.c */
int api_stats_events(struct req *r);
int api_stats_series(struct req *r);
int api_stats_registry(struct req *r);
int api_ranking(struct req *r);
int api_ranking_rules(struct req *r);
int api_ranking_rules_set(struct req *r);
/* api_statexport.c: the same tables as CSV / XLSX. */
int api_stats_events_csv(struct req *r);
int api_stats_events_xlsx(struct req *r);
int api_stats_series_csv(struct req *r);
int api_stats_series_xlsx(struct req *r);
/* api_briefing.c */
int api_briefing_create(struct req *r);
int api_briefing_list(struct req *r);
int api_briefing_get(struct req *r);
int api_briefing_xlsx(struct req *r);
int api_house_create(struct req *r);
int api_house_get(struct req *r);
int api_house_list(struct req *r);
int api_house_tenant(struct req *r);
/* The public channel (api_public.c): residents without an account. */
int api_public_report_create(struct req *r);
int api_public_report_get(struct req *r);
int api_public_report_rate(struct req *r);
/* What the public channel and Open311 share (api_public.c). The body size
 * limit of anonymous intake and the per-address report limit: 0, or -1 with
 * the 413/429 recorded. */
int public_intake_allowed_or_reply(struct req *r);
/* A resident's
 * report from a JSON body of intake fields (source is set here): rate-limited
 * per client address, the event created (or found again by its key).
 * Returns the event id and sets *created, or -1 with the error recorded. */
int64_t public_report_or_reply(struct req *r, json_t *body, int *created);
/* The public event named by the path parameter `param` (a tracking code),
 * after the guessing throttle; 0 with the 404/429 recorded. */
int64_t public_event_or_reply(struct req *r, const char *code);
/* Counts a code that named no event against the caller's address. */
void public_guess_failed(struct req *r);
/* The caller's guessing throttle: 0, or -1 with the 429 recorded. */
int public_guess_allowed_or_reply(struct req *r);
/* Open311 GeoReport v2 (api_open311.c) under /open311/v2/. */
int api_open311_discovery(struct req *r);
int api_open311_services(struct req *r);
int api_open311_service(struct req *r);
int api_open311_request_create(struct req *r);
int api_open311_requests(struct req *r);
int api_open311_request(struct req *r);
/* Writes r's error in Open311's format (the family's renderer). */
void open311_render_error(struct req *r);
/* The ledger imports (api_import.c): the CSV is the body. */
int api_person_import(struct req *r);
int api_household_import(struct req *r);
int api_org_import(struct req *r);
int api_household_create(struct req *r);
int api_household_get(struct req *r);
int api_household_list(struct req *r);

/* The dispute ledger (api_dispute.c). */
int api_dispute_create(struct req *r);
int api_dispute_list(struct req *r);
int api_dispute_get(struct req *r);
int api_dispute_act(struct req *r);
int api_dispute_stats(struct req *r);
int api_dispute_export(struct req *r);
int api_dispute_meta(struct req *r);
int api_dispute_settings(struct req *r);
int api_dispute_party_reveal(struct req *r);
/* The petition ledger (api_petition.c, api_petition_public.c). */
struct petition_ctx;
/* The petition rules' context for this request: seal, now, yellow point. */
void api_petition_ctx(struct req *r, struct petition_ctx *ctx);
int api_petition_create(struct req *r);
int api_petition_list(struct req *r);
int api_petition_get(struct req *r);
int api_petition_act(struct req *r);
int api_petition_reveal(struct req *r);
int api_petition_similar(struct req *r);
int api_petition_repeat(struct req *r);
int api_petition_pairs(struct req *r);
int api_petition_stats(struct req *r);
int api_petition_export(struct req *r);
int api_petition_visits(struct req *r);
int api_petition_visit_create(struct req *r);
int api_petition_receptions(struct req *r);
int api_petition_reception_create(struct req *r);
int api_petition_steps(struct req *r);
int api_public_petition_get(struct req *r);
int api_public_petition_rate(struct req *r);

#include "util/banned.h"
#endif
