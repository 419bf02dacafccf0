/* tableexport.c - figures tables as CSV (UTF-8, BOM) or XLSX. */
#include "tableexport.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util/buf.h"
#include "util/xlsx.h"

static int is_rate(const char *key)
{
    size_t n = strlen(key);
    return n >= 5 && strcmp(key + n - 5, "_rate") == 0;
}

static void csv_cell(struct buf *b, json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        /* A leading = + - @ would be a formula in a spreadsheet: quoted
         * with an apostrophe so a name cannot run as one. */
        int quote = strpbrk(s, ",\"\r\n") != NULL || (s[0] && strchr("=+-@", s[0]) != NULL);
        if (!quote) {
            buf_addstr(b, s);
            return;
        }
        buf_addch(b, '"');
        if (s[0] && strchr("=+-@", s[0]))
            buf_addch(b, '\'');
        for (; *s; s++) {
            if (*s == '"')
                buf_addch(b, '"');
            buf_addch(b, *s);
        }
        buf_addch(b, '"');
    } else if (json_is_integer(v)) {
        buf_addf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        buf_addf(b, "%.4f", json_real_value(v));
    }
}

static int write_csv(const char *path, const struct table_col *cols, int ncols, json_t *rows,
                     struct err *e)
{
    struct buf b = BUF_INIT;
    buf_addstr(&b, "\xEF\xBB\xBF");
    for (int c = 0; c < ncols; c++) {
        if (c)
            buf_addch(&b, ',');
        json_t *h = json_string(cols[c].head);
        csv_cell(&b, h);
        json_decref(h);
    }
    buf_addstr(&b, "\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        for (int c = 0; c < ncols; c++) {
            if (c)
                buf_addch(&b, ',');
            csv_cell(&b, json_object_get(row, cols[c].key));
        }
        buf_addstr(&b, "\r\n");
    }
    FILE *fp = fopen(path, "wb");
    int ok = fp && fwrite(b.ptr, 1, b.len, fp) == b.len;
    if (fp && fclose(fp) != 0)
        ok = 0;
    buf_release(&b);
    if (!ok)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法写入导出文件");
    return 0;
}

static int write_xlsx(const char *path, const char *sheet, const struct table_col *cols, int ncols,
                      json_t *rows, struct err *e)
{
    /* Constant-memory mode: rows are written in order, strings inline. */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    lxw_format *head = xlsx_head_format(wb), *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.00%");
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    for (int c = 0; c < ncols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].head, head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c < 2 ? 16 : 12, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        lxw_row_t r = (lxw_row_t)(i + 1);
        for (int c = 0; c < ncols; c++) {
            json_t *v = json_object_get(row, cols[c].key);
            if (json_is_string(v))
                worksheet_write_string(ws, r, (lxw_col_t)c, json_string_value(v), NULL);
            else if (json_is_number(v))
                worksheet_write_number(ws, r, (lxw_col_t)c, json_number_value(v),
                                       is_rate(cols[c].key) ? pct : NULL);
        }
    }
    if (workbook_close(wb) != LXW_NO_ERROR)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法写入 Excel 文件");
    return 0;
}

int table_export(enum table_format fmt, const char *path, const char *sheet,
                 const struct table_col *cols, int ncols, json_t *rows, struct err *e)
{
    return fmt == TABLE_CSV ? write_csv(path, cols, ncols, rows, e)
                            : write_xlsx(path, sheet, cols, ncols, rows, e);
}
