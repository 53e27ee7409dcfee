//! Caps request bodies: a declared length over the cap is refused at once with 413 and a
//! readable message; bodies without a declared length are cut off at the cap while read.
//! Bulk invite lists (up to 1,000 rows) and the logo upload get larger caps of their own;
//! nothing else does.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::Response;
use http_body_util::Limited;

use rules::error::AppError;

use super::refusal;

/// The cap for bulk invite lists: 1,000 rows of the longest email, name and message, encoded.
pub const BULK_LIST_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The cap for a logo upload: the largest logo and the form around it.
pub const LOGO_UPLOAD_MAX_BYTES: u64 = 320 * 1024;

/// The paths that carry a bulk invite list.
fn carries_bulk_list(path: &str) -> bool {
    path == "/api/prepare_bulk_invite" || (path.starts_with("/resources/") && path.ends_with("/bulk/upload"))
}

/// Caps the request's body at `max` bytes (or its path's larger cap); the refusal when it
/// declares more.
pub fn cap_body(request: &mut Request, max: u64) -> Option<Response> {
    let path = request.uri().path();
    let cap = if carries_bulk_list(path) {
        BULK_LIST_MAX_BYTES.max(max)
    } else if path == "/admin/settings/logo" {
        LOGO_UPLOAD_MAX_BYTES.max(max)
    } else {
        max
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > cap) {
        return Some(refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Refused(rules::message::with(
                "body_too_large",
                &[("kib", &(cap / 1024).to_string())],
            )),
            request,
        ));
    }
    let limit = usize::try_from(cap).unwrap_or(usize::MAX);
    let body = std::mem::take(request.body_mut());
    *request.body_mut() = Body::new(Limited::new(body, limit));
    None
}
