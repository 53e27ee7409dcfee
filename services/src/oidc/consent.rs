//! A person's consent to an app that is not the organisation's own: asked once, shown on their
//! account page, and withdrawn there (which also revokes what the app holds).

use serde_json::json;

use super::authorize::{back_to, registered_request, Outcome};
use crate::audit::record_event;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::oidc::authorize::{AuthorizeParams, Refusal};
use rules::oidc::grants::granted_claims;
use storage::oidc::clients::{kept_client, ClientRow};
use storage::oidc::grants::{consents_of, delete_consent, give_consent as store_consent, revoke_grants_of};
use storage::{commit, Store, StoreError};

/// What the consent page asks about: the app, and the details it would learn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentAsk {
    pub client_id: String,
    pub app_name: String,
    pub claims: Vec<&'static str>,
}

/// The registered app of an authorization request, and the request checked; the problem page's
/// reason otherwise.
async fn requested(
    store: &Store,
    params: &AuthorizeParams,
) -> Result<Result<(ClientRow, Vec<String>), &'static str>, StoreError> {
    let Some((client, checked)) = registered_request(store, params).await? else {
        return Ok(Err("unknown_app"));
    };
    Ok(match checked {
        Ok(request) => Ok((client, request.scopes)),
        Err(Refusal::Page(code)) => Err(code),
        Err(Refusal::Back { .. }) => Err("app_address_not_registered"),
    })
}

pub async fn consent_ask(
    store: &Store,
    params: &AuthorizeParams,
) -> Result<Result<ConsentAsk, &'static str>, StoreError> {
    Ok(requested(store, params)
        .await?
        .map(|(client, scopes)| ConsentAsk {
            claims: granted_claims(&scopes, &client.claims()),
            app_name: client.resource_name,
            client_id: client.client_id,
        }))
}

/// The person allows the app; the authorization request then goes on.
pub async fn give_consent(
    store: &Store,
    actor: &Actor,
    account_id: i64,
    params: &AuthorizeParams,
    now: Timestamp,
) -> Result<Result<(), &'static str>, StoreError> {
    let (client, _) = match requested(store, params).await? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    let mut tx = store.begin().await?;
    if store_consent(&mut tx, account_id, &client.client_id, now).await? {
        let event = AuditEvent::new(actor, actions::OIDC_CONSENT_GIVEN, now)
            .target("app", &client.client_id, &client.resource_name)
            .resource(client.resource_id);
        record_event(&mut tx, &event).await?;
    }
    commit(tx).await?;
    Ok(Ok(()))
}

/// The person declines: the app hears `access_denied` at its registered address.
pub async fn decline(store: &Store, issuer: &str, params: &AuthorizeParams) -> Result<Outcome, StoreError> {
    Ok(match requested(store, params).await? {
        Ok(_) => Outcome::ToApp(back_to(
            params.redirect_uri.as_deref().unwrap_or_default(),
            &[
                ("error", Some("access_denied")),
                ("error_description", Some("the person declined")),
                ("state", params.state.as_deref()),
                ("iss", Some(issuer)),
            ],
        )),
        Err(problem) => Outcome::Problem(problem),
    })
}

pub async fn consented_apps(
    store: &Store,
    account_id: i64,
) -> Result<Vec<(String, String, Timestamp)>, StoreError> {
    consents_of(store.read(), account_id).await
}

/// Withdraws the consent and revokes every grant the app holds for the person.
pub async fn withdraw_consent(
    store: &Store,
    actor: &Actor,
    account_id: i64,
    client_id: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let client = kept_client(store, client_id).await?;
    let mut tx = store.begin().await?;
    let withdrawn = delete_consent(&mut tx, account_id, client_id).await?;
    if withdrawn {
        revoke_grants_of(&mut tx, account_id, client_id, now).await?;
        let mut event = AuditEvent::new(actor, actions::OIDC_CONSENT_WITHDRAWN, now)
            .details(json!({ "client_id": client_id }));
        if let Some(client) = &client {
            event = event
                .target("app", client_id, &client.resource_name)
                .resource(client.resource_id);
        }
        record_event(&mut tx, &event).await?;
    }
    commit(tx).await?;
    Ok(withdrawn)
}
