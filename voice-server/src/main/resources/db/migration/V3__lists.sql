-- Call-list imports. Same common subset of H2 (MODE=MySQL) and MariaDB 10.11 / MySQL 8 as V1.

-- A number may map to many zones: a North American toll-free number maps to all 42 zones of the +1 plan
-- (727 characters joined by ','), more than V2's 255.
ALTER TABLE contacts MODIFY timezone VARCHAR(1000) NULL;

-- The report's breakdown of rows_rejected, kept with the list: rows whose number was already in the file or on
-- the list, and rows whose number was on the do-not-call list.
ALTER TABLE contact_lists ADD COLUMN rows_duplicate INT NOT NULL DEFAULT 0;
ALTER TABLE contact_lists ADD COLUMN rows_do_not_call INT NOT NULL DEFAULT 0;
