/*
 * zeroimport.h - importing "三零" creation subjects (enterprises and
 * institutions) from a ledger naming registered units.
 *
 * Columns (Chinese or English header): 统一社会信用代码 uscc and 主管部门
 * department (the leading industry department, by name) required;
 * 主体类别 category (学校, 医院, 市场, 工厂 …) and 责任人 responsible
 * optional. The unit must be registered (the unit ledger, orgimport.h) and
 * lie in the caller's scope; a unit already a subject is updated. The
 * caller holds one transaction: all-or-nothing unless skip_invalid.
 */
#ifndef PINGAN_ZEROIMPORT_H
#define PINGAN_ZEROIMPORT_H

#include "domain/ledger.h"

/* A ledger_import_fn (see ledger.h for what it returns). */
int zero_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                    struct import_stats *stats, json_t **errors_json, struct err *e);

#include "util/banned.h"
#endif
