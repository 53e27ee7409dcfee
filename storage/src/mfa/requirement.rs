//! Where a second factor is required: the portal's choice by role (in `settings`) and an admin's
//! choice for one person (`accounts.second_factor_required`).

use sqlx::AnyExecutor;

use crate::administration::resources::{get_setting, put_setting};
use crate::{StoreResult, Tx};
use rules::clock::Timestamp;
use rules::mfa::requirement::SecondFactorPolicy;

const POLICY_KEY: &str = "second_factor_policy";

/// The portal's requirement; nobody is asked until an admin (or the setup page) chooses.
pub async fn load_second_factor_policy<'e>(db: impl AnyExecutor<'e>) -> StoreResult<SecondFactorPolicy> {
    Ok(get_setting(db, POLICY_KEY)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub async fn put_second_factor_policy(
    tx: &mut Tx,
    policy: &SecondFactorPolicy,
    now: Timestamp,
) -> StoreResult<()> {
    let json = serde_json::to_string(policy).unwrap_or_default();
    put_setting(tx, POLICY_KEY, &json, now).await
}

/// Whether an admin requires a second factor of this one account.
pub async fn required_for_account<'e>(db: impl AnyExecutor<'e>, account_id: i64) -> StoreResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT second_factor_required FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db)
        .await?;
    Ok(row.is_some_and(|(flag,)| flag != 0))
}

pub async fn set_required_for_account(tx: &mut Tx, account_id: i64, required: bool) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET second_factor_required = $2 WHERE id = $1")
        .bind(account_id)
        .bind(i64::from(required))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
