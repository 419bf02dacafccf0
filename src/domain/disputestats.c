#include "disputestats.h"

#include <string.h>
#include <xlsxwriter.h>

#include "domain/area.h"
#include "domain/dispute.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/xlsx.h"

/* The counts every breakdown has: registered, resolved, over the limit. */
#define COUNTS                                                                                     \
    "count(*), coalesce(sum(d.status = 'resolved'), 0), "                                          \
    "coalesce(sum(d.status = 'open' AND d.tier_deadline_ms < ?5), 0) "
#define PERIOD_WHERE "d.area_path >= ?1 AND d.area_path < ?2 AND d.created_ms >= ?3 AND d.created_ms < ?4 "

static void bind_range(sqlite3_stmt *st, struct arena *a, const char *scope, int64_t from,
                       int64_t to, int64_t now)
{
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, from);
    db_bind_int(st, 4, to);
    db_bind_int(st, 5, now);
}

static json_t *rate(long part, long whole)
{
    /* Percent with two decimals, e.g. 99.01 */
    return whole ? json_real((double)(part * 10000 / whole) / 100.0) : json_null();
}

static json_t *breakdown(struct db *db, struct arena *a, sqlite3_stmt *st, const char *scope,
                         int64_t from, int64_t to, int64_t now, const char *key)
{
    bind_range(st, a, scope, from, to, now);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(st, 2), res = (long)sqlite3_column_int64(st, 3);
        json_t *o = json_pack("{s:s,s:s,s:i,s:i,s:i,s:o}", key, db_col_text(st, 0), "name",
                              db_col_text(st, 1), "screened", (int)n, "resolved", (int)res,
                              "over_limit", (int)sqlite3_column_int64(st, 4), "rate", rate(res, n));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    (void)db;
    return arr;
}

json_t *dispute_stats_json(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                           int64_t to_ms, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT " COUNTS ", coalesce(sum(d.status = 'failed'), 0), "
            "coalesce(sum(d.status = 'open'), 0), coalesce(sum(d.status = 'controlled'), 0), "
            "coalesce(sum(d.status IN ('open','controlled') AND "
            "(d.risk_criminal = 1 OR d.risk_mass = 1)), 0), "
            "coalesce(sum(d.followup_done_ms IS NULL AND d.followup_due_ms < ?5), 0), "
            "coalesce(sum(d.court_done_ms IS NULL AND d.court_due_ms < ?5), 0) "
            "FROM dispute d WHERE " PERIOD_WHERE);
    bind_range(st, a, scope, from_ms, to_ms, now);
    json_t *o = json_object();
    if (sqlite3_step(st) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(st, 0), res = (long)sqlite3_column_int64(st, 1);
        static const char *const keys[] = {"screened", "resolved", "over_limit", "failed", "open",
                                           "controlled", "at_risk", "followup_overdue",
                                           "court_overdue"};
        for (int i = 0; i < 9; i++)
            json_object_set_new(o, keys[i], json_integer(sqlite3_column_int64(st, i)));
        json_object_set_new(o, "rate", rate(res, n));
    }
    sqlite3_reset(st);

    st = db_prepare(db, "SELECT d.type, t.name, " COUNTS "FROM dispute d "
                        "JOIN dispute_type t ON t.code = d.type WHERE " PERIOD_WHERE
                        "GROUP BY d.type ORDER BY count(*) DESC, t.ord");
    json_object_set_new(o, "by_type", breakdown(db, a, st, scope, from_ms, to_ms, now, "type"));
    st = db_prepare(db, "SELECT d.tier, tr.name, " COUNTS "FROM dispute d "
                        "JOIN dispute_tier tr ON tr.tier = d.tier WHERE " PERIOD_WHERE
                        "GROUP BY d.tier ORDER BY tr.ord");
    json_object_set_new(o, "by_tier", breakdown(db, a, st, scope, from_ms, to_ms, now, "tier"));
    /* By the scope's children: the child's path is the dispute's path cut
     * one id after the scope's (a dispute at the scope's own area keeps the
     * scope's path). The child is found by its path (unique index). */
    st = db_prepare(
        db, "SELECT c.code, c.name, " COUNTS "FROM dispute d JOIN area c ON c.path = "
            "substr(d.area_path, 1, length(?1) + instr(substr(d.area_path, length(?1) + 1), '/')) "
            "WHERE " PERIOD_WHERE "GROUP BY c.id ORDER BY c.code");
    json_object_set_new(o, "by_area", breakdown(db, a, st, scope, from_ms, to_ms, now, "code"));
    json_object_set_new(o, "from_ms", json_integer(from_ms));
    json_object_set_new(o, "to_ms", json_integer(to_ms));
    return o;
}

static void fmt_date(int64_t ms, char out[11])
{
    if (ms)
        clock_format_date_cn(ms, out, 11);
    else
        out[0] = '\0';
}

