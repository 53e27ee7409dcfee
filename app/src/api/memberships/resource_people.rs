//! Owners (and admins) on one resource: its members, its pending invitations, direct invites.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;
use rules::invitations::direct_invite::DirectInviteInput;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedResource {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub membership_id: i64,
    pub email: String,
    pub display_name: String,
    pub source: String,
    pub granted_at: i64,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitationView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub source: String,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleOfResource {
    pub resource: OwnedResource,
    pub members: Vec<MemberView>,
    pub invitations: Vec<PendingInvitationView>,
    /// The language an invitation's emails are written in unless the owner chooses another:
    /// the portal's default.
    pub message_language: String,
    /// An app whose sign-in this person may register (admins, and owners when admins allow).
    pub may_register_app: bool,
}

#[cfg(feature = "ssr")]
impl From<storage::administration::resources::ResourceRecord> for OwnedResource {
    fn from(resource: storage::administration::resources::ResourceRecord) -> Self {
        Self {
            id: resource.id,
            name: resource.name,
            kind: resource.kind,
            archived: resource.archived_at.is_some(),
        }
    }
}

/// Who acts, for the domain services: the signed-in account, from this request's address.
#[cfg(feature = "ssr")]
macro_rules! acting {
    ($state:expr, $account:expr) => {
        services::invitations::owner_tools::Acting {
            account: &$account,
            actor: &crate::api::administration::resources::admin_actor(&$account),
            mail: &crate::api::session::mail_context(&$state),
            now: $state.clock.now(),
        }
    };
}
#[cfg(feature = "ssr")]
pub(crate) use acting;

#[cfg(feature = "ssr")]
pub(crate) fn owner_error(
    error: services::invitations::owner_tools::OwnerError,
    typed: &[(&str, &str)],
) -> AppError {
    use services::invitations::owner_tools::OwnerError;
    match error {
        OwnerError::NotFound => AppError::NotFound,
        OwnerError::NotOwner => AppError::Forbidden,
        OwnerError::Invalid(errors) => AppError::Invalid(errors.echo(typed)),
        OwnerError::Refused(message) => AppError::Refused(message),
        OwnerError::List(problem) => AppError::Invalid(
            rules::error::FieldErrors::new()
                .with("rows", problem.message())
                .echo(typed),
        ),
        OwnerError::Store(error) => crate::api::session::internal(error),
    }
}

/// The caller and what `Acting` needs; a refusal to a non-owner is audited.
#[cfg(feature = "ssr")]
pub(crate) async fn run_as_owner<T, F, Fut>(
    resource_id: i64,
    typed: &[(&str, &str)],
    work: F,
) -> Result<T, AppError>
where
    F: FnOnce(crate::state::AppState, storage::accounts::account::AccountRecord) -> Fut,
    Fut: std::future::Future<Output = Result<T, services::invitations::owner_tools::OwnerError>>,
{
    use crate::api::session::{audit_refusal, require_account};
    use services::invitations::owner_tools::OwnerError;
    let (state, _, account) = require_account().await?;
    match work(state.clone(), account.clone()).await {
        Err(OwnerError::NotOwner) => {
            audit_refusal(&state, &account, &format!("resource {resource_id}")).await;
            Err(AppError::Forbidden)
        }
        other => other.map_err(|e| owner_error(e, typed)),
    }
}

#[server(prefix = "/api", endpoint = "my_resources")]
pub async fn my_resources() -> Result<Vec<OwnedResource>, AppError> {
    use crate::api::session::require_account;
    use services::memberships::resource_people::resources_looked_after;
    let (state, _, account) = require_account().await?;
    let resources = resources_looked_after(&state.store, &account).await?;
    Ok(resources.into_iter().map(OwnedResource::from).collect())
}

#[server(prefix = "/api", endpoint = "resource_people")]
pub async fn resource_people(resource_id: i64, search: String) -> Result<PeopleOfResource, AppError> {
    use services::memberships::resource_people::people_of;
    run_as_owner(resource_id, &[], |state, account| async move {
        let people = people_of(&state.store, &account, resource_id, &search, state.clock.now()).await?;
        let may_register_app = people.resource.kind == "app"
            && services::oidc::clients::registers_apps(&state.store, &account).await?;
        Ok(PeopleOfResource {
            may_register_app,
            resource: OwnedResource::from(people.resource),
            members: people
                .members
                .into_iter()
                .map(|m| MemberView {
                    membership_id: m.membership_id,
                    email: m.email,
                    display_name: m.display_name,
                    source: m.source,
                    granted_at: m.granted_at,
                    expires_at: m.expires_at,
                })
                .collect(),
            invitations: people
                .invitations
                .into_iter()
                .map(|i| PendingInvitationView {
                    id: i.id,
                    email: i.email,
                    display_name: i.display_name,
                    source: i.source,
                    created_at: i.created_at,
                    expires_at: i.expires_at,
                })
                .collect(),
            message_language: locales::tag(state.look.default_language()).to_string(),
        })
    })
    .await
}

#[server(prefix = "/api", endpoint = "invite_partner")]
pub async fn invite_partner(resource_id: i64, invite: DirectInviteInput) -> Result<(), AppError> {
    use validator::Validate;

    use rules::error::FieldErrors;
    use services::invitations::issue::Issued;
    use services::invitations::owner_tools::{invite_directly, Delivery, OwnerError};
    let typed = [
        ("invite[email]", invite.email.as_str()),
        ("invite[display_name]", invite.display_name.as_str()),
        ("invite[message]", invite.message.as_str()),
        ("invite[language]", invite.language.as_str()),
    ];
    let invite_for_work = invite.clone();
    let created = run_as_owner(resource_id, &[], |state, account| async move {
        if let Err(report) = invite_for_work.validate() {
            return Err(OwnerError::Invalid(FieldErrors::from_validation(&report)));
        }
        let acting = acting!(state, account);
        let issued = invite_directly(
            &state.store,
            &acting,
            resource_id,
            &invite_for_work,
            &Delivery::BY_EMAIL,
        )
        .await?;
        Ok(matches!(issued, Issued::New { .. }))
    })
    .await
    .map_err(|error| match error {
        AppError::Invalid(errors) => AppError::Invalid(errors.prefixed("invite").echo(&typed)),
        other => other,
    })?;
    leptos_axum::redirect(&format!(
        "/resources/{resource_id}?invited={}",
        if created { "new" } else { "already" }
    ));
    Ok(())
}

#[server(prefix = "/api", endpoint = "member_action")]
pub async fn member_action(resource_id: i64, membership_id: i64, action: String) -> Result<(), AppError> {
    use services::invitations::owner_tools::{extend_member, revoke_member};
    let done = run_as_owner(resource_id, &[], |state, account| async move {
        let acting = acting!(state, account);
        match action.as_str() {
            "revoke" => revoke_member(&state.store, &acting, resource_id, membership_id)
                .await
                .map(|_| "revoked"),
            "extend" => extend_member(&state.store, &acting, resource_id, membership_id)
                .await
                .map(|_| "extended"),
            _ => Err(services::invitations::owner_tools::OwnerError::NotFound),
        }
    })
    .await?;
    leptos_axum::redirect(&format!("/resources/{resource_id}?member={done}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "invitation_action")]
pub async fn invitation_action(resource_id: i64, invitation_id: i64, action: String) -> Result<(), AppError> {
    use services::invitations::owner_tools::{resend_invitation, withdraw_invitation};
    let done = run_as_owner(resource_id, &[], |state, account| async move {
        let acting = acting!(state, account);
        match action.as_str() {
            "resend" => resend_invitation(&state.store, &acting, resource_id, invitation_id)
                .await
                .map(|_| "resent"),
            "withdraw" => withdraw_invitation(&state.store, &acting, resource_id, invitation_id)
                .await
                .map(|_| "withdrawn"),
            _ => Err(services::invitations::owner_tools::OwnerError::NotFound),
        }
    })
    .await?;
    leptos_axum::redirect(&format!("/resources/{resource_id}?invitation={done}"));
    Ok(())
}
