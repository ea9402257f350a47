//! Follow relations, pending and accepted.

use crate::entities::follows::{self, Column, Entity};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::Query,
};

pub async fn find_pair(
    db: &impl ConnectionTrait,
    follower_id: i64,
    followee_id: i64,
) -> Result<Option<follows::Model>, DbErr> {
    Entity::find()
        .filter(Column::FollowerId.eq(follower_id))
        .filter(Column::FolloweeId.eq(followee_id))
        .one(db)
        .await
}

pub async fn by_ap_id(
    db: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<follows::Model>, DbErr> {
    Entity::find().filter(Column::ApId.eq(ap_id)).one(db).await
}

/// Ids of the accepted followers of an actor.
pub async fn accepted_follower_ids(
    db: &impl ConnectionTrait,
    followee_id: i64,
) -> Result<Vec<i64>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::FollowerId)
        .filter(Column::FolloweeId.eq(followee_id))
        .filter(Column::Accepted.eq(true))
        .into_tuple()
        .all(db)
        .await
}

/// Ids of the local actors following an actor or asking to: whom a move of it carries along.
pub async fn local_follower_ids(
    db: &impl ConnectionTrait,
    followee_id: i64,
) -> Result<Vec<i64>, DbErr> {
    use crate::entities::actors;
    let local = Query::select()
        .column(actors::Column::Id)
        .from(actors::Entity)
        .and_where(actors::Column::Local.eq(true))
        .to_owned();
    Entity::find()
        .select_only()
        .column(Column::FollowerId)
        .filter(Column::FolloweeId.eq(followee_id))
        .filter(Column::FollowerId.in_subquery(local))
        .into_tuple()
        .all(db)
        .await
}

/// Accepted followers (or followees) counted, for collections and profiles.
pub async fn count_accepted(
    db: &impl ConnectionTrait,
    actor_id: i64,
    followers: bool,
) -> Result<u64, DbErr> {
    let column = if followers {
        Column::FolloweeId
    } else {
        Column::FollowerId
    };
    Entity::find()
        .filter(column.eq(actor_id))
        .filter(Column::Accepted.eq(true))
        .count(db)
        .await
}

/// The distinct inboxes of an actor's accepted *remote* followers: the shared inbox where a
/// server has one, so a post costs one request per server, not one per follower.
pub async fn remote_follower_inboxes(
    db: &impl ConnectionTrait,
    followee_id: i64,
) -> Result<Vec<String>, DbErr> {
    let followers = Query::select()
        .column(Column::FollowerId)
        .from(Entity)
        .and_where(Column::FolloweeId.eq(followee_id))
        .and_where(Column::Accepted.eq(true))
        .to_owned();
    super::actors::remote_inboxes_among(db, followers).await
}

/// The distinct inboxes of every remote actor an actor is linked with by a follow, either
/// way: whom to tell when the actor is suspended (before the follows are severed).
pub async fn remote_relation_inboxes(
    db: &impl ConnectionTrait,
    actor_id: i64,
) -> Result<Vec<String>, DbErr> {
    let followers = Query::select()
        .column(Column::FollowerId)
        .from(Entity)
        .and_where(Column::FolloweeId.eq(actor_id))
        .to_owned();
    let followees = Query::select()
        .column(Column::FolloweeId)
        .from(Entity)
        .and_where(Column::FollowerId.eq(actor_id))
        .to_owned();
    let mut inboxes = super::actors::remote_inboxes_among(db, followers).await?;
    inboxes.extend(super::actors::remote_inboxes_among(db, followees).await?);
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}
