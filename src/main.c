/* pingan - one binary, many subcommands; main only dispatches. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "store/db.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"serve", cli_serve, "serve the API and the UI"},
    {"demo", cli_demo, "build the demo county into a new database"},
    {"user", cli_user, "add, list, disable, enable accounts; reset passwords"},
    {"backup", cli_backup, "copy a live database safely (online backup)"},
    {"config", cli_config, "print the effective configuration or a sample file"},
    {"import", cli_import, "import grids FILE.geojson: areas and boundaries, tiling checked"},
    {"export", cli_export, "export grids --code CODE: a subtree as GeoJSON"},
    {"check-grids", cli_check_grids, "check that the stored areas tile (no gaps, no overlaps)"},
    {"keys", cli_keys, "rotate the keys of personal data; drop old ones"},
    {"classify", cli_classify, "propose categories for report texts (one per line on stdin)"},
    {"train", cli_train, "train the classifier; k-fold cross-validation figures"},
};

static void usage(FILE *out)
{
    fprintf(out, "pingan %s - grid-based social governance platform\n\n"
                 "usage: pingan COMMAND [options]   (pingan COMMAND --help for each)\n\n",
            PINGAN_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "  %-12s %s\n", "version", "print the version and schema version");
}

int main(int argc, char **argv)
{
    /* SQLite's allocation statistics take a global mutex on every malloc;
     * nothing here reads them, and they cost throughput across threads. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sodium_init() < 0) {
        fprintf(stderr, "pingan: libsodium failed to initialise\n");
        return 1;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("pingan %s (schema %d)\n", PINGAN_VERSION, db_schema_known());
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "pingan: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
