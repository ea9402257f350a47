//! The Mastodon client API driven over HTTP on real instances, as apps drive it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod blocks;
mod federation;
mod filters;
mod lists;
mod media;
mod oauth;
mod polls;
mod registration;
mod statuses;
mod streaming;
mod wire;
