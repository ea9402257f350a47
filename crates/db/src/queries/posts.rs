//! Posts (notes, boosts and tombstones), with their mentions and hashtags.

use crate::entities::{
    post_mentions, post_tags,
    posts::{self, Column, Entity},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Condition, Query},
};

pub async fn by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<posts::Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn by_ap_id(
    db: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<posts::Model>, DbErr> {
    Entity::find().filter(Column::ApId.eq(ap_id)).one(db).await
}

/// The boost of `post_id` by `actor_id`, if any.
pub async fn reblog_by(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_id: i64,
) -> Result<Option<posts::Model>, DbErr> {
    Entity::find()
        .filter(Column::AuthorId.eq(actor_id))
        .filter(Column::ReblogOfId.eq(post_id))
        .filter(Column::DeletedAt.is_null())
        .one(db)
        .await
}

pub async fn mention_ids(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<i64>, DbErr> {
    post_mentions::Entity::find()
        .select_only()
        .column(post_mentions::Column::ActorId)
        .filter(post_mentions::Column::PostId.eq(post_id))
        .into_tuple()
        .all(db)
        .await
}

pub async fn tags(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<String>, DbErr> {
    post_tags::Entity::find()
        .select_only()
        .column(post_tags::Column::Name)
        .filter(post_tags::Column::PostId.eq(post_id))
        .into_tuple()
        .all(db)
        .await
}

/// Replaces the mentions and tags of a post (on create and on edit).
pub async fn set_mentions_and_tags(
    db: &impl ConnectionTrait,
    post_id: i64,
    mentions: &[i64],
    tags: &[String],
) -> Result<(), DbErr> {
    post_mentions::Entity::delete_many()
        .filter(post_mentions::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    post_tags::Entity::delete_many()
        .filter(post_tags::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    if !mentions.is_empty() {
        post_mentions::Entity::insert_many(mentions.iter().map(|&actor_id| {
            post_mentions::ActiveModel {
                post_id: sea_orm::Set(post_id),
                actor_id: sea_orm::Set(actor_id),
            }
        }))
        .exec(db)
        .await?;
    }
    if !tags.is_empty() {
        post_tags::Entity::insert_many(tags.iter().map(|name| post_tags::ActiveModel {
            post_id: sea_orm::Set(post_id),
            name: sea_orm::Set(name.clone()),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Drops the hashtags of a post (when it becomes a tombstone; its mentions stay, as the
/// audience its Delete must reach).
pub async fn clear_tags(db: &impl ConnectionTrait, post_id: i64) -> Result<(), DbErr> {
    post_tags::Entity::delete_many()
        .filter(post_tags::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The home timeline of `viewer_id`, newest first: their own posts, posts of accounts they
/// follow (accepted) that are not direct, and posts that mention them. `visibilities` are the
/// non-direct visibilities a follower may see.
pub async fn home(
    db: &impl ConnectionTrait,
    viewer_id: i64,
    follower_visibilities: &[&str],
    limit: u64,
) -> Result<Vec<posts::Model>, DbErr> {
    use crate::entities::follows;
    let followed = Query::select()
        .column(follows::Column::FolloweeId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(viewer_id))
        .and_where(follows::Column::Accepted.eq(true))
        .to_owned();
    let mentioned = Query::select()
        .column(post_mentions::Column::PostId)
        .from(post_mentions::Entity)
        .and_where(post_mentions::Column::ActorId.eq(viewer_id))
        .to_owned();
    Entity::find()
        .filter(Column::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(Column::AuthorId.eq(viewer_id))
                .add(
                    Condition::all()
                        .add(Column::AuthorId.in_subquery(followed))
                        .add(Column::Visibility.is_in(follower_visibilities.iter().copied())),
                )
                .add(Column::Id.in_subquery(mentioned)),
        )
        .order_by_desc(Column::PublishedAt)
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Public, original, not deleted posts of an actor, newest first (outbox and profile).
pub async fn public_by_author(
    db: &impl ConnectionTrait,
    author_id: i64,
    visibilities: &[&str],
    limit: u64,
) -> Result<Vec<posts::Model>, DbErr> {
    Entity::find()
        .filter(Column::AuthorId.eq(author_id))
        .filter(Column::DeletedAt.is_null())
        .filter(Column::Visibility.is_in(visibilities.iter().copied()))
        .order_by_desc(Column::PublishedAt)
        .limit(limit)
        .all(db)
        .await
}
