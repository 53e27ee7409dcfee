//! The userinfo endpoint: what an app may know about the person its access token names, and
//! only while the grant stands and the person still holds the app.

use serde_json::{Map, Value};

use super::issued::{person_claims_json, read_access_token, Issuer};
use super::token::TokenError;
use rules::clock::Timestamp;
use storage::oidc::claims::member_claims;
use storage::oidc::clients::kept_client;
use storage::oidc::grants::find_grant;

/// The claims for `bearer`, or `None` when the token is not (or no longer) good.
pub async fn userinfo(
    issuer: &Issuer<'_>,
    bearer: &str,
    now: Timestamp,
) -> Result<Option<Map<String, Value>>, TokenError> {
    let Some(claims) = read_access_token(issuer, bearer, now).await? else {
        return Ok(None);
    };
    let store = issuer.store;
    let Some(grant) = find_grant(store.read(), &claims.gid)
        .await?
        .filter(|g| g.revoked_at.is_none())
    else {
        return Ok(None);
    };
    let Some(client) = kept_client(store, &grant.client_id).await? else {
        return Ok(None);
    };
    let member = (grant.account_id, client.resource_id);
    let Some(person) = member_claims(store.read(), member, now).await? else {
        return Ok(None);
    };
    Ok(Some(person_claims_json(&grant, &client.claims(), &person)))
}
