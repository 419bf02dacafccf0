#include "session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/xalloc.h"

#define TOUCH_EVERY_MS 30000

static int resolve_from_db(struct db *db, struct arena *a, const unsigned char hash[32],
                           int64_t now, int64_t idle_ms, struct who *w, int64_t *last_ms,
                           struct err *e);

static void token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int session_create(struct db *db, int64_t account_id, const char *address, int64_t now,
                   char token[SESSION_TOKEN_LEN + 1], struct err *e)
{
    unsigned char raw[32], hash[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, SESSION_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    token_hash(token, hash);
    sqlite3_stmt *st = db_prepare(db, "INSERT INTO session (token_hash, account_id, created_ms, "
                                      "last_ms, address) VALUES (?, ?, ?, ?, ?)");
    sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
    db_bind_int(st, 2, account_id);
    db_bind_int(st, 3, now);
    db_bind_int(st, 4, now);
    db_bind_text(st, 5, address);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "db_error", NULL, "无法创建会话: %s", db_errmsg(db));
    return 0;
}

#define WHO_COLS                                                                                   \
    "ac.id, ac.username, ac.name, ac.role, ac.area_id, ar.code, ar.name, ar.level, ar.path, "      \
    "coalesce(ac.department_id, 0), d.name, ac.disabled "
#define WHO_JOINS                                                                                  \
    "JOIN area ar ON ar.id = ac.area_id LEFT JOIN department d ON d.id = ac.department_id "

static void row_to_who(sqlite3_stmt *st, int col, struct arena *a, struct who *w)
{
    w->account_id = sqlite3_column_int64(st, col);
    w->username = arena_strdup(a, db_col_text(st, col + 1));
    w->name = arena_strdup(a, db_col_text(st, col + 2));
    w->role = arena_strdup(a, db_col_text(st, col + 3));
    w->area_id = sqlite3_column_int64(st, col + 4);
    w->area_code = arena_strdup(a, db_col_text(st, col + 5));
    w->area_name = arena_strdup(a, db_col_text(st, col + 6));
    w->area_level = arena_strdup(a, db_col_text(st, col + 7));
    w->scope_path = arena_strdup(a, db_col_text(st, col + 8));
    w->department_id = sqlite3_column_int64(st, col + 9);
    const char *d = db_col_text_or_null(st, col + 10);
    w->department = d ? arena_strdup(a, d) : NULL;
}

int who_load(struct db *db, struct arena *a, int64_t account_id, struct who *w)
{
    sqlite3_stmt *st = db_prepare(db, "SELECT " WHO_COLS "FROM account ac " WHO_JOINS "WHERE ac.id = ?");
    db_bind_int(st, 1, account_id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row_to_who(st, 0, a, w);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/*
 * A per-thread cache of resolved sessions. An entry is used only while the
 * database generation (db_generation: any commit by another connection, any
 * change by this thread's own) is the one it was made at, so a logout, a
 * disabled account or a password reset anywhere drops it at once; and only
 * while the session is neither idle too long nor due for its touch.
 */
#define CACHE_SLOTS 64

struct cached_session {
    unsigned char hash[32];
    struct db_generation gen;
    int64_t last_ms;
    int used;
    struct who w; /* strings owned by the entry (xstrdup) */
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void who_free(struct who *w)
{
    free((char *)w->username);
    free((char *)w->name);
    free((char *)w->role);
    free((char *)w->area_code);
    free((char *)w->area_name);
    free((char *)w->area_level);
    free((char *)w->scope_path);
    free((char *)w->department);
}

static void cache_free(void *p)
{
    struct cached_session *c = p;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (c[i].used)
            who_free(&c[i].w);
    free(c);
}

static void cache_key_make(void)
{
    pthread_key_create(&cache_key, cache_free);
}

static struct cached_session *cache_slot(const unsigned char hash[32])
{
    pthread_once(&cache_once, cache_key_make);
    struct cached_session *c = pthread_getspecific(cache_key);
    if (!c) {
        c = xcalloc(CACHE_SLOTS, sizeof(*c));
        pthread_setspecific(cache_key, c);
    }
    return &c[hash[0] % CACHE_SLOTS];
}

static const char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void who_copy(struct who *dst, const struct who *src, struct arena *a)
{
    *dst = *src;
#define COPY(f) dst->f = src->f ? (a ? arena_strdup(a, src->f) : dup_or_null(src->f)) : NULL
    COPY(username);
    COPY(name);
    COPY(role);
    COPY(area_code);
    COPY(area_name);
    COPY(area_level);
    COPY(scope_path);
    COPY(department);
#undef COPY
}

int session_resolve(struct db *db, struct arena *a, const char *token, int64_t now,
                    int64_t idle_ms, struct who *w, struct err *e)
{
    if (strlen(token) != SESSION_TOKEN_LEN)
        return err_set(e, ERR_UNAUTH, "invalid_session", NULL, "会话无效，请重新登录");
    unsigned char hash[32];
    token_hash(token, hash);
    struct cached_session *c = cache_slot(hash);
    if (c->used && memcmp(c->hash, hash, 32) == 0 && now - c->last_ms <= idle_ms &&
        now - c->last_ms <= TOUCH_EVERY_MS && db_generation_eq(c->gen, db_generation(db))) {
        who_copy(w, &c->w, a);
        return 0;
    }
    int64_t last = 0;
    int rc = resolve_from_db(db, a, hash, now, idle_ms, w, &last, e);
    if (rc == 0) {
        if (c->used)
            who_free(&c->w);
        memcpy(c->hash, hash, 32);
        who_copy(&c->w, w, NULL);
        c->last_ms = last; /* the session's last use as stored (touched if it was due) */
        c->gen = db_generation(db);
        c->used = 1;
    }
    return rc;
}

static int resolve_from_db(struct db *db, struct arena *a, const unsigned char hash[32],
                           int64_t now, int64_t idle_ms, struct who *w, int64_t *last_ms,
                           struct err *e)
{
    sqlite3_stmt *st = db_prepare(
        db, "SELECT s.last_ms, " WHO_COLS "FROM session s JOIN account ac ON ac.id = s.account_id "
            WHO_JOINS "WHERE s.token_hash = ?");
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return err_set(e, ERR_UNAUTH, "invalid_session", NULL, "会话无效，请重新登录");
    }
    int64_t last = sqlite3_column_int64(st, 0);
    int disabled = sqlite3_column_int(st, 12);
    row_to_who(st, 1, a, w);
    sqlite3_reset(st);
    if (disabled || now - last > idle_ms) {
        st = db_prepare(db, "DELETE FROM session WHERE token_hash = ?");
        sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
        memset(w, 0, sizeof(*w));
        if (disabled)
            return err_set(e, ERR_UNAUTH, "account_disabled", NULL, "账号已停用");
        return err_set(e, ERR_UNAUTH, "session_expired", NULL, "会话已超时，请重新登录");
    }
    *last_ms = last;
    if (now - last > TOUCH_EVERY_MS) {
        *last_ms = now;
        st = db_prepare(db, "UPDATE session SET last_ms = ? WHERE token_hash = ?");
        db_bind_int(st, 1, now);
        sqlite3_bind_blob(st, 2, hash, 32, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    return 0;
}

int session_delete(struct db *db, const char *token)
{
    unsigned char hash[32];
    token_hash(token, hash);
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM session WHERE token_hash = ?");
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

int session_delete_account(struct db *db, int64_t account_id)
{
    sqlite3_stmt *st = db_prepare(db, "DELETE FROM session WHERE account_id = ?");
    db_bind_int(st, 1, account_id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}
