#!/usr/bin/env python3
# bench/points.py URL TOKEN N OUT: random points of the demo county's bounding box that the server locates (200): "lng lat" lines.
import json, random, sys, urllib.request
url, token, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
random.seed(411624)
pts = []
while len(pts) < n:
    lng, lat = 115.00 + random.random() * 0.34, 33.17 + random.random() * 0.27
    req = urllib.request.Request(f"{url}/api/v1/areas/locate?lng={lng:.6f}&lat={lat:.6f}",
                                 headers={"Authorization": f"Bearer {token}"})
    try:
        urllib.request.urlopen(req).read()
        pts.append(f"{lng:.6f} {lat:.6f}")
    except urllib.error.HTTPError:
        pass
open(out, "w").write("\n".join(pts) + "\n")
