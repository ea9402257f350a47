//! Handling reports (members file them with [`crate::reports::file`]; other servers send
//! them as `Flag`s): moderators list them, take one on, resolve or reopen it, and may forward
//! a report about a remote account to that account's server. A forward is a `Flag` sent by
//! this instance's own actor, so the member who reported stays anonymous, and it is the
//! moderator's choice (the member only asks for it), as Misskey does and Mastodon was asked
//! to do. Every step is written to the audit log.

use super::{
    By,
    audit::{self, Action},
    check_staff,
};
use crate::{
    Context, accounts,
    error::{CoreError, CoreResult, OrNotFound},
    outbox::{self, Intent},
    reports::Report,
};
use passage_db::{
    entities::{report_notes, reports},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

/// Reports, newest first: open ones, or resolved ones.
pub async fn list(
    ctx: &Context,
    by: By<'_>,
    resolved: bool,
    limit: u64,
) -> CoreResult<Vec<Report>> {
    check_staff(ctx, by).await?;
    let q = reports::Entity::find();
    let q = if resolved {
        q.filter(reports::Column::ResolvedAt.is_not_null())
    } else {
        q.filter(reports::Column::ResolvedAt.is_null())
    };
    Ok(q.order_by_desc(reports::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}

pub async fn get(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Report> {
    check_staff(ctx, by).await?;
    reports::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// What a step does to a report, for [`step`].
enum Change {
    Assign(Option<i64>),
    Resolve,
    Reopen,
    Forward,
}

/// Applies one change with its audit entry (and, for a forward, the Flag to send).
async fn step(ctx: &Context, by: By<'_>, id: i64, change: Change) -> CoreResult<Report> {
    let report = get(ctx, by, id).await?;
    let target = accounts::by_id(ctx, report.target_id).await?;
    let (action, detail) = match &change {
        Change::Assign(to) => ("report.assign", json!({"assigned_to": to})),
        Change::Resolve => ("report.resolve", json!({})),
        Change::Reopen => ("report.reopen", json!({})),
        Change::Forward => ("report.forward", json!({"to": target.domain})),
    };
    if let Change::Forward = change {
        if target.local {
            return Err(CoreError::Invalid(
                "forward: the account is on this instance".into(),
            ));
        }
        if report.forwarded_at.is_some() {
            return Err(CoreError::Invalid("forward: already forwarded".into()));
        }
    }
    let instance = accounts::instance_actor(ctx).await?;
    let txn = ctx.db.begin().await?;
    let mut row: reports::ActiveModel = report.into();
    match change {
        Change::Assign(to) => row.assigned_to_id = Set(to),
        Change::Resolve => {
            row.resolved_at = Set(Some(now()));
            row.resolved_by_id = Set(by.moderator_id());
        }
        Change::Reopen => {
            row.resolved_at = Set(None);
            row.resolved_by_id = Set(None);
        }
        Change::Forward => {
            row.forwarded_at = Set(Some(now()));
            outbox::record(&txn, instance.id, &Intent::ForwardReport { report_id: id }).await?;
        }
    }
    let report = row.update(&txn).await?;
    audit::record(
        &txn,
        Action {
            moderator_id: by.moderator_id(),
            action,
            target: &format!("report {id} on @{}@{}", target.username, target.domain),
            reason: None,
            detail,
        },
    )
    .await?;
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(report)
}

/// The moderator takes the report on.
pub async fn assign_to_self(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Report> {
    step(ctx, by, id, Change::Assign(by.moderator_id())).await
}

pub async fn unassign(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Report> {
    step(ctx, by, id, Change::Assign(None)).await
}

pub async fn resolve(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Report> {
    step(ctx, by, id, Change::Resolve).await
}

pub async fn reopen(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Report> {
    step(ctx, by, id, Change::Reopen).await
}

/// Sends the report on to the reported account's server, as a `Flag` from this instance.
pub async fn forward(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Report> {
    step(ctx, by, id, Change::Forward).await
}

pub type Note = report_notes::Model;

/// A moderator writes a note on a report (what they found, what they decided). Audited.
pub async fn add_note(ctx: &Context, by: By<'_>, report_id: i64, text: &str) -> CoreResult<Note> {
    let report = get(ctx, by, report_id).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(CoreError::Invalid("text: 1 to 2000 characters".into()));
    }
    let txn = ctx.db.begin().await?;
    let note = report_notes::ActiveModel {
        report_id: Set(report.id),
        author_id: Set(by.moderator_id()),
        text: Set(text.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "report.note",
        target: &format!("report {}", report.id),
        reason: None,
        detail: json!({"note_id": note.id}),
    };
    audit::commit(txn, entry).await?;
    Ok(note)
}

/// The notes on a report, oldest first.
pub async fn notes(ctx: &Context, by: By<'_>, report_id: i64) -> CoreResult<Vec<Note>> {
    check_staff(ctx, by).await?;
    Ok(report_notes::Entity::find()
        .filter(report_notes::Column::ReportId.eq(report_id))
        .order_by_asc(report_notes::Column::Id)
        .all(&ctx.db)
        .await?)
}
