//! Rules and services of the product. The input types and validation rules here are shared
//! with the browser; everything that touches storage, hashing or time is server-only.

pub mod access_requests;
pub mod accounts;
pub mod dates;
pub mod email;
pub mod free_mail;
pub mod invitations;
pub mod policy;
pub mod policy_form;
pub mod resources;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod decision_service;
#[cfg(feature = "ssr")]
pub mod invitation_service;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod membership_service;
#[cfg(feature = "ssr")]
pub mod owner_welcome;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod policies;
#[cfg(feature = "ssr")]
pub mod redeem_service;
#[cfg(feature = "ssr")]
pub mod request_service;
#[cfg(feature = "ssr")]
pub mod resource_admin;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod tokens;
