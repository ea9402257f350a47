//! Bookmarks: private, never federated.

use crate::{Actor, Context, Post, error::CoreResult, posts::can_view};
use passage_db::{Page, entities::bookmarks, now, queries::batch};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Bookmarks `post` for `actor` (idempotent); only posts the actor may see.
pub async fn add(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    if !can_view(ctx, Some(actor), post).await? {
        return Err(crate::CoreError::NotFound);
    }
    let row = bookmarks::ActiveModel {
        actor_id: Set(actor.id),
        post_id: Set(post.id),
        created_at: Set(now()),
        ..Default::default()
    };
    match row.insert(&ctx.db).await {
        Err(e) if passage_db::is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

pub async fn remove(ctx: &Context, actor: &Actor, post: &Post) -> CoreResult<()> {
    bookmarks::Entity::delete_many()
        .filter(bookmarks::Column::ActorId.eq(actor.id))
        .filter(bookmarks::Column::PostId.eq(post.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The actor's bookmarks, newest first, each with its bookmark id (the pagination cursor).
pub async fn list(ctx: &Context, actor: &Actor, page: Page) -> CoreResult<Vec<(i64, Post)>> {
    let select = bookmarks::Entity::find().filter(bookmarks::Column::ActorId.eq(actor.id));
    let rows = page.finish(
        page.apply(select, bookmarks::Column::Id)
            .all(&ctx.db)
            .await?,
    );
    with_posts(ctx, actor, rows.iter().map(|b| (b.id, b.post_id)).collect()).await
}

/// `(cursor, post_id)` pairs → `(cursor, post)`, keeping only what `viewer` may still see:
/// a post bookmarked or liked while she followed its author leaves her lists when she no
/// longer does (or when it is deleted or turned private).
pub(crate) async fn with_posts(
    ctx: &Context,
    viewer: &Actor,
    pairs: Vec<(i64, i64)>,
) -> CoreResult<Vec<(i64, Post)>> {
    let ids: Vec<i64> = pairs.iter().map(|(_, p)| *p).collect();
    let posts = batch::posts_by_ids(&ctx.db, &ids).await?;
    let mut out = Vec::with_capacity(pairs.len());
    for (cursor, id) in pairs {
        let Some(post) = posts.iter().find(|p| p.id == id) else {
            continue;
        };
        if can_view(ctx, Some(viewer), post).await? {
            out.push((cursor, post.clone()));
        }
    }
    Ok(out)
}
