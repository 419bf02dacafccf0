#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/category.h"
#include "domain/level.h"
#include "store/db.h"
#include "util/log.h"
#include "util/seal.h"

const char *cli_take(int *argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
            continue;
        const char *v = NULL;
        int used = 0;
        if (a[2 + n] == '=') {
            v = a + 3 + n;
            used = 1;
        } else if (a[2 + n] == '\0' && i + 1 < *argc) {
            v = argv[i + 1];
            used = 2;
        } else {
            continue;
        }
        memmove(&argv[i], &argv[i + used], sizeof(char *) * (size_t)(*argc - i - used));
        *argc -= used;
        argv[*argc] = NULL;
        return v;
    }
    return NULL;
}

int cli_take_flag(int *argc, char **argv, const char *name)
{
    for (int i = 1; i < *argc; i++) {
        if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0) {
            memmove(&argv[i], &argv[i + 1], sizeof(char *) * (size_t)(*argc - i - 1));
            (*argc)--;
            argv[*argc] = NULL;
            return 1;
        }
    }
    return 0;
}

int cli_config_load(struct app *app, int argc, char **argv)
{
    char err[512];
    conf_defaults(&app->cfg);
    if (conf_load(&app->cfg, argc, argv, NULL, err, sizeof(err)) < 0) {
        fprintf(stderr, "pingan: %s\n", err);
        return -1;
    }
    if (log_set_level(app->cfg.log_level) < 0) {
        fprintf(stderr, "pingan: log_level must be debug, info, warn or error\n");
        return -1;
    }
    if (app->cfg.attachment_dir[0])
        snprintf(app->files_dir, sizeof(app->files_dir), "%s", app->cfg.attachment_dir);
    else
        snprintf(app->files_dir, sizeof(app->files_dir), "%s.files", app->cfg.db);
    for (size_t n = strlen(app->files_dir); n > 1 && app->files_dir[n - 1] == '/'; n--)
        app->files_dir[n - 1] = '\0';
    return 0;
}

int cli_open_seal(struct app *app)
{
    char path[600];
    if (app->cfg.key_file[0])
        snprintf(path, sizeof(path), "%s", app->cfg.key_file);
    else
        snprintf(path, sizeof(path), "%s.key", app->cfg.db);
    struct err e = ERR_INIT;
    app->seal = seal_open(path, 1, &e);
    if (!app->seal) {
        fprintf(stderr, "pingan: key file %s: %s\n", path, e.message);
        return -1;
    }
    return 0;
}

struct db *cli_open_store(struct app *app)
{
    char err[512];
    struct db *db = db_open(app->cfg.db, (int)app->cfg.db_sync_full, 1, err, sizeof(err));
    if (!db) {
        fprintf(stderr, "pingan: %s\n", err);
        return NULL;
    }
    struct err e = ERR_INIT;
    if (level_sync(db, app->cfg.area_levels, &e) < 0) {
        fprintf(stderr, "pingan: area_levels: %s\n", e.message);
        db_close(db);
        return NULL;
    }
    if (category_seed(db) < 0) {
        fprintf(stderr, "pingan: cannot load the categories and departments of the taxonomy\n");
        db_close(db);
        return NULL;
    }
    return db;
}
