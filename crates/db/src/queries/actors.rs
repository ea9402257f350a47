//! Actors: local accounts, organisations, the instance actor, and remote actors we know.

use crate::entities::actors::{self, Column, Entity};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub async fn by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<actors::Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// Several actors in one query, in no particular order.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<actors::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

pub async fn by_ap_id(
    db: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<actors::Model>, DbErr> {
    Entity::find().filter(Column::ApId.eq(ap_id)).one(db).await
}

/// A local actor by its (case-insensitive) username.
pub async fn local_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<actors::Model>, DbErr> {
    Entity::find()
        .filter(Column::Local.eq(true))
        .filter(Column::Username.eq(username.to_lowercase()))
        .one(db)
        .await
}

/// Local actors of the given kinds, oldest first.
pub async fn local_of_kinds(
    db: &impl ConnectionTrait,
    kinds: &[&str],
) -> Result<Vec<actors::Model>, DbErr> {
    Entity::find()
        .filter(Column::Local.eq(true))
        .filter(Column::Kind.is_in(kinds.iter().copied()))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

pub async fn count_local(db: &impl ConnectionTrait, kinds: &[&str]) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    Entity::find()
        .filter(Column::Local.eq(true))
        .filter(Column::Kind.is_in(kinds.iter().copied()))
        .count(db)
        .await
}
