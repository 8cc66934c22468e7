-- voicebot schema. One script for H2 (MODE=MySQL) and MariaDB 10.11 / MySQL 8, so only their common subset:
-- BIGINT AUTO_INCREMENT keys, VARCHAR, TEXT, DATETIME(3) holding UTC (the application converts), BOOLEAN,
-- named constraints and explicit indexes. Names avoid words reserved in either database (key, value, user, ...).

CREATE TABLE api_tokens (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash  CHAR(64)     NOT NULL,
    name        VARCHAR(100) NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    revoked_at  DATETIME(3)  NULL,
    CONSTRAINT uq_api_tokens_hash UNIQUE (token_hash),
    CONSTRAINT ck_api_tokens_role CHECK (role IN ('admin', 'operator', 'agent'))
);
CREATE INDEX ix_api_tokens_name ON api_tokens (name);

CREATE TABLE dialogs (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    name           VARCHAR(100) NOT NULL,
    version        INT          NOT NULL,
    source_format  VARCHAR(16)  NOT NULL,
    body           MEDIUMTEXT   NOT NULL,
    compiled       BOOLEAN      NOT NULL,
    created_at     DATETIME(3)  NOT NULL,
    updated_at     DATETIME(3)  NOT NULL,
    CONSTRAINT uq_dialogs_name UNIQUE (name)
);

CREATE TABLE questionnaires (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    source      VARCHAR(8)   NOT NULL,
    body        MEDIUMTEXT   NOT NULL,
    dialog_id   BIGINT       NULL,
    created_at  DATETIME(3)  NOT NULL,
    CONSTRAINT uq_questionnaires_name UNIQUE (name),
    CONSTRAINT ck_questionnaires_source CHECK (source IN ('csv', 'json')),
    CONSTRAINT fk_questionnaires_dialog FOREIGN KEY (dialog_id) REFERENCES dialogs (id) ON DELETE SET NULL
);
CREATE INDEX ix_questionnaires_dialog ON questionnaires (dialog_id);

CREATE TABLE contact_lists (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    CONSTRAINT uq_contact_lists_name UNIQUE (name)
);

CREATE TABLE contacts (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    list_id     BIGINT       NOT NULL,
    phone       VARCHAR(32)  NOT NULL,
    name        VARCHAR(200) NULL,
    fields      TEXT         NULL,
    timezone    VARCHAR(64)  NULL,
    state       VARCHAR(16)  NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    CONSTRAINT uq_contacts_list_phone UNIQUE (list_id, phone),
    CONSTRAINT fk_contacts_list FOREIGN KEY (list_id) REFERENCES contact_lists (id) ON DELETE CASCADE
);
CREATE INDEX ix_contacts_list_state ON contacts (list_id, state);
CREATE INDEX ix_contacts_phone ON contacts (phone);

CREATE TABLE campaigns (
    id                   BIGINT AUTO_INCREMENT PRIMARY KEY,
    name                 VARCHAR(100) NOT NULL,
    dialog_id            BIGINT       NOT NULL,
    list_id              BIGINT       NOT NULL,
    state                VARCHAR(16)  NOT NULL,
    starts_at            DATETIME(3)  NULL,
    ends_at              DATETIME(3)  NULL,
    -- daily calling window in the contact's local time zone, e.g. 09:00-20:00 on MON,TUE,WED,THU,FRI
    window_start         TIME         NOT NULL,
    window_end           TIME         NOT NULL,
    window_days          VARCHAR(32)  NOT NULL,
    max_attempts         INT          NOT NULL,
    retry_delay_s        INT          NOT NULL,
    concurrency          INT          NOT NULL,
    created_at           DATETIME(3)  NOT NULL,
    updated_at           DATETIME(3)  NOT NULL,
    CONSTRAINT uq_campaigns_name UNIQUE (name),
    CONSTRAINT fk_campaigns_dialog FOREIGN KEY (dialog_id) REFERENCES dialogs (id),
    CONSTRAINT fk_campaigns_list FOREIGN KEY (list_id) REFERENCES contact_lists (id)
);
CREATE INDEX ix_campaigns_state ON campaigns (state);

CREATE TABLE call_attempts (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id    BIGINT       NOT NULL,
    contact_id     BIGINT       NOT NULL,
    attempt_no     INT          NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    scheduled_at   DATETIME(3)  NOT NULL,
    started_at     DATETIME(3)  NULL,
    ended_at       DATETIME(3)  NULL,
    outcome        VARCHAR(32)  NULL,
    ami_action_id  VARCHAR(64)  NULL,
    channel        VARCHAR(128) NULL,
    CONSTRAINT uq_call_attempts_no UNIQUE (campaign_id, contact_id, attempt_no),
    CONSTRAINT fk_call_attempts_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    CONSTRAINT fk_call_attempts_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
);
-- the dialer's query: due attempts in a state, oldest first
CREATE INDEX ix_call_attempts_due ON call_attempts (state, scheduled_at);
CREATE INDEX ix_call_attempts_contact ON call_attempts (contact_id);
CREATE INDEX ix_call_attempts_action ON call_attempts (ami_action_id);

