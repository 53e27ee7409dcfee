//! Identity providers as admins set them up, and the email domains each serves.

use sqlx::{AnyExecutor, FromRow};

use crate::{flag, StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct ProviderRow {
    pub id: i64,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret_sealed: String,
    pub scopes: String,
    pub trust_email: i64,
    pub trust_mfa: i64,
    pub mfa_acr: String,
    pub updated_at: Timestamp,
}

/// A provider with its domains.
#[derive(Debug, Clone)]
pub struct ProviderRecord {
    pub row: ProviderRow,
    pub domains: Vec<String>,
}

impl ProviderRecord {
    pub fn id(&self) -> i64 {
        self.row.id
    }
    pub fn scopes(&self) -> Vec<String> {
        self.row
            .scopes
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }
    pub fn trust_email(&self) -> bool {
        flag(self.row.trust_email)
    }
    pub fn trust_mfa(&self) -> bool {
        flag(self.row.trust_mfa)
    }
}

/// What is written for a provider (the secret already sealed).
pub struct ProviderValues<'a> {
    pub name: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret_sealed: &'a str,
    pub scopes: &'a str,
    pub trust_email: bool,
    pub trust_mfa: bool,
    pub mfa_acr: &'a str,
}

const COLUMNS: &str =
    "id, name, issuer, client_id, client_secret_sealed, scopes, trust_email, trust_mfa, mfa_acr, updated_at";

pub async fn insert_provider(tx: &mut Tx, values: &ProviderValues<'_>, now: Timestamp) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO identity_providers
            (name, issuer, client_id, client_secret_sealed, scopes, trust_email, trust_mfa, mfa_acr, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(values.name)
    .bind(values.issuer)
    .bind(values.client_id)
    .bind(values.client_secret_sealed)
    .bind(values.scopes)
    .bind(i64::from(values.trust_email))
    .bind(i64::from(values.trust_mfa))
    .bind(values.mfa_acr)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn update_provider(
    tx: &mut Tx,
    id: i64,
    values: &ProviderValues<'_>,
    now: Timestamp,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE identity_providers SET name = $2, issuer = $3, client_id = $4, client_secret_sealed = $5,
            scopes = $6, trust_email = $7, trust_mfa = $8, mfa_acr = $9, updated_at = $10
         WHERE id = $1",
    )
    .bind(id)
    .bind(values.name)
    .bind(values.issuer)
    .bind(values.client_id)
    .bind(values.client_secret_sealed)
    .bind(values.scopes)
    .bind(i64::from(values.trust_email))
    .bind(i64::from(values.trust_mfa))
    .bind(values.mfa_acr)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the provider's domains; a domain another provider serves is a conflict.
pub async fn set_domains(tx: &mut Tx, id: i64, domains: &[String]) -> StoreResult<()> {
    sqlx::query("DELETE FROM identity_provider_domains WHERE provider_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for domain in domains {
        sqlx::query("INSERT INTO identity_provider_domains (domain, provider_id) VALUES ($1, $2)")
            .bind(domain)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn delete_provider(tx: &mut Tx, id: i64) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM identity_providers WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

async fn domains_of<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT domain FROM identity_provider_domains WHERE provider_id = $1 ORDER BY domain")
            .bind(id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

pub async fn find_provider(db: &sqlx::AnyPool, id: i64) -> StoreResult<Option<ProviderRecord>> {
    let row: Option<ProviderRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM identity_providers WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    match row {
        Some(row) => Ok(Some(ProviderRecord {
            domains: domains_of(db, row.id).await?,
            row,
        })),
        None => Ok(None),
    }
}

/// The provider serving this email domain, if any.
pub async fn provider_for_domain(db: &sqlx::AnyPool, domain: &str) -> StoreResult<Option<ProviderRecord>> {
    let id: Option<(i64,)> =
        sqlx::query_as("SELECT provider_id FROM identity_provider_domains WHERE domain = $1")
            .bind(domain)
            .fetch_optional(db)
            .await?;
    match id {
        Some((id,)) => find_provider(db, id).await,
        None => Ok(None),
    }
}

/// Every provider, by name, with its domains and how many identities are linked through it.
pub async fn list_providers(db: &sqlx::AnyPool) -> StoreResult<Vec<(ProviderRecord, i64)>> {
    let rows: Vec<ProviderRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM identity_providers ORDER BY name, id"
    ))
    .fetch_all(db)
    .await?;
    let domains: Vec<(i64, String)> =
        sqlx::query_as("SELECT provider_id, domain FROM identity_provider_domains ORDER BY domain")
            .fetch_all(db)
            .await?;
    let links: Vec<(i64, i64)> =
        sqlx::query_as("SELECT provider_id, COUNT(*) FROM linked_identities GROUP BY provider_id")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let own = domains
                .iter()
                .filter(|(p, _)| *p == row.id)
                .map(|(_, d)| d.clone())
                .collect();
            let linked = links.iter().find(|(p, _)| *p == row.id).map_or(0, |(_, n)| *n);
            (ProviderRecord { row, domains: own }, linked)
        })
        .collect())
}

/// Who already serves one of these domains or this issuer (other than `except`): for the
/// form's messages.
pub async fn taken_by<'e>(
    db: impl AnyExecutor<'e> + Copy,
    except: i64,
    issuer: &str,
    domains: &[String],
) -> StoreResult<(Option<String>, Option<(String, String)>)> {
    let issuer_owner: Option<(String,)> =
        sqlx::query_as("SELECT name FROM identity_providers WHERE issuer = $1 AND id <> $2")
            .bind(issuer)
            .bind(except)
            .fetch_optional(db)
            .await?;
    for domain in domains {
        let owner: Option<(String,)> = sqlx::query_as(
            "SELECT p.name FROM identity_provider_domains d JOIN identity_providers p ON p.id = d.provider_id
             WHERE d.domain = $1 AND d.provider_id <> $2",
        )
        .bind(domain)
        .bind(except)
        .fetch_optional(db)
        .await?;
        if let Some((name,)) = owner {
            return Ok((issuer_owner.map(|(n,)| n), Some((domain.clone(), name))));
        }
    }
    Ok((issuer_owner.map(|(n,)| n), None))
}
