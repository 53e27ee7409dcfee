//! Approval tasks: who is asked to decide which request at which stage; they feed the
//! review queue.

use sqlx::AnyExecutor;

use crate::{value_rows, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::clock::Timestamp;

/// Adds the approvers of a stage to the review queue.
pub async fn insert_approval_tasks(
    tx: &mut Tx,
    request_id: i64,
    stage: i64,
    approvers: &[i64],
    now: Timestamp,
) -> StoreResult<()> {
    let tasks: Vec<(i64, i64, Timestamp)> = approvers.iter().map(|a| (request_id, *a, now)).collect();
    insert_approval_tasks_for(tx, stage, &tasks).await
}

/// Approval tasks of several requests at one stage, as (request, approver, created at), in one
/// statement: on SQLite every statement is a turn of the one writer.
pub async fn insert_approval_tasks_for(
    tx: &mut Tx,
    stage: i64,
    tasks: &[(i64, i64, Timestamp)],
) -> StoreResult<()> {
    for chunk in tasks.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO approval_tasks (request_id, stage, account_id, created_at) VALUES {}
             ON CONFLICT (request_id, stage, account_id) DO NOTHING",
            value_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (request_id, approver, at) in chunk {
            query = query.bind(*request_id).bind(stage).bind(*approver).bind(*at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The names of the approvers still expected to act on a request's stage.
pub async fn open_approver_names<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
    stage: i64,
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT a.display_name FROM approval_tasks t JOIN accounts a ON a.id = t.account_id
         WHERE t.request_id = $1 AND t.stage = $2 ORDER BY a.display_name",
    )
    .bind(request_id)
    .bind(stage)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// The approvers still expected to act on a request's stage.
pub async fn open_approvers<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
    stage: i64,
) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT account_id FROM approval_tasks WHERE request_id = $1 AND stage = $2")
            .bind(request_id)
            .bind(stage)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn is_open_approver<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
    stage: i64,
    account_id: i64,
) -> StoreResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT account_id FROM approval_tasks WHERE request_id = $1 AND stage = $2 AND account_id = $3",
    )
    .bind(request_id)
    .bind(stage)
    .bind(account_id)
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Removes one approver's task (they decided).
pub async fn delete_approval_task(
    tx: &mut Tx,
    request_id: i64,
    stage: i64,
    account_id: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM approval_tasks WHERE request_id = $1 AND stage = $2 AND account_id = $3")
        .bind(request_id)
        .bind(stage)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes every task of a request (it moved on or closed).
pub async fn delete_approval_tasks(tx: &mut Tx, request_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM approval_tasks WHERE request_id = $1")
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
