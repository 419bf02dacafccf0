/*
 * personimport.h - importing people from the ledgers counties keep in Excel.
 *
 * Rows come from a CSV (UTF-8 or GB18030/GBK, detected; util/csv.c) whose
 * columns are matched by their Chinese or English header names. Every row is
 * validated exactly like an API request (person_from_json); a row whose ID
 * number is already registered updates that person instead of adding a
 * second one; a 户号 column groups people into households (created in the
 * row's micro-grid when new; relation 户主 makes the head). Errors are
 * collected with their line, column and problem. The caller holds one
 * transaction: all-or-nothing unless skip_invalid.
 */
#ifndef PINGAN_PERSONIMPORT_H
#define PINGAN_PERSONIMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <stdio.h>

#include "util/err.h"

struct db;
struct seal;

struct import_stats {
    size_t rows;     /* data rows read */
    size_t created;  /* people added */
    size_t updated;  /* people found by ID number and updated */
    size_t invalid;  /* rows refused */
    size_t households_created;
    const char *encoding;
};

struct person_import {
    struct db *db;
    const struct seal *seal;
    const char *scope; /* area path the rows must lie in; "/" for everything */
    int skip_invalid;
    int64_t now;
    const char *today;
    FILE *errors;      /* CSV of (line, column, problem), or NULL */
    size_t max_errors_kept; /* errors also kept in memory as JSON (API), 0 = none */
    void (*progress)(void *ctx, size_t rows); /* every 10,000 rows, or NULL */
    void *progress_ctx;
};

/* Imports the CSV in data. Returns 0 when the import may be committed (no
 * error, or skip_invalid), 1 when rows were refused and nothing may be
 * committed, -1 with e when the file itself cannot be read (encoding, CSV
 * syntax, missing required columns). errors_json: when not NULL, receives
 * the first max_errors_kept errors as [{line, column, code, message}]. */
int person_import_csv(const struct person_import *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e);

#include "util/banned.h"
#endif
