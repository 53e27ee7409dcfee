-- The keys Portico signs ID tokens and access tokens with, as an OpenID Provider for the
-- organisation's apps. Shared by every instance; the private key is kept only sealed (AES-256-GCM
-- under a key derived from the server's secret key). A key is published from its creation,
-- signs from `signs_from`, and stops signing at `retired_at` (see rules::oidc::signing_keys).
CREATE TABLE oidc_signing_keys (
    kid            TEXT    PRIMARY KEY,
    algorithm      TEXT    NOT NULL,
    private_sealed TEXT    NOT NULL,
    public_jwk     TEXT    NOT NULL,
    created_at     BIGINT NOT NULL,
    signs_from     BIGINT NOT NULL,
    retired_at     BIGINT
);
