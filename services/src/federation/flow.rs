//! The sign-in at a provider: the authorization code flow with PKCE (S256), `state` and
//! `nonce`; on the way back every check of the ID token is the `openidconnect` crate's.

use openidconnect::core::{
    CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreIdTokenVerifier,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessToken, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    SubjectIdentifier, TokenResponse,
};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::directory::{DirectoryError, Federation};
use super::SECRET_SEAL;
use crate::server_key::ServerKey;
use rules::federation::identity::{says_mfa, ProvedIdentity};
use storage::federation::providers::ProviderRecord;

/// How long a person has to come back from the provider.
pub const FLOW_SECONDS: i64 = 600;
/// How far the provider's clock may be ahead of or behind ours for `exp`.
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// What the person was doing when sent to their provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowPurpose {
    SignIn {
        next: Option<String>,
    },
    /// Redeeming an invitation (its raw token) under this name if the account is new.
    Invitation {
        token: String,
        display_name: String,
    },
}

/// One trip to the provider, kept in the browser's session until it comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub provider_id: i64,
    pub provider_name: String,
    pub expected_email: String,
    pub purpose: FlowPurpose,
    pub started_at: i64,
    state: String,
    nonce: String,
    pkce_verifier: String,
}

/// What the provider sent back to the redirect URI.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// The issuer the answer says it comes from (RFC 9207), when the provider sends it.
    pub iss: Option<String>,
}

