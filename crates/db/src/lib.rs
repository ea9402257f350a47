//! Storage: sea-orm entities and the query functions over them.
//!
//! Query functions take `&impl ConnectionTrait`, so callers run them inside or outside a
//! transaction. This crate holds no business rules: what may be stored is decided in `core`.

pub mod entities;
pub mod page;
pub mod queries;

pub use page::Page;
pub use sea_orm;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// The connection pool every instance owns; cloning it is cheap.
pub type Db = DatabaseConnection;

/// Timestamps as stored: UTC instants with their offset.
pub type Timestamp = sea_orm::prelude::DateTimeWithTimeZone;

/// The current instant as stored.
pub fn now() -> Timestamp {
    chrono::Utc::now().fixed_offset()
}

/// Opens a pool. SQLite gets WAL, a busy timeout and foreign keys, and one connection: all
/// statements go through it in turn, so concurrent requests never meet "database is locked"
/// (readers and writers queue in the pool instead; see the README's invariants).
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        options.max_connections(1).map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("mmap_size", MMAP_BYTES)
        });
    } else {
        options.max_connections(max_connections.max(2));
    }
    Database::connect(options).await
}

/// SQLite reads the database through a memory map of up to this size instead of copying each
/// page into every connection's cache with a system call: under 100 concurrent timeline
/// readers those copies were the largest cost (`passage-bench`). Mapped pages are the
/// kernel's page cache, shared by all connections and given back under memory pressure.
const MMAP_BYTES: &str = "1073741824";

/// A pool for reading pages (timelines, the posts and accounts on them). On SQLite, WAL lets
/// readers run beside the one writer, so reads get `connections` read-only connections of
/// their own and use every core, while writes still queue on [`connect`]'s single
/// connection. Elsewhere (PostgreSQL, SQLite in memory) the writer's pool serves reads too.
/// A read that starts after a write committed sees it, whichever pool each used.
pub async fn connect_reader(url: &str, writer: &Db, connections: u32) -> Result<Db, DbErr> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(writer.clone());
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(30))
        .max_connections(connections.max(1))
        .map_sqlx_sqlite_opts(|opts| {
            opts.read_only(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("mmap_size", MMAP_BYTES)
        });
    Database::connect(options).await
}

/// True when the database cannot do the work now but may soon: it is busy or locked, out of
/// disk, read-only, restarting or unreachable. Such failures are answered 503 so that peers
/// and clients try again, where a 500 would say the request itself is at fault.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, SqlxError, SqlxPostgresError};
    let sqlx = match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match sqlx.as_ref() {
        SqlxError::Io(_) | SqlxError::PoolTimedOut | SqlxError::PoolClosed => true,
        SqlxError::WorkerCrashed => true,
        SqlxError::Database(db) => {
            let code = db.code().unwrap_or_default();
            if db.try_downcast_ref::<SqlxPostgresError>().is_some() {
                // Connection exceptions, insufficient resources (disk full), operator
                // intervention (shutting down), lock timeout, read-only, serialization.
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57P")
                    || matches!(&*code, "55P03" | "25006" | "40001" | "40P01")
            } else {
                // SQLite result codes (extended codes keep the primary one in the low byte):
                // BUSY, LOCKED, READONLY, IOERR, FULL.
                code.parse::<u32>()
                    .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 8 | 10 | 13))
            }
        }
        _ => false,
    }
}

/// True when the error is a unique-constraint violation (a row that already exists).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
