//! Bulk invites: an owner's list is checked into a draft batch (the report), confirmed, and then
//! invited row by row by a worker, which can be stopped. Each row is taken and invited in one
//! transaction, so a crash or a second instance never invites a row twice; and rows already
//! invited or members are skipped, so running the same list again invites nobody twice.

pub mod reports;
pub mod rows;

use std::collections::HashSet;

use serde_json::json;

use crate::audit::record_event;
use crate::invitations::issue::{issue_invitation, InvitationToIssue, Issued};
use crate::invitations::owner_tools::{managed_resource, Acting, OwnerError};
use crate::mail::MailContext;
use rows::{check_rows, read_list, Standing};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::email::email_domain;
use rules::error::FieldErrors;
use rules::invitations::invitation::InvitationSource;
use rules::languages::message_language;
use rules::requests::policy::any_matches;
use storage::accounts::account::find_by_id as find_account;
use storage::administration::resources::find_by_id as find_resource;
use storage::administration::resources::ResourceRecord;
use storage::invitations::bulk_invites::{
    any_drained_batch, find_batch, finish_drained_batches, insert_batch, invited_emails, link_invitation,
    queued_rows, start_batch, stop_batch, take_row, BatchRecord, BulkRowRecord, NewBatch, NewBulkRow,
};
use storage::memberships::resource_people::{is_member, members};
use storage::requests::policies::effective_policy;
use storage::{commit, Store, StoreError};

/// A list to invite from: where it came from ("pasted list" or a file's name), its text, and
/// the language of its invitations (a tag; empty for the portal's default).
pub struct BulkList<'a> {
    pub origin: &'a str,
    pub text: &'a str,
    pub language: &'a str,
}

