//! The authorization request (OpenID Connect Core 1.0, 3.1.2.1) as the provider checks it before
//! anyone is asked anything: which refusals may go back to the app and which may not.

use serde::{Deserialize, Serialize};

/// The request's parameters as they came (query or form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
}

impl AuthorizeParams {
    /// The parameters of a query string (with or without its `?`); the first of a repeated one.
    pub fn from_query(query: &str) -> Self {
        let mut fields = serde_json::Map::new();
        for (name, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            fields
                .entry(name.into_owned())
                .or_insert_with(|| serde_json::Value::String(value.into_owned()));
        }
        serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default()
    }
}

/// What the registration says that matters here.
pub struct ClientView<'a> {
    pub redirect_uris: &'a [String],
    pub confidential: bool,
}

/// How the person is to be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// As needed: sign in if not signed in, consent if not given.
    AsNeeded,
    /// Never show a page: answer at once, or with an error.
    None,
    /// Sign in again even when signed in.
    Login,
    /// Ask for consent again.
    Consent,
}

/// A request fit to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub code_challenge: Option<String>,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The app or its address is not known: never sent anywhere, shown on Portico's own page
    /// (the message code says which).
    Page(&'static str),
    /// Sent back to the app's registered address as `error` (RFC 6749, 4.1.2.1).
    Back {
        error: &'static str,
        description: &'static str,
    },
}

fn back(error: &'static str, description: &'static str) -> Refusal {
    Refusal::Back { error, description }
}

/// The longest `state` or `nonce` kept.
pub const VALUE_MAX_CHARS: usize = 512;

fn is_pkce_challenge(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks the redirect address first (nothing is sent to an address that is not registered),
/// then the rest, whose problems go back to the app.
pub fn check_request(params: &AuthorizeParams, client: &ClientView) -> Result<ValidRequest, Refusal> {
    let redirect_uri = params
        .redirect_uri
        .as_deref()
        .filter(|uri| client.redirect_uris.iter().any(|known| known == uri))
        .ok_or(Refusal::Page("app_address_not_registered"))?
        .to_string();
    if params.request.is_some() {
        return Err(back("request_not_supported", "request objects are not supported"));
    }
    if params.request_uri.is_some() {
        return Err(back("request_uri_not_supported", "request_uri is not supported"));
    }
    match params.response_type.as_deref() {
        Some("code") => {}
        None => return Err(back("invalid_request", "response_type is missing")),
        Some(_) => {
            return Err(back(
                "unsupported_response_type",
                "only the code flow is supported",
            ))
        }
    }
    let scopes: Vec<String> = params
        .scope
        .as_deref()
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        return Err(back("invalid_scope", "the openid scope is required"));
    }
    let too_long = |v: &Option<String>| v.as_ref().is_some_and(|v| v.chars().count() > VALUE_MAX_CHARS);
    if too_long(&params.state) || too_long(&params.nonce) {
        return Err(back("invalid_request", "state or nonce is too long"));
    }
    let prompt = read_prompt(params.prompt.as_deref())?;
    let max_age = match params.max_age.as_deref() {
        None => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|age| *age >= 0)
                .ok_or_else(|| back("invalid_request", "max_age must be a number of seconds"))?,
        ),
    };
    let code_challenge = check_pkce(params, client)?;
    Ok(ValidRequest {
        redirect_uri,
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone(),
        prompt,
        max_age,
        code_challenge,
    })
}

fn read_prompt(raw: Option<&str>) -> Result<Prompt, Refusal> {
    let values: Vec<&str> = raw
        .unwrap_or_default()
        .split(' ')
        .filter(|v| !v.is_empty())
        .collect();
    if values.contains(&"none") {
        return if values.len() == 1 {
            Ok(Prompt::None)
        } else {
            Err(back("invalid_request", "prompt=none stands alone"))
        };
    }
    Ok(if values.contains(&"login") {
        Prompt::Login
    } else if values.contains(&"consent") {
        Prompt::Consent
    } else {
        Prompt::AsNeeded
    })
}

/// PKCE (RFC 7636) with S256 only; a public client must use it.
fn check_pkce(params: &AuthorizeParams, client: &ClientView) -> Result<Option<String>, Refusal> {
    match (
        params.code_challenge.as_deref(),
        params.code_challenge_method.as_deref(),
    ) {
        (None, _) if !client.confidential => Err(back("invalid_request", "a public client must use PKCE")),
        (None, _) => Ok(None),
        (Some(_), Some(method)) if method != "S256" => Err(back(
            "invalid_request",
            "only the S256 code challenge method is supported",
        )),
        (Some(_), None) => Err(back("invalid_request", "code_challenge_method=S256 is required")),
        (Some(challenge), Some(_)) if !is_pkce_challenge(challenge) => {
            Err(back("invalid_request", "code_challenge is not a S256 challenge"))
        }
        (Some(challenge), Some(_)) => Ok(Some(challenge.to_string())),
    }
}

