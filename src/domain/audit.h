/*
 * audit.h - the append-only audit log (GB/T 22239 安全审计).
 *
 * Every write, every login (success and failure), every access denied by
 * scope and every read of personal data is one row: who, when, from where,
 * what, on which object, with which outcome. The table refuses UPDATE and
 * DELETE by trigger; nothing in the API writes it except audit_append().
 */
#ifndef PINGAN_AUDIT_H
#define PINGAN_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"

struct db;

struct audit_entry {
    int64_t at_ms;
    int64_t account_id; /* 0 = anonymous */
    const char *username;
    const char *address;
    const char *action;
    const char *object;
    const char *outcome; /* ok, denied, error */
    int status;
    const char *scope_path; /* whose subtree may read this row */
    const char *request_id;
    json_t *detail; /* borrowed; may be NULL */
};

/* Appends one row. Returns 0 or -1 (logged: the caller decides). */
int audit_append(struct db *db, const struct audit_entry *e);

struct audit_filter {
    const char *account; /* username */
    const char *action;  /* exact, or prefix ending in '.' e.g. "auth." */
    const char *object;
    int64_t from_ms, to_ms; /* 0 = open */
    long limit, offset;
};

/* Rows readable by scope_path, newest first: {"items":[…],"total":N}. A root
 * scope also sees rows with no scope (e.g. failed logins of unknown names). */
json_t *audit_list_json(struct db *db, struct arena *a, const char *scope_path,
                        const struct audit_filter *f);

#include "util/banned.h"
#endif
