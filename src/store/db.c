#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/embedded.h"
#include "util/log.h"
#include "util/xalloc.h"

static const char LOG_TAG[] = "db";

#define CACHE_SLOTS 256

struct cached {
    const char *sql;
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *h;
    struct cached cache[CACHE_SLOTS];
    int tx_depth;
    int lazy; /* a read transaction is wanted but not yet begun */
    int writer; /* holds write_lock (a BEGIN IMMEDIATE of this process) */
    struct db *next_open; /* list of thread connections */
};

/* ---- migrations ------------------------------------------------------ */

/* Migrations are the embedded files sql/NNN_name.sql, in order. */
static int migration_count(void)
{
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (strncmp(f->name, "sql/", 4) == 0)
            n++;
    return n;
}

int db_schema_known(void)
{
    return migration_count();
}

int db_schema_version(struct db *db)
{
    sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version");
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

static int migrate(struct db *db, char *err, size_t errsize)
{
    int have = db_schema_version(db);
    int known = migration_count();
    if (have > known) {
        snprintf(err, errsize,
                 "database schema version %d is newer than this pingan (knows %d): "
                 "refusing to run; use a newer binary",
                 have, known);
        return -1;
    }
    if (have == known)
        return 0;
    if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_ms INTEGER NOT NULL)") < 0) {
        snprintf(err, errsize, "cannot create schema_migration: %s", db_errmsg(db));
        return -1;
    }
    int v = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "sql/", 4) != 0)
            continue;
        v++;
        if (v <= have)
            continue;
        if (db_begin(db, 1) < 0) {
            snprintf(err, errsize, "migration %s: cannot begin: %s", f->name, db_errmsg(db));
            return -1;
        }
        char *msg = NULL;
        if (sqlite3_exec(db->h, f->data, NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errsize, "migration %s failed: %s", f->name, msg ? msg : "?");
            sqlite3_free(msg);
            db_rollback(db);
            return -1;
        }
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
        sqlite3_stmt *st = db_prepare(
            db, "INSERT INTO schema_migration (version, name, applied_ms) VALUES (?, ?, ?)");
        db_bind_int(st, 1, v);
        db_bind_text(st, 2, f->name + 4);
        db_bind_int(st, 3, clock_now_ms());
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE || db_exec(db, pragma) < 0 || db_commit(db) < 0) {
            snprintf(err, errsize, "migration %s: cannot record: %s", f->name, db_errmsg(db));
            db_rollback(db);
            return -1;
        }
        log_info("applied migration %s (schema version %d)", f->name + 4, v);
    }
    return 0;
}

/* ---- SQL functions ---------------------------------------------------- */

/*
 * What the statistics triggers (sql/016_stats.sql) need and SQLite lacks:
 * path_prefix(path, k) is the area path of depth k on a materialised path
 * ('/1/2/30/', 2 → '/1/2/'; NULL past its end); sh_day(ms) and sh_month(ms)
 * are the Asia/Shanghai day number and yyyymm month of an instant.
 */
static void sql_path_prefix(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *p = (const char *)sqlite3_value_text(v[0]);
    int64_t k = sqlite3_value_int64(v[1]);
    if (!p || p[0] != '/' || k < 1)
        return; /* NULL */
    int64_t seen = 0;
    for (const char *s = p + 1; *s; s++)
        if (*s == '/' && ++seen == k) {
            sqlite3_result_text(c, p, (int)(s - p + 1), SQLITE_TRANSIENT);
            return;
        }
}

static void sql_sh_day(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    if (sqlite3_value_type(v[0]) != SQLITE_NULL)
        sqlite3_result_int64(c, clock_day_cn(sqlite3_value_int64(v[0])));
}

static void sql_sh_month(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    if (sqlite3_value_type(v[0]) != SQLITE_NULL)
        sqlite3_result_int(c, clock_month_cn(sqlite3_value_int64(v[0])));
}

static int register_functions(sqlite3 *h)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_create_function(h, "path_prefix", 2, flags, NULL, sql_path_prefix, NULL, NULL) ||
        sqlite3_create_function(h, "sh_day", 1, flags, NULL, sql_sh_day, NULL, NULL) ||
        sqlite3_create_function(h, "sh_month", 1, flags, NULL, sql_sh_month, NULL, NULL))
        return -1;
    return 0;
}

