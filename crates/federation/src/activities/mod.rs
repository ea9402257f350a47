//! One file per activity type: its wire struct, how it is checked and received, and how it
//! is rendered when we send it. `receive` dispatches on `type`.

/// The parts of `impl Activity` every activity shares: our data and error types, and `id` /
/// `actor` read from the fields of those names.
macro_rules! activity_basics {
    () => {
        type DataType = crate::Federation;
        type Error = crate::FederationError;

        fn id(&self) -> &url::Url {
            &self.id
        }

        fn actor(&self) -> &url::Url {
            &self.actor
        }
    };
}

pub mod accept;
pub mod announce;
pub mod block;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod ignore;
pub mod join;
pub mod leave;
pub mod like;
pub mod r#move;
pub mod reject;
pub mod tentative_accept;
pub mod undo;
pub mod update;

use crate::{FederationData, FederationError};
use activitypub_federation::traits::Activity;
use passage_core::{Actor, accounts};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

/// What happened to an activity that passed signature checks.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    Processed,
    /// A type we do not handle (yet): accepted and dropped, as Mastodon does.
    Ignored,
}

/// Parses and runs one verified activity. `value` is the body; its `actor` has already been
/// proven to be the signer.
pub async fn receive(value: Value, data: &FederationData) -> Result<Received, FederationError> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match kind.as_str() {
        "Follow" => run::<follow::Follow>(value, data).await,
        "Accept" => run::<accept::Accept>(value, data).await,
        "Reject" => run::<reject::Reject>(value, data).await,
        "Undo" => run::<undo::Undo>(value, data).await,
        "Create" => run::<create::Create>(value, data).await,
        "Update" => run::<update::Update>(value, data).await,
        "Delete" => run::<delete::Delete>(value, data).await,
        "Like" => run::<like::Like>(value, data).await,
        "Announce" => run::<announce::Announce>(value, data).await,
        "Block" => run::<block::Block>(value, data).await,
        "Move" => run::<r#move::Move>(value, data).await,
        "Flag" => run::<flag::Flag>(value, data).await,
        "Join" => run::<join::Join>(value, data).await,
        "Leave" => run::<leave::Leave>(value, data).await,
        "TentativeAccept" => run::<tentative_accept::TentativeAccept>(value, data).await,
        "Ignore" => run::<ignore::Ignore>(value, data).await,
        _ => Ok(Received::Ignored),
    }
}

async fn run<A>(value: Value, data: &FederationData) -> Result<Received, FederationError>
where
    A: Activity<DataType = crate::Federation, Error = FederationError> + DeserializeOwned,
{
    let activity: A = serde_json::from_value(value)?;
    activity.verify(data).await?;
    activity.receive(data).await?;
    Ok(Received::Processed)
}

/// The local actor an activity targets, or 404 when the id is not one of ours.
pub(crate) async fn local_actor(id: &Url, data: &FederationData) -> Result<Actor, FederationError> {
    match accounts::by_ap_id(data, id.as_str()).await? {
        Some(actor) if actor.local => Ok(actor),
        _ => Err(FederationError::NotFound),
    }
}

/// One of our events (its post), or 404.
pub(crate) async fn local_event(
    id: &str,
    data: &FederationData,
) -> Result<passage_core::Post, FederationError> {
    if !data.urls.is_local(id) {
        return Err(FederationError::NotFound);
    }
    let post = passage_core::posts::by_ap_id(data, id)
        .await?
        .ok_or(FederationError::NotFound)?;
    if passage_core::events::of_posts(&data.db, &[post.id])
        .await?
        .is_empty()
    {
        return Err(FederationError::NotFound);
    }
    Ok(post)
}

/// Reads `to`/`cc` as [`urls_lenient`](crate::protocol::urls_lenient) does, remembering
/// whether the field was there at all: what we send leaves out a `cc` it has no use for (an
/// actor's `Delete`), yet keeps the empty one a direct post's `Delete` carries.
pub(crate) fn urls_if_present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    crate::protocol::urls_lenient(d).map(Some)
}

/// Ids are compared as strings: they are opaque to us.
pub(crate) fn same_id(a: &Url, b: &str) -> bool {
    a.as_str() == b
}
