//! Hashtags: the ones a member follows (public posts carrying them join her home timeline),
//! the ones she features ([`featured`]), and finding them by their start.

pub mod featured;

use crate::{Actor, Context, CoreError, error::CoreResult};
use passage_db::{
    entities::{followed_tags, post_tags, posts},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};

/// A hashtag as stored: without `#`, lower case; letters, digits and `_` only.
pub fn normalise(name: &str) -> CoreResult<String> {
    let name = name.trim().trim_start_matches('#').to_lowercase();
    let ok = !name.is_empty()
        && name.chars().count() <= 100
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if ok {
        Ok(name)
    } else {
        Err(CoreError::NotFound)
    }
}

pub async fn follow(ctx: &Context, actor: &Actor, name: &str) -> CoreResult<String> {
    let name = normalise(name)?;
    let row = followed_tags::ActiveModel {
        actor_id: Set(actor.id),
        name: Set(name.clone()),
        created_at: Set(now()),
    };
    match row.insert(&ctx.db).await {
        Err(e) if passage_db::is_unique_violation(&e) => {}
        other => {
            other?;
        }
    }
    Ok(name)
}

pub async fn unfollow(ctx: &Context, actor: &Actor, name: &str) -> CoreResult<String> {
    let name = normalise(name)?;
    followed_tags::Entity::delete_by_id((actor.id, name.clone()))
        .exec(&ctx.db)
        .await?;
    Ok(name)
}

pub async fn is_followed(ctx: &Context, actor: &Actor, name: &str) -> CoreResult<bool> {
    Ok(
        followed_tags::Entity::find_by_id((actor.id, name.to_owned()))
            .one(&ctx.db)
            .await?
            .is_some(),
    )
}

/// The hashtags `actor` follows, most recent first.
pub async fn followed(ctx: &Context, actor: &Actor) -> CoreResult<Vec<String>> {
    Ok(followed_tags::Entity::find()
        .filter(followed_tags::Column::ActorId.eq(actor.id))
        .order_by_desc(followed_tags::Column::CreatedAt)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect())
}

/// Hashtags that start with `prefix` (normalised) and are on public posts, alphabetically,
/// at most `limit`: what a hashtag search offers, as Mastodon offers the tags that start with
/// what was typed. Each step is one index seek past the last name seen; at most `3 * limit`
/// names are looked at, so tags used only privately cannot make the walk long, and are never
/// offered (a direct message's tag says something about it).
pub async fn starting_with(ctx: &Context, prefix: &str, limit: usize) -> CoreResult<Vec<String>> {
    let Ok(prefix) = normalise(prefix) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    let mut next = post_tags::Entity::find()
        .filter(post_tags::Column::Name.gte(prefix.as_str()))
        .order_by_asc(post_tags::Column::Name)
        .one(&ctx.reader)
        .await?;
    for _ in 0..limit.saturating_mul(3) {
        let Some(row) = next.take().filter(|r| r.name.starts_with(&prefix)) else {
            break;
        };
        if on_public_post(ctx, &row.name).await? {
            found.push(row.name.clone());
            if found.len() >= limit {
                break;
            }
        }
        next = post_tags::Entity::find()
            .filter(post_tags::Column::Name.gt(row.name.as_str()))
            .order_by_asc(post_tags::Column::Name)
            .one(&ctx.reader)
            .await?;
    }
    Ok(found)
}

async fn on_public_post(ctx: &Context, name: &str) -> CoreResult<bool> {
    let public = posts::Entity::find()
        .filter(posts::Column::Visibility.eq("public"))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(
            posts::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(post_tags::Column::PostId)
                    .from(post_tags::Entity)
                    .and_where(post_tags::Column::Name.eq(name))
                    .to_owned(),
            ),
        )
        .one(&ctx.reader)
        .await?;
    Ok(public.is_some())
}
