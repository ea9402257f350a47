//! Operators' migration CLI (`DATABASE_URL=... passage-migrations up`); `passage migrate` does
//! the same from the main binary.
use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(passage_migrations::Migrator).await;
}
