//! Admin: API tokens. A new token is shown once: the server keeps it in the admin's session
//! until the page has read it, so it also reaches a browser without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;
use rules::integrations::api_token::NewTokenInput;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to tell it apart.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// Neither revoked nor past its end.
    pub live: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPage {
    pub tokens: Vec<TokenRow>,
    /// A token made a moment ago, shown this once: (name, bearer value).
    pub just_made: Option<(String, String)>,
}

#[cfg(feature = "ssr")]
const JUST_MADE_KEY: &str = "new_api_token";

#[server(prefix = "/api", endpoint = "admin_api_tokens")]
pub async fn admin_api_tokens() -> Result<TokenPage, AppError> {
    use crate::api::session::{internal, require_admin};
    use rules::integrations::api_token::parse_scopes;
    use services::integrations::api_tokens::tokens;
    let (state, session, _) = require_admin().await?;
    let just_made = session
        .remove::<(String, String)>(JUST_MADE_KEY)
        .await
        .map_err(internal)?;
    let now = state.clock.now();
    let tokens = tokens(&state.store)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            live: t.revoked_at.is_none() && t.expires_at.is_none_or(|end| end > now),
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            scopes: parse_scopes(&t.scopes),
            created_by: t.creator_email,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            last_used_at: t.last_used_at,
        })
        .collect();
    Ok(TokenPage { tokens, just_made })
}

#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(token: NewTokenInput) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    use services::integrations::api_tokens::{make_token, TokenError};
    let (state, session, admin) = require_admin().await?;
    let typed = [
        ("token[name]", token.name.as_str()),
        ("token[expires_on]", token.expires_on.as_str()),
    ];
    let made = make_token(
        &state.store,
        &admin,
        &admin_actor(&admin),
        &token,
        state.clock.now(),
    )
    .await
    .map_err(|error| match error {
        TokenError::Invalid(errors) => AppError::Invalid(errors.prefixed("token").echo(&typed)),
        other => internal(other),
    })?;
    session
        .insert(JUST_MADE_KEY, (token.name.trim().to_string(), made.bearer))
        .await
        .map_err(internal)?;
    leptos_axum::redirect(&format!("/admin/api-tokens?made={}", made.id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(token_id: i64) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    use services::integrations::api_tokens::{revoke_token, TokenError};
    let (state, _, admin) = require_admin().await?;
    revoke_token(&state.store, &admin_actor(&admin), token_id, state.clock.now())
        .await
        .map_err(|error| match error {
            TokenError::NotFound => AppError::NotFound,
            TokenError::AlreadyRevoked => AppError::Refused("@token_was_already_revoked".into()),
            other => internal(other),
        })?;
    leptos_axum::redirect("/admin/api-tokens?revoked=1");
    Ok(())
}
