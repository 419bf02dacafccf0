#include "petitionexport.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "domain/area.h"
#include "domain/petition.h"
#include "domain/petitionclock.h"
#include "domain/petitionflow.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/xlsx.h"

#define NCOLS 20

/* Asia/Shanghai date and time, "YYYY-MM-DD HH:MM". */
static void local_time(int64_t ms, char *out, size_t size)
{
    char iso[40];
    clock_format_iso(ms + 8 * 3600 * 1000, iso, sizeof(iso));
    snprintf(out, size, "%.10s %.5s", iso, iso + 11);
}

long petition_export_xlsx(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                          int64_t to_ms, int64_t now, const char *path, struct err *e)
{
    static const char *const cols[NCOLS] = {
        "编号", "查询码",   "登记时间", "渠道",     "类别", "信访事项", "信访人",
        "人数", "发生地",   "涉及单位", "承办单位", "状态", "当前节点", "办理期限",
        "灯",   "答复意见", "按期答复", "重复信访", "越级", "满意度"};
    static const double widths[NCOLS] = {8,  12, 17, 8,  10, 36, 16, 6, 20, 16,
                                         16, 10, 12, 17, 6,  10, 8,  8, 6,  14};
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    lxw_format *head = xlsx_head_format(wb);
    lxw_worksheet *ws = xlsx_ledger_sheet(wb, "信访台账", cols, widths, NCOLS, head);
    sqlite3_stmt *st = db_prepare(
        db, "SELECT p.id, p.track_code, p.received_ms, p.channel, p.category, p.title, "
            "(SELECT group_concat(name, '、') FROM petitioner r WHERE r.petition_id = p.id), "
            "p.group_size, a.name, p.concerns, p.handler, p.status, p.node, p.deadline_ms, "
            "p.yellow_ms, coalesce(p.recheck_outcome, p.review_outcome, p.outcome), p.on_time, "
            "p.repeat_of, p.level, p.rating_handling, p.rating_result "
            "FROM petition p JOIN area a ON a.id = p.area_id "
            "WHERE p.area_path >= ?1 AND p.area_path < ?2 AND (?3 = 0 OR p.received_ms >= ?3) "
            "AND (?4 = 0 OR p.received_ms < ?4) ORDER BY p.id");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, from_ms);
    db_bind_int(st, 4, to_ms);
    long n = 0;
    lxw_row_t row = 1;
    int rc;
    static const char *const lights[][2] = {
        {"green", "绿"}, {"yellow", "黄"}, {"red", "红"}, {"none", ""}};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char received[32], deadline[32] = "", rating[64] = "";
        local_time(sqlite3_column_int64(st, 2), received, sizeof(received));
        const char *node = (const char *)sqlite3_column_text(st, 12);
        int64_t dl = sqlite3_column_int64(st, 13);
        if (node)
            local_time(dl, deadline, sizeof(deadline));
        const char *light = petitionclock_light(now, node ? dl : 0, sqlite3_column_int64(st, 14));
        for (size_t k = 0; k < 4; k++)
            if (strcmp(lights[k][0], light) == 0)
                light = lights[k][1];
        const char *rh = (const char *)sqlite3_column_text(st, 19);
        const char *rr = (const char *)sqlite3_column_text(st, 20);
        if (rr)
            snprintf(rating, sizeof(rating), "办理%s，结果%s", petition_rating_name(rh),
                     petition_rating_name(rr));
        const char *on_time = sqlite3_column_type(st, 16) == SQLITE_NULL ? ""
                              : sqlite3_column_int(st, 16)               ? "是"
                                                                         : "否";
        const char *level = (const char *)sqlite3_column_text(st, 18);
        const char *out[NCOLS] = {
            NULL,
            (const char *)sqlite3_column_text(st, 1),
            received,
            petition_channel_name((const char *)sqlite3_column_text(st, 3)),
            petition_category_name((const char *)sqlite3_column_text(st, 4)),
            (const char *)sqlite3_column_text(st, 5),
            (const char *)sqlite3_column_text(st, 6),
            NULL,
            (const char *)sqlite3_column_text(st, 8),
            (const char *)sqlite3_column_text(st, 9),
            (const char *)sqlite3_column_text(st, 10),
            petitionflow_status_name((const char *)sqlite3_column_text(st, 11)),
            petitionclock_node_name(node),
            deadline,
            light,
            petitionflow_outcome_name((const char *)sqlite3_column_text(st, 15)),
            on_time,
            sqlite3_column_type(st, 17) == SQLITE_NULL ? "" : "是",
            strcmp(level, "local") == 0 ? "" : petition_level_name(level),
            rating};
        worksheet_write_number(ws, row, 0, (double)sqlite3_column_int64(st, 0), NULL);
        worksheet_write_number(ws, row, 7, sqlite3_column_int(st, 7), NULL);
        for (int c = 1; c < NCOLS; c++)
            if (out[c] && *out[c])
                worksheet_write_string(ws, row, (lxw_col_t)c, out[c], NULL);
        row++;
        n++;
    }
    sqlite3_reset(st);
    int closed = workbook_close(wb) == LXW_NO_ERROR;
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "读取信访数据失败: %s", db_errmsg(db));
    if (!closed)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "写入 Excel 文件失败");
    return n;
}
