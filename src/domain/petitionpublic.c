#include "petitionpublic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/petition.h"
#include "domain/petitionclock.h"
#include "domain/petitionflow.h"
#include "store/db.h"
#include "util/clock.h"

static json_t *iso_or_null(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL || !sqlite3_column_int64(st, col))
        return json_null();
    char iso[40];
    clock_format_iso(sqlite3_column_int64(st, col), iso, sizeof(iso));
    return json_string(iso);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The public steps: every step but the internal ones, and without notes
 * (a refusal's and a reply's text is the result, shown once). */
static json_t *nodes_json(struct db *db, int64_t id)
{
    json_t *out = json_array();
    sqlite3_stmt *st = db_prepare(db, "SELECT at_ms, action, to_status, detail FROM "
                                      "petition_timeline WHERE petition_id = ? ORDER BY id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *action = db_col_text(st, 1), *to = db_col_text(st, 2);
        const struct petition_step *s = petitionflow_find(action);
        if ((s && s->internal) || strcmp(action, "mark_repeat") == 0)
            continue;
        const char *name = s ? s->name : strcmp(action, "register") == 0 ? "登记" : "信访人评价";
        json_t *detail =
            db_col_text_or_null(st, 3) ? json_loads(db_col_text(st, 3), 0, NULL) : NULL;
        json_t *deadline = json_object_get(detail, "deadline");
        json_t *outcome = json_object_get(detail, "outcome_name");
        json_array_append_new(
            out, json_pack("{s:o,s:s,s:s,s:s,s:O,s:O}", "at", iso_or_null(st, 0), "action", action,
                           "action_name", name, "status_name",
                           petitionflow_status_name(to) ? petitionflow_status_name(to) : to,
                           "deadline", deadline ? deadline : json_null(), "outcome_name",
                           outcome ? outcome : json_null()));
        json_decref(detail);
    }
    sqlite3_reset(st);
    return out;
}

json_t *petition_public_json(struct db *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT track_code, channel, category, title, status, received_ms, node, deadline_ms, "
            "window_ms, coalesce(recheck_outcome, review_outcome, outcome), result_text, "
            "coalesce(closed_ms, replied_ms), replied_ms, rating_handling, rating_result, "
            "yellow_ms FROM petition WHERE id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    const char *status = db_col_text(st, 4), *node = db_col_text_or_null(st, 6);
    const char *outcome = db_col_text_or_null(st, 9);
    const char *rh = db_col_text_or_null(st, 13), *rr = db_col_text_or_null(st, 14);
    int replied = sqlite3_column_type(st, 12) != SQLITE_NULL;
    int refused = strcmp(status, "refused") == 0;
    json_t *result = json_null();
    if (outcome || refused)
        result =
            json_pack("{s:o,s:o,s:o}", "outcome_name",
                      str_or_null(refused ? "不予受理" : petitionflow_outcome_name(outcome)),
                      "text", str_or_null(db_col_text_or_null(st, 10)), "at", iso_or_null(st, 11));
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:b}",
                          "track_code", db_col_text(st, 0), "channel_name",
                          petition_channel_name(db_col_text(st, 1)), "category_name",
                          petition_category_name(db_col_text(st, 2)), "title", db_col_text(st, 3),
                          "status", status, "status_name", petitionflow_status_name(status), "open",
                          petitionflow_is_open(status), "received_at", iso_or_null(st, 5),
                          "node_name", str_or_null(petitionclock_node_name(node)), "deadline",
                          node ? iso_or_null(st, 7) : json_null(), "light",
                          petitionclock_light(now, node ? sqlite3_column_int64(st, 7) : 0,
                                              sqlite3_column_int64(st, 15)),
                          "window_until", iso_or_null(st, 8), "result", result, "rating",
                          rr ? json_pack("{s:s,s:s,s:s,s:s}", "handling", rh, "handling_name",
                                         petition_rating_name(rh), "result", rr, "result_name",
                                         petition_rating_name(rr))
                             : json_null(),
                          "can_rate", replied && !rr);
    sqlite3_reset(st);
    json_object_set_new(o, "nodes", nodes_json(db, id));
    return o;
}

int petition_public_rate(struct db *db, int64_t id, const char *handling, const char *result,
                         int64_t now, struct err *e)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT replied_ms IS NOT NULL, rating_result IS NOT NULL, "
                                      "status FROM petition WHERE id = ?");
    db_bind_int(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    int replied = found && sqlite3_column_int(st, 0), rated = found && sqlite3_column_int(st, 1);
    char status[24] = "";
    if (found)
        snprintf(status, sizeof(status), "%s", db_col_text(st, 2));
    sqlite3_reset(st);
    if (!found)
        return err_set(e, ERR_NOT_FOUND, "not_found", NULL, "查询码不存在");
    if (rated)
        return err_set(e, ERR_CONFLICT, "already_rated", NULL, "已经评价过了，感谢您的评价");
    if (!replied)
        return err_set(e, ERR_CONFLICT, "not_ratable", NULL,
                       "信访事项尚未书面答复，答复后才能评价");
    st = db_prepare(db, "UPDATE petition SET rating_handling = ?2, rating_result = ?3, "
                        "rated_ms = ?4, updated_ms = ?4 WHERE id = ?1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, handling);
    db_bind_text(st, 3, result);
    db_bind_int(st, 4, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
    json_t *d = json_pack("{s:s,s:s}", "handling", handling, "result", result);
    char *dj = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    st = db_prepare(db,
                    "INSERT INTO petition_timeline (petition_id, at_ms, actor, action, "
                    "from_status, to_status, detail) VALUES (?, ?, 'petitioner', 'rate', ?, ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, status);
    db_bind_text(st, 4, status);
    db_bind_text(st, 5, dj);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(dj);
    return rc == SQLITE_DONE
               ? 0
               : err_set(e, ERR_INTERNAL, "db_error", NULL, "数据库错误: %s", db_errmsg(db));
}
