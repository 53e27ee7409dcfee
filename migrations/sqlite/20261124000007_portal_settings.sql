-- What admins set in the browser. The name, accent colour and contact address live in
-- `settings` under 'branding' (JSON); the logo's bytes and the terms of use have tables.
CREATE TABLE portal_logo (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    content_type TEXT    NOT NULL,
    bytes        BLOB    NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Every published version of the portal's terms of use; the highest is in force. Versions are
-- only ever added, so what a partner accepted can always be read again.
CREATE TABLE terms_versions (
    version      INTEGER PRIMARY KEY,
    text         TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    published_by INTEGER REFERENCES accounts (id)
);

-- The version of the terms the account last accepted (NULL: none yet).
ALTER TABLE accounts ADD COLUMN terms_accepted_version INTEGER;
