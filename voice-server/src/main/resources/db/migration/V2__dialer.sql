-- The outbound dialer: call lists as people export them, campaigns over several lists, the compliance gate,
-- answering-machine verdicts, and Quartz's clustered job store. Same common subset of H2 (MODE=MySQL) and
-- MariaDB 10.11 / MySQL 8 as V1.

-- Lists remember how they were imported: the default region of their numbers, the dialog whose fields were
-- required, the columns they had, and what came of every row.
ALTER TABLE contact_lists ADD COLUMN region VARCHAR(2) NULL;
ALTER TABLE contact_lists ADD COLUMN dialog_name VARCHAR(100) NULL;
ALTER TABLE contact_lists ADD COLUMN field_names TEXT NULL;
ALTER TABLE contact_lists ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'ready';
ALTER TABLE contact_lists ADD COLUMN rows_total INT NOT NULL DEFAULT 0;
ALTER TABLE contact_lists ADD COLUMN rows_imported INT NOT NULL DEFAULT 0;
ALTER TABLE contact_lists ADD COLUMN rows_rejected INT NOT NULL DEFAULT 0;
ALTER TABLE contact_lists ADD COLUMN source_charset VARCHAR(32) NULL;
ALTER TABLE contact_lists ADD COLUMN updated_at DATETIME(3) NULL;

-- One rejected row (or one problem of it): line in the file, column, reason. Kept so a million-row report can be
-- paged instead of held in one response.
CREATE TABLE list_rejections (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    list_id      BIGINT       NOT NULL,
    line_no      BIGINT       NOT NULL,
    column_name  VARCHAR(100) NOT NULL,
    reason       VARCHAR(500) NOT NULL,
    CONSTRAINT fk_list_rejections_list FOREIGN KEY (list_id) REFERENCES contact_lists (id) ON DELETE CASCADE
);
CREATE INDEX ix_list_rejections_list ON list_rejections (list_id, line_no);

-- Numbers are E.164 (libphonenumber); country is the number's region (ISO 3166 alpha-2); timezone holds one or
-- more zone ids separated by ',' (a number that maps to several zones is called only when all are in window).
ALTER TABLE contacts MODIFY timezone VARCHAR(255) NULL;
ALTER TABLE contacts ADD COLUMN country VARCHAR(2) NULL;
ALTER TABLE contacts ADD COLUMN line_no BIGINT NULL;

-- Do-not-call entries may expire; source says who added it (api, dialog, import).
ALTER TABLE do_not_call ADD COLUMN expires_at DATETIME(3) NULL;
ALTER TABLE do_not_call ADD COLUMN source VARCHAR(32) NULL;

-- Campaigns call one or more lists (campaign_lists); list_id stays for campaigns made before. They name their
-- dialog: a shipped dialog file has no row in dialogs, so dialog_id is set only for uploaded ones.
ALTER TABLE campaigns MODIFY list_id BIGINT NULL;
ALTER TABLE campaigns MODIFY dialog_id BIGINT NULL;
ALTER TABLE campaigns ADD COLUMN dialog_name VARCHAR(100) NULL;
ALTER TABLE campaigns ADD COLUMN caller_id VARCHAR(100) NULL;
ALTER TABLE campaigns ADD COLUMN priority INT NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN max_calls_per_second DOUBLE NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN max_attempts_per_day INT NOT NULL DEFAULT 3;
-- JSON: delay per outcome (busy, no_answer, machine, failed, congestion, rejected), as ISO-8601 durations
ALTER TABLE campaigns ADD COLUMN retry_policy TEXT NULL;
-- what to do when a machine answers: hangup (and retry) or voicemail (leave voicemail_text, at most voicemail_max_s)
ALTER TABLE campaigns ADD COLUMN amd_action VARCHAR(16) NOT NULL DEFAULT 'hangup';
ALTER TABLE campaigns ADD COLUMN voicemail_text TEXT NULL;
ALTER TABLE campaigns ADD COLUMN voicemail_max_s INT NOT NULL DEFAULT 30;
ALTER TABLE campaigns ADD COLUMN pace_by_agents BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE campaigns ADD COLUMN started_at DATETIME(3) NULL;
ALTER TABLE campaigns ADD COLUMN finished_at DATETIME(3) NULL;

