#include "workclock.h"

#include <string.h>

#include "util/clock.h"

#define DAY_MS 86400000LL
#define SHANGHAI_MS (8 * 3600000LL)
#define MAX_DAYS 3660

/* The Shanghai day of an instant. */
static int32_t day_of_ms(int64_t ms)
{
    int64_t local = ms + SHANGHAI_MS;
    return (int32_t)(local >= 0 ? local / DAY_MS : -((-local + DAY_MS - 1) / DAY_MS));
}

int32_t workclock_day_of(const char *ymd)
{
    int64_t ms;
    /* A plain date parses as 00:00 in Shanghai. */
    if (!ymd || strlen(ymd) != 10 || clock_valid_date(ymd) != 0 || clock_parse_iso(ymd, &ms) != 0)
        return -1;
    return day_of_ms(ms);
}

static int64_t day_start_ms(int32_t day)
{
    return (int64_t)day * DAY_MS - SHANGHAI_MS;
}

int workclock_is_workday(const struct workcal *cal, int32_t day)
{
    size_t lo = 0, hi = cal ? cal->n : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cal->ex[mid].day == day)
            return cal->ex[mid].workday != 0;
        if (cal->ex[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    int weekday = (int)(((int64_t)day % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday (4) */
    return weekday != 0 && weekday != 6;
}

int64_t workclock_add(const struct workcal *cal, int64_t start_ms, int64_t dur_ms, int natural)
{
    if (natural || dur_ms <= 0)
        return start_ms + (dur_ms > 0 ? dur_ms : 0);
    int64_t t = start_ms, left = dur_ms;
    int32_t day = day_of_ms(t);
    for (int i = 0; i < MAX_DAYS + dur_ms / DAY_MS; i++, day++) {
        int64_t end = day_start_ms(day + 1);
        if (workclock_is_workday(cal, day)) {
            if (end - t >= left)
                return t + left;
            left -= end - t;
        }
        t = end;
    }
    return INT64_MAX;
}

int64_t workclock_back(const struct workcal *cal, int64_t end_ms, int64_t dur_ms, int natural)
{
    if (natural || dur_ms <= 0)
        return end_ms - (dur_ms > 0 ? dur_ms : 0);
    int64_t t = end_ms, left = dur_ms;
    /* The day holding the instant just before t. */
    int32_t day = day_of_ms(t - 1);
    for (int i = 0; i < MAX_DAYS + dur_ms / DAY_MS; i++, day--) {
        int64_t start = day_start_ms(day);
        if (workclock_is_workday(cal, day)) {
            if (t - start >= left)
                return t - left;
            left -= t - start;
        }
        t = start;
    }
    return INT64_MIN;
}

int64_t workclock_between(const struct workcal *cal, int64_t a_ms, int64_t b_ms, int natural)
{
    if (b_ms <= a_ms)
        return 0;
    if (natural)
        return b_ms - a_ms;
    int64_t total = 0, t = a_ms;
    for (int32_t day = day_of_ms(a_ms); t < b_ms; day++) {
        int64_t end = day_start_ms(day + 1);
        int64_t stop = end < b_ms ? end : b_ms;
        if (workclock_is_workday(cal, day))
            total += stop - t;
        t = stop;
    }
    return total;
}
