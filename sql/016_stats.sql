-- 016: statistics kept as counters along the ancestor path (issue 9).
--
-- Every event counts once at every area on its path (county, township,
-- village, grid, micro-grid): a rollup for any node and period is then a sum
-- over a few rows of one node, never a walk of the tree nor a scan of the
-- events. The counters are maintained by triggers, so no code path that
-- writes an event can forget them; they need the SQL functions path_prefix(),
-- sh_day() and sh_month() that store/db.c registers on every connection.
--
-- Events are counted as a cohort: the events REPORTED in a period, with what
-- has become of them since (status, light, late, handling time, rating).

-- The light as of the last write or light sweep (none/green/yellow/red), and
-- whether any step of the event ever ran past its time.
ALTER TABLE event ADD COLUMN light TEXT NOT NULL DEFAULT 'none';
ALTER TABLE event ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
UPDATE event SET
    light = CASE WHEN deadline_ms IS NULL THEN 'none'
                 WHEN coalesce(paused_ms, updated_ms) >= deadline_ms THEN 'red'
                 WHEN coalesce(paused_ms, updated_ms) >= yellow_ms THEN 'yellow'
                 ELSE 'green' END,
    late = (escalations > 0);
-- What the light sweep looks for: lights that time has turned.
CREATE INDEX event_light_yellow ON event(yellow_ms)
    WHERE light = 'green' AND paused_ms IS NULL;
CREATE INDEX event_light_red ON event(deadline_ms)
    WHERE light IN ('green', 'yellow') AND paused_ms IS NULL;

-- Depths 1..16 of a path ('/1/' is depth 1, '/1/2/' depth 2, …), and the
-- dimensions an event is counted along ('' is the total).
CREATE TABLE stat_depth (k INTEGER PRIMARY KEY);
INSERT INTO stat_depth (k) VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12),
    (13), (14), (15), (16);
CREATE TABLE stat_dim (dim TEXT PRIMARY KEY);
INSERT INTO stat_dim (dim) VALUES (''), ('status'), ('light'), ('source'), ('minor');

-- By month (yyyymm, Asia/Shanghai) and ONE dimension at a time (the total,
-- each status, light, source and minor category): the margins of the cube, not
-- the cube, so a node's month is at most ~190 rows whatever the volume.
CREATE TABLE stat_event_month (
    path      TEXT NOT NULL,     -- an area on the event's path
    month     INTEGER NOT NULL,  -- of the report, e.g. 202611
    dim       TEXT NOT NULL,     -- '', status, light, source, minor
    key       TEXT NOT NULL,     -- its value ('' for the total; minor '' uncategorised)
    n         INTEGER NOT NULL,  -- events
    open      INTEGER NOT NULL,  -- still waiting for work
    resolved  INTEGER NOT NULL,  -- closed or evaluated
    rejected  INTEGER NOT NULL,
    merged    INTEGER NOT NULL,
    late      INTEGER NOT NULL,  -- with a step past its time
    late_resolved INTEGER NOT NULL,
    handle_ms INTEGER NOT NULL,  -- sum of (closed - reported) over the resolved ones
    rated     INTEGER NOT NULL,  -- rated by the reporter
    rating_sum INTEGER NOT NULL,
    satisfied INTEGER NOT NULL,  -- rated 4 or 5
    red       INTEGER NOT NULL,  -- open with a red light
    yellow    INTEGER NOT NULL,  -- open with a yellow light
    PRIMARY KEY (path, dim, key, month)
) WITHOUT ROWID;

-- By day (days since 1970-01-01 in Asia/Shanghai), totals only: the series.
CREATE TABLE stat_event_day (
    path      TEXT NOT NULL,
    day       INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    resolved  INTEGER NOT NULL,  -- closed or evaluated
    late      INTEGER NOT NULL,
    handle_ms INTEGER NOT NULL,
    rated     INTEGER NOT NULL,
    rating_sum INTEGER NOT NULL,
    satisfied INTEGER NOT NULL,
    PRIMARY KEY (path, day)
) WITHOUT ROWID;

