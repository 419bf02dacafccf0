#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/files.h"

int cli_backup(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan backup --db FILE --out FILE\n"
              "\nCopies the database with SQLite's online backup API: safe while a server\n"
              "is writing. The copy is checked with PRAGMA integrity_check; the command\n"
              "fails (exit 1) if the check fails. Then the photos (attachment_dir) that\n"
              "OUT.files lacks are copied there, each checked against its SHA-256 name:\n"
              "after the database, so every photo the copy names is there.\n",
              stdout);
        return 0;
    }
    const char *out = cli_take(&argc, argv, "out");
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    if (!out || !*out) {
        fprintf(stderr, "pingan backup: --out FILE is required\n");
        return 2;
    }
    if (strcmp(out, app.cfg.db) == 0) {
        fprintf(stderr, "pingan backup: --out must differ from --db\n");
        return 2;
    }
    char err[512];
    if (db_backup(app.cfg.db, out, err, sizeof(err)) < 0) {
        fprintf(stderr, "pingan backup: %s\n", err);
        return 1;
    }
    printf("backup of %s written to %s (integrity_check: ok)\n", app.cfg.db, out);
    char files_out[1100];
    snprintf(files_out, sizeof(files_out), "%s.files", out);
    size_t copied = 0;
    struct err e = ERR_INIT;
    if (files_copy_all(app.files_dir, files_out, &copied, &e) < 0) {
        fprintf(stderr, "pingan backup: attachments: %s\n", e.message);
        return 1;
    }
    printf("attachments of %s copied to %s (%zu new)\n", app.files_dir, files_out, copied);
    return 0;
}
