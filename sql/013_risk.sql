-- 013: social-stability risk assessment (社会稳定风险评估, 淇滨's "2466"):
-- a project or decision with its owner unit and area goes through six steps
-- (plan, hear opinions, predict and judge risks, conclude, file the report,
-- follow up), each with its documents; the six risk kinds are each rated
-- red/orange/yellow (or none); the overall level follows from the ratings;
-- the outcome is recorded. Scope: the project's area path.

CREATE TABLE risk_project (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('project', 'decision')),
    owner_unit     TEXT NOT NULL,
    description    TEXT,
    area_id        INTEGER NOT NULL REFERENCES area(id),
    area_path      TEXT NOT NULL,
    -- in_progress → concluded (step 4) → closed (step 6); or exempt / postponed.
    status         TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN
                       ('in_progress', 'concluded', 'closed', 'exempt', 'postponed')),
    steps_done     INTEGER NOT NULL DEFAULT 0 CHECK (steps_done BETWEEN 0 AND 6),
    level          TEXT CHECK (level IN ('high', 'medium', 'low')),
    outcome        TEXT CHECK (outcome IN
                       ('implement', 'implement_with_measures', 'postpone', 'exempt', 'not_implement')),
    outcome_note   TEXT,
    created_by     INTEGER REFERENCES account(id),
    created_ms     INTEGER NOT NULL,
    updated_ms     INTEGER NOT NULL,
    decided_ms     INTEGER
);
CREATE INDEX risk_project_area ON risk_project(area_path);
CREATE INDEX risk_project_created ON risk_project(created_ms);

-- The six steps: one row per step once it is completed (who, when).
CREATE TABLE risk_step (
    project_id   INTEGER NOT NULL REFERENCES risk_project(id),
    step         INTEGER NOT NULL CHECK (step BETWEEN 1 AND 6),
    account_id   INTEGER REFERENCES account(id),
    username     TEXT NOT NULL,
    done_ms      INTEGER NOT NULL,
    PRIMARY KEY (project_id, step)
);

-- A step's documents: titled text entries (方案, 意见汇总, 评估报告, 报备回执,
-- 督办记录 …), appended with who and when.
CREATE TABLE risk_document (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES risk_project(id),
    step         INTEGER NOT NULL CHECK (step BETWEEN 1 AND 6),
    title        TEXT NOT NULL,
    body         TEXT,
    account_id   INTEGER REFERENCES account(id),
    username     TEXT NOT NULL,
    at_ms        INTEGER NOT NULL
);
CREATE INDEX risk_document_project ON risk_document(project_id, step);

-- The rating of each of the six risk kinds: red, orange, yellow or none.
CREATE TABLE risk_rating (
    project_id   INTEGER NOT NULL REFERENCES risk_project(id),
    kind         TEXT NOT NULL CHECK (kind IN
                     ('environment', 'safety', 'livelihood', 'capital', 'opinion', 'induced')),
    color        TEXT NOT NULL CHECK (color IN ('red', 'orange', 'yellow', 'none')),
    note         TEXT,
    account_id   INTEGER REFERENCES account(id),
    at_ms        INTEGER NOT NULL,
    PRIMARY KEY (project_id, kind)
);
