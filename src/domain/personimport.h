/*
 * personimport.h - importing people from the population ledger (实有人口台账).
 *
 * Columns are matched by their Chinese or English header names (ledger.h
 * reads the file). Every row is validated exactly like an API request
 * (person_from_json); a row whose ID number is already registered updates
 * that person instead of adding a second one; a 户号 column groups people
 * into households (created in the row's micro-grid when new; relation 户主
 * makes the head). The caller holds one transaction: all-or-nothing unless
 * skip_invalid.
 */
#ifndef PINGAN_PERSONIMPORT_H
#define PINGAN_PERSONIMPORT_H

#include "domain/ledger.h"

/* A ledger_import_fn (see ledger.h for what it returns). */
int person_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e);

#include "util/banned.h"
#endif
