//! Actors: local accounts, organisations, the instance actor, and remote actors we know.

use crate::entities::actors::{self, Column, Entity};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::SelectStatement,
};

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

/// Several actors by id (`ap_id`) in one query, in no particular order.
pub async fn by_ap_ids(
    db: &impl ConnectionTrait,
    ap_ids: &[String],
) -> Result<Vec<actors::Model>, DbErr> {
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::ApId.is_in(ap_ids.iter().cloned()))
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
        // Only those who chose to be found, or whose exact username was typed.
        .filter(
            sea_orm::Condition::any()
                .add(Column::Discoverable.eq(true))
                .add(Expr::expr(Func::lower(Expr::col(Column::Username))).eq(term.to_lowercase())),
        )
        .order_by_desc(Column::Local)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The inboxes (shared where known) of the remote actors among `ids` (a query selecting actor
/// ids), each once: one delivery per server, not per recipient.
pub async fn remote_inboxes_among(
    db: &impl ConnectionTrait,
    ids: SelectStatement,
) -> Result<Vec<String>, DbErr> {
    let rows: Vec<(String, Option<String>)> = Entity::find()
        .select_only()
        .column(Column::InboxUrl)
        .column(Column::SharedInboxUrl)
        .filter(Column::Id.in_subquery(ids))
        .filter(Column::Local.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .map(|(inbox, shared)| shared.filter(|s| !s.is_empty()).unwrap_or(inbox))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The inboxes of the remote actors who answered an event.
pub async fn remote_participant_inboxes(
    db: &impl ConnectionTrait,
    event_id: i64,
) -> Result<Vec<String>, DbErr> {
    use crate::entities::event_participants as ep;
    let ids = sea_orm::sea_query::Query::select()
        .column(ep::Column::ActorId)
        .from(ep::Entity)
        .and_where(ep::Column::EventId.eq(event_id))
        .to_owned();
    remote_inboxes_among(db, ids).await
}

/// One inbox per known server (its shared inbox where it has one): where a deletion that
/// every server should hear about goes. It costs one request per server, not per account.
pub async fn every_remote_server_inbox(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let remote = sea_orm::sea_query::Query::select()
        .column(Column::Id)
        .from(Entity)
        .and_where(Column::Local.eq(false))
        .and_where(Column::SuspendedAt.is_null())
        .to_owned();
    remote_inboxes_among(db, remote).await
}
