//! Policies as they are stored: the default policy among the settings, a resource's own as JSON.
//! A damaged one reads as the safe built-in default.

use sqlx::AnyExecutor;

use crate::administration::resources::{get_setting, ResourceRecord};
use crate::StoreResult;
use rules::requests::policy::Policy;

pub const DEFAULT_POLICY_KEY: &str = "default_policy";

/// Reads a stored policy; a damaged one is logged and replaced by the safe default
/// rather than taking the resource offline.
pub fn parse_policy(json: &str) -> Policy {
    serde_json::from_str(json).unwrap_or_else(|error| {
        tracing::error!(%error, "stored policy is unreadable; using the built-in default");
        Policy::default()
    })
}

pub fn policy_json(policy: &Policy) -> String {
    serde_json::to_string(policy).unwrap_or_else(|_| "{}".to_string())
}

/// The portal's default policy (the built-in one until an admin saves another).
pub async fn default_policy<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Policy> {
    Ok(get_setting(db, DEFAULT_POLICY_KEY)
        .await?
        .map(|json| parse_policy(&json))
        .unwrap_or_default())
}

/// The resource's own policy, if it has one (else the default applies).
pub fn own_policy(resource: &ResourceRecord) -> Option<Policy> {
    resource.policy.as_deref().map(parse_policy)
}

/// The resource's own policy, or else the default.
pub async fn effective_policy<'e>(
    db: impl AnyExecutor<'e>,
    resource: &ResourceRecord,
) -> StoreResult<Policy> {
    match own_policy(resource) {
        Some(policy) => Ok(policy),
        None => default_policy(db).await,
    }
}
