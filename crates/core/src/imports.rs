//! Imports of a member's follows, blocks, mutes, lists and bookmarks from the CSV files
//! Mastodon exports. The file is read and all its lines stored in one transaction, so an
//! import starts whole or not at all; then the lines are worked through one by one (finding
//! accounts and posts may need the network: `passage_federation::imports`), each outcome
//! recorded as it is done. So progress can be shown, a bad line is reported by its number
//! without stopping the others, nothing done is undone by a later error, and an import cut
//! off by a restart goes on where it stopped.

mod overwrite;
mod parse;

pub use overwrite::undo_unnamed;

pub use parse::{Kind, Line, account as parse_account, flag as parse_flag, parse};

use crate::{Actor, Context, CoreError, error::CoreResult};
use passage_db::{
    entities::{import_rows, imports},
    now,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};

pub type Import = imports::Model;
pub type Row = import_rows::Model;

/// Mastodon's limit on the lines of one import.
pub const MAX_LINES: usize = 20_000;
/// The largest file taken: twenty thousand long addresses with their flags.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// How long a process holds an import it works on before another may take it up. Each
/// batch of lines renews it, so only a process that stopped loses it.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// Lines worked through between two renewals of the lease.
pub const BATCH: u64 = 50;

/// What happens to what the member already has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Added to.
    Merge,
    /// Made to match the file: what it does not name is undone at the end (follows ended,
    /// blocks and mutes lifted, bookmarks and list entries removed).
    Overwrite,
}

