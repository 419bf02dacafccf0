/*
 * keyname.h - the small fixed vocabularies of the domain (kinds of unit,
 * special-group types, line kinds): a stable key for programs and a Chinese
 * name for people, in a table ending with {NULL, NULL}.
 */
#ifndef PINGAN_KEYNAME_H
#define PINGAN_KEYNAME_H

struct keyname {
    const char *key, *name;
};

/* The name of key, or NULL if the table has no such key (or key is NULL). */
const char *keyname_name(const struct keyname *t, const char *key);
/* The key of a name, or NULL. */
const char *keyname_key(const struct keyname *t, const char *name);

#include "banned.h"
#endif
