//! The token endpoint's writes, for every grant of a batch at once: codes and refresh tokens
//! spent, grants and the next refresh tokens stored. One statement per table and batch instead
//! of one per grant, because on SQLite every statement is a turn of the one writer and a
//! hand-off to its thread (services/src/oidc/batched.rs gathers the batch).

use std::collections::HashSet;

use crate::{value_rows, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::clock::Timestamp;

use super::grants::GrantRow;

/// Marks unused codes used, each for its grant (code hash, grant id); answers the hashes it
/// marked. A code used before is not marked, so of all the requests that bring one code,
/// exactly one ever sees its hash here. Each hash may be named once per call.
pub async fn use_codes(tx: &mut Tx, codes: &[(&str, &str)], now: Timestamp) -> StoreResult<HashSet<String>> {
    let mut marked = HashSet::with_capacity(codes.len());
    for chunk in codes.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "WITH spent (hash, grant_id) AS (VALUES {})
             UPDATE oidc_codes SET used_at = ${}, grant_id = spent.grant_id FROM spent
             WHERE oidc_codes.code_hash = spent.hash AND oidc_codes.used_at IS NULL
             RETURNING code_hash",
            value_rows(chunk.len(), 2),
            chunk.len() * 2 + 1
        );
        let mut query = sqlx::query_as::<_, (String,)>(&sql);
        for (hash, grant_id) in chunk {
            query = query.bind(*hash).bind(*grant_id);
        }
        let rows = query.bind(now).fetch_all(&mut **tx).await?;
        marked.extend(rows.into_iter().map(|(hash,)| hash));
    }
    Ok(marked)
}

/// Marks unused refresh tokens used; answers the hashes it marked (as [`use_codes`]).
pub async fn use_refresh_tokens(
    tx: &mut Tx,
    hashes: &[&str],
    now: Timestamp,
) -> StoreResult<HashSet<String>> {
    let mut marked = HashSet::with_capacity(hashes.len());
    for chunk in hashes.chunks(ROWS_PER_STATEMENT) {
        let listed: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "UPDATE oidc_refresh_tokens SET used_at = $1
             WHERE token_hash IN ({}) AND used_at IS NULL RETURNING token_hash",
            listed.join(", ")
        );
        let mut query = sqlx::query_as::<_, (String,)>(&sql).bind(now);
        for hash in chunk {
            query = query.bind(*hash);
        }
        let rows = query.fetch_all(&mut **tx).await?;
        marked.extend(rows.into_iter().map(|(hash,)| hash));
    }
    Ok(marked)
}

pub async fn insert_grants(tx: &mut Tx, grants: &[&GrantRow]) -> StoreResult<()> {
    for chunk in grants.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO oidc_grants (id, client_id, account_id, scopes, auth_time, amr, created_at) VALUES {}",
            value_rows(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for grant in chunk {
            query = query
                .bind(&grant.id)
                .bind(&grant.client_id)
                .bind(grant.account_id)
                .bind(&grant.scopes)
                .bind(grant.auth_time)
                .bind(&grant.amr)
                .bind(grant.created_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Stores refresh tokens (token hash, grant id), all made at `now` and expiring at `expires_at`.
pub async fn insert_refresh_tokens(
    tx: &mut Tx,
    tokens: &[(&str, &str)],
    now: Timestamp,
    expires_at: Timestamp,
) -> StoreResult<()> {
    for chunk in tokens.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO oidc_refresh_tokens (token_hash, grant_id, created_at, expires_at) VALUES {}",
            value_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (hash, grant_id) in chunk {
            query = query.bind(*hash).bind(*grant_id).bind(now).bind(expires_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
