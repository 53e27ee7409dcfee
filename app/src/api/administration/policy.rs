//! Admin: the default policy and per-resource policies.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::policy_form::PolicyForm;
use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEditor {
    /// The resource whose policy this is; `None` for the default policy.
    pub resource: Option<(i64, String)>,
    /// The resource follows the default (the form then shows the default, to copy from).
    pub uses_default: bool,
    pub form: PolicyForm,
    /// Staff accounts that may be named as approvers (email, name).
    pub staff: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "policy_editor")]
pub async fn get_policy_editor(resource_id: Option<i64>) -> Result<PolicyEditor, AppError> {
    use crate::api::session::require_admin;
    use storage::accounts::account::list_staff;
    use storage::administration::resources::find_by_id;
    use storage::requests::policies::{default_policy, effective_policy};

    let (state, _, _) = require_admin().await?;
    let db = state.store.read();
    let staff = list_staff(db).await?;
    let email_of = |id: i64| staff.iter().find(|a| a.id == id).map(|a| a.email.clone());
    let (resource, uses_default, policy) = match resource_id {
        None => (None, false, default_policy(db).await?),
        Some(id) => {
            let resource = find_by_id(db, id).await?.ok_or(AppError::NotFound)?;
            let policy = effective_policy(db, &resource).await?;
            (
                Some((resource.id, resource.name.clone())),
                resource.policy.is_none(),
                policy,
            )
        }
    };
    Ok(PolicyEditor {
        resource,
        uses_default,
        form: PolicyForm::from_policy(&policy, email_of),
        staff: staff
            .iter()
            .map(|a| (a.email.clone(), a.display_name.clone()))
            .collect(),
    })
}

#[server(prefix = "/api", endpoint = "save_policy")]
pub async fn save_policy(resource_id: Option<i64>, form: PolicyForm) -> Result<(), AppError> {
    use crate::api::administration::resources::{admin_actor, admin_error};
    use crate::api::session::require_admin;
    use services::administration::resource_admin::{save_policy, PolicyTarget};
    use storage::accounts::account::list_staff;
    use storage::administration::resources::find_by_id;
    use storage::requests::policies::{default_policy, effective_policy};

    let (state, _, admin) = require_admin().await?;
    let db = state.store.read();
    let staff = list_staff(db).await?;
    let account_id = |email: &str| staff.iter().find(|a| a.email == email).map(|a| a.id);
    let (target, previous, done) = match resource_id {
        None => (
            PolicyTarget::Default,
            default_policy(db).await?,
            "/admin/policy?saved=1".to_string(),
        ),
        Some(id) => {
            let resource = find_by_id(db, id).await?.ok_or(AppError::NotFound)?;
            let previous = effective_policy(db, &resource).await?;
            (
                PolicyTarget::Resource(id),
                previous,
                format!("/admin/resources/{id}?policy=saved"),
            )
        }
    };
    let policy = form
        .to_policy(account_id, Some(&previous), state.clock.now())
        .map_err(|errors| {
            let echo = form.echo_pairs();
            let pairs: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            AppError::Invalid(errors.echo(&pairs))
        })?;
    save_policy(
        &state.store,
        &*state.clock,
        &admin_actor(&admin),
        target,
        Some(&policy),
    )
    .await
    .map_err(admin_error)?;
    leptos_axum::redirect(&done);
    Ok(())
}

/// Returns a resource to the default policy (its own policy is dropped).
#[server(prefix = "/api", endpoint = "use_default_policy")]
pub async fn use_default_policy(resource_id: i64) -> Result<(), AppError> {
    use crate::api::administration::resources::{admin_actor, admin_error};
    use crate::api::session::require_admin;
    use services::administration::resource_admin::{save_policy, PolicyTarget};

    let (state, _, admin) = require_admin().await?;
    save_policy(
        &state.store,
        &*state.clock,
        &admin_actor(&admin),
        PolicyTarget::Resource(resource_id),
        None,
    )
    .await
    .map_err(admin_error)?;
    leptos_axum::redirect(&format!("/admin/resources/{resource_id}?policy=default"));
    Ok(())
}
