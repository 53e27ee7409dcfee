//! The discovery document (OpenID Connect Discovery 1.0), built with `openidconnect`'s own
//! provider metadata type, so its shape is the one every relying party library reads.

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthUrl, IssuerUrl, JsonWebKeySetUrl, ProviderMetadata, ResponseTypes, Scope,
    TokenUrl, UserInfoUrl,
};
use serde::{Deserialize, Serialize};

/// What Discovery leaves to other specs: RP-initiated logout, revocation (RFC 7009),
/// introspection (RFC 7662) and PKCE (RFC 7636).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MoreMetadata {
    pub end_session_endpoint: String,
    pub revocation_endpoint: String,
    pub introspection_endpoint: String,
    pub code_challenge_methods_supported: Vec<String>,
    /// The authorization response names the issuer (`iss`, RFC 9207).
    pub authorization_response_iss_parameter_supported: bool,
}

impl AdditionalProviderMetadata for MoreMetadata {}

pub type ProviderDocument = ProviderMetadata<
    MoreMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Where each endpoint lives under the portal's public address.
pub mod paths {
    pub const DISCOVERY: &str = "/.well-known/openid-configuration";
    pub const AUTHORIZE: &str = "/oauth/authorize";
    /// The consent page's "Don't allow" (Portico's own, not in the document).
    pub const DECLINE: &str = "/oauth/decline";
    pub const TOKEN: &str = "/oauth/token";
    pub const USERINFO: &str = "/oauth/userinfo";
    pub const JWKS: &str = "/oauth/jwks";
    pub const REVOKE: &str = "/oauth/revoke";
    pub const INTROSPECT: &str = "/oauth/introspect";
    pub const END_SESSION: &str = "/oauth/end-session";
}

/// The claims an app may receive (see the app registration's choice of claims).
pub const CLAIMS: [&str; 14] = [
    "sub",
    "iss",
    "aud",
    "azp",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "amr",
    "email",
    "email_verified",
    "name",
    "organisation",
    "groups",
];

/// The document for a portal published at `public_url` (the issuer, without a trailing slash).
pub fn provider_document(public_url: &str) -> Result<ProviderDocument, url::ParseError> {
    let base = public_url.trim_end_matches('/');
    let at = |path: &str| format!("{base}{path}");
    Ok(ProviderDocument::new(
        IssuerUrl::new(base.to_string())?,
        AuthUrl::new(at(paths::AUTHORIZE))?,
        JsonWebKeySetUrl::new(at(paths::JWKS))?,
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        ],
        MoreMetadata {
            end_session_endpoint: at(paths::END_SESSION),
            revocation_endpoint: at(paths::REVOKE),
            introspection_endpoint: at(paths::INTROSPECT),
            code_challenge_methods_supported: vec!["S256".into()],
            authorization_response_iss_parameter_supported: true,
        },
    )
    .set_token_endpoint(Some(TokenUrl::new(at(paths::TOKEN))?))
    .set_userinfo_endpoint(Some(UserInfoUrl::new(at(paths::USERINFO))?))
    .set_scopes_supported(Some(
        ["openid", "email", "profile", "groups", "offline_access"]
            .map(|s| Scope::new(s.into()))
            .to_vec(),
    ))
    .set_grant_types_supported(Some(vec![
        CoreGrantType::AuthorizationCode,
        CoreGrantType::RefreshToken,
    ]))
    .set_token_endpoint_auth_methods_supported(Some(vec![
        CoreClientAuthMethod::ClientSecretBasic,
        CoreClientAuthMethod::ClientSecretPost,
        CoreClientAuthMethod::None,
    ]))
    .set_claims_supported(Some(CLAIMS.map(|c| CoreClaimName::new(c.into())).to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_names_the_issuer_and_its_endpoints_under_it() {
        let document = provider_document("https://partners.acme.example/").expect("document");
        let json = serde_json::to_value(&document).expect("json");
        assert_eq!(json["issuer"], "https://partners.acme.example");
        assert_eq!(json["jwks_uri"], "https://partners.acme.example/oauth/jwks");
        assert_eq!(
            json["token_endpoint"],
            "https://partners.acme.example/oauth/token"
        );
        assert_eq!(json["response_types_supported"], serde_json::json!(["code"]));
        assert_eq!(
            json["id_token_signing_alg_values_supported"],
            serde_json::json!(["RS256", "ES256"])
        );
        assert_eq!(
            json["code_challenge_methods_supported"],
            serde_json::json!(["S256"])
        );
        assert_eq!(json["authorization_response_iss_parameter_supported"], true);
        assert_eq!(
            json["end_session_endpoint"],
            "https://partners.acme.example/oauth/end-session"
        );
    }
}
