/*
 * pingan demo - a deterministic demo county on the real divisions of 沈丘县.
 *
 * The county, its 22 townships and 581 villages/communities come from the
 * shipped copy of the NBS 2023 division codes (data/shenqiu-divisions.tsv).
 * Under them: about 1,630 grids and 10,374 micro-grids (the 沈丘 figures),
 * spread over the villages by a seeded generator, so every run builds the
 * same county. Accounts: one per role at county level and a grid worker
 * per grid; micro-grid workers are named but have no login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/demo_petitions.h"
#include "domain/categorizer.h"
#include "domain/account.h"
#include "domain/area.h"
#include "domain/audit.h"
#include "domain/boundary.h"
#include "geo/geojson.h"
#include "geo/partition.h"
#include "domain/password.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/embedded.h"

#define DEMO_PASSWORD "Pingan@2026"
#define GRIDS 1630
#define MICROGRIDS 10374

/* splitmix64: small, seedable, the same on every machine. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static unsigned rng_below(unsigned n)
{
    return (unsigned)(rng_next() % n);
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康"};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "红", "玉", "兰",
    "文", "辉", "鹏", "飞", "宇", "浩", "凯", "俊", "梅", "琳", "晨", "欣", "海", "波", "峰",
    "春", "雪", "新", "云", "林", "东", "亮", "倩", "婷", "慧", "永", "庆", "德", "福", "振"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void random_name(char *out, size_t size)
{
    const char *s = surnames[rng_below(NELEM(surnames))];
    if (rng_below(3) == 0)
        snprintf(out, size, "%s%s", s, given[rng_below(NELEM(given))]);
    else
        snprintf(out, size, "%s%s%s", s, given[rng_below(NELEM(given))],
                 given[rng_below(NELEM(given))]);
}

/* "于庄村民委员会" -> "于庄村", "丰产河社区居民委员会" -> "丰产河社区". */
static void short_name(const char *full, char *out, size_t size)
{
    static const struct {
        const char *suffix, *repl;
    } rules[] = {{"社区居民委员会", "社区"}, {"村民委员会", "村"}, {"居民委员会", "居委会"}};
    size_t n = strlen(full);
    for (size_t i = 0; i < NELEM(rules); i++) {
        size_t k = strlen(rules[i].suffix);
        if (n > k && strcmp(full + n - k, rules[i].suffix) == 0) {
            snprintf(out, size, "%.*s%s", (int)(n - k), full, rules[i].repl);
            return;
        }
    }
    snprintf(out, size, "%s", full);
}

struct division {
    char code[16], parent[16], level[16], name[96];
};

static int load_divisions(struct division **out)
{
    const struct embedded_file *f = embedded_find("data/shenqiu-divisions.tsv");
    if (!f)
        return -1;
    int cap = 1024, n = 0;
    struct division *d = malloc(sizeof(*d) * (size_t)cap);
    const char *line = f->data;
    int first = 1;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!first && len > 0) {
            if (n == cap)
                d = realloc(d, sizeof(*d) * (size_t)(cap *= 2));
            char tmp[256];
            snprintf(tmp, sizeof(tmp), "%.*s", (int)len, line);
            char *fields[4] = {0};
            char *p = tmp;
            for (int i = 0; i < 4 && p; i++) {
                fields[i] = p;
                p = strchr(p, '\t');
                if (p)
                    *p++ = '\0';
            }
            if (!fields[3]) {
                free(d);
                return -1;
            }
            snprintf(d[n].code, sizeof(d[n].code), "%s", fields[0]);
            snprintf(d[n].parent, sizeof(d[n].parent), "%s", fields[1]);
            snprintf(d[n].level, sizeof(d[n].level), "%s", fields[2]);
            snprintf(d[n].name, sizeof(d[n].name), "%s", fields[3]);
            n++;
        }
        first = 0;
        line += len + (nl ? 1 : 0);
    }
    *out = d;
    return n;
}

static int tty;
static void progress(const char *what, long done, long total)
{
    if (tty && (done % 500 == 0 || done == total)) {
        fprintf(stderr, "\r  %s %ld/%ld (%3ld%%)", what, done, total,
                total ? done * 100 / total : 100);
        if (done == total)
            fputc('\n', stderr);
    }
}

