-- 009: indexes for the queues and lists of the closed loop (issue 5).
-- Measured with 1,000,000 events (bench/run.sh, docs/benchmarks.md): each
-- query below read the table row by row, and the inboxes took 0.6–2 s.
-- (007 and 008 are taken by other branches.)

-- The centre's inbox: the statuses waiting on it in the area it handles,
-- with what the light and the order need, so the index alone answers.
-- Replaces event_handling (handling_path, status), which no query led with.
DROP INDEX event_handling;
CREATE INDEX event_queue ON event(status, handling_path, deadline_ms, yellow_ms, paused_ms,
                                  extension_hours);

-- A department's inbox and lists: its work by status inside a place, with
-- what the light and the other filters (minor, source) read, so counting
-- never reads the table.
DROP INDEX event_lead;
CREATE INDEX event_lead ON event(department_id, status, area_path, deadline_ms, yellow_ms,
                                 paused_ms, minor, source);

-- Lists filtered by status (?status=…&light=…) inside a place, counted from
-- the index alone. (event_status (status, id) stays: a county's page walks
-- it backwards and stops when full.)
CREATE INDEX event_status_place ON event(status, area_path, deadline_ms, yellow_ms, paused_ms,
                                         minor, source);

-- A reporter's inbox: what it reported and may now rate.
CREATE INDEX event_reporter ON event(reporter_id, status) WHERE reporter_id IS NOT NULL;

-- A department's co-handled events (lead = 0) without reading those it leads.
DROP INDEX event_department_dept;
CREATE INDEX event_department_dept ON event_department(department_id, lead, event_id);
