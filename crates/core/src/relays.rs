//! Relays: servers that pass public posts between all their subscribers, so a small instance
//! sees the network's public posts and events without following everyone, and its own reach
//! the network. Both common styles are spoken:
//! - *Mastodon's* (pub-relay, ActivityRelay): the instance actor follows the public
//!   collection at the relay's inbox; the relay forwards subscribers' `Create`s as they are.
//! - *LitePub's* (Pleroma, Akkoma, aode-relay): the instance actor follows the relay's actor;
//!   the relay `Announce`s what its subscribers send.
//!
//! Either way what a relay passes on is fetched from its author's own server before it is
//! stored: a relay is trusted to point at posts, never to vouch for their content.

use crate::{
    Context, CoreError, accounts,
    error::{CoreResult, duplicate_as},
    outbox,
    outbox::Intent,
};
use passage_db::{entities::relays, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

pub type Relay = relays::Model;

/// The two styles, told apart by the address the admin gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Mastodon,
    LitePub,
}

impl Style {
    /// An address ending in `/inbox` is a Mastodon-style relay's; any other names a LitePub
    /// relay's actor.
    pub fn of(url: &str) -> Self {
        if url.trim_end_matches('/').ends_with("/inbox") {
            Self::Mastodon
        } else {
            Self::LitePub
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mastodon => "mastodon",
            Self::LitePub => "litepub",
        }
    }
}

const PENDING: &str = "pending";
const ACCEPTED: &str = "accepted";
const REJECTED: &str = "rejected";

/// Subscribes: records the relay and the instance actor's `Follow` of it. `inbox` and
/// `actor` come from the relay's actor document for LitePub relays; a Mastodon-style relay
/// is its inbox, its actor learnt from its `Accept`.
pub async fn subscribe(
    ctx: &Context,
    url: &str,
    inbox: &str,
    actor: Option<&str>,
) -> CoreResult<Relay> {
    let instance = accounts::instance_actor(ctx).await?;
    let txn = ctx.db.begin().await?;
    let relay = relays::ActiveModel {
        url: Set(url.to_owned()),
        inbox_url: Set(inbox.to_owned()),
        actor_ap_id: Set(actor.map(str::to_owned)),
        style: Set(Style::of(url).as_str().into()),
        state: Set(PENDING.into()),
        follow_ap_id: Set(ctx.urls.new_activity()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        duplicate_as(e, || {
            CoreError::Conflict(format!("{url} is already subscribed"))
        })
    })?;
    outbox::record(
        &txn,
        instance.id,
        &Intent::RelayFollow { relay_id: relay.id },
    )
    .await?;
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(relay)
}

/// Leaves a relay: the row goes, an `Undo` of the `Follow` tells the relay.
pub async fn unsubscribe(ctx: &Context, id: i64) -> CoreResult<()> {
    let relay = get(ctx, id).await?;
    let instance = accounts::instance_actor(ctx).await?;
    let txn = ctx.db.begin().await?;
    relays::Entity::delete_by_id(relay.id).exec(&txn).await?;
    let intent = Intent::RelayUndo {
        inbox: relay.inbox_url.clone(),
        follow_ap_id: relay.follow_ap_id.clone(),
        object: follow_object(&relay),
    };
    outbox::record(&txn, instance.id, &intent).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    Ok(())
}

/// What the instance actor's `Follow` of the relay names: the public collection at a
/// Mastodon-style relay, the relay's actor at a LitePub one.
pub fn follow_object(relay: &Relay) -> String {
    match (relay.style.as_str(), &relay.actor_ap_id) {
        ("litepub", Some(actor)) => actor.clone(),
        _ => "https://www.w3.org/ns/activitystreams#Public".into(),
    }
}

pub async fn get(ctx: &Context, id: i64) -> CoreResult<Relay> {
    relays::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)
}

pub async fn list(ctx: &Context) -> CoreResult<Vec<Relay>> {
    Ok(relays::Entity::find()
        .order_by_asc(relays::Column::Id)
        .all(&ctx.db)
        .await?)
}

/// The relay whose `Follow` has this id.
pub async fn by_follow(ctx: &Context, follow_ap_id: &str) -> CoreResult<Option<Relay>> {
    Ok(relays::Entity::find()
        .filter(relays::Column::FollowApId.eq(follow_ap_id))
        .one(&ctx.db)
        .await?)
}

/// The relay answered our `Follow` (as `actor`, which must live where the relay does).
pub async fn answered(ctx: &Context, relay: &Relay, actor: &str, accepted: bool) -> CoreResult<()> {
    let same_server = |a: &str, b: &str| {
        let origin = |u: &str| url::Url::parse(u).ok().map(|u| u.origin());
        origin(a).is_some() && origin(a) == origin(b)
    };
    let expected = relay.actor_ap_id.as_deref();
    if expected.is_some_and(|e| e != actor) || !same_server(actor, &relay.inbox_url) {
        return Err(CoreError::Forbidden(
            "only the relay answers its subscription".into(),
        ));
    }
    let mut row: relays::ActiveModel = relay.clone().into();
    row.state = Set(if accepted { ACCEPTED } else { REJECTED }.into());
    row.actor_ap_id = Set(Some(actor.to_owned()));
    row.update(&ctx.db).await?;
    Ok(())
}

/// Whether `actor` is a relay that accepted our subscription: what it passes on is taken.
pub async fn is_relay(ctx: &Context, actor: &str) -> CoreResult<bool> {
    Ok(relays::Entity::find()
        .filter(relays::Column::ActorApId.eq(actor))
        .filter(relays::Column::State.eq(ACCEPTED))
        .one(&ctx.reader)
        .await?
        .is_some())
}

/// The inboxes of the relays that accepted us: our public posts go there too.
pub async fn inboxes(ctx: &Context) -> CoreResult<Vec<String>> {
    Ok(relays::Entity::find()
        .select_only()
        .column(relays::Column::InboxUrl)
        .filter(relays::Column::State.eq(ACCEPTED))
        .into_tuple()
        .all(&ctx.db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::Style;

    #[test]
    fn the_address_tells_the_style() {
        assert_eq!(Style::of("https://relay.example/inbox"), Style::Mastodon);
        assert_eq!(Style::of("https://relay.example/inbox/"), Style::Mastodon);
        assert_eq!(Style::of("https://relay.example/actor"), Style::LitePub);
    }
}
