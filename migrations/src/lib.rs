//! Database migrations for Passage (sea-orm-migration).
//!
//! Migrations describe tables with sea-query only and never import the entities of `passage-db`:
//! an old migration must keep compiling after the entities it once matched have changed.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_federation_core;
mod m20261123_000002_client_api;
mod m20261124_000003_polls_threads;
mod m20261124_000004_filters;
mod m20261124_000005_conversations;
mod m20261125_000006_profiles_emoji_schedules;
mod m20261125_000007_notification_policy;
mod m20261126_000008_organisations_events;
mod m20261127_000009_calendars;
mod m20261127_000010_resources;
mod m20261128_000011_post_links;
mod m20261128_000012_moderation;
mod m20261129_000013_moderation_queue;
mod m20261130_000014_account_warnings;
mod m20261130_000015_admin_sessions;
mod m20261201_000016_registration_safety;
mod m20261201_000017_report_notes;
mod m20261202_000018_read_indexes;
mod m20261203_000019_account_moves;
mod m20261204_000020_imports;
mod m20261205_000021_shutdowns;
mod m20261205_000022_relays;
mod m20261205_000023_network_directory;
mod m20261207_000024_discovery;
mod m20261207_000025_post_pages;
mod m20261207_000026_media_duration;

/// Every migration, in order. `passage migrate` and server start-up run the pending ones.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_federation_core::Migration),
            Box::new(m20261123_000002_client_api::Migration),
            Box::new(m20261124_000003_polls_threads::Migration),
            Box::new(m20261124_000004_filters::Migration),
            Box::new(m20261124_000005_conversations::Migration),
            Box::new(m20261125_000006_profiles_emoji_schedules::Migration),
            Box::new(m20261125_000007_notification_policy::Migration),
            Box::new(m20261126_000008_organisations_events::Migration),
            Box::new(m20261127_000009_calendars::Migration),
            Box::new(m20261127_000010_resources::Migration),
            Box::new(m20261128_000011_post_links::Migration),
            Box::new(m20261128_000012_moderation::Migration),
            Box::new(m20261129_000013_moderation_queue::Migration),
            Box::new(m20261130_000014_account_warnings::Migration),
            Box::new(m20261130_000015_admin_sessions::Migration),
            Box::new(m20261201_000016_registration_safety::Migration),
            Box::new(m20261201_000017_report_notes::Migration),
            Box::new(m20261202_000018_read_indexes::Migration),
            Box::new(m20261203_000019_account_moves::Migration),
            Box::new(m20261204_000020_imports::Migration),
            Box::new(m20261205_000021_shutdowns::Migration),
            Box::new(m20261205_000022_relays::Migration),
            Box::new(m20261205_000023_network_directory::Migration),
            Box::new(m20261207_000024_discovery::Migration),
            Box::new(m20261207_000025_post_pages::Migration),
            Box::new(m20261207_000026_media_duration::Migration),
        ]
    }
}

/// A foreign key that cascades on delete: rows that only describe another row go with it.
pub(crate) fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}
