-- Integrations: API tokens for the JSON API, and webhooks that tell other apps what changed.

-- A token acts as the admin who made it, limited to its scopes. Only a SHA-256 of the token is
-- kept; `prefix` (its first characters) lets people tell tokens apart in the list.
CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    -- Space-separated, e.g. "invitations:read invitations:write".
    scopes       TEXT    NOT NULL,
    created_by   BIGINT  NOT NULL REFERENCES accounts (id),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT,
    revoked_at   BIGINT,
    last_used_at BIGINT
);

CREATE TABLE webhook_endpoints (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         TEXT    NOT NULL,
    -- The shared secret deliveries are signed with (HMAC-SHA256); shown to the admin once.
    secret      TEXT    NOT NULL,
    -- Comma-separated event names, e.g. "request.created,invitation.redeemed".
    events      TEXT    NOT NULL,
    description TEXT    NOT NULL,
    enabled     BIGINT  NOT NULL DEFAULT 1,
    created_by  BIGINT  NOT NULL REFERENCES accounts (id),
    created_at  BIGINT  NOT NULL
);

-- One event for one endpoint, written in the transaction of the change that caused it.
CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     BIGINT  NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event           TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    -- pending (waiting or retrying), delivered, failed (gave up after 24 hours).
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    last_status     BIGINT,
    finished_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);

-- Every try: when, what came back (no status when the connection failed) and how long it took.
CREATE TABLE webhook_attempts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  BIGINT  NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at BIGINT  NOT NULL,
    status_code  BIGINT,
    latency_ms   BIGINT  NOT NULL,
    error        TEXT    NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);

-- Where to send the partner after redeeming (set by API clients; empty: the portal's own page).
ALTER TABLE invitations ADD COLUMN redirect_url TEXT NOT NULL DEFAULT '';
