//! What owners see: the review queue and one request, their resources' people and bulk invites, the welcome link.

pub mod bulk_invite;
pub mod resource_people;
pub mod review_queue;
pub mod review_request;
pub mod welcome_owner;
