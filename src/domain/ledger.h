/*
 * ledger.h - what the imports of the county ledgers (台账) share.
 *
 * A ledger is a CSV (UTF-8 or GB18030/GBK, detected; util/csv.c) whose first
 * row names the columns, in Chinese or English, in any order. An importer
 * (personimport.c, householdimport.c, orgimport.c) gives its columns and a
 * function for one data row; this module reads the file, maps the header,
 * trims the cells, skips Excel's empty rows, collects the errors of the rows
 * (line, column, code, message in Chinese) into an error file and/or JSON,
 * keeps the micro-grids it looked up, reports progress and decides whether
 * the import may be committed. The caller holds one transaction around it:
 * all-or-nothing unless skip_invalid.
 */
#ifndef PINGAN_LEDGER_H
#define PINGAN_LEDGER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/arena.h"
#include "util/csv.h"
#include "util/err.h"
#include "util/strmap.h"

struct db;
struct seal;

/* The accepted header texts of a column: LEDGER_NAMES("姓名", "name"). */
#define LEDGER_NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* What an import is asked to do. */
struct ledger_opts {
    struct db *db;
    const struct seal *seal;
    const char *scope; /* area path the rows must lie in; "/" for everything */
    int skip_invalid;
    int64_t now;
    const char *today; /* YYYY-MM-DD, Asia/Shanghai (the test clock honoured) */
    FILE *errors;      /* CSV of (line, column, code, problem), or NULL */
    size_t max_errors_kept; /* errors also kept in memory as JSON (API), 0 = none */
    void (*progress)(void *ctx, size_t rows); /* every 10,000 rows, or NULL */
    void *progress_ctx;
};

struct import_stats {
    size_t rows;     /* data rows read */
    size_t created;  /* records added */
    size_t updated;  /* records found by their key (ID number, 户号, USCC) and updated */
    size_t invalid;  /* rows refused */
    size_t households_created; /* people: households made from 户号 */
    const char *encoding;
};

/* Every importer has this signature. Returns 0 when the import may be
 * committed (no error, or skip_invalid), 1 when rows were refused and
 * nothing may be committed, -1 with e when the file itself cannot be read
 * (encoding, CSV syntax, missing or duplicate columns, empty file) or the
 * database failed. errors_json: when not NULL, receives the first
 * max_errors_kept errors as [{line, column, code, message}] (caller frees). */
typedef int (*ledger_import_fn)(const struct ledger_opts *opt, const char *data, size_t len,
                                struct import_stats *stats, json_t **errors_json, struct err *e);

/* A micro-grid as the rows name it. */
struct ledger_area {
    int64_t id; /* 0: unknown or outside the scope (the same answer: no leak) */
    int ok;     /* inside the scope, active, a leaf */
};

/* One running import; importers read its members, never write them. */
struct ledger {
    const struct ledger_opts *opt;
    struct import_stats *st;
    const struct csv_column *cols;
    size_t ncols;
    const char **header; /* [ncols] the header text of each mapped column, or NULL */
    int *index;          /* [ncols] position in the row, or -1 */
    struct arena names;  /* header texts, cache keys */
    struct strmap areas;
    struct ledger_area *area_v;
    size_t narea, caparea;
    json_t *errors;
    struct err *e;
    int fatal;
};

/*
 * One data row: cells[c] is column c trimmed (spaces, tabs, U+3000, U+00A0
 * at both ends), or NULL when absent or empty; body is ledger_row_object of
 * them, for the importer to recode and validate (the reader frees it);
 * strings live in a, which is dropped after the call. Reports its own
 * problems (ledger_refuse and friends return 0 for that). Returns 0, or -1
 * after ledger_fail (the database failed: the import stops).
 */
typedef int (*ledger_row_fn)(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                             json_t *body, struct arena *a);

/* Reads the ledger in data with the columns cols[ncols] (their keys are the
 * JSON keys of the rows, see ledger_row_object) and calls row for each data
 * row. Returns as ledger_import_fn does. */
int ledger_read(const struct ledger_opts *opt, const struct csv_column *cols, size_t ncols,
                ledger_row_fn row, void *ctx, const char *data, size_t len,
                struct import_stats *stats, json_t **errors_json, struct err *e);

/* Refuses the row at line: counts it, writes it to the error file and the
 * JSON list. column: the header text shown (NULL: the row as a whole).
 * Returns 0 (the import goes on). */
int ledger_refuse(struct ledger *l, size_t line, const char *column, const char *code,
                  const char *message);
/* The same for an error value, at the given column. */
int ledger_report(struct ledger *l, size_t line, const char *column, const struct err *e);
/* The same at the column of e->field (ledger_column): a validation error. */
int ledger_invalid(struct ledger *l, size_t line, const struct err *e);
/* Stops the import with e (the database failed). Returns -1. */
int ledger_fail(struct ledger *l, const struct err *e);
/* After the row's write (rc < 0: failed with e): counts the row as updated
 * (updated) or created and returns 0; on failure stops the import if the
 * database failed (ERR_INTERNAL: returns -1), else refuses the row at the
 * column of e->field (returns 0). */
int ledger_written(struct ledger *l, size_t line, int updated, int rc, const struct err *e);

/* The header text of the column whose key starts an err.field ("lng" → 经度,
 * "tags[2]" → 标签), or field itself when no column matches; NULL for NULL. */
const char *ledger_column(const struct ledger *l, const char *field);
/* The header text of column c as the file wrote it (NULL if absent). */
const char *ledger_header(const struct ledger *l, size_t c);

/* Ledger wording to API values, for one JSON member: {"gender", "男", "M"}. */
struct ledger_code {
    const char *key, *from, *to;
};
/* Replaces the string values of obj that the table names. Values it does
 * not name stay, so that validation names them. */
void ledger_recode(json_t *obj, const struct ledger_code *codes, size_t n);
/* 是/否 (有/无, Y/N, 1/0, true/false) in member key to a JSON boolean; other
 * text stays a string (validation refuses it). */
void ledger_boolean(json_t *obj, const char *key);
/* A member holding a whole decimal number to a JSON integer (integer) or
 * real; other text stays a string (validation refuses it). */
void ledger_number(json_t *obj, const char *key, int integer);

/* The micro-grid with this code if it is a live leaf of the scope (looked
 * up once per import); else NULL, the row refused (area_not_found /
 * area_not_leaf at the column of "area"). */
const struct ledger_area *ledger_place(struct ledger *l, size_t line, const char *code);
/* The area path of a record by id, as person_area_path and its kin give it. */
typedef int (*ledger_path_fn)(struct db *db, struct arena *a, int64_t id, const char **path);
/* 1 if id is 0 (no record) or names a record whose area (path_of) lies in
 * the scope; 0 if it lies outside or does not exist. */
int ledger_in_scope(struct ledger *l, struct arena *a, int64_t id, ledger_path_fn path_of);
/* What every row keyed by one column (户号, USCC) passes after validation:
 * the key is given (else the row is refused at column key_col with
 * empty_field and why), then ledger_place. Returns the area, or NULL when
 * the row was refused. */
const struct ledger_area *ledger_keyed(struct ledger *l, size_t line, size_t key_col,
                                       const char *key, const char *why, const char *area);

#include "util/banned.h"
#endif
