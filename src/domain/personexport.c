#include "personexport.h"

#include <sodium.h>
#include <string.h>
#include <xlsxwriter.h>

#include "domain/area.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/seal.h"
#include "util/xlsx.h"

static const char *residence_zh(const char *t)
{
    static const char *const map[][2] = {{"registered", "户籍"},
                                         {"floating", "流动"},
                                         {"overseas", "境外"},
                                         {"left_behind", "留守"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], t) == 0)
            return map[i][1];
    return t;
}

static int opened(const struct seal *seal, sqlite3_stmt *st, int col, const char *ctx,
                  struct buf *out, struct err *e)
{
    buf_reset(out);
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return 0;
    return seal_decrypt(seal, sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col),
                        ctx, out, e);
}

/* A sheet of the ledger with its header row. Excel holds 1,048,576 rows a
 * sheet: a larger ledger continues on 实有人口台账(2), (3)… */
#define SHEET_ROWS 1048576
static lxw_worksheet *new_sheet(lxw_workbook *wb, int n, lxw_format *head)
{
    static const char *const cols[] = {"姓名",   "性别",   "公民身份号码", "出生日期", "民族",
                                       "联系电话", "人口类型", "户籍地址",     "现住址",   "与户主关系",
                                       "户号",   "所属网格", "网格编码",     "标签"};
    static const double widths[] = {10, 6, 22, 12, 8, 16, 10, 30, 30, 10, 14, 16, 20, 16};
    char name[40];
    if (n == 1)
        snprintf(name, sizeof(name), "实有人口台账");
    else
        snprintf(name, sizeof(name), "实有人口台账(%d)", n);
    return xlsx_ledger_sheet(wb, name, cols, widths, (int)(sizeof(cols) / sizeof(cols[0])), head);
}

long person_export_xlsx(struct db *db, struct arena *a, const struct seal *seal,
                        const char *scope, const struct person_query *qry, int reveal,
                        const char *path, struct err *e)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    lxw_format *head = xlsx_head_format(wb);
    int sheets = 1;
    lxw_worksheet *ws = new_sheet(wb, sheets, head);
    /* Every person of the scope that matches the filters, in id order. The
     * filters are the search's, without its paging. */
    sqlite3_stmt *st = db_prepare(
        db, "SELECT p.name, p.gender, p.id_mask, p.birth_date, p.ethnicity, p.phone_mask, "
            "p.residence_type, p.registered_address, p.current_address, p.relation, h.hh_no, "
            "ar.name, ar.code, p.tags, p.id_enc, p.phone_enc "
            "FROM person p JOIN area ar ON ar.id = p.area_id "
            "LEFT JOIN household h ON h.id = p.household_id "
            "WHERE ar.path >= ?1 AND ar.path < ?2 AND (?3 IS NULL OR p.residence_type = ?3) "
            "AND (?4 IS NULL OR instr(p.tags, ',' || ?4 || ',') > 0) ORDER BY p.id");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_text(st, 3, qry->residence_type);
    db_bind_text(st, 4, qry->tag);
    long n = 0;
    struct buf idv = BUF_INIT, phv = BUF_INIT, tagbuf = BUF_INIT;
    lxw_row_t row = 1;
    int rc;
    int failed = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (row == SHEET_ROWS) {
            ws = new_sheet(wb, ++sheets, head);
            row = 1;
        }
        const char *v[14];
        for (int c = 0; c < 14; c++)
            v[c] = (const char *)sqlite3_column_text(st, c);
        const char *gender = v[1] ? (strcmp(v[1], "M") == 0 ? "男" : "女") : NULL;
        if (reveal) {
            if (opened(seal, st, 14, "person.id_number", &idv, e) < 0 ||
                opened(seal, st, 15, "person.phone", &phv, e) < 0) {
                failed = 1; /* never write a masked value where a clear one was asked */
                break;
            }
            v[2] = idv.len ? idv.ptr : v[2];
            v[5] = phv.len ? phv.ptr : v[5];
        }
        const char *out[14] = {v[0], gender, v[2], v[3], v[4], v[5],
                               residence_zh(v[6] ? v[6] : ""), v[7], v[8], v[9], v[10],
                               v[11], v[12], NULL};
        if (v[13] && *v[13]) {
            /* ",a,b," -> "a、b" */
            buf_reset(&tagbuf);
            for (const char *p = v[13] + 1; *p; p++) {
                if (*p != ',')
                    buf_addch(&tagbuf, *p);
                else if (p[1])
                    buf_addstr(&tagbuf, "、");
            }
            out[13] = tagbuf.ptr;
        }
        for (int c = 0; c < 14; c++)
            if (out[c] && *out[c])
                worksheet_write_string(ws, row, (lxw_col_t)c, out[c], NULL);
        row++;
        n++;
    }
    sqlite3_reset(st);
    if (reveal) {
        sodium_memzero(idv.ptr, idv.len);
        sodium_memzero(phv.ptr, phv.len);
    }
    buf_release(&idv);
    buf_release(&phv);
    buf_release(&tagbuf);
    int closed = workbook_close(wb) == LXW_NO_ERROR;
    if (failed)
        return -1;
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "读取人员数据失败: %s", db_errmsg(db));
    if (!closed)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "写入 Excel 文件失败");
    return n;
}
