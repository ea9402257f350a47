//! The audit log: every moderation action, who took it, on what, why and when. Rows are
//! never changed or removed; the log outlives the accounts it names (no foreign keys).

use crate::{Context, error::CoreResult};
use passage_db::{entities::audit_log, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::Value;

pub type Entry = audit_log::Model;

/// One action, as written to the log.
pub struct Action<'a> {
    /// The moderator (a local actor), or None for the system (expiry, subscriptions).
    pub moderator_id: Option<i64>,
    /// What was done, dotted: `domain_block.create`, `domain_allow.destroy`...
    pub action: &'a str,
    /// What it was done to: a domain, an account handle, a report id.
    pub target: &'a str,
    pub reason: Option<&'a str>,
    /// What changed, for the record.
    pub detail: Value,
}

/// Writes one action, in the same transaction as the change it records.
pub async fn record(db: &impl ConnectionTrait, entry: Action<'_>) -> CoreResult<()> {
    audit_log::ActiveModel {
        moderator_id: Set(entry.moderator_id),
        action: Set(entry.action.to_owned()),
        target: Set(entry.target.to_owned()),
        reason: Set(entry.reason.map(str::to_owned)),
        detail: Set(entry.detail.to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Writes one action in `txn` and commits it: the end of most moderation changes.
pub async fn commit(txn: sea_orm::DatabaseTransaction, entry: Action<'_>) -> CoreResult<()> {
    record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// The newest entries first, older than `max_id` when paging.
pub async fn list(ctx: &Context, max_id: Option<i64>, limit: u64) -> CoreResult<Vec<Entry>> {
    let mut q = audit_log::Entity::find();
    if let Some(max) = max_id {
        q = q.filter(audit_log::Column::Id.lt(max));
    }
    Ok(q.order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}
