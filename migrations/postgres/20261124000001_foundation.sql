-- Accounts, first-admin setup, sign-in throttling, the audit log and sessions.
-- Times are Unix seconds (UTC); flags are 0/1 integers, as in the SQLite schema.

CREATE TABLE accounts (
    id                  BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               TEXT     NOT NULL UNIQUE,
    display_name        TEXT     NOT NULL,
    password_hash       TEXT,
    is_admin            SMALLINT NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    is_staff            SMALLINT NOT NULL DEFAULT 0 CHECK (is_staff IN (0, 1)),
    disabled_at         BIGINT,
    created_at          BIGINT   NOT NULL,
    updated_at          BIGINT   NOT NULL
);

-- Who is signed in where (see the SQLite schema for why this table exists).
CREATE TABLE sign_ins (
    id           TEXT   PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    signed_in_at BIGINT NOT NULL,
    client_ip    TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX sign_ins_by_account ON sign_ins (account_id);

CREATE TABLE setup_tokens (
    token_hash TEXT   PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE sign_in_failures (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     TEXT   NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, failed_at);

CREATE TABLE audit_events (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at      BIGINT NOT NULL,
    actor_account_id BIGINT,
    actor            TEXT   NOT NULL,
    action           TEXT   NOT NULL,
    target_kind      TEXT   NOT NULL DEFAULT '',
    target_id        TEXT   NOT NULL DEFAULT '',
    target           TEXT   NOT NULL DEFAULT '',
    resource_id      BIGINT,
    client_ip        TEXT   NOT NULL DEFAULT '',
    details          TEXT   NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at, id);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;

CREATE TRIGGER audit_events_are_not_changed
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();

CREATE TRIGGER audit_events_are_not_truncated
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- The layout tower-sessions' PostgreSQL store expects (schema "public", table "sessions").
CREATE TABLE sessions (
    id          TEXT        PRIMARY KEY NOT NULL,
    data        BYTEA       NOT NULL,
    expiry_date TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expiry_date);
