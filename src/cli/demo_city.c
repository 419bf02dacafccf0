/*
 * pingan demo --scale city - the demo at city scale: 周口市 (411600).
 *
 * The city, its counties, townships and villages come from the shipped NBS
 * 2023 division table (data/zhoukou-divisions.tsv), the county polygons from
 * data/zhoukou-counties.geojson (GCJ-02). 411671 周口临港开发区 is an NBS
 * statistical area with no polygon of its own (its land lies inside the
 * county polygons), so it is left out: the tree stays a tiling. Under the
 * villages, grids and micro-grids in the 沈丘 proportions (about 14,200 and
 * 100,000 for the whole city); boundaries split from each county polygon by
 * geo/partition.c; accounts; about 9 million residents sealed like real ones;
 * a year of about 1 million events through the event table, so the
 * statistics counters are right. Deterministic, like the county demo.
 *
 * Bulk path: synchronous OFF and a rollback journal during the build, one
 * transaction per phase, and the person table's secondary indexes and
 * full-text index dropped during the residents and built once at the end
 * (their definitions are read back from sqlite_master, so they stay exactly
 * the migrations').
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "domain/audit.h"
#include "domain/boundary.h"
#include "domain/categorizer.h"
#include "domain/password.h"
#include "geo/geojson.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/conf.h"
#include "util/embedded.h"

#define DEMO_PASSWORD "Pingan@2026"
/* The 沈丘 proportions: 1,630 grids on 581 villages; 100,000 micro-grids on
 * the city's 5,070 villages (the figure). */
#define GRIDS_PER_1000_VILLAGES 2806
#define MICRO_PER_1000_VILLAGES 19724

/* ---- progress: one line on a terminal, a line per phase otherwise ---- */

static int tty;
static const char *cur_phase;
static int64_t phase_t0, last_draw;
static int shown_end; /* the phase's last line is out */

static void progress(const char *what, long done, long total)
{
    int64_t now = clock_mono_us();
    if (what != cur_phase) { /* timed from the end of the last phase */
        cur_phase = what;
        last_draw = 0;
        shown_end = 0;
    }
    int finished = done >= total;
    if (!tty || shown_end || (!finished && now - last_draw < 200000))
        return;
    shown_end = finished;
    last_draw = now;
    double s = (double)(now - phase_t0) / 1e6, rate = s > 0 ? (double)done / s : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r\033[K  %-18s %9ld/%-9ld %3ld%%  %8.0f/s  ETA %4.0f s", what, done, total,
            total ? done * 100 / total : 100, rate, finished ? 0.0 : eta);
    if (finished)
        fputc('\n', stderr);
}

/* A phase's end: its time, on stdout (what the benchmarks record). */
static int64_t t_phase;
static void phase_done(const char *what, long count)
{
    int64_t now = clock_mono_us();
    printf("  phase %-12s %9ld in %7.1f s\n", what, count, (double)(now - t_phase) / 1e6);
    fflush(stdout);
    t_phase = phase_t0 = now;
}

/* ---- the divisions of the chosen counties ---- */

struct county_shape {
    char code[16];
    GEOSGeometry *geom; /* owned by the feature list */
    int64_t id;
};

/* Keeps the city row and the subtrees of the first `want` counties that have
 * a polygon (in code order); counts what was skipped. */
static int select_divisions(struct division *d, int n, const struct geojson_features *fs,
                            int want, struct county_shape *cs, int *ncs, int *skipped)
{
    int out = 0, keep = 0;
    char city[16] = "";
    *ncs = 0;
    *skipped = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(d[i].level, "city") == 0) {
            /* Area codes are prefixes of their children's (domain/area.c):
             * the city is 4116, as NBS stores it, not the 6-digit 411600. */
            size_t len = strlen(d[i].code);
            snprintf(city, sizeof(city), "%s", d[i].code);
            if (len == 6 && strcmp(d[i].code + 4, "00") == 0)
                d[i].code[4] = '\0';
            d[out++] = d[i];
            continue;
        }
        if (strcmp(d[i].level, "county") == 0) {
            if (strcmp(d[i].parent, city) == 0)
                snprintf(d[i].parent, sizeof(d[i].parent), "%s", d[0].code);
            GEOSGeometry *g = NULL;
            for (size_t k = 0; k < fs->n; k++)
                if (strcmp(fs->items[k].code, d[i].code) == 0)
                    g = fs->items[k].geom;
            keep = g && *ncs < want;
            if (!g)
                ++*skipped;
            if (keep) {
                snprintf(cs[*ncs].code, sizeof(cs[*ncs].code), "%s", d[i].code);
                cs[*ncs].geom = g;
                ++*ncs;
            }
        }
        if (keep)
            d[out++] = d[i];
    }
    return out;
}

