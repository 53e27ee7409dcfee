//! An app's registration with Portico's OpenID Provider, as its admin describes it: the form's
//! rules (redirect addresses, the kind of client, what the app may learn about a person).

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// The most redirect addresses of each kind one app may register.
pub const MAX_URIS: usize = 10;
pub const URI_MAX_CHARS: usize = 500;

/// What an app may be told about a person beyond who they are (`sub`), as scopes and claims.
pub const CLAIM_CHOICES: [&str; 4] = ["email", "name", "organisation", "groups"];

/// The form as typed: addresses one per line, the claims as chosen boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientForm {
    pub redirect_uris: String,
    pub post_logout_uris: String,
    pub sign_in_url: String,
    /// A confidential client has a secret (a server-side app); a public one (a single-page or
    /// native app) has none and must use PKCE.
    pub confidential: bool,
    /// The organisation's own app: people are not asked to consent.
    pub first_party: bool,
    pub claims: Vec<String>,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSettings {
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub sign_in_url: String,
    pub confidential: bool,
    pub first_party: bool,
    pub claims: Vec<String>,
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(host)) => host == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An address Portico may send a person back to: absolute, https (or http on this machine's
/// loopback, for apps in development), no fragment, no user name. Compared exactly, later.
pub fn check_redirect_uri(raw: &str) -> Result<(), String> {
    if raw.chars().count() > URI_MAX_CHARS {
        return Err(crate::message::with(
            "too_long",
            &[("max", &URI_MAX_CHARS.to_string())],
        ));
    }
    let not_an_address = || crate::message::with("not_an_app_address", &[("entry", raw)]);
    let url = url::Url::parse(raw).map_err(|_| not_an_address())?;
    if url.fragment().is_some() || !url.username().is_empty() || url.host().is_none() {
        return Err(not_an_address());
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        _ => Err(crate::message::with("app_address_needs_https", &[("entry", raw)])),
    }
}

/// Addresses one per line (or separated by spaces), each once.
pub fn parse_uris(raw: &str) -> Result<Vec<String>, String> {
    let mut uris: Vec<String> = Vec::new();
    for entry in raw.split_whitespace() {
        check_redirect_uri(entry)?;
        if !uris.iter().any(|u| u == entry) {
            uris.push(entry.to_string());
        }
    }
    if uris.len() > MAX_URIS {
        return Err(crate::message::with(
            "too_many_addresses",
            &[("max", &MAX_URIS.to_string())],
        ));
    }
    Ok(uris)
}

impl ClientForm {
    /// Every problem at once, beside its field.
    pub fn check(&self) -> Result<ClientSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let redirect_uris = match parse_uris(&self.redirect_uris) {
            Ok(uris) if uris.is_empty() => {
                errors.add("redirect_uris", "@enter_redirect_uri");
                Vec::new()
            }
            Ok(uris) => uris,
            Err(problem) => {
                errors.add("redirect_uris", problem);
                Vec::new()
            }
        };
        let post_logout_uris = parse_uris(&self.post_logout_uris).unwrap_or_else(|problem| {
            errors.add("post_logout_uris", problem);
            Vec::new()
        });
        let sign_in_url = self.sign_in_url.trim().to_string();
        if sign_in_url.is_empty() {
            errors.add("sign_in_url", "@enter_app_sign_in_url");
        } else if let Err(problem) = check_redirect_uri(&sign_in_url) {
            errors.add("sign_in_url", problem);
        }
        let mut claims: Vec<String> = Vec::new();
        for claim in &self.claims {
            if !CLAIM_CHOICES.contains(&claim.as_str()) {
                errors.add("claims", "@unknown_claim");
            } else if !claims.contains(claim) {
                claims.push(claim.clone());
            }
        }
        if !errors.is_empty() {
            return Err(errors.echo(&[
                ("redirect_uris", &self.redirect_uris),
                ("post_logout_uris", &self.post_logout_uris),
                ("sign_in_url", &self.sign_in_url),
            ]));
        }
        Ok(ClientSettings {
            redirect_uris,
            post_logout_uris,
            sign_in_url,
            confidential: self.confidential,
            first_party: self.first_party,
            claims,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::english;

    fn form() -> ClientForm {
        ClientForm {
            redirect_uris: "https://crm.example.com/callback\nhttp://127.0.0.1:8080/cb".into(),
            post_logout_uris: String::new(),
            sign_in_url: "https://crm.example.com/login".into(),
            confidential: true,
            first_party: true,
            claims: vec!["email".into(), "groups".into(), "email".into()],
        }
    }

    #[test]
    fn https_or_loopback_addresses_are_registered_once_each() {
        let settings = form().check().expect("valid");
        assert_eq!(settings.redirect_uris.len(), 2);
        assert_eq!(settings.claims, vec!["email", "groups"]);
        assert!(check_redirect_uri("http://localhost:3000/cb").is_ok());
        assert!(check_redirect_uri("http://[::1]:3000/cb").is_ok());
    }

    #[test]
    fn unsafe_addresses_are_refused_by_name() {
        for (raw, expected) in [
            ("http://crm.example.com/cb", "must use https"),
            ("https://crm.example.com/cb#top", "is not a web address"),
            ("https://ann@crm.example.com/cb", "is not a web address"),
            ("/callback", "is not a web address"),
            ("javascript:alert(1)", "is not a web address"),
        ] {
            let problem = check_redirect_uri(raw).expect_err(raw);
            assert!(
                english(Some(&problem)).contains(expected),
                "{raw}: {}",
                english(Some(&problem))
            );
        }
    }

    #[test]
    fn every_field_says_what_is_wrong_and_keeps_what_was_typed() {
        let mut bad = form();
        bad.redirect_uris = " ".into();
        bad.sign_in_url = "ftp://crm.example.com".into();
        bad.claims = vec!["password".into()];
        let errors = bad.check().expect_err("invalid");
        assert_eq!(errors.message("redirect_uris"), Some("@enter_redirect_uri"));
        assert!(errors.message("sign_in_url").is_some());
        assert_eq!(errors.message("claims"), Some("@unknown_claim"));
        assert_eq!(
            errors.values.get("sign_in_url").map(String::as_str),
            Some("ftp://crm.example.com")
        );
        let many: Vec<String> = (0..11).map(|i| format!("https://crm.example.com/{i}")).collect();
        assert!(parse_uris(&many.join("\n")).is_err());
    }
}
