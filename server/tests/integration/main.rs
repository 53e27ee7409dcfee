//! Integration tests: the whole portal (router, layers, server functions, database) in
//! process, on SQLite and on a throwaway PostgreSQL.

mod instances;
mod passkeys;
mod support;

mod accounts;
mod admin_console;
mod admin_texts;
mod api_client;
mod api_invitations;
mod api_requests;
mod api_tokens;
mod approvals;
mod audit_log;
mod bulk_invites;
mod federation;
mod federation_admin;
mod federation_idp;
mod federation_support;
mod first_admin_setup;
mod invitations;
mod kept_pages;
mod languages;
mod lifecycle;
mod mail_languages;
mod oidc_apps;
mod oidc_provider;
mod oidc_sessions;
mod oidc_support;
mod one_time_codes;
mod openapi;
mod owner_tools;
mod partner_journey;
mod portal_settings;
mod resource_admin;
mod scale_out;
mod second_factor_requirements;
mod second_factors;
mod security_layers;
mod sqlite_tuning;
mod staff_sign_in;
mod static_assets;
mod storage;
mod submission_batches;
mod webhooks;
mod worker_claims;