/* ---- connections ----------------------------------------------------- */

struct db *db_open(const char *path, int sync_full, int do_migrate, char *err, size_t errsize)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsize, "cannot open database %s: %s", path,
                 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return NULL;
    }
    struct db *db = xcalloc(1, sizeof(*db));
    db->h = h;
    sqlite3_busy_timeout(h, 10000);
    sqlite3_extended_result_codes(h, 1);
    char pragmas[256];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s; PRAGMA foreign_keys = ON; "
             "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;",
             sync_full ? "FULL" : "NORMAL");
    char *msg = NULL;
    if (sqlite3_exec(h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errsize, "cannot set up database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        db_close(db);
        return NULL;
    }
    if (register_functions(h) < 0) {
        snprintf(err, errsize, "cannot register SQL functions: %s", sqlite3_errmsg(h));
        db_close(db);
        return NULL;
    }
    if (do_migrate && migrate(db, err, errsize) < 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (db->cache[i].st)
            sqlite3_finalize(db->cache[i].st);
    if (sqlite3_close(db->h) != SQLITE_OK)
        log_error("close: %s", sqlite3_errmsg(db->h));
    free(db);
}

sqlite3 *db_handle(struct db *db)
{
    return db->h;
}

static char *thread_path;
static int thread_sync_full = 1;
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *open_list;
static _Thread_local struct db *thread_db;

void db_configure(const char *path, int sync_full)
{
    free(thread_path);
    thread_path = xstrdup(path);
    thread_sync_full = sync_full;
}

struct db *db_for_thread(void)
{
    if (thread_db)
        return thread_db;
    char err[512];
    BUG_ON(!thread_path);
    struct db *db = db_open(thread_path, thread_sync_full, 0, err, sizeof(err));
    if (!db)
        BUG("%s", err);
    pthread_mutex_lock(&open_lock);
    db->next_open = open_list;
    open_list = db;
    pthread_mutex_unlock(&open_lock);
    thread_db = db;
    return db;
}

void db_close_all(void)
{
    pthread_mutex_lock(&open_lock);
    struct db *db = open_list;
    open_list = NULL;
    pthread_mutex_unlock(&open_lock);
    while (db) {
        struct db *next = db->next_open;
        db_close(db);
        db = next;
    }
    thread_db = NULL;
}

/* ---- statements ------------------------------------------------------ */

static sqlite3_stmt *prepare_cached(struct db *db, const char *sql);

sqlite3_stmt *db_prepare(struct db *db, const char *sql)
{
    if (db->lazy) {
        /* The first statement of a lazy read transaction begins it. */
        db->lazy = 0;
        if (sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
            db->tx_depth = 1;
    }
    return prepare_cached(db, sql);
}

static sqlite3_stmt *prepare_cached(struct db *db, const char *sql)
{
    uintptr_t key = (uintptr_t)sql;
    size_t slot = (size_t)((key >> 3) * 2654435761u) % CACHE_SLOTS;
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        struct cached *c = &db->cache[(slot + probe) % CACHE_SLOTS];
        if (c->sql == sql) {
            sqlite3_reset(c->st);
            sqlite3_clear_bindings(c->st);
            return c->st;
        }
        if (!c->sql) {
            if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) !=
                SQLITE_OK)
                BUG("prepare failed: %s\nSQL: %s", sqlite3_errmsg(db->h), sql);
            c->sql = sql;
            return c->st;
        }
    }
    BUG("statement cache full (%d slots)", CACHE_SLOTS);
}

