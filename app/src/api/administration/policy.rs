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
    /// The languages the questions and terms may be given in besides the default one.
    pub other_languages: Vec<String>,
}

#[server(prefix = "/api", endpoint = "policy_editor")]
pub async fn get_policy_editor(resource_id: Option<i64>) -> Result<PolicyEditor, AppError> {
    use crate::api::administration::resources::admin_error;
    use crate::api::session::require_admin;
    use services::administration::policy_editing::policy_in_editor;

    let (state, _, _) = require_admin().await?;
    let editor = policy_in_editor(&state.store, resource_id)
        .await
        .map_err(admin_error)?;
    Ok(PolicyEditor {
        resource: editor.resource,
        uses_default: editor.uses_default,
        form: editor.form,
        staff: editor
            .staff
            .into_iter()
            .map(|a| (a.email, a.display_name))
            .collect(),
        other_languages: state.look.other_languages(),
    })
}

#[server(prefix = "/api", endpoint = "save_policy")]
pub async fn save_policy(resource_id: Option<i64>, form: PolicyForm) -> Result<(), AppError> {
    use crate::api::administration::resources::{admin_actor, admin_error};
    use crate::api::session::require_admin;
    use services::administration::policy_editing::save_policy_form;

    let (state, _, admin) = require_admin().await?;
    save_policy_form(
        &state.store,
        &*state.clock,
        &admin_actor(&admin),
        resource_id,
        &form,
    )
    .await
    .map_err(admin_error)?;
    leptos_axum::redirect(&match resource_id {
        None => "/admin/policy?saved=1".to_string(),
        Some(id) => format!("/admin/resources/{id}?policy=saved"),
    });
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
