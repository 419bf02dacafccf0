-- 002: area boundaries (issue 3). WGS-84 longitude/latitude, stored as WKB
-- (ISO/OGC well-known binary, portable to PostGIS), with the bounding box
-- and a label point inside the shape for quick map rendering.
ALTER TABLE area ADD COLUMN boundary BLOB;
ALTER TABLE area ADD COLUMN min_lng REAL;
ALTER TABLE area ADD COLUMN min_lat REAL;
ALTER TABLE area ADD COLUMN max_lng REAL;
ALTER TABLE area ADD COLUMN max_lat REAL;
ALTER TABLE area ADD COLUMN label_lng REAL;
ALTER TABLE area ADD COLUMN label_lat REAL;

-- A counter that moves whenever a boundary, the set of active areas or what
-- a locate answer shows of an area (code, name, level) changes, so that the
-- in-memory point-location index knows to rebuild.
CREATE TABLE geo_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO geo_version (id, version) VALUES (1, 0);
CREATE TRIGGER area_geo_insert AFTER INSERT ON area WHEN new.boundary IS NOT NULL
BEGIN
    UPDATE geo_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER area_geo_update
AFTER UPDATE OF boundary, retired_ms, parent_id, code, name, level ON area
BEGIN
    UPDATE geo_version SET version = version + 1 WHERE id = 1;
END;