static int shape_city(struct db *db, int64_t city_id, struct county_shape *cs, int ncs,
                      long total)
{
    GEOSContextHandle_t ctx = boundary_geos();
    struct err e = ERR_INIT;
    long done = 0;
    GEOSGeometry **parts = malloc(sizeof(*parts) * (size_t)ncs);
    for (int i = 0; i < ncs; i++)
        parts[i] = GEOSGeom_clone_r(ctx, cs[i].geom);
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)ncs);
    free(parts);
    GEOSGeometry *city = coll ? GEOSUnaryUnion_r(ctx, coll) : NULL;
    if (coll)
        GEOSGeom_destroy_r(ctx, coll);
    int rc = -1;
    if (!city || boundary_set(db, city_id, city, &e) < 0) {
        fprintf(stderr, "\npingan demo: the city outline: %s\n", city ? e.message : "GEOS failed");
        goto out;
    }
    progress("边界 boundaries", ++done, total);
    for (int i = 0; i < ncs; i++) {
        if (boundary_set(db, cs[i].id, cs[i].geom, &e) < 0) {
            fprintf(stderr, "\npingan demo: county %s: %s\n", cs[i].code, e.message);
            goto out;
        }
        progress("边界 boundaries", ++done, total);
        if (demo_shape(db, cs[i].id, cs[i].geom, &done, total, progress) < 0)
            goto out;
    }
    rc = 0;
out:
    if (city)
        GEOSGeom_destroy_r(ctx, city);
    return rc;
}

/* ---- the bulk path for residents ---- */

struct saved_sql {
    char **sql;
    int n;
};

/* Drops the person table's own indexes and its full-text insert trigger,
 * keeping their SQL to create them again. */
static int person_indexes_drop(struct db *db, struct saved_sql *s)
{
    s->sql = NULL;
    s->n = 0;
    sqlite3_stmt *st = db_prepare(
        db, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'person' AND sql IS NOT "
            "NULL AND (type = 'index' OR (type = 'trigger' AND name = 'person_fts_insert'))");
    char names[32][64], types[32][16];
    while (sqlite3_step(st) == SQLITE_ROW && s->n < 32) {
        s->sql = realloc(s->sql, sizeof(*s->sql) * (size_t)(s->n + 1));
        s->sql[s->n] = strdup(db_col_text(st, 2));
        snprintf(types[s->n], sizeof(types[0]), "%s", db_col_text(st, 0));
        snprintf(names[s->n], sizeof(names[0]), "%s", db_col_text(st, 1));
        s->n++;
    }
    sqlite3_reset(st);
    for (int i = 0; i < s->n; i++) {
        char sql[256];
        snprintf(sql, sizeof(sql), "DROP %s %.63s", strcmp(types[i], "index") == 0 ? "INDEX" : "TRIGGER",
                 names[i]);
        if (db_exec(db, sql) < 0)
            return -1;
    }
    return 0;
}

static int person_indexes_build(struct db *db, struct saved_sql *s)
{
    int rc = 0;
    for (int i = 0; i < s->n; i++) {
        if (rc == 0 && db_exec(db, s->sql[i]) < 0)
            rc = -1;
        free(s->sql[i]);
    }
    free(s->sql);
    s->sql = NULL;
    s->n = 0;
    if (rc == 0 && db_exec(db, "INSERT INTO person_fts (person_fts) VALUES ('rebuild')") < 0)
        rc = -1;
    return rc;
}

/* ---- the build ---- */

struct city_opts {
    int counties;
    long people, events;
    const char *password;
};

