/*
 * householdimport.h - importing households from the household ledger (户台账).
 *
 * Columns (Chinese or English header): 户号 hh_no, 地址 address, 网格 area
 * (a micro-grid code) required; 户主身份证号 head_id_number and 房屋编号
 * house_id optional. Each row is validated as POST /api/v1/households
 * validates it (household_from_json), then:
 * - the micro-grid, the house and the head must lie in the caller's scope;
 *   the head is found by ID number through the person module's blind index
 *   and must already be registered;
 * - the 户号 is the key: a household of the caller's scope with this 户号 is
 *   updated (address, micro-grid; house and head when given, kept when the
 *   cell is empty), none is created, two or more refuse the row
 *   (hh_no_ambiguous). Households outside the scope are neither seen nor
 *   touched. A 户号 met twice in one file: the later row updates.
 * The caller holds one transaction: all-or-nothing unless skip_invalid.
 */
#ifndef PINGAN_HOUSEHOLDIMPORT_H
#define PINGAN_HOUSEHOLDIMPORT_H

#include "domain/ledger.h"

/* A ledger_import_fn (see ledger.h for what it returns). */
int household_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                         struct import_stats *stats, json_t **errors_json, struct err *e);

#include "util/banned.h"
#endif
