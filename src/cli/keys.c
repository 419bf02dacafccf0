/* pingan keys rotate | drop-old: rotation of the keys of personal data. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/rekey.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/seal.h"

static void key_path(struct app *app, char *out, size_t size)
{
    if (app->cfg.key_file[0])
        snprintf(out, size, "%s", app->cfg.key_file);
    else
        snprintf(out, size, "%s.key", app->cfg.db);
}

int cli_keys(int argc, char **argv)
{
    static struct app app;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        (strcmp(argv[1], "rotate") != 0 && strcmp(argv[1], "drop-old") != 0)) {
        fputs("usage: pingan keys rotate --db DB     new key generation, every value re-sealed\n"
              "       pingan keys drop-old --db DB   forget the old generations\n"
              "\nrotate appends a new generation to the key file, then encrypts every ID\n"
              "number and phone again and recomputes their blind indexes, in one transaction.\n"
              "Stop the server first (or restart it afterwards: it keeps the keys it opened).\n"
              "drop-old, after a backup of the key file, keeps only the newest generation.\n",
              argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    const char *verb = argv[1];
    argv++;
    argc--;
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    char path[600];
    key_path(&app, path, sizeof(path));
    struct err e = ERR_INIT;
    if (strcmp(verb, "drop-old") == 0) {
        int n = seal_drop_old(path, &e);
        if (n < 0) {
            fprintf(stderr, "pingan keys drop-old: %s\n", e.message);
            return 1;
        }
        printf("dropped %d old key generation(s) from %s\n", n, path);
        return 0;
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    int rc = 1;
    int64_t t0 = clock_mono_us();
    if (seal_rotate(path, &e) < 0) {
        fprintf(stderr, "pingan keys rotate: %s\n", e.message);
        goto out;
    }
    if (cli_open_seal(&app) < 0)
        goto out;
    db_exec(db, "PRAGMA cache_size = -1048576");
    if (db_begin(db, 1) < 0)
        goto out;
    long n = rekey_all(db, app.seal, &e);
    struct audit_entry ae = {.at_ms = clock_now_ms(), .username = "(command line)",
                             .address = "local", .action = "keys.rotate", .object = path,
                             .outcome = "ok"};
    if (n < 0 || audit_append(db, &ae) < 0 || db_commit(db) < 0) {
        db_rollback(db);
        fprintf(stderr, "pingan keys rotate: %s (the new generation is in the key file; run "
                        "rotate again to finish)\n",
                e.message[0] ? e.message : "database error");
        goto out;
    }
    printf("key generation %u: %ld value(s) re-sealed and re-indexed in %.2f s; restart the "
           "server; after a backup of %s, run pingan keys drop-old\n",
           seal_current_id(app.seal), n, (double)(clock_mono_us() - t0) / 1e6, path);
    rc = 0;
out:
    seal_close(app.seal);
    db_close(db);
    return rc;
}
