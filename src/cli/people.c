/* pingan export people: the population ledger as Excel. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/area.h"
#include "domain/personexport.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/seal.h"

int cli_export_people(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan export people --db DB [--area CODE] [--residence-type T] [--tag T]\n"
              "                            [--reveal --reason TEXT] --out FILE.xlsx\n"
              "\nWrites the population ledger (实有人口台账) of an area as Excel. ID numbers and\n"
              "phones are masked unless --reveal is given with a --reason; either way the\n"
              "export is recorded in the audit log.\n",
              stdout);
        return 0;
    }
    const char *area = cli_take(&argc, argv, "area");
    const char *type = cli_take(&argc, argv, "residence-type");
    const char *tag = cli_take(&argc, argv, "tag");
    const char *out = cli_take(&argc, argv, "out");
    const char *reason = cli_take(&argc, argv, "reason");
    int reveal = cli_take_flag(&argc, argv, "reveal");
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    if (!out) {
        fprintf(stderr, "pingan export people: --out FILE.xlsx is required\n");
        return 2;
    }
    if (reveal && (!reason || strlen(reason) < 2)) {
        fprintf(stderr, "pingan export people: --reveal needs a --reason\n");
        return 2;
    }
    struct db *db = cli_open_store(&app);
    if (!db || cli_open_seal(&app) < 0)
        return 1;
    struct arena a = ARENA_INIT;
    const char *scope = "/";
    int rc = 1;
    if (area) {
        struct area ar;
        if (area_get(db, &a, area, &ar) < 0) {
            fprintf(stderr, "pingan export people: no area with code %s\n", area);
            goto out;
        }
        scope = ar.path;
    }
    struct person_query q = {0};
    q.residence_type = type;
    q.tag = tag;
    struct err e = ERR_INIT;
    int64_t t0 = clock_mono_us();
    long n = person_export_xlsx(db, &a, app.seal, scope, &q, reveal, out, &e);
    if (n < 0) {
        fprintf(stderr, "pingan export people: %s\n", e.message);
        goto out;
    }
    json_t *detail = json_pack("{s:I,s:b,s:s?}", "people", (json_int_t)n, "revealed", reveal,
                               "reason", reason);
    struct audit_entry ae = {.at_ms = clock_now_ms(), .username = "(command line)",
                             .address = "local", .action = "person.export",
                             .object = area ? area : "(all)", .outcome = "ok", .detail = detail};
    audit_append(db, &ae);
    json_decref(detail);
    printf("exported %ld people to %s in %.2f s%s\n", n, out,
           (double)(clock_mono_us() - t0) / 1e6, reveal ? " (identifiers in clear)" : "");
    rc = 0;
out:
    arena_release(&a);
    db_close(db);
    return rc;
}
