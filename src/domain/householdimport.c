#include "householdimport.h"

#include <string.h>

#include "domain/area.h"
#include "domain/household.h"
#include "domain/house.h"
#include "domain/idnumber.h"
#include "domain/person.h"

enum col { C_HHNO, C_ADDRESS, C_AREA, C_HEAD, C_HOUSE, NCOLS };

static const struct csv_column columns[NCOLS] = {
    [C_HHNO] = {"hh_no", LEDGER_NAMES("户号", "hh_no"), 1},
    [C_ADDRESS] = {"address", LEDGER_NAMES("地址", "住址", "家庭住址", "address"), 1},
    [C_AREA] = {"area", LEDGER_NAMES("网格", "所属网格", "网格编码", "微网格编码", "grid", "area"), 1},
    [C_HEAD] = {"head_id_number",
                LEDGER_NAMES("户主身份证号", "户主身份证号码", "户主公民身份号码", "head_id_number"), 0},
    [C_HOUSE] = {"house_id", LEDGER_NAMES("房屋编号", "house_id"), 0},
};

/* The head named by ID number: registered and in scope, else 0 (refused). */
static int64_t head_of(struct ledger *l, size_t line, const char *id_number, struct arena *a)
{
    struct idnumber idn;
    struct err e = ERR_INIT;
    if (idnumber_parse_at(id_number, l->opt->today, &idn, ledger_header(l, C_HEAD), &e) < 0) {
        ledger_report(l, line, ledger_header(l, C_HEAD), &e);
        return 0;
    }
    int64_t id = person_find_by_id_number(l->opt->db, l->opt->seal, idn.id);
    if (id && ledger_in_scope(l, a, id, person_area_path))
        return id;
    ledger_refuse(l, line, ledger_header(l, C_HEAD), "head_not_found",
                  "户主身份证号对应的人员未登记或不在您的管辖范围内：请先登记或导入该人员");
    return 0;
}

static int household_row(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                         json_t *body, struct arena *a)
{
    (void)ctx;
    const struct ledger_opts *opt = l->opt;
    json_object_del(body, "head_id_number");
    ledger_number(body, "house_id", 1);
    struct household_input in;
    struct err e = ERR_INIT;
    if (household_from_json(body, &in, &e) < 0)
        return ledger_invalid(l, line, &e);
    const struct ledger_area *ar =
        ledger_keyed(l, line, C_HHNO, in.hh_no, "户号不能为空：导入按户号识别户", in.area);
    if (!ar)
        return 0;
    if (!ledger_in_scope(l, a, in.house_id, house_area_path))
        return ledger_refuse(l, line, ledger_header(l, C_HOUSE), "house_not_found",
                             "房屋编号不存在或不在您的管辖范围内");
    int64_t head = 0;
    if (cells[C_HEAD] && !(head = head_of(l, line, cells[C_HEAD], a)))
        return 0;
    int64_t id;
    int n = household_find_by_hh_no(opt->db, a, opt->scope, in.hh_no, &id);
    if (n > 1)
        return ledger_refuse(l, line, ledger_header(l, C_HHNO), "hh_no_ambiguous",
                             "您的管辖范围内已有多户使用该户号，无法确定更新哪一户：请在户信息中核对");
    if (n == 0 && (id = household_create(opt->db, &in, ar->id, opt->now, &e)) < 0)
        return ledger_written(l, line, 0, -1, &e);
    int rc = n == 1 ? household_update(opt->db, id, &in, ar->id, opt->now, &e) : 0;
    if (rc == 0 && head)
        rc = household_set_head(opt->db, id, head, &e);
    return ledger_written(l, line, n == 1, rc, &e);
}

int household_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                         struct import_stats *stats, json_t **errors_json, struct err *e)
{
    return ledger_read(opt, columns, NCOLS, household_row, NULL, data, len, stats, errors_json, e);
}
