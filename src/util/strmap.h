/*
 * strmap.h - a string → integer map (open addressing, FNV-1a), for indexes
 * built and dropped within one operation. Keys are borrowed: they must
 * outlive the map.
 */
#ifndef PINGAN_STRMAP_H
#define PINGAN_STRMAP_H

#include <stddef.h>

struct strmap {
    const char **keys;
    size_t *vals;
    size_t n, cap;
};
#define STRMAP_INIT {NULL, NULL, 0, 0}

/* Sets key to val (replacing). */
void strmap_put(struct strmap *m, const char *key, size_t val);
/* Returns 1 and sets *val if key is present, else 0. */
int strmap_get(const struct strmap *m, const char *key, size_t *val);
void strmap_release(struct strmap *m);

#include "banned.h"
#endif
