-- The household ledger import finds a household by its 户号 (the number of
-- its 户口簿) within the importer's scope: an index keeps that a look-up.
CREATE INDEX IF NOT EXISTS household_hh_no ON household(hh_no);
