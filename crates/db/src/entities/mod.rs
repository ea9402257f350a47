//! Table models in the layout sea-orm-codegen produces (`sea-orm-cli generate entity`).
//! Keep them in step with `migrations/`; business rules never go here.

pub mod actors;
pub mod deliveries;
pub mod follows;
pub mod instances;
pub mod likes;
pub mod outbox_intents;
pub mod outgoing_activities;
pub mod post_mentions;
pub mod post_tags;
pub mod posts;
pub mod received_activities;
pub mod users;
