//! Accounts: staff, admins and partners alike.

use sqlx::{AnyExecutor, FromRow};

use crate::{flag, Store, StoreResult, Tx};
use rules::accounts::account::Viewer;
use rules::clock::Timestamp;

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
    /// The language chosen for pages and emails (`nl`), or empty for the portal's default.
    pub language: String,
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

const COLUMNS: &str = "id, email, display_name, password_hash, is_admin, is_staff, disabled_at, language";

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

/// Who to write to: an account's id, email and language ('' for the portal's default).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Contact {
    pub id: i64,
    pub email: String,
    pub language: String,
}

/// The account's contact, if it exists and is enabled (for approver lists).
pub async fn find_enabled<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<Contact>> {
    Ok(
        sqlx::query_as("SELECT id, email, language FROM accounts WHERE id = $1 AND disabled_at IS NULL")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// Enabled admins, to write to.
pub async fn admins<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<Contact>> {
    Ok(sqlx::query_as(
        "SELECT id, email, language FROM accounts WHERE is_admin = 1 AND disabled_at IS NULL ORDER BY id",
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
///
/// Planned afresh for each account (not a kept prepared statement): after five runs PostgreSQL
/// may keep one generic plan for every account, and when one reviewer holds most of the tasks
/// (the bench admin's 1,000,000), that plan expects any account to match at once and reads the
/// table from the start: an account with no task read all of it, 0.5 s per partner page
/// (`make bench`, My access). With its own value the planner takes the index.
pub async fn has_reviews<'e>(db: impl AnyExecutor<'e>, account_id: i64) -> StoreResult<bool> {
    let (found,): (i64,) = sqlx::query_as(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM resource_owners WHERE account_id = $1)
                       OR EXISTS (SELECT 1 FROM approval_tasks WHERE account_id = $1)
                THEN 1 ELSE 0 END",
    )
    .bind(account_id)
    .persistent(false)
    .fetch_one(db)
    .await?;
    Ok(found == 1)
}

/// [`has_reviews`], kept for a moment by each instance (storage/src/kept.rs): every page of a
/// signed-in partner asks it for the header. A change through this instance drops the copy at
/// once (`Store::reviews_changed` after approval tasks' or owners' commits); another instance's
/// shows within a second.
pub async fn kept_has_reviews(store: &Store, account_id: i64) -> StoreResult<bool> {
    let key = account_id.to_string();
    if let Some(kept) = store.reviewers().get(&key) {
        return Ok(*kept);
    }
    let generation = store.reviewers().generation();
    let reviews = has_reviews(store.read(), account_id).await?;
    store.reviewers().keep(&key, reviews, generation);
    Ok(reviews)
}

/// Which accounts an admin lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    All,
    Partners,
    Staff,
    Admins,
    Disabled,
}

/// A row of the admin's account list.
#[derive(Debug, Clone, FromRow)]
pub struct AccountListRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: i64,
    pub is_staff: i64,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub sessions: i64,
}

/// Accounts by email, after `after_email` (a keyset), whose email or name contains `search`.
pub async fn search_accounts<'e>(
    db: impl AnyExecutor<'e>,
    search: &str,
    kind: AccountKind,
    after_email: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<AccountListRow>> {
    let kind_condition = match kind {
        AccountKind::All => "",
        AccountKind::Partners => "AND a.is_staff = 0 AND a.is_admin = 0",
        AccountKind::Staff => "AND (a.is_staff = 1 OR a.is_admin = 1)",
        AccountKind::Admins => "AND a.is_admin = 1",
        AccountKind::Disabled => "AND a.disabled_at IS NOT NULL",
    };
    let pattern = format!("%{}%", crate::like_escape(&search.trim().to_lowercase()));
    let sql = format!(
        "SELECT a.id, a.email, a.display_name, a.is_admin, a.is_staff, a.disabled_at, a.created_at,
                (SELECT COUNT(*) FROM sign_ins s WHERE s.account_id = a.id AND s.awaiting_second_factor = 0) AS sessions
         FROM accounts a
         WHERE (a.email LIKE $1 ESCAPE '\\' OR LOWER(a.display_name) LIKE $1 ESCAPE '\\')
           AND a.email > $2 {kind_condition}
         ORDER BY a.email LIMIT $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(pattern)
        .bind(after_email.unwrap_or(""))
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// Disables or re-enables an account; false when it already was so.
pub async fn set_disabled(tx: &mut Tx, account_id: i64, disabled: bool, now: Timestamp) -> StoreResult<bool> {
    let sql = if disabled {
        "UPDATE accounts SET disabled_at = $2, updated_at = $2 WHERE id = $1 AND disabled_at IS NULL"
    } else {
        "UPDATE accounts SET disabled_at = NULL, updated_at = $2 WHERE id = $1 AND disabled_at IS NOT NULL"
    };
    let result = sqlx::query(sql)
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Makes an account an admin (and so staff) or takes admin away; false when nothing changed.
pub async fn set_admin(tx: &mut Tx, account_id: i64, admin: bool, now: Timestamp) -> StoreResult<bool> {
    let sql = if admin {
        "UPDATE accounts SET is_admin = 1, is_staff = 1, updated_at = $2 WHERE id = $1 AND is_admin = 0"
    } else {
        "UPDATE accounts SET is_admin = 0, updated_at = $2 WHERE id = $1 AND is_admin = 1"
    };
    let result = sqlx::query(sql)
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Enabled admins, counted inside the transaction that may remove one. On PostgreSQL their rows
/// stay locked until it ends, so two admins removing each other at once cannot leave none.
pub async fn count_enabled_admins(tx: &mut Tx, engine: crate::Engine) -> StoreResult<i64> {
    let lock = match engine {
        crate::Engine::Postgres => "FOR UPDATE",
        crate::Engine::Sqlite => "",
    };
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM accounts WHERE is_admin = 1 AND disabled_at IS NULL ORDER BY id {lock}"
    ))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.len() as i64)
}

/// Saves the language an account chose for its pages and emails.
pub async fn set_language(tx: &mut Tx, account_id: i64, language: &str) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
