-- 011: the dispute ledger (矛盾纠纷排查化解), issue 7. Times are UTC epoch ms.
-- Rules: standards.md §3 (人民调解法 2010; 人民调解工作若干规定 2002).

-- The 人民调解 dispute types (standards §3.1); a county may add its own rows
-- or retire one (active = 0): the type list is data, not code.
CREATE TABLE dispute_type (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    ord    INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO dispute_type (code, name, ord) VALUES
    ('marriage', '婚姻家庭纠纷', 1), ('neighbour', '邻里纠纷', 2),
    ('homestead', '房屋宅基地纠纷', 3), ('contract', '合同纠纷', 4),
    ('business', '生产经营纠纷', 5), ('damages', '损害赔偿纠纷', 6),
    ('land', '山林土地纠纷', 7), ('demolition', '征地拆迁纠纷', 8),
    ('pollution', '环境污染纠纷', 9), ('labour', '劳动争议纠纷', 10),
    ('medical', '医疗纠纷', 11), ('traffic', '道路交通事故纠纷', 12),
    ('property', '物业纠纷', 13), ('wages', '拖欠农民工工资纠纷', 14),
    ('consumer', '消费纠纷', 15), ('village_affairs', '村务管理纠纷', 16),
    ('other', '其他纠纷', 99);

-- The tiers of "网格首诊、村坐诊、镇接诊、县会诊" and each one's time: what a
-- tier has not settled when its time is up goes one tier up (the sweep).
-- level: the area level whose ancestor of the dispute's place holds the tier.
CREATE TABLE dispute_tier (
    tier       TEXT PRIMARY KEY,
    ord        INTEGER NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL,
    limit_days INTEGER NOT NULL CHECK (limit_days BETWEEN 1 AND 365)
);
INSERT INTO dispute_tier (tier, ord, name, level, limit_days) VALUES
    ('grid', 1, '网格首诊', 'grid', 3), ('village', 2, '村坐诊', 'village', 7),
    ('township', 3, '镇接诊', 'township', 15), ('county', 4, '县会诊', 'county', 30);

-- Other clocks: the follow-up visit after closing; court confirmation
-- (司法确认, 人民调解法 第33条: within 30 days of the agreement).
CREATE TABLE dispute_setting (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 365)
);
INSERT INTO dispute_setting (name, value) VALUES ('followup_days', 15), ('court_confirm_days', 30);

-- A dispute. area_path is the path of its place (a village or a micro-grid),
-- so a subtree is one index range; tier_area_id the area at whose tier it
-- is handled now.
CREATE TABLE dispute (
    id               INTEGER PRIMARY KEY,
    origin           TEXT NOT NULL CHECK (origin IN ('screening', 'event', 'direct')),
    source           TEXT NOT NULL CHECK (source IN ('application', 'initiative', 'court',
                         'procuratorate', 'police', 'petition', 'department', 'other')),
    type             TEXT NOT NULL REFERENCES dispute_type(code),
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL,
    scale            TEXT NOT NULL CHECK (scale IN ('ordinary', 'major', 'mass')),
    people_count     INTEGER NOT NULL CHECK (people_count >= 1),
    area_id          INTEGER NOT NULL REFERENCES area(id),
    area_path        TEXT NOT NULL,
    org_id           INTEGER REFERENCES org(id),
    event_id         INTEGER REFERENCES event(id),
    address          TEXT,
    occurred_ms      INTEGER,
    tier             TEXT NOT NULL REFERENCES dispute_tier(tier),
    tier_area_id     INTEGER NOT NULL REFERENCES area(id),
    tier_started_ms  INTEGER NOT NULL,
    tier_deadline_ms INTEGER,           -- NULL: no tier clock (closed, or kept under control)
    status           TEXT NOT NULL CHECK (status IN ('open', 'controlled', 'resolved', 'failed')),
    mediator         TEXT,              -- the responsible mediator (化解责任人)
    risk_criminal    INTEGER NOT NULL DEFAULT 0 CHECK (risk_criminal IN (0, 1)),  -- 民转刑
    risk_mass        INTEGER NOT NULL DEFAULT 0 CHECK (risk_mass IN (0, 1)),      -- 群体性事件
    risk_note        TEXT,
    joint            TEXT,              -- JSON: 两所一庭 participants
    agreement_form   TEXT CHECK (agreement_form IN ('oral', 'written')),
    amount_cents     INTEGER CHECK (amount_cents >= 0),
    terms            TEXT,
    agreement_ms     INTEGER,
    court_due_ms     INTEGER,           -- written agreement marked for 司法确认
    court_result     TEXT CHECK (court_result IN ('confirmed', 'rejected', 'not_applied')),
    court_done_ms    INTEGER,
    failure_routes   TEXT,              -- comma list: arbitration, administrative, litigation
    control_person   TEXT,
    control_measures TEXT,
    outcome_note     TEXT,
    closed_ms        INTEGER,
    followup_due_ms  INTEGER,
    followup_done_ms INTEGER,
    followup_note    TEXT,
    followup_satisfied INTEGER CHECK (followup_satisfied IN (0, 1)),
    created_by       INTEGER REFERENCES account(id),
    created_ms       INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL
);
CREATE INDEX dispute_path ON dispute(area_path, created_ms);
CREATE INDEX dispute_area ON dispute(area_id);
-- A move of the tree rewrites the areas' paths (domain/area.c); the stored
-- path of every dispute placed there follows, so scope and figures stay right.
CREATE TRIGGER dispute_area_moved AFTER UPDATE OF path ON area
BEGIN
    UPDATE dispute SET area_path = NEW.path WHERE area_id = NEW.id;
