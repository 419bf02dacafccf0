-- 004: the kind's own items of a unit (a school's safety officers, an
-- enterprise's hazardous-chemicals flag: domain/typefields.c), and the
-- 护路护线 lines — railways, roads, power and pipelines — with their
-- responsible units and the micro-grids they cross. Issue 4.

ALTER TABLE org ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';

CREATE TABLE route_line (
    id              INTEGER PRIMARY KEY,
    area_id         INTEGER NOT NULL REFERENCES area(id), -- lowest area holding the whole line
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN
                        ('railway', 'highway', 'road', 'power', 'pipeline', 'telecom', 'other')),
    unit_name       TEXT NOT NULL,                        -- 隶属单位
    unit_contact    TEXT,                                 -- 隶属单位负责人
    unit_address    TEXT,
    jurisdiction    TEXT,                                 -- 管辖单位
    security_lead   TEXT,                                 -- 分管治保负责人
    hazard_level    TEXT NOT NULL DEFAULT 'none' CHECK (hazard_level IN
                        ('none', 'low', 'medium', 'high')),
    hazard_notes    TEXT,
    geometry        TEXT NOT NULL,                        -- GeoJSON LineString, WGS-84
    length_m        REAL NOT NULL,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);
CREATE INDEX route_line_area ON route_line(area_id);

-- The micro-grids a line crosses and its length inside each: the grid
-- worker of each sees the line, and a subtree's share is one range scan.
CREATE TABLE route_line_grid (
    line_id   INTEGER NOT NULL REFERENCES route_line(id),
    area_id   INTEGER NOT NULL REFERENCES area(id),
    length_m  REAL NOT NULL,
    PRIMARY KEY (line_id, area_id)
) WITHOUT ROWID;
CREATE INDEX route_line_grid_area ON route_line_grid(area_id);
