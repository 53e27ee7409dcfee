//! The API's one error shape, `{"error": {"code", "message", "field"}}`, its status codes, and
//! extractors that answer malformed input in that shape instead of axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;

use rules::error::FieldErrors;
use services::invitations::owner_tools::OwnerError;
use storage::StoreError;

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;

/// What went wrong, for programs: a stable `code`, a sentence for people, and the input field
/// it concerns when there is one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// For example `invalid_input`, `unauthenticated`, `missing_scope`, `not_found`, `conflict`.
    pub code: String,
    pub message: String,
    /// The input field (body property or query parameter) the error concerns.
    pub field: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorDetail,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
                field: None,
            },
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &str) -> Self {
        self.body.field = Some(field.to_string());
        self
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_input", message).field(field)
    }

    /// The first of the field messages (fields are sorted by name; each has its own message).
    /// `rename` maps the service's field names to the API's.
    pub fn from_fields(errors: &FieldErrors, rename: &[(&str, &str)]) -> Self {
        match errors.messages.iter().next() {
            Some((field, message)) => {
                let field = rename
                    .iter()
                    .find(|(from, _)| from == field)
                    .map_or(field.as_str(), |(_, to)| to);
                Self::invalid(field, message.clone())
            }
            None => Self::new(StatusCode::BAD_REQUEST, "invalid_input", "@input_not_valid"),
        }
    }

    pub fn unauthenticated(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    pub fn forbidden(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    /// `what`: the kind of object, `invitation`, `request`, `resource` or `membership` (worded
    /// in the caller's language through its `thing_` message).
    pub fn not_found(what: &str) -> Self {
        let thing = format!("@thing_{what}");
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            rules::message::with("no_such_id", &[("what", &thing)]),
        )
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn throttled(seconds: u64) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            rules::message::with("api_throttled", &[("count", &seconds.to_string())]),
        );
        error.retry_after = Some(seconds);
        error
    }

    pub fn too_large(max_bytes: u64) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            rules::message::with("body_too_large", &[("kib", &(max_bytes / 1024).to_string())]),
        )
    }

    /// A failure inside the server: logged here, never described to the caller.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "API call failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "@something_went_wrong_on",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::internal(error)
    }
}

impl ApiError {
    /// An owner service's refusal; `what` names the object for a 404.
    pub fn from_owner(error: OwnerError, what: &str, rename: &[(&str, &str)]) -> Self {
        match error {
            OwnerError::NotFound => ApiError::not_found(what),
            OwnerError::NotOwner => ApiError::forbidden("forbidden", "@token_s_owner_may"),
            OwnerError::Invalid(errors) => ApiError::from_fields(&errors, rename),
            OwnerError::Refused(message) => ApiError::conflict(message),
            OwnerError::List(problem) => ApiError::invalid("rows", problem.message()),
            OwnerError::Store(error) => ApiError::internal(error),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.body };
        let mut response = (self.status, Json(body.clone())).into_response();
        // Its message may be a code: rest::word_errors words it in the caller's language.
        response.extensions_mut().insert(body);
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A JSON body; malformed JSON is a 400, JSON of the wrong shape a 422, both in the API's shape.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(error) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            rules::message::with("body_fields", &[("detail", &error.body_text())]),
        ),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "@body_not_valid_json")
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "@send_body_as_json",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(MAX_BODY_BYTES),
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            "unreadable_body",
            rules::message::with("body_unreadable", &[("detail", &other.body_text())]),
        ),
    }
}

/// Query parameters; a value of the wrong type is a 400 naming the parameter where it can.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let reader = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize::<_, T>(reader)
            .map(ApiQuery)
            .map_err(|error| {
                let message = error.inner().to_string();
                // The path names the parameter; a missing one is named in the message only.
                let field = match error.path().to_string() {
                    path if path != "." => path,
                    _ => message
                        .split('`')
                        .nth(1)
                        .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or("query")
                        .to_string(),
                };
                ApiError::invalid(
                    &field,
                    rules::message::with("query_parameter", &[("field", &field), ("detail", &message)]),
                )
            })
    }
}

/// A path id; anything but a positive whole number is a 400.
pub struct ApiId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let bad = || ApiError::invalid("id", "@id_address_must_positive");
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(text)) => text
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(ApiId)
                .ok_or_else(bad),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(bad()),
            Err(other) => Err(ApiError::internal(other.body_text())),
        }
    }
}

/// A whole number in a JSON body. JSON Schema counts `287.0` as an integer, so it is read as
/// 287; `287.5` and numbers beyond `i64` are refused.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    if let Some(whole) = number.as_i64() {
        return Ok(whole);
    }
    match number.as_f64() {
        Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => Ok(f as i64),
        _ => Err(serde::de::Error::custom(format!(
            "expected a whole number, got {number}"
        ))),
    }
}
