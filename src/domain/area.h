/*
 * area.h - the tree of areas (county → township → village → grid → micro-grid).
 *
 * Hierarchy design: every area stores its materialised ancestor path of ids,
 * "/1/7/42/" (root first, itself last). A subtree is one index range scan,
 * [path, path_upper(path)), and ancestors are the ids in the path, so both
 * cost the same at any depth. Scope checks are a string prefix test.
 * Moving an area rewrites the paths of its subtree in one UPDATE.
 * Codes are stable identifiers: a child's code starts with its parent's code
 * when it is created (统计用区划代码 6/9/12 digits, then our own suffix);
 * an area that is moved later keeps its code.
 */
#ifndef PINGAN_AREA_H
#define PINGAN_AREA_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct db;

struct area {
    int64_t id;
    const char *code;
    const char *name;
    const char *level;
    const char *level_name;
    int64_t parent_id;
    const char *path;
    int depth;
    const char *valid_from;
    int64_t retired_ms; /* 0 = active */
};

struct area_input {
    const char *code;
    const char *name;
    const char *level;
    const char *valid_from; /* YYYY-MM-DD; NULL = today */
    const char *parent;     /* parent code (update: move target) */
};

/* 1 if path lies inside the subtree whose path is scope (prefix test). */
int area_path_within(const char *scope, const char *path);
/* Upper bound of the subtree range of path (arena string). */
const char *area_path_upper(struct arena *a, const char *path);

/* Loads the area by code into out (strings in the arena). 0, or -1 if none. */
int area_get(struct db *db, struct arena *a, const char *code, struct area *out);
int area_get_by_id(struct db *db, struct arena *a, int64_t id, struct area *out);

/* Checks the form of an area code (2–32 of digits, letters, '-', at least
 * one digit). 0, or -1 with e (field "code"). */
int area_check_code(const char *code, struct err *e);
/* Validates a create body ({code,name,level,valid_from}); pure. */
int area_from_json(json_t *body, struct area_input *in, struct err *e);
/* Validates an update body ({name,valid_from,parent}); pure. */
int area_update_from_json(json_t *body, struct area_input *in, struct err *e);

/* Creates a child of parent (NULL: a root). Returns the new id, or -1 with e. */
int64_t area_create(struct db *db, struct arena *a, const struct area *parent,
                    const struct area_input *in, int64_t now, struct err *e);
/* Renames / re-dates / moves. new_parent may be NULL (no move). */
int area_update(struct db *db, struct arena *a, const struct area *ar, const struct area_input *in,
                const struct area *new_parent, int64_t now, struct err *e);
/* Retires an area whose children are all retired. */
int area_retire(struct db *db, const struct area *ar, int64_t now, struct err *e);

/* Replaces the area's staff. workers: array of {name, username?}; leader:
 * object or null. Usernames must name accounts inside scope_path. */
int area_set_staff(struct db *db, struct arena *a, const struct area *ar, json_t *body,
                   const char *scope_path, struct err *e);

/* The area with ancestors (clipped to scope_path), staff and children. */
json_t *area_to_json(struct db *db, struct arena *a, const struct area *ar, const char *scope_path);
/* Short form {code,name,level,level_name}. */
json_t *area_summary_json(const struct area *ar);
/* Areas in scope whose name contains q or whose code starts with q. */
json_t *area_search(struct db *db, struct arena *a, const char *scope_path, const char *q,
                    long limit);

/* Runs sql (a literal with one parameter, the object's id, selecting the
 * path of the object's area) and copies the path into the arena: the one
 * way every noun answers "in which subtree is this object?". 0, or -1 when
 * there is no such object. */
int area_path_of(struct db *db, struct arena *a, const char *sql, int64_t id, const char **path);
/* The number of active children of an area. */
int area_active_children(struct db *db, int64_t id);
/* Counts areas per level inside scope: {"county":1,...}. */
json_t *area_count_by_level(struct db *db, struct arena *a, const char *scope_path);

#include "util/banned.h"
#endif
