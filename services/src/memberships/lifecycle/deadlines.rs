//! Deadlines: invitations that ran out, and requests nobody decided in time.

use serde_json::json;

use super::BATCH;
use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::requests::access_request::RequestState;
use storage::administration::resources::find_by_id as find_resource;
use storage::approvals::tasks::delete_approval_tasks;
use storage::invitations::invitation::mark_expired;
use storage::memberships::lifecycle::{overdue_invitations, overdue_requests};
use storage::outbox::enqueue;
use storage::requests::access_requests::{close_request, find_for_update};
use storage::{commit, Store, StoreError};

/// Pending invitations past their end become expired (the link page and the partner's status
/// page already treat them so; this makes lists and counts say it too).
pub async fn expire_invitations(store: &Store, now: i64) -> Result<u64, StoreError> {
    let mut changed = 0;
    loop {
        let due = overdue_invitations(store.read(), now, BATCH).await?;
        let mut tx = store.begin().await?;
        for (id, email, resource_id) in &due {
            if mark_expired(&mut tx, *id, now).await? {
                let event = AuditEvent::new(&Actor::system(), actions::INVITATION_EXPIRED, now)
                    .target("invitation", id, email)
                    .resource(*resource_id);
                record_event(&mut tx, &event).await?;
                changed += 1;
            }
        }
        commit(tx).await?;
        if (due.len() as i64) < BATCH {
            return Ok(changed);
        }
    }
}

/// Requests still pending at their decision deadline are denied, their open approval tasks
/// end, and the partner is told. The request's state says why: `expired`, shown as "denied:
/// no decision in time".
pub async fn time_out_requests(store: &Store, mail: &MailContext, now: i64) -> Result<u64, StoreError> {
    let mut changed = 0;
    loop {
        let due = overdue_requests(store.read(), now, BATCH).await?;
        for id in &due {
            let mut tx = store.begin().await?;
            let Some(request) = find_for_update(&mut tx, store.engine(), *id).await? else {
                continue;
            };
            if request.decide_by > now
                || !close_request(&mut tx, request.id, None, RequestState::Expired.as_str(), now).await?
            {
                // Decided, withdrawn or given more time meanwhile.
                continue;
            }
            delete_approval_tasks(&mut tx, request.id).await?;
            let resource_name = find_resource(&mut *tx, request.resource_id)
                .await?
                .map(|r| r.name)
                .unwrap_or_default();
            enqueue(
                &mut tx,
                &mail.request_timed_out(
                    Recipient::new(&request.email, &request.language),
                    &resource_name,
                    request.decide_by,
                ),
                now,
            )
            .await?;
            let event = AuditEvent::new(&Actor::system(), actions::REQUEST_TIMED_OUT, now)
                .target("access_request", request.id, &request.email)
                .resource(request.resource_id)
                .details(json!({ "stage": request.stage, "decide_by": request.decide_by }));
            record_event(&mut tx, &event).await?;
            commit(tx).await?;
            store.reviews_changed();
            changed += 1;
        }
        if (due.len() as i64) < BATCH {
            return Ok(changed);
        }
    }
}
