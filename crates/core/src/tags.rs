//! Hashtags a member follows: public posts carrying them join the member's home timeline.

use crate::{Actor, Context, CoreError, error::CoreResult};
use passage_db::{entities::followed_tags, now};
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
