//! Who approves a stage of an access request: the stage's named accounts or the resource's
//! owners, never the requester, and the admins when that leaves nobody.

use std::collections::HashMap;

use rules::requests::policy::{Approvers, Policy};
use storage::accounts::account::{admins, find_enabled, Contact};
use storage::administration::resources::{list_owners, list_owners_of};
use storage::{StoreResult, Tx};

/// The accounts that decide `stage` of a request for `resource`: the stage's named
/// accounts or the resource's current owners, enabled, never the requester. A stage that names
/// nobody usable falls to the admins, so no request is stranded.
pub async fn stage_approvers(
    tx: &mut Tx,
    policy: &Policy,
    stage: i64,
    resource_id: i64,
    requester_email: &str,
) -> StoreResult<Vec<Contact>> {
    let candidates = stage_candidates(tx, policy, stage, resource_id).await?;
    approvers_among(tx, &candidates, requester_email).await
}

/// Who a stage names (its accounts, or the resource's owners), before the requester is left out.
pub async fn stage_candidates(
    tx: &mut Tx,
    policy: &Policy,
    stage: i64,
    resource_id: i64,
) -> StoreResult<Vec<Contact>> {
    Ok(match policy.stage(stage).map(|s| &s.approvers) {
        Some(Approvers::Accounts(ids)) => {
            let mut found = Vec::new();
            for id in ids {
                found.extend(find_enabled(&mut **tx, *id).await?);
            }
            found
        }
        Some(Approvers::ResourceOwners) | None => list_owners(&mut **tx, resource_id)
            .await?
            .into_iter()
            .map(|o| Contact {
                id: o.account_id,
                email: o.email,
                language: o.language,
            })
            .collect(),
    })
}

/// The candidates of a stage for several (resource, policy) pairs at once, in their order: the
/// owners of every resource that goes by its owners come from one query.
pub async fn stage_candidates_of(
    tx: &mut Tx,
    stage: i64,
    wanted: &[(i64, &Policy)],
) -> StoreResult<Vec<Vec<Contact>>> {
    let by_owners: Vec<i64> = wanted
        .iter()
        .filter(|(_, policy)| goes_by_owners(policy, stage))
        .map(|(resource_id, _)| *resource_id)
        .collect();
    let mut owners: HashMap<i64, Vec<Contact>> = HashMap::new();
    if !by_owners.is_empty() {
        for owner in list_owners_of(tx, &by_owners).await? {
            owners.entry(owner.resource_id).or_default().push(owner.contact);
        }
    }
    let mut found = Vec::with_capacity(wanted.len());
    for (resource_id, policy) in wanted {
        found.push(if goes_by_owners(policy, stage) {
            owners.get(resource_id).cloned().unwrap_or_default()
        } else {
            stage_candidates(tx, policy, stage, *resource_id).await?
        });
    }
    Ok(found)
}

fn goes_by_owners(policy: &Policy, stage: i64) -> bool {
    matches!(
        policy.stage(stage).map(|s| &s.approvers),
        Some(Approvers::ResourceOwners) | None
    )
}

/// The approvers of a request among a stage's candidates: nobody approves their own request,
/// and when that leaves nobody, the admins decide.
pub async fn approvers_among(
    tx: &mut Tx,
    candidates: &[Contact],
    requester_email: &str,
) -> StoreResult<Vec<Contact>> {
    let mut approvers: Vec<Contact> = candidates
        .iter()
        .filter(|c| c.email != requester_email)
        .cloned()
        .collect();
    if approvers.is_empty() {
        approvers = admins(&mut **tx).await?;
        approvers.retain(|c| c.email != requester_email);
    }
    approvers.sort_unstable();
    approvers.dedup();
    Ok(approvers)
}
