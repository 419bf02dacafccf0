-- 012: 信访台账 (issue 7, petitions). Times are UTC epoch milliseconds.
-- The steps and their statutory clocks (《信访工作条例》2022) are in
-- domain/petitionflow.c and domain/petitionclock.c; this is what they keep.

-- 领导接访日: a leader receives petitioners on a day at a place; the cases
-- taken there name the reception.
CREATE TABLE petition_reception (
    id          INTEGER PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES area(id),
    area_path   TEXT NOT NULL,
    day         TEXT NOT NULL,              -- YYYY-MM-DD, Asia/Shanghai
    leader      TEXT NOT NULL,              -- name and post of the leader
    place       TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE INDEX petition_reception_path ON petition_reception(area_path, day);

-- A petition (信访事项). area_path is the materialised path of the area
-- where the matter arises (a micro-grid or a village): scope checks and
-- figures are one index range on it. org_id: the registry organisation the
-- matter concerns, if any.
CREATE TABLE petition (
    id              INTEGER PRIMARY KEY,
    track_code      TEXT NOT NULL UNIQUE,       -- the petitioner's code ("三个公开")
    channel         TEXT NOT NULL CHECK (channel IN ('letter', 'visit', 'phone', 'online', 'fax')),
    category        TEXT NOT NULL CHECK (category IN ('suggestion', 'accusation', 'claim')),
    title           TEXT NOT NULL,              -- 信访事项 in a line
    content         TEXT NOT NULL,              -- request, facts and reasons
    concerns        TEXT,                       -- the body (organ, unit) it concerns
    area_id         INTEGER NOT NULL REFERENCES area(id),
    area_path       TEXT NOT NULL,
    org_id          INTEGER REFERENCES org(id),
    group_size      INTEGER NOT NULL DEFAULT 1 CHECK (group_size >= 1),
    level           TEXT NOT NULL DEFAULT 'local' CHECK (level IN ('local', 'city', 'province', 'beijing')),
    repeat_of       INTEGER REFERENCES petition(id),   -- 重复信访: the earlier petition
    reception_id    INTEGER REFERENCES petition_reception(id),
    status          TEXT NOT NULL,
    handler         TEXT,                       -- the organ it was referred / assigned to
    node            TEXT,                       -- the officers' clock running (NULL: none)
    node_started_ms INTEGER,
    deadline_ms     INTEGER,
    yellow_ms       INTEGER,
    window_ms       INTEGER,                    -- the petitioner's 复查/复核 window ends
    extended_days   INTEGER,                    -- the one extension (≤ 30 days)
    late            INTEGER NOT NULL DEFAULT 0, -- a node was finished after its deadline
    supervised      INTEGER NOT NULL DEFAULT 0, -- 督办
    outcome         TEXT CHECK (outcome IN ('support', 'explain', 'reject')),
    review_outcome  TEXT CHECK (review_outcome IN ('support', 'explain', 'reject')),
    recheck_outcome TEXT CHECK (recheck_outcome IN ('support', 'explain', 'reject')),
    result_text     TEXT,                       -- the last written reply, for the petitioner
    rating_handling TEXT CHECK (rating_handling IN ('satisfied', 'basic', 'unsatisfied')),
    rating_result   TEXT CHECK (rating_result IN ('satisfied', 'basic', 'unsatisfied')),
    rated_ms        INTEGER,
    received_ms     INTEGER NOT NULL,
    accepted_ms     INTEGER,
    replied_ms      INTEGER,
    on_time         INTEGER,                    -- the reply came within the handling time
    closed_ms       INTEGER,
    created_by      INTEGER REFERENCES account(id),
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);
CREATE INDEX petition_path ON petition(area_path, received_ms);
CREATE INDEX petition_received ON petition(received_ms);
CREATE INDEX petition_org ON petition(org_id, received_ms) WHERE org_id IS NOT NULL;
CREATE INDEX petition_deadline ON petition(deadline_ms) WHERE deadline_ms IS NOT NULL;
CREATE INDEX petition_repeat ON petition(repeat_of) WHERE repeat_of IS NOT NULL;

-- The petitioners: up to five (the representatives of a group visit),
-- linked to registry persons where possible. An ID number or phone entered
-- here is sealed (util/seal.h) and shown masked.
CREATE TABLE petitioner (
    id          INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petition(id),
    seq         INTEGER NOT NULL,
    person_id   INTEGER REFERENCES person(id),
    name        TEXT NOT NULL,
    id_enc      BLOB,
    id_mask     TEXT,
    phone_enc   BLOB,
    phone_mask  TEXT,
    address     TEXT,
    UNIQUE (petition_id, seq)
);
CREATE INDEX petitioner_person ON petitioner(person_id) WHERE person_id IS NOT NULL;

-- Attachments (scans of a letter, photos): uploads (attachment table)
-- named at registration.
CREATE TABLE petition_attachment (
    petition_id   INTEGER NOT NULL REFERENCES petition(id),
    attachment_id INTEGER NOT NULL UNIQUE REFERENCES attachment(id),
    PRIMARY KEY (petition_id, attachment_id)
) WITHOUT ROWID;

-- Every step, append-only.
CREATE TABLE petition_timeline (
    id          INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petition(id),
    at_ms       INTEGER NOT NULL,
    account_id  INTEGER REFERENCES account(id),
    actor       TEXT NOT NULL,                  -- username, or "petitioner"
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT,
    detail      TEXT                            -- JSON: outcome, days, deadline, …
);
CREATE INDEX petition_timeline_petition ON petition_timeline(petition_id, id);
CREATE TRIGGER petition_timeline_no_update BEFORE UPDATE ON petition_timeline
BEGIN
    SELECT RAISE(ABORT, 'petition_timeline is append-only');
END;
CREATE TRIGGER petition_timeline_no_delete BEFORE DELETE ON petition_timeline
BEGIN
    SELECT RAISE(ABORT, 'petition_timeline is append-only');
END;

-- 五必访: a visit by a cadre to a person on one of the five lists; it
-- clears the person from that list until the list names them again.
CREATE TABLE petition_visit (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    kind        TEXT NOT NULL CHECK (kind IN ('sign', 'active', 'longterm', 'closed', 'key_group')),
    petition_id INTEGER REFERENCES petition(id),
    account_id  INTEGER REFERENCES account(id),
    at_ms       INTEGER NOT NULL,
    notes       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX petition_visit_person ON petition_visit(person_id, kind, at_ms);
