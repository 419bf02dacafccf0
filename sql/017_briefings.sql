-- 017: briefings (工作简报, 督查通报), kept with their number (issue 9).
--
-- A briefing is generated for an area and a period and then KEPT: its
-- figures are frozen as JSON at generation, so a briefing printed next year
-- says what it said when it was issued, whatever happens to the events
-- since. Briefings are numbered per area, kind and year (2026年第N期), the
-- number allocated by the INSERT that stores it, inside the route's write
-- transaction: two briefings cannot take the same number, and a failed one
-- takes none.
CREATE TABLE briefing (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('weekly', 'monthly', 'inspection')),
    area_id     INTEGER NOT NULL REFERENCES area(id),
    area_path   TEXT NOT NULL,          -- the area's path at generation: the scope check
    year        INTEGER NOT NULL,       -- of the period: the numbering restarts each year
    number      INTEGER NOT NULL,       -- 第N期
    period_from TEXT NOT NULL,          -- YYYY-MM-DD, Asia/Shanghai, inclusive
    period_to   TEXT NOT NULL,
    title       TEXT NOT NULL,
    figures     TEXT NOT NULL,          -- JSON, frozen at generation
    created_ms  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES account(id),
    UNIQUE (area_id, kind, year, number)
);
CREATE INDEX briefing_path ON briefing(area_path, created_ms);
