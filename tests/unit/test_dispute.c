/* The dispute ledger's rules on a real database: input checks, the tier a
 * dispute starts at, the sweep's steps up the tiers, the outcome, the counts
 * for "三零", the figures and the append-only timeline. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/area.h"
#include "domain/dispute.h"
#include "domain/disputestats.h"
#include "domain/level.h"
#include "store/db.h"
#include "unit.h"
#include "util/seal.h"

#define DAY 86400000LL
static const int64_t T0 = 1767225600000LL; /* 2026-01-01T00:00Z */

static char db_path[128], key_path[128];

static void cleanup(void)
{
    char p[300];
    unlink(db_path);
    snprintf(p, sizeof(p), "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", db_path);
    unlink(p);
    unlink(key_path);
}

/* county > township > village > grid > micro-grid, and a second village. */
static struct db *tree(struct arena *a)
{
    snprintf(db_path, sizeof(db_path), "/tmp/pingan-unit-dispute-%d.db", (int)getpid());
    snprintf(key_path, sizeof(key_path), "/tmp/pingan-unit-dispute-%d.key", (int)getpid());
    cleanup();
    char err[256];
    struct db *db = db_open(db_path, 0, 1, err, sizeof(err));
    CHECK(db != NULL);
    struct err e = ERR_INIT;
    CHECK(level_sync(db, "county=县,township=乡镇,village=村社区,grid=网格,microgrid=微网格", &e) == 0);
    static const char *const rows[][4] = {
        {"411624", "沈丘县", "county", NULL},
        {"411624001", "东城街道", "township", "411624"},
        {"411624001200", "于庄村", "village", "411624001"},
        {"411624001200001", "第1网格", "grid", "411624001200"},
        {"41162400120000101", "第1微网格", "microgrid", "411624001200001"},
        {"411624001201", "李庄村", "village", "411624001"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct area parent;
        struct area_input in = {rows[i][0], rows[i][1], rows[i][2], NULL, NULL};
        int has_parent = rows[i][3] && area_get(db, a, rows[i][3], &parent) == 0;
        CHECK(area_create(db, a, has_parent ? &parent : NULL, &in, T0, &e) > 0);
    }
    return db;
}

static json_t *body_of(const char *area, const char *extra)
{
    json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s},{s:s,s:s}]}", "origin", "screening",
                          "source", "initiative", "type", "neighbour", "title", "邻里纠纷",
                          "summary", "排水", "area", area, "parties", "side", "applicant", "name",
                          "甲", "side", "respondent", "name", "乙");
    if (extra) {
        json_t *x = json_loads(extra, 0, NULL);
        json_object_update(b, x);
        json_decref(x);
    }
    return b;
}

