/*
 * session.h - who is asking: login sessions and the principal.
 *
 * A session token is 32 random bytes (base64url, 43 characters). The
 * database keeps only its BLAKE2b hash. A session expires after
 * `session_idle` seconds without a request; last use is written at most
 * every 30 seconds so reads stay reads.
 */
#ifndef PINGAN_SESSION_H
#define PINGAN_SESSION_H

#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

/* The signed-in account, as every route sees it. */
struct who {
    int64_t account_id; /* 0 = anonymous */
    const char *username;
    const char *name;
    const char *role;
    int64_t area_id;
    const char *area_code;
    const char *area_name;
    const char *area_level;
    const char *scope_path; /* ancestor path of the account's area: its scope */
    int64_t department_id;  /* 0 = none */
    const char *department;
};

#define SESSION_TOKEN_LEN 43

/* Creates a session; writes the token (NUL-terminated) into token. */
int session_create(struct db *db, int64_t account_id, const char *address, int64_t now,
                   char token[SESSION_TOKEN_LEN + 1], struct err *e);
/* Resolves a token into w (strings in the arena). Errors: ERR_UNAUTH with
 * code invalid_session or session_expired (the session is then deleted). */
int session_resolve(struct db *db, struct arena *a, const char *token, int64_t now,
                    int64_t idle_ms, struct who *w, struct err *e);
/* Deletes the session of token (no error if none). */
int session_delete(struct db *db, const char *token);
/* Deletes every session of an account (disable, password reset). */
int session_delete_account(struct db *db, int64_t account_id);
/* Loads the principal of an account id (for the CLI and tests). */
int who_load(struct db *db, struct arena *a, int64_t account_id, struct who *w);

#include "util/banned.h"
#endif
