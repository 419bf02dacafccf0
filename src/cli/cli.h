/*
 * cli.h - the subcommands of pingan (one file each) and what they share.
 */
#ifndef PINGAN_CLI_H
#define PINGAN_CLI_H

#include <stdio.h>

#include "app.h"

struct db;

int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_config(int argc, char **argv);
int cli_import(int argc, char **argv);
/* pingan import people|households|orgs (argv[0] names the ledger); -1 if
 * argv[0] is none of them. */
int cli_import_ledger(int argc, char **argv);
int cli_export_people(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_check_grids(int argc, char **argv);
int cli_classify(int argc, char **argv);
int cli_train(int argc, char **argv);

struct app;
/* The deadline sweep thread of pingan serve (sweeper.c): started before the
 * server, stopped (joined) after app->stopping is set. */
void sweeper_start(struct app *app);
void sweeper_stop(void);
int cli_keys(int argc, char **argv);

/*
 * Removes `--name VALUE` (or --name=VALUE) from argv and returns VALUE, or
 * NULL if absent. Command-specific flags are taken out this way before the
 * rest goes to the configuration table.
 */
const char *cli_take(int *argc, char **argv, const char *name);
/* Removes a bare `--name` flag; returns 1 if it was there. */
int cli_take_flag(int *argc, char **argv, const char *name);

/* Loads the configuration from file, environment and the remaining flags.
 * Prints the error and returns -1 on failure. */
int cli_config_load(struct app *app, int argc, char **argv);
/* Opens the database, applies migrations, syncs levels and departments.
 * Prints the error and returns NULL on failure. */
struct db *cli_open_store(struct app *app);
/* Opens (creating on first run, mode 0600) the key file of personal data:
 * key_file, or the database path + ".key". Prints the error, -1. */
int cli_open_seal(struct app *app);

#include "util/banned.h"
#endif
