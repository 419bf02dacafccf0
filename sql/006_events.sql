-- 005: the closed loop (问题采集 → 立案 → 派遣 → 处置 → 反馈 → 核查结案 → 评价).
-- Issue 5. Times are UTC epoch milliseconds.

-- The event categories of the taxonomy (data/taxonomy.tsv, the codes kept):
-- seeded and refreshed from the embedded copy at start.
CREATE TABLE category (
    minor         TEXT PRIMARY KEY,
    major         TEXT NOT NULL,
    domain        TEXT NOT NULL,
    major_name    TEXT NOT NULL,
    minor_name    TEXT NOT NULL,
    minor_en      TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES department(id),
    level         TEXT NOT NULL CHECK (level IN ('grid', 'village', 'township', 'county')),
    deadline_h    INTEGER NOT NULL,
    priority      INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3)
);

-- The working-day calendar: days that differ from "Monday to Friday work".
-- A holiday is (date, 0); a make-up working Saturday (调休) is (date, 1).
CREATE TABLE calendar_day (
    day      TEXT PRIMARY KEY,          -- YYYY-MM-DD, Asia/Shanghai
    workday  INTEGER NOT NULL CHECK (workday IN (0, 1)),
    note     TEXT
);

-- An event and its work order. area_path is the micro-grid's path at intake
-- (the whole chain; scope checks are one range), handling_area_id the area
-- at whose level it is handled now (escalation moves it up the tree).
CREATE TABLE event (
    id               INTEGER PRIMARY KEY,
    source           TEXT NOT NULL CHECK (source IN
                         ('grid_worker', 'resident', 'hotline', 'video', 'department', 'inspection')),
    description      TEXT NOT NULL,
    minor            TEXT REFERENCES category(minor),
    area_id          INTEGER NOT NULL REFERENCES area(id),
    area_path        TEXT NOT NULL,
    handling_area_id INTEGER NOT NULL REFERENCES area(id),
    handling_path    TEXT NOT NULL,     -- its path: who may dispatch is one range check
    lng              REAL,
    lat              REAL,
    address          TEXT,
    reporter_id      INTEGER REFERENCES account(id),
    reporter_name    TEXT,
    reporter_phone_enc  BLOB,
    reporter_phone_mask TEXT,
    idem_key         TEXT,              -- the client's idempotency key, per reporter
    idem_hash        BLOB,              -- of the request it came with: a reuse must match
    status           TEXT NOT NULL,
    held_status      TEXT,              -- the status a suspension will resume
    priority         INTEGER NOT NULL DEFAULT 3,
    department_id    INTEGER REFERENCES department(id),   -- the lead department
    step             TEXT,              -- the clock running: accept, handle, verify (NULL: none)
    step_started_ms  INTEGER,
    step_budget_ms   INTEGER,           -- the step's time, in the event's clock (natural or working)
    deadline_ms      INTEGER,
    yellow_ms        INTEGER,           -- when 80 % of the step's time is used
    paused_ms        INTEGER,           -- suspended since (the clock stops)
    next_escalation_ms INTEGER,         -- overdue: when to escalate (again)
    escalations      INTEGER NOT NULL DEFAULT 0,
    extension_hours  INTEGER,           -- a pending extension request
    extension_reason TEXT,
    merged_into      INTEGER REFERENCES event(id),
    rating           INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment   TEXT,
    handling_rating  INTEGER CHECK (handling_rating BETWEEN 1 AND 5),
    track_code       TEXT UNIQUE,
    created_ms       INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL,
    closed_ms        INTEGER
);
CREATE INDEX event_path ON event(area_path, id);
CREATE INDEX event_status ON event(status, id);
CREATE INDEX event_handling ON event(handling_path, status);
CREATE INDEX event_deadline ON event(deadline_ms) WHERE deadline_ms IS NOT NULL;
CREATE INDEX event_escalation ON event(next_escalation_ms) WHERE next_escalation_ms IS NOT NULL;
CREATE INDEX event_lead ON event(department_id, status);
CREATE UNIQUE INDEX event_idem ON event(reporter_id, idem_key) WHERE idem_key IS NOT NULL;

-- The departments on an event ("1+5+N"): one lead, any co-handlers.
CREATE TABLE event_department (
    event_id      INTEGER NOT NULL REFERENCES event(id),
    department_id INTEGER NOT NULL REFERENCES department(id),
    lead          INTEGER NOT NULL CHECK (lead IN (0, 1)),
    PRIMARY KEY (event_id, department_id)
) WITHOUT ROWID;
CREATE INDEX event_department_dept ON event_department(department_id, event_id);

-- Every step of the loop, append-only.
CREATE TABLE event_timeline (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES event(id),
    at_ms       INTEGER NOT NULL,
    account_id  INTEGER REFERENCES account(id),  -- NULL: the system (escalation) or a resident
    actor       TEXT NOT NULL,                   -- username, "system" or "resident"
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT,
    detail      TEXT                             -- JSON: department, deadline, rating, …
);
CREATE INDEX event_timeline_event ON event_timeline(event_id, id);
CREATE TRIGGER event_timeline_no_update BEFORE UPDATE ON event_timeline
BEGIN
    SELECT RAISE(ABORT, 'event_timeline is append-only');
END;
CREATE TRIGGER event_timeline_no_delete BEFORE DELETE ON event_timeline
BEGIN
    SELECT RAISE(ABORT, 'event_timeline is append-only');
END;
