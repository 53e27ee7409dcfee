-- Accounts, first-admin setup, sign-in throttling, the audit log and sessions.
-- Times are Unix seconds (UTC); flags are 0/1 integers.

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    NOT NULL UNIQUE,
    display_name        TEXT    NOT NULL,
    password_hash       TEXT,
    is_admin            INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    is_staff            INTEGER NOT NULL DEFAULT 0 CHECK (is_staff IN (0, 1)),
    disabled_at         INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

-- Who is signed in where. A session cookie only names a row here, and the row is the truth:
-- signing out deletes it, so a request racing the sign-out cannot bring the session back;
-- disabling an account or changing its password deletes all of its rows at once.
CREATE TABLE sign_ins (
    id           TEXT    PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    signed_in_at INTEGER NOT NULL,
    client_ip    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sign_ins_by_account ON sign_ins (account_id);

CREATE TABLE setup_tokens (
    token_hash TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL
);

CREATE TABLE sign_in_failures (
    id        INTEGER PRIMARY KEY,
    email     TEXT    NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, failed_at);

CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY,
    occurred_at      INTEGER NOT NULL,
    actor_account_id INTEGER,
    actor            TEXT    NOT NULL,
    action           TEXT    NOT NULL,
    target_kind      TEXT    NOT NULL DEFAULT '',
    target_id        TEXT    NOT NULL DEFAULT '',
    target           TEXT    NOT NULL DEFAULT '',
    resource_id      INTEGER,
    client_ip        TEXT    NOT NULL DEFAULT '',
    details          TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at, id);

CREATE TRIGGER audit_events_are_not_updated BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_are_not_deleted BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The layout tower-sessions' SQLite store expects.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY NOT NULL,
    data        BLOB    NOT NULL,
    expiry_date INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expiry_date);
