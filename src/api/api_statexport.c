/*
 * 统计表导出: the tables of /stats/events and /stats/events/series as CSV or
 * XLSX. The figures are the JSON routes' own answer (their handler runs with
 * the same query and scope, so the parameters mean exactly the same), then
 * laid out as one table: the one breakdown asked for (`by`) under a 合计 row, or the series one
 * period a row.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "domain/tableexport.h"
#include "util/clock.h"

static const struct table_col figure_cols[] = {{"key", "编码"},
                                               {"name", "名称"},
                                               {"reported", "上报"},
                                               {"accepted", "受理"},
                                               {"open", "在办"},
                                               {"resolved", "办结"},
                                               {"rejected", "不予立案"},
                                               {"merged", "合并"},
                                               {"red", "超期（红灯）"},
                                               {"yellow", "临期（黄灯）"},
                                               {"late", "曾超时"},
                                               {"rated", "已评价"},
                                               {"resolution_rate", "办结率"},
                                               {"on_time_rate", "按时办结率"},
                                               {"avg_handle_hours", "平均办理时长（小时）"},
                                               {"satisfaction_rate", "满意率"},
                                               {"avg_rating", "平均评分"}};

static const struct table_col series_cols[] = {{"start", "起始日期"},
                                               {"reported", "上报"},
                                               {"resolved", "办结"},
                                               {"late", "曾超时"},
                                               {"rated", "已评价"},
                                               {"avg_handle_hours", "平均办理时长（小时）"},
                                               {"satisfaction_rate", "满意率"}};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The answer the JSON handler left in r->out, taken back as an object. */
static json_t *taken_answer(struct req *r)
{
    json_t *o = json_loadb(r->out.ptr, r->out.len, 0, NULL);
    buf_reset(&r->out);
    if (!o)
        req_fail(r, 500, "export_failed", NULL, "无法生成导出表格");
    return o;
}

static int send_table(struct req *r, enum table_format fmt, const char *sheet, const char *base,
                      const struct table_col *cols, int ncols, json_t *rows)
{
    struct err e = ERR_INIT;
    char path[] = "/tmp/pingan-table-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法创建临时文件");
    close(fd);
    int rc = table_export(fmt, path, sheet, cols, ncols, rows, &e);
    fd = rc == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);
    if (rc < 0)
        return req_fail_err(r, &e);
    if (fd < 0)
        return req_fail(r, 500, "export_failed", NULL, "无法读取导出文件");
    return reply_file(r, fd,
                      fmt == TABLE_CSV
                          ? "text/csv; charset=utf-8"
                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      arena_printf(&r->arena, "%s.%s", base, fmt == TABLE_CSV ? "csv" : "xlsx"));
}

static int events_table(struct req *r, enum table_format fmt)
{
    const char *by = req_query(r, "by");
    if (!by || !*by)
        return req_fail(r, 400, "missing_field", "by",
                        "导出表格须用 by 指定一个维度（如 by=child）");
    if (strchr(by, ','))
        return req_fail(r, 400, "invalid_query", "by", "导出表格时 by 只能是一个维度");
    if (api_stats_events(r) < 0 || r->failed)
        return -1;
    json_t *o = taken_answer(r);
    if (!o)
        return -1;
    static const char *const names[][2] = {{"status", "按状态"}, {"light", "按红黄绿灯"},
                                           {"source", "按来源"}, {"minor", "按小类"},
                                           {"major", "按大类"},  {"child", "按下级区域"}};
    const char *label = by;
    for (int i = 0; i < N(names); i++)
        if (strcmp(names[i][0], by) == 0)
            label = names[i][1];
    json_t *rows = json_array();
    json_t *total = json_deep_copy(json_object_get(o, "totals"));
    json_object_set_new(total, "key", json_string(""));
    json_object_set_new(total, "name", json_string("合计"));
    json_array_append_new(rows, total);
    json_array_extend(rows, json_object_get(json_object_get(o, "by"), by));
    json_t *area = json_object_get(o, "area"), *per = json_object_get(o, "period");
    const char *base = arena_printf(&r->arena, "事件统计-%s-%s-%s至%s",
                                    json_string_value(json_object_get(area, "name")), label,
                                    json_string_value(json_object_get(per, "from")),
                                    json_string_value(json_object_get(per, "to")));
    int rc = send_table(r, fmt, label, base, figure_cols, N(figure_cols), rows);
    json_decref(rows);
    json_decref(o);
    return rc;
}

static int series_table(struct req *r, enum table_format fmt)
{
    if (api_stats_series(r) < 0 || r->failed)
        return -1;
    json_t *o = taken_answer(r);
    if (!o)
        return -1;
    json_t *items = json_object_get(o, "items"), *area = json_object_get(o, "area");
    const char *first = json_string_value(json_object_get(json_array_get(items, 0), "start"));
    const char *last = json_string_value(
        json_object_get(json_array_get(items, json_array_size(items) - 1), "start"));
    const char *base = arena_printf(&r->arena, "事件趋势-%s-%s至%s",
                                    json_string_value(json_object_get(area, "name")),
                                    first ? first : "", last ? last : "");
    int rc = send_table(r, fmt, "趋势", base, series_cols, N(series_cols), items);
    json_decref(o);
    return rc;
}

int api_stats_events_csv(struct req *r)
{
    return events_table(r, TABLE_CSV);
}
int api_stats_events_xlsx(struct req *r)
{
    return events_table(r, TABLE_XLSX);
}
int api_stats_series_csv(struct req *r)
{
    return series_table(r, TABLE_CSV);
}
int api_stats_series_xlsx(struct req *r)
{
    return series_table(r, TABLE_XLSX);
}
