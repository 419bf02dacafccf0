/*
 * level.h - the configured area levels (config key area_levels).
 *
 * The levels are configuration, not code: a county may have more or fewer.
 * level_sync() writes the configured list into the area_level table at start
 * and refuses a list that drops a level still used by an area.
 */
#ifndef PINGAN_LEVEL_H
#define PINGAN_LEVEL_H

#include <jansson.h>

#include "util/err.h"

struct db;

/* Parses "county=县,township=乡镇,..." and stores it. 0 or -1 with e. */
int level_sync(struct db *db, const char *spec, struct err *e);
/* Rank of a level (0 = top), or -1 if unknown. */
int level_depth(struct db *db, const char *key);
/* [{key,name,depth}] in order. */
json_t *level_list_json(struct db *db);

#include "util/banned.h"
#endif
