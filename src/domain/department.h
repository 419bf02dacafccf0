/*
 * department.h - the departments work is dispatched to (公安, 城管, 司法所 …).
 * Seeded with the categories from the shipped taxonomy (domain/category.c).
 */
#ifndef PINGAN_DEPARTMENT_H
#define PINGAN_DEPARTMENT_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* Id by name, 0 if none. */
int64_t department_find(struct db *db, const char *name);
/* [{id,name}] */
json_t *department_list_json(struct db *db);

#include "util/banned.h"
#endif
