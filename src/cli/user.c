#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/account.h"
#include "domain/area.h"
#include "domain/audit.h"
#include "domain/role.h"
#include "store/db.h"
#include "util/clock.h"

static void usage(void)
{
    fputs("usage: pingan user add --username U --role R --area CODE [--name NAME]\n"
          "                       [--department D] [--password-file F]\n"
          "       pingan user list [--role R] [--json]\n"
          "       pingan user disable|enable --username U\n"
          "       pingan user reset-password --username U [--password-file F]\n"
          "\nAll take --db FILE (and the other settings). Without --password-file the\n"
          "password is asked twice on the terminal (or read as one line from a pipe).\n"
          "Roles: ",
          stdout);
    for (const struct role *r = roles; r->key; r++)
        printf("%s%s (%s)", r == roles ? "" : ", ", r->key, r->name_zh);
    fputs(".\n", stdout);
}

/* Reads one line into out (without the newline). */
static int read_line(FILE *f, char *out, size_t size)
{
    if (!fgets(out, (int)size, f))
        return -1;
    size_t n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return 0;
}

static int get_password(const char *file, char *out, size_t size)
{
    if (file) {
        FILE *f = fopen(file, "r");
        if (!f || read_line(f, out, size) < 0) {
            fprintf(stderr, "pingan user: cannot read the password from %s\n", file);
            if (f)
                fclose(f);
            return -1;
        }
        fclose(f);
        return 0;
    }
    if (!isatty(STDIN_FILENO))
        return read_line(stdin, out, size);
    struct termios old, quiet;
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    char again[256];
    fputs("密码 (password): ", stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    int rc = read_line(stdin, out, size);
    fputs("\n再次输入 (again): ", stderr);
    if (rc == 0)
        rc = read_line(stdin, again, sizeof(again));
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputs("\n", stderr);
    if (rc == 0 && strcmp(out, again) != 0) {
        fprintf(stderr, "pingan user: the two passwords differ\n");
        return -1;
    }
    return rc;
}

static void audit_cli(struct db *db, const char *action, const char *object)
{
    struct audit_entry e = {.at_ms = clock_now_ms(),
                            .username = "(command line)",
                            .address = "local",
                            .action = action,
                            .object = object,
                            .outcome = "ok",
                            .status = 0};
    audit_append(db, &e);
}

static int user_add(struct app *app, struct db *db, const char *username, const char *role,
                    const char *area_code, const char *name, const char *dept,
                    const char *pwfile)
{
    if (!username || !role || !area_code) {
        fprintf(stderr, "pingan user add: --username, --role and --area are required\n");
        return 2;
    }
    struct err e = ERR_INIT;
    if (account_check_username(username, &e) < 0) {
        fprintf(stderr, "pingan user add: %s\n", e.message);
        return 2;
    }
    struct arena a = ARENA_INIT;
    struct area area;
    int rc = 1;
    if (area_get(db, &a, area_code, &area) < 0) {
        fprintf(stderr, "pingan user add: no area with code %s\n", area_code);
        goto out;
    }
    char pw[256];
    if (get_password(pwfile, pw, sizeof(pw)) < 0)
        goto out;
    struct account_input in = {username, name ? name : username, role, area_code, dept, pw};
    struct pw_cost cost = {app->cfg.argon2_ops, app->cfg.argon2_mem_kib};
    if (db_begin(db, 1) < 0)
        goto out;
    int64_t id = account_create(db, &in, area.id, NULL, 0, &cost, NULL, clock_now_ms(), &e);
    if (id < 0) {
        db_rollback(db);
        fprintf(stderr, "pingan user add: %s%s%s\n", e.field ? e.field : "", e.field ? ": " : "",
                e.message);
        goto out;
    }
    audit_cli(db, "account.create", arena_printf(&a, "account:%lld", (long long)id));
    if (db_commit(db) < 0)
        goto out;
    printf("account %s (%s) created for %s %s\n", username, role, area.code, area.name);
    rc = 0;
out:
    arena_release(&a);
    return rc;
}

static int user_list(struct db *db, const char *role, int as_json)
{
    struct arena a = ARENA_INIT;
    json_t *list = account_list_json(db, &a, "/", role, 1000000, 0, clock_now_ms());
    json_t *items = json_object_get(list, "items");
    if (as_json) {
        char *s = json_dumps(items, JSON_INDENT(2));
        puts(s);
        free(s);
    } else {
        size_t i;
        json_t *it;
        printf("%-24s %-18s %-18s %-10s %s\n", "username", "role", "area", "state", "name");
        json_array_foreach(items, i, it)
        {
            printf("%-24s %-18s %-18s %-10s %s\n",
                   json_string_value(json_object_get(it, "username")),
                   json_string_value(json_object_get(it, "role")),
                   json_string_value(json_object_get(json_object_get(it, "area"), "code")),
                   json_is_true(json_object_get(it, "disabled"))
                       ? "disabled"
                       : (json_is_true(json_object_get(it, "locked")) ? "locked" : "active"),
                   json_string_value(json_object_get(it, "name")));
        }
    }
    json_decref(list);
    arena_release(&a);
    return 0;
}

int cli_user(int argc, char **argv)
{
    static struct app app;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    const char *verb = argv[1];
    argv++;
    argc--;
    if (cli_take_flag(&argc, argv, "help")) {
        usage();
        return 0;
    }
    const char *username = cli_take(&argc, argv, "username");
    const char *role = cli_take(&argc, argv, "role");
    const char *area = cli_take(&argc, argv, "area");
    const char *name = cli_take(&argc, argv, "name");
    const char *dept = cli_take(&argc, argv, "department");
    const char *pwfile = cli_take(&argc, argv, "password-file");
    int as_json = cli_take_flag(&argc, argv, "json");
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    if (role && !role_find(role)) {
        fprintf(stderr, "pingan user: unknown role %s (see pingan user --help)\n", role);
        return 2;
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    int rc = 2;
    struct err e = ERR_INIT;
    if (strcmp(verb, "add") == 0) {
        rc = user_add(&app, db, username, role, area, name, dept, pwfile);
    } else if (strcmp(verb, "list") == 0) {
        rc = user_list(db, role, as_json);
    } else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0 ||
               strcmp(verb, "reset-password") == 0) {
        int64_t id = username ? account_id_by_username(db, username) : 0;
        if (!id) {
            fprintf(stderr, "pingan user %s: no such account (--username)\n", verb);
            rc = 1;
        } else if (strcmp(verb, "reset-password") == 0) {
            char pw[256];
            struct pw_cost cost = {app.cfg.argon2_ops, app.cfg.argon2_mem_kib};
            rc = 1;
            if (get_password(pwfile, pw, sizeof(pw)) == 0) {
                if (account_set_password(db, id, pw, &cost, clock_now_ms(), &e) < 0)
                    fprintf(stderr, "pingan user reset-password: %s\n", e.message);
                else {
                    audit_cli(db, "account.password", username);
                    printf("password of %s reset; its sessions ended, lockout cleared\n",
                           username);
                    rc = 0;
                }
            }
        } else {
            int dis = strcmp(verb, "disable") == 0;
            if (account_set_disabled(db, id, dis, &e) < 0) {
                fprintf(stderr, "pingan user %s: %s\n", verb, e.message);
                rc = 1;
            } else {
                audit_cli(db, dis ? "account.disable" : "account.enable", username);
                printf("%s %s\n", username, dis ? "disabled" : "enabled");
                rc = 0;
            }
        }
    } else {
        fprintf(stderr, "pingan user: unknown subcommand '%s' (see pingan user --help)\n", verb);
    }
    db_close(db);
    return rc;
}