static int build(struct app *app, struct db *db, const struct city_opts *o)
{
    struct division *d = NULL;
    int n = demo_load_divisions("data/zhoukou-divisions.tsv", &d);
    const struct embedded_file *gf = embedded_find("data/zhoukou-counties.geojson");
    GEOSContextHandle_t ctx = boundary_geos();
    struct arena a = ARENA_INIT;
    struct geojson_features fs = GEOJSON_FEATURES_INIT;
    struct err e = ERR_INIT;
    struct county_shape cs[16];
    struct saved_sql saved = {NULL, 0};
    int ncs = 0, skipped = 0, rc = -1;
    if (n <= 0 || !gf ||
        geojson_features_from_text(ctx, gf->data, gf->len, GEO_GCJ02, &a, &fs, &e) < 0 ||
        fs.n == 0 || fs.n > 16) {
        fprintf(stderr, "pingan demo: the embedded divisions or county polygons of 周口市 are "
                        "unreadable %s\n", e.message);
        goto out;
    }
    n = select_divisions(d, n, &fs, o->counties, cs, &ncs, &skipped);
    int villages = 0, townships = 0;
    for (int i = 0; i < n; i++) {
        villages += strcmp(d[i].level, "village") == 0;
        townships += strcmp(d[i].level, "township") == 0;
    }
    int grids = (int)((long)villages * GRIDS_PER_1000_VILLAGES / 1000);
    int micro = (int)((long)villages * MICRO_PER_1000_VILLAGES / 1000);
    if (grids < villages)
        grids = villages;
    if (micro < 3 * grids)
        micro = 3 * grids;
    printf("demo city 周口市: %d counties (%d without a polygon left out), %d townships, %d "
           "villages, %d grids, %d micro-grids; %ld residents, %ld events\n",
           ncs, skipped, townships, villages, grids, micro, o->people, o->events);
    fflush(stdout);

    int64_t now = clock_now_ms();
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(o->password, app->cfg.argon2_ops, app->cfg.argon2_mem_kib, hash) < 0) {
        fprintf(stderr, "pingan demo: cannot hash the password\n");
        goto out;
    }
    t_phase = phase_t0 = clock_mono_us();

    /* 1. The tree and its grid-worker accounts. */
    demo_rng_seed(411600);
    struct demo_tree tree;
    if (db_begin(db, 1) < 0)
        goto out;
    if (demo_build_tree(db, d, n, grids, micro, hash, now, progress, &tree) < 0)
        goto fail;
    for (int i = 0; i < ncs; i++) {
        sqlite3_stmt *st = db_prepare(db, "SELECT id FROM area WHERE code = ?");
        db_bind_text(st, 1, cs[i].code);
        cs[i].id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
    }
    static const struct {
        const char *username, *name, *role, *dept;
    } staff[] = {
        {"admin", "系统管理员", "admin", NULL},
        {"leader", "市综治委领导", "leader", NULL},
        {"dispatcher", "市综治中心调度员", "dispatcher", NULL},
        {"handler", "市公安局处置员", "handler", "公安"},
        {"mediator", "市人民调解员", "mediator", NULL},
        {"petition_officer", "市信访局干部", "petition_officer", NULL},
    };
    for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++)
        if (demo_add_account(db, staff[i].username, staff[i].name, staff[i].role, tree.root_id,
                             staff[i].dept, hash, now) < 0)
            goto fail;
    for (int i = 0; i < ncs; i++) { /* a dispatcher per county: d411602, … */
        char user[24];
        snprintf(user, sizeof(user), "d%.15s", cs[i].code);
        if (demo_add_account(db, user, "县综治中心调度员", "dispatcher", cs[i].id, NULL, hash,
                             now) < 0)
            goto fail;
    }
    if (db_commit(db) < 0)
        goto fail;
    phase_done("areas", tree.areas);

    /* 2. Boundaries: the city the union of its counties, each county its
     * polygon, every level below split from it. */
    if (db_begin(db, 1) < 0)
        goto out;
    if (shape_city(db, tree.root_id, cs, ncs, tree.areas) < 0 || db_commit(db) < 0)
        goto fail;
    phase_done("boundaries", tree.areas);

    /* 3. Residents, sealed like real ones, without the person indexes. */
    if (db_begin(db, 1) < 0)
        goto out;
    if (person_indexes_drop(db, &saved) < 0 ||
        demo_people(db, app->seal, o->people, now, app->cfg.visit_duties, progress) < 0 ||
        db_commit(db) < 0)
        goto fail;
    phase_done("residents", o->people);
    if (db_begin(db, 1) < 0)
        goto out;
    if (person_indexes_build(db, &saved) < 0 || db_commit(db) < 0)
        goto fail;
    phase_done("indexes", o->people);

    /* 4. A year of events through the event table (the counters follow). */
    struct demo_events_summary sum;
    if (o->events > 0) {
        if (demo_events(db, o->events, 411600, now, progress, &sum) < 0)
            goto out;
        printf("demo events: %ld (%ld open), %ld timeline entries\n", o->events, sum.open,
               sum.timeline);
    }
    phase_done("events", o->events);

    struct audit_entry ae = {.at_ms = now, .username = "(command line)", .address = "local",
                             .action = "demo.create", .object = tree.root_code, .outcome = "ok"};
    if (audit_append(db, &ae) < 0)
        goto out;
    printf("demo city %s: %ld areas with boundaries (%d counties, %d townships, %d villages, %d "
           "grids, %d micro-grids), %d grid workers\n",
           tree.root_code, tree.areas, ncs, townships, villages, grids, micro, grids);
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    for (int i = 0; i < saved.n; i++)
        free(saved.sql[i]);
    free(saved.sql);
    geojson_features_release(ctx, &fs);
    arena_release(&a);
    free(d);
    return rc;
}

