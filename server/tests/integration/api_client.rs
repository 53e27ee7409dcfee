//! A program calling the JSON API with a bearer token, and the admin making that token.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::Value;

use crate::support::{Browser, Reply, TestPortal};

/// Every scope a token can have.
pub const ALL_SCOPES: &[&str] = rules::integrations::api_token::SCOPES;

/// Makes an API token through the admin page's server functions; returns the bearer value.
pub async fn make_token(admin: &mut Browser<'_>, name: &str, scopes: &[&str]) -> String {
    let mut form: Vec<(String, String)> = vec![
        ("token[name]".into(), name.into()),
        ("token[expires_on]".into(), String::new()),
    ];
    for (i, scope) in scopes.iter().enumerate() {
        form.push((format!("token[scopes][{i}]"), scope.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let made = admin.call("/api/create_api_token", &pairs).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let page = admin.call("/api/admin_api_tokens", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page: Value = serde_json::from_str(&page.body).expect("json");
    let bearer = page["just_made"][1]
        .as_str()
        .expect("the new token is shown once")
        .to_string();
    assert!(bearer.starts_with("ptk_"), "{bearer}");
    // Shown once: the next look no longer has it.
    let again = admin.call("/api/admin_api_tokens", &[]).await;
    assert!(!again.body.contains(&bearer), "the token is shown only once");
    bearer
}

/// An API client holding one token (or none).
pub struct Api<'a> {
    pub portal: &'a TestPortal,
    pub token: Option<String>,
    /// The client's address.
    pub ip: [u8; 4],
}

/// An API answer: status, JSON body and the raw reply.
pub struct Answer {
    pub status: StatusCode,
    pub json: Value,
    pub reply: Reply,
}

impl Answer {
    /// The error code and field of an error answer.
    pub fn error(&self) -> (&str, Option<&str>) {
        (
            self.json["error"]["code"]
                .as_str()
                .unwrap_or_else(|| panic!("not an API error: {}", self.reply.body)),
            self.json["error"]["field"].as_str(),
        )
    }
}

impl<'a> Api<'a> {
    pub fn new(portal: &'a TestPortal, token: &str) -> Self {
        Self {
            portal,
            token: Some(token.to_string()),
            ip: [198, 51, 100, 7],
        }
    }

    /// A client without a token.
    pub fn anonymous(portal: &'a TestPortal) -> Self {
        Self {
            portal,
            token: None,
            ip: [198, 51, 100, 7],
        }
    }

    /// The same client calling from another address.
    pub fn from(mut self, ip: [u8; 4]) -> Self {
        self.ip = ip;
        self
    }

    pub async fn raw(&self, method: Method, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Answer {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .extension(ConnectInfo(std::net::SocketAddr::from((self.ip, 40_000))));
        if let Some(token) = &self.token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let reply = self
            .portal
            .send(builder.body(Body::from(body)).expect("request"))
            .await;
        let json = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        Answer {
            status: reply.status,
            json,
            reply,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.raw(Method::GET, path, None, Vec::new()).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.raw(
            Method::POST,
            path,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }
}
