//! `POST /resources/{id}/bulk/upload`: a CSV file of partners for one resource, sent as a
//! plain multipart form (it works without JavaScript). The file goes through the same check as
//! a pasted list; the owner lands on its report, or back on the form with the reason.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

use app::api::session::{mail_context, record_refusal, signed_in_account};
use app::state::{AppState, ClientIp};
use rules::audit::event::Actor;
use services::invitations::bulk::rows::ListProblem;
use services::invitations::bulk::{prepare_batch, BulkList};
use services::invitations::owner_tools::{Acting, OwnerError};

pub async fn upload_bulk_list(
    State(state): State<AppState>,
    session: Session,
    client_ip: Option<Extension<ClientIp>>,
    Path(resource_id): Path<i64>,
    multipart: Multipart,
) -> Response {
    let form = format!("/resources/{resource_id}/bulk");
    let back_with = |code: &str| Redirect::to(&format!("{form}?upload_error={code}")).into_response();
    let ip = client_ip.map(|Extension(ip)| ip.0).unwrap_or_default();
    let account = match signed_in_account(&state, &session).await {
        Ok(Some(account)) => account,
        Ok(None) => return Redirect::to(&format!("/sign-in?next={form}")).into_response(),
        Err(error) => {
            tracing::error!(%error, "bulk upload: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let (file_name, text, language) = match read_form(multipart).await {
        Ok(form) => form,
        Err(problem) => return back_with(problem.code()),
    };
    let actor = Actor::account(account.id, &account.email, &ip);
    let acting = Acting {
        account: &account,
        actor: &actor,
        mail: &mail_context(&state),
        now: state.clock.now(),
    };
    let list = BulkList {
        origin: &file_name,
        text: &text,
        language: &language,
    };
    match prepare_batch(&state.store, &acting, resource_id, &list).await {
        Ok(batch) => Redirect::to(&format!("{form}/{batch}")).into_response(),
        Err(OwnerError::List(problem)) => back_with(problem.code()),
        Err(OwnerError::Refused(_)) => back_with("archived"),
        Err(OwnerError::NotOwner) => {
            record_refusal(&state, &actor, &format!("resource {resource_id}")).await;
            (StatusCode::FORBIDDEN, "@you_do_not_own").into_response()
        }
        Err(OwnerError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        // The one field of this form a service checks is the language (a list's own problems
        // are ListProblems).
        Err(OwnerError::Invalid(_)) => back_with("language"),
        Err(OwnerError::Store(error)) => {
            tracing::error!(%error, "bulk upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The `file` field (its name and its text) and the `language` field (empty when left out).
/// A missing or empty file is an empty list.
async fn read_form(mut multipart: Multipart) -> Result<(String, String, String), ListProblem> {
    let mut file = None;
    let mut language = String::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("uploaded file").to_string();
                let bytes = field.bytes().await.map_err(|_| ListProblem::TooMany)?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| ListProblem::NotText)?;
                file = Some((name, text.trim_start_matches('\u{feff}').to_string()));
            }
            Some("language") => {
                let text = field.text().await.map_err(|_| ListProblem::NotText)?;
                language = text.chars().take(35).collect();
            }
            _ => {}
        }
    }
    let (name, text) = file.ok_or(ListProblem::Empty)?;
    Ok((name, text, language))
}