CREATE TABLE campaign_lists (
    campaign_id  BIGINT NOT NULL,
    list_id      BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, list_id),
    CONSTRAINT fk_campaign_lists_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    CONSTRAINT fk_campaign_lists_list FOREIGN KEY (list_id) REFERENCES contact_lists (id)
);

-- The dialer's work queue: one row per number of a campaign (its lists' contacts, one per phone), claimed with
-- SELECT ... FOR UPDATE SKIP LOCKED. state: pending (due at next_at), dialing (an attempt is in flight), done,
-- exhausted (attempts used up), blocked (do-not-call), cancelled.
CREATE TABLE campaign_contacts (
    campaign_id   BIGINT       NOT NULL,
    contact_id    BIGINT       NOT NULL,
    phone         VARCHAR(32)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    next_at       DATETIME(3)  NOT NULL,
    attempts      INT          NOT NULL,
    -- what the next attempt is: first, retry or callback (a callback the person asked for)
    next_kind     VARCHAR(16)  NOT NULL,
    last_outcome  VARCHAR(32)  NULL,
    last_reason   VARCHAR(500) NULL,
    updated_at    DATETIME(3)  NOT NULL,
    PRIMARY KEY (campaign_id, contact_id),
    CONSTRAINT uq_campaign_contacts_phone UNIQUE (campaign_id, phone),
    CONSTRAINT fk_campaign_contacts_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    CONSTRAINT fk_campaign_contacts_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
);
CREATE INDEX ix_campaign_contacts_due ON campaign_contacts (campaign_id, state, next_at);

-- Attempts name the number dialled (caps count calls per number across campaigns), the node that dialled it,
-- why the gate let it through, and the answering-machine verdict.
ALTER TABLE call_attempts ADD COLUMN phone VARCHAR(32) NULL;
ALTER TABLE call_attempts ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'first';
ALTER TABLE call_attempts ADD COLUMN node_id VARCHAR(64) NULL;
ALTER TABLE call_attempts ADD COLUMN gate_reason VARCHAR(500) NULL;
ALTER TABLE call_attempts ADD COLUMN detail VARCHAR(500) NULL;
ALTER TABLE call_attempts ADD COLUMN amd_verdict VARCHAR(16) NULL;
ALTER TABLE call_attempts ADD COLUMN amd_detail VARCHAR(255) NULL;
-- set when the AGI session of the attempt starts: the call reached someone (or something)
ALTER TABLE call_attempts ADD COLUMN answered_at DATETIME(3) NULL;
CREATE INDEX ix_call_attempts_phone ON call_attempts (phone, started_at);
CREATE INDEX ix_call_attempts_campaign_state ON call_attempts (campaign_id, state);

-- One row that every claim locks first: claims of all campaigns and nodes serialize on it, so the per-number
-- checks (a call already in flight, the caps across campaigns) cannot race. A claim holds it for milliseconds.
CREATE TABLE dialer_lock (
    id    INT         PRIMARY KEY,
    note  VARCHAR(100) NOT NULL
);
INSERT INTO dialer_lock (id, note) VALUES (1, 'claims serialize on this row');

-- Every decision of the compliance gate, allowed or blocked, with the rule and the reason in words: what an
-- operator shows a regulator.
CREATE TABLE gate_decisions (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    campaign_id  BIGINT       NOT NULL,
    contact_id   BIGINT       NOT NULL,
    attempt_id   BIGINT       NULL,
    phone        VARCHAR(32)  NOT NULL,
    decided_at   DATETIME(3)  NOT NULL,
    allowed      BOOLEAN      NOT NULL,
    rule         VARCHAR(32)  NOT NULL,
    reason       VARCHAR(500) NOT NULL,
    node_id      VARCHAR(64)  NULL,
    CONSTRAINT fk_gate_decisions_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE,
    CONSTRAINT fk_gate_decisions_attempt FOREIGN KEY (attempt_id) REFERENCES call_attempts (id) ON DELETE SET NULL
);
CREATE INDEX ix_gate_decisions_contact ON gate_decisions (campaign_id, contact_id, decided_at);
CREATE INDEX ix_gate_decisions_phone ON gate_decisions (phone, decided_at);