/// Whether a sign-in made at `signed_in_at` is too old for the request's `max_age`.
pub fn too_old(max_age: Option<i64>, signed_in_at: i64, now: i64) -> bool {
    max_age.is_some_and(|age| now - signed_in_at > age)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn params() -> AuthorizeParams {
        AuthorizeParams {
            client_id: Some("crm".into()),
            redirect_uri: Some("https://crm.example.com/cb".into()),
            response_type: Some("code".into()),
            scope: Some("openid email".into()),
            state: Some("s1".into()),
            nonce: Some("n1".into()),
            ..AuthorizeParams::default()
        }
    }

    fn check(params: &AuthorizeParams, confidential: bool) -> Result<ValidRequest, Refusal> {
        let uris = ["https://crm.example.com/cb".to_string()];
        check_request(
            params,
            &ClientView {
                redirect_uris: &uris,
                confidential,
            },
        )
    }

    fn error_of(result: Result<ValidRequest, Refusal>) -> &'static str {
        match result {
            Err(Refusal::Back { error, .. }) => error,
            other => panic!("expected an error for the app, got {other:?}"),
        }
    }

    #[test]
    fn a_plain_request_goes_on_with_its_state_and_nonce() {
        let valid = check(&params(), true).expect("valid");
        assert_eq!(valid.scopes, vec!["openid", "email"]);
        assert_eq!(
            (valid.state.as_deref(), valid.nonce.as_deref()),
            (Some("s1"), Some("n1"))
        );
        assert_eq!(valid.prompt, Prompt::AsNeeded);
    }

    #[test]
    fn an_unregistered_address_is_never_sent_an_answer() {
        for uri in [
            None,
            Some("https://crm.example.com/cb/"),
            Some("https://evil.example/cb"),
        ] {
            let mut p = params();
            p.redirect_uri = uri.map(str::to_string);
            p.response_type = Some("token".into());
            assert_eq!(check(&p, true), Err(Refusal::Page("app_address_not_registered")));
        }
    }

    #[test]
    fn protocol_mistakes_go_back_to_the_app_by_their_names() {
        let mut p = params();
        p.response_type = Some("token".into());
        assert_eq!(error_of(check(&p, true)), "unsupported_response_type");
        let mut p = params();
        p.scope = Some("email".into());
        assert_eq!(error_of(check(&p, true)), "invalid_scope");
        let mut p = params();
        p.prompt = Some("none login".into());
        assert_eq!(error_of(check(&p, true)), "invalid_request");
        let mut p = params();
        p.max_age = Some("-1".into());
        assert_eq!(error_of(check(&p, true)), "invalid_request");
        let mut p = params();
        p.request = Some("eyJ".into());
        assert_eq!(error_of(check(&p, true)), "request_not_supported");
    }

    #[test]
    fn public_clients_must_use_s256_pkce() {
        assert_eq!(error_of(check(&params(), false)), "invalid_request");
        let mut p = params();
        p.code_challenge = Some(CHALLENGE.into());
        p.code_challenge_method = Some("plain".into());
        assert_eq!(error_of(check(&p, false)), "invalid_request");
        p.code_challenge_method = Some("S256".into());
        assert_eq!(
            check(&p, false).expect("valid").code_challenge.as_deref(),
            Some(CHALLENGE)
        );
    }

    #[test]
    fn a_query_string_is_read_into_the_parameters() {
        let read =
            AuthorizeParams::from_query("?client_id=crm&scope=openid+email&state=a%26b&client_id=other");
        assert_eq!(read.client_id.as_deref(), Some("crm"));
        assert_eq!(read.scope.as_deref(), Some("openid email"));
        assert_eq!(read.state.as_deref(), Some("a&b"));
        assert_eq!(AuthorizeParams::from_query(""), AuthorizeParams::default());
    }

    #[test]
    fn prompts_and_ages_are_read() {
        let mut p = params();
        p.prompt = Some("login consent".into());
        p.max_age = Some("300".into());
        let valid = check(&p, true).expect("valid");
        assert_eq!((valid.prompt, valid.max_age), (Prompt::Login, Some(300)));
        assert!(too_old(Some(300), 1000, 1301));
        assert!(!too_old(Some(300), 1000, 1300));
        assert!(!too_old(None, 0, 1_000_000));
    }
}
