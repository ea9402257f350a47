//! The probation queue. A domain on probation federates, but what its accounts send
//! unasked waits here for a moderator: a post from an account nobody here follows, or one
//! that mentions a member who does not follow its author. Nothing held reaches a timeline, a
//! notification or a stream until a moderator lets it in; turning it down leaves no trace
//! but the audit entry. Posts that members asked for (they follow the author) pass at once,
//! so probation costs the people who chose that peer nothing.
//!
//! The post is kept as it arrived (its signature and origin already checked), so letting it
//! in later stores exactly what would have been stored then; the federation layer does that
//! (`passage_federation::held`).

use super::{
    By,
    audit::{self, Action},
    check_staff,
};
use crate::{
    Context,
    error::{CoreResult, OrNotFound},
};
use passage_db::{
    entities::{actors, follows, held_posts},
    now,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

pub type HeldPost = held_posts::Model;

/// Why a post waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Nobody here follows its author.
    NotFollowed,
    /// It mentions a member who does not follow its author.
    Mention,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFollowed => "not_followed",
            Self::Mention => "mention",
        }
    }
}

/// Why a post by `author_id` mentioning the local accounts `mentioned` would be unasked for,
/// or None when members asked for it.
pub async fn unsolicited(
    ctx: &Context,
    author_id: i64,
    mentioned: &[i64],
) -> CoreResult<Option<Reason>> {
    let local_followers = |q: sea_orm::Select<follows::Entity>| {
        q.filter(follows::Column::FolloweeId.eq(author_id))
            .filter(follows::Column::Accepted.eq(true))
    };
    let local = actors::Entity::find()
        .select_only()
        .column(actors::Column::Id)
        .filter(actors::Column::Local.eq(true))
        .filter(actors::Column::Id.is_in(mentioned.iter().copied()))
        .into_tuple::<i64>()
        .all(&ctx.db)
        .await?;
    if !local.is_empty() {
        let following = local_followers(follows::Entity::find())
            .filter(follows::Column::FollowerId.is_in(local.iter().copied()))
            .count(&ctx.db)
            .await?;
        if following < local.len() as u64 {
            return Ok(Some(Reason::Mention));
        }
        return Ok(None);
    }
    let followed = local_followers(follows::Entity::find())
        .filter(
            follows::Column::FollowerId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(actors::Column::Id)
                    .from(actors::Entity)
                    .and_where(actors::Column::Local.eq(true))
                    .to_owned(),
            ),
        )
        .count(&ctx.db)
        .await?;
    Ok((followed == 0).then_some(Reason::NotFollowed))
}

/// Puts a post in the queue.
pub async fn hold(
    ctx: &Context,
    author_id: i64,
    ap_id: &str,
    object: &serde_json::Value,
    reason: Reason,
) -> CoreResult<()> {
    held_posts::Entity::insert(held_posts::ActiveModel {
        ap_id: Set(ap_id.to_owned()),
        author_id: Set(author_id),
        reason: Set(reason.as_str().to_owned()),
        object: Set(object.to_string()),
        received_at: Set(now()),
        ..Default::default()
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&ctx.db)
    .await?;
    tracing::info!(
        ap_id,
        reason = reason.as_str(),
        "post from a domain on probation held"
    );
    Ok(())
}

/// An edit of a held post: the new version waits instead of the old one.
pub async fn replace(ctx: &Context, ap_id: &str, object: &serde_json::Value) -> CoreResult<()> {
    held_posts::Entity::update_many()
        .col_expr(held_posts::Column::Object, object.to_string().into())
        .filter(held_posts::Column::ApId.eq(ap_id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// Whether a post is waiting in the queue (its edits wait with it).
pub async fn is_held(ctx: &Context, ap_id: &str) -> CoreResult<bool> {
    Ok(held_posts::Entity::find()
        .filter(held_posts::Column::ApId.eq(ap_id))
        .count(&ctx.reader)
        .await?
        > 0)
}

/// Drops a held post its author deleted; whether there was one.
pub async fn forget(ctx: &Context, author_id: i64, ap_id: &str) -> CoreResult<bool> {
    let done = held_posts::Entity::delete_many()
        .filter(held_posts::Column::ApId.eq(ap_id))
        .filter(held_posts::Column::AuthorId.eq(author_id))
        .exec(&ctx.db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// The queue, oldest first (the order they should be handled in).
pub async fn list(ctx: &Context, by: By<'_>, limit: u64) -> CoreResult<Vec<HeldPost>> {
    check_staff(ctx, by).await?;
    Ok(held_posts::Entity::find()
        .order_by_asc(held_posts::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}

pub async fn get(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<HeldPost> {
    check_staff(ctx, by).await?;
    held_posts::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// Takes a post out of the queue once the caller has stored it (so a failure to store
/// leaves it waiting). Audited.
pub async fn approve(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<HeldPost> {
    decide(ctx, by, id, "held_post.approve").await
}

/// Turns a post down: it is dropped, and its author is not told. Audited.
pub async fn reject(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<HeldPost> {
    decide(ctx, by, id, "held_post.reject").await
}

async fn decide(ctx: &Context, by: By<'_>, id: i64, action: &str) -> CoreResult<HeldPost> {
    let held = get(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    held_posts::Entity::delete_by_id(held.id).exec(&txn).await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action,
        target: &held.ap_id,
        reason: None,
        detail: json!({"author_id": held.author_id, "reason": held.reason}),
    };
    audit::commit(txn, entry).await?;
    Ok(held)
}
