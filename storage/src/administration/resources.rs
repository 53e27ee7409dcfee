//! Resources (apps and groups), their owners, and portal settings.

use sqlx::{AnyExecutor, FromRow};

use crate::accounts::account::Contact;
use crate::{flag, qualified, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::clock::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ResourceRecord {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub is_requestable: i64,
    /// The resource's own policy as JSON; `None` follows the default policy.
    pub policy: Option<String>,
    pub archived_at: Option<i64>,
}

impl ResourceRecord {
    pub fn is_requestable(&self) -> bool {
        flag(self.is_requestable) && self.archived_at.is_none()
    }
}

const COLUMNS: &str = "id, slug, name, kind, description, is_requestable, policy, archived_at";

/// What partners may ask for, by name.
pub async fn list_requestable<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<ResourceRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM resources WHERE is_requestable = 1 AND archived_at IS NULL ORDER BY name, id"
    );
    Ok(sqlx::query_as(&sql).fetch_all(db).await?)
}

/// Every resource, archived ones last.
pub async fn list_all<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<ResourceRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM resources ORDER BY CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END, name, id"
    );
    Ok(sqlx::query_as(&sql).fetch_all(db).await?)
}

pub async fn find_by_slug<'e>(db: impl AnyExecutor<'e>, slug: &str) -> StoreResult<Option<ResourceRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE slug = $1");
    Ok(sqlx::query_as(&sql).bind(slug).fetch_optional(db).await?)
}

pub async fn find_by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<ResourceRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

pub struct ResourceFields<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub description: &'a str,
    pub is_requestable: bool,
}

/// A taken slug comes back as `StoreError::Conflict`.
pub async fn insert_resource(tx: &mut Tx, fields: &ResourceFields<'_>, now: Timestamp) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO resources (slug, name, kind, description, is_requestable, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(fields.slug)
    .bind(fields.name)
    .bind(fields.kind)
    .bind(fields.description)
    .bind(i64::from(fields.is_requestable))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn update_resource(
    tx: &mut Tx,
    id: i64,
    fields: &ResourceFields<'_>,
    now: Timestamp,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE resources SET slug = $2, name = $3, kind = $4, description = $5, is_requestable = $6, updated_at = $7
         WHERE id = $1",
    )
    .bind(id)
    .bind(fields.slug)
    .bind(fields.name)
    .bind(fields.kind)
    .bind(fields.description)
    .bind(i64::from(fields.is_requestable))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Archives (`Some(now)`) or restores (`None`) a resource.
pub async fn set_archived(
    tx: &mut Tx,
    id: i64,
    archived_at: Option<Timestamp>,
    now: Timestamp,
) -> StoreResult<bool> {
    let result = sqlx::query("UPDATE resources SET archived_at = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(archived_at)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Sets the resource's own policy (JSON), or `None` to follow the default.
pub async fn set_policy(tx: &mut Tx, id: i64, policy: Option<&str>, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query("UPDATE resources SET policy = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(policy)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct OwnerRow {
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub language: String,
}

pub async fn list_owners<'e>(db: impl AnyExecutor<'e>, resource_id: i64) -> StoreResult<Vec<OwnerRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.email, a.display_name, a.language
         FROM resource_owners o JOIN accounts a ON a.id = o.account_id
         WHERE o.resource_id = $1 AND a.disabled_at IS NULL
         ORDER BY a.display_name, a.id",
    )
    .bind(resource_id)
    .fetch_all(db)
    .await?)
}

/// One owner of one of several resources, to write to.
#[derive(Debug, Clone, FromRow)]
pub struct OwnerContact {
    pub resource_id: i64,
    #[sqlx(flatten)]
    pub contact: Contact,
}

/// The enabled owners of several resources in one query, each resource's in the order of
/// [`list_owners`].
pub async fn list_owners_of(tx: &mut Tx, resource_ids: &[i64]) -> StoreResult<Vec<OwnerContact>> {
    let mut owners = Vec::new();
    for chunk in resource_ids.chunks(ROWS_PER_STATEMENT) {
        let params: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT o.resource_id, a.id, a.email, a.language
             FROM resource_owners o JOIN accounts a ON a.id = o.account_id
             WHERE o.resource_id IN ({}) AND a.disabled_at IS NULL
             ORDER BY o.resource_id, a.display_name, a.id",
            params.join(", ")
        );
        let mut query = sqlx::query_as(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        owners.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(owners)
}

pub async fn add_owner(tx: &mut Tx, resource_id: i64, account_id: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "INSERT INTO resource_owners (resource_id, account_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (resource_id, account_id) DO NOTHING",
    )
    .bind(resource_id)
    .bind(account_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn remove_owner(tx: &mut Tx, resource_id: i64, account_id: i64) -> StoreResult<bool> {
    let result = sqlx::query("DELETE FROM resource_owners WHERE resource_id = $1 AND account_id = $2")
        .bind(resource_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The resources an account owns (for the review filters and navigation).
pub async fn resources_owned_by<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
) -> StoreResult<Vec<ResourceRecord>> {
    let sql = format!(
        "SELECT {} FROM resources r JOIN resource_owners o ON o.resource_id = r.id
         WHERE o.account_id = $1 ORDER BY r.name, r.id",
        qualified(COLUMNS, "r")
    );
    Ok(sqlx::query_as(&sql).bind(account_id).fetch_all(db).await?)
}

pub async fn get_setting<'e>(db: impl AnyExecutor<'e>, key: &str) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn put_setting(tx: &mut Tx, key: &str, value: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
