-- Partners' own OpenID Connect providers. The client secret is kept only sealed (AES-256-GCM
-- under a key derived from the server's secret key): a copy of the database alone does not give
-- it away. Each email domain belongs to at most one provider.
CREATE TABLE identity_providers (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL,
    issuer               TEXT    NOT NULL UNIQUE,
    client_id            TEXT    NOT NULL,
    client_secret_sealed TEXT    NOT NULL,
    scopes               TEXT    NOT NULL,
    trust_email          INTEGER NOT NULL DEFAULT 0,
    trust_mfa            INTEGER NOT NULL DEFAULT 0,
    mfa_acr              TEXT    NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE TABLE identity_provider_domains (
    domain      TEXT   PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE
);
CREATE INDEX identity_provider_domains_by_provider ON identity_provider_domains (provider_id);
-- A Portico account linked to an outside identity: later sign-ins match on (issuer, subject),
-- even when the address changes at the provider.
CREATE TABLE linked_identities (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    provider_id  INTEGER NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    issuer       TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    email        TEXT   NOT NULL,
    linked_at    INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX linked_identities_by_account ON linked_identities (account_id);
