/* domain/briefing's periods and domain/tableexport's CSV, byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "domain/briefing.h"
#include "domain/tableexport.h"
#include "domain/workclock.h"

static void check_period(const char *kind, const char *period, const char *from, const char *to,
                         int year)
{
    struct briefing_period p;
    struct err e = ERR_INIT;
    CHECK(briefing_period_parse(kind, period, &p, &e) == 0);
    CHECK(p.from == workclock_day_of(from));
    CHECK(p.to == workclock_day_of(to));
    CHECK(p.year == year);
}

static void test_periods(void)
{
    /* A week is Monday to Sunday, named by any of its days. */
    check_period("weekly", "2026-10-12", "2026-10-12", "2026-10-18", 2026);
    check_period("weekly", "2026-10-18", "2026-10-12", "2026-10-18", 2026);
    check_period("weekly", "2026-10-15", "2026-10-12", "2026-10-18", 2026);
    /* The week of 1 January 2027 began in 2026, and counts there. */
    check_period("weekly", "2027-01-01", "2026-12-28", "2027-01-03", 2026);
    check_period("monthly", "2026-12", "2026-12-01", "2026-12-31", 2026);
    check_period("monthly", "2028-02", "2028-02-01", "2028-02-29", 2028);
    check_period("inspection", "2026-02", "2026-02-01", "2026-02-28", 2026);

    const char *bad[][4] = {
        {"daily", "2026-10", "invalid_value", "kind"},
        {NULL, "2026-10", "invalid_value", "kind"},
        {"monthly", NULL, "missing_field", "period"},
        {"monthly", "2026-13", "invalid_month", "period"},
        {"monthly", "2026-10-01", "invalid_month", "period"},
        {"weekly", "2026-10", "invalid_date", "period"},
        {"weekly", "2026-02-30", "invalid_date", "period"},
        {"weekly", "2026-10-01T00:00", "invalid_date", "period"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct briefing_period p;
        struct err e = ERR_INIT;
        CHECK(briefing_period_parse(bad[i][0], bad[i][1], &p, &e) < 0);
        CHECK_STR(e.code, bad[i][2]);
        CHECK_STR(e.field, bad[i][3]);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    static char buf[4096];
    *len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    if (f)
        fclose(f);
    buf[*len] = 0;
    return buf;
}

static void test_csv(void)
{
    char path[] = "/tmp/pingan-unit-csv-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    const struct table_col cols[] = {{"name", "名称"}, {"n", "上报"}, {"r", "办结率"}};
    json_t *rows = json_pack("[{ss si sf} {ss si sn} {ss} {ss si} {ss}]", "name", "东城街道", "n",
                             3, "r", 0.5, "name", "a,b \"c\"", "n", -2, "r", "name", "=SUM(A1)",
                             "name", "两行\n文字", "n", 0, "name", "");
    struct err e = ERR_INIT;
    CHECK(table_export(TABLE_CSV, path, "x", cols, 3, rows, &e) == 0);
    size_t len;
    const char *got = slurp(path, &len);
    const char *want = "\xEF\xBB\xBF"
                       "名称,上报,办结率\r\n"
                       "东城街道,3,0.5000\r\n"
                       "\"a,b \"\"c\"\"\",-2,\r\n"
                       "\"'=SUM(A1)\",,\r\n"
                       "\"两行\n文字\",0,\r\n"
                       ",,\r\n";
    CHECK(len == strlen(want));
    CHECK_STR(got, want);
    /* The workbook of the same rows is a zip (PK…). */
    CHECK(table_export(TABLE_XLSX, path, "按下级区域", cols, 3, rows, &e) == 0);
    got = slurp(path, &len);
    CHECK(len > 100 && got[0] == 'P' && got[1] == 'K');
    json_decref(rows);
    unlink(path);
}

UNIT_MAIN(test_periods, test_csv)
