/*
 * calendar.h - the working-day calendar's exceptions (table calendar_day):
 * public holidays on weekdays and make-up working days (调休) at weekends,
 * entered by an administrator; workclock.h counts deadlines with them.
 */
#ifndef PINGAN_CALENDAR_H
#define PINGAN_CALENDAR_H

#include <jansson.h>

#include "domain/workclock.h"
#include "util/arena.h"
#include "util/err.h"

struct db;

struct calendar_input {
    const char *day;  /* YYYY-MM-DD, checked */
    int has_workday;  /* 0: remove the day's exception */
    int workday;
    const char *note;
};

/* The exceptions, sorted, into cal (arena memory). */
int calendar_load(struct db *db, struct arena *a, struct workcal *cal);
/* {"items":[{day, workday, note}…]} of one year (0: all). */
json_t *calendar_json(struct db *db, long year);
/* Validates {day, workday?, note?}; pure. */
int calendar_from_json(json_t *body, struct calendar_input *in, struct err *e);
/* Sets or removes a day's exception. */
int calendar_set(struct db *db, const struct calendar_input *in, struct err *e);

#include "util/banned.h"
#endif
