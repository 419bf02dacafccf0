-- 008: residents report without an account (issue 5, "Residents and open
-- standards"). Their events have no reporter account (reporter_id NULL), so
-- the per-reporter idempotency index does not hold them (NULLs are
-- distinct): anonymous keys get an index of their own, one space for all.
CREATE UNIQUE INDEX event_idem_anon ON event(idem_key)
    WHERE reporter_id IS NULL AND idem_key IS NOT NULL;
