//! Caps request bodies: a declared length over the cap is refused at once with 413 and a
//! readable message; bodies without a declared length are cut off by tower-http's limit.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use app::error::AppError;

use super::{accepts_html, refusal};

#[derive(Debug, Clone, Copy)]
pub struct MaxBodyBytes(pub u64);

pub async fn refuse_oversized_body(
    State(max): State<MaxBodyBytes>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max.0) {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Refused(format!(
                "What you sent is larger than the portal accepts ({} KiB at most). Shorten it and try again.",
                max.0 / 1024
            )),
            "Too large",
            accepts_html(request.headers()),
        );
    }
    next.run(request).await
}
