#include "clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset;
static _Atomic int64_t frozen; /* 0: the clock runs */

int64_t clock_real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    int64_t f = atomic_load(&frozen);
    return f ? f : clock_real_ms() + atomic_load(&offset);
}

void clock_freeze_ms(int64_t at)
{
    atomic_store(&frozen, at);
}

int64_t clock_frozen_ms(void)
{
    return atomic_load(&frozen);
}

int64_t clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_set_offset_ms(int64_t o)
{
    atomic_store(&offset, o);
}

int64_t clock_offset_ms(void)
{
    return atomic_load(&offset);
}

void clock_format_iso(int64_t ms, char *out, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

void clock_format_date_cn(int64_t ms, char *out, size_t size)
{
    time_t t = (time_t)(ms / 1000 + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t clock_day_cn(int64_t ms)
{
    int64_t t = ms + 8 * 3600 * INT64_C(1000), d = 86400 * INT64_C(1000);
    return t >= 0 ? t / d : -((-t + d - 1) / d);
}

int clock_month_cn(int64_t ms)
{
    time_t t = (time_t)(clock_day_cn(ms) * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
        return -1;
    if (*y < 1800 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
        return -1;
    return 0;
}

int clock_valid_date(const char *s)
{
    int y, m, d;
    return (strlen(s) == 10 && parse_date(s, &y, &m, &d) == 0) ? 0 : -1;
}

int clock_parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, milli = 0;
    if (parse_date(s, &y, &mo, &d) < 0)
        return -1;
    const char *p = s + 10;
    if (*p == '\0') {
        *ms = (days_from_civil(y, mo, d) * 86400 - 8 * 3600) * 1000;
        return 0;
    }
    if (*p != 'T' && *p != ' ')
        return -1;
    p++;
    if (strlen(p) < 5 || digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
        return -1;
    p += 5;
    if (*p == ':') {
        if (digits(p + 1, 2, &sec))
            return -1;
        p += 3;
        if (*p == '.') {
            if (digits(p + 1, 3, &milli))
                return -1;
            p += 4;
        }
    }
    if (*p == 'Z')
        p++;
    if (*p != '\0' || h > 23 || mi > 59 || sec > 59)
        return -1;
    *ms = ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + sec) * 1000 + milli;
    return 0;
}
