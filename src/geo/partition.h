/*
 * partition.h - splits a polygon into n cells that tile it exactly.
 *
 * Used to give the demo county plausible boundaries at every level: seeds
 * drawn inside the parent by a seeded generator, two rounds of Lloyd
 * relaxation (each seed moved to its cell's centroid) for even, compact
 * cells, then the Voronoi diagram of the seeds clipped to the parent. The
 * cells are numbered the way local grid rules number them: north to south
 * in rows, west to east within a row. Same parent, n and seed: same cells.
 */
#ifndef PINGAN_PARTITION_H
#define PINGAN_PARTITION_H

#include <geos_c.h>
#include <stdint.h>

/*
 * Writes up to n polygonal geometries (Polygon or MultiPolygon; the caller
 * destroys them with GEOSGeom_destroy_r) into out and returns how many (n
 * unless the parent is too small to hold n distinct seeds), or -1 if GEOS
 * fails. rng is the generator state (splitmix64), advanced by the call.
 */
int partition_split(GEOSContextHandle_t ctx, const GEOSGeometry *parent, int n, uint64_t *rng,
                    GEOSGeometry **out);

#include "util/banned.h"
#endif
