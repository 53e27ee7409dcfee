//! Memberships with an end date: two reminders, then the end.

use super::BATCH;
use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use rules::audit::event::{actions, Actor, AuditEvent};
use storage::memberships::lifecycle::{
    end_at_expiry, mark_reminded, memberships_due_reminder, memberships_past_end, Reminder,
};
use storage::outbox::enqueue;
use storage::{commit, Store, StoreError};

/// Sends the reminders that are due (14 days and 1 day before the end), each once.
pub async fn send_reminders(store: &Store, mail: &MailContext, now: i64) -> Result<u64, StoreError> {
    let mut sent = 0;
    for reminder in [Reminder::Last, Reminder::First] {
        loop {
            let due = memberships_due_reminder(store.read(), reminder, now, BATCH).await?;
            let mut tx = store.begin().await?;
            for membership in &due {
                if !mark_reminded(&mut tx, membership.id, reminder, now).await? {
                    continue;
                }
                let message = mail.access_ending(
                    Recipient::new(&membership.email, &membership.language),
                    &membership.resource_name,
                    (now, membership.expires_at),
                );
                enqueue(&mut tx, &message, now).await?;
                let event = AuditEvent::new(&Actor::system(), actions::MEMBERSHIP_REMINDED, now)
                    .target("membership", membership.id, &membership.email)
                    .resource(membership.resource_id)
                    .details(serde_json::json!({
                        "days_before": reminder.lead_seconds() / 86_400,
                        "expires_at": membership.expires_at,
                    }));
                record_event(&mut tx, &event).await?;
                sent += 1;
            }
            commit(tx).await?;
            if (due.len() as i64) < BATCH {
                break;
            }
        }
    }
    Ok(sent)
}

/// Ends the memberships past their end date (as of that date) and tells the partner.
pub async fn end_memberships(store: &Store, mail: &MailContext, now: i64) -> Result<u64, StoreError> {
    let mut ended = 0;
    loop {
        let due = memberships_past_end(store.read(), now, BATCH).await?;
        let mut tx = store.begin().await?;
        for membership in &due {
            if !end_at_expiry(&mut tx, membership.id, now).await? {
                continue;
            }
            enqueue(
                &mut tx,
                &mail.access_ended(
                    Recipient::new(&membership.email, &membership.language),
                    &membership.resource_name,
                ),
                now,
            )
            .await?;
            let event = AuditEvent::new(&Actor::system(), actions::MEMBERSHIP_EXPIRED, now)
                .target("membership", membership.id, &membership.email)
                .resource(membership.resource_id);
            record_event(&mut tx, &event).await?;
            ended += 1;
        }
        commit(tx).await?;
        if (due.len() as i64) < BATCH {
            return Ok(ended);
        }
    }
}