END;
CREATE INDEX dispute_org ON dispute(org_id, created_ms) WHERE org_id IS NOT NULL;
CREATE INDEX dispute_event ON dispute(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX dispute_tier_clock ON dispute(tier_deadline_ms) WHERE tier_deadline_ms IS NOT NULL;
CREATE INDEX dispute_followup ON dispute(followup_due_ms)
    WHERE followup_due_ms IS NOT NULL AND followup_done_ms IS NULL;
CREATE INDEX dispute_court ON dispute(court_due_ms)
    WHERE court_due_ms IS NOT NULL AND court_done_ms IS NULL;

-- Parties: a registry person or organisation, or entered by hand (then the
-- ID number and phone are sealed like the registry's, with a masked copy).
CREATE TABLE dispute_party (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES dispute(id),
    side        TEXT NOT NULL CHECK (side IN ('applicant', 'respondent', 'other')),
    person_id   INTEGER REFERENCES person(id),
    org_id      INTEGER REFERENCES org(id),
    name        TEXT NOT NULL,
    id_enc      BLOB,
    id_mask     TEXT,
    phone_enc   BLOB,
    phone_mask  TEXT
);
CREATE INDEX dispute_party_dispute ON dispute_party(dispute_id, id);
CREATE INDEX dispute_party_person ON dispute_party(person_id) WHERE person_id IS NOT NULL;

-- Mediation sessions.
CREATE TABLE dispute_session (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES dispute(id),
    held_ms     INTEGER NOT NULL,
    place       TEXT,
    mediators   TEXT NOT NULL,
    attendees   TEXT,
    notes       TEXT NOT NULL,
    account_id  INTEGER REFERENCES account(id),
    created_ms  INTEGER NOT NULL
);
CREATE INDEX dispute_session_dispute ON dispute_session(dispute_id, held_ms);

-- Every change, append-only.
CREATE TABLE dispute_timeline (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES dispute(id),
    at_ms       INTEGER NOT NULL,
    account_id  INTEGER REFERENCES account(id),  -- NULL: the system (the tier sweep)
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    tier        TEXT NOT NULL,
    note        TEXT,
    detail      TEXT
);
CREATE INDEX dispute_timeline_dispute ON dispute_timeline(dispute_id, id);
CREATE TRIGGER dispute_timeline_no_update BEFORE UPDATE ON dispute_timeline
BEGIN
    SELECT RAISE(ABORT, 'dispute_timeline is append-only');
END;
CREATE TRIGGER dispute_timeline_no_delete BEFORE DELETE ON dispute_timeline
BEGIN
    SELECT RAISE(ABORT, 'dispute_timeline is append-only');
END;
