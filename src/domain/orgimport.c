#include "orgimport.h"

#include <string.h>

#include "domain/area.h"
#include "domain/boundary.h"
#include "domain/org.h"

enum col {
    C_USCC, C_NAME, C_KIND, C_ADDRESS, C_LNG, C_LAT, C_LEGAL, C_CONTACT, C_PHONE, C_EMPLOYEES,
    C_PARTY, C_UNION, C_AREA, NCOLS
};

static const struct csv_column columns[NCOLS] = {
    [C_USCC] = {"uscc", LEDGER_NAMES("统一社会信用代码", "信用代码", "uscc"), 1},
    [C_NAME] = {"name", LEDGER_NAMES("名称", "单位名称", "name"), 1},
    [C_KIND] = {"kind", LEDGER_NAMES("类别", "单位类别", "kind"), 1},
    [C_ADDRESS] = {"address", LEDGER_NAMES("地址", "住所", "address"), 0},
    [C_LNG] = {"lng", LEDGER_NAMES("经度", "lng"), 0},
    [C_LAT] = {"lat", LEDGER_NAMES("纬度", "lat"), 0},
    [C_LEGAL] = {"legal_rep", LEDGER_NAMES("法定代表人", "legal_rep"), 0},
    [C_CONTACT] = {"contact_name", LEDGER_NAMES("治保负责人", "contact_name"), 0},
    [C_PHONE] = {"contact_phone",
                 LEDGER_NAMES("联系电话", "治保负责人联系方式", "contact_phone"), 0},
    [C_EMPLOYEES] = {"employees", LEDGER_NAMES("员工数", "员工人数", "employees"), 0},
    [C_PARTY] = {"party_org", LEDGER_NAMES("是否有党组织", "是否有中共党组织", "party_org"), 0},
    [C_UNION] = {"trade_union", LEDGER_NAMES("是否有工会", "trade_union"), 0},
    [C_AREA] = {"area", LEDGER_NAMES("网格", "所属网格", "网格编码", "微网格编码", "grid", "area"), 1},
};

static int org_row(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                   json_t *body, struct arena *a)
{
    (void)ctx;
    const struct ledger_opts *opt = l->opt;
    const char *kind = cells[C_KIND] ? org_kind_key(cells[C_KIND]) : NULL;
    if (kind)
        json_object_set_new(body, "kind", json_string(kind));
    ledger_number(body, "employees", 1);
    ledger_number(body, "lng", 0);
    ledger_number(body, "lat", 0);
    ledger_boolean(body, "party_org");
    ledger_boolean(body, "trade_union");
    struct org_input in;
    struct err e = ERR_INIT;
    if (org_from_json(body, a, &in, &e) < 0)
        return ledger_invalid(l, line, &e);
    const struct ledger_area *ar = ledger_keyed(
        l, line, C_USCC, in.uscc, "统一社会信用代码不能为空：导入按统一社会信用代码识别单位", in.area);
    if (!ar)
        return 0;
    int inside = in.has_point ? boundary_contains(opt->db, ar->id, in.lng, in.lat) : 1;
    if (inside < 0) {
        err_set(&e, ERR_INTERNAL, "locate_failed", NULL, "无法读取网格边界");
        return ledger_fail(l, &e);
    }
    if (!inside)
        return ledger_refuse(l, line, ledger_header(l, C_LNG), "point_outside_area",
                             arena_printf(a, "坐标 (%.6f, %.6f) 不在所属网格 %s 内", in.lng, in.lat,
                                          in.area));
    int64_t id = org_find_by_uscc(opt->db, in.uscc);
    if (!ledger_in_scope(l, a, id, org_area_path))
        /* Registered by someone else: never overwritten or moved from here. */
        return ledger_refuse(l, line, ledger_header(l, C_USCC), "uscc_exists",
                             "该统一社会信用代码已在您管辖范围以外登记，请联系其所属网格");
    int rc = id ? org_update(opt->db, opt->seal, id, &in, ar->id, opt->now, &e)
                : (org_create(opt->db, opt->seal, &in, ar->id, opt->now, &e) < 0 ? -1 : 0);
    return ledger_written(l, line, id != 0, rc, &e);
}

int org_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                   struct import_stats *stats, json_t **errors_json, struct err *e)
{
    return ledger_read(opt, columns, NCOLS, org_row, NULL, data, len, stats, errors_json, e);
}
