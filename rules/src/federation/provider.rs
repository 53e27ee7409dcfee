//! An identity provider as an admin describes it: the form's rules.

use serde::{Deserialize, Serialize};

use crate::email::normalise_domain;
use crate::error::FieldErrors;
use crate::validation::check_one_line;

pub const NAME_MAX_CHARS: usize = 80;
pub const CLIENT_ID_MAX_CHARS: usize = 255;
pub const SECRET_MAX_CHARS: usize = 1024;
pub const MAX_DOMAINS: usize = 50;

/// The form as typed. `client_secret` may be empty when editing: the stored one stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderForm {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: String,
    pub domains: String,
    pub trust_email: bool,
    pub trust_mfa: bool,
    pub mfa_acr: String,
}

/// A checked provider: the issuer as given (ID tokens must carry exactly it), the scopes with
/// `openid` first, the domains lowercased and in ASCII.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSettings {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    /// `None`: keep the stored secret.
    pub client_secret: Option<String>,
    pub scopes: Vec<String>,
    pub domains: Vec<String>,
    pub trust_email: bool,
    pub trust_mfa: bool,
    pub mfa_acr: String,
}

/// Whether plain-http issuers on this machine are allowed (tests and development only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IssuerPolicy {
    pub allow_http_loopback: bool,
}

/// An issuer must be an https URL without query or fragment; plain http only on loopback and
/// only when the configuration allows it.
pub fn check_issuer(raw: &str, policy: IssuerPolicy) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("@enter_issuer".into());
    }
    let url = url::Url::parse(raw).map_err(|_| "@issuer_not_a_url".to_string())?;
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err("@issuer_no_query".into());
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(host)) => host == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err("@issuer_not_a_url".into()),
    };
    match url.scheme() {
        "https" => Ok(raw.to_string()),
        "http" if loopback && policy.allow_http_loopback => Ok(raw.to_string()),
        _ => Err("@issuer_needs_https".into()),
    }
}

/// Domains separated by commas, spaces or lines; each once, at least one.
pub fn parse_domains(raw: &str) -> Result<Vec<String>, String> {
    let mut domains: Vec<String> = Vec::new();
    for entry in raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|e| !e.is_empty())
    {
        let entry = entry.trim_start_matches('@');
        let Some(domain) = normalise_domain(entry).filter(|d| d.contains('.') || d == "localhost") else {
            return Err(crate::message::with("not_a_domain", &[("entry", entry)]));
        };
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    match domains.len() {
        0 => Err("@enter_provider_domains".into()),
        n if n > MAX_DOMAINS => Err(crate::message::with(
            "too_many_domains",
            &[("max", &MAX_DOMAINS.to_string())],
        )),
        _ => Ok(domains),
    }
}

/// Scopes separated by spaces or commas; `openid` is always asked for, and first.
pub fn parse_scopes(raw: &str) -> Result<Vec<String>, String> {
    let mut scopes = vec!["openid".to_string()];
    for scope in raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let valid = scope
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\');
        if !valid {
            return Err(crate::message::with("not_an_oidc_scope", &[("entry", scope)]));
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_string());
        }
    }
    if scopes.len() == 1 {
        scopes.extend(["email".to_string(), "profile".to_string()]);
    }
    Ok(scopes)
}

fn check_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, empty: &str) {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, empty);
    } else if value.chars().count() > max {
        errors.add(
            field,
            crate::message::with("too_long", &[("max", &max.to_string())]),
        );
    } else if let Err(problem) = check_one_line(value) {
        errors.add(field, problem);
    }
}

