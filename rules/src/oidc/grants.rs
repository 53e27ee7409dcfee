//! What a sign-in into an app gives: how long each token lives, which claims the app receives,
//! and how the person signed in (`amr`, RFC 8176).

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

/// How the person signed in, as far as the sign-in records it: a second factor and its kind.
pub fn amr(second_factor: Option<&str>) -> Vec<&'static str> {
    match second_factor {
        None => Vec::new(),
        Some("authenticator") => vec!["mfa", "otp"],
        Some("passkey") => vec!["mfa", "hwk"],
        Some("provider") => vec!["mfa", "fed"],
        Some(_) => vec!["mfa"],
    }
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
    fn a_second_factor_shows_in_amr() {
        assert!(amr(None).is_empty());
        assert_eq!(amr(Some("passkey")), vec!["mfa", "hwk"]);
        assert_eq!(amr(Some("recovery_code")), vec!["mfa"]);
    }
}
