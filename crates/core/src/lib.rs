//! Passage's use cases and rules: accounts, follows, posts, likes and boosts, timelines, and the
//! outbound intents that federation turns into activities.
//!
//! `core` knows no HTTP, no ActivityPub JSON and no Mastodon JSON. Local actions (CLI, client
//! API) and incoming activities call the same functions here, so both paths obey the same rules.
//! Every function takes the per-instance [`Context`]; nothing is global.

pub mod accounts;
pub mod backup;
pub mod blocks;
pub mod bookmarks;
pub mod chores;
pub mod cluster;
pub mod config;
pub mod content;
mod context;
pub mod conversations;
pub mod emojis;
pub mod error;
pub mod events;
pub mod exports;
pub mod filters;
pub mod follows;
pub mod ids;
pub mod imports;
pub mod keys;
pub mod languages;
pub mod limits;
pub mod links;
pub mod lists;
pub mod markers;
pub mod media;
pub mod moderation;
pub mod network;
pub mod notification_groups;
pub mod notification_policy;
pub mod notifications;
pub mod oauth;
pub mod organisations;
pub mod outbox;
pub mod pins;
pub mod polls;
pub mod posts;
pub mod profile;
pub mod reactions;
pub mod relationships;
pub mod relays;
pub mod reports;
pub mod resources;
pub mod scheduled;
mod secrets;
pub mod shutdown;
pub mod streaming;
pub mod tags;
pub mod texts;
pub mod threads;
pub mod timelines;
pub mod urls;
pub mod views;
pub mod visibility;

pub use context::Context;

#[cfg(test)]
mod testing;
pub use error::{CoreError, CoreResult};

pub use passage_db::entities::{actors::Model as Actor, posts::Model as Post};
