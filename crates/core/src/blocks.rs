//! Blocks and mutes: what a member keeps away from themselves.
//!
//! A block ends follows both ways (the other side's server hears an Undo or a Reject), stops
//! new follows either way, and hides the blocked account's posts and notifications; accounts
//! that block the viewer are hidden from them too. A mute only hides: posts always,
//! notifications unless the member keeps them. Neither is told to the other account: a
//! `Block` sent out would tell a harasser they were blocked, and ending the follows already
//! stops what they received. A `Block` from another server is honoured: the follows between
//! its sender and our member end, and our member no longer sees the sender.

use crate::{Actor, Context, CoreError, error::CoreResult, follows};
use passage_db::{
    Page,
    entities::{account_blocks as blocks, account_mutes as mutes},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashSet;

pub async fn block(ctx: &Context, actor: &Actor, target: &Actor) -> CoreResult<()> {
    if actor.id == target.id {
        return Err(CoreError::Invalid("an account cannot block itself".into()));
    }
    follows::unfollow(ctx, actor, target).await?;
    match follows::reject(ctx, actor, target).await {
        Ok(()) | Err(CoreError::NotFound) => {}
        Err(e) => return Err(e),
    }
    let row = blocks::ActiveModel {
        actor_id: Set(actor.id),
        target_id: Set(target.id),
        hide_notifications: Set(true),
        created_at: Set(now()),
        ..Default::default()
    };
    ignore_duplicate(row.insert(&ctx.db).await.map(drop))
}

pub async fn unblock(ctx: &Context, actor: &Actor, target: &Actor) -> CoreResult<()> {
    blocks::Entity::delete_many()
        .filter(blocks::Column::ActorId.eq(actor.id))
        .filter(blocks::Column::TargetId.eq(target.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// A remote account blocked one of our members (`Block` received): the follows between them
/// end here without a word back (the blocker's server has ended them on its side), and the
/// block is kept, so our member stops seeing the blocker and cannot follow again.
pub async fn receive_block(ctx: &Context, blocker: &Actor, target: &Actor) -> CoreResult<()> {
    if blocker.local || !target.local {
        return Err(CoreError::Forbidden(
            "a remote account may only block a local one".into(),
        ));
    }
    follows::receive_undo(ctx, blocker, target).await?;
    follows::receive_undo(ctx, target, blocker).await?;
    let row = blocks::ActiveModel {
        actor_id: Set(blocker.id),
        target_id: Set(target.id),
        hide_notifications: Set(true),
        created_at: Set(now()),
        ..Default::default()
    };
    ignore_duplicate(row.insert(&ctx.db).await.map(drop))
}

/// Mutes `target`; `notifications` false keeps their notifications coming. Muting again
/// updates the choice.
pub async fn mute(
    ctx: &Context,
    actor: &Actor,
    target: &Actor,
    notifications: bool,
) -> CoreResult<()> {
    if actor.id == target.id {
        return Err(CoreError::Invalid("an account cannot mute itself".into()));
    }
    unmute(ctx, actor, target).await?;
    mutes::ActiveModel {
        actor_id: Set(actor.id),
        target_id: Set(target.id),
        hide_notifications: Set(notifications),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?;
    Ok(())
}

pub async fn unmute(ctx: &Context, actor: &Actor, target: &Actor) -> CoreResult<()> {
    mutes::Entity::delete_many()
        .filter(mutes::Column::ActorId.eq(actor.id))
        .filter(mutes::Column::TargetId.eq(target.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

fn ignore_duplicate(result: Result<(), sea_orm::DbErr>) -> CoreResult<()> {
    match result {
        Err(e) if passage_db::is_unique_violation(&e) => Ok(()),
        other => Ok(other?),
    }
}

/// Does either account block the other? Then no follow may start between them.
pub async fn between(ctx: &Context, a: &Actor, b: &Actor) -> CoreResult<bool> {
    let found = blocks::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(blocks::Column::ActorId.eq(a.id))
                        .add(blocks::Column::TargetId.eq(b.id)),
                )
                .add(
                    Condition::all()
                        .add(blocks::Column::ActorId.eq(b.id))
                        .add(blocks::Column::TargetId.eq(a.id)),
                ),
        )
        .one(&ctx.db)
        .await?;
    Ok(found.is_some())
}

/// Does `author` block `viewer`? Then `viewer` reads none of her posts, as in Mastodon.
pub(crate) async fn blocks_viewer(
    db: &impl sea_orm::ConnectionTrait,
    author_id: i64,
    viewer_id: i64,
) -> CoreResult<bool> {
    Ok(blocks::Entity::find()
        .filter(blocks::Column::ActorId.eq(author_id))
        .filter(blocks::Column::TargetId.eq(viewer_id))
        .one(db)
        .await?
        .is_some())
}

/// Whom a viewer does not see: in timelines (`posts`) and in notifications.
#[derive(Clone, Debug, Default)]
pub struct Hidden {
    pub posts: HashSet<i64>,
    pub notifications: HashSet<i64>,
}

pub async fn hidden_from(ctx: &Context, viewer: &Actor) -> CoreResult<Hidden> {
    let blocked: Vec<(i64, i64)> = blocks::Entity::find()
        .select_only()
        .column(blocks::Column::ActorId)
        .column(blocks::Column::TargetId)
        .filter(
            Condition::any()
                .add(blocks::Column::ActorId.eq(viewer.id))
                .add(blocks::Column::TargetId.eq(viewer.id)),
        )
        .into_tuple()
        .all(&ctx.reader)
        .await?;
    let muted: Vec<(i64, bool)> = mutes::Entity::find()
        .select_only()
        .column(mutes::Column::TargetId)
        .column(mutes::Column::HideNotifications)
        .filter(mutes::Column::ActorId.eq(viewer.id))
        .into_tuple()
        .all(&ctx.reader)
        .await?;
    let mut hidden = Hidden::default();
    for (by, target) in blocked {
        let other = if by == viewer.id { target } else { by };
        hidden.posts.insert(other);
        hidden.notifications.insert(other);
    }
    for (target, notifications) in muted {
        hidden.posts.insert(target);
        if notifications {
            hidden.notifications.insert(target);
        }
    }
    Ok(hidden)
}

/// How the viewer stands: blocking, blocked by, muting (and whether notifications too).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
}

/// The viewer's standing towards each of `target_ids`, in order, in two queries.
pub async fn standings(
    ctx: &Context,
    viewer: &Actor,
    target_ids: &[i64],
) -> CoreResult<Vec<Standing>> {
    let ids = || target_ids.iter().copied();
    let blocked = blocks::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(blocks::Column::ActorId.eq(viewer.id))
                        .add(blocks::Column::TargetId.is_in(ids())),
                )
                .add(
                    Condition::all()
                        .add(blocks::Column::ActorId.is_in(ids()))
                        .add(blocks::Column::TargetId.eq(viewer.id)),
                ),
        )
        .all(&ctx.db)
        .await?;
    let muted = mutes::Entity::find()
        .filter(mutes::Column::ActorId.eq(viewer.id))
        .filter(mutes::Column::TargetId.is_in(ids()))
        .all(&ctx.db)
        .await?;
    Ok(target_ids
        .iter()
        .map(|&id| {
            let mute = muted.iter().find(|m| m.target_id == id);
            Standing {
                blocking: blocked
                    .iter()
                    .any(|b| b.actor_id == viewer.id && b.target_id == id),
                blocked_by: blocked
                    .iter()
                    .any(|b| b.actor_id == id && b.target_id == viewer.id),
                muting: mute.is_some(),
                muting_notifications: mute.is_some_and(|m| m.hide_notifications),
            }
        })
        .collect())
}

/// Everyone `viewer` blocks (`mutes_list` false) or mutes, oldest first, each with whether
/// their notifications are hidden too (for exports and imports; always true for blocks).
pub async fn all(ctx: &Context, viewer: &Actor, mutes_list: bool) -> CoreResult<Vec<(i64, bool)>> {
    Ok(if mutes_list {
        mutes::Entity::find()
            .select_only()
            .column(mutes::Column::TargetId)
            .column(mutes::Column::HideNotifications)
            .filter(mutes::Column::ActorId.eq(viewer.id))
            .order_by_asc(mutes::Column::Id)
            .into_tuple()
            .all(&ctx.db)
            .await?
    } else {
        let ids: Vec<i64> = blocks::Entity::find()
            .select_only()
            .column(blocks::Column::TargetId)
            .filter(blocks::Column::ActorId.eq(viewer.id))
            .order_by_asc(blocks::Column::Id)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        ids.into_iter().map(|id| (id, true)).collect()
    })
}

/// The accounts `viewer` blocks (`mutes` false) or mutes, newest first, with cursors.
pub async fn list(
    ctx: &Context,
    viewer: &Actor,
    mutes_list: bool,
    page: Page,
) -> CoreResult<Vec<(i64, Actor)>> {
    let pairs = if mutes_list {
        let select = mutes::Entity::find().filter(mutes::Column::ActorId.eq(viewer.id));
        page.pairs(&ctx.db, select, mutes::Column::Id, mutes::Column::TargetId)
            .await?
    } else {
        let select = blocks::Entity::find().filter(blocks::Column::ActorId.eq(viewer.id));
        page.pairs(
            &ctx.db,
            select,
            blocks::Column::Id,
            blocks::Column::TargetId,
        )
        .await?
    };
    crate::accounts::with_cursors(ctx, pairs).await
}
