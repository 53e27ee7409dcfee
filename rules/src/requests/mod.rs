//! Access requests: the request form, its states, and the policy that decides what happens.

pub mod access_request;
pub mod free_mail;
pub mod policy;
pub mod policy_texts;
