//! One file per screen, named after what the person does there.

pub mod admin_accounts;
pub mod admin_audit;
pub mod admin_jobs;
pub mod admin_policy;
pub mod admin_resource;
pub mod admin_resources;
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
