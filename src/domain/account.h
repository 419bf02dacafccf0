/*
 * account.h - accounts: who may sign in, with which role, over which subtree.
 *
 * Every account is scoped to one area (its subtree); a handler also belongs
 * to a department. Passwords are argon2id hashes; 5 failed logins in a row
 * (config lock_after) lock the account for 15 minutes (lock_seconds), and
 * while locked even the right password is refused.
 */
#ifndef PINGAN_ACCOUNT_H
#define PINGAN_ACCOUNT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/session.h"
#include "util/arena.h"
#include "util/err.h"

struct db;

struct account_input {
    const char *username;
    const char *name;
    const char *role;
    const char *area;       /* area code */
    const char *department; /* department name, handlers only */
    const char *password;
};

struct pw_cost {
    long ops;
    long mem_kib;
};

struct login_rules {
    int lock_after;
    int64_t lock_ms;
    struct pw_cost cost; /* for the equal-time refusal of unknown names */
};

/* Validates a create body; pure. */
int account_from_json(json_t *body, struct account_input *in, struct err *e);
/* Checks the username form: 3-64 of [a-z0-9_.-], starting with a letter. */
int account_check_username(const char *username, struct err *e);

/*
 * Creates an account in area_id. granter_role: the creating account's role
 * (NULL for the command line, which may grant anything). pw_hash: when not
 * NULL, used instead of hashing in->password (the demo shares one hash).
 * Returns the id or -1 with e.
 */
int64_t account_create(struct db *db, const struct account_input *in, int64_t area_id,
                       const char *granter_role, int64_t created_by, const struct pw_cost *cost,
                       const char *pw_hash, int64_t now, struct err *e);

/* Verifies credentials with the lockout rules; on success fills w. */
int account_login(struct db *db, struct arena *a, const char *username, const char *password,
                  int64_t now, const struct login_rules *rules, struct who *w, struct err *e);

/* The area path of an account (scope resolution); 0 or -1 if no such account. */
int account_area_path(struct db *db, struct arena *a, int64_t id, const char **path);
json_t *account_get_json(struct db *db, int64_t id, int64_t now);
/* {"items":[…],"total":N} of accounts in scope, optionally of one role. */
json_t *account_list_json(struct db *db, struct arena *a, const char *scope, const char *role,
                          long limit, long offset, int64_t now);
int account_set_disabled(struct db *db, int64_t id, int disabled, struct err *e);
int account_set_password(struct db *db, int64_t id, const char *password,
                         const struct pw_cost *cost, int64_t now, struct err *e);
/* Finds an account id by username (0 if none). */
int64_t account_id_by_username(struct db *db, const char *username);

#include "util/banned.h"
#endif
