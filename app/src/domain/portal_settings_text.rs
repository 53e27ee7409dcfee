//! What the settings pages say about a refused logo (shared with the browser; the service
//! that refuses it runs on the server only).

/// The message for a `logo_error` code in the address.
pub fn logo_problem_message(code: &str) -> &'static str {
    match code {
        "empty" => "Choose an image file to upload.",
        "too_large" => "The logo may be at most 256 KB.",
        _ => "Upload a PNG, JPEG, GIF or WebP image (SVG is not accepted: it can carry scripts).",
    }
}
