//! The provider's signing keys, shared by every instance.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;
use rules::oidc::signing_keys::KeyTimes;

#[derive(Debug, Clone, FromRow)]
pub struct SigningKeyRow {
    pub kid: String,
    pub algorithm: String,
    pub private_sealed: String,
    pub public_jwk: String,
    pub created_at: Timestamp,
    pub signs_from: Timestamp,
    pub retired_at: Option<Timestamp>,
}

impl SigningKeyRow {
    pub fn times(&self) -> KeyTimes {
        KeyTimes {
            algorithm: self.algorithm.clone(),
            signs_from: self.signs_from,
            retired_at: self.retired_at,
        }
    }
}

/// Every key, oldest first (the published set is a few keys: rotations are rare).
pub async fn signing_keys<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<SigningKeyRow>> {
    Ok(sqlx::query_as(
        "SELECT kid, algorithm, private_sealed, public_jwk, created_at, signs_from, retired_at
         FROM oidc_signing_keys ORDER BY created_at, kid",
    )
    .fetch_all(db)
    .await?)
}

pub async fn insert_signing_key(tx: &mut Tx, key: &SigningKeyRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO oidc_signing_keys (kid, algorithm, private_sealed, public_jwk, created_at, signs_from)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&key.kid)
    .bind(&key.algorithm)
    .bind(&key.private_sealed)
    .bind(&key.public_jwk)
    .bind(key.created_at)
    .bind(key.signs_from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes `keep` the next key of `algorithm` from `at`: keys of a rotation before it that have not
/// signed yet never will (they go), and the key signing now stops at `at`.
pub async fn hand_over_signing(
    tx: &mut Tx,
    (algorithm, keep): (&str, &str),
    now: Timestamp,
    at: Timestamp,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM oidc_signing_keys WHERE algorithm = $1 AND kid <> $2 AND signs_from > $3")
        .bind(algorithm)
        .bind(keep)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE oidc_signing_keys SET retired_at = $3
         WHERE algorithm = $1 AND kid <> $2 AND (retired_at IS NULL OR retired_at > $4)",
    )
    .bind(algorithm)
    .bind(keep)
    .bind(at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets keys retired before `before` (no token they signed is alive any more).
pub async fn delete_retired_before(tx: &mut Tx, before: Timestamp) -> StoreResult<u64> {
    let result =
        sqlx::query("DELETE FROM oidc_signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1")
            .bind(before)
            .execute(&mut **tx)
            .await?;
    Ok(result.rows_affected())
}
