#include "gcj02.h"

#include <math.h>

#define PI           3.14159265358979323846
#define KRASOVSKY_A  6378245.0
#define KRASOVSKY_EE 0.00669342162296594323

int gcj02_in_china(double lng, double lat)
{
    return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/* The two offset functions of the published algorithm, in metres-ish units
 * that the ellipsoid step below turns into degrees. x = lng − 105, y = lat − 35. */
static double offset_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * PI) + 40.0 * sin(y / 3.0 * PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * PI) + 320.0 * sin(y * PI / 30.0)) * 2.0 / 3.0;
    return r;
}

static double offset_lng(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * PI) + 40.0 * sin(x / 3.0 * PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * PI) + 300.0 * sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return r;
}

void gcj02_from_wgs84(double lng, double lat, double *out_lng, double *out_lat)
{
    if (!gcj02_in_china(lng, lat)) {
        *out_lng = lng;
        *out_lat = lat;
        return;
    }
    double dlat = offset_lat(lng - 105.0, lat - 35.0);
    double dlng = offset_lng(lng - 105.0, lat - 35.0);
    double rad = lat / 180.0 * PI;
    double s = sin(rad);
    double magic = 1.0 - KRASOVSKY_EE * s * s;
    double sq = sqrt(magic);
    /* Offsets in metres → degrees on the Krasovsky ellipsoid: divide by the
     * meridional radius (lat) and the parallel radius (lng). */
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sq) * PI);
    dlng = (dlng * 180.0) / (KRASOVSKY_A / sq * cos(rad) * PI);
    *out_lng = lng + dlng;
    *out_lat = lat + dlat;
}

void gcj02_to_wgs84(double lng, double lat, double *out_lng, double *out_lat)
{
    double wl = lng, wb = lat;
    if (gcj02_in_china(lng, lat)) {
        for (int i = 0; i < 30; i++) {
            double gl, gb;
            gcj02_from_wgs84(wl, wb, &gl, &gb);
            double el = gl - lng, eb = gb - lat;
            if (fabs(el) < 1e-9 && fabs(eb) < 1e-9)
                break;
            wl -= el;
            wb -= eb;
        }
    }
    *out_lng = wl;
    *out_lat = wb;
}
