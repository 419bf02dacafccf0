/*
 * workclock.h - deadlines in natural or working time.
 *
 * Priority-1 events count natural hours. Every other deadline counts
 * working time: the hours of working days only, a working day being a whole
 * calendar day in Asia/Shanghai (UTC+8, no daylight saving) that is Monday
 * to Friday, unless the calendar says otherwise — a public holiday is a
 * weekday off, a make-up day (调休) a Saturday or Sunday on. So a 24-hour
 * deadline set on Friday at 10:00 falls on Monday at 10:00, and a 15-day
 * (360 h) mediation deadline is 15 working days.
 *
 * Pure: the calendar is a sorted array of exceptions the caller loads.
 */
#ifndef PINGAN_WORKCLOCK_H
#define PINGAN_WORKCLOCK_H

#include <stddef.h>
#include <stdint.h>

struct workday_exception {
    int32_t day; /* days since 1970-01-01 in Shanghai */
    int workday; /* 1: a working day, 0: a day off */
};

struct workcal {
    const struct workday_exception *ex; /* sorted by day */
    size_t n;
};

/* Days since 1970-01-01 of a YYYY-MM-DD date; -1 if it is not a real date. */
int32_t workclock_day_of(const char *ymd);
/* 1 if the Shanghai day (days since the epoch) is a working day. */
int workclock_is_workday(const struct workcal *cal, int32_t day);
/* The instant dur_ms after start_ms: natural time if natural, else working
 * time. Returns INT64_MAX if no working day comes within ten years. */
int64_t workclock_add(const struct workcal *cal, int64_t start_ms, int64_t dur_ms, int natural);
/* The instant dur_ms before end_ms, counted the same way (the inverse of
 * workclock_add). Returns INT64_MIN if no working day lies within ten years. */
int64_t workclock_back(const struct workcal *cal, int64_t end_ms, int64_t dur_ms, int natural);
/* The time counted between a and b (0 if b <= a). */
int64_t workclock_between(const struct workcal *cal, int64_t a_ms, int64_t b_ms, int natural);

#include "util/banned.h"
#endif
