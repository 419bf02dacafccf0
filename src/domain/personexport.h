/*
 * personexport.h - the population ledger (实有人口台账) as an Excel file.
 *
 * The people of a scope (optionally one residence type or one tag) written to an
 * XLSX with libxlsxwriter in constant-memory mode, so a county of a million
 * rows costs a file, not memory. Identifiers are masked unless reveal is set;
 * the caller decides who may reveal and audits it.
 */
#ifndef PINGAN_PERSONEXPORT_H
#define PINGAN_PERSONEXPORT_H

#include <stddef.h>

#include "domain/person.h"

/* Writes the ledger to path. Returns the number of people written, or -1
 * with e. */
long person_export_xlsx(struct db *db, struct arena *a, const struct seal *seal,
                        const char *scope, const struct person_query *qry, int reveal,
                        const char *path, struct err *e);

#include "util/banned.h"
#endif
