/*
 * distance.h - the distance between two points on the Earth.
 */
#ifndef PINGAN_DISTANCE_H
#define PINGAN_DISTANCE_H

/* Great-circle distance in metres between (lng1, lat1) and (lng2, lat2) in
 * degrees (haversine, mean Earth radius; within 0.5 % of the ellipsoid). */
double geo_distance_m(double lng1, double lat1, double lng2, double lat2);

#include "util/banned.h"
#endif
