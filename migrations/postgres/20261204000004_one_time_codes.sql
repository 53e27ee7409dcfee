-- One-time codes by email. Only a keyed hash of each code is kept (HMAC with the server's
-- secret key), with a hash of the browser's own random value: a code works only in the browser
-- session that asked for it. Rows are kept an hour past their end for the sending limits, then
-- the cleanup job drops them.
CREATE TABLE one_time_codes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    code_hash    TEXT    NOT NULL,
    browser_hash TEXT    NOT NULL,
    client_ip    TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    wrong_tries  BIGINT  NOT NULL DEFAULT 0,
    used_at      BIGINT
);
CREATE INDEX one_time_codes_by_email ON one_time_codes (email, created_at);
CREATE INDEX one_time_codes_by_client ON one_time_codes (client_ip, created_at);
