-- Apps that sign people in through Portico (it is their OpenID Provider), one per app resource,
-- and what each sign-in into an app leaves behind: codes, grants (a refresh-token family), the
-- refresh tokens themselves, and people's consent. Secrets, codes and tokens are kept only as
-- SHA-256 hashes of 256-bit random values.
CREATE TABLE oidc_clients (
    client_id         TEXT    PRIMARY KEY,
    resource_id       INTEGER  NOT NULL UNIQUE REFERENCES resources (id),
    -- NULL: a public client (a browser or native app), which must use PKCE.
    secret_hash       TEXT,
    -- One address per line, compared exactly.
    redirect_uris     TEXT    NOT NULL,
    post_logout_uris  TEXT    NOT NULL DEFAULT '',
    sign_in_url       TEXT    NOT NULL,
    first_party       INTEGER  NOT NULL DEFAULT 1,
    -- The details the app may receive, space-separated (rules::oidc::clients::CLAIM_CHOICES).
    claims            TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER  NOT NULL,
    updated_at        INTEGER  NOT NULL,
    secret_rotated_at INTEGER
);

CREATE TABLE oidc_grants (
    id          TEXT    PRIMARY KEY,
    client_id   TEXT    NOT NULL REFERENCES oidc_clients (client_id),
    account_id  INTEGER  NOT NULL REFERENCES accounts (id),
    scopes      TEXT    NOT NULL,
    auth_time   INTEGER  NOT NULL,
    amr         TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER  NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX oidc_grants_by_account ON oidc_grants (account_id);

CREATE TABLE oidc_codes (
    code_hash      TEXT    PRIMARY KEY,
    client_id      TEXT    NOT NULL REFERENCES oidc_clients (client_id),
    account_id     INTEGER  NOT NULL REFERENCES accounts (id),
    redirect_uri   TEXT    NOT NULL,
    scopes         TEXT    NOT NULL,
    nonce          TEXT,
    code_challenge TEXT,
    auth_time      INTEGER  NOT NULL,
    amr            TEXT    NOT NULL DEFAULT '',
    expires_at     INTEGER  NOT NULL,
    used_at        INTEGER,
    -- What the code was exchanged for: revoked if the code is used again.
    grant_id       TEXT
);
CREATE INDEX oidc_codes_by_expiry ON oidc_codes (expires_at);
CREATE INDEX oidc_codes_by_sign_in ON oidc_codes (account_id, client_id, auth_time);

CREATE TABLE oidc_refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    grant_id   TEXT    NOT NULL REFERENCES oidc_grants (id),
    created_at INTEGER  NOT NULL,
    expires_at INTEGER  NOT NULL,
    -- Set when it is exchanged for the next one; using it again revokes the grant.
    used_at    INTEGER
);
CREATE INDEX oidc_refresh_tokens_by_grant ON oidc_refresh_tokens (grant_id);

CREATE TABLE oidc_consents (
    account_id INTEGER  NOT NULL REFERENCES accounts (id),
    client_id  TEXT    NOT NULL REFERENCES oidc_clients (client_id),
    given_at   INTEGER  NOT NULL,
    PRIMARY KEY (account_id, client_id)
);
