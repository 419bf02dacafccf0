/* pingan import people: the population ledger from CSV (UTF-8 or GBK). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/area.h"
#include "domain/personexport.h"
#include "domain/personimport.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/seal.h"

struct bar {
    size_t total;
    int64_t t0;
    int tty;
};

static void show_progress(void *ctx, size_t rows)
{
    struct bar *b = ctx;
    if (!b->tty)
        return;
    double secs = (double)(clock_mono_us() - b->t0) / 1e6;
    double rate = secs > 0 ? (double)rows / secs : 0;
    double eta = rate > 0 && b->total > rows ? (double)(b->total - rows) / rate : 0;
    fprintf(stderr, "\r  人员 %zu / ~%zu 行  %.0f 行/秒  剩余约 %.0f 秒   ", rows, b->total, rate,
            eta);
}

int cli_import_people(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan import people --db DB FILE.csv [--skip-invalid] [--errors FILE]\n"
              "\nImports the population ledger. The CSV may be UTF-8 or GB18030/GBK (as Chinese\n"
              "Excel saves it; detected). Columns are matched by header, in Chinese or English:\n"
              "姓名 name, 性别 gender, 公民身份号码/身份证号 id_number, 出生日期 birth_date,\n"
              "民族, 联系电话/手机 phone, 人口类型 residence_type (户籍/流动/境外/留守),\n"
              "户籍地址, 现住址, 所属网格 area (a micro-grid code), 户号, 与户主关系, 标签.\n"
              "Every row is validated as the API validates it. A row whose ID number is already\n"
              "registered updates that person. Errors go to FILE.errors.csv (line, column,\n"
              "problem). By default a file with any error imports nothing; --skip-invalid\n"
              "imports the good rows.\n",
              stdout);
        return 0;
    }
    int skip = cli_take_flag(&argc, argv, "skip-invalid");
    const char *errpath = cli_take(&argc, argv, "errors");
    const char *file = argc >= 2 && strncmp(argv[argc - 1], "--", 2) != 0 &&
                               !(argc >= 3 && strncmp(argv[argc - 2], "--", 2) == 0)
                           ? argv[argc - 1]
                           : NULL;
    if (!file) {
        fprintf(stderr, "pingan import people: give the CSV file as the last argument\n");
        return 2;
    }
    argc--;
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    struct buf text = BUF_INIT;
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "pingan import people: cannot open %s: %s\n", file, strerror(errno));
        return 1;
    }
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&text, chunk, n);
    fclose(f);
    struct db *db = cli_open_store(&app);
    if (!db || cli_open_seal(&app) < 0) {
        buf_release(&text);
        return 1;
    }
    char errfile[1024];
    snprintf(errfile, sizeof(errfile), "%s", errpath ? errpath : "");
    if (!errpath)
        snprintf(errfile, sizeof(errfile), "%s.errors.csv", file);
    FILE *ef = fopen(errfile, "wb");
    if (!ef) {
        fprintf(stderr, "pingan import people: cannot write %s: %s\n", errfile, strerror(errno));
        db_close(db);
        buf_release(&text);
        return 1;
    }
    fputs("\xEF\xBB\xBF行号,列,错误代码,问题\r\n", ef); /* BOM: Excel opens it as UTF-8 */
    struct bar bar = {0, clock_mono_us(), isatty(STDERR_FILENO)};
    for (const char *p = text.ptr; (p = memchr(p, '\n', text.len - (size_t)(p - text.ptr)));
         p++)
        bar.total++;
    char today[11];
    clock_format_date_cn(clock_now_ms(), today, sizeof(today));
    struct person_import opt = {db, app.seal, "/", skip, clock_now_ms(), today, ef, 0,
                                show_progress, &bar};
    struct import_stats st;
    struct err e = ERR_INIT;
    int rc = 1;
    /* A bulk load touches random pages of the blind indexes: give it a page
     * cache of up to 1 GiB (this process only; the server keeps its own). */
    db_exec(db, "PRAGMA cache_size = -1048576");
    if (db_begin(db, 1) < 0)
        goto out;
    int r = person_import_csv(&opt, text.ptr, text.len, &st, NULL, &e);
    if (bar.tty)
        fputc('\n', stderr);
    double secs = (double)(clock_mono_us() - bar.t0) / 1e6;
    if (r < 0) {
        db_rollback(db);
        fprintf(stderr, "pingan import people: %s: %s%s%s\n", file, e.field ? e.field : "",
                e.field ? ": " : "", e.message);
        goto out;
    }
    if (r == 1) {
        db_rollback(db);
        fprintf(stderr,
                "pingan import people: %zu of %zu rows have errors (see %s); nothing was "
                "imported (use --skip-invalid to import the good rows)\n",
                st.invalid, st.rows, errfile);
        goto out;
    }
    struct audit_entry ae = {.at_ms = clock_now_ms(), .username = "(command line)",
                             .address = "local", .action = "person.import", .object = file,
                             .outcome = "ok"};
    if (audit_append(db, &ae) < 0 || db_commit(db) < 0) {
        db_rollback(db);
        goto out;
    }
    printf("imported %s (%s): %zu rows, %zu people added, %zu updated, %zu refused, %zu "
           "households added, in %.2f s (%.0f rows/s)\n",
           file, st.encoding, st.rows, st.created, st.updated, st.invalid, st.households_created,
           secs, secs > 0 ? (double)st.rows / secs : 0);
    if (st.invalid)
        printf("the refused rows are listed in %s\n", errfile);
    rc = 0;
out:
    fclose(ef);
    if (rc == 0 && st.invalid == 0)
        unlink(errfile);
    db_close(db);
    buf_release(&text);
    return rc;
}

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