/* Splits `total` into `n` counts of at least `min` each, at random. */
static int *spread(int n, int total, int min)
{
    int *c = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++)
        c[i] = min;
    for (int left = total - n * min; left > 0; left--)
        c[rng_below((unsigned)n)]++;
    return c;
}

static int add_area(struct db *db, struct arena *a, const char *code, const char *name,
                    const char *level, const char *parent_code, int64_t now, int64_t *id)
{
    struct area parent, *pp = NULL;
    struct err e = ERR_INIT;
    if (parent_code) {
        if (area_get(db, a, parent_code, &parent) < 0) {
            fprintf(stderr, "\npingan demo: parent %s of %s missing\n", parent_code, code);
            return -1;
        }
        pp = &parent;
    }
    struct area_input in = {code, name, level, "2023-06-30", parent_code};
    *id = area_create(db, a, pp, &in, now, &e);
    if (*id < 0) {
        fprintf(stderr, "\npingan demo: area %s: %s\n", code, e.message);
        return -1;
    }
    return 0;
}

static int add_staff(struct db *db, int64_t area_id, const char *duty, const char *name,
                     int64_t account_id)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO area_staff (area_id, duty, name, account_id) VALUES (?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, duty);
    db_bind_text(st, 3, name);
    if (account_id)
        db_bind_int(st, 4, account_id);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static int64_t add_account(struct db *db, const char *username, const char *name,
                           const char *role, int64_t area_id, const char *dept, const char *hash,
                           int64_t now)
{
    struct account_input in = {username, name, role, NULL, dept, NULL};
    struct err e = ERR_INIT;
    int64_t id = account_create(db, &in, area_id, NULL, 0, NULL, hash, now, &e);
    if (id < 0)
        fprintf(stderr, "\npingan demo: account %s: %s\n", username, e.message);
    return id;
}

