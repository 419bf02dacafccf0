#include "petitionvisit.h"

#include <string.h>

#include "domain/area.h"
#include "domain/petitionclock.h"
#include "domain/petitionflow.h"
#include "store/db.h"
#include "util/clock.h"

static const char *const kinds[][2] = {
    {"sign", "信访苗头"},     {"active", "正在上访"},    {"longterm", "长期上访"},
    {"closed", "已结案回访"}, {"key_group", "重点群体"},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const char *petitionvisit_kind_name(const char *kind)
{
    for (size_t i = 0; kind && i < NKINDS; i++)
        if (strcmp(kinds[i][0], kind) == 0)
            return kinds[i][1];
    return NULL;
}

#define DAY "86400000"
/* Per list, the persons with their trigger time (t), the petition that
 * triggers it and the days to the due visit. */
#define DUE_CTE                                                                                    \
    "WITH pp AS (SELECT r.person_id, p.* FROM petitioner r JOIN petition p ON "                    \
    "p.id = r.petition_id WHERE r.person_id IS NOT NULL AND p.area_path >= ?1 AND "                \
    "p.area_path < ?2), "                                                                          \
    "c AS ("                                                                                       \
    "SELECT 'sign' AS kind, person_id, max(id) AS pid, max(coalesce(closed_ms, replied_ms)) AS "   \
    "t, "                                                                                          \
    "7 AS days FROM pp WHERE (status = 'refused' OR (coalesce(review_outcome, outcome) = "         \
    "'reject' AND recheck_outcome IS NULL)) AND coalesce(closed_ms, replied_ms) >= ?3 - 90 * " DAY \
    " GROUP BY person_id "                                                                         \
    "UNION ALL SELECT 'active', person_id, max(id), max(received_ms), 7 FROM pp WHERE status "     \
    "NOT IN ('closed', 'refused') GROUP BY person_id "                                             \
    "UNION ALL SELECT 'longterm', person_id, max(id), max(received_ms), 30 FROM pp WHERE "         \
    "received_ms >= ?3 - 365 * " DAY " GROUP BY person_id HAVING count(*) >= 3 "                   \
    "UNION ALL SELECT 'closed', person_id, max(id), max(coalesce(closed_ms, window_ms)), 15 "      \
    "FROM pp WHERE (status = 'closed' OR (status IN ('replied', 'reviewed') AND window_ms <= "     \
    "?3)) "                                                                                        \
    "AND coalesce(closed_ms, window_ms) >= ?3 - 30 * " DAY " GROUP BY person_id "                  \
    "UNION ALL SELECT 'key_group', person_id, max(id), max(received_ms), 7 FROM pp WHERE "         \
    "received_ms >= ?3 - 365 * " DAY " AND (group_size >= 5 OR EXISTS (SELECT 1 FROM "             \
    "special_group g WHERE g.person_id = pp.person_id)) GROUP BY person_id), "                     \
    "due AS (SELECT c.* FROM c WHERE (?4 IS NULL OR c.kind = ?4) AND NOT EXISTS (SELECT 1 FROM "   \
    "petition_visit v WHERE v.person_id = c.person_id AND v.kind = c.kind AND v.at_ms >= c.t)) "

json_t *petitionvisit_due_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                               int64_t now, long limit)
{
    sqlite3_stmt *st = db_prepare(
        db, DUE_CTE
        "SELECT d.kind, d.person_id, d.pid, d.t, d.t + d.days * " DAY ", per.name, ar.code, "
        "ar.name, pt.track_code, pt.title, coalesce((SELECT s.name FROM area_staff s WHERE "
        "s.area_id = ar.parent_id AND s.duty = 'worker' ORDER BY s.id LIMIT 1), (SELECT s.name "
        "FROM area_staff s WHERE s.area_id = ar.id AND s.duty = 'worker' ORDER BY s.id LIMIT 1)) "
        "FROM due d JOIN person per ON per.id = d.person_id JOIN area ar ON ar.id = per.area_id "
        "JOIN petition pt ON pt.id = d.pid ORDER BY d.t + d.days * " DAY ", d.person_id LIMIT ?5");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, kind);
    db_bind_int(st, 5, limit);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        char since[40], due[40];
        int64_t due_ms = sqlite3_column_int64(st, 4);
        clock_format_iso(sqlite3_column_int64(st, 3), since, sizeof(since));
        clock_format_iso(due_ms, due, sizeof(due));
        const char *k = db_col_text(st, 0);
        const char *cadre = db_col_text_or_null(st, 10);
        json_array_append_new(
            items,
            json_pack("{s:s,s:s,s:I,s:s,s:{s:s,s:s},s:I,s:s,s:s,s:s,s:s,s:b,s:o}", "kind", k,
                      "kind_name", petitionvisit_kind_name(k), "person_id",
                      (json_int_t)sqlite3_column_int64(st, 1), "name", db_col_text(st, 5), "area",
                      "code", db_col_text(st, 6), "name", db_col_text(st, 7), "petition_id",
                      (json_int_t)sqlite3_column_int64(st, 2), "track_code", db_col_text(st, 8),
                      "title", db_col_text(st, 9), "since", since, "due", due, "overdue",
                      due_ms < now, "cadre", cadre ? json_string(cadre) : json_null()));
    }
    sqlite3_reset(st);
    json_t *counts = json_object();
    for (size_t i = 0; i < NKINDS; i++)
        json_object_set_new(counts, kinds[i][0], json_integer(0));
    st = db_prepare(db, DUE_CTE "SELECT kind, count(*) FROM due GROUP BY kind");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, now);
    db_bind_text(st, 4, NULL);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(counts, db_col_text(st, 0),
                            json_integer((json_int_t)sqlite3_column_int64(st, 1)));
    sqlite3_reset(st);
    return json_pack("{s:o,s:o}", "items", items, "counts", counts);
}

