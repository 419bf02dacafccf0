/*
 * gcj02.h - WGS-84 ⇄ GCJ-02 ("火星坐标", the China offset).
 *
 * Maps served in China (AMap/高德, Tencent, most government base maps) use
 * GCJ-02; GPS receivers and our stored geometries use WGS-84. GCJ-02 is
 * WGS-84 plus a smooth, position-dependent offset of a few hundred metres,
 * given by the widely published formula: Krasovsky 1940 ellipsoid
 * (a = 6378245.0 m, e² = 0.00669342162296594323) and two polynomial-plus-sine
 * functions of (lng − 105, lat − 35).
 *
 * Points outside China's bounding box (lng 72.004–137.8347,
 * lat 0.8293–55.8271) are not offset: both functions return them unchanged,
 * as every GCJ-02 map does.
 *
 * Pure functions of their arguments: no allocation, no failure, thread-safe.
 * Inputs are taken by value, so the out-pointers may point at the variables
 * the inputs came from (convert in place).
 */
#ifndef PINGAN_GCJ02_H
#define PINGAN_GCJ02_H

/* 1 if (lng, lat) lies in the box where the offset applies, else 0. */
int gcj02_in_china(double lng, double lat);

/* WGS-84 → GCJ-02 by the forward formula (exact by definition). */
void gcj02_from_wgs84(double lng, double lat, double *out_lng, double *out_lat);

/* GCJ-02 → WGS-84. The formula has no closed inverse: we iterate
 * w ← w − (forward(w) − g) from w = g until forward(w) is within 1e-9° of g
 * (well below the 1e-7° requirement, ~1 cm; at most 30 rounds, the offset
 * changes so slowly that 3–4 rounds suffice). */
void gcj02_to_wgs84(double lng, double lat, double *out_lng, double *out_lat);

#include "util/banned.h"
#endif
