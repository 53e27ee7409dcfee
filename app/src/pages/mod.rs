//! One file per screen, named after what the person does there.

pub mod accept_terms;
pub mod admin_accounts;
pub mod admin_api_tokens;
pub mod admin_audit;
pub mod admin_dashboard;
pub mod admin_invitations;
pub mod admin_jobs;
pub mod admin_policy;
pub mod admin_requests;
pub mod admin_resource;
pub mod admin_resources;
pub mod admin_settings;
pub mod admin_webhook;
pub mod admin_webhooks;
pub mod bulk_invite;
pub mod home;
pub mod my_access;
pub mod not_found;
pub mod redeem_invitation;
pub mod request_access;
pub mod request_status;
pub mod resource_people;
pub mod review_queue;
pub mod review_request;
pub mod setup_admin;
pub mod sign_in;
pub mod welcome_owner;

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