int64_t petitionvisit_record(struct db *db, int64_t person_id, const char *kind,
                             int64_t petition_id, int64_t account_id, const char *notes,
                             int64_t now, struct err *e)
{
    if (!petitionvisit_kind_name(kind))
        return err_set(e, ERR_INVALID, "invalid_value", "kind",
                       "kind 应为 sign、active、longterm、closed 或 key_group");
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO petition_visit (person_id, kind, petition_id, "
                                      "account_id, at_ms, notes) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, person_id);
    db_bind_text(st, 2, kind);
    if (petition_id)
        db_bind_int(st, 3, petition_id);
    if (account_id)
        db_bind_int(st, 4, account_id);
    db_bind_int(st, 5, now);
    db_bind_text(st, 6, notes ? notes : "");
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

int64_t petition_reception_create(struct db *db, int64_t area_id, const char *area_path,
                                  const char *day, const char *leader, const char *place,
                                  int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO petition_reception (area_id, area_path, day, "
                                      "leader, place, created_ms) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_int(st, 1, area_id);
    db_bind_text(st, 2, area_path);
    db_bind_text(st, 3, day);
    db_bind_text(st, 4, leader);
    db_bind_text(st, 5, place);
    db_bind_int(st, 6, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    return sqlite3_last_insert_rowid(db_handle(db));
}

json_t *petition_reception_list_json(struct db *db, struct arena *a, const char *scope, long limit)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT r.id, r.day, r.leader, r.place, a.code, a.name FROM petition_reception r "
            "JOIN area a ON a.id = r.area_id WHERE r.area_path >= ? AND r.area_path < ? "
            "ORDER BY r.day DESC, r.id DESC LIMIT ?");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, limit);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:{s:s,s:s},s:[]}", "id",
                             (json_int_t)sqlite3_column_int64(st, 0), "day", db_col_text(st, 1),
                             "leader", db_col_text(st, 2), "place", db_col_text(st, 3), "area",
                             "code", db_col_text(st, 4), "name", db_col_text(st, 5), "cases"));
    sqlite3_reset(st);
    st = db_prepare(db, "SELECT id, track_code, title, status FROM petition WHERE reception_id = ? "
                        "ORDER BY id");
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r)
    {
        db_bind_int(st, 1, json_integer_value(json_object_get(r, "id")));
        json_t *cases = json_object_get(r, "cases");
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *status = db_col_text(st, 3);
            json_array_append_new(
                cases, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                                 "track_code", db_col_text(st, 1), "title", db_col_text(st, 2),
                                 "status_name", petitionflow_status_name(status)));
        }
        sqlite3_reset(st);
    }
    return json_pack("{s:o}", "items", items);
}
