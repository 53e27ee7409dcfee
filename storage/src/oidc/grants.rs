//! What a sign-in into an app leaves behind: single-use codes, grants (one per code exchanged:
//! the family its refresh tokens belong to) and the refresh tokens, each kept as a hash.

use sqlx::{AnyExecutor, FromRow};

use crate::conditions::live_membership;
use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct CodeRow {
    pub code_hash: String,
    pub client_id: String,
    pub account_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: Timestamp,
    pub amr: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub grant_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct GrantRow {
    pub id: String,
    pub client_id: String,
    pub account_id: i64,
    pub scopes: String,
    pub auth_time: Timestamp,
    pub amr: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

pub async fn insert_code(tx: &mut Tx, code: &CodeRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO oidc_codes (code_hash, client_id, account_id, redirect_uri, scopes, nonce,
             code_challenge, auth_time, amr, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&code.code_hash)
    .bind(&code.client_id)
    .bind(code.account_id)
    .bind(&code.redirect_uri)
    .bind(&code.scopes)
    .bind(&code.nonce)
    .bind(&code.code_challenge)
    .bind(code.auth_time)
    .bind(&code.amr)
    .bind(code.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A code's columns, from `oidc_codes` known as `c`.
pub(crate) const CODE_COLUMNS: &str =
    "c.code_hash, c.client_id, c.account_id, c.redirect_uri, c.scopes, c.nonce,
    c.code_challenge, c.auth_time, c.amr, c.expires_at, c.used_at, c.grant_id";

pub async fn find_grant<'e>(db: impl AnyExecutor<'e>, id: &str) -> StoreResult<Option<GrantRow>> {
    Ok(sqlx::query_as(
        "SELECT id, client_id, account_id, scopes, auth_time, amr, created_at, revoked_at
         FROM oidc_grants WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// Revokes the grant and so every token of its family; false when it was revoked already.
pub async fn revoke_grant(tx: &mut Tx, id: &str, now: Timestamp) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE oidc_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A refresh token and the grant whose family it belongs to.
#[derive(Debug, Clone, FromRow)]
pub struct RefreshRow {
    pub token_expires_at: Timestamp,
    pub token_used_at: Option<Timestamp>,
    #[sqlx(flatten)]
    pub grant: GrantRow,
}

/// A [`RefreshRow`]'s columns, from `oidc_refresh_tokens` known as `t` and `oidc_grants` as `g`.
pub(crate) const REFRESH_COLUMNS: &str = "t.expires_at AS token_expires_at, t.used_at AS token_used_at, g.id,
    g.client_id, g.account_id, g.scopes, g.auth_time, g.amr, g.created_at, g.revoked_at";

/// The refresh token and its grant, in one read (this runs for every refresh).
pub async fn find_refresh_token<'e>(
    db: impl AnyExecutor<'e>,
    token_hash: &str,
) -> StoreResult<Option<RefreshRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REFRESH_COLUMNS} FROM oidc_refresh_tokens t JOIN oidc_grants g ON g.id = t.grant_id
         WHERE t.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await?)
}

pub async fn give_consent(
    tx: &mut Tx,
    account_id: i64,
    client_id: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO oidc_consents (account_id, client_id, given_at) VALUES ($1, $2, $3)
         ON CONFLICT (account_id, client_id) DO NOTHING",
    )
    .bind(account_id)
    .bind(client_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Where a person stands with an app at the authorization step, read at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppStanding {
    /// A live membership of the app's resource.
    pub member: bool,
    /// Consent given to the app.
    pub consented: bool,
    /// This sign-in (its `auth_time`) got a code for the app before.
    pub signed_in_before: bool,
}

/// [`AppStanding`] in one read (this runs for every authorization of a signed-in person).
pub async fn app_standing<'e>(
    db: impl AnyExecutor<'e>,
    (account_id, resource_id, client_id): (i64, i64, &str),
    auth_time: Timestamp,
    now: Timestamp,
) -> StoreResult<AppStanding> {
    let (member, consented, before): (i64, i64, i64) = sqlx::query_as(concat!(
        "SELECT
           (SELECT COUNT(*) FROM (SELECT 1 FROM memberships WHERE account_id = $1 AND resource_id = $2
               AND ",
        live_membership!("", "$4"),
        " LIMIT 1) m),
           (SELECT COUNT(*) FROM oidc_consents WHERE account_id = $1 AND client_id = $3),
           (SELECT COUNT(*) FROM (SELECT 1 FROM oidc_codes WHERE account_id = $1 AND client_id = $3
               AND auth_time = $5 LIMIT 1) c)",
    ))
    .bind(account_id)
    .bind(resource_id)
    .bind(client_id)
    .bind(now)
    .bind(auth_time)
    .fetch_one(db)
    .await?;
    Ok(AppStanding {
        member: member > 0,
        consented: consented > 0,
        signed_in_before: before > 0,
    })
}

/// The apps a person consented to: client id, the app resource's name, when.
pub async fn consents_of<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
) -> StoreResult<Vec<(String, String, Timestamp)>> {
    Ok(sqlx::query_as(
        "SELECT c.client_id, r.name, k.given_at FROM oidc_consents k
           JOIN oidc_clients c ON c.client_id = k.client_id JOIN resources r ON r.id = c.resource_id
         WHERE k.account_id = $1 ORDER BY r.name",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

/// Withdraws the consent; false when there was none.
pub async fn delete_consent(tx: &mut Tx, account_id: i64, client_id: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM oidc_consents WHERE account_id = $1 AND client_id = $2")
        .bind(account_id)
        .bind(client_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every standing grant of the person for the app.
pub async fn revoke_grants_of(
    tx: &mut Tx,
    account_id: i64,
    client_id: &str,
    now: Timestamp,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE oidc_grants SET revoked_at = $3 WHERE account_id = $1 AND client_id = $2 AND revoked_at IS NULL",
    )
    .bind(account_id)
    .bind(client_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
