-- Passkeys and security keys (WebAuthn). `credential` is webauthn-rs's own record of the key (its
-- public key, id and signature counter) as JSON: nothing secret, but it is what proves the key.
-- A ceremony's state waits in `passkey_challenges` between the browser's two requests, so that
-- any instance can finish what another began; each is taken once, and lives five minutes.
CREATE TABLE passkeys (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    credential   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX passkeys_by_account ON passkeys (account_id);
CREATE TABLE passkey_challenges (
    id         TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX passkey_challenges_by_account ON passkey_challenges (account_id, created_at);
