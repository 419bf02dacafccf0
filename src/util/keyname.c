#include "keyname.h"

#include <string.h>

const char *keyname_name(const struct keyname *t, const char *key)
{
    for (; key && t->key; t++)
        if (strcmp(t->key, key) == 0)
            return t->name;
    return NULL;
}

const char *keyname_key(const struct keyname *t, const char *name)
{
    for (; name && t->key; t++)
        if (strcmp(t->name, name) == 0)
            return t->key;
    return NULL;
}
