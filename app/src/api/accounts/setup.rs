//! The first-admin setup page's server functions.

use leptos::prelude::*;

use rules::error::AppError;

/// Whether a setup link still works (used to render the page).
#[server(prefix = "/api", endpoint = "setup_link_status")]
pub async fn setup_link_status(token: String) -> Result<bool, AppError> {
    use crate::api::session::{app_state, internal};
    use services::accounts::setup::setup_link_is_valid;
    let state = app_state()?;
    setup_link_is_valid(&state.store, &token).await.map_err(internal)
}

#[server(prefix = "/api", endpoint = "create_first_admin")]
pub async fn create_first_admin(
    token: String,
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
    /// Ticked ("on"): the portal asks its admins for a second factor (the box starts ticked).
    #[server(default)]
    second_factor_for_admins: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::{app_state, client_ip, internal, session, start_session_and_go};
    use rules::accounts::account::NewAdminInput;
    use rules::mfa::requirement::SecondFactorPolicy;
    use services::accounts::setup::{create_first_admin, SetupError};

    let state = app_state()?;
    let session = session().await?;
    let (email_typed, name_typed) = (email.clone(), display_name.clone());
    let input = NewAdminInput {
        email,
        display_name,
        password,
        password_confirm,
    };
    let policy = SecondFactorPolicy {
        admins: second_factor_for_admins.is_some(),
        ..Default::default()
    };
    match create_first_admin(&state.store, &*state.clock, &token, (input, policy), &client_ip()).await {
        Ok(signed_in) => {
            state.look.set_second_factors(policy);
            start_session_and_go(&state, &session, &signed_in, "/?welcome=1", None).await
        }
        Err(SetupError::LinkInvalid) => Err(AppError::Refused("@setup_link_no_longer".into())),
        Err(SetupError::Invalid(errors)) => Err(AppError::Invalid(
            errors.echo(&[("email", &email_typed), ("display_name", &name_typed)]),
        )),
        Err(SetupError::Store(error)) => Err(internal(error)),
        Err(SetupError::Hashing) => Err(internal("password hashing failed")),
    }
}
