/*
 * department.h - the departments work is dispatched to (公安, 城管, 司法所 …).
 * Seeded from the department column of the shipped taxonomy (data/taxonomy.tsv).
 */
#ifndef PINGAN_DEPARTMENT_H
#define PINGAN_DEPARTMENT_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* Inserts every department named in the embedded taxonomy that is missing.
 * Returns the number added, or -1. */
int department_seed(struct db *db);
/* Id by name, 0 if none. */
int64_t department_find(struct db *db, const char *name);
/* [{id,name}] */
json_t *department_list_json(struct db *db);

#include "util/banned.h"
#endif
