//! Pinned posts: up to five of a member's own posts shown first on their profile.

use crate::{Actor, Context, CoreError, Post, error::CoreResult, posts, visibility::Visibility};
use passage_db::{entities::pins, now, queries::batch};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// Most pinned posts per account (Mastodon's limit).
pub const MAX_PINS: u64 = 5;

/// Pins one of the actor's own posts (not a boost, not a direct post). Idempotent.
pub async fn pin(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    if post.author_id != actor.id || post.reblog_of_id.is_some() || post.deleted_at.is_some() {
        return Err(CoreError::Invalid(
            "only your own posts can be pinned".into(),
        ));
    }
    if Visibility::parse(&post.visibility)? == Visibility::Direct {
        return Err(CoreError::Invalid("direct posts cannot be pinned".into()));
    }
    if pins::Entity::find_by_id((actor.id, post.id))
        .one(&ctx.db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let count = pins::Entity::find()
        .filter(pins::Column::ActorId.eq(actor.id))
        .count(&ctx.db)
        .await?;
    if count >= MAX_PINS {
        return Err(CoreError::Invalid(format!(
            "at most {MAX_PINS} posts can be pinned"
        )));
    }
    pins::ActiveModel {
        actor_id: Set(actor.id),
        post_id: Set(post.id),
        created_at: Set(now()),
    }
    .insert(&ctx.db)
    .await?;
    Ok(())
}

pub async fn unpin(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    pins::Entity::delete_by_id((actor.id, post.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The author's pinned posts that `viewer` may see, last pinned first.
pub async fn of(ctx: &Context, viewer: Option<&Actor>, author: &Actor) -> CoreResult<Vec<Post>> {
    let ids: Vec<i64> = pins::Entity::find()
        .select_only()
        .column(pins::Column::PostId)
        .filter(pins::Column::ActorId.eq(author.id))
        .order_by_desc(pins::Column::CreatedAt)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let found = batch::posts_by_ids(&ctx.db, &ids).await?;
    let mut shown = Vec::new();
    for id in ids {
        if let Some(post) = found.iter().find(|p| p.id == id)
            && posts::can_view(ctx, viewer, post).await?
        {
            shown.push(post.clone());
        }
    }
    Ok(shown)
}

/// Which of these posts `actor` pinned.
pub async fn pinned_among(ctx: &Context, actor: &Actor, post_ids: &[i64]) -> CoreResult<Vec<i64>> {
    Ok(pins::Entity::find()
        .select_only()
        .column(pins::Column::PostId)
        .filter(pins::Column::ActorId.eq(actor.id))
        .filter(pins::Column::PostId.is_in(post_ids.iter().copied()))
        .into_tuple()
        .all(&ctx.reader)
        .await?)
}
