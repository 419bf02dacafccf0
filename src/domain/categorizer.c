#include "categorizer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/category.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/embedded.h"
#include "util/xalloc.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* loading and swapping */
static pthread_rwlock_t in_use = PTHREAD_RWLOCK_INITIALIZER; /* predictions read the model */
static struct classifier *model; /* the one in use, for model_path */
static char model_for[1024];

void categorizer_default_path(const char *db_path, char *out, size_t size)
{
    snprintf(out, size, "%s.model", db_path);
}

struct examples {
    char **labels, **texts;
    size_t n, cap, shipped;
};

static void add(struct examples *x, const char *label, size_t llen, const char *text, size_t tlen)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 4096;
        x->labels = xrealloc(x->labels, x->cap * sizeof(*x->labels));
        x->texts = xrealloc(x->texts, x->cap * sizeof(*x->texts));
    }
    x->labels[x->n] = xstrndup(label, llen);
    x->texts[x->n] = xstrndup(text, tlen);
    x->n++;
}

static void release(struct examples *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->labels[i]);
        free(x->texts[i]);
    }
    free(x->labels);
    free(x->texts);
    memset(x, 0, sizeof(*x));
}

/* The shipped examples (minor<TAB>text lines) and the kept ones. */
static int load_examples(struct db *db, struct examples *x, struct err *e)
{
    const struct embedded_file *f = embedded_find("data/classify/examples.tsv");
    if (!f)
        return err_set(e, ERR_INTERNAL, "no_examples", NULL, "缺少内置的分类样本");
    const char *p = f->data, *end = f->data + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *tab = memchr(p, '\t', (size_t)(eol - p));
        if (tab && tab > p && eol > tab + 1)
            add(x, p, (size_t)(tab - p), tab + 1, (size_t)(eol - tab - 1 - (eol[-1] == '\r')));
        p = nl ? nl + 1 : end;
    }
    x->shipped = x->n;
    sqlite3_stmt *st = db_prepare(db, "SELECT minor, text FROM classifier_example ORDER BY id");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *m = db_col_text(st, 0), *t = db_col_text(st, 1);
        add(x, m, strlen(m), t, strlen(t));
    }
    sqlite3_reset(st);
    return 0;
}

int categorizer_train(struct db *db, const char *model_path, int folds, struct cv_result *cv,
                      size_t *examples, size_t *shipped, struct err *e)
{
    struct examples x = {0};
    if (load_examples(db, &x, e) < 0)
        return -1;
    *examples = x.n;
    *shipped = x.shipped;
    memset(cv, 0, sizeof(*cv));
    int rc = -1;
    if (folds > 1 && classifier_cv((const char *const *)x.labels, (const char *const *)x.texts, x.n,
                                   folds, NULL, cv, e) < 0)
        goto out;
    struct classifier *m =
        classifier_train((const char *const *)x.labels, (const char *const *)x.texts, x.n, NULL, e);
    if (!m)
        goto out;
    if (folds > 1)
        classifier_set_temperature(m, cv->temperature);
    if (classifier_save(m, model_path, e) == 0) {
        sqlite3_stmt *st = db_prepare(
            db, "INSERT INTO classifier_model (version, created_ms, examples, shipped, top1, top3, "
                "major1) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING");
        db_bind_text(st, 1, classifier_version(m));
        db_bind_int(st, 2, clock_now_ms());
        db_bind_int(st, 3, (int64_t)x.n);
        db_bind_int(st, 4, (int64_t)x.shipped);
        if (folds > 1) {
            sqlite3_bind_double(st, 5, cv->top1);
            sqlite3_bind_double(st, 6, cv->top3);
            sqlite3_bind_double(st, 7, cv->major1);
        }
        rc = sqlite3_step(st) == SQLITE_DONE ? 0
                                            : err_set(e, ERR_INTERNAL, "db_error", NULL,
                                                      "数据库错误: %s", db_errmsg(db));
        sqlite3_reset(st);
    }
    classifier_free(m);
out:
    release(&x);
    return rc;
}

/* Makes m the model in use, freeing the one before once nobody uses it;
 * with lock held. */
