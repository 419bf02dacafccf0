/*
 * cameraimport.h - importing the camera ledger (雪亮工程点位台账) that
 * counties keep in Excel.
 *
 * Columns (Chinese or English header): 编码 code, 名称 name, 类别 kind (the
 * codes of camera.c or their Chinese names: 公共区域, 出入口/卡口, 道路交通,
 * 校园周边, 雪亮入户, 商户单位, 其他), 经度 lng, 纬度 lat required; 运维单位
 * operator, 计划日期 planned_date, 安装日期 installed_date, 联网日期
 * connected_date optional. Each row becomes the JSON body of POST
 * /api/v1/cameras and is validated by camera_from_json, so the import checks
 * what the API checks; the point is located to its micro-grid, which must
 * lie in the caller's scope.
 *
 * The code is the key: a camera registered with it is updated (name, kind,
 * operator and dates, as PATCH does; its point must be the same — a moved
 * camera is a new one), a new one is created. A camera registered outside
 * the caller's scope is not touched (camera_exists). The caller holds one
 * transaction: all-or-nothing unless skip_invalid.
 */
#ifndef PINGAN_CAMERAIMPORT_H
#define PINGAN_CAMERAIMPORT_H

#include "domain/ledger.h"

/* A ledger_import_fn (see ledger.h for what it returns). */
int camera_import_csv(const struct ledger_opts *opt, const char *data, size_t len,
                      struct import_stats *stats, json_t **errors_json, struct err *e);

#include "util/banned.h"
#endif
