//! The Mastodon client API driven over HTTP on real instances, as apps drive it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account_actions;
mod admin_pages;
mod admin_walk;
mod authz;
mod authz_matrix;
mod backup;
mod blocks;
mod client_details;
mod emojis;
mod federation;
mod filters;
mod grouped_notifications;
mod lists;
mod media;
mod notification_policy;
mod oauth;
mod polls;
mod profile;
mod public_blocklist;
mod registration;
mod scheduled;
mod statuses;
mod streaming;
mod wire;
