//! Account actions: a moderator limits or suspends an account, local or remote, and can lift
//! it again. Nothing is deleted, so every action is reversible:
//! - `silence` (Mastodon's name for a limit): the account's posts leave public timelines and
//!   streams; its followers still see them;
//! - `suspend`: its follows with this instance end, its posts leave public timelines, its
//!   activities are refused at the inbox, and a local account can no longer log in;
//! - `none`: a warning, written to the audit log only.

use super::{
    By,
    audit::{self, Action},
    check_staff, staff_role,
};
use crate::{
    Actor, Context,
    error::{CoreError, CoreResult},
};
use passage_db::{
    entities::{actors, follows},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;

/// What a moderator does to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A warning only.
    None,
    Silence,
    Suspend,
}

impl Kind {
    /// Mastodon's `type`; `disable` and `sensitive` are refused with a clear error until they
    /// exist here.
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "none" => Ok(Self::None),
            "silence" | "limit" => Ok(Self::Silence),
            "suspend" => Ok(Self::Suspend),
            other => Err(CoreError::Invalid(format!(
                "type: {other:?} is not none, silence or suspend"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::None => "warn",
            Self::Silence => "silence",
            Self::Suspend => "suspend",
        }
    }
}

/// Handle as the audit log names an account.
fn handle(target: &Actor) -> String {
    format!("@{}@{}", target.username, target.domain)
}

/// Moderators act on members and remote accounts, not on the instance's own staff.
async fn check_target(ctx: &Context, by: By<'_>, target: &Actor) -> CoreResult<()> {
    check_staff(ctx, by).await?;
    if staff_role(ctx, target).await?.is_some() {
        return Err(CoreError::Forbidden(
            "moderators do not act on the instance's staff".into(),
        ));
    }
    Ok(())
}

/// Takes `kind` of action on `target`, with a reason for the log.
pub async fn act(
    ctx: &Context,
    by: By<'_>,
    target: &Actor,
    kind: Kind,
    reason: Option<&str>,
) -> CoreResult<Actor> {
    check_target(ctx, by, target).await?;
    let txn = ctx.db.begin().await?;
    let mut row: actors::ActiveModel = target.clone().into();
    let mut severed = 0;
    match kind {
        Kind::None => {}
        Kind::Silence => row.silenced_at = Set(Some(now())),
        Kind::Suspend => {
            row.suspended_at = Set(Some(now()));
            severed = follows::Entity::delete_many()
                .filter(
                    Condition::any()
                        .add(follows::Column::FollowerId.eq(target.id))
                        .add(follows::Column::FolloweeId.eq(target.id)),
                )
                .exec(&txn)
                .await?
                .rows_affected;
        }
    }
    let actor = row.update(&txn).await?;
    audit::record(
        &txn,
        Action {
            moderator_id: by.moderator_id(),
            action: &format!("account.{}", kind.name()),
            target: &handle(target),
            reason,
            detail: json!({"follows_severed": severed}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(actor)
}

/// Lifts a limit (`Kind::Silence`) or a suspension (`Kind::Suspend`). Severed follows stay
/// ended.
pub async fn lift(ctx: &Context, by: By<'_>, target: &Actor, kind: Kind) -> CoreResult<Actor> {
    check_target(ctx, by, target).await?;
    let txn = ctx.db.begin().await?;
    let mut row: actors::ActiveModel = target.clone().into();
    match kind {
        Kind::None => return Ok(target.clone()),
        Kind::Silence => row.silenced_at = Set(None),
        Kind::Suspend => row.suspended_at = Set(None),
    }
    let actor = row.update(&txn).await?;
    audit::record(
        &txn,
        Action {
            moderator_id: by.moderator_id(),
            action: &format!("account.un{}", kind.name()),
            target: &handle(target),
            reason: None,
            detail: json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(actor)
}