int db_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("exec failed: %s (%.80s)", msg ? msg : "?", sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Writers of this process queue on a mutex before BEGIN IMMEDIATE. SQLite
 * alone makes a writer that finds the lock taken sleep and retry (1, 2, 5,
 * 10 … 100 ms): under a stream of small writes most of the time went into
 * those sleeps while the lock stood free (bench: 340 events/s with 64
 * clients against 875 with one). The mutex hands the lock over at once;
 * busy_timeout still covers other processes (the CLI, a backup). */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
#define WRITE_WAIT_S 10

static int write_lock_take(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WRITE_WAIT_S;
    int rc = pthread_mutex_timedlock(&write_lock, &until);
    if (rc != 0)
        log_warn("waited %d s for the write lock: giving up", WRITE_WAIT_S);
    return rc == 0 ? 0 : -1;
}

static void write_lock_give(struct db *db)
{
    if (db->writer) {
        db->writer = 0;
        pthread_mutex_unlock(&write_lock);
    }
}

int db_begin(struct db *db, int immediate)
{
    BUG_ON(db->tx_depth != 0);
    if (immediate) {
        if (write_lock_take() < 0)
            return -1;
        db->writer = 1;
    }
    if (db_exec(db, immediate ? "BEGIN IMMEDIATE" : "BEGIN") < 0) {
        write_lock_give(db);
        return -1;
    }
    db->tx_depth = 1;
    return 0;
}

int db_begin_lazy(struct db *db)
{
    BUG_ON(db->tx_depth != 0 || db->lazy);
    db->lazy = 1;
    return 0;
}

int db_commit(struct db *db)
{
    if (db->lazy) { /* nothing was read: nothing to end */
        db->lazy = 0;
        return 0;
    }
    BUG_ON(db->tx_depth != 1);
    if (db_exec(db, "COMMIT") < 0)
        return -1; /* still in the transaction: the caller rolls back */
    db->tx_depth = 0;
    write_lock_give(db);
    return 0;
}

void db_rollback(struct db *db)
{
    db->lazy = 0;
    if (!sqlite3_get_autocommit(db->h))
        db_exec(db, "ROLLBACK");
    db->tx_depth = 0;
    write_lock_give(db);
}

int db_in_tx(struct db *db)
{
    return db->tx_depth || db->lazy;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void db_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st, i, v);
}

const char *db_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

const char *db_col_text_or_null(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int64_t db_id_by_text(struct db *db, const char *sql, const char *key)
{
    sqlite3_stmt *st = db_prepare(db, sql);
    db_bind_text(st, 1, key);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->h);
}

/* ---- backup ---------------------------------------------------------- */

int db_backup(const char *src_path, const char *dst_path, char *err, size_t errsize)
{
    sqlite3 *src = NULL, *dst = NULL;
    int ret = -1;
    if (access(src_path, R_OK) != 0) {
        snprintf(err, errsize, "cannot read %s", src_path);
        return -1;
    }
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errsize, "cannot open %s: %s", src_path, sqlite3_errmsg(src));
        goto out;
    }
    sqlite3_busy_timeout(src, 10000);
    unlink(dst_path);
    if (sqlite3_open(dst_path, &dst) != SQLITE_OK) {
        snprintf(err, errsize, "cannot create %s: %s", dst_path, sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        snprintf(err, errsize, "backup init: %s", sqlite3_errmsg(dst));
        goto out;
    }
    int rc;
    /* Copy in steps so a running server's writers are not held off for long. */
    while ((rc = sqlite3_backup_step(bk, 1024)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        sqlite3_sleep(rc == SQLITE_OK ? 0 : 20);
    sqlite3_backup_finish(bk);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsize, "backup failed: %s", sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errsize, "integrity check: %s", sqlite3_errmsg(dst));
        goto out;
    }
    const char *res = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
                                                      : "no result";
    if (!res || strcmp(res, "ok") != 0) {
        snprintf(err, errsize, "the copy fails integrity_check: %s", res ? res : "?");
        sqlite3_finalize(st);
        goto out;
    }
    sqlite3_finalize(st);
    ret = 0;
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return ret;
}

struct db_generation db_generation(struct db *db)
{
    struct db_generation g = {0, sqlite3_total_changes64(db->h)};
    /* Not a read of data: it does not begin a lazy transaction. */
    sqlite3_stmt *st = prepare_cached(db, "PRAGMA data_version");
    if (sqlite3_step(st) == SQLITE_ROW)
        g.data_version = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return g;
}

int db_generation_eq(struct db_generation a, struct db_generation b)
{
    return a.data_version == b.data_version && a.own_changes == b.own_changes;
}
