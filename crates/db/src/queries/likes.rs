//! Likes (favourites) of posts.

use crate::entities::likes::{self, Column, Entity};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

pub async fn find_pair(
    db: &impl ConnectionTrait,
    actor_id: i64,
    post_id: i64,
) -> Result<Option<likes::Model>, DbErr> {
    Entity::find()
        .filter(Column::ActorId.eq(actor_id))
        .filter(Column::PostId.eq(post_id))
        .one(db)
        .await
}

pub async fn by_ap_id(
    db: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<likes::Model>, DbErr> {
    Entity::find().filter(Column::ApId.eq(ap_id)).one(db).await
}

pub async fn count_for_post(db: &impl ConnectionTrait, post_id: i64) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::PostId.eq(post_id))
        .count(db)
        .await
}
