//! The OpenAPI 3.1 document, generated from the handlers' annotations and the types they use.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{invitations, memberships, requests, resources};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico API",
        version = "1",
        description = "Invite partners, decide access requests and ask who may use a resource. \
            Every call needs an API token (`Authorization: Bearer ptk_...`) made by an admin on \
            the portal's API tokens page; the token acts as that admin, within its scopes. \
            Errors always have the shape `{\"error\": {\"code\", \"message\", \"field\"}}`. \
            Times are Unix seconds (UTC)."
    ),
    paths(
        resources::list_resources,
        resources::get_resource,
        invitations::list_invitations,
        invitations::create_invitation,
        invitations::get_invitation,
        invitations::resend,
        invitations::revoke,
        requests::list_requests,
        requests::get_request,
        requests::decide_request,
        memberships::list_memberships,
        memberships::check_membership,
    ),
    modifiers(&TokenSecurity, &SpokenLanguages),
    tags(
        (name = "Invitations", description = "Invite partners; the same rules as the browser."),
        (name = "Requests", description = "Access requests and their decisions."),
        (name = "Memberships", description = "Who may use what, now."),
        (name = "Resources", description = "The apps and groups partners are given access to."),
    )
)]
pub struct ApiDoc;

struct TokenSecurity;

impl Modify for TokenSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("ptk_...")
                    .description(Some("An API token from the portal's API tokens page."))
                    .build(),
            ),
        );
    }
}

/// `message_language` takes exactly the languages Portico speaks, whatever they are today (a new
/// language is a folder of catalogues, not a change here).
struct SpokenLanguages;

impl Modify for SpokenLanguages {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(Schema::Object(invitation))) = components.schemas.get_mut("NewInvitation") else {
            return;
        };
        if let Some(RefOr::T(Schema::Object(language))) = invitation.properties.get_mut("message_language") {
            let mut values: Vec<serde_json::Value> =
                locales::tags().iter().map(|tag| (*tag).into()).collect();
            values.push(serde_json::Value::Null);
            language.enum_values = Some(values);
        }
    }
}

/// The document as JSON, built once.
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_string())
    })
}

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document_json())
}
