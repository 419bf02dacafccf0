#include "zeroimport.h"

#include <string.h>

#include "domain/org.h"
#include "domain/uscc.h"
#include "domain/zero.h"
#include "store/db.h"

enum col { C_USCC, C_DEPT, C_CATEGORY, C_RESPONSIBLE, NCOLS };

static const struct csv_column columns[NCOLS] = {
    [C_USCC] = {"uscc", LEDGER_NAMES("统一社会信用代码", "信用代码", "uscc"), 1},
    [C_DEPT] = {"department", LEDGER_NAMES("主管部门", "行业主管部门", "department"), 1},
    [C_CATEGORY] = {"category", LEDGER_NAMES("主体类别", "类别", "category"), 0},
    [C_RESPONSIBLE] = {"responsible", LEDGER_NAMES("责任人", "负责人", "responsible"), 0},
};

static int zero_row(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                    json_t *body, struct arena *a)
{
    (void)ctx;
    const struct ledger_opts *opt = l->opt;
    const char *raw = cells[C_USCC];
    json_object_del(body, "uscc");
    struct zero_subject_input in;
    struct err e = ERR_INIT;
    char code[19];
    if (!raw)
        return ledger_refuse(l, line, ledger_header(l, C_USCC), "empty_field",
                             "统一社会信用代码不能为空");
    if (uscc_parse(raw, code, "uscc", &e) < 0)
        return ledger_invalid(l, line, &e);
    int64_t org = org_find_by_uscc(opt->db, code);
    if (!org || !ledger_in_scope(l, a, org, org_area_path))
        return ledger_refuse(l, line, ledger_header(l, C_USCC), "org_not_found",
                             "该统一社会信用代码的单位未在您管辖范围内登记，请先导入单位台账");
    json_object_set_new(body, "org_id", json_integer(org));
    if (zero_subject_from_json(body, 1, &in, &e) < 0)
        return ledger_invalid(l, line, &e);
    int64_t id = db_id_by_text(opt->db, "SELECT id FROM zero_subject WHERE org_id = ?",
                               arena_printf(a, "%lld", (long long)org));
    int rc, existed = id != 0;
    if (id) {
        rc = zero_subject_update(opt->db, id, &in, &e);
    } else {
        id = zero_subject_create(opt->db, a, &in, opt->now, &e);
        rc = id < 0 ? -1 : 0;
    }
    if (rc == 0 && zero_recompute(opt->db, a, id, opt->now) < 0) {
        err_set(&e, ERR_INTERNAL, "db_error", NULL, "数据库错误");
        rc = -1;
    }
    return ledger_written(l, line, existed, rc, &e);
}

int zero_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                    struct import_stats *stats, json_t **errors_json, struct err *e)
{
    return ledger_read(opt, columns, NCOLS, zero_row, NULL, data, len, stats, errors_json, e);
}
