/*
 * The demo county's "三零" creation subjects: every village (its 村委会
 * leader responsible) and every registered unit, led by the department of
 * its trade (schools 教育, mills and shops 市场监管, farms 农业农村, …).
 * Then some events that break zero — cases and petitions in villages,
 * accidents with casualties and cases naming units — spread over this year
 * up to now, and every subject coloured by the rules. Deterministic.
 *
 * Breaking events come in proportion to the units (about one for every 100),
 * so that a demo without units (`--orgs 0`, the tests' template) has no
 * events its tests did not make.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli/demo.h"
#include "domain/area.h"
#include "domain/event.h"
#include "domain/zero.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "util/rng.h"

static struct rng rng = {0x5EED0008ull};
static uint64_t next(void)
{
    return rng_next(&rng);
}
static int below(int n)
{
    return (int)(rng_next(&rng) % (uint64_t)n);
}

/* The leading department and the subject class of a unit, by its name. */
static void trade_of(const char *name, const char *kind, const char **dept, const char **cls)
{
    static const struct {
        const char *word, *dept, *cls;
    } trades[] = {
        {"小学", "教育", "学校"},       {"幼儿园", "教育", "幼儿园"},
        {"面粉厂", "市场监管", "工厂"}, {"食品", "市场监管", "工厂"},
        {"超市", "市场监管", "商场"},   {"纺织", "应急管理", "工厂"},
        {"建材", "应急管理", "工厂"},   {"机械", "应急管理", "工厂"},
        {"家具", "应急管理", "工厂"},   {"电子", "应急管理", "工厂"},
        {"加油站", "应急管理", "网点"}, {"物流", "交通运输", "企业"},
        {"合作社", "农业农村", "企业"}, {"养殖场", "农业农村", "企业"},
    };
    for (size_t i = 0; i < sizeof(trades) / sizeof(trades[0]); i++)
        if (strstr(name, trades[i].word)) {
            *dept = trades[i].dept;
            *cls = trades[i].cls;
            return;
        }
    *dept = strcmp(kind, "school") == 0 ? "教育" : "市场监管";
    *cls = strcmp(kind, "school") == 0 ? "学校" : "企业";
}

struct pick {
    int64_t org_id;
    char area[48];
};

