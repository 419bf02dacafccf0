#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdatomic.h>
#include <unistd.h>

#include "api/respcache.h"
#include "cli/cli.h"
#include "domain/boundary.h"
#include "domain/group.h"
#include "http/server.h"
#include "util/seal.h"
#include "store/db.h"

static void usage(void)
{
    fputs("usage: pingan serve [--db FILE] [--port N] [--listen ADDR] [--config FILE]\n"
          "                    [--print-config] [other settings]\n"
          "\nServes the API under /api/v1 and the UI at / until SIGTERM or SIGINT.\n"
          "Settings (also from the config file and PINGAN_* environment variables):\n",
          stdout);
    conf_print_flags(stdout);
}

/* web/ beside the binary, unless web_root is set. */
static void resolve_web_root(struct app *app)
{
    if (app->cfg.web_root[0]) {
        snprintf(app->web_root, sizeof(app->web_root), "%s", app->cfg.web_root);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(app->web_root, sizeof(app->web_root), "web");
        return;
    }
    exe[n] = '\0';
    snprintf(app->web_root, sizeof(app->web_root), "%s/web", dirname(exe));
}

int cli_serve(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        usage();
        return 0;
    }
    int print = cli_take_flag(&argc, argv, "print-config");
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    if (print) {
        conf_print(&app.cfg, stdout);
        return 0;
    }
    if (app.cfg.threads == 1) {
        /* Measured (docs/architecture.md): libmicrohttpd's single event loop
         * stalls at exactly 256 keep-alive connections; a pool does not. */
        fprintf(stderr, "pingan: threads = 1 is raised to 2 (a single libmicrohttpd event loop "
                        "stalls at 256 keep-alive connections)\n");
        app.cfg.threads = 2;
    }
    struct err e = ERR_INIT;
    if (group_duties_check(app.cfg.visit_duties, &e) < 0) {
        fprintf(stderr, "pingan: %s\n", e.message);
        return 2;
    }
    resolve_web_root(&app);
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    boundary_index_warm(db);
    db_close(db);
    if (cli_open_seal(&app) < 0)
        return 1;
    db_configure(app.cfg.db, (int)app.cfg.db_sync_full);
    respcache_enable((int)app.cfg.response_cache);
    /* The stop signals are blocked before any thread starts, so that every
     * thread inherits the mask and only server_run's sigwait takes them: a
     * SIGTERM arriving before it waited would otherwise go to the sweeper
     * thread and kill the process without a clean shutdown. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    sweeper_start(&app);
    int rc = server_run(&app) == 0 ? 0 : 1;
    atomic_store(&app.stopping, 1);
    sweeper_stop();
    boundary_index_free();
    seal_close(app.seal);
    return rc;
}

int cli_config(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan config [--sample] [settings]\n"
              "\nPrints the effective configuration (name = value  # source), or with\n"
              "--sample the documented sample configuration file.\n",
              stdout);
        return 0;
    }
    if (cli_take_flag(&argc, argv, "sample")) {
        conf_print_sample(stdout);
        return 0;
    }
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    conf_print(&app.cfg, stdout);
    return 0;
}
