-- 015: "三零" creation (零上访、零事故、零案件) with four-colour warnings.
-- Issue 8, first part. Times are UTC epoch milliseconds.

-- An event may name the unit it concerns (涉及单位): an enterprise subject
-- owns the events that name it. casualties: people killed or injured
-- (an accident breaks zero only with casualties).
ALTER TABLE event ADD COLUMN org_id INTEGER REFERENCES org(id);
ALTER TABLE event ADD COLUMN casualties INTEGER NOT NULL DEFAULT 0;
CREATE INDEX event_org ON event(org_id, created_ms) WHERE org_id IS NOT NULL;

-- A creation subject (创建主体): a village/community (an area of the village
-- level, one subject each) or a registered unit (an org). area_id is the
-- village, or the unit's micro-grid when it was made a subject. The counts,
-- colour and reasons are those of the current period, kept up to date when
-- the subject's data change (zero_recompute) and by the sweep.
CREATE TABLE zero_subject (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('village', 'unit')),
    area_id       INTEGER NOT NULL REFERENCES area(id),
    org_id        INTEGER UNIQUE REFERENCES org(id),
    name          TEXT NOT NULL,
    category      TEXT,                       -- 学校, 医院, 市场, 工厂, 车站 … (units)
    department_id INTEGER REFERENCES department(id),   -- the leading industry department
    responsible   TEXT,                       -- the person responsible (a name)
    period        TEXT,                       -- the period the counts below are for
    petitions     INTEGER NOT NULL DEFAULT 0,
    accidents     INTEGER NOT NULL DEFAULT 0,
    cases         INTEGER NOT NULL DEFAULT 0,
    colour        TEXT NOT NULL DEFAULT 'none'
                      CHECK (colour IN ('none', 'blue', 'yellow', 'orange', 'red')),
    reasons       TEXT NOT NULL DEFAULT '[]', -- JSON array of the reasons shown
    checked_ms    INTEGER NOT NULL DEFAULT 0,
    created_ms    INTEGER NOT NULL
);
CREATE UNIQUE INDEX zero_subject_village ON zero_subject(area_id) WHERE kind = 'village';
CREATE INDEX zero_subject_area ON zero_subject(area_id);
CREATE INDEX zero_subject_checked ON zero_subject(checked_ms);
CREATE INDEX zero_subject_dept ON zero_subject(department_id);
-- A unit that moves takes its subject (and so its scope) with it.
CREATE TRIGGER zero_subject_follows_org AFTER UPDATE OF area_id ON org
BEGIN
    UPDATE zero_subject SET area_id = NEW.area_id WHERE org_id = NEW.id;
END;

-- Every change of a subject's colour, with its reasons.
CREATE TABLE zero_colour_change (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES zero_subject(id),
    at_ms       INTEGER NOT NULL,
    from_colour TEXT NOT NULL,
    to_colour   TEXT NOT NULL,
    reasons     TEXT NOT NULL
);
CREATE INDEX zero_colour_change_subject ON zero_colour_change(subject_id, id);

-- The four-colour rules (no national rule exists: the county's own).
-- A subject takes the highest colour of the rules it meets; reason is a
-- template where {n} is the metric's value. kind NULL: both kinds.
CREATE TABLE zero_rule (
    id         INTEGER PRIMARY KEY,
    metric     TEXT NOT NULL,
    threshold  INTEGER NOT NULL CHECK (threshold >= 1),
    colour     TEXT NOT NULL CHECK (colour IN ('blue', 'yellow', 'orange', 'red')),
    kind       TEXT CHECK (kind IN ('village', 'unit')),
    reason     TEXT NOT NULL
);
INSERT INTO zero_rule (metric, threshold, colour, kind, reason) VALUES
    ('cases', 2, 'red', NULL, '本年度发生刑事或重大治安案件 {n} 起'),
    ('accidents', 2, 'red', NULL, '本年度发生有人员伤亡的事故 {n} 起'),
    ('mass_incidents', 1, 'red', NULL, '有未化解的群体性事件苗头 {n} 件'),
    ('cases', 1, 'orange', NULL, '本年度发生刑事或重大治安案件 {n} 起（破零）'),
    ('accidents', 1, 'orange', NULL, '本年度发生有人员伤亡的事故 {n} 起（破零）'),
    ('petitions', 3, 'orange', NULL, '本年度信访 {n} 件'),
    ('petitions', 1, 'yellow', NULL, '本年度信访 {n} 件（破零）'),
    ('criminal_risks', 1, 'yellow', NULL, '有未化解的民转刑风险 {n} 件'),
    ('overdue_petitions', 1, 'yellow', NULL, '有超期未办结的信访 {n} 件'),
    ('overdue_events', 1, 'blue', NULL, '有超期未办结的事件 {n} 件'),
    ('overdue_visits', 1, 'blue', 'village', '重点人群走访超期 {n} 人');

-- Which event categories count as what (taxonomy minor codes, comma
-- separated): the county's choice, with these defaults.
CREATE TABLE zero_setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO zero_setting (key, value) VALUES
    ('accident_minors', '2101,2102,2103,2201,2202,2203,2301,2302,2303,2401,2402,2403,2501,2502,2503,2601,2602,2603,2701,2702,2703,2801,2802,2803'),
    ('case_minors', '0103,0703,1303,1401,1402,1403,1501,1502,1503,1601,1602,1603,1701,1703,1801,1901,2001'),
    ('petition_minors', '2002,5401,5402,5403'),
    ('criminal_risk_minors', '1902'),
    ('mass_incident_minors', '2001,2002');

-- 警示函 (to a subject that broke zero) and 督办函 (to its unit / leading
-- department), numbered per kind and year: 〔2026〕第N号.
CREATE TABLE zero_letter (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES zero_subject(id),
    kind        TEXT NOT NULL CHECK (kind IN ('warning', 'supervision')),
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    addressee   TEXT NOT NULL,
    body        TEXT NOT NULL,
    events      TEXT NOT NULL,              -- JSON: the breaking events it names
    deadline    TEXT,                       -- YYYY-MM-DD to answer by
    created_ms  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (kind, year, seq)
);
CREATE INDEX zero_letter_subject ON zero_letter(subject_id, id);

-- The periodic review: the eight headings of the creation standard scored
-- per subject (0–100 each).
CREATE TABLE zero_review (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES zero_subject(id),
    period      TEXT NOT NULL,
    scores      TEXT NOT NULL,              -- JSON {heading key: score}
    total       REAL NOT NULL,
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    note        TEXT,
    reviewer    TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    UNIQUE (subject_id, period)
);