CREATE TABLE calls (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_uuid          VARCHAR(64)  NOT NULL,
    direction          VARCHAR(8)   NOT NULL,
    attempt_id         BIGINT       NULL,
    dialog_name        VARCHAR(100) NULL,
    caller_number      VARCHAR(32)  NULL,
    called_number      VARCHAR(32)  NULL,
    started_at         DATETIME(3)  NOT NULL,
    answered_at        DATETIME(3)  NULL,
    ended_at           DATETIME(3)  NULL,
    outcome            VARCHAR(32)  NULL,
    disclosure_played  BOOLEAN      NOT NULL,
    transfer_queue     VARCHAR(64)  NULL,
    variables          TEXT         NULL,
    CONSTRAINT uq_calls_uuid UNIQUE (call_uuid),
    CONSTRAINT ck_calls_direction CHECK (direction IN ('inbound', 'outbound')),
    CONSTRAINT fk_calls_attempt FOREIGN KEY (attempt_id) REFERENCES call_attempts (id) ON DELETE SET NULL
);
CREATE INDEX ix_calls_started ON calls (started_at);
CREATE INDEX ix_calls_attempt ON calls (attempt_id);
CREATE INDEX ix_calls_caller ON calls (caller_number);

CREATE TABLE turns (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id          BIGINT        NOT NULL,
    seq              INT           NOT NULL,
    prompt_text      TEXT          NULL,
    transcript       TEXT          NULL,
    confidence       DOUBLE        NULL,
    intent           VARCHAR(64)   NULL,
    input_mode       VARCHAR(8)    NOT NULL,
    started_at       DATETIME(3)   NOT NULL,
    prompt_ms        INT           NULL,
    speech_start_ms  INT           NULL,
    speech_end_ms    INT           NULL,
    latency_ms       INT           NULL,
    CONSTRAINT uq_turns_call_seq UNIQUE (call_id, seq),
    CONSTRAINT ck_turns_input_mode CHECK (input_mode IN ('speech', 'dtmf', 'none')),
    CONSTRAINT fk_turns_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE
);

CREATE TABLE answers (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id       BIGINT       NOT NULL,
    question_key  VARCHAR(100) NOT NULL,
    answer_value  TEXT         NULL,
    confidence    DOUBLE       NULL,
    confirmed     BOOLEAN      NOT NULL,
    created_at    DATETIME(3)  NOT NULL,
    CONSTRAINT uq_answers_call_question UNIQUE (call_id, question_key),
    CONSTRAINT fk_answers_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE
);
CREATE INDEX ix_answers_question ON answers (question_key);

CREATE TABLE do_not_call (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    phone           VARCHAR(32)  NOT NULL,
    reason          VARCHAR(200) NULL,
    source_call_id  BIGINT       NULL,
    created_at      DATETIME(3)  NOT NULL,
    CONSTRAINT uq_do_not_call_phone UNIQUE (phone),
    CONSTRAINT fk_do_not_call_call FOREIGN KEY (source_call_id) REFERENCES calls (id) ON DELETE SET NULL
);

CREATE TABLE followup_tasks (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id     BIGINT       NULL,
    kind        VARCHAR(32)  NOT NULL,
    due_at      DATETIME(3)  NULL,
    note        TEXT         NULL,
    state       VARCHAR(16)  NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    CONSTRAINT fk_followup_tasks_call FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE SET NULL
);
CREATE INDEX ix_followup_tasks_state_due ON followup_tasks (state, due_at);
CREATE INDEX ix_followup_tasks_call ON followup_tasks (call_id);

CREATE TABLE inbound_events (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    source        VARCHAR(32)  NOT NULL,
    event_type    VARCHAR(64)  NOT NULL,
    payload       TEXT         NULL,
    received_at   DATETIME(3)  NOT NULL,
    processed_at  DATETIME(3)  NULL
);
CREATE INDEX ix_inbound_events_pending ON inbound_events (processed_at, received_at);

-- who changed what through the API (dialogs, campaigns, tokens): banks ask for it
CREATE TABLE audit_log (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_id     BIGINT       NULL,
    action       VARCHAR(64)  NOT NULL,
    target       VARCHAR(200) NULL,
    detail       TEXT         NULL,
    created_at   DATETIME(3)  NOT NULL,
    CONSTRAINT fk_audit_log_token FOREIGN KEY (token_id) REFERENCES api_tokens (id) ON DELETE SET NULL
);
CREATE INDEX ix_audit_log_created ON audit_log (created_at);
