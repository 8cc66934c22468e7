-- Imports that die with their process. Same common subset of H2 (MODE=MySQL) and MariaDB 10.11 / MySQL 8 as V1.

-- Who runs a list's import while it is 'importing': "<node id> pid <process id>" (the server or the import-list
-- command), so that a node's start-up can tell an import its previous run left behind from one still running.
ALTER TABLE contact_lists ADD COLUMN import_owner VARCHAR(200) NULL;
-- Why a list is 'failed' (an import interrupted by a restart); null otherwise.
ALTER TABLE contact_lists ADD COLUMN import_error VARCHAR(500) NULL;
