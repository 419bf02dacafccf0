/*
 * embedded.h - files compiled into the binary (migrations, default data).
 * The table is generated at build time by tools/embed.c from sql/ and data/.
 */
#ifndef PINGAN_EMBEDDED_H
#define PINGAN_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name; /* path as in the source tree, e.g. "sql/001_init.sql" */
    const char *data; /* NUL-terminated */
    size_t len;
};

/* Terminated by an entry with name == NULL; sorted as given to the generator. */
extern const struct embedded_file embedded_files[];

/* Returns the file or NULL. */
const struct embedded_file *embedded_find(const char *name);

#include "banned.h"
#endif
