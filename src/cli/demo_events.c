/*
 * A year of events in a demo database, fast: the events of `pingan demo
 * --scale city` and of bench/gen_events (the data the queue, list and
 * statistics benchmarks run on; issue 5: 1,000,000 events).
 *
 * Each event is at a random micro-grid with a random category of the
 * taxonomy, created at a random moment of the last 365 days, and has gone as
 * far along the loop as its age makes likely: most old events are closed or
 * rated, some rejected, a few still open and overdue; recent ones are spread
 * over the open statuses with deadlines that give green, yellow and red
 * lights. Each has its timeline (one entry per step it took), its lead
 * department once dispatched, and, when a grid worker reported it, the grid
 * worker as reporter. Rows go through the event table itself, so its
 * triggers keep the statistics counters (sql/016_stats.sql) right; no
 * locate, no audit (this is not the API; the intake benchmark measures
 * that). Transactions of 50,000 events; the caller chooses synchronous.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "store/db.h"
#include "util/xalloc.h"

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

struct area_row {
    int64_t id;
    char level[12];
    char *path;
    int64_t worker; /* the grid worker's account (grids only) */
};

struct cat_row {
    char minor[5];
    char level[12];
    int64_t department_id;
    int deadline_h, priority;
};

static uint64_t rng;
static uint64_t next(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return rng >> 17;
}
static double uniform(void)
{
    return (double)(next() & ((1ull << 40) - 1)) / (double)(1ull << 40);
}

static struct area_row *areas;
static size_t nareas;

static struct area_row *area_by_id(int64_t id)
{
    size_t lo = 0, hi = nareas;
    while (lo < hi) { /* areas are loaded ordered by id */
        size_t mid = (lo + hi) / 2;
        if (areas[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nareas && areas[lo].id == id ? &areas[lo] : NULL;
}

/* The ancestor of a path at a level (the area itself included), or NULL. */
static struct area_row *ancestor(const char *path, const char *level)
{
    struct area_row *found = NULL;
    for (const char *p = path; *p == '/' && p[1];) {
        char *end;
        struct area_row *a = area_by_id(strtoll(p + 1, &end, 10));
        if (a && strcmp(a->level, level) == 0)
            found = a;
        p = end;
    }
    return found;
}

static int step(struct db *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "\npingan demo: events: %s\n", db_errmsg(db));
        return -1;
    }
    return 0;
}

/* A unique 10-character tracking code: an odd multiplier is a bijection
 * modulo 2^45, written in the server's alphabet after a 'B'. */
static void track_code(long i, char out[11])
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    uint64_t x = ((uint64_t)i * 0x5DEECE66Dull) & ((1ull << 45) - 1);
    out[0] = 'B';
    for (int k = 1; k < 10; k++, x >>= 5)
        out[k] = alphabet[x & 31];
    out[10] = '\0';
}

static const char *const steps[] = {"register", "dispatch", "accept", "handle", "close",
                                    "evaluate"};
static const char *const reached[] = {"registered", "dispatched", "accepted", "handled",
                                      "closed",     "evaluated"};
static const char *const sources[] = {"grid_worker", "grid_worker", "grid_worker", "resident",
                                      "hotline",     "video",       "department",  "inspection"};


int demo_events(struct db *db, long n, uint64_t seed, int64_t now, demo_progress_fn progress,
                struct demo_events_summary *out_sum)
{
    int rc = -1;
    struct area_row **micro = NULL;
    rng = seed;
    memset(out_sum, 0, sizeof(*out_sum));