int cli_demo_city(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan demo --scale city --db FILE [--password PW] [--counties N]\n"
              "                   [--people N] [--events N]\n"
              "\nBuilds the demo city 周口市 (411600) into an empty database: its counties,\n"
              "townships and villages from the NBS 2023 division codes, boundaries split from\n"
              "the real county polygons, about 14,200 grids and 100,000 micro-grids, accounts\n"
              "admin, leader, dispatcher, handler, mediator, petition_officer (city level), a\n"
              "dispatcher per county (d<county code>) and a grid worker per grid.\n"
              "--counties N: only the first N counties (1-10, default 10)\n"
              "--people N: residents (default 9000000), sealed like real ones\n"
              "--events N: events over the last year (default 1000000)\n"
              "The tree has a city level: area_levels gains city=市 if it lacks one, and the\n"
              "server must be run with the same setting (the command prints it).\n",
              stdout);
        return 0;
    }
    struct city_opts o = {10, 9000000, 1000000, DEMO_PASSWORD};
    const char *password = cli_take(&argc, argv, "password");
    const char *counties = cli_take(&argc, argv, "counties");
    const char *people = cli_take(&argc, argv, "people");
    const char *events = cli_take(&argc, argv, "events");
    long v;
    if (counties) {
        if (conf_parse_long(counties, &v) < 0 || v < 1 || v > 10) {
            fprintf(stderr, "pingan demo: --counties must be a number from 1 to 10\n");
            return 2;
        }
        o.counties = (int)v;
    }
    if (people && (conf_parse_long(people, &o.people) < 0 || o.people < 0 ||
                   o.people > 20000000)) {
        fprintf(stderr, "pingan demo: --people must be a number from 0 to 20000000\n");
        return 2;
    }
    if (events && (conf_parse_long(events, &o.events) < 0 || o.events < 0 ||
                   o.events > 10000000)) {
        fprintf(stderr, "pingan demo: --events must be a number from 0 to 10000000\n");
        return 2;
    }
    if (password)
        o.password = password;
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    const char *why;
    if (password_check_policy(o.password, NULL, &why) < 0) {
        fprintf(stderr, "pingan demo: --password: %s\n", why);
        return 2;
    }
    if (strncmp(app.cfg.area_levels, "city=", 5) != 0 && !strstr(app.cfg.area_levels, ",city=")) {
        char levels[sizeof(app.cfg.area_levels) + 16];
        snprintf(levels, sizeof(levels), "city=市,%s", app.cfg.area_levels);
        if (strlen(levels) >= sizeof(app.cfg.area_levels)) {
            fprintf(stderr, "pingan demo: area_levels is too long to add city=市\n");
            return 2;
        }
        memcpy(app.cfg.area_levels, levels, strlen(levels) + 1);
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    if (cli_open_seal(&app) < 0) {
        db_close(db);
        return 1;
    }
    sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM area");
    int existing = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (existing) {
        fprintf(stderr, "pingan demo: %s already holds %d areas; use a new database file\n",
                app.cfg.db, existing);
        db_close(db);
        return 1;
    }
    /* A bulk load into a new file: nothing to lose if it stops half-way. */
    if (db_exec(db, "PRAGMA journal_mode = TRUNCATE") < 0 ||
        db_exec(db, "PRAGMA synchronous = OFF") < 0 ||
        db_exec(db, "PRAGMA cache_size = -1048576") < 0) {
        db_close(db);
        return 1;
    }
    tty = isatty(STDERR_FILENO);
    int64_t t0 = clock_mono_us();
    int rc = build(&app, db, &o);
    if (rc == 0) {
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
            phase_done("classifier", (long)n);
    }
    if (rc == 0 && db_exec(db, "PRAGMA journal_mode = WAL") < 0)
        rc = -1;
    db_close(db);
    if (rc < 0)
        return 1;
    printf("built in %.1f s into %s\n", (double)(clock_mono_us() - t0) / 1e6, app.cfg.db);
    printf("serve it with the same levels: PINGAN_AREA_LEVELS='%s' pingan serve --db %s\n",
           app.cfg.area_levels, app.cfg.db);
    printf("log in as admin, leader, dispatcher (city), d411602 … (a county's dispatcher) or a "
           "grid worker, password %s\n",
           o.password);
    return 0;
}