static void swap_in(struct classifier *m, const char *model_path)
{
    pthread_rwlock_wrlock(&in_use);
    classifier_free(model);
    model = m;
    snprintf(model_for, sizeof(model_for), "%s", model_path);
    pthread_rwlock_unlock(&in_use);
}

const struct classifier *categorizer_model(struct db *db, const char *model_path, int train,
                                           struct err *e)
{
    pthread_mutex_lock(&lock);
    if (!(model && strcmp(model_for, model_path) == 0)) {
        struct err quiet = ERR_INIT;
        struct classifier *m = classifier_load(model_path, &quiet);
        if (!m && train && quiet.code && strcmp(quiet.code, "no_model") == 0) {
            /* No model yet: train one from what there is (no figures). */
            struct cv_result cv;
            size_t n, shipped;
            if (categorizer_train(db, model_path, 0, &cv, &n, &shipped, e) == 0)
                m = classifier_load(model_path, e);
        } else if (!m) {
            *e = quiet;
        }
        if (!m) {
            pthread_mutex_unlock(&lock);
            return NULL;
        }
        swap_in(m, model_path);
    }
    const struct classifier *m = model;
    pthread_rwlock_rdlock(&in_use);
    pthread_mutex_unlock(&lock);
    return m;
}

void categorizer_done(void)
{
    pthread_rwlock_unlock(&in_use);
}

int categorizer_reload(const char *model_path, struct err *e)
{
    pthread_mutex_lock(&lock);
    struct classifier *m = classifier_load(model_path, e);
    if (m)
        swap_in(m, model_path);
    pthread_mutex_unlock(&lock);
    return m ? 0 : -1;
}

json_t *categorizer_answer(struct db *db, const struct classifier *m, const char *text, int top,
                           double review_below)
{
    struct classify_hit hits[16];
    if (top < 1)
        top = 1;
    if (top > 16)
        top = 16;
    int n = classifier_predict(m, text, top, hits);
    struct arena a = ARENA_INIT;
    struct category c;
    const char *code = n ? classifier_label(m, hits[0].label) : NULL;
    int known = code && category_get(db, &a, code, &c) == 0;
    json_t *alts = json_array();
    for (int i = 1; i < n; i++)
        json_array_append_new(alts, json_pack("{s:s,s:f}", "minor", classifier_label(m, hits[i].label),
                                              "score", hits[i].score));
    json_t *o = json_pack("{s:s?,s:s?,s:s?,s:s?,s:f,s:o,s:b,s:s}", "minor", code, "major",
                          known ? c.major : NULL, "department", known ? c.department : NULL,
                          "level", known ? c.level : NULL, "score", n ? hits[0].score : 0.0,
                          "alternatives", alts, "needs_review", !n || hits[0].score < review_below,
                          "model", classifier_version(m));
    arena_release(&a);
    return o;
}

int categorizer_keep(struct db *db, int64_t event_id, const char *minor, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        db, "INSERT INTO classifier_example (minor, text, event_id, corrected, created_ms) "
            "SELECT ?1, description, id, coalesce(proposed_minor <> ?1, 0), ?3 FROM event "
            "WHERE id = ?2 ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO UPDATE "
            "SET minor = excluded.minor, corrected = excluded.corrected");
    db_bind_text(st, 1, minor);
    db_bind_int(st, 2, event_id);
    db_bind_int(st, 3, now);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

int categorizer_retrain(struct db *db, const char *model_path, struct err *e)
{
    /* New since the model in use was built (another file trained by hand
     * does not count). */
    char version[24] = "";
    struct err quiet = ERR_INIT;
    const struct classifier *m = categorizer_model(db, model_path, 0, &quiet);
    if (m) {
        snprintf(version, sizeof(version), "%s", classifier_version(m));
        categorizer_done();
    }
    sqlite3_stmt *st = db_prepare(
        db, "SELECT count(*) FROM classifier_example WHERE created_ms > "
            "coalesce((SELECT created_ms FROM classifier_model WHERE version = ?), 0)");
    db_bind_text(st, 1, version);
    int64_t fresh = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (!fresh)
        return 0;
    struct cv_result cv;
    size_t n, shipped;
    if (categorizer_train(db, model_path, 0, &cv, &n, &shipped, e) < 0 ||
        categorizer_reload(model_path, e) < 0)
        return -1;
    return (int)fresh;
}
