#include "petitionrepeat.h"

#include <stdlib.h>
#include <string.h>

#include "domain/area.h"
#include "domain/duplicates.h"
#include "store/db.h"
#include "util/clock.h"

struct row {
    int64_t id, repeat_of, received;
    const char *code, *title, *text, *village;
};

struct pair {
    int i, j;
    double sim;
};

/* The path of the village (county/township/village) a path lies in. */
static const char *village_of(struct arena *a, const char *path)
{
    int slashes = 0;
    const char *p = path;
    for (; *p; p++)
        if (*p == '/' && ++slashes == 4)
            return arena_strndup(a, path, (size_t)(p - path) + 1);
    return path;
}

static int by_sim(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim < b->sim ? 1 : -1;
    return a->i != b->i ? a->i - b->i : a->j - b->j;
}

static json_t *side(const struct row *r)
{
    char iso[40];
    clock_format_iso(r->received, iso, sizeof(iso));
    return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)r->id, "track_code", r->code, "title",
                     r->title, "received_at", iso);
}

json_t *petition_pairs_json(struct db *db, struct arena *a, const char *scope, int64_t from_ms,
                            int64_t to_ms, int limit)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT id, coalesce(repeat_of, 0), received_ms, track_code, title, content, area_path "
            "FROM (SELECT * FROM petition WHERE area_path >= ?1 AND area_path < ?2 "
            "AND (?3 = 0 OR received_ms >= ?3) AND (?4 = 0 OR received_ms < ?4) "
            "ORDER BY received_ms DESC LIMIT ?5) ORDER BY area_path, received_ms");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, area_path_upper(a, scope));
    db_bind_int(st, 3, from_ms);
    db_bind_int(st, 4, to_ms);
    db_bind_int(st, 5, PETITION_PAIR_ROWS);
    struct row *rows = arena_alloc(a, PETITION_PAIR_ROWS * sizeof(*rows));
    int n = 0;
    while (n < PETITION_PAIR_ROWS && sqlite3_step(st) == SQLITE_ROW) {
        struct row *r = &rows[n++];
        r->id = sqlite3_column_int64(st, 0);
        r->repeat_of = sqlite3_column_int64(st, 1);
        r->received = sqlite3_column_int64(st, 2);
        r->code = arena_strdup(a, db_col_text(st, 3));
        r->title = arena_strdup(a, db_col_text(st, 4));
        r->text = arena_printf(a, "%s %s", db_col_text(st, 4), db_col_text(st, 5));
        r->village = village_of(a, db_col_text(st, 6));
    }
    sqlite3_reset(st);
    /* Rows are grouped by village: only neighbours in a group are compared. */
    size_t cap = 256, np = 0;
    struct pair *pairs = malloc(cap * sizeof(*pairs));
    for (int i = 0; pairs && i < n; i++)
        for (int j = i + 1; j < n && strcmp(rows[i].village, rows[j].village) == 0; j++) {
            const struct row *x = &rows[i], *y = &rows[j];
            if (x->repeat_of == y->id || y->repeat_of == x->id)
                continue;
            double sim = dup_similarity(x->text, y->text);
            if (sim < PETITION_PAIR_MIN)
                continue;
            if (np == cap) {
                cap *= 2;
                struct pair *m = realloc(pairs, cap * sizeof(*pairs));
                if (!m)
                    break;
                pairs = m;
            }
            /* earlier first */
            int early = x->received <= y->received ? i : j, late = early == i ? j : i;
            pairs[np++] = (struct pair){early, late, sim};
        }
    if (pairs)
        qsort(pairs, np, sizeof(*pairs), by_sim);
    json_t *items = json_array();
    st = db_prepare(db, "SELECT EXISTS (SELECT 1 FROM petitioner x JOIN petitioner y ON "
                        "x.person_id = y.person_id WHERE x.petition_id = ? AND y.petition_id = ?)");
    for (size_t k = 0; k < np && (int)k < limit; k++) {
        const struct row *e = &rows[pairs[k].i], *l = &rows[pairs[k].j];
        db_bind_int(st, 1, e->id);
        db_bind_int(st, 2, l->id);
        int same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        json_array_append_new(items,
                              json_pack("{s:o,s:o,s:f,s:b}", "earlier", side(e), "later", side(l),
                                        "similarity", (double)(int)(pairs[k].sim * 1000) / 1000,
                                        "same_person", same));
    }
    free(pairs);
    return json_pack("{s:o,s:i}", "items", items, "compared", n);
}
