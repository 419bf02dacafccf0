/* domain/petition: the subject counts that "三零" creation reads
 * (petition_count_subject) — by subtree, by organisation, by period, and
 * overdue — on a real SQLite file with the migrations applied. */
#include <unistd.h>

#include "unit.h"
#include "domain/area.h"
#include "domain/level.h"
#include "domain/petition.h"
#include "domain/petitionclock.h"
#include "store/db.h"

#define D PETITION_DAY_MS

static int64_t add(struct db *db, struct petition_ctx *ctx, int64_t at, const char *area,
                   int64_t org)
{
    struct arena a = ARENA_INIT;
    struct petition_actor who = {0, "unit", "/"};
    struct petition_input in = {0};
    in.channel = "letter";
    in.category = "claim";
    in.title = "事项";
    in.content = "内容";
    in.area = area;
    in.org_id = org;
    in.level = "local";
    in.group_size = 1;
    in.n_petitioners = 1;
    in.petitioners[0].name = "某人";
    ctx->now = at;
    int64_t earlier;
    struct err e = ERR_INIT;
    int64_t id = petition_create(db, &a, ctx, &who, &in, &earlier, &e);
    CHECK(id > 0);
    arena_release(&a);
    return id;
}

static void accept(struct db *db, struct petition_ctx *ctx, int64_t id, int64_t at)
{
    struct arena a = ARENA_INIT;
    struct petition_actor who = {0, "unit", "/"};
    json_t *body = json_object(), *allowed = NULL;
    struct err e = ERR_INIT;
    ctx->now = at;
    CHECK(petition_apply(db, &a, ctx, &who, id, "accept", body, &allowed, &e) == 0);
    json_decref(body);
    json_decref(allowed);
    arena_release(&a);
}

static void test_counts(void)
{
    char path[128];
    snprintf(path, sizeof(path), "/tmp/pingan-unit-petition-%d.db", (int)getpid());
    unlink(path);
    char err[256];
    struct db *db = db_open(path, 0, 1, err, sizeof(err));
    CHECK(db != NULL);
    struct err e = ERR_INIT;
    struct arena a = ARENA_INIT;
    CHECK(level_sync(db, "county=县,township=乡镇,village=村,grid=网格,microgrid=微网格", &e) == 0);
    int64_t t0 = 1900000000000;
    struct area c, t1, t2, v1;
    struct area_input in = {"411624", "沈丘县", "county", NULL, NULL};
    CHECK(area_create(db, &a, NULL, &in, t0, &e) > 0 && area_get(db, &a, "411624", &c) == 0);
    in = (struct area_input){"411624001", "东城街道", "township", NULL, NULL};
    CHECK(area_create(db, &a, &c, &in, t0, &e) > 0 && area_get(db, &a, "411624001", &t1) == 0);
    in = (struct area_input){"411624002", "北城街道", "township", NULL, NULL};
    CHECK(area_create(db, &a, &c, &in, t0, &e) > 0 && area_get(db, &a, "411624002", &t2) == 0);
    in = (struct area_input){"411624001200", "于庄村", "village", NULL, NULL};
    CHECK(area_create(db, &a, &t1, &in, t0, &e) > 0 && area_get(db, &a, "411624001200", &v1) == 0);
    in = (struct area_input){"411624002200", "李庄村", "village", NULL, NULL};
    CHECK(area_create(db, &a, &t2, &in, t0, &e) > 0);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO org (area_id, name, kind, created_ms, "
                                      "updated_ms) VALUES (?, '某建筑公司', 'enterprise', ?, ?)");
    db_bind_int(st, 1, v1.id);
    db_bind_int(st, 2, t0);
    db_bind_int(st, 3, t0);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_reset(st);
    int64_t org = sqlite3_last_insert_rowid(db_handle(db));

    struct petition_ctx ctx = {.seal = NULL, .now = t0, .yellow_percent = 80};
    add(db, &ctx, t0 + 1 * D, "411624001200", 0);                   /* t1, will run over */
    int64_t late = add(db, &ctx, t0 + 2 * D, "411624001200", org);  /* t1 + org, accepted late */
    int64_t in_time = add(db, &ctx, t0 + 3 * D, "411624002200", 0); /* t2, accepted in time */
    add(db, &ctx, t0 + 40 * D, "411624001200", 0);                  /* t1, outside the period */
    accept(db, &ctx, late, t0 + 20 * D);
    accept(db, &ctx, in_time, t0 + 5 * D);

    long received = -1, overdue = -1;
    int64_t now = t0 + 30 * D; /* the first one's 15 days are long over */
    CHECK(petition_count_subject(db, t1.path, 0, t0, t0 + 10 * D, now, &received, &overdue) == 0);
    CHECK(received == 2 && overdue == 2);
    CHECK(petition_count_subject(db, t2.path, 0, t0, t0 + 10 * D, now, &received, &overdue) == 0);
    CHECK(received == 1 && overdue == 0);
    CHECK(petition_count_subject(db, c.path, 0, t0, t0 + 60 * D, now, &received, &overdue) == 0);
    CHECK(received == 4);
    CHECK(petition_count_subject(db, NULL, org, t0, t0 + 60 * D, now, &received, &overdue) == 0);
    CHECK(received == 1 && overdue == 1);
    CHECK(petition_count_subject(db, t2.path, org, t0, t0 + 60 * D, now, &received, &overdue) == 0);
    CHECK(received == 0 && overdue == 0);
    /* The first one alone: not overdue before its 15 days ran out, overdue after. */
    CHECK(petition_count_subject(db, t1.path, 0, t0, t0 + 2 * D, t0 + 16 * D - 1, &received,
                                 &overdue) == 0);
    CHECK(received == 1 && overdue == 0);
    CHECK(petition_count_subject(db, t1.path, 0, t0, t0 + 2 * D, t0 + 16 * D, &received,
                                 &overdue) == 0);
    CHECK(received == 1 && overdue == 1);
    arena_release(&a);
    db_close(db);
    char p[300];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

UNIT_MAIN(test_counts)
