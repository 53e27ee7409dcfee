-- Resources, their owners and policies; access requests and decisions; invitations;
-- memberships; the outbox; one-time links for new owners. Times are Unix seconds.

CREATE TABLE resources (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('app', 'group')),
    description    TEXT    NOT NULL DEFAULT '',
    is_requestable INTEGER NOT NULL DEFAULT 1 CHECK (is_requestable IN (0, 1)),
    -- The resource's own policy (JSON); NULL means it follows the portal's default policy.
    policy         TEXT,
    archived_at    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE resource_owners (
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (resource_id, account_id)
);
CREATE INDEX resource_owners_by_account ON resource_owners (account_id);

-- Portal-wide settings as JSON values (the default policy lives under 'default_policy').
CREATE TABLE settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE access_requests (
    id                INTEGER PRIMARY KEY,
    resource_id       INTEGER NOT NULL REFERENCES resources (id),
    email             TEXT    NOT NULL,
    display_name      TEXT    NOT NULL,
    organisation      TEXT    NOT NULL,
    justification     TEXT    NOT NULL,
    answers           TEXT    NOT NULL DEFAULT '[]',
    terms_version     INTEGER,
    -- The policy as it was when the request arrived: later edits do not move its goalposts.
    policy            TEXT    NOT NULL,
    state             TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'cancelled')),
    stage             INTEGER NOT NULL DEFAULT 1,
    status_token_hash TEXT    NOT NULL UNIQUE,
    decide_by         INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    closed_at         INTEGER
);
-- At most one pending request per person and resource.
CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (email, resource_id) WHERE state = 'pending';
CREATE INDEX access_requests_pending_by_resource ON access_requests (resource_id, created_at) WHERE state = 'pending';
CREATE INDEX access_requests_by_email ON access_requests (email);

CREATE TABLE decisions (
    id                  INTEGER PRIMARY KEY,
    request_id          INTEGER NOT NULL REFERENCES access_requests (id),
    stage               INTEGER NOT NULL,
    approver_account_id INTEGER NOT NULL REFERENCES accounts (id),
    outcome             TEXT    NOT NULL CHECK (outcome IN ('approved', 'denied')),
    justification       TEXT    NOT NULL,
    decided_at          INTEGER NOT NULL,
    UNIQUE (request_id, stage, approver_account_id)
);

-- Who must act on which request at its current stage: one row per approver, written when the
-- request reaches the stage (owners are taken as they are then) and removed as they decide or
-- the request moves on. The review queue reads this table only.
CREATE TABLE approval_tasks (
    request_id INTEGER NOT NULL REFERENCES access_requests (id),
    stage      INTEGER NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (request_id, stage, account_id)
);
CREATE INDEX approval_tasks_queue ON approval_tasks (account_id, created_at, request_id);

CREATE TABLE invitations (
    id                     INTEGER PRIMARY KEY,
    resource_id            INTEGER NOT NULL REFERENCES resources (id),
    email                  TEXT    NOT NULL,
    display_name           TEXT    NOT NULL DEFAULT '',
    token_hash             TEXT    NOT NULL UNIQUE,
    state                  TEXT    NOT NULL CHECK (state IN ('pending', 'redeemed', 'revoked', 'expired')),
    source                 TEXT    NOT NULL CHECK (source IN ('request', 'auto_approve', 'invite', 'bulk', 'api')),
    request_id             INTEGER REFERENCES access_requests (id),
    invited_by_account_id  INTEGER REFERENCES accounts (id),
    message                TEXT    NOT NULL DEFAULT '',
    -- How long the access lasts once redeemed (JSON, from the policy at issue time).
    access_duration        TEXT    NOT NULL,
    expires_at             INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    redeemed_at            INTEGER,
    redeemed_by_account_id INTEGER REFERENCES accounts (id),
    closed_at              INTEGER
);
-- At most one pending invitation per person and resource.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (email, resource_id) WHERE state = 'pending';

CREATE TABLE memberships (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    resource_id   INTEGER NOT NULL REFERENCES resources (id),
    source        TEXT    NOT NULL,
    invitation_id INTEGER REFERENCES invitations (id),
    granted_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    ended_at      INTEGER,
    ended_reason  TEXT
);
-- At most one live membership per account and resource.
CREATE UNIQUE INDEX memberships_one_live ON memberships (account_id, resource_id) WHERE ended_at IS NULL;
CREATE INDEX memberships_by_resource ON memberships (resource_id) WHERE ended_at IS NULL;

-- Emails are written here in the transaction that causes them and sent later by a worker.
CREATE TABLE outbox_messages (
    id              INTEGER PRIMARY KEY,
    -- Becomes the Message-ID, identical on every retry.
    idempotency_key TEXT    NOT NULL UNIQUE,
    to_address      TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    send_after      INTEGER NOT NULL,
    claimed_until   INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         INTEGER
);
CREATE INDEX outbox_messages_due ON outbox_messages (send_after) WHERE sent_at IS NULL;

-- One-time links for owners invited by an admin to set their password.
CREATE TABLE password_links (
    token_hash TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX audit_events_by_resource ON audit_events (resource_id, occurred_at) WHERE resource_id IS NOT NULL;
