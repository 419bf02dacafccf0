-- 014: the camera network (雪亮工程 / 数字乡村): the registry of cameras with
-- their point, micro-grid and dates; their status as the video platform
-- reports it; and the platform's video alarms, each of which became an event.

-- A camera. `code` is the video platform's device id (GB/T 28181 ids are 20
-- digits; we take any code the platform uses). The point is located to its
-- micro-grid, whose path is kept for scope (one range, like events).
-- Dates are calendar dates (YYYY-MM-DD, Asia/Shanghai): planned, installed,
-- connected to the platform. Counted: planned = every row, installed =
-- installed_date set, online = installed and status 'online'.
CREATE TABLE camera (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN
                        ('public', 'entrance', 'road', 'school', 'village', 'business', 'other')),
    operator        TEXT,
    lng             REAL NOT NULL,
    lat             REAL NOT NULL,
    area_id         INTEGER NOT NULL REFERENCES area(id),
    area_path       TEXT NOT NULL,
    planned_date    TEXT,
    installed_date  TEXT,
    connected_date  TEXT,
    -- As last reported: unknown (never), online, offline.
    status          TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'online', 'offline')),
    reported_ms     INTEGER,          -- time of the last report (heartbeat or status)
    online_ms       INTEGER,          -- last time it was reported online
    down_since_ms   INTEGER,          -- offline since (NULL while online)
    alerted_ms      INTEGER,          -- the current outage was raised as an event then
    alert_event_id  INTEGER REFERENCES event(id),
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);
CREATE INDEX camera_area_path ON camera(area_path);
CREATE INDEX camera_reported ON camera(reported_ms);
-- What the sweep looks at: outages not yet raised.
CREATE INDEX camera_outage ON camera(down_since_ms) WHERE status = 'offline' AND alerted_ms IS NULL;

-- A video alarm as the platform posted it; (camera, alarm_key) makes a
-- retried post return the first event.
CREATE TABLE camera_alarm (
    id             INTEGER PRIMARY KEY,
    camera_id      INTEGER NOT NULL REFERENCES camera(id),
    alarm_key      TEXT NOT NULL,
    kind           TEXT NOT NULL,
    at_ms          INTEGER NOT NULL,
    attachment_id  INTEGER,
    event_id       INTEGER NOT NULL REFERENCES event(id),
    account_id     INTEGER REFERENCES account(id),
    created_ms     INTEGER NOT NULL,
    UNIQUE (camera_id, alarm_key)
);
