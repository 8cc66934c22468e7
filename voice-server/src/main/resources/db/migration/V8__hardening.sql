-- Hardening. Same common subset of H2 (MODE=MySQL) and MariaDB 10.11 / MySQL 8 as V1.

-- The node that ran a call: at start-up a node closes the calls it left open when it died (kill -9, power),
-- and only its own, never one another live node of the cluster is running.
ALTER TABLE calls ADD COLUMN node_id VARCHAR(64) NULL;
CREATE INDEX ix_calls_node_open ON calls (node_id, ended_at);
