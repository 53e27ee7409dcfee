//! The public catalog and the access request form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::resource::ResourceKind;
use rules::error::AppError;
use rules::requests::policy::{CustomQuestion, Terms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub slug: String,
    pub name: String,
    pub kind: ResourceKind,
    pub description: String,
}

/// What the request form for one resource asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFormInfo {
    pub resource: CatalogEntry,
    pub questions: Vec<CustomQuestion>,
    pub terms: Option<Terms>,
}

#[server(prefix = "/api", endpoint = "catalog")]
pub async fn list_catalog() -> Result<Vec<CatalogEntry>, AppError> {
    use crate::api::session::app_state;
    let state = app_state()?;
    let catalog = state.store.catalog().await?;
    Ok(catalog.resources.iter().map(catalog_entry).collect())
}

#[cfg(feature = "ssr")]
pub fn catalog_entry(resource: &storage::administration::resources::ResourceRecord) -> CatalogEntry {
    CatalogEntry {
        slug: resource.slug.clone(),
        name: resource.name.clone(),
        kind: ResourceKind::parse(&resource.kind).unwrap_or(ResourceKind::App),
        description: resource.description.clone(),
    }
}

#[server(prefix = "/api", endpoint = "request_form")]
pub async fn request_form(slug: String) -> Result<RequestFormInfo, AppError> {
    use crate::api::session::{app_state, internal};
    use services::requests::submission::{requestable_resource, RequestError};
    let state = app_state()?;
    match requestable_resource(&state.store, &slug).await {
        Ok((resource, policy)) => Ok(RequestFormInfo {
            resource: catalog_entry(&resource),
            questions: policy.questions,
            terms: policy.terms,
        }),
        Err(RequestError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(internal(other)),
    }
}

#[server(prefix = "/api", endpoint = "submit_access_request")]
pub async fn submit_access_request(
    slug: String,
    email: String,
    display_name: String,
    organisation: String,
    justification: String,
    answers: Option<BTreeMap<String, String>>,
    accept_terms: Option<u32>,
) -> Result<(), AppError> {
    use crate::api::session::{app_state, client_ip, internal, mail_context, request_language};
    use rules::error::FieldErrors;
    use rules::requests::access_request::AccessRequestInput;
    use services::requests::submission::{submit_request, RequestError, Submitted};

    let state = app_state()?;
    let answers = answers.unwrap_or_default();
    let mut echo: Vec<(String, String)> = vec![
        ("email".into(), email.clone()),
        ("display_name".into(), display_name.clone()),
        ("organisation".into(), organisation.clone()),
        ("justification".into(), justification.clone()),
    ];
    echo.extend(
        answers
            .iter()
            .map(|(id, answer)| (format!("answers[{id}]"), answer.clone())),
    );
    let input = AccessRequestInput {
        email,
        display_name,
        organisation,
        justification,
        answers,
        accepted_terms_version: accept_terms,
    };
    let typed: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match submit_request(
        &state.store,
        &*state.clock,
        &mail_context(&state),
        &slug,
        input,
        &client_ip(),
        locales::tag(request_language()),
    )
    .await
    {
        Ok(submitted) => {
            let outcome = match submitted {
                Submitted::Received => "received",
                Submitted::Invited => "invited",
            };
            leptos_axum::redirect(&format!("/request/{slug}/sent?outcome={outcome}"));
            Ok(())
        }
        Err(RequestError::Invalid(errors)) => Err(AppError::Invalid(errors.echo(&typed))),
        // A refusal by policy is about the address: a message for the whole form, which keeps
        // everything typed.
        Err(RequestError::Refused(message)) => Err(AppError::Invalid(
            FieldErrors::new().with("form", message).echo(&typed),
        )),
        Err(RequestError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(internal(other)),
    }
}
