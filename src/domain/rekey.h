/*
 * rekey.h - step 2 of a key rotation (util/seal.h): every sealed value of
 * the database encrypted again, and every blind index computed again, with
 * the newest key generation.
 */
#ifndef PINGAN_REKEY_H
#define PINGAN_REKEY_H

#include <stddef.h>

#include "util/err.h"

struct db;
struct seal;

/* Re-seals what is not yet under the newest generation, inside the caller's
 * transaction. Returns the number of values re-sealed, or -1 with e. */
long rekey_all(struct db *db, const struct seal *seal, struct err *e);

#include "util/banned.h"
#endif
