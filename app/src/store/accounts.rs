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

    pub fn viewer(&self) -> Viewer {
        Viewer {
            account_id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            is_admin: self.is_admin(),
            is_staff: self.is_staff(),
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