long dispute_export_xlsx(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                         int64_t to_ms, int64_t now, const char *path, struct err *e)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法创建 Excel 文件");
    lxw_format *head = xlsx_head_format(wb);
    static const char *const cols[] = {"编号",   "登记日期", "纠纷名称", "纠纷类型", "案件来源",
                                       "规模",   "涉及人数", "发生地",   "发生地编码", "当事人",
                                       "当前层级", "状态",   "风险",     "调解次数", "协议形式",
                                       "协议金额(元)", "结案日期", "超期", "回访"};
    static const double widths[] = {8,  12, 24, 16, 16, 8, 8, 20, 20, 24,
                                    10, 10, 12, 8,  8,  12, 12, 6, 10};
    lxw_worksheet *ws = xlsx_ledger_sheet(wb, "矛盾纠纷排查化解台账", cols, widths,
                                          (int)(sizeof(cols) / sizeof(cols[0])), head);
    sqlite3_stmt *st = db_prepare(
        db, "SELECT d.id, d.created_ms, d.title, t.name, d.source, d.scale, d.people_count, ar.name, "
            "ar.code, (SELECT group_concat(name, '、') FROM dispute_party p WHERE p.dispute_id = d.id), "
            "tr.name, d.status, d.risk_criminal, d.risk_mass, "
            "(SELECT count(*) FROM dispute_session s WHERE s.dispute_id = d.id), d.agreement_form, "
            "d.amount_cents, d.closed_ms, d.tier_deadline_ms, d.followup_due_ms, d.followup_done_ms "
            "FROM dispute d JOIN area ar ON ar.id = d.area_id JOIN dispute_type t ON t.code = d.type "
            "JOIN dispute_tier tr ON tr.tier = d.tier "
            "WHERE d.area_path >= ?1 AND d.area_path < ?2 AND d.created_ms >= ?3 AND d.created_ms < ?4 "
            "ORDER BY d.id");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, from_ms);
    db_bind_int(st, 4, to_ms);
    lxw_row_t row = 1;
    long n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && row < 1048576) {
        char d[11];
        worksheet_write_number(ws, row, 0, (double)sqlite3_column_int64(st, 0), NULL);
        fmt_date(sqlite3_column_int64(st, 1), d);
        worksheet_write_string(ws, row, 1, d, NULL);
        worksheet_write_string(ws, row, 2, db_col_text(st, 2), NULL);
        worksheet_write_string(ws, row, 3, db_col_text(st, 3), NULL);
        const char *src = dispute_source_name(db_col_text(st, 4));
        worksheet_write_string(ws, row, 4, src ? src : db_col_text(st, 4), NULL);
        const char *sc = dispute_scale_name(db_col_text(st, 5));
        worksheet_write_string(ws, row, 5, sc ? sc : db_col_text(st, 5), NULL);
        worksheet_write_number(ws, row, 6, (double)sqlite3_column_int64(st, 6), NULL);
        worksheet_write_string(ws, row, 7, db_col_text(st, 7), NULL);
        worksheet_write_string(ws, row, 8, db_col_text(st, 8), NULL);
        worksheet_write_string(ws, row, 9, db_col_text(st, 9), NULL);
        worksheet_write_string(ws, row, 10, db_col_text(st, 10), NULL);
        const char *status = db_col_text(st, 11);
        const char *sn = dispute_status_name(status);
        worksheet_write_string(ws, row, 11, sn ? sn : status, NULL);
        int crim = sqlite3_column_int(st, 12), mass = sqlite3_column_int(st, 13);
        worksheet_write_string(ws, row, 12,
                               crim && mass ? "民转刑、群体性" : crim ? "民转刑" : mass ? "群体性" : "",
                               NULL);
        worksheet_write_number(ws, row, 13, (double)sqlite3_column_int64(st, 14), NULL);
        const char *form = db_col_text(st, 15);
        worksheet_write_string(ws, row, 14,
                               strcmp(form, "written") == 0 ? "书面" : strcmp(form, "oral") == 0 ? "口头" : "",
                               NULL);
        if (sqlite3_column_type(st, 16) != SQLITE_NULL)
            worksheet_write_number(ws, row, 15, (double)sqlite3_column_int64(st, 16) / 100.0, NULL);
        fmt_date(sqlite3_column_int64(st, 17), d);
        worksheet_write_string(ws, row, 16, d, NULL);
        int64_t dl = sqlite3_column_int64(st, 18);
        worksheet_write_string(ws, row, 17, strcmp(status, "open") == 0 && dl && now > dl ? "是" : "",
                               NULL);
        int64_t fdue = sqlite3_column_int64(st, 19), fdone = sqlite3_column_int64(st, 20);
        worksheet_write_string(ws, row, 18,
                               fdone ? "已回访" : fdue ? (now > fdue ? "回访逾期" : "待回访") : "",
                               NULL);
        row++;
        n++;
    }
    sqlite3_reset(st);
    if (workbook_close(wb) != LXW_NO_ERROR)
        return err_set(e, ERR_INTERNAL, "export_failed", NULL, "无法写入 Excel 文件");
    return n;
}
