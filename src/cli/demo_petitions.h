/*
 * demo_petitions.h - the demo county's petition ledger (demo_petitions.c).
 */
#ifndef PINGAN_DEMO_PETITIONS_H
#define PINGAN_DEMO_PETITIONS_H

#include <stdint.h>

struct db;
struct seal;

/* Adds about two years of petitions before now over the villages' micro-
 * grids, at every step of their procedure, inside the caller's transaction;
 * deterministic. 0, or -1 (message printed). */
int demo_petitions(struct db *db, const struct seal *seal, int64_t now);

#include "util/banned.h"
#endif
