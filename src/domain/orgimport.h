/*
 * orgimport.h - importing units (企业、社会组织、事业单位、学校、个体工商户)
 * from the "两新"组织 ledger.
 *
 * Columns (Chinese or English header): 统一社会信用代码 uscc, 名称 name,
 * 类别 kind (the codes of org.c or their Chinese names: 企业, 社会组织,
 * 事业单位, 学校, 个体工商户, 其他), 网格 area required; 地址 address,
 * 经度 lng, 纬度 lat, 法定代表人 legal_rep, 治保负责人 contact_name,
 * 联系电话 contact_phone, 员工数 employees, 是否有党组织 party_org and
 * 是否有工会 trade_union (是/否) optional. Each row becomes the JSON body of
 * POST /api/v1/orgs and is validated by org_from_json, so the import checks
 * whatever the API checks; then the micro-grid must lie in the caller's
 * scope and the point, when given, inside it.
 *
 * The USCC is the key and every row must have one: a unit registered with it
 * is updated (every field replaced by the row, empty cells clearing them), a
 * new one is created. A unit registered outside the caller's scope is
 * neither overwritten nor moved (uscc_exists). The caller holds one
 * transaction: all-or-nothing unless skip_invalid.
 */
#ifndef PINGAN_ORGIMPORT_H
#define PINGAN_ORGIMPORT_H

#include "domain/ledger.h"

/* A ledger_import_fn (see ledger.h for what it returns). */
int org_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                   struct import_stats *stats, json_t **errors_json, struct err *e);

#include "util/banned.h"
#endif
