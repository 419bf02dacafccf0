-- 001: the spine — area levels, the area tree, departments, accounts,
-- sessions and the append-only audit log.
-- Times are UTC epoch milliseconds (INTEGER). Portable SQL: no SQLite-only
-- types; dialect differences live in src/store/.

CREATE TABLE area_level (
    key   TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    depth INTEGER NOT NULL UNIQUE
);

-- The area tree. `path` is the materialised ancestor path of ids,
-- '/1/7/42/' (root first, the area itself last, '/'-terminated), so a
-- subtree is the index range [path, path with its last byte + 1).
CREATE TABLE area (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL REFERENCES area_level(key),
    parent_id   INTEGER REFERENCES area(id),
    path        TEXT NOT NULL UNIQUE,
    depth       INTEGER NOT NULL,
    valid_from  TEXT NOT NULL,
    retired_ms  INTEGER,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX area_parent ON area(parent_id);
CREATE INDEX area_name ON area(name);

CREATE TABLE department (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE account (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    area_id         INTEGER NOT NULL REFERENCES area(id),
    department_id   INTEGER REFERENCES department(id),
    pw_hash         TEXT NOT NULL,
    pw_changed_ms   INTEGER NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    created_ms      INTEGER NOT NULL,
    created_by      INTEGER REFERENCES account(id)
);
CREATE INDEX account_area ON account(area_id);
CREATE INDEX account_role ON account(role);

-- People responsible for an area: grid workers and the leader (网格长).
-- Micro-grid workers often have no login, so account_id may be NULL.
CREATE TABLE area_staff (
    id         INTEGER PRIMARY KEY,
    area_id    INTEGER NOT NULL REFERENCES area(id),
    duty       TEXT NOT NULL CHECK (duty IN ('worker', 'leader')),
    name       TEXT NOT NULL,
    account_id INTEGER REFERENCES account(id)
);
CREATE INDEX area_staff_area ON area_staff(area_id);
CREATE INDEX area_staff_account ON area_staff(account_id);

-- Sessions are found by the BLAKE2b hash of the token: the database never
-- holds a usable token.
CREATE TABLE session (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id),
    created_ms INTEGER NOT NULL,
    last_ms    INTEGER NOT NULL,
    address    TEXT NOT NULL
);
CREATE INDEX session_account ON session(account_id);

-- Append-only: the triggers below refuse UPDATE and DELETE, and no API
-- writes here except by INSERT.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at_ms      INTEGER NOT NULL,
    account_id INTEGER,
    username   TEXT,
    address    TEXT,
    action     TEXT NOT NULL,
    object     TEXT,
    outcome    TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
    status     INTEGER NOT NULL,
    scope_path TEXT,
    request_id TEXT,
    detail     TEXT
);
CREATE INDEX audit_at ON audit(at_ms);
CREATE INDEX audit_account ON audit(account_id, at_ms);
CREATE INDEX audit_action ON audit(action, at_ms);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
