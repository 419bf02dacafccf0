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
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

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
    rc = demo_shape(db, county_id, fs.items[0].geom, &done, total, progress);
out:
    geojson_features_release(ctx, &fs);
    arena_release(&a);
    return rc;
}

static int build(struct app *app, struct db *db, const char *password, long people, long orgs)
{
    struct division *d = NULL;
    int n = demo_load_divisions("data/shenqiu-divisions.tsv", &d);
    if (n <= 0) {
        fprintf(stderr, "pingan demo: the embedded division table is missing or malformed\n");
        return -1;
    }
    int64_t now = clock_now_ms();
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, app->cfg.argon2_ops, app->cfg.argon2_mem_kib, hash) < 0) {
        fprintf(stderr, "pingan demo: cannot hash the password\n");
        free(d);
        return -1;
    }
    demo_rng_seed(411624);
    struct demo_tree tree;
    int rc = -1;
    if (db_begin(db, 1) < 0)
        goto out;
    if (demo_build_tree(db, d, n, GRIDS, MICROGRIDS, hash, now, progress, &tree) < 0)
        goto fail;
    const char *county = tree.root_code;
    int64_t county_id = tree.root_id;
    long done = tree.areas;
    if (shape_county(db, county_id, done) < 0 ||
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
        if (demo_add_account(db, staff[i].username, staff[i].name, staff[i].role, county_id,
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
           county, done, tree.villages, GRIDS, MICROGRIDS, GRIDS);
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    free(d);
    return rc;
}

int cli_demo(int argc, char **argv)
{
    static struct app app;
    const char *scale = cli_take(&argc, argv, "scale");
    if (scale && strcmp(scale, "city") == 0)
        return cli_demo_city(argc, argv);
    if (scale && strcmp(scale, "county") != 0) {
        fprintf(stderr, "pingan demo: --scale must be county or city\n");
        return 2;
    }
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan demo --db FILE [--password PW] [--people N] [--orgs N]\n"
              "       pingan demo --scale city --db FILE … (周口市; see --scale city --help)\n"
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