impl Mode {
    pub fn parse(name: &str) -> CoreResult<Self> {
        match name {
            "merge" => Ok(Self::Merge),
            "overwrite" => Ok(Self::Overwrite),
            other => Err(CoreError::Invalid(format!(
                "mode: {other:?} is not merge or overwrite"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Merge => "merge",
            Self::Overwrite => "overwrite",
        }
    }
}

/// Reads `bytes` and stores the import with all its lines, held by the caller, who is
/// expected to work through it next (see [`claim`] for anyone else).
pub async fn start(
    ctx: &Context,
    account: &Actor,
    kind: Kind,
    mode: Mode,
    bytes: &[u8],
) -> CoreResult<Import> {
    if !account.local {
        return Err(CoreError::Forbidden("only local accounts import".into()));
    }
    if bytes.len() > MAX_BYTES {
        return Err(CoreError::TooLarge(format!(
            "an import file may have up to {MAX_BYTES} bytes"
        )));
    }
    let lines = parse(kind, bytes)?;
    if lines.is_empty() {
        return Err(CoreError::Invalid(
            "the file holds no lines to import".into(),
        ));
    }
    if lines.len() > MAX_LINES {
        return Err(CoreError::TooLarge(format!(
            "an import may have up to {MAX_LINES} lines; this file has {}",
            lines.len()
        )));
    }
    let bad = lines.iter().filter(|l| l.cells.is_err()).count() as i32;
    let txn = ctx.db.begin().await?;
    let import = imports::ActiveModel {
        account_id: Set(account.id),
        kind: Set(kind.as_str().into()),
        mode: Set(mode.as_str().into()),
        state: Set(RUNNING.into()),
        total: Set(lines.len() as i32),
        processed: Set(bad),
        failed: Set(bad),
        lease_until: Set(Some((chrono::Utc::now() + LEASE).fixed_offset())),
        created_at: Set(now()),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for chunk in lines.chunks(500) {
        let rows = chunk.iter().map(|line| {
            let (data, outcome, error) = match &line.cells {
                Ok(cells) => (cells.clone(), None, None),
                Err(why) => (Vec::new(), Some(FAILED.to_owned()), Some(why.clone())),
            };
            import_rows::ActiveModel {
                import_id: Set(import.id),
                line: Set(line.number as i32),
                data: Set(serde_json::to_string(&data).unwrap_or_default()),
                outcome: Set(outcome),
                error: Set(error),
                target_id: Set(None),
                ..Default::default()
            }
        });
        import_rows::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(import)
}

const RUNNING: &str = "running";
const FINISHED: &str = "finished";
const DONE: &str = "done";
const FAILED: &str = "failed";

/// One of `account`'s imports (another member's does not exist for them).
pub async fn get(ctx: &Context, account: &Actor, id: i64) -> CoreResult<Import> {
    imports::Entity::find_by_id(id)
        .filter(imports::Column::AccountId.eq(account.id))
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)
}

/// `account`'s imports, newest first.
pub async fn list(ctx: &Context, account: &Actor, limit: u64) -> CoreResult<Vec<Import>> {
    Ok(imports::Entity::find()
        .filter(imports::Column::AccountId.eq(account.id))
        .order_by_desc(imports::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}

/// The lines that could not be imported, in file order.
pub async fn failures(ctx: &Context, import: &Import) -> CoreResult<Vec<Row>> {
    Ok(import_rows::Entity::find()
        .filter(import_rows::Column::ImportId.eq(import.id))
        .filter(import_rows::Column::Outcome.eq(FAILED))
        .order_by_asc(import_rows::Column::Line)
        .all(&ctx.db)
        .await?)
}

pub fn is_finished(import: &Import) -> bool {
    import.state == FINISHED
}

/// The cells of a stored line.
pub fn cells(row: &Row) -> Vec<String> {
    serde_json::from_str(&row.data).unwrap_or_default()
}

/// Takes up an import nobody works on (its holder stopped), holding it for [`LEASE`].
pub async fn claim(ctx: &Context, id: i64) -> CoreResult<Option<Import>> {
    let now = chrono::Utc::now();
    let taken = imports::Entity::update_many()
        .col_expr(
            imports::Column::LeaseUntil,
            Expr::value((now + LEASE).fixed_offset()),
        )
        .filter(imports::Column::Id.eq(id))
        .filter(imports::Column::State.eq(RUNNING))
        .filter(imports::Column::LeaseUntil.lt(now.fixed_offset()))
        .exec(&ctx.db)
        .await?;
    if taken.rows_affected == 0 {
        return Ok(None);
    }
    Ok(imports::Entity::find_by_id(id).one(&ctx.db).await?)
}

/// Imports whose holder stopped before finishing, to take up.
pub async fn abandoned(ctx: &Context) -> CoreResult<Vec<i64>> {
    Ok(imports::Entity::find()
        .select_only()
        .column(imports::Column::Id)
        .filter(imports::Column::State.eq(RUNNING))
        .filter(imports::Column::LeaseUntil.lt(now()))
        .into_tuple()
        .all(&ctx.db)
        .await?)
}

/// The next lines not yet worked on, renewing the holder's lease.
pub async fn next_rows(ctx: &Context, import: &Import) -> CoreResult<Vec<Row>> {
    imports::Entity::update_many()
        .col_expr(
            imports::Column::LeaseUntil,
            Expr::value((chrono::Utc::now() + LEASE).fixed_offset()),
        )
        .filter(imports::Column::Id.eq(import.id))
        .exec(&ctx.db)
        .await?;
    Ok(import_rows::Entity::find()
        .filter(import_rows::Column::ImportId.eq(import.id))
        .filter(import_rows::Column::Outcome.is_null())
        .order_by_asc(import_rows::Column::Id)
        .limit(BATCH)
        .all(&ctx.db)
        .await?)
}

/// Records what came of one line: the account or post it named, or why it failed.
pub async fn record(ctx: &Context, row: &Row, outcome: Result<i64, String>) -> CoreResult<()> {
    let failed = outcome.is_err();
    let (outcome, target, error) = match outcome {
        Ok(target) => (DONE, Some(target), None),
        Err(why) => (FAILED, None, Some(why)),
    };
    let txn = ctx.db.begin().await?;
    let changed = import_rows::Entity::update_many()
        .col_expr(import_rows::Column::Outcome, Expr::value(outcome))
        .col_expr(import_rows::Column::TargetId, Expr::value(target))
        .col_expr(import_rows::Column::Error, Expr::value(error))
        .filter(import_rows::Column::Id.eq(row.id))
        .filter(import_rows::Column::Outcome.is_null())
        .exec(&txn)
        .await?;
    // Counted once, even if two processes raced to the same line.
    if changed.rows_affected == 1 {
        let mut update = imports::Entity::update_many()
            .col_expr(
                imports::Column::Processed,
                Expr::col(imports::Column::Processed).add(1),
            )
            .filter(imports::Column::Id.eq(row.import_id));
        if failed {
            update = update.col_expr(
                imports::Column::Failed,
                Expr::col(imports::Column::Failed).add(1),
            );
        }
        update.exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// What an overwriting import keeps: the targets of its lines that were done, and those of
/// failed lines that name an account already known here (a peer down for the length of the
/// import must not end a follow the file asked to keep).
pub async fn kept_targets(ctx: &Context, import: &Import) -> CoreResult<Vec<Row>> {
    let rows = import_rows::Entity::find()
        .filter(import_rows::Column::ImportId.eq(import.id))
        .all(&ctx.db)
        .await?;
    let mut kept = Vec::with_capacity(rows.len());
    for mut row in rows {
        if row.outcome.as_deref() == Some(FAILED) && row.target_id.is_none() {
            row.target_id = known_target(ctx, import, &cells(&row)).await?;
        }
        kept.push(row);
    }
    Ok(kept)
}

/// The account or post a line names, if it is known here already (no network).
async fn known_target(ctx: &Context, import: &Import, cells: &[String]) -> CoreResult<Option<i64>> {
    if import.kind == Kind::Bookmarks.as_str() {
        let Some(url) = cells.first() else {
            return Ok(None);
        };
        return Ok(crate::posts::by_ap_id(ctx, url).await?.map(|p| p.id));
    }
    let address = if import.kind == Kind::Lists.as_str() {
        cells.get(1)
    } else {
        cells.first()
    };
    let Some(Ok((user, domain))) = address.map(|a| parse_account(a)) else {
        return Ok(None);
    };
    let found = match domain {
        None => crate::accounts::local_by_username(ctx, user).await.ok(),
        Some(d) if d.eq_ignore_ascii_case(ctx.domain()) => {
            crate::accounts::local_by_username(ctx, user).await.ok()
        }
        Some(d) => crate::accounts::remote_by_handle(ctx, user, d).await?,
    };
    Ok(found.map(|a| a.id))
}

/// Marks the import finished (after an overwrite has undone what the file does not name).
pub async fn finish(ctx: &Context, import: &Import) -> CoreResult<()> {
    imports::Entity::update_many()
        .col_expr(imports::Column::State, Expr::value(FINISHED))
        .col_expr(imports::Column::FinishedAt, Expr::value(now()))
        .col_expr(
            imports::Column::LeaseUntil,
            Expr::value(None::<chrono::DateTime<chrono::FixedOffset>>),
        )
        .filter(imports::Column::Id.eq(import.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The import as it stands now.
pub async fn reload(ctx: &Context, import: &Import) -> CoreResult<Import> {
    imports::Entity::find_by_id(import.id)
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)
}
