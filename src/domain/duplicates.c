#include "duplicates.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/classify.h"
#include "geo/distance.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define MAX_SHINGLES 1600

double dup_similarity(const char *a, const char *b)
{
    static _Thread_local uint64_t x[MAX_SHINGLES], y[MAX_SHINGLES];
    /* The shingles: the texts' character 1- and 2-grams as the classifier
     * cuts them (the same normalisation: full-width forms, digits and
     * punctuation do not make two reports differ). */
    size_t nx = classifier_features_unique(a, x, MAX_SHINGLES);
    size_t ny = classifier_features_unique(b, y, MAX_SHINGLES), i = 0, j = 0, both = 0;
    while (i < nx && j < ny) {
        if (x[i] == y[j])
            both++, i++, j++;
        else if (x[i] < y[j])
            i++;
        else
            j++;
    }
    size_t any = nx + ny - both;
    return any ? (double)both / (double)any : 0;
}

struct hit {
    int64_t id;
    double sim, dist;
    const char *description, *status;
    int64_t created;
};

static int by_similarity(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    return x->sim < y->sim ? 1 : x->sim > y->sim ? -1 : (x->id > y->id) - (x->id < y->id);
}

json_t *dup_candidates_json(struct db *db, struct arena *a, int64_t id, const struct dup_opts *o)
{
    double radius = o->radius_m > 0 ? o->radius_m : 300;
    int64_t window = o->window_ms > 0 ? o->window_ms : 72 * 3600000LL;
    double min_sim = o->min_similarity > 0 ? o->min_similarity : 0.3;
    int limit = o->limit > 0 ? o->limit : 10;
    sqlite3_stmt *st = db_prepare(db, "SELECT description, lng, lat, created_ms, area_path "
                                      "FROM event WHERE id = ?");
    db_bind_int(st, 1, id);
    const char *text = NULL, *path = NULL;
    double lng = 0, lat = 0;
    int64_t at = 0;
    int has_point = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        text = arena_strdup(a, db_col_text(st, 0));
        has_point = sqlite3_column_type(st, 1) != SQLITE_NULL;
        lng = sqlite3_column_double(st, 1);
        lat = sqlite3_column_double(st, 2);
        at = sqlite3_column_int64(st, 3);
        path = arena_strdup(a, db_col_text(st, 4));
    }
    sqlite3_reset(st);
    json_t *items = json_array();
    if (!text)
        return items;
    /* Without a point: the same area instead of a radius. */
    double dlat = radius / 111000.0, dlng = radius / (111000.0 * fmax(0.1, cos(lat * M_PI / 180)));
    st = db_prepare(
        db, "SELECT id, description, lng, lat, status, created_ms, area_path FROM event "
            "WHERE created_ms BETWEEN ?1 AND ?2 AND id <> ?3 AND status IN ('reported', "
            "'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND "
            "(?4 = 1 AND lng BETWEEN ?5 AND ?6 AND lat BETWEEN ?7 AND ?8 OR ?4 = 0 AND "
            "area_path = ?9) AND area_path >= ?10 AND area_path < ?11 LIMIT 2000");
    db_bind_int(st, 1, at - window);
    db_bind_int(st, 2, at + window);
    db_bind_int(st, 3, id);
    sqlite3_bind_int(st, 4, has_point);
    sqlite3_bind_double(st, 5, lng - dlng);
    sqlite3_bind_double(st, 6, lng + dlng);
    sqlite3_bind_double(st, 7, lat - dlat);
    sqlite3_bind_double(st, 8, lat + dlat);
    db_bind_text(st, 9, path);
    db_bind_text(st, 10, o->scope);
    db_bind_text(st, 11, area_path_upper(a, o->scope));
    struct hit *hits = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        double dist = 0;
        if (has_point) {
            dist = geo_distance_m(lng, lat, sqlite3_column_double(st, 2), sqlite3_column_double(st, 3));
            if (dist > radius)
                continue;
        }
        double sim = dup_similarity(text, db_col_text(st, 1));
        if (sim < min_sim)
            continue;
        if (n == cap)
            hits = xrealloc(hits, (cap = cap ? 2 * cap : 16) * sizeof(*hits));
        hits[n++] = (struct hit){sqlite3_column_int64(st, 0), sim, dist,
                                 arena_strdup(a, db_col_text(st, 1)),
                                 arena_strdup(a, db_col_text(st, 4)), sqlite3_column_int64(st, 5)};
    }
    sqlite3_reset(st);
    if (n)
        qsort(hits, n, sizeof(*hits), by_similarity);
    for (size_t i = 0; i < n && (int)i < limit; i++) {
        char iso[40];
        clock_format_iso(hits[i].created, iso, sizeof(iso));
        json_array_append_new(items, json_pack("{s:I,s:f,s:f,s:s,s:s,s:s}", "id",
                                               (json_int_t)hits[i].id, "similarity",
                                               round(hits[i].sim * 1000) / 1000, "distance_m",
                                               round(hits[i].dist), "description",
                                               hits[i].description, "status", hits[i].status,
                                               "created_at", iso));
    }
    free(hits);
    return items;
}