    /* The tree, the grid workers, the micro-grids and the categories. */
    size_t cap = 16384, nmicro = 0, ncats = 0;
    areas = xmalloc(cap * sizeof(*areas));
    sqlite3_stmt *st = db_prepare(db, "SELECT id, level, path FROM area WHERE retired_ms IS NULL "
                                      "ORDER BY id");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (nareas == cap)
            areas = xrealloc(areas, (cap *= 2) * sizeof(*areas));
        struct area_row *a = &areas[nareas++];
        a->id = sqlite3_column_int64(st, 0);
        snprintf(a->level, sizeof(a->level), "%s", db_col_text(st, 1));
        a->path = xstrdup(db_col_text(st, 2));
        a->worker = 0;
        nmicro += strcmp(a->level, "microgrid") == 0;
    }
    sqlite3_reset(st);
    micro = xmalloc((nmicro + 1) * sizeof(*micro));
    nmicro = 0;
    for (size_t i = 0; i < nareas; i++)
        if (strcmp(areas[i].level, "microgrid") == 0)
            micro[nmicro++] = &areas[i];
    st = db_prepare(db, "SELECT area_id, id FROM account WHERE role = 'grid_worker'");
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct area_row *a = area_by_id(sqlite3_column_int64(st, 0));
        if (a)
            a->worker = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    struct cat_row cats[512];
    st = db_prepare(db, "SELECT minor, level, department_id, deadline_h, priority FROM category "
                        "ORDER BY minor");
    while (ncats < 512 && sqlite3_step(st) == SQLITE_ROW) {
        struct cat_row *c = &cats[ncats++];
        snprintf(c->minor, sizeof(c->minor), "%s", db_col_text(st, 0));
        snprintf(c->level, sizeof(c->level), "%s", db_col_text(st, 1));
        c->department_id = sqlite3_column_int64(st, 2);
        c->deadline_h = sqlite3_column_int(st, 3);
        c->priority = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    struct area_row *county = nmicro ? ancestor(micro[0]->path, "county") : NULL;
    if (!nmicro || !ncats || !county) {
        fprintf(stderr, "pingan demo: events: no micro-grids or categories\n");
        goto out;
    }
    st = db_prepare(db, "SELECT coalesce(max(id), 0) FROM event");
    int64_t first = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 1;
    sqlite3_reset(st);

    long timeline = 0, depts = 0, open = 0;
    for (long i = 0; i < n; i++) {
        if (i % 50000 == 0) {
            if (i)
                if (db_exec(db, "COMMIT") < 0)
                    goto fail;
            if (db_exec(db, "BEGIN") < 0)
                goto fail;
        }
        int64_t id = first + i;
        struct area_row *m = micro[next() % nmicro];
        struct cat_row *c = &cats[next() % ncats];
        struct area_row *h = ancestor(m->path, c->level);
        struct area_row *grid = ancestor(m->path, "grid");
        const char *source = sources[next() % 8];
        int64_t created = now - (int64_t)(uniform() * 365 * DAY_MS);
        int64_t age_h = (now - created) / HOUR_MS;
        /* How far it went: the index of the last step taken (-1: none). */
        double u = uniform();
        int last;
        const char *final = NULL; /* a side path instead */
        if (age_h > 14 * 24) {
            last = u < 0.35 ? 5 : u < 0.90 ? 4 : u < 0.96 ? -1 : u < 0.98 ? 2 : 3;
            if (last == -1)
                final = "rejected";
        } else {
            last = u < 0.15 ? -1 : u < 0.25 ? 0 : u < 0.45 ? 1 : u < 0.75 ? 2 : u < 0.85 ? 3 : 4;
        }
        const char *status = final ? final : last < 0 ? "reported" : reached[last];
        /* The steps' times: each a fraction of its deadline after the last. */
        int64_t at[7];
        at[0] = created;
        for (int k = 0; k <= last; k++)
            at[k + 1] = at[k] + (int64_t)(uniform() * (k == 2 ? c->deadline_h : 2) * HOUR_MS);
        for (int k = last + 1; k >= 1; k--) /* nothing in the future */
            if (at[k] > now)
                at[k] = now - (last + 1 - k) * 1000;
        int64_t t_last = at[last + 1];
        int is_open = !final && last < 4;
        /* The clock of the step waiting now, as event.c keeps it. */
        const char *clock_step = NULL;
        int64_t budget = 0;
        if (is_open) {
            static const char *const waiting[] = {"desk", "desk", "accept", "handle", "verify"};
            clock_step = waiting[last + 1];
            budget = (last == 1 ? 24 : last == 2 ? c->deadline_h : last == 3 ? 24 : 2) * HOUR_MS;
            open++;
        }
        int64_t deadline = t_last + budget;
        sqlite3_stmt *ins = db_prepare(
            db, "INSERT INTO event (id, source, description, minor, area_id, area_path, "
                "handling_area_id, handling_path, address, reporter_id, status, priority, "
                "department_id, step, step_started_ms, step_budget_ms, deadline_ms, yellow_ms, "
                "next_escalation_ms, rating, track_code, created_ms, updated_ms, closed_ms, light) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                "?17, ?18, ?17, ?19, ?20, ?21, ?22, ?23, ?24)");
        char desc[96], code[11];
        snprintf(desc, sizeof(desc), "生成的事件 %ld：%s 类问题", i + 1, c->minor);
        track_code(id, code);
        db_bind_int(ins, 1, id);
        db_bind_text(ins, 2, source);
        db_bind_text(ins, 3, desc);
        db_bind_text(ins, 4, c->minor);
        db_bind_int(ins, 5, m->id);
        db_bind_text(ins, 6, m->path);
        db_bind_int(ins, 7, h ? h->id : county->id);
        db_bind_text(ins, 8, h ? h->path : county->path);
        db_bind_text(ins, 9, "生成地址");
        int64_t reporter = strcmp(source, "grid_worker") == 0 && grid ? grid->worker : 0;
        if (reporter)
            db_bind_int(ins, 10, reporter);
        db_bind_text(ins, 11, status);
        sqlite3_bind_int(ins, 12, c->priority);
        if (!final && last >= 1)
            db_bind_int(ins, 13, c->department_id);
        if (clock_step) {
            db_bind_text(ins, 14, clock_step);
            db_bind_int(ins, 15, t_last);
            db_bind_int(ins, 16, budget);
            db_bind_int(ins, 17, deadline);
            db_bind_int(ins, 18, deadline - budget / 5);
        }
        if (last == 5)
            sqlite3_bind_int(ins, 19, 1 + (int)(next() % 5));
        db_bind_text(ins, 20, code);
        db_bind_int(ins, 21, created);
        db_bind_int(ins, 22, t_last);
        if (!is_open)
            db_bind_int(ins, 23, final ? at[1] : at[5]);
        /* The light as the light sweep would leave it now (the counters
         * of sql/016_stats.sql take it from the row). */
        db_bind_text(ins, 24, !clock_step               ? "none"
                              : now >= deadline          ? "red"
                              : now >= deadline - budget / 5 ? "yellow"
                                                         : "green");
        if (step(db, ins) < 0)
            goto fail;

        sqlite3_stmt *tl = db_prepare(
            db, "INSERT INTO event_timeline (event_id, at_ms, account_id, actor, action, "
                "from_status, to_status, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        db_bind_int(tl, 1, id);
        db_bind_int(tl, 2, created);
        if (reporter)
            db_bind_int(tl, 3, reporter);
        db_bind_text(tl, 4, reporter ? "grid_worker" : "dispatcher");
        db_bind_text(tl, 5, "report");
        db_bind_text(tl, 7, "reported");
        db_bind_text(tl, 8, source);
        if (step(db, tl) < 0)
            goto fail;
        timeline++;
        const char *from = "reported";
        int nsteps = final ? 1 : last + 1;
        for (int k = 0; k < nsteps; k++) {
            db_bind_int(tl, 1, id);
            db_bind_int(tl, 2, at[k + 1]);
            db_bind_text(tl, 4, k == 2 || k == 3 ? "handler" : "dispatcher");
            db_bind_text(tl, 5, final ? "reject" : steps[k]);
            db_bind_text(tl, 6, from);
            db_bind_text(tl, 7, final ? final : reached[k]);
            if (final || k == 3 || k == 4)
                db_bind_text(tl, 8, final ? "不属于受理范围" : "已处理");
            if (step(db, tl) < 0)
            goto fail;
            from = reached[k];
            timeline++;
        }
        if (!final && last >= 1) {
            sqlite3_stmt *d = db_prepare(db, "INSERT INTO event_department (event_id, "
                                             "department_id, lead) VALUES (?, ?, 1)");
            db_bind_int(d, 1, id);
            db_bind_int(d, 2, c->department_id);
            if (step(db, d) < 0)
                goto fail;
            depts++;
        }
        if (progress && ((i + 1) % 10000 == 0 || i + 1 == n))
            progress("事件 events", i + 1, n);
    }
    if (n > 0 && db_exec(db, "COMMIT") < 0)
        goto out;
    out_sum->open = open;
    out_sum->timeline = timeline;
    out_sum->departments = depts;
    rc = 0;
    goto out;
fail:
    db_exec(db, "ROLLBACK");
out:
    for (size_t i = 0; i < nareas; i++)
        free(areas[i].path);
    free(areas);
    free(micro);
    areas = NULL;
    nareas = 0;
    return rc;
}