-- Quartz 2.5 JDBC job store (org/quartz/impl/jdbcjobstore/tables_mysql_innodb.sql, with plain BIGINT/SMALLINT
-- so H2 reads it too, and BOOLEAN flags as in tables_h2.sql: Quartz binds them with setBoolean, which H2 would
-- write into a VARCHAR(1) as 'FALSE'). Upper-case names: Quartz queries QRTZ_*, and MariaDB table names are
-- case-sensitive.
CREATE TABLE QRTZ_JOB_DETAILS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    JOB_NAME VARCHAR(190) NOT NULL,
    JOB_GROUP VARCHAR(190) NOT NULL,
    DESCRIPTION VARCHAR(250) NULL,
    JOB_CLASS_NAME VARCHAR(250) NOT NULL,
    IS_DURABLE BOOLEAN NOT NULL,
    IS_NONCONCURRENT BOOLEAN NOT NULL,
    IS_UPDATE_DATA BOOLEAN NOT NULL,
    REQUESTS_RECOVERY BOOLEAN NOT NULL,
    JOB_DATA BLOB NULL,
    PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP)
);

CREATE TABLE QRTZ_TRIGGERS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    TRIGGER_NAME VARCHAR(190) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    JOB_NAME VARCHAR(190) NOT NULL,
    JOB_GROUP VARCHAR(190) NOT NULL,
    DESCRIPTION VARCHAR(250) NULL,
    NEXT_FIRE_TIME BIGINT NULL,
    PREV_FIRE_TIME BIGINT NULL,
    PRIORITY INTEGER NULL,
    TRIGGER_STATE VARCHAR(16) NOT NULL,
    TRIGGER_TYPE VARCHAR(8) NOT NULL,
    START_TIME BIGINT NOT NULL,
    END_TIME BIGINT NULL,
    CALENDAR_NAME VARCHAR(190) NULL,
    MISFIRE_INSTR SMALLINT NULL,
    JOB_DATA BLOB NULL,
    PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
    FOREIGN KEY (SCHED_NAME, JOB_NAME, JOB_GROUP) REFERENCES QRTZ_JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP)
);

CREATE TABLE QRTZ_SIMPLE_TRIGGERS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    TRIGGER_NAME VARCHAR(190) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    REPEAT_COUNT BIGINT NOT NULL,
    REPEAT_INTERVAL BIGINT NOT NULL,
    TIMES_TRIGGERED BIGINT NOT NULL,
    PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
    FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
);

CREATE TABLE QRTZ_CRON_TRIGGERS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    TRIGGER_NAME VARCHAR(190) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    CRON_EXPRESSION VARCHAR(120) NOT NULL,
    TIME_ZONE_ID VARCHAR(80),
    PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
    FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
);

CREATE TABLE QRTZ_SIMPROP_TRIGGERS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    TRIGGER_NAME VARCHAR(190) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    STR_PROP_1 VARCHAR(512) NULL,
    STR_PROP_2 VARCHAR(512) NULL,
    STR_PROP_3 VARCHAR(512) NULL,
    INT_PROP_1 INT NULL,
    INT_PROP_2 INT NULL,
    LONG_PROP_1 BIGINT NULL,
    LONG_PROP_2 BIGINT NULL,
    DEC_PROP_1 NUMERIC(13, 4) NULL,
    DEC_PROP_2 NUMERIC(13, 4) NULL,
    BOOL_PROP_1 BOOLEAN NULL,
    BOOL_PROP_2 BOOLEAN NULL,
    PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
    FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
);

CREATE TABLE QRTZ_BLOB_TRIGGERS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    TRIGGER_NAME VARCHAR(190) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    BLOB_DATA BLOB NULL,
    PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
    FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
        REFERENCES QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP)
);

CREATE TABLE QRTZ_CALENDARS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    CALENDAR_NAME VARCHAR(190) NOT NULL,
    CALENDAR BLOB NOT NULL,
    PRIMARY KEY (SCHED_NAME, CALENDAR_NAME)
);

CREATE TABLE QRTZ_PAUSED_TRIGGER_GRPS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    PRIMARY KEY (SCHED_NAME, TRIGGER_GROUP)
);

