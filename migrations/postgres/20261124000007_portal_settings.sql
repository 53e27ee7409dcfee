-- Same tables as the SQLite migration of this name.
CREATE TABLE portal_logo (
    id           BIGINT  PRIMARY KEY CHECK (id = 1),
    content_type TEXT    NOT NULL,
    bytes        BYTEA   NOT NULL,
    updated_at   BIGINT  NOT NULL
);

CREATE TABLE terms_versions (
    version      BIGINT  PRIMARY KEY,
    text         TEXT    NOT NULL,
    published_at BIGINT  NOT NULL,
    published_by BIGINT  REFERENCES accounts (id)
);

ALTER TABLE accounts ADD COLUMN terms_accepted_version BIGINT;