/* Gives the children of area_id boundaries that tile geom, recursively. */
static int shape(struct db *db, int64_t area_id, const GEOSGeometry *geom, long *done, long total)
{
    GEOSContextHandle_t ctx = boundary_geos();
    int64_t *kids = NULL;
    int n = 0, cap = 0, rc = -1;
    sqlite3_stmt *st = db_prepare(db, "SELECT id FROM area WHERE parent_id = ? ORDER BY code");
    db_bind_int(st, 1, area_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            kids = realloc(kids, sizeof(*kids) * (size_t)(cap = cap ? cap * 2 : 16));
        kids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (n == 0) {
        free(kids);
        return 0;
    }
    GEOSGeometry **cells = calloc((size_t)n, sizeof(*cells));
    /* A generator per parent: the same parent always gets the same cells. */
    uint64_t rng = 0x5EED411624ull * 1000003u + (uint64_t)area_id;
    int k = partition_split(ctx, geom, n, &rng, cells);
    if (k != n) {
        fprintf(stderr, "\npingan demo: could not split area %lld into %d cells (%d)\n",
                (long long)area_id, n, k);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        struct err e = ERR_INIT;
        if (boundary_set(db, kids[i], cells[i], &e) < 0) {
            fprintf(stderr, "\npingan demo: boundary: %s\n", e.message);
            goto out;
        }
        progress("边界 boundaries", ++*done, total);
        if (shape(db, kids[i], cells[i], done, total) < 0)
            goto out;
    }
    rc = 0;
out:
    for (int i = 0; i < (k > 0 ? k : 0); i++)
        GEOSGeom_destroy_r(ctx, cells[i]);
    free(cells);
    free(kids);
    return rc;
}

/* The real outline of 沈丘县 (GCJ-02 in the shipped file) for the county,
 * then generated boundaries that tile it for every level below. */
static int shape_county(struct db *db, int64_t county_id, long total)
{
    const struct embedded_file *f = embedded_find("data/shenqiu-outline.geojson");
    GEOSContextHandle_t ctx = boundary_geos();
    struct arena a = ARENA_INIT;
    struct geojson_features fs = GEOJSON_FEATURES_INIT;
    struct err e = ERR_INIT;
    int rc = -1;
    if (!f || geojson_features_from_text(ctx, f->data, f->len, GEO_GCJ02, &a, &fs, &e) < 0 ||
        fs.n != 1 || !fs.items[0].geom) {
        fprintf(stderr, "pingan demo: the embedded county outline is unreadable: %s\n", e.message);
        goto out;
    }
    long done = 1;
    if (boundary_set(db, county_id, fs.items[0].geom, &e) < 0)
        goto out;
    progress("边界 boundaries", done, total);
    rc = shape(db, county_id, fs.items[0].geom, &done, total);
out:
    geojson_features_release(ctx, &fs);
    arena_release(&a);
    return rc;
}

static int build(struct app *app, struct db *db, const char *password, long people, long orgs)
{
    struct division *d = NULL;
    int n = load_divisions(&d);
    if (n <= 0) {
        fprintf(stderr, "pingan demo: the embedded division table is missing or malformed\n");
        return -1;
    }
    int64_t now = clock_now_ms();
    struct arena a = ARENA_INIT;
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, app->cfg.argon2_ops, app->cfg.argon2_mem_kib, hash) < 0) {
        fprintf(stderr, "pingan demo: cannot hash the password\n");
        free(d);
        return -1;
    }
    rng_state = 411624;
    int villages = 0;
    for (int i = 0; i < n; i++)
        villages += strcmp(d[i].level, "village") == 0;
    int *grids_per_village = spread(villages, GRIDS, 1);
    int *micro_per_grid = spread(GRIDS, MICROGRIDS, 3);
    long total_areas = n + GRIDS + MICROGRIDS, done = 0;
    int rc = -1, v = 0, g = 0;
    const char *county = NULL;
    int64_t county_id = 0, id;

    if (db_begin(db, 1) < 0)
        goto out;
    for (int i = 0; i < n; i++) {
        const char *level = d[i].level;
        int is_root = strcmp(level, "county") == 0;
        if (add_area(db, &a, d[i].code, d[i].name, level, is_root ? NULL : d[i].parent, now,
                     &id) < 0)
            goto fail;
        progress("区域 areas", ++done, total_areas);
        if (is_root) {
            county = d[i].code;
            county_id = id;
            continue;
        }
        char leader[32];
        random_name(leader, sizeof(leader));
        if (add_staff(db, id, "leader", leader, 0) < 0)
            goto fail;
        if (strcmp(level, "village") != 0)
            continue;
        char vshort[96];
        short_name(d[i].name, vshort, sizeof(vshort));
        for (int k = 1; k <= grids_per_village[v]; k++, g++) {
            char code[32], name[160], username[40], worker[32];
            snprintf(code, sizeof(code), "%s%03d", d[i].code, k);
            snprintf(name, sizeof(name), "%s第%d网格", vshort, k);
            int64_t grid_id;
            if (add_area(db, &a, code, name, "grid", d[i].code, now, &grid_id) < 0)
                goto fail;
            progress("区域 areas", ++done, total_areas);
            snprintf(username, sizeof(username), "g%s", code);
            random_name(worker, sizeof(worker));
            int64_t acc = add_account(db, username, worker, "grid_worker", grid_id, NULL, hash, now);
            if (acc < 0 || add_staff(db, grid_id, "worker", worker, acc) < 0)
                goto fail;
            for (int m = 1; m <= micro_per_grid[g]; m++) {
                char mcode[48], mname[64], mworker[32];
                snprintf(mcode, sizeof(mcode), "%s%02d", code, m);
                snprintf(mname, sizeof(mname), "第%d微网格", m);
                if (add_area(db, &a, mcode, mname, "microgrid", code, now, &id) < 0)
                    goto fail;
                progress("区域 areas", ++done, total_areas);
                random_name(mworker, sizeof(mworker));
                if (add_staff(db, id, "worker", mworker, 0) < 0)
                    goto fail;
            }
            arena_release(&a);
        }
        v++;
    }
    if (!county || shape_county(db, county_id, done) < 0 ||
        demo_people(db, app->seal, people, now, app->cfg.visit_duties, progress) < 0 ||
        demo_orgs(db, app->seal, orgs, now) < 0 || demo_lines(db, county_id, now) < 0 ||
        demo_disputes(db, 3000, now) < 0 || demo_cameras(db, now) < 0 || demo_risk(db, now) < 0 ||
        demo_petitions(db, app->seal, now) < 0)
        goto fail;
    static const struct {
        const char *username, *name, *role, *dept;
    } staff[] = {
        {"admin", "系统管理员", "admin", NULL},
        {"leader", "县综治委领导", "leader", NULL},
        {"dispatcher", "县综治中心调度员", "dispatcher", NULL},
        {"handler", "县公安局处置员", "handler", "公安"},
        {"mediator", "县人民调解员", "mediator", NULL},
        {"petition_officer", "县信访局干部", "petition_officer", NULL},
    };
    for (size_t i = 0; i < NELEM(staff); i++)
        if (add_account(db, staff[i].username, staff[i].name, staff[i].role, county_id,
                        staff[i].dept, hash, now) < 0)
            goto fail;
    if (demo_zero(app, db, orgs, now) < 0)
        goto fail;
    struct audit_entry ae = {.at_ms = now, .username = "(command line)", .address = "local",
                             .action = "demo.create", .object = county, .outcome = "ok"};
    if (audit_append(db, &ae) < 0 || db_commit(db) < 0)
        goto fail;
    printf("demo county %s: %ld areas with boundaries (%d villages, %d grids, %d micro-grids), "
           "%d grid workers\n",
           county, done, villages, GRIDS, MICROGRIDS, GRIDS);
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    arena_release(&a);
    free(grids_per_village);
    free(micro_per_grid);
    free(d);
    return rc;
}

