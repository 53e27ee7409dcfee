//! The authorization endpoint's decision: send the person back to the app with a code, or with
//! an error, or ask them something first (sign in, a second step, a request for access, consent).

use serde_json::json;
use url::Url;

use super::batched::CodeWrite;
use crate::mfa::requirement::resource_requires_second_factor;
use crate::tokens::new_token;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::oidc::authorize::{
    check_request, too_old, AuthorizeParams, ClientView, Prompt, Refusal, ValidRequest,
};
use rules::oidc::grants::{amr, CODE_SECONDS};
use storage::accounts::sign_ins::SignInRecord;
use storage::oidc::clients::{kept_client, ClientRow};
use storage::oidc::grants::{app_standing, CodeRow};
use storage::{Store, StoreError};

/// What happens next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Back to the app: with a code, or an error it can read.
    ToApp(String),
    /// Portico's own error page (a message code): the app or its address is not known.
    Problem(&'static str),
    /// Sign in first; `again` when the standing sign-in must end first (prompt=login, max_age).
    /// `slug` is the app resource's, for someone new to ask for access.
    SignIn { again: bool, slug: String },
    /// Give a second factor first.
    SecondStep,
    /// The person holds no access to the app yet.
    NoAccess { slug: String, name: String },
    /// The person has not consented to this app yet.
    Consent { client_id: String, name: String },
}

/// The person asking, as the adapter knows them.
pub struct Visitor<'a> {
    pub sign_in: Option<&'a SignInRecord>,
    /// The portal (or an admin) asks a second factor of them that they have not given.
    pub owes_second_factor: bool,
    pub actor: Actor,
}

/// The app's address with the `pairs` that have a value added to its query.
pub(crate) fn back_to(redirect_uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return redirect_uri.to_string();
    };
    let given: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(name, value)| Some((*name, (*value)?)))
        .collect();
    // Only when there is something to add: an empty one would leave a bare `?`.
    if !given.is_empty() {
        url.query_pairs_mut().extend_pairs(given);
    }
    url.to_string()
}

fn error_to_app(request: &ValidRequest, issuer: &str, error: &str, description: &str) -> Outcome {
    Outcome::ToApp(back_to(
        &request.redirect_uri,
        &[
            ("error", Some(error)),
            ("error_description", Some(description)),
            ("state", request.state.as_deref()),
            ("iss", Some(issuer)),
        ],
    ))
}

/// The live app a request names, and the request checked against that app's registration;
/// `None` when no such app is registered (or its resource is archived).
pub(crate) async fn registered_request(
    store: &Store,
    params: &AuthorizeParams,
) -> Result<Option<(ClientRow, Result<ValidRequest, Refusal>)>, StoreError> {
    let client_id = params.client_id.as_deref().unwrap_or_default();
    let Some(client) = kept_client(store, client_id)
        .await?
        .filter(|c| c.archived_at.is_none())
    else {
        return Ok(None);
    };
    let uris = client.redirect_uris();
    let view = ClientView {
        redirect_uris: &uris,
        confidential: client.is_confidential(),
    };
    let checked = check_request(params, &view);
    Ok(Some((client, checked)))
}

