/*
 * tableexport.h - a table of figures (rows of JSON objects, columns named by
 * key) written as CSV or XLSX, so that any statistics table the UI shows can
 * be downloaded as it is shown.
 *
 * CSV is UTF-8 with a byte-order mark (Excel then reads the Chinese
 * headings right), RFC 4180 quoting, CRLF line ends. Strings stay strings,
 * numbers numbers; a missing or null value is an empty cell. In XLSX a
 * column whose key ends in "_rate" is formatted as a percentage.
 */
#ifndef PINGAN_TABLEEXPORT_H
#define PINGAN_TABLEEXPORT_H

#include <jansson.h>

#include "util/err.h"

struct table_col {
    const char *key;  /* member of each row */
    const char *head; /* the heading */
};

enum table_format { TABLE_CSV, TABLE_XLSX };

/* Writes rows (an array of objects) under the headings of cols to path;
 * sheet names the XLSX sheet (at most 31 characters). 0, or -1 with e. */
int table_export(enum table_format fmt, const char *path, const char *sheet,
                 const struct table_col *cols, int ncols, json_t *rows, struct err *e);

#include "util/banned.h"
#endif
