-- 007: photos on events (issue 5). The bytes live outside the database, in
-- attachment_dir, one file per content named by its SHA-256 (hex); a row is
-- one use of that content. An upload is first the uploader's alone
-- (event_id NULL); the intake or step that names it links it to the event and
-- to its timeline entry, once. Linked rows never change: the timeline they
-- belong to is append-only.
CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    mime        TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    size        INTEGER NOT NULL CHECK (size > 0),
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES account(id),   -- the uploader
    created_ms  INTEGER NOT NULL,
    event_id    INTEGER REFERENCES event(id),
    timeline_id INTEGER REFERENCES event_timeline(id),
    CHECK ((event_id IS NULL) = (timeline_id IS NULL))
);
CREATE INDEX attachment_event ON attachment(event_id, timeline_id) WHERE event_id IS NOT NULL;
-- An uploader's unlinked copy of a content: a retried upload finds it.
CREATE UNIQUE INDEX attachment_pending ON attachment(account_id, sha256) WHERE event_id IS NULL;
CREATE INDEX attachment_sha ON attachment(sha256);
CREATE TRIGGER attachment_linked_no_update BEFORE UPDATE ON attachment
WHEN OLD.event_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a linked attachment is part of the timeline');
END;
CREATE TRIGGER attachment_linked_no_delete BEFORE DELETE ON attachment
WHEN OLD.event_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a linked attachment is part of the timeline');
END;
