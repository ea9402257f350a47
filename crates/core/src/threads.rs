//! Threads: every post names the first post of its thread (`thread_id`). A member who mutes a
//! thread hears no more notifications about any post in it, as Mastodon's "mute conversation".

use crate::{Actor, Context, CoreError, Post, error::CoreResult, posts};
use passage_db::{
    entities::{posts as post_rows, thread_mutes},
    now,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

/// The thread a post belongs to.
pub fn of(post: &Post) -> i64 {
    post.thread_id.unwrap_or(post.id)
}

/// Mutes the thread of a post the actor can see, or that concerns them. Idempotent.
pub async fn mute(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    if !posts::can_view(ctx, Some(actor), post).await? {
        return Err(CoreError::NotFound);
    }
    thread_mutes::Entity::insert(thread_mutes::ActiveModel {
        actor_id: Set(actor.id),
        thread_id: Set(of(post)),
        created_at: Set(now()),
    })
    .on_conflict_do_nothing()
    .exec(&ctx.db)
    .await?;
    Ok(())
}

pub async fn unmute(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    thread_mutes::Entity::delete_by_id((actor.id, of(post)))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// Which of these threads `actor` muted.
pub async fn muted_among(ctx: &Context, actor: &Actor, thread_ids: &[i64]) -> CoreResult<Vec<i64>> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(thread_mutes::Entity::find()
        .select_only()
        .column(thread_mutes::Column::ThreadId)
        .filter(thread_mutes::Column::ActorId.eq(actor.id))
        .filter(thread_mutes::Column::ThreadId.is_in(thread_ids.to_vec()))
        .into_tuple()
        .all(&ctx.reader)
        .await?)
}

/// Has `actor_id` muted the thread `post_id` is in? One query, for notifications.
pub(crate) async fn is_muted(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_id: i64,
) -> CoreResult<bool> {
    let thread: Option<Option<i64>> = post_rows::Entity::find_by_id(post_id)
        .select_only()
        .column(post_rows::Column::ThreadId)
        .into_tuple()
        .one(db)
        .await?;
    let thread = thread.flatten().unwrap_or(post_id);
    Ok(thread_mutes::Entity::find_by_id((actor_id, thread))
        .one(db)
        .await?
        .is_some())
}
