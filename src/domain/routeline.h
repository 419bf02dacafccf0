/*
 * routeline.h - 护路护线: railways, roads, power lines and pipelines as lines
 * on the map, with the units responsible for them (standards.md §1.6: 路线名称,
 * 路线类型, 隶属单位, 管辖单位, 分管治保负责人, 治安隐患等级, 路线坐标序列).
 *
 * A line is cut by the micro-grids it crosses when it is registered: each
 * crossed grid is stored with the length of line inside it, so the grid
 * worker of every one of them sees the line, and a subtree's share of a
 * railway is one range scan. The line itself belongs to the lowest area that
 * holds all of it. A line must run inside the grids: a course that leaves
 * them is refused with the length outside named.
 */
#ifndef PINGAN_ROUTELINE_H
#define PINGAN_ROUTELINE_H

#include <jansson.h>
#include <stdint.h>

#include "geo/geojson.h"
#include "util/arena.h"
#include "util/err.h"

struct db;

struct line_input {
    const char *name, *kind;
    const char *unit_name, *unit_contact, *unit_address; /* 隶属单位 */
    const char *jurisdiction;                            /* 管辖单位 */
    const char *security_lead;                           /* 分管治保负责人 */
    const char *hazard_level, *hazard_notes;             /* 治安隐患 */
    json_t *geometry;                                    /* borrowed */
    enum geo_datum crs;
};

/* Validates a create body except the course itself; pure. */
int line_from_json(json_t *body, struct line_input *in, struct err *e);
/* Reads the course, cuts it by the micro-grids and inserts the line. Its
 * lowest common area must lie inside scope (else ERR_FORBIDDEN
 * line_outside_scope). Returns the id, or -1 with e. */
int64_t line_create(struct db *db, struct arena *a, const struct line_input *in,
                    const char *scope, int64_t now, struct err *e);
/* The path an access check should compare with scope: a crossed micro-grid
 * inside scope if there is one, else the line's own area. */
int line_area_path(struct db *db, struct arena *a, int64_t id, const char *scope,
                   const char **path);
/* One line with its course (WGS-84 or GCJ-02) and the grids it crosses. */
json_t *line_to_json(struct db *db, struct arena *a, int64_t id, const char *scope,
                     enum geo_datum crs);
/* The lines crossing a subtree, each with its length inside it; with the
 * course when geometry is set. {"items","total"}. */
json_t *line_list_json(struct db *db, struct arena *a, const char *scope, const char *kind,
                       int geometry, enum geo_datum crs);
/* Length in metres of a (multi)line in lng/lat degrees. */
double line_length_m(GEOSContextHandle_t ctx, const GEOSGeometry *g);

#include "util/banned.h"
#endif
