//! What a sign-in into an app gives: how long each token lives, which claims the app receives,
//! and how the person signed in (`amr`, RFC 8176).

use crate::accounts::first_factor::FirstFactor;

/// An authorization code works once, within this.
pub const CODE_SECONDS: i64 = 60;
/// Access tokens are short: membership is checked again at every refresh and userinfo call.
pub const ACCESS_TOKEN_SECONDS: i64 = 10 * 60;
/// ID tokens (within `signing_keys::LONGEST_TOKEN_SECONDS`).
pub const ID_TOKEN_SECONDS: i64 = 60 * 60;
/// A refresh token unused for this long is void.
pub const REFRESH_SECONDS: i64 = 30 * 24 * 60 * 60;

/// The claims an app receives: what its registration allows (`allowed`, from
/// `clients::CLAIM_CHOICES`) and the request's scopes ask for.
pub fn granted_claims(scopes: &[String], allowed: &[String]) -> Vec<&'static str> {
    let asked = |scope: &str| scopes.iter().any(|s| s == scope);
    let allows = |claim: &str| allowed.iter().any(|c| c == claim);
    let mut claims = Vec::new();
    if asked("email") && allows("email") {
        claims.push("email");
    }
    if asked("profile") && allows("name") {
        claims.push("name");
    }
    if asked("profile") && allows("organisation") {
        claims.push("organisation");
    }
    if asked("groups") && allows("groups") {
        claims.push("groups");
    }
    claims
}

/// How the person signed in (RFC 8176 words): the first factor, then the second one, and `mfa`
/// when there was a second. An emailed code or link is a one-time password (`otp`); the
/// person's own provider is `fed`, a word of Portico's own (the RFC has none for federation).
pub fn amr(first: Option<FirstFactor>, second_factor: Option<&str>) -> Vec<&'static str> {
    let mut methods = Vec::new();
    match first {
        Some(FirstFactor::Password) => methods.push("pwd"),
        Some(FirstFactor::EmailCode | FirstFactor::EmailLink) => methods.push("otp"),
        Some(FirstFactor::Provider) => methods.push("fed"),
        None => {}
    }
    let second = match second_factor {
        None => return methods,
        Some("authenticator") => Some("otp"),
        Some("passkey") => Some("hwk"),
        Some(_) => None,
    };
    if let Some(method) = second.filter(|m| !methods.contains(m)) {
        methods.push(method);
    }
    methods.push("mfa");
    methods
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn an_app_gets_what_it_asks_for_and_is_allowed() {
        let allowed = strings(&["email", "groups", "name"]);
        assert_eq!(
            granted_claims(&strings(&["openid", "email", "profile", "groups"]), &allowed),
            vec!["email", "name", "groups"]
        );
        assert_eq!(
            granted_claims(&strings(&["openid", "email"]), &strings(&["groups"])),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn amr_names_the_first_factor_and_any_second() {
        assert!(amr(None, None).is_empty());
        assert_eq!(amr(Some(FirstFactor::Password), None), vec!["pwd"]);
        assert_eq!(amr(Some(FirstFactor::EmailCode), None), vec!["otp"]);
        assert_eq!(amr(Some(FirstFactor::Provider), None), vec!["fed"]);
        assert_eq!(
            amr(Some(FirstFactor::Password), Some("passkey")),
            vec!["pwd", "hwk", "mfa"]
        );
        assert_eq!(
            amr(Some(FirstFactor::Password), Some("authenticator")),
            vec!["pwd", "otp", "mfa"]
        );
        // An emailed code and an authenticator code are both `otp`: named once.
        assert_eq!(
            amr(Some(FirstFactor::EmailCode), Some("authenticator")),
            vec!["otp", "mfa"]
        );
        assert_eq!(
            amr(Some(FirstFactor::Provider), Some("provider")),
            vec!["fed", "mfa"]
        );
        assert_eq!(
            amr(Some(FirstFactor::EmailLink), Some("recovery_code")),
            vec!["otp", "mfa"]
        );
    }
}
