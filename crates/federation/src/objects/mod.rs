//! Newtypes over database rows that activitypub_federation can fetch, serve and verify.

pub mod actor;
pub mod event;
pub mod note;
pub mod resource;
