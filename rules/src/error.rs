//! The one error type every server function returns, shaped for people: field messages for
//! forms, a sentence for refusals, and nothing from inside the server.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use server_fn::{Bytes, Encodes};

/// Messages by form field name, plus the submitted values worth showing again.
///
/// `values` lets a page without JavaScript refill the form after the redirect back;
/// secrets (passwords, tokens) are never put there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    pub messages: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, field: &str, message: impl Into<String>) -> Self {
        self.add(field, message);
        self
    }

    /// Keeps the first message for a field: it is usually the most basic problem.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.messages
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn message(&self, field: &str) -> Option<&str> {
        self.messages.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Remembers what was typed so the form can show it again.
    pub fn echo(mut self, values: &[(&str, &str)]) -> Self {
        for (field, value) in values {
            self.values.insert((*field).to_string(), (*value).to_string());
        }
        self
    }

    /// The same messages for fields of a nested form value (`email` -> `invite[email]`).
    pub fn prefixed(self, prefix: &str) -> Self {
        let rename = |map: std::collections::BTreeMap<String, String>| {
            map.into_iter()
                .map(|(field, value)| {
                    if field == "form" {
                        (field, value)
                    } else {
                        (format!("{prefix}[{field}]"), value)
                    }
                })
                .collect()
        };
        Self {
            messages: rename(self.messages),
            values: rename(self.values),
        }
    }

    /// Turns validator's report into our messages (each rule carries its own message).
    pub fn from_validation(report: &validator::ValidationErrors) -> Self {
        let mut errors = Self::new();
        for (field, problems) in report.field_errors() {
            if let Some(problem) = problems.first() {
                let message = problem
                    .message
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| format!("Check this value ({}).", problem.code));
                errors.add(field.as_ref(), message);
            }
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input broke a rule; each message belongs next to its field.
    #[error("Please correct the marked fields.")]
    Invalid(FieldErrors),
    /// A refusal meant for the person, not tied to one field.
    #[error("{0}")]
    Refused(String),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this page or action.")]
    Forbidden,
    /// Signed in, but this asks for a second factor the session has not given (step-up).
    #[error("This asks for a second sign-in step.")]
    SecondFactorNeeded,
    #[error("We could not find what you asked for.")]
    NotFound,
    #[error("Too many attempts. Please wait {0} seconds and try again.")]
    Throttled(u64),
    /// Something failed inside the server; the details are in the server log only.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request never got a proper answer (network, decoding).
    #[error("The portal could not be reached. Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::new().with(field, message))
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(errors) => Some(errors),
            _ => None,
        }
    }
}

impl AppError {
    /// The HTTP status that fits the error (server functions otherwise answer every error
    /// with 500, which would count a typo in a form as a server failure).
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::Refused(_) => 409,
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::SecondFactorNeeded => 403,
            AppError::NotFound => 404,
            AppError::Throttled(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }
}

/// What the server does with an error it is about to send as a server function's answer: the
/// adapters install it once; it gives the response the error's own status and returns the
/// error as its reader gets it (message codes worded in the request's language).
static ON_ANSWER: OnceLock<fn(&AppError) -> AppError> = OnceLock::new();

/// Installs the hook that sees every server-function error as it is sent; the first one stays.
pub fn on_answer(hook: fn(&AppError) -> AppError) {
    let _ = ON_ANSWER.set(hook);
}

impl AppError {
    /// The same error with every message put through `word` (field messages and a refusal).
    pub fn worded(&self, word: impl Fn(&str) -> String) -> AppError {
        match self {
            AppError::Invalid(errors) => AppError::Invalid(FieldErrors {
                messages: errors
                    .messages
                    .iter()
                    .map(|(field, m)| (field.clone(), word(m)))
                    .collect(),
                values: errors.values.clone(),
            }),
            AppError::Refused(text) => AppError::Refused(word(text)),
            other => other.clone(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }

    /// Server functions encode their error here, on the server, just before they answer:
    /// the one moment the error and the response meet, so the status is set here.
    fn ser(&self) -> Bytes {
        let answered = ON_ANSWER.get().map(|hook| hook(self));
        JsonEncoding::encode(answered.as_ref().unwrap_or(self)).unwrap_or_else(|problem| {
            let fallback = AppError::Transport(problem.to_string());
            JsonEncoding::encode(&fallback).expect("an error of plain strings always encodes")
        })
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_message_for_a_field_is_kept() {
        let errors = FieldErrors::new()
            .with("email", "@enter_email_address_2")
            .with("email", "Second message");
        assert_eq!(errors.message("email"), Some("@enter_email_address_2"));
    }

    #[test]
    fn internal_error_text_says_nothing_about_internals() {
        let text = AppError::Internal.to_string();
        assert!(!text.to_lowercase().contains("sql"));
        assert!(text.contains("Something went wrong"));
    }
}
