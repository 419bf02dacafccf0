/* domain/camera: the video platform's reports and alarms as they are read
 * (times, statuses, every refusal naming its field) and a camera's input. */
#include "unit.h"
#include "domain/camera.h"

#define NOW 1795000000000LL /* 2026-11-17T... UTC */

static json_t *j(const char *text)
{
    json_error_t e;
    return json_loads(text, 0, &e);
}

static void test_time(void)
{
    int64_t ms = 0;
    CHECK(camera_parse_time("1795000000000", &ms) == 0 && ms == 1795000000000LL);
    /* A time without Z is Asia/Shanghai, as Chinese platforms write it. */
    CHECK(camera_parse_time("2026-11-23 08:00:00", &ms) == 0);
    int64_t utc = 0;
    CHECK(camera_parse_time("2026-11-23T00:00:00Z", &utc) == 0);
    CHECK(ms == utc);
    CHECK(camera_parse_time("2026-11-23T08:00", &ms) == 0 && ms == utc);
    CHECK(camera_parse_time("2026-11-23", &ms) == 0 && ms == utc - 8 * 3600000LL);
    CHECK(camera_parse_time("yesterday", &ms) == -1);
    CHECK(camera_parse_time("", &ms) == -1);
    CHECK(camera_parse_time("12345", &ms) == -1); /* too short for epoch ms */
    CHECK(camera_parse_time("2026-02-30 08:00:00", &ms) == -1);
}

static void report(const char *text, int rc, const char *code, const char *field, int online)
{
    json_t *row = j(text);
    struct camera_report rp;
    struct err e = ERR_INIT;
    int r = camera_report_from_json(row, NOW, &rp, &e);
    CHECK(r == rc);
    if (rc == 0) {
        CHECK(rp.online == online);
    } else {
        CHECK_STR(e.code, code);
        if (field)
            CHECK_STR(e.field, field);
        else
            CHECK(e.field == NULL);
    }
    json_decref(row);
}

static void test_reports(void)
{
    report("{\"code\":\"A1\",\"status\":\"online\"}", 0, NULL, NULL, 1);
    report("{\"code\":\"A1\",\"status\":\"离线\"}", 0, NULL, NULL, 0);
    report("{\"code\":\"A1\",\"online\":false}", 0, NULL, NULL, 0);
    report("{\"code\":\"A1\",\"status\":\"1\",\"online\":true}", 0, NULL, NULL, 1);
    report("{\"code\":\"A1\",\"status\":\"0\",\"online\":true}", -1, "status_conflict", "online",
           0);
    report("{\"code\":\"A1\",\"status\":\"asleep\"}", -1, "invalid_status", "status", 0);
    report("{\"code\":\"A1\"}", -1, "missing_field", "status", 0);
    report("{\"status\":\"online\"}", -1, "missing_field", "code", 0);
    report("{\"code\":\"A1\",\"status\":\"online\",\"at\":\"later\"}", -1, "invalid_time", "at", 0);
    report("{\"code\":\"A1\",\"status\":\"online\",\"at\":1}", -1, "invalid_time", "at", 0);
    report("{\"code\":\"A1\",\"status\":\"online\",\"at\":1795000900000}", -1, "future_time", "at",
           0);
    report("{\"code\":\"A1\",\"status\":\"online\",\"at\":1795000500000}", 0, NULL, NULL,
           1); /* 8 min ahead: clocks drift */
    report("{\"code\":\"A1\",\"status\":\"online\",\"why\":1}", -1, "unknown_field", "why", 0);
    report("[1]", -1, "invalid_type", NULL, 0);
    /* No time: now. */
    json_t *row = j("{\"code\":\"A1\",\"online\":true}");
    struct camera_report rp;
    struct err e = ERR_INIT;
    CHECK(camera_report_from_json(row, NOW, &rp, &e) == 0 && rp.at == NOW);
    json_decref(row);
}

static void input(const char *text, const char *code, const char *field)
{
    json_t *b = j(text);
    struct camera_input in;
    struct err e = ERR_INIT;
    int r = camera_from_json(b, &in, &e);
    if (!code) {
        CHECK(r == 0);
    } else {
        CHECK(r == -1);
        CHECK_STR(e.code, code);
        CHECK_STR(e.field, field);
    }
    json_decref(b);
}

static void test_input(void)
{
#define BASE "\"code\":\"C-1\",\"name\":\"村口\",\"lng\":115.1,\"lat\":33.4"
    input("{" BASE ",\"kind\":\"entrance\"}", NULL, NULL);
    input("{" BASE ",\"kind\":\"drone\"}", "invalid_kind", "kind");
    input("{\"code\":\"C 1\",\"name\":\"n\",\"kind\":\"public\",\"lng\":1,\"lat\":1}",
          "invalid_code", "code");
    input("{\"code\":\"C1\",\"name\":\"n\",\"kind\":\"public\"}", "missing_field", "lng");
    input("{" BASE ",\"kind\":\"public\",\"connected_date\":\"2024-01-02\"}", "not_installed",
          "connected_date");
    input(
        "{" BASE
        ",\"kind\":\"public\",\"installed_date\":\"2024-01-02\",\"connected_date\":\"2024-01-01\"}",
        "connected_before_installed", "connected_date");
    input("{" BASE ",\"kind\":\"public\",\"planned_date\":\"2024-13-01\"}", "invalid_date",
          "planned_date");
    /* An installed camera was planned: its planned date defaults to it. */
    json_t *b = j("{" BASE ",\"kind\":\"school\",\"installed_date\":\"2024-01-02\"}");
    struct camera_input in;
    struct err e = ERR_INIT;
    CHECK(camera_from_json(b, &in, &e) == 0);
    CHECK_STR(in.planned_date, "2024-01-02");
    CHECK_STR(camera_kind_name(in.kind), "校园周边");
    json_decref(b);
}

static void test_alarm(void)
{
    struct camera_alarm_input in;
    struct err e = ERR_INIT;
    json_t *b =
        j("{\"alarm_id\":\"A-1\",\"kind\":\"fire\",\"at\":\"2026-11-17 08:00:00\",\"snapshot\":7}");
    CHECK(camera_alarm_from_json(b, NOW, &in, &e) == 0);
    CHECK(in.attachment == 7);
    CHECK_STR(camera_alarm_kind_name(in.kind), "烟火");
    json_decref(b);
    b = j("{\"alarm_id\":\"A-1\",\"kind\":\"ufo\",\"at\":1795000000000}");
    struct err e2 = ERR_INIT;
    CHECK(camera_alarm_from_json(b, NOW, &in, &e2) == -1);
    CHECK_STR(e2.field, "kind");
    json_decref(b);
    b = j("{\"alarm_id\":\"A-1\",\"kind\":\"fire\"}");
    struct err e3 = ERR_INIT;
    CHECK(camera_alarm_from_json(b, NOW, &in, &e3) == -1);
    CHECK_STR(e3.field, "at");
    json_decref(b);
}

UNIT_MAIN(test_time, test_reports, test_input, test_alarm)
