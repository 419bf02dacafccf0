-- 010: 智能分类. Issue 6. (007–009 are attachments, the public channel and
-- event indexes.) Confirmed and corrected categories are kept as examples;
-- every model built is recorded with its cross-validated figures; an event
-- keeps the category the classifier proposed at intake and the model's
-- version, so a correction can be told from a confirmation later.
CREATE TABLE classifier_example (
    id          INTEGER PRIMARY KEY,
    minor       TEXT NOT NULL REFERENCES category(minor),
    text        TEXT NOT NULL,
    event_id    INTEGER REFERENCES event(id),
    corrected   INTEGER NOT NULL DEFAULT 0,   -- 1: the dispatcher chose another category than proposed
    created_ms  INTEGER NOT NULL
);
CREATE UNIQUE INDEX classifier_example_event ON classifier_example(event_id) WHERE event_id IS NOT NULL;

CREATE TABLE classifier_model (
    version     TEXT PRIMARY KEY,
    created_ms  INTEGER NOT NULL,
    examples    INTEGER NOT NULL,
    shipped     INTEGER NOT NULL,
    top1        REAL,
    top3        REAL,
    major1      REAL
);

ALTER TABLE event ADD COLUMN proposed_minor TEXT;
ALTER TABLE event ADD COLUMN proposed_score REAL;
ALTER TABLE event ADD COLUMN model_version TEXT;

-- Possible duplicates are sought among the events reported around the same
-- time (domain/duplicates.c).
CREATE INDEX event_created ON event(created_ms);

-- A county's own handling time for a category (the taxonomy's deadline_h
-- is the default; start-up refreshes the taxonomy but never this).
ALTER TABLE category ADD COLUMN deadline_override_h INTEGER CHECK (deadline_override_h BETWEEN 1 AND 8760);
