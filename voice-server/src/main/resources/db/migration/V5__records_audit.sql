-- Call records, recordings and the audit log (docs/records-and-recordings.md).

-- A recorded call's WAV, relative to data.dir/recordings; recording_state: writing, complete or incomplete
-- (frames were dropped because the disk fell behind). Both are cleared when retention deletes the file.
ALTER TABLE calls ADD COLUMN recording_path VARCHAR(255) NULL;
ALTER TABLE calls ADD COLUMN recording_state VARCHAR(16) NULL;
-- GET /api/calls pages by (started_at, id) descending, and filters by the called number too
CREATE INDEX ix_calls_started_id ON calls (started_at, id);
CREATE INDEX ix_calls_called ON calls (called_number);
CREATE INDEX ix_calls_recording ON calls (recording_path);

-- who made the change: the API token's name, or "cli" for command-line changes (token_id then null)
ALTER TABLE audit_log ADD COLUMN actor VARCHAR(100) NULL;
ALTER TABLE audit_log MODIFY action VARCHAR(200) NOT NULL;
CREATE INDEX ix_audit_log_action ON audit_log (action, created_at);
