-- 019: registry figures as counters along the ancestor path (issue 9), like
-- the event counters of 016: residents by kind of residence, special-group
-- members by type and by the day their next visit is due (so "overdue now"
-- is a sum over the days before today). Kept by triggers on person and
-- special_group; a person who moves takes their memberships along.

CREATE TABLE stat_person (
    path           TEXT NOT NULL,
    residence_type TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (path, residence_type)
) WITHOUT ROWID;

CREATE TABLE stat_group (
    path    TEXT NOT NULL,
    type    TEXT NOT NULL,
    due_day INTEGER NOT NULL,  -- sh_day(next_due_ms)
    n       INTEGER NOT NULL,
    PRIMARY KEY (path, type, due_day)
) WITHOUT ROWID;

CREATE TRIGGER person_stat_insert AFTER INSERT ON person BEGIN
    INSERT INTO stat_person (path, residence_type, n)
    SELECT path_prefix(a.path, d.k), NEW.residence_type, 1 FROM stat_depth d, area a
    WHERE a.id = NEW.area_id AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, residence_type) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER person_stat_delete AFTER DELETE ON person BEGIN
    INSERT INTO stat_person (path, residence_type, n)
    SELECT path_prefix(a.path, d.k), OLD.residence_type, -1 FROM stat_depth d, area a
    WHERE a.id = OLD.area_id AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, residence_type) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER person_stat_update AFTER UPDATE OF area_id, residence_type ON person
WHEN OLD.area_id IS NOT NEW.area_id OR OLD.residence_type IS NOT NEW.residence_type
BEGIN
    INSERT INTO stat_person (path, residence_type, n)
    SELECT path_prefix(a.path, d.k), OLD.residence_type, -1 FROM stat_depth d, area a
    WHERE a.id = OLD.area_id AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, residence_type) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_person (path, residence_type, n)
    SELECT path_prefix(a.path, d.k), NEW.residence_type, 1 FROM stat_depth d, area a
    WHERE a.id = NEW.area_id AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, residence_type) DO UPDATE SET n = n + excluded.n;
    -- A move takes the person's memberships along.
    INSERT INTO stat_group (path, type, due_day, n)
    SELECT path_prefix(a.path, d.k), g.type, sh_day(g.next_due_ms), -1 FROM stat_depth d, special_group g, area a
    WHERE a.id = OLD.area_id AND path_prefix(a.path, d.k) IS NOT NULL AND g.person_id = NEW.id AND OLD.area_id IS NOT NEW.area_id
    ON CONFLICT (path, type, due_day) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_group (path, type, due_day, n)
    SELECT path_prefix(a.path, d.k), g.type, sh_day(g.next_due_ms), 1 FROM stat_depth d, special_group g, area a
    WHERE a.id = NEW.area_id AND path_prefix(a.path, d.k) IS NOT NULL AND g.person_id = NEW.id AND OLD.area_id IS NOT NEW.area_id
    ON CONFLICT (path, type, due_day) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER group_stat_insert AFTER INSERT ON special_group BEGIN
    INSERT INTO stat_group (path, type, due_day, n)
    SELECT path_prefix(a.path, d.k), NEW.type, sh_day(NEW.next_due_ms), 1 FROM stat_depth d, area a
    WHERE a.id = (SELECT area_id FROM person WHERE id = NEW.person_id) AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, type, due_day) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER group_stat_delete AFTER DELETE ON special_group BEGIN
    INSERT INTO stat_group (path, type, due_day, n)
    SELECT path_prefix(a.path, d.k), OLD.type, sh_day(OLD.next_due_ms), -1 FROM stat_depth d, area a
    WHERE a.id = (SELECT area_id FROM person WHERE id = OLD.person_id) AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, type, due_day) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER group_stat_update AFTER UPDATE OF type, next_due_ms, person_id ON special_group
WHEN OLD.type IS NOT NEW.type OR OLD.next_due_ms IS NOT NEW.next_due_ms
    OR OLD.person_id IS NOT NEW.person_id
BEGIN
    INSERT INTO stat_group (path, type, due_day, n)
    SELECT path_prefix(a.path, d.k), OLD.type, sh_day(OLD.next_due_ms), -1 FROM stat_depth d, area a
    WHERE a.id = (SELECT area_id FROM person WHERE id = OLD.person_id) AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, type, due_day) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stat_group (path, type, due_day, n)
    SELECT path_prefix(a.path, d.k), NEW.type, sh_day(NEW.next_due_ms), 1 FROM stat_depth d, area a
    WHERE a.id = (SELECT area_id FROM person WHERE id = NEW.person_id) AND path_prefix(a.path, d.k) IS NOT NULL
    ON CONFLICT (path, type, due_day) DO UPDATE SET n = n + excluded.n;
END;

-- The residents and memberships already there.
INSERT INTO stat_person (path, residence_type, n)
SELECT path_prefix(a.path, d.k), p.residence_type, count(*) FROM person p, area a, stat_depth d
WHERE a.id = p.area_id AND path_prefix(a.path, d.k) IS NOT NULL GROUP BY 1, 2;
INSERT INTO stat_group (path, type, due_day, n)
SELECT path_prefix(a.path, d.k), g.type, sh_day(g.next_due_ms), count(*)
FROM special_group g, person p, area a, stat_depth d
WHERE p.id = g.person_id AND a.id = p.area_id AND path_prefix(a.path, d.k) IS NOT NULL
GROUP BY 1, 2, 3;