int cli_demo(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan demo --db FILE [--password PW] [--people N] [--orgs N]\n"
              "\nBuilds the deterministic demo county 沈丘县 (411624) into an empty database:\n"
              "22 townships and 581 villages/communities from the NBS 2023 division codes,\n"
              "1,630 grids and 10,374 micro-grids under them, accounts admin, leader,\n"
              "dispatcher, handler (公安), mediator, petition_officer and one grid worker per\n"
              "grid (username g<grid code>). All accounts take the password given\n"
              "(default " DEMO_PASSWORD ").\n"
              "--people N: about N residents in households over the micro-grids\n"
              "(default 1100000; 0 for none), with valid ID numbers, sealed like real ones.\n"
              "--orgs N: about N enterprises and schools with valid USCC codes (default 5600).\n",
              stdout);
        return 0;
    }
    const char *password = cli_take(&argc, argv, "password");
    const char *people_arg = cli_take(&argc, argv, "people");
    const char *orgs_arg = cli_take(&argc, argv, "orgs");
    long orgs = 5600;
    if (orgs_arg && (conf_parse_long(orgs_arg, &orgs) < 0 || orgs < 0 || orgs > 1000000)) {
        fprintf(stderr, "pingan demo: --orgs must be a number from 0 to 1000000\n");
        return 2;
    }
    long people = 1100000;
    if (people_arg && (conf_parse_long(people_arg, &people) < 0 || people < 0 || people > 20000000)) {
        fprintf(stderr, "pingan demo: --people must be a number from 0 to 20000000\n");
        return 2;
    }
    if (!password)
        password = DEMO_PASSWORD;
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    const char *why;
    if (password_check_policy(password, NULL, &why) < 0) {
        fprintf(stderr, "pingan demo: --password: %s\n", why);
        return 2;
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    if (cli_open_seal(&app) < 0) {
        db_close(db);
        return 1;
    }
    db_exec(db, "PRAGMA cache_size = -1048576"); /* a bulk load: see import people */
    sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM area");
    int existing = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (existing) {
        fprintf(stderr, "pingan demo: %s already holds %d areas; use a new database file\n",
                app.cfg.db, existing);
        db_close(db);
        return 1;
    }
    tty = isatty(STDERR_FILENO);
    int64_t t0 = clock_mono_us();
    int rc = build(&app, db, password, people, orgs);
    if (rc == 0) {
        /* The classifier, so that intake proposes categories from the start. */
        char path[1100];
        if (app.cfg.classifier_model[0])
            snprintf(path, sizeof(path), "%s", app.cfg.classifier_model);
        else
            categorizer_default_path(app.cfg.db, path, sizeof(path));
        struct cv_result cv;
        size_t n, shipped;
        struct err e = ERR_INIT;
        rc = categorizer_train(db, path, 0, &cv, &n, &shipped, &e);
        if (rc < 0)
            fprintf(stderr, "pingan demo: classifier: %s\n", e.message);
        else
            printf("demo classifier: trained on %zu shipped examples into %s\n", n, path);
    }
    db_close(db);
    if (rc < 0)
        return 1;
    printf("built in %.2f s into %s\n", (double)(clock_mono_us() - t0) / 1e6, app.cfg.db);
    printf("log in as admin, leader, dispatcher, handler, mediator, petition_officer or a grid "
           "worker such as g411624001001001, password %s\n",
           password);
    return 0;
}
