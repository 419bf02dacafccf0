#include "xlsx.h"

lxw_format *xlsx_head_format(lxw_workbook *wb)
{
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    return head;
}

lxw_worksheet *xlsx_ledger_sheet(lxw_workbook *wb, const char *name, const char *const *cols,
                                 const double *widths, int n, lxw_format *head)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    for (int c = 0; c < n; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}
