-- Bulk invites: a pasted or uploaded list becomes a batch. Its rows are checked first (the
-- report an owner confirms), then a worker turns each queued row into an invitation, marking
-- the row in the same transaction, so no row is invited twice.

CREATE TABLE bulk_batches (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id BIGINT  NOT NULL REFERENCES resources (id),
    created_by  BIGINT  NOT NULL REFERENCES accounts (id),
    -- draft: checked, waiting for the owner to confirm; running; stopped by a person; done.
    state       TEXT    NOT NULL CHECK (state IN ('draft', 'running', 'stopped', 'done')),
    -- "pasted list" or the uploaded file's name.
    origin      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT
);
CREATE INDEX bulk_batches_by_resource ON bulk_batches (resource_id, id);
CREATE INDEX bulk_batches_running ON bulk_batches (id) WHERE state = 'running';

CREATE TABLE bulk_rows (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      BIGINT  NOT NULL REFERENCES bulk_batches (id),
    -- The line of the list the row came from, as the owner sees it.
    line          BIGINT  NOT NULL,
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    -- ready/rejected: the report; queued -> invited | skipped | failed | stopped: the run.
    state         TEXT    NOT NULL CHECK (state IN ('ready', 'rejected', 'queued', 'invited', 'skipped', 'failed', 'stopped')),
    -- Why a row was rejected, skipped or failed.
    note          TEXT    NOT NULL DEFAULT '',
    invitation_id BIGINT  REFERENCES invitations (id),
    processed_at  BIGINT
);
CREATE INDEX bulk_rows_by_batch ON bulk_rows (batch_id, line);
CREATE INDEX bulk_rows_queued ON bulk_rows (batch_id, id) WHERE state = 'queued';
