/*
 * buf.h - the one growable byte buffer, and a non-owning slice.
 *
 * A struct buf is never NULL-pointed: after BUF_INIT, ptr points to an empty
 * static string, and it is always NUL-terminated. Each buffer may carry a
 * size cap (max, 0 = unlimited): an append that would exceed it fails with -1
 * and leaves the buffer unchanged, so request bodies and responses cannot
 * grow without bound.
 */
#ifndef PINGAN_BUF_H
#define PINGAN_BUF_H

#include <stdarg.h>
#include <stddef.h>

extern char buf_empty[1];

struct buf {
    char *ptr;
    size_t len;
    size_t cap; /* 0 while ptr == buf_empty */
    size_t max; /* cap on len; 0 = no cap */
};
#define BUF_INIT {buf_empty, 0, 0, 0}

void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer is reset to BUF_INIT (keeping max). */
void buf_release(struct buf *b);
/* Returns the heap string (caller frees; never NULL) and resets b. */
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);

/* Appends; return 0, or -1 when the cap would be exceeded (nothing added). */
int buf_add(struct buf *b, const void *data, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* A (ptr, len) view into memory owned by someone else. */
struct slice {
    const char *ptr;
    size_t len;
};
#define SLICE_LIT(s) ((struct slice){(s), sizeof(s) - 1})
int slice_eq(struct slice a, const char *s);

#include "banned.h"
#endif
