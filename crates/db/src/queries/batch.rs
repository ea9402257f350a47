//! Batched reads for rendering many posts or accounts at once: a page of a timeline costs a
//! fixed number of queries, not a few per post.

use crate::entities::{
    bookmarks, follows, likes, media_attachments, post_mentions, post_tags, posts,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Select,
    sea_query::{Expr, Func},
};
use std::collections::HashMap;

/// `key -> count(*)` over the rows `select` finds, grouped by `key`.
async fn count_grouped<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    key: impl ColumnTrait,
) -> Result<HashMap<i64, i64>, DbErr> {
    let rows: Vec<(i64, i64)> = select
        .select_only()
        .column(key)
        .column_as(Expr::from(Func::count(Expr::col(key))), "n")
        .group_by(key)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Pairs `(a, b)` of two id columns, for one-to-many maps.
async fn pairs<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    a: impl ColumnTrait,
    b: impl ColumnTrait,
) -> Result<Vec<(i64, i64)>, DbErr> {
    select
        .select_only()
        .column(a)
        .column(b)
        .into_tuple()
        .all(db)
        .await
}

pub async fn posts_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<posts::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    posts::Entity::find()
        .filter(posts::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// `(post_id, actor_id)` of the mentions of these posts.
pub async fn mentions(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<Vec<(i64, i64)>, DbErr> {
    let select = post_mentions::Entity::find()
        .filter(post_mentions::Column::PostId.is_in(post_ids.iter().copied()));
    pairs(
        db,
        select,
        post_mentions::Column::PostId,
        post_mentions::Column::ActorId,
    )
    .await
}

/// `(post_id, tag)` of the hashtags of these posts.
pub async fn tags(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<Vec<(i64, String)>, DbErr> {
    post_tags::Entity::find()
        .select_only()
        .column(post_tags::Column::PostId)
        .column(post_tags::Column::Name)
        .filter(post_tags::Column::PostId.is_in(post_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

pub async fn media(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<Vec<media_attachments::Model>, DbErr> {
    media_attachments::Entity::find()
        .filter(media_attachments::Column::PostId.is_in(post_ids.iter().copied()))
        .all(db)
        .await
}

pub async fn favourite_counts(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    let select =
        likes::Entity::find().filter(likes::Column::PostId.is_in(post_ids.iter().copied()));
    count_grouped(db, select, likes::Column::PostId).await
}

/// Live boosts (`reblog_of_id -> n`) or replies (`in_reply_to_id -> n`) of these posts.
pub async fn child_counts(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
    replies: bool,
) -> Result<HashMap<i64, i64>, DbErr> {
    let key = if replies {
        posts::Column::InReplyToId
    } else {
        posts::Column::ReblogOfId
    };
    let select = posts::Entity::find()
        .filter(key.is_in(post_ids.iter().copied()))
        .filter(posts::Column::DeletedAt.is_null());
    count_grouped(db, select, key).await
}

/// Which of these posts `actor_id` favourited.
pub async fn favourited_by(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_ids: &[i64],
) -> Result<Vec<i64>, DbErr> {
    likes::Entity::find()
        .select_only()
        .column(likes::Column::PostId)
        .filter(likes::Column::ActorId.eq(actor_id))
        .filter(likes::Column::PostId.is_in(post_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

/// Which of these posts `actor_id` boosted.
pub async fn reblogged_by(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_ids: &[i64],
) -> Result<Vec<i64>, DbErr> {
    posts::Entity::find()
        .select_only()
        .column(posts::Column::ReblogOfId)
        .filter(posts::Column::AuthorId.eq(actor_id))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(posts::Column::ReblogOfId.is_in(post_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

/// Which of these posts `actor_id` bookmarked.
pub async fn bookmarked_by(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_ids: &[i64],
) -> Result<Vec<i64>, DbErr> {
    bookmarks::Entity::find()
        .select_only()
        .column(bookmarks::Column::PostId)
        .filter(bookmarks::Column::ActorId.eq(actor_id))
        .filter(bookmarks::Column::PostId.is_in(post_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

/// Accepted followers (`followers`) or followees of these actors, counted.
pub async fn follow_counts(
    db: &impl ConnectionTrait,
    actor_ids: &[i64],
    followers: bool,
) -> Result<HashMap<i64, i64>, DbErr> {
    let key = if followers {
        follows::Column::FolloweeId
    } else {
        follows::Column::FollowerId
    };
    let select = follows::Entity::find()
        .filter(key.is_in(actor_ids.iter().copied()))
        .filter(follows::Column::Accepted.eq(true));
    count_grouped(db, select, key).await
}

/// Live posts of these actors, counted, with the time of the latest.
pub async fn post_stats(
    db: &impl ConnectionTrait,
    actor_ids: &[i64],
) -> Result<HashMap<i64, (i64, Option<crate::Timestamp>)>, DbErr> {
    let rows: Vec<(i64, i64, Option<crate::Timestamp>)> = posts::Entity::find()
        .select_only()
        .column(posts::Column::AuthorId)
        .column_as(Expr::from(Func::count(Expr::col(posts::Column::Id))), "n")
        .column_as(
            Expr::from(Func::max(Expr::col(posts::Column::PublishedAt))),
            "latest",
        )
        .filter(posts::Column::AuthorId.is_in(actor_ids.iter().copied()))
        .filter(posts::Column::DeletedAt.is_null())
        .group_by(posts::Column::AuthorId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(a, n, t)| (a, (n, t))).collect())
}

/// `(post_id, author_id)` of these posts, for `in_reply_to_account_id`.
pub async fn authors_of(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<Vec<(i64, i64)>, DbErr> {
    let select = posts::Entity::find().filter(posts::Column::Id.is_in(post_ids.iter().copied()));
    pairs(db, select, posts::Column::Id, posts::Column::AuthorId).await
}