impl ProviderForm {
    /// Every problem at once, beside its field. `new` asks for the secret (an edit may keep it).
    pub fn check(&self, policy: IssuerPolicy, new: bool) -> Result<ProviderSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_text(
            &mut errors,
            "name",
            &self.name,
            NAME_MAX_CHARS,
            "@enter_provider_name",
        );
        check_text(
            &mut errors,
            "client_id",
            &self.client_id,
            CLIENT_ID_MAX_CHARS,
            "@enter_client_id",
        );
        let secret = self.client_secret.trim();
        if secret.is_empty() && new {
            errors.add("client_secret", "@enter_client_secret");
        } else if secret.chars().count() > SECRET_MAX_CHARS {
            errors.add(
                "client_secret",
                crate::message::with("too_long", &[("max", &SECRET_MAX_CHARS.to_string())]),
            );
        }
        let issuer = check_issuer(&self.issuer, policy).map_err(|e| errors.add("issuer", e));
        let scopes = parse_scopes(&self.scopes).map_err(|e| errors.add("scopes", e));
        let domains = parse_domains(&self.domains).map_err(|e| errors.add("domains", e));
        if self.mfa_acr.trim().chars().count() > CLIENT_ID_MAX_CHARS {
            errors.add(
                "mfa_acr",
                crate::message::with("too_long", &[("max", &CLIENT_ID_MAX_CHARS.to_string())]),
            );
        }
        match (issuer, scopes, domains) {
            (Ok(issuer), Ok(scopes), Ok(domains)) if errors.is_empty() => Ok(ProviderSettings {
                name: self.name.trim().to_string(),
                issuer,
                client_id: self.client_id.trim().to_string(),
                client_secret: (!secret.is_empty()).then(|| secret.to_string()),
                scopes,
                domains,
                trust_email: self.trust_email,
                trust_mfa: self.trust_mfa,
                mfa_acr: self.mfa_acr.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: IssuerPolicy = IssuerPolicy {
        allow_http_loopback: false,
    };
    const LOOPBACK: IssuerPolicy = IssuerPolicy {
        allow_http_loopback: true,
    };

    #[test]
    fn issuers_must_be_https_unless_loopback_is_allowed() {
        assert_eq!(
            check_issuer(" https://login.example.com/t/v2.0 ", STRICT),
            Ok("https://login.example.com/t/v2.0".into())
        );
        assert_eq!(
            check_issuer("http://login.example.com", STRICT),
            Err("@issuer_needs_https".into())
        );
        assert_eq!(
            check_issuer("http://127.0.0.1:9000", STRICT),
            Err("@issuer_needs_https".into())
        );
        assert_eq!(
            check_issuer("http://127.0.0.1:9000", LOOPBACK),
            Ok("http://127.0.0.1:9000".into())
        );
        assert_eq!(
            check_issuer("http://localhost:9000/x", LOOPBACK),
            Ok("http://localhost:9000/x".into())
        );
        assert_eq!(
            check_issuer("http://evil.example:9000", LOOPBACK),
            Err("@issuer_needs_https".into())
        );
        assert_eq!(
            check_issuer("https://a.example/?x=1", STRICT),
            Err("@issuer_no_query".into())
        );
        assert_eq!(
            check_issuer("login.example.com", STRICT),
            Err("@issuer_not_a_url".into())
        );
        assert_eq!(
            check_issuer("ftp://a.example", STRICT),
            Err("@issuer_needs_https".into())
        );
        assert_eq!(check_issuer("", STRICT), Err("@enter_issuer".into()));
    }

    #[test]
    fn domains_are_lowercased_deduplicated_and_checked() {
        assert_eq!(
            parse_domains("Globex.com, @globex.nl\nglobex.com"),
            Ok(vec!["globex.com".to_string(), "globex.nl".to_string()])
        );
        assert_eq!(parse_domains("  "), Err("@enter_provider_domains".into()));
        assert_eq!(parse_domains("globex"), Err("@not_a_domain?entry=globex".into()));
        assert_eq!(
            parse_domains("a_b.com"),
            Err("@not_a_domain?entry=a_b.com".into())
        );
    }

    #[test]
    fn scopes_always_start_with_openid() {
        assert_eq!(
            parse_scopes(""),
            Ok(vec!["openid".into(), "email".into(), "profile".into()])
        );
        assert_eq!(
            parse_scopes("email openid"),
            Ok(vec!["openid".into(), "email".into()])
        );
        assert!(parse_scopes("email \"x").is_err());
    }

    #[test]
    fn the_form_reports_every_problem_beside_its_field() {
        let form = ProviderForm {
            issuer: "http://idp.example".into(),
            ..Default::default()
        };
        let errors = form.check(STRICT, true).unwrap_err();
        for field in ["name", "client_id", "client_secret", "issuer", "domains"] {
            assert!(errors.message(field).is_some(), "{field}");
        }
        let edit = ProviderForm {
            name: "Globex".into(),
            issuer: "https://idp.globex.com".into(),
            client_id: "portico".into(),
            domains: "globex.com".into(),
            ..Default::default()
        };
        let settings = edit.check(STRICT, false).expect("an edit may keep its secret");
        assert_eq!(settings.client_secret, None);
        assert!(edit
            .check(STRICT, true)
            .unwrap_err()
            .message("client_secret")
            .is_some());
    }
}
