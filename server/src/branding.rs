//! The portal's look over HTTP: the accent colour as a style sheet, the logo, and the logo's
//! upload (a plain multipart form, so it works without JavaScript).

use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

use app::api::session::{record_refusal, signed_in_account};
use app::state::{AppState, ClientIp};
use rules::administration::branding::accent_css;
use rules::audit::event::Actor;
use services::administration::portal_settings::{save_logo, LogoProblem, LOGO_MAX_BYTES};
use storage::administration::portal_settings::load_logo;

/// `GET /branding.css`: revalidated on every page (cheap: a 304 while the colour stands).
pub async fn branding_css(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let css = accent_css(&state.look.get().branding.accent);
    let etag = format!("\"{}\"", &services::tokens::hash_token(&css)[..16]);
    let headers_out = [
        (header::CONTENT_TYPE, "text/css; charset=utf-8".to_string()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
        (header::ETAG, etag.clone()),
    ];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, headers_out).into_response();
    }
    (headers_out, css).into_response()
}

/// `GET /branding/logo`: the uploaded image, with the type it was recognised as.
pub async fn logo(State(state): State<AppState>) -> Response {
    match load_logo(state.store.read()).await {
        Ok(Some(logo)) => {
            let mut response = Response::new(Body::from(logo.bytes));
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&logo.content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            // The address carries the version (`?v=`), so a new logo is a new address.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            response
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "logo could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /admin/settings/logo`: admins only; the file is checked by its bytes.
pub async fn upload_logo(
    State(state): State<AppState>,
    session: Session,
    client_ip: Option<Extension<ClientIp>>,
    multipart: Multipart,
) -> Response {
    let back_with =
        |code: &str| Redirect::to(&format!("/admin/settings?logo_error={code}#logo")).into_response();
    let ip = client_ip.map(|Extension(ip)| ip.0).unwrap_or_default();
    let account = match signed_in_account(&state, &session).await {
        Ok(Some(account)) => account,
        Ok(None) => return Redirect::to("/sign-in?next=/admin/settings").into_response(),
        Err(error) => {
            tracing::error!(%error, "logo upload: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let actor = Actor::account(account.id, &account.email, &ip);
    if !account.is_admin() {
        record_refusal(&state, &actor, "admin area").await;
        return (StatusCode::FORBIDDEN, "@only_admins_change_portal").into_response();
    }
    let bytes = match read_image(multipart).await {
        Ok(bytes) => bytes,
        Err(problem) => return back_with(problem.code()),
    };
    match save_logo(&state.store, &state.look, &actor, &bytes, state.clock.now()).await {
        Ok(Ok(())) => Redirect::to("/admin/settings?saved=logo#logo").into_response(),
        Ok(Err(problem)) => back_with(problem.code()),
        Err(error) => {
            tracing::error!(%error, "logo upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn read_image(mut multipart: Multipart) -> Result<Vec<u8>, LogoProblem> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("logo") {
            continue;
        }
        let bytes = field.bytes().await.map_err(|_| LogoProblem::TooLarge)?;
        if bytes.len() > LOGO_MAX_BYTES {
            return Err(LogoProblem::TooLarge);
        }
        return Ok(bytes.to_vec());
    }
    Err(LogoProblem::Empty)
}
