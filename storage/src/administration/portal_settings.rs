//! Branding and how partners sign in (in `settings`), the logo, and the versions of the terms of use.

use sqlx::{AnyExecutor, FromRow};

use crate::administration::resources::{get_setting, put_setting};
use crate::{StoreResult, Tx};
use rules::accounts::one_time_code::SignInMethods;
use rules::administration::branding::Branding;
use rules::clock::Timestamp;

const BRANDING_KEY: &str = "branding";
const SIGN_IN_METHODS_KEY: &str = "sign_in_methods";

/// How partners sign in; the defaults until an admin saves a choice.
pub async fn load_sign_in_methods<'e>(db: impl AnyExecutor<'e>) -> StoreResult<SignInMethods> {
    Ok(get_setting(db, SIGN_IN_METHODS_KEY)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub async fn save_sign_in_methods(tx: &mut Tx, methods: &SignInMethods, now: Timestamp) -> StoreResult<()> {
    let json = serde_json::to_string(methods).unwrap_or_default();
    put_setting(tx, SIGN_IN_METHODS_KEY, &json, now).await
}

/// The saved branding; `None` before an admin first saves it.
pub async fn load_branding<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Option<Branding>> {
    Ok(get_setting(db, BRANDING_KEY)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

pub async fn save_branding(tx: &mut Tx, branding: &Branding, now: Timestamp) -> StoreResult<()> {
    let json = serde_json::to_string(branding).unwrap_or_default();
    put_setting(tx, BRANDING_KEY, &json, now).await
}

#[derive(Debug, Clone, FromRow)]
pub struct Logo {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub updated_at: i64,
}

pub async fn load_logo<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Option<Logo>> {
    Ok(
        sqlx::query_as("SELECT content_type, bytes, updated_at FROM portal_logo WHERE id = 1")
            .fetch_optional(db)
            .await?,
    )
}

/// When the logo last changed, if there is one (for its address, so caches see a new one).
pub async fn logo_version<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT updated_at FROM portal_logo WHERE id = 1")
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(at,)| at))
}

pub async fn save_logo(tx: &mut Tx, content_type: &str, bytes: &[u8], now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO portal_logo (id, content_type, bytes, updated_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
                                        updated_at = excluded.updated_at",
    )
    .bind(content_type)
    .bind(bytes)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove_logo(tx: &mut Tx) -> StoreResult<bool> {
    Ok(sqlx::query("DELETE FROM portal_logo WHERE id = 1")
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct TermsVersion {
    pub version: i64,
    pub text: String,
    /// The text in other languages (JSON, see [`TermsVersion::translations`]).
    #[sqlx(rename = "translations")]
    pub translations_json: String,
    pub published_at: i64,
    pub published_by: Option<String>,
}

impl TermsVersion {
    /// The text in other languages, by tag; none when the stored JSON is unreadable.
    pub fn translations(&self) -> rules::translated::Translations {
        serde_json::from_str(&self.translations_json).unwrap_or_default()
    }
}

/// The terms in force: the highest version, unless it withdrew them (an empty text).
pub async fn current_terms<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Option<TermsVersion>> {
    Ok(latest_terms(db).await?.filter(|t| !t.text.is_empty()))
}

/// The highest version, even one that withdrew the terms.
pub async fn latest_terms<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Option<TermsVersion>> {
    Ok(sqlx::query_as(
        "SELECT t.version, t.text, t.translations, t.published_at, a.display_name AS published_by
         FROM terms_versions t LEFT JOIN accounts a ON a.id = t.published_by
         ORDER BY t.version DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?)
}

/// Every version, newest first (the text of each too, so any can be read again).
pub async fn terms_history<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<TermsVersion>> {
    Ok(sqlx::query_as(
        "SELECT t.version, t.text, t.translations, t.published_at, a.display_name AS published_by
         FROM terms_versions t LEFT JOIN accounts a ON a.id = t.published_by
         ORDER BY t.version DESC",
    )
    .fetch_all(db)
    .await?)
}

/// Publishes the next version; two admins publishing at once get one version each, in turn
/// (the primary key refuses a second row of the same number: a `Conflict`).
pub async fn publish_terms(
    tx: &mut Tx,
    text: &str,
    translations: &rules::translated::Translations,
    by: i64,
    now: Timestamp,
) -> StoreResult<i64> {
    let (next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM terms_versions")
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO terms_versions (version, text, translations, published_at, published_by)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(next)
    .bind(text)
    .bind(serde_json::to_string(translations).unwrap_or_else(|_| "{}".into()))
    .bind(now)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(next)
}

pub async fn accepted_terms_version<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
) -> StoreResult<Option<i64>> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT terms_accepted_version FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(v,)| v))
}

pub async fn accept_terms(tx: &mut Tx, account_id: i64, version: i64) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET terms_accepted_version = $1 WHERE id = $2")
        .bind(version)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
