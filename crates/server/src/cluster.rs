//! The transport between processes serving one instance: PostgreSQL `LISTEN/NOTIFY` on the
//! shared database (see `passage_core::cluster` for what travels). One listening connection
//! per process; signals go out through the pool. SQLite has one process, so no transport.

use passage_core::{Context, cluster};
use sea_orm::{ConnectionTrait, DbBackend, Statement, sqlx::postgres::PgListener};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The notification channel, per database: instances on other databases never hear it.
const CHANNEL: &str = "passage_cluster";

/// Starts relaying this process's signals to its siblings and theirs to it, until
/// `shutdown`. `None` on SQLite, or when the listening connection cannot be made (the
/// process then works alone, as it would on SQLite; a warning says so).
pub async fn spawn(ctx: &Context, shutdown: CancellationToken) -> Option<JoinHandle<()>> {
    if ctx.db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let mut listener = match PgListener::connect(&ctx.config.database_url()).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "no LISTEN connection: other processes will not hear this one");
            return None;
        }
    };
    if let Err(error) = listener.listen(CHANNEL).await {
        tracing::warn!(%error, "cannot LISTEN: other processes will not hear this one");
        return None;
    }
    let mut outgoing = ctx.cluster.connect()?;
    let ctx = ctx.clone();
    Some(tokio::spawn(async move {
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                heard = listener.recv() => match heard {
                    Ok(notification) => {
                        if let Some(signal) = ctx.cluster.read(notification.payload()) {
                            cluster::apply(&ctx, signal);
                        }
                    }
                    // The listener reconnects on the next call; what was said meanwhile is
                    // lost, as signals may be.
                    Err(error) => {
                        tracing::warn!(%error, "LISTEN connection lost; reconnecting");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
                said = outgoing.recv() => match said {
                    Some(text) => notify(&ctx, text).await,
                    None => return,
                },
            }
        }
    }))
}

async fn notify(ctx: &Context, text: String) {
    let statement = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), text.into()],
    );
    if let Err(error) = ctx.db.execute_raw(statement).await {
        tracing::warn!(%error, "could not tell the other processes");
    }
}

/// Periodic work (polls that end, expiries, purges) must run in one process at a time, or a
/// poll's voters would be told twice. On PostgreSQL the process that holds a session advisory
/// lock does it; when it dies its connection closes, the lock goes with it, and another
/// worker takes over at its next round. On SQLite there is one process.
pub struct ChoresLock {
    url: Option<String>,
    connection: Option<sea_orm::sqlx::PgConnection>,
}

/// The advisory lock's key ("passage chores" in ASCII, truncated).
const CHORES_LOCK: i64 = 0x7061_7373_6167_6563;

impl ChoresLock {
    pub fn new(ctx: &Context) -> Self {
        let url = (ctx.db.get_database_backend() == DbBackend::Postgres)
            .then(|| ctx.config.database_url());
        Self {
            url,
            connection: None,
        }
    }

    /// Whether this process may do the periodic work now.
    pub async fn held(&mut self) -> bool {
        use sea_orm::sqlx::Connection;
        let Some(url) = &self.url else {
            return true;
        };
        if self.connection.is_none() {
            match sea_orm::sqlx::PgConnection::connect(url).await {
                Ok(connection) => self.connection = Some(connection),
                Err(error) => {
                    tracing::warn!(%error, "cannot connect for the chores lock");
                    return false;
                }
            }
        }
        let Some(connection) = self.connection.as_mut() else {
            return false;
        };
        // Asked again each round: true while this session holds it, and a lost connection
        // (which lost the lock too) shows as an error.
        let held: Result<bool, _> = sea_orm::sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(CHORES_LOCK)
            .fetch_one(&mut *connection)
            .await;
        match held {
            Ok(held) => held,
            Err(error) => {
                tracing::warn!(%error, "chores lock connection lost");
                self.connection = None;
                false
            }
        }
    }
}
