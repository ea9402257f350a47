//! Table models in the layout sea-orm-codegen produces (`sea-orm-cli generate entity`).
//! Keep them in step with `migrations/`; business rules never go here.

pub mod account_blocks;
pub mod account_mutes;
pub mod actors;
pub mod bookmarks;
pub mod conversation_states;
pub mod deliveries;
pub mod filter_keywords;
pub mod filter_statuses;
pub mod filters;
pub mod followed_tags;
pub mod follows;
pub mod idempotency_keys;
pub mod instances;
pub mod likes;
pub mod list_accounts;
pub mod lists;
pub mod markers;
pub mod media_attachments;
pub mod notifications;
pub mod oauth_apps;
pub mod oauth_codes;
pub mod oauth_tokens;
pub mod outbox_intents;
pub mod outgoing_activities;
pub mod pins;
pub mod poll_votes;
pub mod polls;
pub mod post_mentions;
pub mod post_tags;
pub mod post_versions;
pub mod posts;
pub mod received_activities;
pub mod reports;
pub mod thread_mutes;
pub mod users;
