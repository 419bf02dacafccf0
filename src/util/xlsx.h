/*
 * xlsx.h - the look every ledger (台账) the platform writes shares: a bold,
 * light-blue header row with set column widths, frozen while scrolling.
 */
#ifndef PINGAN_XLSX_H
#define PINGAN_XLSX_H

#include <xlsxwriter.h>

/* The header cells' format, owned by the workbook. */
lxw_format *xlsx_head_format(lxw_workbook *wb);
/* A new sheet `name` with the n column heads and widths in row 0, frozen;
 * the sheet is owned by the workbook. */
lxw_worksheet *xlsx_ledger_sheet(lxw_workbook *wb, const char *name, const char *const *cols,
                                 const double *widths, int n, lxw_format *head);

#include "banned.h"
#endif
