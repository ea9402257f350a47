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

/// A known remote actor by `username` and `domain` (case-insensitive).
pub async fn remote_by_handle(
    db: &impl ConnectionTrait,
    username: &str,
    domain: &str,
) -> Result<Option<actors::Model>, DbErr> {
    Entity::find()
        .filter(Column::Local.eq(false))
        .filter(Column::Username.eq(username))
        .filter(Column::Domain.eq(domain.to_lowercase()))
        .one(db)
        .await
}

/// Known actors whose username or display name starts with `term` (case-insensitive), local
/// ones first.
pub async fn search(
    db: &impl ConnectionTrait,
    term: &str,
    limit: u64,
) -> Result<Vec<actors::Model>, DbErr> {
    use sea_orm::{
        QuerySelect,
        sea_query::{Expr, ExprTrait, Func},
    };
    let pattern = format!(
        "{}%",
        term.to_lowercase()
            .replace(['\\', '%'], "")
            .replace('_', "\\_")
    );
    Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(Column::Username)))
                        .like(sea_orm::sea_query::LikeExpr::new(&pattern).escape('\\')),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(Column::DisplayName)))
                        .like(sea_orm::sea_query::LikeExpr::new(&pattern).escape('\\')),
                ),
        )
        .filter(Column::Kind.ne("Application"))
        .order_by_desc(Column::Local)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}
