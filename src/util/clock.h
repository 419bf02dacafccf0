/*
 * clock.h - the platform's notion of "now", in UTC epoch milliseconds.
 *
 * clock_now_ms() is what every rule uses (sessions, lockouts, deadlines). In
 * test mode (config test_clock = 1) an offset can be set so that tests move
 * time forward instead of sleeping; clock_real_ms() ignores the offset and is
 * used for logs and latency measurements only.
 */
#ifndef PINGAN_CLOCK_H
#define PINGAN_CLOCK_H

#include <stddef.h>
#include <stdint.h>

int64_t clock_now_ms(void);
int64_t clock_real_ms(void);
/* Monotonic microseconds, for measuring durations. */
int64_t clock_mono_us(void);
void clock_set_offset_ms(int64_t offset);
int64_t clock_offset_ms(void);
/* Tests: stops the clock at an instant (0: lets it run again, with the offset). */
void clock_freeze_ms(int64_t at);
int64_t clock_frozen_ms(void);

/* Writes e.g. 2026-11-23T04:05:06.789Z into out (size >= 25). */
void clock_format_iso(int64_t ms, char *out, size_t size);
/* Writes the Asia/Shanghai (UTC+8, no DST) calendar date YYYY-MM-DD (size >= 11). */
void clock_format_date_cn(int64_t ms, char *out, size_t size);
/* Days since 1970-01-01 of the Asia/Shanghai calendar date of ms (floored). */
int64_t clock_day_cn(int64_t ms);
/* The Asia/Shanghai month of ms as yyyymm, e.g. 202611. */
int clock_month_cn(int64_t ms);
/* Parses an ISO-8601 UTC time (YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z]) or a plain date
 * (taken as 00:00 Asia/Shanghai). Returns 0 and sets *ms, or -1. */
int clock_parse_iso(const char *s, int64_t *ms);
/* Returns 0 if s is a real calendar date YYYY-MM-DD. */
int clock_valid_date(const char *s);

#include "banned.h"
#endif
