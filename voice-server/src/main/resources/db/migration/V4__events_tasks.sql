-- Event-triggered calls and human follow-up tasks. Same common subset of H2 (MODE=MySQL) and MariaDB 10.11 /
-- MySQL 8 as V1.

-- Every business event received (POST /api/events), whatever came of it: the customer it is about, the number
-- (E.164 when valid), the client's idempotency key, the result (queued, duplicate, cancelled, blocked, ignored)
-- with its reason, where it went (campaign, contact) and the exact response, which a replay of the key returns.
ALTER TABLE inbound_events ADD COLUMN customer VARCHAR(100) NULL;
ALTER TABLE inbound_events ADD COLUMN phone VARCHAR(32) NULL;
ALTER TABLE inbound_events ADD COLUMN idempotency_key VARCHAR(200) NULL;
ALTER TABLE inbound_events ADD COLUMN result VARCHAR(16) NULL;
ALTER TABLE inbound_events ADD COLUMN reason VARCHAR(500) NULL;
ALTER TABLE inbound_events ADD COLUMN campaign_id BIGINT NULL;
ALTER TABLE inbound_events ADD COLUMN contact_id BIGINT NULL;
ALTER TABLE inbound_events ADD COLUMN response TEXT NULL;
CREATE UNIQUE INDEX uq_inbound_events_idem ON inbound_events (idempotency_key);
CREATE INDEX ix_inbound_events_dedupe ON inbound_events (customer, event_type, received_at);

-- Event types set through the API (config/events.yaml holds the others): which campaign a type calls, how long
-- a repeat for the same customer counts as a duplicate, and the types that resolve it (comma-separated).
CREATE TABLE event_types (
    event_type   VARCHAR(64)   NOT NULL PRIMARY KEY,
    campaign_id  BIGINT        NOT NULL,
    dedupe_s     INT           NOT NULL,
    resolved_by  VARCHAR(1000) NULL,
    updated_at   DATETIME(3)   NOT NULL,
    CONSTRAINT fk_event_types_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
);

-- An event may queue a number again after its earlier round ended: attempt numbers go on (they are unique per
-- contact), and attempt_base says how many belong to earlier rounds, so max_attempts counts this round's only.
-- event_id: the event that queued the entry (a resolving event cancels it through its customer).
ALTER TABLE campaign_contacts ADD COLUMN attempt_base INT NOT NULL DEFAULT 0;
ALTER TABLE campaign_contacts ADD COLUMN event_id BIGINT NULL;
CREATE INDEX ix_campaign_contacts_event ON campaign_contacts (event_id);

-- Follow-up tasks for people: why (reason: attempts_exhausted, dialog, callback, transfer_no_agent), about whom
-- (contact, campaign, attempt, number), who took it and how it ended.
ALTER TABLE followup_tasks ADD COLUMN reason VARCHAR(32) NOT NULL DEFAULT 'dialog';
ALTER TABLE followup_tasks ADD COLUMN contact_id BIGINT NULL;
ALTER TABLE followup_tasks ADD COLUMN campaign_id BIGINT NULL;
ALTER TABLE followup_tasks ADD COLUMN attempt_id BIGINT NULL;
ALTER TABLE followup_tasks ADD COLUMN phone VARCHAR(32) NULL;
ALTER TABLE followup_tasks ADD COLUMN claimed_by VARCHAR(100) NULL;
ALTER TABLE followup_tasks ADD COLUMN claimed_at DATETIME(3) NULL;
ALTER TABLE followup_tasks ADD COLUMN closed_by VARCHAR(100) NULL;
ALTER TABLE followup_tasks ADD COLUMN closed_at DATETIME(3) NULL;
ALTER TABLE followup_tasks ADD COLUMN close_note TEXT NULL;
CREATE INDEX ix_followup_tasks_reason ON followup_tasks (reason, created_at);
CREATE INDEX ix_followup_tasks_campaign ON followup_tasks (campaign_id, created_at);
