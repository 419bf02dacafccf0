/*
 * petitionexport.h - the petition ledger (信访台账) of a scope as an XLSX
 * workbook: one row a petition, petitioners' names only (identifiers stay
 * sealed), with status, clock, outcome, timeliness, repeat, level,
 * supervision and the petitioner's rating.
 */
#ifndef PINGAN_PETITIONEXPORT_H
#define PINGAN_PETITIONEXPORT_H

#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

/* Writes the petitions whose area lies under scope, received in
 * [from_ms, to_ms) (0: open), to path. The number of rows, or -1 with e. */
long petition_export_xlsx(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                          int64_t to_ms, int64_t now, const char *path, struct err *e);

#include "util/banned.h"
#endif