pub async fn authorize(
    store: &Store,
    issuer: &str,
    params: &AuthorizeParams,
    visitor: &Visitor<'_>,
    now: Timestamp,
) -> Result<Outcome, StoreError> {
    let (client, checked) = match registered_request(store, params).await? {
        Some(found) => found,
        None => return Ok(Outcome::Problem("unknown_app")),
    };
    let request = match checked {
        Ok(request) => request,
        Err(Refusal::Page(code)) => return Ok(Outcome::Problem(code)),
        Err(Refusal::Back { error, description }) => {
            let state = params.state.as_deref();
            return Ok(Outcome::ToApp(back_to(
                params.redirect_uri.as_deref().unwrap_or_default(),
                &[
                    ("error", Some(error)),
                    ("error_description", Some(description)),
                    ("state", state),
                    ("iss", Some(issuer)),
                ],
            )));
        }
    };
    let silent = request.prompt == Prompt::None;
    let Some(sign_in) = visitor.sign_in else {
        return Ok(if silent {
            error_to_app(&request, issuer, "login_required", "the person is not signed in")
        } else {
            Outcome::SignIn {
                again: false,
                slug: client.resource_slug.clone(),
            }
        });
    };
    if request.prompt == Prompt::Login || too_old(request.max_age, sign_in.signed_in_at, now) {
        return Ok(if silent {
            error_to_app(
                &request,
                issuer,
                "login_required",
                "the sign-in is older than max_age",
            )
        } else {
            Outcome::SignIn {
                again: true,
                slug: client.resource_slug.clone(),
            }
        });
    }
    let owes = visitor.owes_second_factor
        || (sign_in.second_factor.is_none()
            && resource_requires_second_factor(store, client.resource_id).await?);
    if owes {
        return Ok(if silent {
            error_to_app(
                &request,
                issuer,
                "interaction_required",
                "a second sign-in step is required",
            )
        } else {
            Outcome::SecondStep
        });
    }
    let account = &sign_in.account;
    let standing = app_standing(
        store.read(),
        (account.id, client.resource_id, &client.client_id),
        sign_in.signed_in_at,
        now,
    )
    .await?;
    if !standing.member {
        return Ok(if silent {
            error_to_app(
                &request,
                issuer,
                "access_denied",
                "the person has no access to this app",
            )
        } else {
            Outcome::NoAccess {
                slug: client.resource_slug.clone(),
                name: client.resource_name.clone(),
            }
        });
    }
    let asks_consent = !client.is_first_party() && (request.prompt == Prompt::Consent || !standing.consented);
    if asks_consent {
        return Ok(if silent {
            error_to_app(
                &request,
                issuer,
                "consent_required",
                "the person has not consented to this app",
            )
        } else {
            Outcome::Consent {
                client_id: client.client_id.clone(),
                name: client.resource_name.clone(),
            }
        });
    }
    let first = !standing.signed_in_before;
    let code = issue_code(store, &client, &request, (sign_in, &visitor.actor, first), now).await?;
    Ok(Outcome::ToApp(back_to(
        &request.redirect_uri,
        &[
            ("code", Some(&code)),
            ("state", request.state.as_deref()),
            ("iss", Some(issuer)),
        ],
    )))
}

/// A single-use code for the request; the first code of a sign-in for an app is audited.
async fn issue_code(
    store: &Store,
    client: &ClientRow,
    request: &ValidRequest,
    (sign_in, actor, first): (&SignInRecord, &Actor, bool),
    now: Timestamp,
) -> Result<String, StoreError> {
    let code = new_token();
    let row = CodeRow {
        code_hash: code.hash,
        client_id: client.client_id.clone(),
        account_id: sign_in.account.id,
        redirect_uri: request.redirect_uri.clone(),
        scopes: request.scopes.join(" "),
        nonce: request.nonce.clone(),
        code_challenge: request.code_challenge.clone(),
        auth_time: sign_in.signed_in_at,
        amr: amr(sign_in.first_factor, sign_in.second_factor.as_deref()).join(" "),
        expires_at: now + CODE_SECONDS,
        used_at: None,
        grant_id: None,
    };
    let first_sign_in = first.then(|| {
        AuditEvent::new(actor, actions::OIDC_APP_SIGNED_IN, now)
            .target("app", &client.client_id, &client.resource_name)
            .resource(client.resource_id)
            .details(json!({ "client_id": client.client_id }))
    });
    store
        .write_batched(CodeWrite {
            code: row,
            first_sign_in,
        })
        .await?;
    Ok(code.raw)
}

#[cfg(test)]
mod tests {
    use super::back_to;

    #[test]
    fn only_values_given_are_added_to_the_apps_address() {
        assert_eq!(
            back_to("https://crm.example.com/", &[("state", None)]),
            "https://crm.example.com/"
        );
        assert_eq!(
            back_to(
                "https://crm.example.com/cb?tenant=a",
                &[("code", Some("c 1")), ("state", None)]
            ),
            "https://crm.example.com/cb?tenant=a&code=c+1"
        );
    }
}
