//! One file per screen, named after what the person does there, grouped by who uses it:
//! partners, owners (review) and admins.

pub mod admin;
pub mod partner;
pub mod review;

pub mod account;
pub mod account_apps;
pub mod account_mfa;
pub mod account_passkeys;
pub mod not_found;
pub mod sign_in;
pub mod sign_in_app;
pub mod sign_in_code;
pub mod sign_in_provider;
pub mod sign_in_second_factor;

/// A number from the route (`/resources/:id` -> `number_param("id")`); 0 when it is not one,
/// which no row has, so the page says "not found".
pub fn number_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        use leptos::prelude::With;
        params
            .with(|p| p.get(name).and_then(|v| v.parse::<i64>().ok()))
            .unwrap_or_default()
    }
}
