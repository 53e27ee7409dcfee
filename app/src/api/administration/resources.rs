//! Admin: resources and their owners.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::resource::ResourceKind;
use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub kind: ResourceKind,
    pub is_requestable: bool,
    pub archived: bool,
    pub uses_default_policy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerView {
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDetail {
    pub resource: ResourceRow,
    pub description: String,
    pub owners: Vec<OwnerView>,
}

#[cfg(feature = "ssr")]
fn row(resource: &storage::administration::resources::ResourceRecord) -> ResourceRow {
    ResourceRow {
        id: resource.id,
        name: resource.name.clone(),
        slug: resource.slug.clone(),
        kind: ResourceKind::parse(&resource.kind).unwrap_or(ResourceKind::App),
        is_requestable: resource.is_requestable == 1,
        archived: resource.archived_at.is_some(),
        uses_default_policy: resource.policy.is_none(),
    }
}

/// The admin as an audit actor.
#[cfg(feature = "ssr")]
pub fn admin_actor(account: &storage::accounts::account::AccountRecord) -> rules::audit::event::Actor {
    rules::audit::event::Actor::account(account.id, &account.email, &crate::api::session::client_ip())
}

#[cfg(feature = "ssr")]
pub fn admin_error(error: services::administration::resource_admin::AdminError) -> AppError {
    use services::administration::resource_admin::AdminError;
    match error {
        AdminError::NotFound => AppError::NotFound,
        AdminError::Invalid(errors) => AppError::Invalid(errors),
        AdminError::Store(error) => crate::api::session::internal(error),
    }
}

#[server(prefix = "/api", endpoint = "admin_resources")]
pub async fn admin_resources() -> Result<Vec<ResourceRow>, AppError> {
    use crate::api::session::require_admin;
    use services::administration::resource_admin::all_resources;
    let (state, _, _) = require_admin().await?;
    let resources = all_resources(&state.store).await?;
    Ok(resources.iter().map(row).collect())
}

#[server(prefix = "/api", endpoint = "admin_resource")]
pub async fn admin_resource(id: i64) -> Result<ResourceDetail, AppError> {
    use crate::api::session::require_admin;
    use services::administration::resource_admin::resource_with_owners;
    let (state, _, _) = require_admin().await?;
    let (resource, owners) = resource_with_owners(&state.store, id)
        .await
        .map_err(admin_error)?;
    Ok(ResourceDetail {
        resource: row(&resource),
        description: resource.description.clone(),
        owners: owners
            .into_iter()
            .map(|o| OwnerView {
                account_id: o.account_id,
                email: o.email,
                display_name: o.display_name,
            })
            .collect(),
    })
}

/// Creates (no `id`) or edits a resource. `is_requestable` is a checkbox ("on" when ticked).
#[server(prefix = "/api", endpoint = "save_resource")]
pub async fn save_resource(
    id: Option<i64>,
    name: String,
    slug: String,
    kind: String,
    description: String,
    is_requestable: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::require_admin;
    use rules::administration::resource::ResourceInput;
    use services::administration::resource_admin::{create_resource, edit_resource, AdminError};

    let (state, _, admin) = require_admin().await?;
    let input = ResourceInput {
        name,
        slug: slug.trim().to_lowercase(),
        kind,
        description,
        is_requestable: is_requestable.is_some(),
    };
    let echo = |errors: rules::error::FieldErrors| {
        errors.echo(&[
            ("name", &input.name),
            ("slug", &input.slug),
            ("kind", &input.kind),
            ("description", &input.description),
        ])
    };
    let result = match id {
        None => create_resource(&state.store, &*state.clock, &admin_actor(&admin), &input).await,
        Some(id) => edit_resource(&state.store, &*state.clock, &admin_actor(&admin), id, &input)
            .await
            .map(|()| id),
    };
    match result {
        Ok(id) => {
            leptos_axum::redirect(&format!("/admin/resources/{id}?saved=1"));
            Ok(())
        }
        Err(AdminError::Invalid(errors)) => Err(AppError::Invalid(echo(errors))),
        Err(other) => Err(admin_error(other)),
    }
}

#[server(prefix = "/api", endpoint = "archive_resource")]
pub async fn archive_resource(id: i64, archive: bool) -> Result<(), AppError> {
    use crate::api::session::require_admin;
    use services::administration::resource_admin::archive_resource;
    let (state, _, admin) = require_admin().await?;
    archive_resource(&state.store, &*state.clock, &admin_actor(&admin), id, archive)
        .await
        .map_err(admin_error)?;
    leptos_axum::redirect(&format!("/admin/resources/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "add_owner")]
pub async fn add_owner(resource_id: i64, owner_email: String, owner_name: String) -> Result<(), AppError> {
    use crate::api::session::{mail_context, require_admin};
    use services::administration::resource_admin::{add_owner_by_email, NewOwner, OwnerAdded};
    let (state, _, admin) = require_admin().await?;
    let owner = NewOwner {
        email: &owner_email,
        display_name: &owner_name,
    };
    let added = add_owner_by_email(
        &state.store,
        &*state.clock,
        &mail_context(&state),
        &admin_actor(&admin),
        &admin.display_name,
        resource_id,
        &owner,
    )
    .await
    .map_err(admin_error)?;
    let said = match added {
        OwnerAdded::Appointed => "appointed",
        OwnerAdded::Invited => "invited",
        OwnerAdded::AlreadyOwner => "already",
    };
    leptos_axum::redirect(&format!("/admin/resources/{resource_id}?owner={said}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "remove_owner")]
pub async fn remove_owner(resource_id: i64, account_id: i64) -> Result<(), AppError> {
    use crate::api::session::require_admin;
    use services::administration::resource_admin::remove_resource_owner;
    let (state, _, admin) = require_admin().await?;
    remove_resource_owner(
        &state.store,
        &*state.clock,
        &admin_actor(&admin),
        resource_id,
        account_id,
    )
    .await
    .map_err(admin_error)?;
    leptos_axum::redirect(&format!("/admin/resources/{resource_id}?owner=removed"));
    Ok(())
}
