#include "cameraimport.h"

#include <math.h>
#include <string.h>

#include "domain/area.h"
#include "domain/camera.h"
#include "store/db.h"

enum col {
    C_CODE,
    C_NAME,
    C_KIND,
    C_OPERATOR,
    C_LNG,
    C_LAT,
    C_PLANNED,
    C_INSTALLED,
    C_CONNECTED,
    NCOLS
};

static const struct csv_column columns[NCOLS] = {
    [C_CODE] = {"code", LEDGER_NAMES("编码", "设备编码", "摄像机编码", "国标编码", "code"), 1},
    [C_NAME] = {"name", LEDGER_NAMES("名称", "点位名称", "摄像机名称", "name"), 1},
    [C_KIND] = {"kind", LEDGER_NAMES("类别", "点位类别", "kind"), 1},
    [C_OPERATOR] = {"operator", LEDGER_NAMES("运维单位", "建设单位", "operator"), 0},
    [C_LNG] = {"lng", LEDGER_NAMES("经度", "lng"), 1},
    [C_LAT] = {"lat", LEDGER_NAMES("纬度", "lat"), 1},
    [C_PLANNED] = {"planned_date", LEDGER_NAMES("计划日期", "计划建设日期", "planned_date"), 0},
    [C_INSTALLED] = {"installed_date", LEDGER_NAMES("安装日期", "建成日期", "installed_date"), 0},
    [C_CONNECTED] = {"connected_date", LEDGER_NAMES("联网日期", "接入日期", "connected_date"), 0},
};

/* The ledger's words for the kinds. */
static const struct ledger_code kinds[] = {
    {"kind", "公共区域", "public"},     {"kind", "公共", "public"},
    {"kind", "出入口卡口", "entrance"}, {"kind", "出入口", "entrance"},
    {"kind", "卡口", "entrance"},       {"kind", "道路交通", "road"},
    {"kind", "道路", "road"},           {"kind", "校园周边", "school"},
    {"kind", "校园", "school"},         {"kind", "学校", "school"},
    {"kind", "雪亮入户", "village"},    {"kind", "雪亮入户（数字乡村）", "village"},
    {"kind", "数字乡村", "village"},    {"kind", "入户", "village"},
    {"kind", "商户单位", "business"},   {"kind", "商户", "business"},
    {"kind", "其他", "other"},
};

static int camera_row(struct ledger *l, void *ctx, size_t line, const char *const *cells,
                      json_t *body, struct arena *a)
{
    (void)ctx;
    (void)cells;
    const struct ledger_opts *opt = l->opt;
    ledger_recode(body, kinds, sizeof(kinds) / sizeof(kinds[0]));
    ledger_number(body, "lng", 0);
    ledger_number(body, "lat", 0);
    struct camera_input in;
    struct err e = ERR_INIT;
    if (camera_from_json(body, &in, &e) < 0)
        return ledger_invalid(l, line, &e);
    sqlite3_stmt *st =
        db_prepare(opt->db, "SELECT id, area_path, lng, lat FROM camera WHERE code = ?");
    db_bind_text(st, 1, in.code);
    int64_t id = 0;
    int inside = 0;
    double lng = 0, lat = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        inside = area_path_within(opt->scope, db_col_text(st, 1));
        lng = sqlite3_column_double(st, 2);
        lat = sqlite3_column_double(st, 3);
    }
    sqlite3_reset(st);
    if (!id) {
        int64_t made = camera_create(opt->db, a, &in, opt->scope, opt->now, &e);
        return ledger_written(l, line, 0, made < 0 ? -1 : 0, &e);
    }
    if (!inside)
        /* Registered by someone else: never overwritten from here. */
        return ledger_refuse(l, line, ledger_header(l, C_CODE), "camera_exists",
                             "该编码的摄像机已在您管辖范围以外登记");
    if (fabs(lng - in.lng) > 1e-7 || fabs(lat - in.lat) > 1e-7)
        return ledger_refuse(l, line, ledger_header(l, C_LNG), "point_changed",
                             "已登记摄像机的坐标不能修改：迁移的摄像机请按新点位登记新编码");
    json_t *upd = json_deep_copy(body);
    json_object_del(upd, "code");
    json_object_del(upd, "lng");
    json_object_del(upd, "lat");
    /* Empty cells clear a date, as the ledger is the record. */
    for (int c = C_PLANNED; c <= C_CONNECTED; c++)
        if (!json_object_get(upd, columns[c].key))
            json_object_set_new(upd, columns[c].key, json_null());
    int rc = camera_update(opt->db, a, id, upd, opt->now, &e);
    json_decref(upd);
    return ledger_written(l, line, 1, rc, &e);
}

int camera_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e)
{
    return ledger_read(opt, columns, NCOLS, camera_row, NULL, data, len, stats, errors_json, e);
}
