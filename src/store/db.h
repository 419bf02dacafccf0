/*
 * db.h - the store: SQLite connections, the prepared-statement cache,
 * transactions, migrations and online backup.
 *
 * Domain modules own their SQL; they reach the database only through this
 * interface, so that a PostgreSQL backend can sit beside SQLite later (the
 * dialect differences stay in src/store/).
 *
 * Threads: every HTTP worker thread uses its own connection (db_for_thread),
 * opened on first use and closed by db_close_all() at shutdown. Writers of
 * this process queue on one mutex before BEGIN IMMEDIATE (db_begin with
 * immediate = 1), held until commit or rollback, so the write lock passes
 * from one to the next at once; busy_timeout makes a writer of another
 * process (the CLI, a backup) wait, not fail.
 */
#ifndef PINGAN_DB_H
#define PINGAN_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* The schema version this binary knows (number of embedded migrations). */
int db_schema_known(void);

/*
 * Opens path with WAL, foreign keys and busy_timeout, and applies the
 * embedded migrations (unless migrate == 0). Refuses a database whose
 * schema is newer than this binary. sync_full: 1 = synchronous FULL.
 * Returns the connection, or NULL with a message in err.
 */
struct db *db_open(const char *path, int sync_full, int migrate, char *err, size_t errsize);
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);

/* Sets what db_for_thread() opens. Call once before the server starts. */
void db_configure(const char *path, int sync_full);
/* The calling thread's connection (opened lazily; aborts if it cannot open). */
struct db *db_for_thread(void);
/* Closes every connection opened by db_for_thread(). */
void db_close_all(void);

/*
 * Returns the cached prepared statement for sql, reset and with bindings
 * cleared. sql must be a string literal (it is cached by address). A
 * statement that fails to prepare is a bug: it aborts with the message.
 */
sqlite3_stmt *db_prepare(struct db *db, const char *sql);
/* Runs one or more statements without results; returns 0 or -1 (logged). */
int db_exec(struct db *db, const char *sql);

/* Transactions. begin: immediate = 1 takes the write lock at once. */
int db_begin(struct db *db, int immediate);
int db_commit(struct db *db);
/* A read transaction that begins only when the first statement is prepared,
 * so a request answered from memory takes no database lock at all. Ended by
 * db_commit / db_rollback like any other. */
int db_begin_lazy(struct db *db);
void db_rollback(struct db *db);
int db_in_tx(struct db *db);

/* Bind helpers (1-based index); text NULL binds SQL NULL. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
void db_bind_int(sqlite3_stmt *st, int i, int64_t v);
/* Column text or "" if NULL (owned by the statement until the next step). */
const char *db_col_text(sqlite3_stmt *st, int i);
/* Column text or NULL. */
const char *db_col_text_or_null(sqlite3_stmt *st, int i);

/* Runs sql (a literal with one parameter, bound to key) and returns the
 * integer in the first column of its first row: an id found by a unique
 * key. 0 when there is no row. */
int64_t db_id_by_text(struct db *db, const char *sql, const char *key);

/* Last error message of the connection. */
const char *db_errmsg(struct db *db);

/*
 * Copies the live database src_path into dst_path with the online backup
 * API (works while a server writes), then checks the copy with
 * PRAGMA integrity_check. Returns 0 or -1 with err set.
 */
int db_backup(const char *src_path, const char *dst_path, char *err, size_t errsize);

/*
 * A value that changes whenever the database may have changed as seen by
 * this connection: commits by any other connection (PRAGMA data_version) or
 * rows changed by this one (sqlite3_total_changes). Caches of rendered
 * responses compare it to know they are still true.
 */
struct db_generation {
    int64_t data_version;
    int64_t own_changes;
};
struct db_generation db_generation(struct db *db);
int db_generation_eq(struct db_generation a, struct db_generation b);

/* Returns the schema version stored in the database file (PRAGMA user_version). */
int db_schema_version(struct db *db);

#include "util/banned.h"
#endif
