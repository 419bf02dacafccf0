/*
 * petitionvisit.h - the cadres' meetings with petitioners: the "五必访"
 * lists and their visits, and the leaders' reception days (领导接访日).
 *
 * The five lists are computed from the ledger, for the registry persons
 * linked to petitions in the caller's scope; each entry has a trigger time,
 * a due visit date, and the responsible cadre (the grid worker of the
 * person's grid). A visit of that kind recorded after the trigger clears it.
 *   sign       信访苗头: refused, or answered 不予支持 without 复核, in the
 *              last 90 days (likely to petition again) — visit within 7 days
 *   active     正在上访: a petition still open — within 7 days of its registration
 *   longterm   长期上访: 3 or more petitions in the last 365 days — within 30 days
 *   closed     已结案回访: a petition closed in the last 30 days, or answered and
 *              left without 复查/复核 when the 30 days to ask ran out — within 15 days
 *   key_group  重点群体: a petitioner who belongs to a special group, or who
 *              came in a group of 5 or more, in the last 365 days — within 7 days
 */
#ifndef PINGAN_PETITIONVISIT_H
#define PINGAN_PETITIONVISIT_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

/* The zh-CN name of a list, or NULL if there is none by that name. */
const char *petitionvisit_kind_name(const char *kind);
/* {items: [{kind, kind_name, person_id, name, area, petition_id, track_code,
 * title, since, due, overdue, cadre}], counts: {sign, active, …}} of the
 * visits due in scope (kind NULL: every list), the earliest due first. */
json_t *petitionvisit_due_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                               int64_t now, long limit);
/* Records a visit; its id, or -1 with e. */
int64_t petitionvisit_record(struct db *db, int64_t person_id, const char *kind,
                             int64_t petition_id, int64_t account_id, const char *notes,
                             int64_t now, struct err *e);

/* A leaders' reception day in area (path); its id or -1. */
int64_t petition_reception_create(struct db *db, int64_t area_id, const char *area_path,
                                  const char *day, const char *leader, const char *place,
                                  int64_t now, struct err *e);
/* {items: [{id, day, leader, place, area, cases: [{id, track_code, title,
 * status_name}]}]} in scope, the latest day first. */
json_t *petition_reception_list_json(struct db *db, struct arena *a, const char *scope, long limit);

#include "util/banned.h"
#endif
