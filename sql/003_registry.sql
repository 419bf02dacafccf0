-- 003: the registry (实有人口、房屋、组织、特殊人群、走访). Issue 4.
-- Personal identifiers are never stored in clear: *_enc holds the sealed
-- value (src/util/seal.c: key id | nonce | ciphertext), *_bidx the keyed
-- blind index used for exact look-up, *_mask the masked form shown to
-- roles that may not see the value (first 6 + last 4 of an ID number,
-- 3 + 4 of a phone).

CREATE TABLE house (
    id          INTEGER PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES area(id),
    address     TEXT NOT NULL,
    lng         REAL,
    lat         REAL,
    use         TEXT NOT NULL DEFAULT 'residential',
    rental      INTEGER NOT NULL DEFAULT 0,
    owner_id    INTEGER REFERENCES person(id),
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX house_area ON house(area_id);

CREATE TABLE household (
    id          INTEGER PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES area(id),
    hh_no       TEXT,
    address     TEXT NOT NULL,
    house_id    INTEGER REFERENCES house(id),
    head_id     INTEGER REFERENCES person(id),
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX household_area ON household(area_id);

CREATE TABLE person (
    id                 INTEGER PRIMARY KEY,
    area_id            INTEGER NOT NULL REFERENCES area(id),
    name               TEXT NOT NULL,
    former_name        TEXT,
    gender             TEXT CHECK (gender IN ('M', 'F')),
    doc_type           TEXT NOT NULL DEFAULT '111',
    id_enc             BLOB,
    id_bidx            BLOB,
    id_mask            TEXT,
    birth_date         TEXT,
    ethnicity          TEXT,
    phone_enc          BLOB,
    phone_bidx         BLOB,
    phone_mask         TEXT,
    residence_type     TEXT NOT NULL CHECK (residence_type IN
                           ('registered', 'floating', 'overseas', 'left_behind')),
    registered_address TEXT,
    current_address    TEXT,
    household_id       INTEGER REFERENCES household(id),
    relation           TEXT,
    tags               TEXT NOT NULL DEFAULT '',
    extra              TEXT,
    created_ms         INTEGER NOT NULL,
    updated_ms         INTEGER NOT NULL
);
CREATE INDEX person_area ON person(area_id);
CREATE UNIQUE INDEX person_id_bidx ON person(id_bidx) WHERE id_bidx IS NOT NULL;
CREATE INDEX person_phone_bidx ON person(phone_bidx) WHERE phone_bidx IS NOT NULL;
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_name ON person(name);

-- Substring search of names and addresses (Chinese has no spaces). The
-- trigram tokenizer matches queries of three characters or more; shorter
-- ones use the name index (person_name) instead.
CREATE VIRTUAL TABLE person_fts USING fts5(
    name, current_address, content = 'person', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN
    INSERT INTO person_fts (rowid, name, current_address)
    VALUES (new.id, new.name, coalesce(new.current_address, ''));
END;
CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN
    INSERT INTO person_fts (person_fts, rowid, name, current_address)
    VALUES ('delete', old.id, old.name, coalesce(old.current_address, ''));
END;
CREATE TRIGGER person_fts_update AFTER UPDATE OF name, current_address ON person BEGIN
    INSERT INTO person_fts (person_fts, rowid, name, current_address)
    VALUES ('delete', old.id, old.name, coalesce(old.current_address, ''));
    INSERT INTO person_fts (rowid, name, current_address)
    VALUES (new.id, new.name, coalesce(new.current_address, ''));
END;

CREATE INDEX household_no ON household(area_id, hh_no);

-- 特殊人群: a person's membership of a special group, with the type's own
-- fields (JSON, validated by the application per type), the risk and, for
-- severe mental disorder, the danger level 0–5, the guardianship team
-- ("五位一体") and the visit duty that follows from the configured rules.
CREATE TABLE special_group (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id),
    type            TEXT NOT NULL CHECK (type IN
                        ('released', 'correction', 'drug', 'mental', 'aids', 'youth')),
    risk_level      TEXT NOT NULL CHECK (risk_level IN ('low', 'medium', 'high')),
    danger_level    INTEGER CHECK (danger_level BETWEEN 0 AND 5),
    fields          TEXT NOT NULL DEFAULT '{}',
    guardians       TEXT NOT NULL DEFAULT '[]',
    since           TEXT,
    visit_every_days INTEGER NOT NULL,
    last_visit_ms   INTEGER,
    next_due_ms     INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    UNIQUE (person_id, type)
);
CREATE INDEX special_group_due ON special_group(next_due_ms);

-- 走访: a visit by a grid worker (or other staff) to a person.
CREATE TABLE visit (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    area_id     INTEGER NOT NULL REFERENCES area(id),
    at_ms       INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('home', 'phone', 'meeting')),
    notes       TEXT NOT NULL DEFAULT '',
    lng         REAL,
    lat         REAL,
    account_id  INTEGER REFERENCES account(id),
    created_ms  INTEGER NOT NULL
);
CREATE INDEX visit_person ON visit(person_id, at_ms);

-- "两新"组织 and the other units of the grid: enterprises, social
-- organisations, institutions (schools with their safety officer).
CREATE TABLE org (
    id              INTEGER PRIMARY KEY,
    area_id         INTEGER NOT NULL REFERENCES area(id),
    uscc            TEXT UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN
                        ('enterprise', 'social_org', 'institution', 'school', 'individual', 'other')),
    address         TEXT,
    lng             REAL,
    lat             REAL,
    legal_rep       TEXT,
    contact_name    TEXT,
    contact_phone_enc  BLOB,
    contact_phone_mask TEXT,
    employees       INTEGER,
    party_org       INTEGER NOT NULL DEFAULT 0,
    trade_union     INTEGER NOT NULL DEFAULT 0,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);
CREATE INDEX org_area ON org(area_id);
CREATE INDEX org_name ON org(name);

-- 出租房屋: who rents a house, and since when (the floating population is
-- screened through rental housing).
CREATE TABLE house_tenant (
    id        INTEGER PRIMARY KEY,
    house_id  INTEGER NOT NULL REFERENCES house(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    since     TEXT NOT NULL,
    until     TEXT,
    created_ms INTEGER NOT NULL
);
CREATE INDEX house_tenant_house ON house_tenant(house_id);
CREATE INDEX house_tenant_person ON house_tenant(person_id);
