/*
 * petitionclock.h - the statutory clock of a petition (《信访工作条例》2022,
 * standards.md §4), in calendar days as the regulation counts them:
 *
 *   registered         refer    15 days to 转送/交办 or to tell acceptance (第22、23条)
 *   referred           notify   15 days for the receiving organ to tell in writing (第23条)
 *   accepted           handle   60 days to the reply, + one extension ≤ 30 (第34条)
 *   review_requested   review   30 days to the 复查意见 (第35条)
 *   recheck_requested  recheck  30 days to the 复核意见 (第36条)
 *
 * and the petitioner's windows, which are not the officers' clock: 30 days
 * after a reply to ask for 复查, 30 days after the 复查意见 to ask for 复核.
 * A day is 24 hours from the instant the status was entered. The light is
 * green, yellow once yellow_percent of the node's time is used, red when it
 * is over — as for events. Pure.
 */
#ifndef PINGAN_PETITIONCLOCK_H
#define PINGAN_PETITIONCLOCK_H

#include <stdint.h>

#define PETITION_DAY_MS             ((int64_t)86400000)
#define PETITION_MAX_EXTENSION_DAYS 30
#define PETITION_WINDOW_DAYS        30

struct petition_clock {
    const char *node; /* NULL: no officers' clock runs */
    int64_t started, deadline, yellow;
    int64_t window; /* 0, or when the petitioner's window ends */
};

/* The clock when a petition enters status at `at`. */
void petitionclock_start(const char *status, int64_t at, int yellow_percent,
                         struct petition_clock *out);
/* Moves the deadline of a running node by days (an extension), with its
 * yellow point over the whole, longer, time. */
void petitionclock_extend(struct petition_clock *c, int days, int yellow_percent);
/* The days a node allows (0 for none). */
int petitionclock_days(const char *node);
/* The zh-CN name of a node, or NULL. */
const char *petitionclock_node_name(const char *node);
/* none, green, yellow or red at now. */
const char *petitionclock_light(int64_t now, int64_t deadline, int64_t yellow);

#include "util/banned.h"
#endif
