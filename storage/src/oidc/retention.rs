//! Forgetting what an app can no longer use: codes of sign-ins that have ended, refresh tokens
//! past their life, and grants revoked longer ago than any access token lives.

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;
use rules::oidc::signing_keys::LONGEST_TOKEN_SECONDS;

/// Deletes them; the number of rows removed.
pub async fn clean_up_app_tokens(
    tx: &mut Tx,
    sign_ins_before: Timestamp,
    now: Timestamp,
) -> StoreResult<u64> {
    let revoked_before = now - LONGEST_TOKEN_SECONDS;
    let codes = sqlx::query("DELETE FROM oidc_codes WHERE auth_time < $1 AND expires_at < $2")
        .bind(sign_ins_before)
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let refresh_tokens = sqlx::query(
        "DELETE FROM oidc_refresh_tokens WHERE expires_at <= $1
            OR grant_id IN (SELECT id FROM oidc_grants WHERE revoked_at < $2)",
    )
    .bind(now)
    .bind(revoked_before)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let grants = sqlx::query(
        "DELETE FROM oidc_grants WHERE revoked_at < $1
            OR NOT EXISTS (SELECT 1 FROM oidc_refresh_tokens t WHERE t.grant_id = oidc_grants.id)
               AND created_at < $2",
    )
    .bind(revoked_before)
    .bind(now - LONGEST_TOKEN_SECONDS)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(codes + refresh_tokens + grants)
}
