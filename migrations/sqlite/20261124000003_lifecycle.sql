-- Lifecycle work: membership reminders sent once each, indexes for the due-work scans, and
-- the schedule of the background jobs (shared by every instance; a row per job).

ALTER TABLE memberships ADD COLUMN first_reminder_at INTEGER;
ALTER TABLE memberships ADD COLUMN last_reminder_at INTEGER;
CREATE INDEX memberships_ending ON memberships (expires_at) WHERE ended_at IS NULL AND expires_at IS NOT NULL;

CREATE INDEX invitations_pending_by_expiry ON invitations (expires_at) WHERE state = 'pending';
CREATE INDEX access_requests_pending_by_deadline ON access_requests (decide_by) WHERE state = 'pending';
CREATE INDEX access_requests_live_status_links ON access_requests (closed_at)
    WHERE closed_at IS NOT NULL AND status_token_hash NOT LIKE 'retired-%';
CREATE INDEX sign_ins_by_time ON sign_ins (signed_in_at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (failed_at);

CREATE TABLE jobs (
    name            TEXT    PRIMARY KEY,
    -- When the job is next due; an instance that claims it moves this on.
    next_run_at     INTEGER NOT NULL,
    -- Set while an instance runs the job; a crashed run is taken over after it.
    claimed_until   INTEGER,
    last_started_at INTEGER,
    last_success_at INTEGER,
    -- Rows the last successful run changed.
    last_processed  INTEGER NOT NULL DEFAULT 0,
    -- Failures in a row (0 after a success), and the latest failure's message.
    failures        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_error_at   INTEGER
);
INSERT INTO jobs (name, next_run_at) VALUES
    ('expire_invitations', 0),
    ('time_out_requests', 0),
    ('memberships', 0),
    ('clean_up', 0);
