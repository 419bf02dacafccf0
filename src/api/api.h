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

struct area;

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
int api_line_create(struct req *r);
int api_event_create(struct req *r);
int api_event_get(struct req *r);
int api_event_act(struct req *r);
int api_event_list(struct req *r);
int api_inbox(struct req *r);
int api_attachment_create(struct req *r);
int api_attachment_get(struct req *r);
int api_categories(struct req *r);
int api_workflow(struct req *r);
int api_calendar_list(struct req *r);
int api_calendar_set(struct req *r);
int api_test_sweep(struct req *r);
int api_line_get(struct req *r);
int api_line_list(struct req *r);
int api_house_create(struct req *r);
int api_house_get(struct req *r);
int api_house_list(struct req *r);
int api_house_tenant(struct req *r);
/* The ledger imports (api_import.c): the CSV is the body. */
int api_person_import(struct req *r);
int api_household_import(struct req *r);
int api_org_import(struct req *r);
int api_household_create(struct req *r);
int api_household_get(struct req *r);
int api_household_list(struct req *r);

#include "util/banned.h"
#endif
