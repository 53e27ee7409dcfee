//! Bulk invites for owners (and admins): check a list, confirm it, watch it run, stop it.
//! Uploaded files arrive through `POST /resources/{id}/bulk/upload` (server/src/bulk_upload.rs),
//! which ends in the same check.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::memberships::resource_people::acting;
use crate::api::memberships::resource_people::OwnedResource;
use rules::error::AppError;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCounts {
    /// Rows that will be invited when the draft is confirmed.
    pub ready: i64,
    /// Rows the check refused.
    pub rejected: i64,
    pub queued: i64,
    pub invited: i64,
    pub skipped: i64,
    pub failed: i64,
    pub stopped: i64,
}

impl BatchCounts {
    /// Rows the run handled (invited or skipped), of those it set out to do.
    pub fn done(&self) -> i64 {
        self.invited + self.skipped
    }

    pub fn to_run(&self) -> i64 {
        self.queued + self.invited + self.skipped + self.failed + self.stopped
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: i64,
    pub origin: String,
    pub state: String,
    pub created_at: i64,
    pub counts: BatchCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkRowView {
    pub line: i64,
    pub email: String,
    pub display_name: String,
    pub state: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchView {
    pub resource: OwnedResource,
    pub batch: BatchSummary,
    pub rows: Vec<BulkRowView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkBatches {
    pub resource: OwnedResource,
    pub batches: Vec<BatchSummary>,
    /// The language the invitations are written in unless the owner chooses another: the
    /// portal's default.
    pub message_language: String,
}

#[cfg(feature = "ssr")]
fn summary(report: services::invitations::bulk::reports::BatchInFull) -> BatchSummary {
    let (batch, c) = (report.batch, report.counts);
    BatchSummary {
        id: batch.id,
        origin: batch.origin,
        state: batch.state,
        created_at: batch.created_at,
        counts: BatchCounts {
            ready: c.ready,
            rejected: c.rejected,
            queued: c.queued,
            invited: c.invited,
            skipped: c.skipped,
            failed: c.failed,
            stopped: c.stopped,
        },
    }
}

#[server(prefix = "/api", endpoint = "bulk_overview")]
pub async fn bulk_overview(resource_id: i64) -> Result<BulkBatches, AppError> {
    use crate::api::memberships::resource_people::run_as_owner;
    use services::invitations::bulk::reports::recent_batches;
    run_as_owner(resource_id, &[], |state, account| async move {
        let (resource, batches) = recent_batches(&state.store, &account, resource_id).await?;
        Ok(BulkBatches {
            resource: OwnedResource::from(resource),
            batches: batches.into_iter().map(summary).collect(),
            message_language: locales::tag(state.look.default_language()).to_string(),
        })
    })
    .await
}

#[server(prefix = "/api", endpoint = "bulk_batch")]
pub async fn bulk_batch(resource_id: i64, batch_id: i64) -> Result<BatchView, AppError> {
    use crate::api::memberships::resource_people::run_as_owner;
    use services::invitations::bulk::reports::batch_with_rows;
    run_as_owner(resource_id, &[], |state, account| async move {
        let acting = acting!(state, account);
        let (resource, batch, rows) = batch_with_rows(&state.store, &acting, resource_id, batch_id).await?;
        Ok(BatchView {
            resource: OwnedResource::from(resource),
            batch: summary(batch),
            rows: rows
                .into_iter()
                .map(|r| BulkRowView {
                    line: r.line,
                    email: r.email,
                    display_name: r.display_name,
                    state: r.state,
                    note: r.note,
                })
                .collect(),
        })
    })
    .await
}

/// Checks a pasted list and shows its report (a draft batch); nothing is sent yet.
#[server(prefix = "/api", endpoint = "prepare_bulk_invite")]
pub async fn prepare_bulk_invite(
    resource_id: i64,
    rows: String,
    language: Option<String>,
) -> Result<(), AppError> {
    use crate::api::memberships::resource_people::run_as_owner;
    use services::invitations::bulk::{prepare_batch, BulkList};
    let language = language.unwrap_or_default();
    // A long list is not carried back in the address after a refusal; a short one is.
    let echo = if rows.len() <= 2000 { rows.as_str() } else { "" };
    let typed = [("rows", echo), ("language", language.as_str())];
    let text = rows.clone();
    let chosen = language.clone();
    let batch = run_as_owner(resource_id, &typed, |state, account| async move {
        let acting = acting!(state, account);
        let list = BulkList {
            origin: "@pasted_list",
            text: &text,
            language: &chosen,
        };
        prepare_batch(&state.store, &acting, resource_id, &list).await
    })
    .await?;
    leptos_axum::redirect(&format!("/resources/{resource_id}/bulk/{batch}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "confirm_bulk_invite")]
pub async fn confirm_bulk_invite(resource_id: i64, batch_id: i64) -> Result<(), AppError> {
    use crate::api::memberships::resource_people::run_as_owner;
    use services::invitations::bulk::confirm_batch;
    run_as_owner(resource_id, &[], |state, account| async move {
        let acting = acting!(state, account);
        confirm_batch(&state.store, &acting, resource_id, batch_id).await
    })
    .await?;
    leptos_axum::redirect(&format!("/resources/{resource_id}/bulk/{batch_id}?started=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "stop_bulk_invite")]
pub async fn stop_bulk_invite(resource_id: i64, batch_id: i64) -> Result<(), AppError> {
    use crate::api::memberships::resource_people::run_as_owner;
    use services::invitations::bulk::halt_batch;
    run_as_owner(resource_id, &[], |state, account| async move {
        let acting = acting!(state, account);
        halt_batch(&state.store, &acting, resource_id, batch_id).await
    })
    .await?;
    leptos_axum::redirect(&format!("/resources/{resource_id}/bulk/{batch_id}?stopped=1"));
    Ok(())
}
