-- Campaign results and transcript QA. Same common subset of H2 (MODE=MySQL) and MariaDB 10.11 / MySQL 8 as V1.

-- What a turn needs for results and QA that V1 did not keep: the dialog step it belongs to (drop-off by
-- question), what the dialog made of the input ("no match", "accepted", ...), and the robot's speech of the turn
-- that did not play to its end: cut_by 'barge_in' (the caller spoke over it) or 'hangup' (the call ended during
-- it), cut_text the prompts stopped or never played. All null on turns stored before this version.
ALTER TABLE turns ADD COLUMN step_id VARCHAR(100) NULL;
ALTER TABLE turns ADD COLUMN note VARCHAR(200) NULL;
ALTER TABLE turns ADD COLUMN cut_by VARCHAR(16) NULL;
ALTER TABLE turns ADD COLUMN cut_text TEXT NULL;

-- The QA rules an operator set through the API (YAML as sent); the newest row wins over config/qa-rules.yaml.
CREATE TABLE qa_rule_sets (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    body        MEDIUMTEXT   NOT NULL,
    created_at  DATETIME(3)  NOT NULL
);

-- One finding of the QA check on a finished call: the rule (its name and kind), the turn (seq; null when the
-- finding is about the whole call, e.g. a disclosure never played) and what was found.
CREATE TABLE qa_flags (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id      BIGINT       NOT NULL,
    campaign_id  BIGINT       NULL,
    rule_name    VARCHAR(100) NOT NULL,
    rule_kind    VARCHAR(32)  NOT NULL,
    turn_seq     INT          NULL,
    detail       VARCHAR(500) NOT NULL,
    created_at   DATETIME(3)  NOT NULL,
    CONSTRAINT fk_qa_flags_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE
);
CREATE INDEX ix_qa_flags_campaign ON qa_flags (campaign_id, rule_name);
CREATE INDEX ix_qa_flags_created ON qa_flags (created_at);
CREATE INDEX ix_qa_flags_call ON qa_flags (call_id);

-- Which finished calls the QA check has seen (flagged or clean): the per-campaign "flagged of total".
CREATE TABLE qa_checked (
    call_id      BIGINT      NOT NULL PRIMARY KEY,
    campaign_id  BIGINT      NULL,
    flags        INT         NOT NULL,
    checked_at   DATETIME(3) NOT NULL,
    CONSTRAINT fk_qa_checked_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE
);
CREATE INDEX ix_qa_checked_campaign ON qa_checked (campaign_id);
