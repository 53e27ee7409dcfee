-- Second factors. An authenticator app's secret is kept only sealed (AES-256-GCM under a key
-- derived from the server's secret key); `last_step` is the newest 30-second step whose code was
-- accepted, so no code works twice. An authenticator counts once `confirmed_at` is set (the person
-- typed a first code). Recovery codes are kept only as keyed hashes, each usable once.
CREATE TABLE authenticators (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    secret_sealed TEXT    NOT NULL,
    last_step     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    confirmed_at  INTEGER,
    last_used_at  INTEGER
);
CREATE INDEX authenticators_by_account ON authenticators (account_id);
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX recovery_codes_by_account ON recovery_codes (account_id);
-- Wrong second-factor codes, counted per account for the 15-minute lock.
CREATE TABLE second_factor_failures (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    failed_at  INTEGER NOT NULL
);
CREATE INDEX second_factor_failures_by_account ON second_factor_failures (account_id, failed_at);
-- A sign-in whose first step is done but whose second is still asked for does not sign anyone
-- in (`awaiting_second_factor` = 1); `second_factor` says which one was used, when one was.
ALTER TABLE sign_ins ADD COLUMN awaiting_second_factor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sign_ins ADD COLUMN second_factor TEXT;
