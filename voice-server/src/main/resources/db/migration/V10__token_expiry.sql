-- API tokens (docs/security.md): an optional expiry set when the token is created, after which it is refused,
-- and the last time it was used (written at most once a minute per token). Same common subset of H2
-- (MODE=MySQL) and MariaDB as V1: DATETIME(3) holding UTC.
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME(3) NULL;
ALTER TABLE api_tokens ADD COLUMN last_used_at DATETIME(3) NULL;