int demo_zero(struct app *app, struct db *db, long orgs, int64_t now)
{
    struct arena a = ARENA_INIT;
    int64_t t0 = clock_mono_us();
    int villages = zero_villages_sync(db, &a, "/", now);
    if (villages < 0) {
        fprintf(stderr, "\npingan demo: three-zero villages: %s\n", db_errmsg(db));
        arena_release(&a);
        return -1;
    }
    /* Every unit a subject. */
    struct pick *units = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = db_prepare(db, "SELECT o.id, o.name, o.kind, o.contact_name, ar.code "
                                      "FROM org o JOIN area ar ON ar.id = o.area_id ORDER BY o.id");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *dept, *cls;
        trade_of(db_col_text(st, 1), db_col_text(st, 2), &dept, &cls);
        if (n == cap)
            units = xrealloc(units, sizeof(*units) * (cap = cap ? cap * 2 : 1024));
        units[n].org_id = sqlite3_column_int64(st, 0);
        snprintf(units[n].area, sizeof(units[n].area), "%s", db_col_text(st, 4));
        n++;
        struct zero_subject_input in = {units[n - 1].org_id, dept, cls, NULL, 1, 1, 1};
        struct err e = ERR_INIT;
        if (zero_subject_create(db, &a, &in, now, &e) < 0) {
            sqlite3_reset(st);
            fprintf(stderr, "\npingan demo: three-zero units: %s\n", e.message);
            free(units);
            arena_release(&a);
            return -1;
        }
    }
    sqlite3_reset(st);
    /* The villages' codes, for events placed in them. */
    char(*vcodes)[48] = NULL;
    size_t nv = 0, capv = 0;
    st = db_prepare(db, "SELECT code FROM area WHERE level = 'village' AND retired_ms IS NULL "
                        "ORDER BY code");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nv == capv)
            vcodes = xrealloc(vcodes, sizeof(*vcodes) * (capv = capv ? capv * 2 : 512));
        snprintf(vcodes[nv++], sizeof(*vcodes), "%s", db_col_text(st, 0));
    }
    sqlite3_reset(st);

    /* Breaking events, from 1 January (Asia/Shanghai) until now. */
    char year[8];
    int64_t from = now, to = now;
    struct err pe = ERR_INIT;
    zero_period_year(now, year, sizeof(year));
    zero_period_parse(year, "period", &from, &to, &pe);
    struct event_ctx ctx = {&app->cfg, app->seal, {NULL, 0}, now};
    event_ctx_load(db, &a, &ctx);
    const char *root = NULL;
    st = db_prepare(db, "SELECT path FROM area WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    if (sqlite3_step(st) == SQLITE_ROW)
        root = arena_strdup(&a, db_col_text(st, 0));
    sqlite3_reset(st);
    struct actor who = {0, "demo", "dispatcher", root ? root : "/", 0, 0};
    static const struct {
        const char *minor, *text;
        int casualties, unit;
    } kinds[] = {
        {"1401", "村民家中夜间被盗，丢失现金和电动车一辆，已报警。", 0, 0},
        {"1303", "村口饭店门前两伙人酒后打架，一人头部受伤。", 0, 0},
        {"1501", "村民接到冒充客服电话，被骗转账两万元。", 0, 0},
        {"5401", "村民反映宅基地纠纷多次协调未果，到县信访局上访。", 0, 0},
        {"5402", "群众联名反映征地补偿款未足额发放。", 0, 0},
        {"2601", "厂区门口货车倒车撞伤一名工人，已送医。", 1, 1},
        {"2403", "车间机器卷入操作工手臂，造成一人重伤。", 1, 1},
        {"2103", "仓库起火，一名员工吸入烟雾受伤。", 2, 1},
        {"1402", "单位停车场两辆电动车被盗。", 0, 1},
    };
    long events = nv && orgs > 0 ? orgs / 100 : 0;
    long made = 0;
    for (long i = 0; i < events; i++) {
        int k = below((int)(sizeof(kinds) / sizeof(kinds[0])));
        struct event_input in;
        memset(&in, 0, sizeof(in));
        in.source = k % 2 ? "department" : "grid_worker";
        in.description = kinds[k].text;
        in.minor = kinds[k].minor;
        if (kinds[k].unit && n) {
            size_t u = (size_t)below((int)n);
            in.org_id = units[u].org_id;
            in.area = units[u].area;
        } else {
            in.area = vcodes[below((int)nv)];
        }
        in.casualties = kinds[k].casualties ? 1 + below(kinds[k].casualties + 1) : 0;
        /* Reported at some moment of the year so far. */
        ctx.now = from + (int64_t)(next() % (uint64_t)(now - from > 0 ? now - from : 1));
        int created = 0;
        struct err e = ERR_INIT;
        if (event_create(db, &a, &ctx, &who, &in, &created, &e) < 0) {
            fprintf(stderr, "\npingan demo: three-zero events: %s\n", e.message);
            free(units);
            free(vcodes);
            arena_release(&a);
            return -1;
        }
        made++;
    }
    free(units);
    free(vcodes);
    int coloured = zero_recompute_all(db, &a, "/", now);
    if (coloured < 0) {
        fprintf(stderr, "\npingan demo: three-zero colours: %s\n", db_errmsg(db));
        arena_release(&a);
        return -1;
    }
    st = db_prepare(db, "SELECT count(*) FROM zero_subject WHERE colour <> 'none'");
    long warned = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    printf("demo three-zero subjects: %d villages, %zu units; %ld breaking events, %ld subjects "
           "warned (%.2f s)\n",
           villages, n, made, warned, (double)(clock_mono_us() - t0) / 1e6);
    arena_release(&a);
    return 0;
}
