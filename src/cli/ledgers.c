/* pingan import people|households|orgs: the county ledgers from CSV (UTF-8 or GBK). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/householdimport.h"
#include "domain/orgimport.h"
#include "domain/personimport.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/seal.h"

struct ledger_cli {
    const char *noun;   /* the subcommand */
    const char *things; /* what rows make, in the summary line */
    const char *label;  /* on the progress bar */
    const char *action; /* audit action, as the API's */
    ledger_import_fn import;
    const char *columns; /* the help's paragraph on the columns */
};

static const struct ledger_cli ledgers[] = {
    {"people", "people", "人员", "person.import", person_import_csv,
     "Imports the population ledger. Columns: 姓名 name, 性别 gender, 公民身份号码/身份证号\n"
     "id_number, 出生日期 birth_date, 民族, 联系电话/手机 phone, 人口类型 residence_type\n"
     "(户籍/流动/境外/留守), 户籍地址, 现住址, 所属网格 area (a micro-grid code), 户号,\n"
     "与户主关系, 标签. A row whose ID number is already registered updates that person.\n"},
    {"households", "households", "户", "household.import", household_import_csv,
     "Imports the household ledger. Columns: 户号 hh_no, 地址 address, 网格/所属网格 area\n"
     "(a micro-grid code), 户主身份证号 head_id_number (optional: a person already\n"
     "registered), 房屋编号 house_id (optional). A row whose 户号 names a household\n"
     "already registered updates it; an empty 户主/房屋 cell keeps what it had.\n"},
    {"orgs", "units", "单位", "org.import", org_import_csv,
     "Imports the ledger of units (\"两新\"组织, schools, institutions). Columns:\n"
     "统一社会信用代码 uscc, 名称 name, 类别 kind (企业/社会组织/事业单位/学校/个体工商户/\n"
     "其他 or their codes), 网格 area (a micro-grid code); optional 地址, 经度 lng, 纬度 lat,\n"
     "法定代表人, 治保负责人, 联系电话, 员工数, 是否有党组织, 是否有工会 (是/否). A row\n"
     "whose USCC is already registered updates that unit.\n"},
};

struct bar {
    const char *label;
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
    fprintf(stderr, "\r  %s %zu / ~%zu 行  %.0f 行/秒  剩余约 %.0f 秒   ", b->label, rows, b->total,
            rate, eta);
}

static int import_ledger(const struct ledger_cli *k, int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        printf("usage: pingan import %s --db DB FILE.csv [--skip-invalid] [--errors FILE]\n\n"
               "%s"
               "The CSV may be UTF-8 or GB18030/GBK (as Chinese Excel saves it; detected);\n"
               "columns are matched by header, in Chinese or English, in any order. Every row\n"
               "is validated as the API validates it. Errors go to FILE.errors.csv (line,\n"
               "column, code, problem) or --errors FILE. By default a file with any error\n"
               "imports nothing; --skip-invalid imports the good rows.\n",
               k->noun, k->columns);
        return 0;
    }
    int skip = cli_take_flag(&argc, argv, "skip-invalid");
    const char *errpath = cli_take(&argc, argv, "errors");
    const char *file = argc >= 2 && strncmp(argv[argc - 1], "--", 2) != 0 &&
                               !(argc >= 3 && strncmp(argv[argc - 2], "--", 2) == 0)
                           ? argv[argc - 1]
                           : NULL;
    if (!file) {
        fprintf(stderr, "pingan import %s: give the CSV file as the last argument\n", k->noun);
        return 2;
    }
    argc--;
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    struct buf text = BUF_INIT;
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "pingan import %s: cannot open %s: %s\n", k->noun, file, strerror(errno));
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
        fprintf(stderr, "pingan import %s: cannot write %s: %s\n", k->noun, errfile,
                strerror(errno));
        db_close(db);
        buf_release(&text);
        return 1;
    }
    fputs("\xEF\xBB\xBF行号,列,错误代码,问题\r\n", ef); /* BOM: Excel opens it as UTF-8 */
    struct bar bar = {k->label, 0, clock_mono_us(), isatty(STDERR_FILENO)};
    for (const char *p = text.ptr; (p = memchr(p, '\n', text.len - (size_t)(p - text.ptr)));
         p++)
        bar.total++;
    char today[11];
    clock_format_date_cn(clock_now_ms(), today, sizeof(today));
    struct ledger_opts opt = {db, app.seal, "/", skip, clock_now_ms(), today, ef, 0,
                              show_progress, &bar};
    struct import_stats st = {0};
    struct err e = ERR_INIT;
    int rc = 1;
    /* A bulk load touches random pages of the blind indexes: give it a page
     * cache of up to 1 GiB (this process only; the server keeps its own). */
    db_exec(db, "PRAGMA cache_size = -1048576");
    if (db_begin(db, 1) < 0)
        goto out;
    int r = k->import(&opt, text.ptr, text.len, &st, NULL, &e);
    if (bar.tty)
        fputc('\n', stderr);
    double secs = (double)(clock_mono_us() - bar.t0) / 1e6;
    if (r < 0) {
        db_rollback(db);
        fprintf(stderr, "pingan import %s: %s: %s%s%s\n", k->noun, file, e.field ? e.field : "",
                e.field ? ": " : "", e.message);
        goto out;
    }
    if (r == 1) {
        db_rollback(db);
        fprintf(stderr,
                "pingan import %s: %zu of %zu rows have errors (see %s); nothing was "
                "imported (use --skip-invalid to import the good rows)\n",
                k->noun, st.invalid, st.rows, errfile);
        goto out;
    }
    json_t *detail = json_pack("{s:I,s:I,s:I,s:I}", "rows", (json_int_t)st.rows, "created",
                               (json_int_t)st.created, "updated", (json_int_t)st.updated,
                               "invalid", (json_int_t)st.invalid);
    struct audit_entry ae = {.at_ms = clock_now_ms(), .username = "(command line)",
                             .address = "local", .action = k->action, .object = file,
                             .outcome = "ok", .detail = detail};
    int audited = audit_append(db, &ae);
    json_decref(detail);
    if (audited < 0 || db_commit(db) < 0) {
        db_rollback(db);
        goto out;
    }
    printf("imported %s (%s): %zu rows, %zu %s added, %zu updated, %zu refused", file,
           st.encoding, st.rows, st.created, k->things, st.updated, st.invalid);
    if (k->import == person_import_csv)
        printf(", %zu households added", st.households_created);
    printf(", in %.2f s (%.0f rows/s)\n", secs, secs > 0 ? (double)st.rows / secs : 0);
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

int cli_import_ledger(int argc, char **argv)
{
    for (size_t i = 0; argc >= 1 && i < sizeof(ledgers) / sizeof(ledgers[0]); i++)
        if (strcmp(argv[0], ledgers[i].noun) == 0)
            return import_ledger(&ledgers[i], argc, argv);
    return -1;
}