/// The person the verified ID token proves.
#[derive(Debug, Clone)]
pub struct Proved {
    pub issuer: String,
    pub identity: ProvedIdentity,
    pub name: Option<String>,
    /// The provider says a second factor was used (read only when it is trusted for that).
    pub mfa: bool,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum FlowError {
    #[error("the person cancelled at the provider")]
    Cancelled,
    /// No such trip, another trip's `state`, or too late: start again.
    #[error("the sign-in expired or was already used")]
    Expired,
    #[error("the provider is unreachable: {0}")]
    ProviderDown(String),
    /// The provider's answer did not pass a check (logged with the detail, never shown).
    #[error("the provider's answer was refused: {0}")]
    Refused(String),
}

impl From<DirectoryError> for FlowError {
    fn from(error: DirectoryError) -> Self {
        match error {
            DirectoryError::Unreachable(reason) => FlowError::ProviderDown(reason),
            DirectoryError::Invalid(reason) => FlowError::Refused(reason),
        }
    }
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

fn client(
    federation: &Federation,
    key: &ServerKey,
    provider: &ProviderRecord,
    metadata: &CoreProviderMetadata,
) -> Result<Client, FlowError> {
    let secret = key
        .open(SECRET_SEAL, &provider.row.client_secret_sealed)
        .map_err(|_| FlowError::Refused("the client secret does not open with this server key".into()))?;
    let redirect =
        RedirectUrl::new(federation.redirect_uri.clone()).map_err(|e| FlowError::Refused(e.to_string()))?;
    Ok(CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(provider.row.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(redirect))
}

/// Where to send the person, and the trip to keep in their session. `select_account` asks the
/// provider to let them choose another account (after a mismatch).
pub async fn begin(
    federation: &Federation,
    key: &ServerKey,
    provider: &ProviderRecord,
    (expected_email, purpose): (&str, FlowPurpose),
    select_account: bool,
    now: i64,
) -> Result<(String, Flow), FlowError> {
    let metadata = federation.metadata(provider, false).await?;
    let client = client(federation, key, provider, &metadata)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .add_extra_param("login_hint", expected_email);
    for scope in provider.scopes().into_iter().filter(|s| s != "openid") {
        request = request.add_scope(Scope::new(scope));
    }
    if select_account {
        request = request.add_prompt(CoreAuthPrompt::SelectAccount);
    }
    let (url, state, nonce) = request.url();
    let flow = Flow {
        provider_id: provider.id(),
        provider_name: provider.row.name.clone(),
        expected_email: expected_email.to_string(),
        purpose,
        started_at: now,
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    };
    Ok((url.to_string(), flow))
}

/// Checks the answer against the trip, exchanges the code (with the PKCE verifier) and
/// verifies the ID token; an unknown key id fetches the provider's keys once more.
pub async fn finish(
    federation: &Federation,
    key: &ServerKey,
    provider: &ProviderRecord,
    flow: &Flow,
    callback: &Callback,
    now: i64,
) -> Result<Proved, FlowError> {
    let state = callback.state.as_deref().unwrap_or_default();
    if !bool::from(state.as_bytes().ct_eq(flow.state.as_bytes())) || provider.id() != flow.provider_id {
        return Err(FlowError::Expired);
    }
    // An answer naming another issuer is a mix-up (RFC 9207): refused.
    if callback
        .iss
        .as_deref()
        .is_some_and(|iss| iss != provider.row.issuer)
    {
        return Err(FlowError::Refused("the answer names another issuer".into()));
    }
    match callback.error.as_deref() {
        Some("access_denied") => return Err(FlowError::Cancelled),
        Some(other) => return Err(FlowError::ProviderDown(format!("the provider answered {other}"))),
        None => {}
    }
    if now - flow.started_at > FLOW_SECONDS {
        return Err(FlowError::Expired);
    }
    let code = callback
        .code
        .clone()
        .ok_or_else(|| FlowError::Refused("no code in the answer".into()))?;
    let metadata = federation.metadata(provider, false).await?;
    let client = client(federation, key, provider, &metadata)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| FlowError::Refused(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
        .request_async(&federation.http)
        .await
        .map_err(|error| match error {
            openidconnect::RequestTokenError::Request(e) => FlowError::ProviderDown(e.to_string()),
            other => FlowError::Refused(format!("token request: {other}")),
        })?;
    let token = response
        .id_token()
        .ok_or_else(|| FlowError::Refused("no ID token".into()))?;
    let nonce = Nonce::new(flow.nonce.clone());
    let claims = match token.claims(&verifier(&client, now), &nonce) {
        Err(openidconnect::ClaimsVerificationError::SignatureVerification(
            openidconnect::SignatureVerificationError::NoMatchingKey,
        )) => {
            // The provider may have rotated its keys since they were fetched.
            let fresh = federation.metadata(provider, true).await?;
            let client = self::client(federation, key, provider, &fresh)?;
            let claims = token.claims(&verifier(&client, now), &nonce).cloned();
            claims
        }
        other => other.cloned(),
    }
    .map_err(|e| FlowError::Refused(format!("ID token: {e}")))?;
    let mut proved = proved_by(provider, &claims);
    if proved.identity.email.is_none() {
        // Many providers give the address at userinfo only, when an access token is issued.
        from_userinfo(federation, &client, response.access_token(), &mut proved).await?;
    }
    Ok(proved)
}

fn proved_by(provider: &ProviderRecord, claims: &CoreIdTokenClaims) -> Proved {
    let amr: Vec<String> = claims
        .auth_method_refs()
        .map(|refs| refs.iter().map(|r| r.as_str().to_string()).collect())
        .unwrap_or_default();
    let acr = claims.auth_context_ref().map(|acr| acr.as_str().to_string());
    Proved {
        issuer: provider.row.issuer.clone(),
        identity: ProvedIdentity {
            subject: claims.subject().as_str().to_string(),
            email: claims.email().map(|e| e.as_str().to_string()),
            email_verified: claims.email_verified(),
        },
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string()),
        mfa: provider.trust_mfa() && says_mfa(&amr, acr.as_deref(), &provider.row.mfa_acr),
    }
}

/// The address (and name) from the userinfo endpoint; the crate checks that its `sub` is the
/// ID token's. A provider without the endpoint leaves the identity as it was.
async fn from_userinfo(
    federation: &Federation,
    client: &Client,
    token: &AccessToken,
    proved: &mut Proved,
) -> Result<(), FlowError> {
    let subject = SubjectIdentifier::new(proved.identity.subject.clone());
    let Ok(request) = client.user_info(token.clone(), Some(subject)) else {
        return Ok(());
    };
    let info: CoreUserInfoClaims =
        request
            .request_async(&federation.http)
            .await
            .map_err(|error| match error {
                openidconnect::UserInfoError::Request(e) => FlowError::ProviderDown(e.to_string()),
                other => FlowError::Refused(format!("userinfo: {other}")),
            })?;
    proved.identity.email = info.email().map(|e| e.as_str().to_string());
    proved.identity.email_verified = info.email_verified();
    if proved.name.is_none() {
        proved.name = info
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string());
    }
    Ok(())
}

/// The crate's verifier with asymmetric algorithms only (never `none`, never a shared
/// secret), and our clock less the allowed skew for `exp`.
fn verifier(client: &Client, now: i64) -> CoreIdTokenVerifier<'_> {
    use CoreJwsSigningAlgorithm as A;
    let then = chrono::DateTime::from_timestamp(now - CLOCK_SKEW_SECONDS, 0).unwrap_or_default();
    client
        .id_token_verifier()
        .set_allowed_algs([
            A::RsaSsaPkcs1V15Sha256,
            A::RsaSsaPkcs1V15Sha384,
            A::RsaSsaPkcs1V15Sha512,
            A::RsaSsaPssSha256,
            A::RsaSsaPssSha384,
            A::RsaSsaPssSha512,
            A::EcdsaP256Sha256,
            A::EcdsaP384Sha384,
            A::EdDsa,
        ])
        .set_time_fn(move || then)
}
