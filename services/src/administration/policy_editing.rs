//! The policy editor: a policy (the default, or a resource's own) as its form shows it, and a
//! filled-in form checked, turned into a policy and saved.

use rules::administration::policy_form::PolicyForm;
use rules::audit::event::Actor;
use rules::clock::Clock;
use rules::requests::policy::Policy;
use storage::accounts::account::{list_staff, AccountRecord};
use storage::administration::resources::find_by_id;
use storage::requests::policies::{default_policy, effective_policy};
use storage::Store;

use super::resource_admin::{save_policy, AdminError, PolicyTarget};

/// What the editor opens with.
pub struct PolicyInEditor {
    /// The resource (id, name) whose policy it is; `None` for the default policy.
    pub resource: Option<(i64, String)>,
    /// The resource follows the default policy (it has none of its own).
    pub uses_default: bool,
    pub form: PolicyForm,
    /// The staff who may be named as approvers.
    pub staff: Vec<AccountRecord>,
}

/// The default policy (`resource_id` `None`) or the policy a resource follows, as a form.
pub async fn policy_in_editor(store: &Store, resource_id: Option<i64>) -> Result<PolicyInEditor, AdminError> {
    let db = store.read();
    let staff = list_staff(db).await?;
    let (resource, uses_default, policy) = match resource_id {
        None => (None, false, default_policy(db).await?),
        Some(id) => {
            let resource = find_by_id(db, id).await?.ok_or(AdminError::NotFound)?;
            let policy = effective_policy(db, &resource).await?;
            (
                Some((resource.id, resource.name)),
                resource.policy.is_none(),
                policy,
            )
        }
    };
    let email_of = |id: i64| staff.iter().find(|a| a.id == id).map(|a| a.email.clone());
    let form = PolicyForm::from_policy(&policy, email_of);
    Ok(PolicyInEditor {
        resource,
        uses_default,
        form,
        staff,
    })
}

/// Checks a filled-in policy form against the staff and the policy it replaces (which keeps
/// what the form does not show), then saves it; a form with mistakes comes back with every
/// field's message and what was typed.
pub async fn save_policy_form(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    resource_id: Option<i64>,
    form: &PolicyForm,
) -> Result<(), AdminError> {
    let db = store.read();
    let staff = list_staff(db).await?;
    let (target, previous) = match resource_id {
        None => (PolicyTarget::Default, default_policy(db).await?),
        Some(id) => {
            let resource = find_by_id(db, id).await?.ok_or(AdminError::NotFound)?;
            (PolicyTarget::Resource(id), effective_policy(db, &resource).await?)
        }
    };
    let account_id = |email: &str| staff.iter().find(|a| a.email == email).map(|a| a.id);
    let policy: Policy = form
        .to_policy(account_id, Some(&previous), clock.now())
        .map_err(|errors| {
            let echo = form.echo_pairs();
            let pairs: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            AdminError::Invalid(errors.echo(&pairs))
        })?;
    save_policy(store, clock, admin, target, Some(&policy)).await
}
