/*
 * gridimport.h - importing area boundaries (and new areas) from GeoJSON, and
 * checking that the stored tree tiles ("横向到边、纵向到底，不留空白，不交叉重叠").
 *
 * An import is checked as a whole before anything is written: every feature
 * must be valid input and inside the caller's scope, and the tree as it would
 * be after the import must tile at every parent the import touches (children
 * inside their parent, siblings not overlapping, siblings covering their
 * parent, within the tolerances). A failing import writes nothing.
 */
#ifndef PINGAN_GRIDIMPORT_H
#define PINGAN_GRIDIMPORT_H

#include <jansson.h>
#include <stdint.h>

#include "geo/geojson.h"
#include "geo/tiling.h"
#include "util/arena.h"
#include "util/err.h"

struct db;

struct grid_import_result {
    int created;
    int updated;
    json_t *violations; /* set (owned by the caller) when the check failed */
};

/*
 * Imports fs. scope_path: the caller's subtree (NULL: everything, for the
 * command line). allow_roots: features without a parent may create new
 * root areas (command line only). The caller holds a write transaction.
 * Returns 0 when written; -1 with e for bad input or out-of-scope codes;
 * -2 when the tiling check failed (res->violations lists why; nothing was
 * written).
 */
int grid_import(struct db *db, struct arena *a, const struct geojson_features *fs,
                const char *scope_path, int allow_roots, const struct tiling_opts *opts,
                int64_t now, struct grid_import_result *res, struct err *e);

/* Runs the tiling check on every active area with a boundary. Returns the
 * number of violations (their JSON in *violations, owned by the caller), or
 * -1 with e. */
int grid_check_all(struct db *db, const struct tiling_opts *opts, json_t **violations,
                   struct err *e);

#include "util/banned.h"
#endif
