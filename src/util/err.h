/*
 * err.h - an error value that domain code returns to its caller.
 *
 * Domain modules know nothing of HTTP: they say what kind of failure it was,
 * a stable snake_case code, the field at fault (or NULL) and a Chinese
 * message for people. The API layer maps the kind to a status code.
 */
#ifndef PINGAN_ERR_H
#define PINGAN_ERR_H

#include <stddef.h>

enum err_kind {
    ERR_NONE = 0,
    ERR_INVALID,   /* bad input: 400 */
    ERR_UNAUTH,    /* not signed in / bad credentials: 401 */
    ERR_FORBIDDEN, /* signed in but not allowed: 403 */
    ERR_NOT_FOUND, /* 404 (also for objects outside the caller's scope) */
    ERR_CONFLICT,  /* state or uniqueness conflict: 409 */
    ERR_LOCKED,    /* account locked: 423 */
    ERR_THROTTLED, /* too many attempts: 429 */
    ERR_INTERNAL,  /* 500 */
};

struct err {
    enum err_kind kind;
    const char *code;
    const char *field;
    char message[256];
};
#define ERR_INIT {ERR_NONE, NULL, NULL, {0}}

/* Records the error if none is recorded yet (the first one sticks). Returns -1. */
int err_set(struct err *e, enum err_kind kind, const char *code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The HTTP status for a kind. */
int err_status(enum err_kind kind);

#include "banned.h"
#endif