/// Reads and checks a list for the resource and saves it as a draft batch (nothing is sent
/// yet); returns the batch id. A list that cannot be read at all is refused with the reason.
pub async fn prepare_batch(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    list: &BulkList<'_>,
) -> Result<i64, OwnerError> {
    let BulkList { origin, text, .. } = *list;
    let language = message_language(list.language, locales::tags())
        .map_err(|m| OwnerError::Invalid(FieldErrors::new().with("language", m)))?;
    let resource = managed_resource(store, acting.account, resource_id).await?;
    if resource.archived_at.is_some() {
        return Err(OwnerError::Refused(rules::message::with(
            "resource_archived_named",
            &[("resource", &resource.name)],
        )));
    }
    let list = read_list(text).map_err(OwnerError::List)?;
    let policy = effective_policy(store.read(), &resource).await?;
    let members: HashSet<String> = members(store.read(), resource.id, "", acting.now, i64::MAX)
        .await?
        .into_iter()
        .map(|member| member.email)
        .collect();
    let invited: HashSet<String> = invited_emails(store.read(), resource.id, acting.now)
        .await?
        .into_iter()
        .collect();
    let checked = check_rows(
        list,
        &Standing {
            denied_domains: &policy.denied_domains,
            members: &members,
            invited: &invited,
        },
    );
    let new_rows: Vec<NewBulkRow<'_>> = checked
        .iter()
        .map(|c| NewBulkRow {
            line: c.row.line as i64,
            email: &c.email,
            display_name: c.row.display_name.trim(),
            message: c.row.message.trim(),
            state: if c.problem.is_some() { "rejected" } else { "ready" },
            note: c.problem.as_deref().unwrap_or(""),
        })
        .collect();
    let ready = checked.iter().filter(|c| c.problem.is_none()).count();
    let origin: String = origin.trim().chars().take(200).collect();
    let mut tx = store.begin().await?;
    let batch = NewBatch {
        resource_id: resource.id,
        created_by: acting.account.id,
        origin: &origin,
        language,
    };
    let batch_id = insert_batch(&mut tx, &batch, &new_rows, acting.now).await?;
    let event = AuditEvent::new(acting.actor, actions::BULK_CHECKED, acting.now)
        .target("bulk_batch", batch_id, &origin)
        .resource(resource.id)
        .details(json!({ "rows": checked.len(), "ready": ready }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(batch_id)
}

/// The batch and its resource, if the resource is one the account manages.
pub async fn managed_batch(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    batch_id: i64,
) -> Result<(ResourceRecord, BatchRecord), OwnerError> {
    let resource = managed_resource(store, acting.account, resource_id).await?;
    let batch = find_batch(store.read(), batch_id)
        .await?
        .filter(|b| b.resource_id == resource.id)
        .ok_or(OwnerError::NotFound)?;
    Ok((resource, batch))
}

/// What a person can do to a batch after checking it.
#[derive(Clone, Copy)]
enum BatchStep {
    /// Confirm a draft: its ready rows go to the worker.
    Start,
    /// Stop a running batch: the rows not reached yet are not invited.
    Stop,
}

/// Confirms a draft batch: its ready rows go to the worker.
pub async fn confirm_batch(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    batch_id: i64,
) -> Result<(), OwnerError> {
    move_batch(store, acting, resource_id, batch_id, BatchStep::Start).await
}

/// Stops a running batch; the rows not reached yet are not invited.
pub async fn halt_batch(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    batch_id: i64,
) -> Result<(), OwnerError> {
    move_batch(store, acting, resource_id, batch_id, BatchStep::Stop).await
}

async fn move_batch(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    batch_id: i64,
    step: BatchStep,
) -> Result<(), OwnerError> {
    let (_, batch) = managed_batch(store, acting, resource_id, batch_id).await?;
    let mut tx = store.begin().await?;
    let (moved, action, refusal) = match step {
        BatchStep::Start => (
            start_batch(&mut tx, batch.id, acting.now).await?,
            actions::BULK_STARTED,
            "@batch_was_confirmed_already",
        ),
        BatchStep::Stop => (
            stop_batch(&mut tx, batch.id, acting.now).await?,
            actions::BULK_STOPPED,
            "@batch_not_running_any",
        ),
    };
    if !moved {
        return Err(OwnerError::Refused(refusal.to_string()));
    }
    let event = AuditEvent::new(acting.actor, action, acting.now)
        .target("bulk_batch", batch.id, &batch.origin)
        .resource(batch.resource_id);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

/// The worker's step: invites up to `limit` queued rows, one transaction each, then marks the
/// batches with nothing left as done. Returns how many rows it handled.
pub async fn process_queued(
    store: &Store,
    mail: &MailContext,
    now: i64,
    limit: i64,
) -> Result<u64, StoreError> {
    let rows = queued_rows(store.read(), limit).await?;
    let mut handled = 0;
    // Rows come batch by batch: what they share is read once per batch, not once per row.
    let mut context: Option<(i64, Option<BatchContext>)> = None;
    for row in &rows {
        if context
            .as_ref()
            .is_none_or(|(batch_id, _)| *batch_id != row.batch_id)
        {
            context = Some((row.batch_id, BatchContext::load(store, row.batch_id).await?));
        }
        let Some((_, Some(batch))) = &context else {
            continue;
        };
        if invite_row(store, mail, batch, row, now).await? {
            handled += 1;
        }
    }
    // An idle worker asks twice a second: it takes the writer only for something to mark done.
    if rows.is_empty() && !any_drained_batch(store.read()).await? {
        return Ok(0);
    }
    let mut tx = store.begin().await?;
    finish_drained_batches(&mut tx, now).await?;
    commit(tx).await?;
    Ok(handled)
}

/// What every row of one batch is invited with: its resource and policy, and who invites.
struct BatchContext {
    resource: ResourceRecord,
    policy: rules::requests::policy::Policy,
    inviter_name: String,
    inviter_id: Option<i64>,
    actor: Actor,
    /// The language of the invitations, chosen with the list.
    language: String,
}

impl BatchContext {
    async fn load(store: &Store, batch_id: i64) -> Result<Option<Self>, StoreError> {
        let Some(batch) = find_batch(store.read(), batch_id).await? else {
            return Ok(None);
        };
        let Some(resource) = find_resource(store.read(), batch.resource_id).await? else {
            return Ok(None);
        };
        let policy = effective_policy(store.read(), &resource).await?;
        let (inviter_name, inviter_id, actor) = match find_account(store.read(), batch.created_by).await? {
            Some(account) => (
                account.display_name.clone(),
                Some(account.id),
                Actor::account(account.id, &account.email, ""),
            ),
            None => (String::new(), None, Actor::system()),
        };
        Ok(Some(Self {
            resource,
            policy,
            inviter_name,
            inviter_id,
            actor,
            language: batch.language,
        }))
    }
}

/// What became of one row at processing time.
enum RowOutcome {
    Invite,
    Skip(String),
    Fail(String),
}

async fn invite_row(
    store: &Store,
    mail: &MailContext,
    batch: &BatchContext,
    row: &BulkRowRecord,
    now: i64,
) -> Result<bool, StoreError> {
    let (resource, policy) = (&batch.resource, &batch.policy);
    // The world may have moved since the report: check again.
    let outcome = if resource.archived_at.is_some() {
        RowOutcome::Fail(rules::message::with(
            "resource_was_archived",
            &[("resource", &resource.name)],
        ))
    } else if any_matches(email_domain(&row.email), &policy.denied_domains) {
        RowOutcome::Fail("@denied_domain_policy_now".to_string())
    } else if is_member(store.read(), resource.id, &row.email, now).await? {
        RowOutcome::Skip("@already_member".to_string())
    } else {
        RowOutcome::Invite
    };
    let mut tx = store.begin().await?;
    let (state, note) = match &outcome {
        RowOutcome::Invite => ("invited", ""),
        RowOutcome::Skip(note) => ("skipped", note.as_str()),
        RowOutcome::Fail(note) => ("failed", note.as_str()),
    };
    if !take_row(&mut tx, row.id, state, note, now).await? {
        return Ok(false);
    }
    if let RowOutcome::Invite = outcome {
        let issued = issue_invitation(
            &mut tx,
            mail,
            &InvitationToIssue {
                resource,
                email: &row.email,
                display_name: &row.display_name,
                source: InvitationSource::Bulk,
                request_id: None,
                inviter_name: &batch.inviter_name,
                invited_by_account_id: batch.inviter_id,
                message: &row.message,
                language: &batch.language,
                policy,
                redirect_url: "",
                send_email: true,
            },
            &batch.actor,
            now,
        )
        .await?;
        match issued {
            Issued::New { invitation_id, .. } => {
                link_invitation(&mut tx, row.id, "invited", "", invitation_id).await?
            }
            // Invited meanwhile (another batch, a request): it stands; nothing new is sent.
            Issued::AlreadyPending { invitation_id } => {
                let note = "@already_invited_invitation_waiting";
                link_invitation(&mut tx, row.id, "skipped", note, invitation_id).await?
            }
        }
    }
    commit(tx).await?;
    Ok(true)
}