-- The counters follow every insert and every change of a counted value.
CREATE TRIGGER event_stat_insert AFTER INSERT ON event BEGIN
    INSERT INTO stat_event_month (path, month, dim, key, n, open, resolved, rejected, merged,
                                  late, late_resolved, handle_ms, rated, rating_sum, satisfied, red,
                                  yellow)
    SELECT path_prefix(NEW.area_path, d.k), sh_month(NEW.created_ms), x.dim,
           CASE x.dim WHEN 'status' THEN NEW.status WHEN 'light' THEN NEW.light
                      WHEN 'source' THEN NEW.source WHEN 'minor' THEN coalesce(NEW.minor, '') ELSE '' END,
           1, 1 * (NEW.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended')), 1 * (NEW.status IN ('closed', 'evaluated')), 1 * (NEW.status = 'rejected'),
           1 * (NEW.status = 'merged'), 1 * NEW.late, 1 * (NEW.late AND NEW.status IN ('closed', 'evaluated')),
           1 * CASE WHEN NEW.status IN ('closed', 'evaluated') THEN coalesce(NEW.closed_ms, NEW.updated_ms) - NEW.created_ms ELSE 0 END,
           1 * (NEW.rating IS NOT NULL), 1 * coalesce(NEW.rating, 0),
           1 * (coalesce(NEW.rating, 0) >= 4), 1 * (NEW.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND NEW.light = 'red'),
           1 * (NEW.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND NEW.light = 'yellow')
    FROM stat_depth d, stat_dim x WHERE path_prefix(NEW.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, dim, key, month) DO UPDATE SET
        n = n + excluded.n, open = open + excluded.open, resolved = resolved + excluded.resolved,
        rejected = rejected + excluded.rejected, merged = merged + excluded.merged,
        late = late + excluded.late, late_resolved = late_resolved + excluded.late_resolved,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
        red = red + excluded.red, yellow = yellow + excluded.yellow;
    INSERT INTO stat_event_day (path, day, n, resolved, late, handle_ms, rated, rating_sum,
                                satisfied)
    SELECT path_prefix(NEW.area_path, d.k), sh_day(NEW.created_ms), 1, 1 * (NEW.status IN ('closed', 'evaluated')),
           1 * NEW.late,
           1 * CASE WHEN NEW.status IN ('closed', 'evaluated') THEN coalesce(NEW.closed_ms, NEW.updated_ms) - NEW.created_ms ELSE 0 END,
           1 * (NEW.rating IS NOT NULL), 1 * coalesce(NEW.rating, 0),
           1 * (coalesce(NEW.rating, 0) >= 4)
    FROM stat_depth d WHERE path_prefix(NEW.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, day) DO UPDATE SET
        n = n + excluded.n, resolved = resolved + excluded.resolved, late = late + excluded.late,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied;
END;
CREATE TRIGGER event_stat_update AFTER UPDATE OF minor, source, status, light, late, closed_ms, rating, area_path, created_ms ON event
WHEN OLD.minor IS NOT NEW.minor OR OLD.source IS NOT NEW.source OR OLD.status IS NOT NEW.status OR OLD.light IS NOT NEW.light OR OLD.late IS NOT NEW.late OR OLD.closed_ms IS NOT NEW.closed_ms OR OLD.rating IS NOT NEW.rating OR OLD.area_path IS NOT NEW.area_path OR OLD.created_ms IS NOT NEW.created_ms
BEGIN
    INSERT INTO stat_event_month (path, month, dim, key, n, open, resolved, rejected, merged,
                                  late, late_resolved, handle_ms, rated, rating_sum, satisfied, red,
                                  yellow)
    SELECT path_prefix(OLD.area_path, d.k), sh_month(OLD.created_ms), x.dim,
           CASE x.dim WHEN 'status' THEN OLD.status WHEN 'light' THEN OLD.light
                      WHEN 'source' THEN OLD.source WHEN 'minor' THEN coalesce(OLD.minor, '') ELSE '' END,
           -1, -1 * (OLD.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended')), -1 * (OLD.status IN ('closed', 'evaluated')), -1 * (OLD.status = 'rejected'),
           -1 * (OLD.status = 'merged'), -1 * OLD.late, -1 * (OLD.late AND OLD.status IN ('closed', 'evaluated')),
           -1 * CASE WHEN OLD.status IN ('closed', 'evaluated') THEN coalesce(OLD.closed_ms, OLD.updated_ms) - OLD.created_ms ELSE 0 END,
           -1 * (OLD.rating IS NOT NULL), -1 * coalesce(OLD.rating, 0),
           -1 * (coalesce(OLD.rating, 0) >= 4), -1 * (OLD.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND OLD.light = 'red'),
           -1 * (OLD.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND OLD.light = 'yellow')
    FROM stat_depth d, stat_dim x WHERE path_prefix(OLD.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, dim, key, month) DO UPDATE SET
        n = n + excluded.n, open = open + excluded.open, resolved = resolved + excluded.resolved,
        rejected = rejected + excluded.rejected, merged = merged + excluded.merged,
        late = late + excluded.late, late_resolved = late_resolved + excluded.late_resolved,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
        red = red + excluded.red, yellow = yellow + excluded.yellow;
    INSERT INTO stat_event_month (path, month, dim, key, n, open, resolved, rejected, merged,
                                  late, late_resolved, handle_ms, rated, rating_sum, satisfied, red,
                                  yellow)
    SELECT path_prefix(NEW.area_path, d.k), sh_month(NEW.created_ms), x.dim,
           CASE x.dim WHEN 'status' THEN NEW.status WHEN 'light' THEN NEW.light
                      WHEN 'source' THEN NEW.source WHEN 'minor' THEN coalesce(NEW.minor, '') ELSE '' END,
           1, 1 * (NEW.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended')), 1 * (NEW.status IN ('closed', 'evaluated')), 1 * (NEW.status = 'rejected'),
           1 * (NEW.status = 'merged'), 1 * NEW.late, 1 * (NEW.late AND NEW.status IN ('closed', 'evaluated')),
           1 * CASE WHEN NEW.status IN ('closed', 'evaluated') THEN coalesce(NEW.closed_ms, NEW.updated_ms) - NEW.created_ms ELSE 0 END,
           1 * (NEW.rating IS NOT NULL), 1 * coalesce(NEW.rating, 0),
           1 * (coalesce(NEW.rating, 0) >= 4), 1 * (NEW.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND NEW.light = 'red'),
           1 * (NEW.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND NEW.light = 'yellow')
    FROM stat_depth d, stat_dim x WHERE path_prefix(NEW.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, dim, key, month) DO UPDATE SET
        n = n + excluded.n, open = open + excluded.open, resolved = resolved + excluded.resolved,
        rejected = rejected + excluded.rejected, merged = merged + excluded.merged,
        late = late + excluded.late, late_resolved = late_resolved + excluded.late_resolved,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
        red = red + excluded.red, yellow = yellow + excluded.yellow;
    INSERT INTO stat_event_day (path, day, n, resolved, late, handle_ms, rated, rating_sum,
                                satisfied)
    SELECT path_prefix(OLD.area_path, d.k), sh_day(OLD.created_ms), -1, -1 * (OLD.status IN ('closed', 'evaluated')),
           -1 * OLD.late,
           -1 * CASE WHEN OLD.status IN ('closed', 'evaluated') THEN coalesce(OLD.closed_ms, OLD.updated_ms) - OLD.created_ms ELSE 0 END,
           -1 * (OLD.rating IS NOT NULL), -1 * coalesce(OLD.rating, 0),
           -1 * (coalesce(OLD.rating, 0) >= 4)
    FROM stat_depth d WHERE path_prefix(OLD.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, day) DO UPDATE SET
        n = n + excluded.n, resolved = resolved + excluded.resolved, late = late + excluded.late,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied;
    INSERT INTO stat_event_day (path, day, n, resolved, late, handle_ms, rated, rating_sum,
                                satisfied)
    SELECT path_prefix(NEW.area_path, d.k), sh_day(NEW.created_ms), 1, 1 * (NEW.status IN ('closed', 'evaluated')),
           1 * NEW.late,
           1 * CASE WHEN NEW.status IN ('closed', 'evaluated') THEN coalesce(NEW.closed_ms, NEW.updated_ms) - NEW.created_ms ELSE 0 END,
           1 * (NEW.rating IS NOT NULL), 1 * coalesce(NEW.rating, 0),
           1 * (coalesce(NEW.rating, 0) >= 4)
    FROM stat_depth d WHERE path_prefix(NEW.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, day) DO UPDATE SET
        n = n + excluded.n, resolved = resolved + excluded.resolved, late = late + excluded.late,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied;
END;
CREATE TRIGGER event_stat_delete AFTER DELETE ON event BEGIN
    INSERT INTO stat_event_month (path, month, dim, key, n, open, resolved, rejected, merged,
                                  late, late_resolved, handle_ms, rated, rating_sum, satisfied, red,
                                  yellow)
    SELECT path_prefix(OLD.area_path, d.k), sh_month(OLD.created_ms), x.dim,
           CASE x.dim WHEN 'status' THEN OLD.status WHEN 'light' THEN OLD.light
                      WHEN 'source' THEN OLD.source WHEN 'minor' THEN coalesce(OLD.minor, '') ELSE '' END,
           -1, -1 * (OLD.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended')), -1 * (OLD.status IN ('closed', 'evaluated')), -1 * (OLD.status = 'rejected'),
           -1 * (OLD.status = 'merged'), -1 * OLD.late, -1 * (OLD.late AND OLD.status IN ('closed', 'evaluated')),
           -1 * CASE WHEN OLD.status IN ('closed', 'evaluated') THEN coalesce(OLD.closed_ms, OLD.updated_ms) - OLD.created_ms ELSE 0 END,
           -1 * (OLD.rating IS NOT NULL), -1 * coalesce(OLD.rating, 0),
           -1 * (coalesce(OLD.rating, 0) >= 4), -1 * (OLD.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND OLD.light = 'red'),
           -1 * (OLD.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND OLD.light = 'yellow')
    FROM stat_depth d, stat_dim x WHERE path_prefix(OLD.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, dim, key, month) DO UPDATE SET
        n = n + excluded.n, open = open + excluded.open, resolved = resolved + excluded.resolved,
        rejected = rejected + excluded.rejected, merged = merged + excluded.merged,
        late = late + excluded.late, late_resolved = late_resolved + excluded.late_resolved,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
        red = red + excluded.red, yellow = yellow + excluded.yellow;
    INSERT INTO stat_event_day (path, day, n, resolved, late, handle_ms, rated, rating_sum,
                                satisfied)
    SELECT path_prefix(OLD.area_path, d.k), sh_day(OLD.created_ms), -1, -1 * (OLD.status IN ('closed', 'evaluated')),
           -1 * OLD.late,
           -1 * CASE WHEN OLD.status IN ('closed', 'evaluated') THEN coalesce(OLD.closed_ms, OLD.updated_ms) - OLD.created_ms ELSE 0 END,
           -1 * (OLD.rating IS NOT NULL), -1 * coalesce(OLD.rating, 0),
           -1 * (coalesce(OLD.rating, 0) >= 4)
    FROM stat_depth d WHERE path_prefix(OLD.area_path, d.k) IS NOT NULL
    ON CONFLICT (path, day) DO UPDATE SET
        n = n + excluded.n, resolved = resolved + excluded.resolved, late = late + excluded.late,
        handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
        rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied;
END;

-- The events already there.
INSERT INTO stat_event_month (path, month, dim, key, n, open, resolved, rejected, merged,
                              late, late_resolved, handle_ms, rated, rating_sum, satisfied, red,
                              yellow)
SELECT path_prefix(e.area_path, d.k), sh_month(e.created_ms), x.dim,
       CASE x.dim WHEN 'status' THEN e.status WHEN 'light' THEN e.light
                  WHEN 'source' THEN e.source WHEN 'minor' THEN coalesce(e.minor, '') ELSE '' END,
       1, 1 * (e.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended')), 1 * (e.status IN ('closed', 'evaluated')), 1 * (e.status = 'rejected'),
       1 * (e.status = 'merged'), 1 * e.late, 1 * (e.late AND e.status IN ('closed', 'evaluated')),
       1 * CASE WHEN e.status IN ('closed', 'evaluated') THEN coalesce(e.closed_ms, e.updated_ms) - e.created_ms ELSE 0 END,
       1 * (e.rating IS NOT NULL), 1 * coalesce(e.rating, 0),
       1 * (coalesce(e.rating, 0) >= 4), 1 * (e.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND e.light = 'red'),
       1 * (e.status IN ('reported', 'registered', 'dispatched', 'accepted', 'handled', 'suspended') AND e.light = 'yellow')
FROM event e, stat_depth d, stat_dim x WHERE path_prefix(e.area_path, d.k) IS NOT NULL
ON CONFLICT (path, dim, key, month) DO UPDATE SET
    n = n + excluded.n, open = open + excluded.open, resolved = resolved + excluded.resolved,
    rejected = rejected + excluded.rejected, merged = merged + excluded.merged,
    late = late + excluded.late, late_resolved = late_resolved + excluded.late_resolved,
    handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
    rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
    red = red + excluded.red, yellow = yellow + excluded.yellow;
INSERT INTO stat_event_day (path, day, n, resolved, late, handle_ms, rated, rating_sum,
                            satisfied)
SELECT path_prefix(e.area_path, d.k), sh_day(e.created_ms), 1, 1 * (e.status IN ('closed', 'evaluated')),
       1 * e.late,
       1 * CASE WHEN e.status IN ('closed', 'evaluated') THEN coalesce(e.closed_ms, e.updated_ms) - e.created_ms ELSE 0 END,
       1 * (e.rating IS NOT NULL), 1 * coalesce(e.rating, 0),
       1 * (coalesce(e.rating, 0) >= 4)
FROM event e, stat_depth d WHERE path_prefix(e.area_path, d.k) IS NOT NULL
ON CONFLICT (path, day) DO UPDATE SET
    n = n + excluded.n, resolved = resolved + excluded.resolved, late = late + excluded.late,
    handle_ms = handle_ms + excluded.handle_ms, rated = rated + excluded.rated,
    rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied;
