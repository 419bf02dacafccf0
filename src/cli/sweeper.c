/*
 * The background work of a running server, on its own database connection:
 * every sweep_seconds the deadline sweep escalates the overdue events one
 * level up the tree (domain/event.c) and raises camera outages past
 * camera_offline_h (domain/camera.c), in one transaction per round; every
 * train_every_h, if dispatchers have settled categories since the last
 * model, the classifier is retrained and the new model put in use. Each
 * round also recolours the "三零" subjects checked longest ago (zero.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "api/api.h"
#include "app.h"
#include "cli/cli.h"
#include "domain/camera.h"
#include "domain/categorizer.h"
#include "domain/dispute.h"
#include "domain/event.h"
#include "domain/zero.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/log.h"

static const char LOG_TAG[] = "sweep";
static pthread_t thread;
static int running;

static void sweep_once(struct app *app, struct db *db)
{
    struct arena a = ARENA_INIT;
    struct event_ctx ctx = {&app->cfg, app->seal, {NULL, 0}, clock_now_ms()};
    struct err e = ERR_INIT;
    if (db_begin(db, 1) < 0) {
        arena_release(&a);
        return;
    }
    event_ctx_load(db, &a, &ctx);
    int64_t ids[500], dids[500], cams[100];
    int n = event_sweep(db, &a, &ctx, ids, 500, &e);
    /* Disputes a tier has not settled in its time go one tier up. */
    int d = n < 0 ? 0 : dispute_sweep(db, &a, ctx.now, dids, 500, &e);
    /* Camera outages past camera_offline_h raise events (domain/camera.c). */
    int64_t offline_ms = app->cfg.camera_offline_h * 3600000LL;
    int nc = n < 0 || d < 0 ? 0 : camera_sweep(db, &a, &ctx, offline_ms, cams, 100, &e);
    if (n < 0 || d < 0 || nc < 0) {
        db_rollback(db);
        log_error("%s", e.message);
    } else if (db_commit(db) < 0) {
        db_rollback(db); /* ends the transaction and gives the write lock back */
        log_error("cannot commit");
    } else {
        if (n > 0 || d > 0)
            log_info("%d overdue event(s), %d dispute(s) escalated", n, d);
        for (int i = 0; i < n; i++)
            api_event_publish(db, ids[i], "escalate");
        if (nc > 0)
            log_info("%d camera outage event(s) raised", nc);
        for (int i = 0; i < nc; i++)
            api_event_publish(db, cams[i], "report");
    }
    arena_release(&a);
    /* "三零": the subjects not recomputed for an hour, for the rules that
     * depend on time (overdue petitions, events and visits; a new year). */
    if (db_begin(db, 1) < 0)
        return;
    int z = zero_sweep(db, &a, clock_now_ms(), 500);
    if (z < 0 || db_commit(db) < 0) {
        db_rollback(db);
        log_error("three-zero sweep failed");
    }
    arena_release(&a);
}

/* Retrains when dispatchers have settled categories since the last model. */
static void train_once(struct app *app, struct db *db)
{
    char path[1100];
    if (app->cfg.classifier_model[0])
        snprintf(path, sizeof(path), "%s", app->cfg.classifier_model);
    else
        categorizer_default_path(app->cfg.db, path, sizeof(path));
    struct err e = ERR_INIT;
    int r = categorizer_retrain(db, path, &e);
    if (r < 0)
        log_error("classifier: %s", e.message);
    else if (r > 0)
        log_info("classifier retrained with %d new example(s)", r);
}

static void *sweeper_main(void *arg)
{
    struct app *app = arg;
    char err[256];
    struct db *db = db_open(app->cfg.db, (int)app->cfg.db_sync_full, 0, err, sizeof(err));
    if (!db) {
        log_error("%s", err);
        return NULL;
    }
    int64_t next = clock_mono_us();
    int64_t next_training = clock_mono_us() + app->cfg.train_every_h * 3600 * 1000000LL;
    while (!atomic_load(&app->stopping)) {
        if (app->cfg.sweep_seconds > 0 && clock_mono_us() >= next) {
            sweep_once(app, db);
            next = clock_mono_us() + (int64_t)app->cfg.sweep_seconds * 1000000;
        }
        if (app->cfg.train_every_h > 0 && clock_mono_us() >= next_training) {
            train_once(app, db);
            next_training = clock_mono_us() + app->cfg.train_every_h * 3600 * 1000000LL;
        }
        usleep(200000);
    }
    db_close(db);
    return NULL;
}

void sweeper_start(struct app *app)
{
    if ((app->cfg.sweep_seconds > 0 || app->cfg.train_every_h > 0) &&
        pthread_create(&thread, NULL, sweeper_main, app) == 0)
        running = 1;
}

void sweeper_stop(void)
{
    if (running)
        pthread_join(thread, NULL);
    running = 0;
}
