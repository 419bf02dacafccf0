#!/usr/bin/env python3
# bench/points.py URL TOKEN N OUT [MINLNG MINLAT MAXLNG MAXLAT]: random points of a
# bounding box (default the demo county's) that the server locates (200): "lng lat" lines.
import json, random, sys, urllib.request
url, token, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
x0, y0, x1, y1 = map(float, sys.argv[5:9]) if len(sys.argv) > 8 else (115.00, 33.17, 115.34, 33.44)
random.seed(411624)
pts = []
while len(pts) < n:
    lng, lat = x0 + random.random() * (x1 - x0), y0 + random.random() * (y1 - y0)
    req = urllib.request.Request(f"{url}/api/v1/areas/locate?lng={lng:.6f}&lat={lat:.6f}",
                                 headers={"Authorization": f"Bearer {token}"})
    try:
        urllib.request.urlopen(req).read()
        pts.append(f"{lng:.6f} {lat:.6f}")
    except urllib.error.HTTPError:
        pass
open(out, "w").write("\n".join(pts) + "\n")
