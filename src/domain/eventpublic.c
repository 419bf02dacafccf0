#include "eventpublic.h"

#include <ctype.h>
#include <string.h>

#include "domain/workflow.h"
#include "store/db.h"
#include "util/clock.h"

/* The alphabet of event.c's track codes: no 0/O, no 1/I. */
static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

int event_code_normalise(const char *in, char out[EVENT_CODE_LEN + 1])
{
    if (!in)
        return -1;
    while (*in == ' ')
        in++;
    size_t n = strlen(in);
    while (n && in[n - 1] == ' ')
        n--;
    if (n != EVENT_CODE_LEN)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = (char)toupper((unsigned char)in[i]);
        if (!c || !strchr(code_alphabet, c))
            return -1;
        out[i] = c;
    }
    out[n] = '\0';
    return 0;
}

int64_t event_public_find(struct db *db, const char *code)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id FROM event WHERE track_code = ? AND source IN ('resident', 'hotline')");
    db_bind_text(st, 1, code);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

int event_public_scope(struct db *db, struct arena *a, const char **path)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT path FROM area WHERE parent_id IS NULL AND retired_ms IS NULL LIMIT 2");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (n++ == 0)
            *path = arena_strdup(a, db_col_text(st, 0));
    sqlite3_reset(st);
    return n == 1 ? 0 : -1;
}

/* An instant as ISO 8601, or null for 0 / NULL. */
static json_t *iso_or_null(sqlite3_stmt *st, int col)
{
    int64_t ms = sqlite3_column_int64(st, col);
    if (sqlite3_column_type(st, col) == SQLITE_NULL || !ms)
        return json_null();
    char iso[40];
    clock_format_iso(ms, iso, sizeof(iso));
    return json_string(iso);
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
    const char *s = db_col_text_or_null(st, col);
    return s ? json_string(s) : json_null();
}

/* Steps the public does not see: the centre's internal remarks and its
 * rating of the department (考评) are staff matters. */
static int internal_step(const char *action)
{
    return strcmp(action, "comment") == 0 || strcmp(action, "rate_handling") == 0;
}

/* The deadline nodes: every public step with its time and, when it started
 * a clock, the deadline it set. Notes, actors and details stay inside. */
static json_t *nodes_of(struct db *db, int64_t id)
{
    json_t *nodes = json_array();
    sqlite3_stmt *st = db_prepare(
        db, "SELECT at_ms, action, to_status, json_extract(detail, '$.deadline_ms') "
            "FROM event_timeline WHERE event_id = ? ORDER BY id");
    db_bind_int(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *action = db_col_text(st, 1), *to = db_col_text(st, 2);
        if (internal_step(action))
            continue;
        const struct transition *t = workflow_find(action);
        const char *to_name = workflow_status_name(to);
        json_t *n = json_pack("{s:o,s:s,s:s,s:s,s:s}", "at", iso_or_null(st, 0), "action", action,
                              "action_name", t ? t->name : "上报", "status", to, "status_name",
                              to_name ? to_name : to);
        json_object_set_new(n, "deadline", iso_or_null(st, 3));
        json_array_append_new(nodes, n);
    }
    sqlite3_reset(st);
    return nodes;
}

/* The result: the handling note once closed, the reason of a refusal. */
static json_t *result_of(struct db *db, int64_t id, const char *status)
{
    int done = strcmp(status, "closed") == 0 || strcmp(status, "evaluated") == 0;
    if (!done && strcmp(status, "rejected") != 0)
        return json_null();
    sqlite3_stmt *st = db_prepare(db, "SELECT note FROM event_timeline WHERE event_id = ?1 AND "
                                      "action IN (?2, ?3) ORDER BY id DESC LIMIT 1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, done ? "handle" : "reject");
    db_bind_text(st, 3, done ? "resolve" : "reject");
    json_t *note = sqlite3_step(st) == SQLITE_ROW ? text_or_null(st, 0) : json_null();
    sqlite3_reset(st);
    return note;
}

json_t *event_public_json(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT e.track_code, e.status, e.description, e.address, e.lng, e.lat, e.created_ms, "
            "e.updated_ms, e.closed_ms, e.deadline_ms, e.rating, e.rating_comment, e.minor, "
            "c.minor_name, c.major, c.major_name, d.name, e.reporter_id IS NULL FROM event e "
            "LEFT JOIN category c ON c.minor = e.minor "
            "LEFT JOIN department d ON d.id = e.department_id WHERE e.id = ?");
    db_bind_int(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    const char *status = db_col_text(st, 1);
    int open = workflow_is_open(status);
    json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:o,s:s,s:o}", "track_code", db_col_text(st, 0),
                          "status", status, "status_name", workflow_status_name(status), "open",
                          open, "category",
                          sqlite3_column_type(st, 12) == SQLITE_NULL
                              ? json_null()
                              : json_pack("{s:s,s:s,s:s,s:s}", "minor", db_col_text(st, 12),
                                          "minor_name", db_col_text(st, 13), "major",
                                          db_col_text(st, 14), "major_name", db_col_text(st, 15)),
                          "description", db_col_text(st, 2), "address", text_or_null(st, 3));
    int has_point = sqlite3_column_type(st, 4) != SQLITE_NULL;
    json_object_set_new(o, "lng", has_point ? json_real(sqlite3_column_double(st, 4)) : json_null());
    json_object_set_new(o, "lat", has_point ? json_real(sqlite3_column_double(st, 5)) : json_null());
    json_object_set_new(o, "department", text_or_null(st, 16));
    json_object_set_new(o, "reported_at", iso_or_null(st, 6));
    json_object_set_new(o, "updated_at", iso_or_null(st, 7));
    json_object_set_new(o, "closed_at", iso_or_null(st, 8));
    json_object_set_new(o, "deadline", open ? iso_or_null(st, 9) : json_null());
    json_object_set_new(o, "rating", sqlite3_column_type(st, 10) == SQLITE_NULL
                                         ? json_null()
                                         : json_integer(sqlite3_column_int(st, 10)));
    json_object_set_new(o, "rating_comment", text_or_null(st, 11));
    /* The code holder rates what a resident reported (a hotline caller is
     * rated for by the operator who took the call: the reporter account). */
    json_object_set_new(o, "can_rate",
                        json_boolean(strcmp(status, "closed") == 0 && sqlite3_column_int(st, 17)));
    char *status_copy = strdup(status);
    sqlite3_reset(st);
    json_object_set_new(o, "nodes", nodes_of(db, id));
    json_object_set_new(o, "result", result_of(db, id, status_copy));
    free(status_copy);
    return o;
}
