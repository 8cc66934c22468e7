-- Warm transfers to agent queues (docs/transfer.md): one row per hand-over decision of a call. What voicebot
-- checked (queue state), what it decided (handed_over, callback, no_callback, unchecked) and why, the channel
-- variables it set for the dialplan, then what Asterisk reported: the agent who answered (AgentConnect), wait and
-- talk time (AgentComplete), declines by agents (whisper key) and an abandon (QueueCallerAbandon).
-- Same common subset of H2 (MODE=MySQL) and MariaDB as V1.
CREATE TABLE transfers (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id          BIGINT        NOT NULL,
    call_uuid        VARCHAR(36)   NOT NULL,
    channel_uniqueid VARCHAR(64)   NULL,
    queue_name       VARCHAR(80)   NOT NULL,
    caller_name      VARCHAR(200)  NULL,
    reason           VARCHAR(200)  NOT NULL,
    summary          VARCHAR(1000) NOT NULL,
    priority         INT           NOT NULL,
    decision         VARCHAR(20)   NOT NULL,
    decision_reason  VARCHAR(300)  NOT NULL,
    agents_available INT           NULL,
    callers_waiting  INT           NULL,
    expected_wait_s  INT           NULL,
    variables_json   TEXT          NULL,
    whisper_file     VARCHAR(500)  NULL,
    state            VARCHAR(20)   NOT NULL,
    agent            VARCHAR(120)  NULL,
    wait_s           INT           NULL,
    talk_s           INT           NULL,
    declines         INT           NOT NULL DEFAULT 0,
    declined_by      VARCHAR(500)  NULL,
    abandoned        BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at       DATETIME(3)   NOT NULL,
    handed_over_at   DATETIME(3)   NULL,
    connected_at     DATETIME(3)   NULL,
    ended_at         DATETIME(3)   NULL,
    CONSTRAINT fk_transfers_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE
);
CREATE INDEX ix_transfers_call ON transfers (call_id);
CREATE INDEX ix_transfers_uuid ON transfers (call_uuid);
CREATE INDEX ix_transfers_channel ON transfers (channel_uniqueid);
