-- Decisions on destructive global intents (opt-out, wrong person, agent) and why: "keypad", "confirmed by voice",
-- "long clear phrase 5 words 0.97", "caller said no". Same common subset of H2 (MODE=MySQL) and MariaDB as V1.
CREATE TABLE call_decisions (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id     BIGINT        NOT NULL,
    step_id     VARCHAR(64)   NULL,
    intent      VARCHAR(32)   NOT NULL,
    acted       BOOLEAN       NOT NULL,
    reason      VARCHAR(200)  NOT NULL,
    created_at  DATETIME(3)   NOT NULL,
    CONSTRAINT fk_call_decisions_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE
);
CREATE INDEX ix_call_decisions_call ON call_decisions (call_id);
