//! Accounts: staff, admins and partners alike.

use sqlx::{AnyExecutor, FromRow};

use super::{flag, StoreResult, Tx};
use crate::domain::accounts::Viewer;
use crate::domain::clock::Timestamp;

/// An account row. Holds the password hash, so it is never serialised.
#[derive(Debug, Clone, FromRow)]
pub struct AccountRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub is_admin: i64,
    pub is_staff: i64,
    pub disabled_at: Option<i64>,
}

impl AccountRecord {
    pub fn is_admin(&self) -> bool {
        flag(self.is_admin)
    }

    pub fn is_staff(&self) -> bool {
        flag(self.is_staff)
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    pub fn viewer(&self, has_reviews: bool) -> Viewer {
        Viewer {
            account_id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            is_admin: self.is_admin(),
            is_staff: self.is_staff(),
            has_reviews,
        }
    }
}

const COLUMNS: &str = "id, email, display_name, password_hash, is_admin, is_staff, disabled_at";

pub async fn find_by_email<'e>(db: impl AnyExecutor<'e>, email: &str) -> StoreResult<Option<AccountRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE email = $1");
    Ok(sqlx::query_as(&sql).bind(email).fetch_optional(db).await?)
}

pub async fn find_by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<AccountRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

pub async fn admin_exists<'e>(db: impl AnyExecutor<'e>) -> StoreResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM accounts WHERE is_admin = 1 LIMIT 1")
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub is_admin: bool,
    pub is_staff: bool,
}

/// Inserts an account; a taken email comes back as `StoreError::Conflict`.
pub async fn insert_account(tx: &mut Tx, account: &NewAccount<'_>, now: Timestamp) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO accounts (email, display_name, password_hash, is_admin, is_staff, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         RETURNING id",
    )
    .bind(account.email)
    .bind(account.display_name)
    .bind(account.password_hash)
    .bind(i64::from(account.is_admin))
    .bind(i64::from(account.is_staff))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The account's id and email, if it exists and is enabled (for approver lists).
pub async fn find_enabled<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, email FROM accounts WHERE id = $1 AND disabled_at IS NULL")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// Enabled admins, with their emails.
pub async fn admins<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, email FROM accounts WHERE is_admin = 1 AND disabled_at IS NULL ORDER BY id",
    )
    .fetch_all(db)
    .await?)
}

/// Staff accounts (possible owners and approvers), by name.
pub async fn list_staff<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<AccountRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM accounts WHERE is_staff = 1 AND disabled_at IS NULL ORDER BY display_name, id"
    );
    Ok(sqlx::query_as(&sql).fetch_all(db).await?)
}

/// Sets a password (the account's sessions are ended by the caller).
pub async fn set_password_hash(tx: &mut Tx, account_id: i64, hash: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(account_id)
        .bind(hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the account has anything to review: it owns a resource or has an open approval task.
pub async fn has_reviews<'e>(db: impl AnyExecutor<'e>, account_id: i64) -> StoreResult<bool> {
    let (found,): (i64,) = sqlx::query_as(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM resource_owners WHERE account_id = $1)
                       OR EXISTS (SELECT 1 FROM approval_tasks WHERE account_id = $1)
                THEN 1 ELSE 0 END",
    )
    .bind(account_id)
    .fetch_one(db)
    .await?;
    Ok(found == 1)
}
