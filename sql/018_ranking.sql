-- 018: rankings (考核评价, issue 9): the weights of the scoring formula, per
-- kind of subject and component, which a county may change; and the indexes
-- the components are counted with.
CREATE TABLE ranking_weight (
    kind      TEXT NOT NULL CHECK (kind IN ('grid_worker', 'department', 'township')),
    component TEXT NOT NULL,
    weight    REAL NOT NULL CHECK (weight BETWEEN -100 AND 100),
    PRIMARY KEY (kind, component)
) WITHOUT ROWID;
INSERT INTO ranking_weight (kind, component, weight) VALUES
    ('grid_worker', 'reports', 20), ('grid_worker', 'on_time_rate', 20),
    ('grid_worker', 'satisfaction', 20), ('grid_worker', 'visits', 40),
    ('grid_worker', 'verify_fail', -10), ('grid_worker', 'overdue', -10),
    ('department', 'handled', 20), ('department', 'on_time_rate', 40),
    ('department', 'satisfaction', 40), ('department', 'verify_fail', -15),
    ('department', 'overdue', -15),
    ('township', 'reports', 10), ('township', 'on_time_rate', 30),
    ('township', 'satisfaction', 30), ('township', 'visits', 30),
    ('township', 'verify_fail', -10), ('township', 'overdue', -10);

-- 核查不通过 in a period; visits in a period.
CREATE INDEX event_timeline_reopen ON event_timeline(at_ms) WHERE action = 'reopen';
CREATE INDEX visit_at ON visit(at_ms);
