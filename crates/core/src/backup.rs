//! `passage backup DIR`: a consistent copy of an instance while it runs, for volunteer
//! admins whose only recovery plan is "copy the backup back".
//!
//! - SQLite: `VACUUM INTO` writes a snapshot of the database as of one moment (the database
//!   runs in WAL mode, so the server keeps reading and writing meanwhile), compacted, with no
//!   WAL file to forget. It is checked with `PRAGMA integrity_check` before it is called done.
//! - Media: uploaded files never change once written, so they are copied after the snapshot;
//!   a file uploaded in between is an extra, never a hole.
//! - PostgreSQL: `pg_dump` is the right tool (consistent, restorable across versions); the
//!   command says so rather than doing a worse job.
//!
//! Restoring: stop the server, put `passage.db` and `media/` back in `storage.data_dir`.
//! Media kept in an S3 bucket (`media.store = "s3"`) are not copied: the store has its own
//! tools for that.

use crate::{
    Context,
    error::{CoreError, CoreResult},
};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use std::path::{Path, PathBuf};

/// What a backup wrote.
#[derive(Clone, Debug)]
pub struct Backup {
    pub database: PathBuf,
    pub media_files: usize,
}

/// Writes a backup into `dir` (created; it must not hold a previous backup).
pub async fn run(ctx: &Context, dir: &Path) -> CoreResult<Backup> {
    if ctx.db.get_database_backend() != DbBackend::Sqlite {
        return Err(CoreError::Unsupported(
            "this instance uses PostgreSQL: back it up with `pg_dump -Fc`, and copy \
             storage.data_dir/media"
                .into(),
        ));
    }
    let io = |what: &str, e: std::io::Error| CoreError::Internal(format!("{what}: {e}"));
    std::fs::create_dir_all(dir).map_err(|e| io("cannot create the backup folder", e))?;
    let database = dir.join("passage.db");
    if database.exists() {
        return Err(CoreError::Invalid(format!(
            "{} exists already; back up into an empty folder",
            database.display()
        )));
    }
    let target = database
        .to_str()
        .ok_or_else(|| CoreError::Invalid("the backup folder's path is not UTF-8".into()))?;
    ctx.db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await?;
    check(target).await?;
    // Media in an S3 bucket are the store's to keep (versioning, replication, `rclone`).
    let media_files = match ctx.media.directory() {
        Some(media) => {
            copy_tree(media, &dir.join("media")).map_err(|e| io("cannot copy the media", e))?
        }
        None => 0,
    };
    Ok(Backup {
        database,
        media_files,
    })
}

/// Opens the copy on its own and asks SQLite whether it is whole.
async fn check(path: &str) -> CoreResult<()> {
    let copy = Database::connect(format!("sqlite://{path}?mode=ro")).await?;
    let answer = copy
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?;
    copy.close().await?;
    match answer.as_deref() {
        Some("ok") => Ok(()),
        other => Err(CoreError::Internal(format!(
            "the copy failed its integrity check: {other:?}"
        ))),
    }
}

/// Copies the files under `from` into `to`; how many. A missing `from` is an empty tree.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<usize> {
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}
