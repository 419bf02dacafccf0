#include "zeroletter.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/zero.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/jsonfield.h"

/* The subject's name, kind, its department's name and its area's parent's
 * name (a village's township). */
struct addressed {
    const char *name, *kind, *department, *parent, *responsible;
};

static int addressed_of(struct db *db, struct arena *a, int64_t id, struct addressed *o)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT z.name, z.kind, d.name, p.name, z.responsible FROM zero_subject z JOIN area "
            "ar ON ar.id = z.area_id LEFT JOIN area p ON p.id = ar.parent_id LEFT JOIN department "
            "d ON d.id = z.department_id WHERE z.id = ?");
    db_bind_int(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o->name = arena_strdup(a, db_col_text(st, 0));
        o->kind = arena_strdup(a, db_col_text(st, 1));
        o->department = db_col_text_or_null(st, 2) ? arena_strdup(a, db_col_text(st, 2)) : NULL;
        o->parent = arena_strdup(a, db_col_text(st, 3));
        o->responsible = db_col_text_or_null(st, 4) ? arena_strdup(a, db_col_text(st, 4)) : NULL;
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int64_t zero_letter_create(struct db *db, struct arena *a, int64_t subject_id, json_t *body,
                           const char *by, int64_t now, struct err *e)
{
    static const char *const allowed[] = {"kind", "deadline", "note", NULL};
    const char *kind = NULL, *deadline = NULL, *note = NULL;
    if (jf_only(body, allowed, e) < 0 || jf_str(body, "kind", 1, 16, &kind, e) < 0 ||
        jf_str(body, "deadline", 0, 10, &deadline, e) < 0 ||
        jf_str(body, "note", 0, 500, &note, e) < 0)
        return -1;
    int warning = strcmp(kind, "warning") == 0;
    if (!warning && strcmp(kind, "supervision"))
        return err_set(e, ERR_INVALID, "invalid_kind", "kind",
                       "函件类型应为 warning 或 supervision");
    if (deadline && clock_valid_date(deadline) != 0)
        return err_set(e, ERR_INVALID, "invalid_date", "deadline", "回复期限应为 YYYY-MM-DD 日期");
    struct addressed ad;
    if (addressed_of(db, a, subject_id, &ad) < 0)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "创建主体不存在");
    char year[8];
    int64_t from, to, m[ZM_COUNT];
    zero_period_year(now, year, sizeof(year));
    struct zero_settings s;
    json_t *events = NULL;
    if (zero_period_parse(year, "period", &from, &to, e) < 0 || zero_settings_load(db, a, &s) < 0 ||
        zero_measure(db, a, &s, subject_id, from, to, now, m, &events) < 0) {
        json_decref(events);
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "无法统计创建主体");
    }
    if (json_array_size(events) == 0) {
        json_decref(events);
        return err_set(e, ERR_CONFLICT, "not_broken", "kind", "该主体本年度未破零，无需发函");
    }
    const char *addressee = warning         ? ad.name
                            : ad.department ? arena_printf(a, "县%s", ad.department)
                                            : arena_printf(a, "%s党委、政府", ad.parent);
    /* The text: who broke zero, with what, what is asked. */
    struct buf text = BUF_INIT;
    buf_addf(&text, "%s：\n", addressee);
    buf_addf(&text,
             "%s年度，%s发生信访 %lld 件、有人员伤亡的事故 %lld 起、刑事或重大治安案件 %lld "
             "起，未实现\"三零\"创建目标（破零）。",
             year, ad.name, (long long)m[ZM_PETITIONS], (long long)m[ZM_ACCIDENTS],
             (long long)m[ZM_CASES]);
    if (warning)
        buf_addstr(&text, "现予以警示。请认真分析原因，落实整改措施，");
    else
        buf_addf(&text, "请贵单位督促%s认真分析原因、落实整改措施，", ad.name);
    if (deadline)
        buf_addf(&text, "并于%s前将整改情况书面报送县综治中心。", deadline);
    else
        buf_addstr(&text, "并及时将整改情况书面报送县综治中心。");
    if (note)
        buf_addf(&text, "\n%s", note);
    /* The next number of the kind in the year. */
    sqlite3_stmt *st = db_prepare(
        db, "SELECT coalesce(max(seq), 0) + 1 FROM zero_letter WHERE kind = ? AND year = ?");
    db_bind_text(st, 1, kind);
    db_bind_int(st, 2, strtol(year, NULL, 10));
    int seq = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
    sqlite3_reset(st);
    char *evtext = json_dumps(events, JSON_COMPACT);
    json_decref(events);
    st = db_prepare(db, "INSERT INTO zero_letter (subject_id, kind, year, seq, addressee, body, "
                        "events, deadline, created_ms, created_by) VALUES (?,?,?,?,?,?,?,?,?,?)");
    db_bind_int(st, 1, subject_id);
    db_bind_text(st, 2, kind);
    db_bind_int(st, 3, strtol(year, NULL, 10));
    db_bind_int(st, 4, seq);
    db_bind_text(st, 5, addressee);
    db_bind_text(st, 6, text.ptr);
    db_bind_text(st, 7, evtext);
    db_bind_text(st, 8, deadline);
    db_bind_int(st, 9, now);
    db_bind_text(st, 10, by);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(evtext);
    buf_release(&text);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

