#include "petitionstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/petitionclock.h"
#include "store/db.h"
#include "util/clock.h"

int petitionstats_count(struct db *db, struct arena *a, const char *path, int64_t from_ms,
                        int64_t to_ms, int64_t now, struct petition_figures *out)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = db_prepare(
        db, "SELECT count(*), count(accepted_ms), count(replied_ms), coalesce(sum(on_time), 0), "
            "count(rating_result), "
            "coalesce(sum(rating_result IN ('satisfied', 'basic') AND "
            "rating_handling IN ('satisfied', 'basic')), 0), count(repeat_of), "
            "coalesce(sum(level = 'province'), 0), coalesce(sum(level = 'beijing'), 0), "
            "coalesce(sum(late OR (node IS NOT NULL AND deadline_ms <= ?5)), 0) "
            "FROM petition WHERE area_path >= ?1 AND area_path < ?2 AND received_ms >= ?3 "
            "AND received_ms < ?4");
    db_bind_text(st, 1, path);
    db_bind_text(st, 2, area_path_upper(a, path));
    db_bind_int(st, 3, from_ms);
    db_bind_int(st, 4, to_ms);
    db_bind_int(st, 5, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        long *f[] = {&out->received,  &out->accepted, &out->replied,  &out->on_time, &out->rated,
                     &out->satisfied, &out->repeat,   &out->province, &out->beijing, &out->overdue};
        for (int i = 0; i < 10; i++)
            *f[i] = (long)sqlite3_column_int64(st, i);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static json_t *rate(long part, long whole)
{
    return whole ? json_real((double)(part * 10000 / whole) / 100) : json_null();
}

json_t *petitionstats_figures_json(const struct petition_figures *f)
{
    json_t *o =
        json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "received", (int)f->received,
                  "accepted", (int)f->accepted, "replied", (int)f->replied, "on_time",
                  (int)f->on_time, "rated", (int)f->rated, "satisfied", (int)f->satisfied, "repeat",
                  (int)f->repeat, "province", (int)f->province, "beijing", (int)f->beijing,
                  "above_level", (int)(f->province + f->beijing), "overdue", (int)f->overdue);
    json_object_set_new(o, "accept_rate", rate(f->accepted, f->received));
    json_object_set_new(o, "on_time_rate", rate(f->on_time, f->replied));
    json_object_set_new(o, "satisfaction_rate", rate(f->satisfied, f->rated));
    json_object_set_new(o, "repeat_rate", rate(f->repeat, f->received));
    return o;
}

void petitionstats_year_before(const char *date, char out[11])
{
    int y = (int)strtol(date, NULL, 10), m = (int)strtol(date + 5, NULL, 10),
        d = (int)strtol(date + 8, NULL, 10);
    if (m == 2 && d == 29)
        d = 28;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y - 1) % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* [from 00:00, to + 1 day 00:00) in Asia/Shanghai. */
static void range_of(const char *from, const char *to, int64_t *f, int64_t *t)
{
    clock_parse_iso(from, f);
    clock_parse_iso(to, t);
    *t += PETITION_DAY_MS;
}

static json_t *yoy(long now, long before)
{
    return before ? json_real((double)((now - before) * 10000 / before) / 100) : json_null();
}

json_t *petitionstats_json(struct db *db, struct arena *a, const struct area *area,
                           const char *from, const char *to, int64_t now)
{
    int64_t f, t, lf, lt;
    char pfrom[11], pto[11];
    petitionstats_year_before(from, pfrom);
    petitionstats_year_before(to, pto);
    range_of(from, to, &f, &t);
    range_of(pfrom, pto, &lf, &lt);
    struct petition_figures cur, last;
    if (petitionstats_count(db, a, area->path, f, t, now, &cur) < 0 ||
        petitionstats_count(db, a, area->path, lf, lt, now, &last) < 0)
        return NULL;
    json_t *change = json_object();
    json_object_set_new(change, "received", yoy(cur.received, last.received));
    json_object_set_new(change, "repeat", yoy(cur.repeat, last.repeat));
    json_object_set_new(change, "above_level",
                        yoy(cur.province + cur.beijing, last.province + last.beijing));
    json_object_set_new(change, "satisfied", yoy(cur.satisfied, last.satisfied));
    json_t *children = json_array();
    sqlite3_stmt *st =
        db_prepare(db, "SELECT code, name, level, path FROM area WHERE parent_id = ? "
                       "AND retired_ms IS NULL ORDER BY code");
    db_bind_int(st, 1, area->id);
    struct {
        const char *code, *name, *level, *path;
    } kids[512];
    int n = 0;
    while (n < 512 && sqlite3_step(st) == SQLITE_ROW) {
        kids[n].code = arena_strdup(a, db_col_text(st, 0));
        kids[n].name = arena_strdup(a, db_col_text(st, 1));
        kids[n].level = arena_strdup(a, db_col_text(st, 2));
        kids[n].path = arena_strdup(a, db_col_text(st, 3));
        n++;
    }
    sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        struct petition_figures k;
        if (petitionstats_count(db, a, kids[i].path, f, t, now, &k) < 0) {
            json_decref(children);
            json_decref(change);
            return NULL;
        }
        json_array_append_new(children, json_pack("{s:s,s:s,s:s,s:o}", "code", kids[i].code, "name",
                                                  kids[i].name, "level", kids[i].level, "figures",
                                                  petitionstats_figures_json(&k)));
    }
    return json_pack("{s:{s:s,s:s,s:s},s:s,s:s,s:o,s:{s:s,s:s,s:o},s:o,s:o}", "area", "code",
                     area->code, "name", area->name, "path", area->path, "from", from, "to", to,
                     "figures", petitionstats_figures_json(&cur), "last_year", "from", pfrom, "to",
                     pto, "figures", petitionstats_figures_json(&last), "yoy", change, "children",
                     children);
}
