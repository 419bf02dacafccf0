/*
 * xalloc.h - allocation that aborts on out-of-memory, and BUG() for broken
 * invariants. Pingan is an application: there is no sensible recovery from
 * a failed malloc, so every allocation goes through these wrappers.
 */
#ifndef PINGAN_XALLOC_H
#define PINGAN_XALLOC_H

#include <stddef.h>

/* Never return NULL: on failure they log and abort(). */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a heap copy of s (caller frees). xstrndup copies at most n bytes. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Always-on assertion for invariants: logs file:line and aborts. */
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
#define BUG_ON(cond)                                                                               \
    do {                                                                                           \
        if (cond)                                                                                  \
            BUG("BUG_ON(%s)", #cond);                                                              \
    } while (0)
_Noreturn void bug_fl(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#include "banned.h"
#endif
