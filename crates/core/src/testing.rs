//! Unit-test helpers: an instance context on an in-memory SQLite database.

use crate::{Actor, Context, accounts};
use passage_migrations::{Migrator, MigratorTrait};

/// A migrated in-memory database, default configuration with cheap password hashing.
pub async fn context() -> Context {
    let db = passage_db::connect("sqlite::memory:", 1).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let mut config = crate::config::Config::default();
    config.accounts.password_memory_kib = 64;
    config.accounts.password_iterations = 1;
    Context::new(
        db,
        config,
        std::sync::Arc::new(crate::keys::RsaKeys { bits: 2048 }),
    )
}

/// A member without a login.
pub async fn person(ctx: &Context, username: &str) -> Actor {
    accounts::create(ctx, accounts::NewAccount::person(username))
        .await
        .unwrap()
}