CREATE TABLE QRTZ_FIRED_TRIGGERS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    ENTRY_ID VARCHAR(95) NOT NULL,
    TRIGGER_NAME VARCHAR(190) NOT NULL,
    TRIGGER_GROUP VARCHAR(190) NOT NULL,
    INSTANCE_NAME VARCHAR(190) NOT NULL,
    FIRED_TIME BIGINT NOT NULL,
    SCHED_TIME BIGINT NOT NULL,
    PRIORITY INTEGER NOT NULL,
    STATE VARCHAR(16) NOT NULL,
    JOB_NAME VARCHAR(190) NULL,
    JOB_GROUP VARCHAR(190) NULL,
    IS_NONCONCURRENT BOOLEAN NULL,
    REQUESTS_RECOVERY BOOLEAN NULL,
    PRIMARY KEY (SCHED_NAME, ENTRY_ID)
);

CREATE TABLE QRTZ_SCHEDULER_STATE (
    SCHED_NAME VARCHAR(120) NOT NULL,
    INSTANCE_NAME VARCHAR(190) NOT NULL,
    LAST_CHECKIN_TIME BIGINT NOT NULL,
    CHECKIN_INTERVAL BIGINT NOT NULL,
    PRIMARY KEY (SCHED_NAME, INSTANCE_NAME)
);

CREATE TABLE QRTZ_LOCKS (
    SCHED_NAME VARCHAR(120) NOT NULL,
    LOCK_NAME VARCHAR(40) NOT NULL,
    PRIMARY KEY (SCHED_NAME, LOCK_NAME)
);

CREATE INDEX IDX_QRTZ_J_REQ_RECOVERY ON QRTZ_JOB_DETAILS (SCHED_NAME, REQUESTS_RECOVERY);
CREATE INDEX IDX_QRTZ_J_GRP ON QRTZ_JOB_DETAILS (SCHED_NAME, JOB_GROUP);
CREATE INDEX IDX_QRTZ_T_J ON QRTZ_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
CREATE INDEX IDX_QRTZ_T_JG ON QRTZ_TRIGGERS (SCHED_NAME, JOB_GROUP);
CREATE INDEX IDX_QRTZ_T_C ON QRTZ_TRIGGERS (SCHED_NAME, CALENDAR_NAME);
CREATE INDEX IDX_QRTZ_T_G ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_GROUP);
CREATE INDEX IDX_QRTZ_T_STATE ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_STATE);
CREATE INDEX IDX_QRTZ_T_N_STATE ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, TRIGGER_STATE);
CREATE INDEX IDX_QRTZ_T_N_G_STATE ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_GROUP, TRIGGER_STATE);
CREATE INDEX IDX_QRTZ_T_NEXT_FIRE_TIME ON QRTZ_TRIGGERS (SCHED_NAME, NEXT_FIRE_TIME);
CREATE INDEX IDX_QRTZ_T_NFT_ST ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_STATE, NEXT_FIRE_TIME);
CREATE INDEX IDX_QRTZ_T_NFT_MISFIRE ON QRTZ_TRIGGERS (SCHED_NAME, MISFIRE_INSTR, NEXT_FIRE_TIME);
CREATE INDEX IDX_QRTZ_T_NFT_ST_MISFIRE ON QRTZ_TRIGGERS (SCHED_NAME, MISFIRE_INSTR, NEXT_FIRE_TIME, TRIGGER_STATE);
CREATE INDEX IDX_QRTZ_T_NFT_ST_MISFIRE_GRP
    ON QRTZ_TRIGGERS (SCHED_NAME, MISFIRE_INSTR, NEXT_FIRE_TIME, TRIGGER_GROUP, TRIGGER_STATE);
CREATE INDEX IDX_QRTZ_FT_TRIG_INST_NAME ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, INSTANCE_NAME);
CREATE INDEX IDX_QRTZ_FT_INST_JOB_REQ_RCVRY ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, INSTANCE_NAME, REQUESTS_RECOVERY);
CREATE INDEX IDX_QRTZ_FT_J_G ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
CREATE INDEX IDX_QRTZ_FT_JG ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, JOB_GROUP);
CREATE INDEX IDX_QRTZ_FT_T_G ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP);
CREATE INDEX IDX_QRTZ_FT_TG ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, TRIGGER_GROUP);
