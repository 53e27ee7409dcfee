//! Outside identities linked to Portico accounts: (issuer, subject) -> account.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct LinkedIdentity {
    pub id: i64,
    pub account_id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub linked_at: Timestamp,
    pub last_used_at: Timestamp,
}

const SELECT: &str = "SELECT l.id, l.account_id, l.provider_id, p.name AS provider_name, l.issuer, l.subject,
        l.email, l.linked_at, l.last_used_at
     FROM linked_identities l JOIN identity_providers p ON p.id = l.provider_id";

pub async fn find_link<'e>(
    db: impl AnyExecutor<'e>,
    issuer: &str,
    subject: &str,
) -> StoreResult<Option<LinkedIdentity>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE l.issuer = $1 AND l.subject = $2"))
            .bind(issuer)
            .bind(subject)
            .fetch_optional(db)
            .await?,
    )
}

pub async fn links_of_account<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
) -> StoreResult<Vec<LinkedIdentity>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE l.account_id = $1 ORDER BY p.name, l.id"))
            .bind(account_id)
            .fetch_all(db)
            .await?,
    )
}

pub struct NewLink<'a> {
    pub account_id: i64,
    pub provider_id: i64,
    pub issuer: &'a str,
    pub subject: &'a str,
    pub email: &'a str,
}

pub async fn insert_link(tx: &mut Tx, link: &NewLink<'_>, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO linked_identities (account_id, provider_id, issuer, subject, email, linked_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(link.account_id)
    .bind(link.provider_id)
    .bind(link.issuer)
    .bind(link.subject)
    .bind(link.email)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A later sign-in: when, and the address the provider gives now.
pub async fn touch_link(tx: &mut Tx, id: i64, email: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query("UPDATE linked_identities SET last_used_at = $2, email = $3 WHERE id = $1")
        .bind(id)
        .bind(now)
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Unlinks one identity of this account; false when there was none.
pub async fn delete_link(tx: &mut Tx, account_id: i64, id: i64) -> StoreResult<Option<LinkedIdentity>> {
    let link: Option<LinkedIdentity> =
        sqlx::query_as(&format!("{SELECT} WHERE l.id = $1 AND l.account_id = $2"))
            .bind(id)
            .bind(account_id)
            .fetch_optional(&mut **tx)
            .await?;
    if link.is_some() {
        sqlx::query("DELETE FROM linked_identities WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(link)
}
