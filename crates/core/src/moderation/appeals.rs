//! Appeals: an account may contest a warning once, within [`WINDOW`] of it (Mastodon's
//! rule). A moderator approves it, which lifts the action, or rejects it; both are audited,
//! and the account sees the outcome beside its warning.

use super::{
    By,
    accounts::{self as actions, Kind},
    audit::{self, Action},
    check_staff,
};
use crate::{
    Actor, Context,
    error::{CoreError, CoreResult, OrNotFound},
};
use passage_db::{entities::appeals, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;

pub type Appeal = appeals::Model;

/// How long after a warning it may be appealed.
pub const WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(20);

/// Where an appeal stands, by Mastodon's names.
pub fn state(a: &Appeal) -> &'static str {
    if a.approved_at.is_some() {
        "approved"
    } else if a.rejected_at.is_some() {
        "rejected"
    } else {
        "pending"
    }
}

/// The appeal of a warning, if there is one.
pub async fn of_warning(ctx: &Context, warning_id: i64) -> CoreResult<Option<Appeal>> {
    Ok(appeals::Entity::find()
        .filter(appeals::Column::WarningId.eq(warning_id))
        .one(&ctx.db)
        .await?)
}

/// `member` appeals one of their own warnings.
pub async fn appeal(
    ctx: &Context,
    member: &Actor,
    warning_id: i64,
    text: &str,
) -> CoreResult<Appeal> {
    let warning = actions::warning(ctx, warning_id).await?;
    if warning.target_id != member.id {
        return Err(CoreError::NotFound);
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(CoreError::Invalid("text: 1 to 2000 characters".into()));
    }
    if now() - warning.created_at > WINDOW {
        return Err(CoreError::Invalid(
            "the time to appeal this warning (20 days) has passed".into(),
        ));
    }
    if of_warning(ctx, warning_id).await?.is_some() {
        return Err(CoreError::Invalid(
            "this warning has been appealed already".into(),
        ));
    }
    Ok(appeals::ActiveModel {
        warning_id: Set(warning_id),
        account_id: Set(member.id),
        text: Set(text.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?)
}

/// Appeals, oldest first: the undecided ones, or all.
pub async fn list(ctx: &Context, by: By<'_>, pending_only: bool) -> CoreResult<Vec<Appeal>> {
    check_staff(ctx, by).await?;
    let mut q = appeals::Entity::find();
    if pending_only {
        q = q
            .filter(appeals::Column::ApprovedAt.is_null())
            .filter(appeals::Column::RejectedAt.is_null());
    }
    Ok(q.order_by_asc(appeals::Column::Id).all(&ctx.db).await?)
}

async fn undecided(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Appeal> {
    check_staff(ctx, by).await?;
    let appeal = appeals::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    if state(&appeal) != "pending" {
        return Err(CoreError::Invalid(
            "this appeal has been decided already".into(),
        ));
    }
    Ok(appeal)
}

/// Grants an appeal: the action it contests is lifted.
pub async fn approve(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Appeal> {
    let appeal = undecided(ctx, by, id).await?;
    let warning = actions::warning(ctx, appeal.warning_id).await?;
    let target = crate::accounts::by_id(ctx, warning.target_id).await?;
    if warning.lifted_at.is_none() {
        actions::lift(ctx, by, &target, Kind::parse(&warning.action)?).await?;
    }
    decide(ctx, by, appeal, true).await
}

/// Turns an appeal down: the action stays.
pub async fn reject(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Appeal> {
    let appeal = undecided(ctx, by, id).await?;
    decide(ctx, by, appeal, false).await
}

async fn decide(ctx: &Context, by: By<'_>, appeal: Appeal, approved: bool) -> CoreResult<Appeal> {
    let txn = ctx.db.begin().await?;
    let mut row: appeals::ActiveModel = appeal.clone().into();
    if approved {
        row.approved_at = Set(Some(now()));
    } else {
        row.rejected_at = Set(Some(now()));
    }
    row.decided_by_id = Set(by.moderator_id());
    let decided = row.update(&txn).await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: if approved {
            "appeal.approve"
        } else {
            "appeal.reject"
        },
        target: &format!("warning {}", appeal.warning_id),
        reason: None,
        detail: json!({"appeal_id": appeal.id, "account_id": appeal.account_id}),
    };
    audit::commit(txn, entry).await?;
    Ok(decided)
}
