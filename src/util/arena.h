/*
 * arena.h - a request-scoped bump allocator.
 *
 * Everything a handler allocates for one request comes from the request's
 * arena and is dropped at once when the response has been sent. Allocation
 * never fails (aborts on OOM like xmalloc).
 */
#ifndef PINGAN_ARENA_H
#define PINGAN_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena {
    struct arena_block *head;
};
#define ARENA_INIT {NULL}

/* Returns zeroed memory aligned for any type, owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every block; the arena can be used again afterwards. */
void arena_release(struct arena *a);

#include "banned.h"
#endif
