//! Database migrations for Passage (sea-orm-migration).
//!
//! Migrations describe tables with sea-query only and never import the entities of `passage-db`:
//! an old migration must keep compiling after the entities it once matched have changed.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_federation_core;

/// Every migration, in order. `passage migrate` and server start-up run the pending ones.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261123_000001_federation_core::Migration)]
    }
}