static void test_input(void)
{
    struct dispute_input in;
    struct err e = ERR_INIT;
    json_t *b = body_of("41162400120000101", NULL);
    CHECK(dispute_from_json(b, "2026-01-01", &in, &e) == 0);
    CHECK_STR(in.scale, "ordinary");
    CHECK(in.people_count == 2 && in.n_parties == 2);
    json_decref(b);
    static const struct {
        const char *extra, *code, *field;
    } bad[] = {
        {"{\"origin\":\"x\"}", "invalid_choice", "origin"},
        {"{\"origin\":\"event\"}", "missing_field", "event_id"},
        {"{\"parties\":[]}", "invalid_parties", "parties"},
        {"{\"parties\":[{\"side\":\"applicant\",\"name\":\"甲\",\"person_id\":3}]}", "invalid_party",
         "parties[0]"},
        {"{\"parties\":[{\"side\":\"applicant\",\"person_id\":3,\"phone\":\"13912345678\"}]}",
         "invalid_party", "parties[0]"},
        {"{\"parties\":[{\"side\":\"x\",\"name\":\"甲\"}]}", "invalid_choice", "parties[0]"},
        {"{\"scale\":\"huge\"}", "invalid_choice", "scale"},
        {"{\"occurred_at\":\"soon\"}", "invalid_date", "occurred_at"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        e = (struct err)ERR_INIT;
        b = body_of("41162400120000101", bad[i].extra);
        CHECK(dispute_from_json(b, "2026-01-01", &in, &e) < 0);
        CHECK_STR(e.code, bad[i].code);
        CHECK_STR(e.field, bad[i].field);
        json_decref(b);
    }
}

static int64_t make(struct db *db, struct arena *a, struct seal *seal, const char *area,
                    const char *extra, int64_t now)
{
    struct dispute_input in;
    struct err e = ERR_INIT;
    json_t *b = body_of(area, extra);
    struct dispute_actor who = {0, "unit", "/"};
    int64_t id = -1;
    if (dispute_from_json(b, "2026-01-01", &in, &e) == 0)
        id = dispute_create(db, a, seal, &who, &in, now, &e);
    if (id < 0)
        fprintf(stderr, "create: %s %s\n", e.code ? e.code : "", e.message);
    json_decref(b);
    return id;
}

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void test_tiers_sweep_counts(void)
{
    struct arena a = ARENA_INIT;
    struct db *db = tree(&a);
    struct err e = ERR_INIT;
    struct seal *seal = seal_open(key_path, 1, &e);
    CHECK(seal != NULL);
    CHECK(db_begin(db, 1) == 0);
    int64_t micro = make(db, &a, seal, "41162400120000101", NULL, T0);
    int64_t village = make(db, &a, seal, "411624001200", "{\"risk_mass\":true}", T0);
    int64_t other = make(db, &a, seal, "411624001201", NULL, T0 + DAY);
    CHECK(micro > 0 && village > 0 && other > 0);
    /* A township is not a place. */
    CHECK(make(db, &a, seal, "411624001", NULL, T0) < 0);

    json_t *d = dispute_to_json(db, &a, micro, T0);
    CHECK_STR(str_of(d, "tier"), "grid");
    CHECK_STR(str_of(json_object_get(d, "tier_area"), "code"), "411624001200001");
    json_decref(d);
    d = dispute_to_json(db, &a, village, T0);
    CHECK_STR(str_of(d, "tier"), "village");
    CHECK(json_integer_value(json_object_get(d, "tier_deadline_ms")) == T0 + 7 * DAY);
    json_decref(d);

    /* The sweep: nothing before the grid's 3 days, then one step up. */
    int64_t ids[8];
    CHECK(dispute_sweep(db, &a, T0 + 3 * DAY - 1, ids, 8, &e) == 0);
    CHECK(dispute_sweep(db, &a, T0 + 3 * DAY, ids, 8, &e) == 1 && ids[0] == micro);
    CHECK(dispute_sweep(db, &a, T0 + 3 * DAY, ids, 8, &e) == 0);
    d = dispute_to_json(db, &a, micro, T0 + 3 * DAY);
    CHECK_STR(str_of(d, "tier"), "village");
    CHECK_STR(str_of(json_object_get(d, "tier_area"), "code"), "411624001200");
    json_t *last = json_array_get(json_object_get(d, "timeline"), 1);
    CHECK_STR(str_of(last, "action"), "auto_escalate");
    CHECK_STR(str_of(last, "actor"), "system");
    json_decref(d);
    /* Day 7: the village dispute's time is up, the escalated one's not yet. */
    CHECK(dispute_sweep(db, &a, T0 + 7 * DAY, ids, 8, &e) == 1 && ids[0] == village);
    /* Up to the county, where it stays. */
    CHECK(dispute_sweep(db, &a, T0 + 60 * DAY, ids, 8, &e) == 3);
    CHECK(dispute_sweep(db, &a, T0 + 200 * DAY, ids, 8, &e) >= 1);
    CHECK(dispute_sweep(db, &a, T0 + 400 * DAY, ids, 8, &e) == 0);
    d = dispute_to_json(db, &a, micro, T0 + 400 * DAY);
    CHECK_STR(str_of(d, "tier"), "county");
    CHECK(json_is_true(json_object_get(d, "over_limit")));
    json_decref(d);

    /* An agreement closes it; the follow-up is due 15 days later. */
    struct dispute_actor who = {0, "mediator", "/"}; /* 0: no account row needed */
    json_t *b = json_pack("{s:s,s:s,s:f}", "form", "written", "terms", "赔偿", "amount", 12.34);
    CHECK(dispute_apply(db, &a, &who, micro, "agree", b, T0 + 401 * DAY, &e) == 0);
    json_decref(b);
    d = dispute_to_json(db, &a, micro, T0 + 401 * DAY);
    CHECK_STR(str_of(d, "status"), "resolved");
    CHECK(json_integer_value(json_object_get(d, "amount_cents")) == 1234);
    CHECK(json_integer_value(json_object_get(json_object_get(d, "followup"), "due_ms")) ==
          T0 + 416 * DAY);
    json_decref(d);
    e = (struct err)ERR_INIT;
    b = json_pack("{s:s,s:s}", "mediators", "甲", "notes", "乙");
    CHECK(dispute_apply(db, &a, &who, micro, "session", b, T0 + 402 * DAY, &e) < 0);
    CHECK_STR(e.code, "illegal_transition");
    json_decref(b);

    /* The counts for "三零": by subtree and period. */
    struct area v;
    CHECK(area_get(db, &a, "411624001200", &v) == 0);
    struct dispute_counts c;
    CHECK(dispute_count(db, &a, v.path, 0, T0, T0 + DAY, &c) == 0);
    CHECK(c.total == 2 && c.open_at_risk == 1);
    CHECK(dispute_count(db, &a, "/1/", 0, T0, T0 + 2 * DAY, &c) == 0 && c.total == 3);
    CHECK(dispute_count(db, &a, "/1/", 0, T0 + DAY, T0 + 2 * DAY, &c) == 0 && c.total == 1);
    CHECK(dispute_count(db, &a, NULL, 0, T0, T0 + DAY, &c) < 0);

    /* A move of the tree carries the disputes' stored paths along. */
    struct area t1, t2, v2;
    struct area_input tin = {"411624002", "北城街道", "township", NULL, NULL};
    CHECK(area_get(db, &a, "411624", &v) == 0 && area_create(db, &a, &v, &tin, T0, &e) > 0);
    CHECK(area_get(db, &a, "411624001", &t1) == 0 && area_get(db, &a, "411624002", &t2) == 0);
    CHECK(area_get(db, &a, "411624001201", &v2) == 0);
    struct area_input move = {NULL, NULL, NULL, NULL, "411624002"};
    CHECK(area_update(db, &a, &v2, &move, &t2, T0, &e) == 0);
    const char *moved;
    CHECK(dispute_area_path(db, &a, other, &moved) == 0 && area_path_within(t2.path, moved));
    CHECK(dispute_count(db, &a, t2.path, 0, T0, T0 + 2 * DAY, &c) == 0 && c.total == 1);
    CHECK(dispute_count(db, &a, t1.path, 0, T0, T0 + 2 * DAY, &c) == 0 && c.total == 2);
    CHECK(area_get(db, &a, "411624001201", &v2) == 0 &&
          area_update(db, &a, &v2, &move, &t1, T0, &e) == 0); /* back, for the figures below */
    CHECK(area_get(db, &a, "411624001201", &v2) == 0 && area_path_within(t1.path, v2.path));

    /* The figures. */
    json_t *s = dispute_stats_json(db, &a, "/1/", T0, T0 + 2 * DAY, T0 + 401 * DAY);
    CHECK(json_integer_value(json_object_get(s, "screened")) == 3);
    CHECK(json_integer_value(json_object_get(s, "resolved")) == 1);
    CHECK(json_real_value(json_object_get(s, "rate")) == 33.33);
    CHECK(json_integer_value(json_object_get(s, "over_limit")) == 2);
    CHECK(json_array_size(json_object_get(s, "by_area")) == 1); /* one township */
    json_decref(s);

    /* The timeline cannot be changed. */
    CHECK(db_exec(db, "UPDATE dispute_timeline SET note = 'x'") < 0);
    CHECK(db_exec(db, "DELETE FROM dispute_timeline") < 0);
    db_rollback(db);
    seal_close(seal);
    arena_release(&a);
    db_close(db);
    cleanup();
}

UNIT_MAIN(test_input, test_tiers_sweep_counts)