json_t *zero_letter_json(struct db *db, struct arena *a, int64_t subject_id, int64_t letter_id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT l.id, l.kind, l.year, l.seq, l.addressee, l.body, l.events, l.deadline, "
            "l.created_ms, l.created_by, z.name FROM zero_letter l JOIN zero_subject z ON z.id = "
            "l.subject_id WHERE l.id = ? AND l.subject_id = ?");
    db_bind_int(st, 1, letter_id);
    db_bind_int(st, 2, subject_id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = db_col_text(st, 1);
        json_t *ev = json_loads(db_col_text(st, 6), 0, NULL);
        o = json_pack(
            "{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s?,s:I,s:s,s:s}", "id",
            (json_int_t)sqlite3_column_int64(st, 0), "subject_id", (json_int_t)subject_id, "kind",
            kind, "kind_name", strcmp(kind, "warning") == 0 ? "警示函" : "督办函", "number",
            zero_letter_number(a, kind, sqlite3_column_int(st, 2), sqlite3_column_int(st, 3)),
            "addressee", db_col_text(st, 4), "body", db_col_text(st, 5), "events",
            ev ? ev : json_array(), "deadline", db_col_text_or_null(st, 7), "created_ms",
            (json_int_t)sqlite3_column_int64(st, 8), "created_by", db_col_text(st, 9), "subject",
            db_col_text(st, 10));
    }
    sqlite3_reset(st);
    return o;
}

static void esc(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            buf_addstr(b, "&lt;");
            break;
        case '>':
            buf_addstr(b, "&gt;");
            break;
        case '&':
            buf_addstr(b, "&amp;");
            break;
        case '"':
            buf_addstr(b, "&quot;");
            break;
        case '\n':
            buf_addstr(b, "</p><p>");
            break;
        default:
            buf_addch(b, *s);
        }
    }
}

int zero_letter_html(struct db *db, struct arena *a, int64_t subject_id, int64_t letter_id,
                     struct buf *out)
{
    json_t *l = zero_letter_json(db, a, subject_id, letter_id);
    if (!l)
        return -1;
    const char *kind_name = json_string_value(json_object_get(l, "kind_name"));
    char date[11];
    clock_format_date_cn(json_integer_value(json_object_get(l, "created_ms")), date, sizeof(date));
    buf_addstr(out, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
    esc(out, json_string_value(json_object_get(l, "number")));
    buf_addstr(
        out,
        "</title><style>@page{size:A4;margin:25mm 22mm}"
        "body{font-family:'FangSong','仿宋','SimSun',serif;font-size:16pt;line-height:1.8;"
        "max-width:170mm;margin:0 auto;color:#000}"
        "h1{font-family:'SimHei','黑体',sans-serif;text-align:center;color:#c00;"
        "font-size:26pt;letter-spacing:.3em;margin:0 0 6mm}"
        ".no{text-align:center;border-bottom:2px solid #c00;padding-bottom:3mm;margin-bottom:8mm}"
        "p{text-indent:2em;margin:0}p.to{text-indent:0}"
        "table{border-collapse:collapse;width:100%;font-size:12pt;margin:6mm 0}"
        "th,td{border:1px solid #000;padding:1mm 2mm;text-align:left}"
        ".sign{text-align:right;margin-top:14mm}"
        "@media screen{body{padding:10mm;background:#fff}}"
        "</style></head><body><h1>");
    esc(out, kind_name);
    buf_addstr(out, "</h1><div class=\"no\">");
    esc(out, json_string_value(json_object_get(l, "number")));
    buf_addstr(out, "</div><p class=\"to\">");
    esc(out, json_string_value(json_object_get(l, "body")));
    buf_addstr(out, "</p><table><thead><tr><th>事件编号</th><th>类别</th><th>破零类型</th>"
                    "<th>发生时间</th><th>状态</th></tr></thead><tbody>");
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(l, "events"), i, ev)
    {
        char d[11];
        clock_format_date_cn(json_integer_value(json_object_get(ev, "created_ms")), d, sizeof(d));
        buf_addf(out, "<tr><td>%lld</td><td>",
                 (long long)json_integer_value(json_object_get(ev, "id")));
        esc(out, json_string_value(json_object_get(ev, "minor_name")));
        buf_addstr(out, "</td><td>");
        esc(out, json_string_value(json_object_get(ev, "breaks_name")));
        buf_addf(out, "</td><td>%s</td><td>", d);
        esc(out, json_string_value(json_object_get(ev, "status_name")));
        buf_addstr(out, "</td></tr>");
    }
    buf_addstr(out, "</tbody></table><div class=\"sign\">县综治中心<br>");
    esc(out, date);
    buf_addstr(out, "</div></body></html>\n");
    json_decref(l);
    return 0;
}
