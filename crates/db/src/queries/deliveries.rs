//! The durable outbox: intents written by use cases, activities rendered from them, and one
//! delivery row per (activity, inbox), plus the health of each remote instance.

use crate::{
    Timestamp,
    entities::{deliveries, instances, outbox_intents, outgoing_activities},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{LockBehavior, LockType, OnConflict},
};

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";
/// Claimed by a sender until `next_attempt_at` (its lease); a sender that dies leaves it so,
/// and the lease running out (or [`release_claims`] at start-up) makes it due again.
pub const SENDING: &str = "sending";

pub async fn insert_intent(
    db: &impl ConnectionTrait,
    actor_id: i64,
    intent: String,
    now: Timestamp,
) -> Result<(), DbErr> {
    outbox_intents::Entity::insert(outbox_intents::ActiveModel {
        actor_id: Set(actor_id),
        intent: Set(intent),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Is this exact intent of `actor_id` still waiting to be rendered?
pub async fn intent_pending(
    db: &impl ConnectionTrait,
    actor_id: i64,
    intent: &str,
) -> Result<bool, DbErr> {
    Ok(outbox_intents::Entity::find()
        .filter(outbox_intents::Column::ActorId.eq(actor_id))
        .filter(outbox_intents::Column::Intent.eq(intent))
        .one(db)
        .await?
        .is_some())
}

/// The oldest intents not yet rendered. Whoever then deletes one owns it
/// ([`delete_intent`]), so several workers may read the same rows safely.
pub async fn oldest_intents(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<outbox_intents::Model>, DbErr> {
    outbox_intents::Entity::find()
        .order_by_asc(outbox_intents::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Deletes an intent; false if it was already gone (rendered by someone else).
pub async fn delete_intent(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(outbox_intents::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Stores a rendered activity and one pending delivery per inbox.
pub async fn insert_activity(
    db: &impl ConnectionTrait,
    ap_id: &str,
    actor_id: i64,
    body: String,
    inboxes: &[(String, String)],
    now: Timestamp,
) -> Result<i64, DbErr> {
    let activity = outgoing_activities::Entity::insert(outgoing_activities::ActiveModel {
        ap_id: Set(ap_id.to_owned()),
        actor_id: Set(actor_id),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let activity_id = activity.last_insert_id;
    if !inboxes.is_empty() {
        deliveries::Entity::insert_many(inboxes.iter().map(|(inbox, host)| {
            deliveries::ActiveModel {
                activity_id: Set(activity_id),
                inbox_url: Set(inbox.clone()),
                host: Set(host.clone()),
                state: Set(PENDING.to_owned()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                last_error: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(activity_id)
}

/// Claims up to `limit` due deliveries: they become [`SENDING`] with their next attempt pushed
/// to `lease_until`, so a second worker (or a second process on PostgreSQL) does not take them
/// too, and a claim whose lease ran out is due again. Run it in a transaction: on PostgreSQL
/// the rows are selected `FOR UPDATE SKIP LOCKED`.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u64,
) -> Result<Vec<(deliveries::Model, outgoing_activities::Model)>, DbErr> {
    let due = deliveries::Entity::find()
        .filter(deliveries::Column::State.is_in([PENDING, SENDING]))
        .filter(deliveries::Column::NextAttemptAt.lte(now))
        .order_by_asc(deliveries::Column::NextAttemptAt)
        .order_by_asc(deliveries::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(lease_until),
        )
        .col_expr(
            deliveries::Column::State,
            sea_orm::sea_query::Expr::value(SENDING),
        )
        .filter(deliveries::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    let activity_ids: Vec<i64> = due.iter().map(|d| d.activity_id).collect();
    let activities = outgoing_activities::Entity::find()
        .filter(outgoing_activities::Column::Id.is_in(activity_ids))
        .all(db)
        .await?;
    Ok(due
        .into_iter()
        .filter_map(|d| {
            let activity = activities.iter().find(|a| a.id == d.activity_id)?.clone();
            Some((d, activity))
        })
        .collect())
}

/// Records the outcome of one attempt: `None` for delivered, or the error and the time of the
/// next attempt (`None` there means give up).
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    delivery: &deliveries::Model,
    failure: Option<(String, Option<Timestamp>)>,
) -> Result<(), DbErr> {
    let mut row: deliveries::ActiveModel = delivery.clone().into();
    row.attempts = Set(delivery.attempts + 1);
    match failure {
        None => {
            row.state = Set(DELIVERED.to_owned());
            row.last_error = Set(None);
        }
        Some((error, Some(next))) => {
            row.state = Set(PENDING.to_owned());
            row.next_attempt_at = Set(next);
            row.last_error = Set(Some(error));
        }
        Some((error, None)) => {
            row.state = Set(FAILED.to_owned());
            row.last_error = Set(Some(error));
        }
    }
    deliveries::Entity::update(row).exec(db).await?;
    Ok(())
}

/// Makes every claimed delivery due now; the number released. Only for a sender that knows no
/// other process sends from this database (SQLite): claims left by a killed run are retried at
/// once instead of after their lease.
pub async fn release_claims(db: &impl ConnectionTrait, now: Timestamp) -> Result<u64, DbErr> {
    let released = deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::State,
            sea_orm::sea_query::Expr::value(PENDING),
        )
        .col_expr(
            deliveries::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(deliveries::Column::State.eq(SENDING))
        .exec(db)
        .await?;
    Ok(released.rows_affected)
}

pub async fn instance(
    db: &impl ConnectionTrait,
    host: &str,
) -> Result<Option<instances::Model>, DbErr> {
    instances::Entity::find_by_id(host.to_owned()).one(db).await
}

/// Which of `hosts` are marked unreachable.
pub async fn unreachable_among(
    db: &impl ConnectionTrait,
    hosts: &[String],
) -> Result<Vec<String>, DbErr> {
    if hosts.is_empty() {
        return Ok(Vec::new());
    }
    instances::Entity::find()
        .select_only()
        .column(instances::Column::Host)
        .filter(instances::Column::Host.is_in(hosts.iter().cloned()))
        .filter(instances::Column::UnreachableSince.is_not_null())
        .into_tuple()
        .all(db)
        .await
}

/// A delivery to `host` succeeded: it is reachable again.
pub async fn record_instance_success(
    db: &impl ConnectionTrait,
    host: &str,
    now: Timestamp,
) -> Result<(), DbErr> {
    instances::Entity::insert(instances::ActiveModel {
        host: Set(host.to_owned()),
        failures: Set(0),
        unreachable_since: Set(None),
        last_success_at: Set(Some(now)),
    })
    .on_conflict(
        OnConflict::column(instances::Column::Host)
            .update_columns([
                instances::Column::Failures,
                instances::Column::UnreachableSince,
                instances::Column::LastSuccessAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// A verified activity came from `host`: it is up, so clear an unreachable mark.
pub async fn clear_unreachable(
    db: &impl ConnectionTrait,
    reader: &impl ConnectionTrait,
    host: &str,
) -> Result<(), DbErr> {
    // Asked first through the reader: nearly always the host is reachable, and the writer
    // (on SQLite, one connection for the whole instance) is spared a statement per activity.
    let marked = instance(reader, host)
        .await?
        .is_some_and(|i| i.unreachable_since.is_some());
    if !marked {
        return Ok(());
    }
    instances::Entity::update_many()
        .col_expr(
            instances::Column::UnreachableSince,
            sea_orm::sea_query::Expr::value(Option::<Timestamp>::None),
        )
        .col_expr(
            instances::Column::Failures,
            sea_orm::sea_query::Expr::value(0),
        )
        .filter(instances::Column::Host.eq(host))
        .filter(instances::Column::UnreachableSince.is_not_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A delivery to `host` failed; after `unreachable_after` failures in a row it is marked
/// unreachable. Returns the new failure count.
pub async fn record_instance_failure(
    db: &impl ConnectionTrait,
    host: &str,
    unreachable_after: i32,
    now: Timestamp,
) -> Result<i32, DbErr> {
    let current = instance(db, host).await?;
    let failures = current.as_ref().map_or(0, |i| i.failures) + 1;
    let unreachable_since = match current.as_ref().and_then(|i| i.unreachable_since) {
        Some(since) => Some(since),
        None if failures >= unreachable_after => Some(now),
        None => None,
    };
    instances::Entity::insert(instances::ActiveModel {
        host: Set(host.to_owned()),
        failures: Set(failures),
        unreachable_since: Set(unreachable_since),
        last_success_at: Set(current.and_then(|i| i.last_success_at)),
    })
    .on_conflict(
        OnConflict::column(instances::Column::Host)
            .update_columns([
                instances::Column::Failures,
                instances::Column::UnreachableSince,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(failures)
}
