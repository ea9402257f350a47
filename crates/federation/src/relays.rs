//! The network side of relays (`passage_core::relays`): subscribing (a LitePub relay's actor
//! is looked up for its inbox) and taking what relays pass on. A relay only ever points at
//! posts: each is fetched from its author's own server, with the usual origin checks.

use crate::{FederationData, FederationError, objects::note, protocol::id_of};
use activitypub_federation::fetch::object_id::ObjectId;
use passage_core::relays::{self, Relay, Style};
use serde_json::Value;
use url::Url;

/// Subscribes to the relay at `url`: an inbox address (Mastodon's style) or a relay actor
/// (LitePub's), fetched here for its inbox.
pub async fn subscribe(data: &FederationData, url: &str) -> Result<Relay, FederationError> {
    let parsed = Url::parse(url.trim())
        .map_err(|_| FederationError::BadRequest(format!("{url:?} is not an address")))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(FederationError::BadRequest(format!(
            "{url:?} is not an http(s) address"
        )));
    }
    let url = parsed.as_str();
    let relay = match Style::of(url) {
        Style::Mastodon => relays::subscribe(data, url, url, None).await?,
        Style::LitePub => {
            let actor = crate::objects::actor::resolve(url, data).await?;
            let inbox = actor
                .shared_inbox_url
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| actor.inbox_url.clone());
            relays::subscribe(data, url, &inbox, Some(&actor.ap_id)).await?
        }
    };
    Ok(relay)
}

/// What a relay's `Announce` points at, fetched from its origin (which serves us only what
/// we may see) and kept.
pub async fn take(object: &Url, data: &FederationData) -> Result<(), FederationError> {
    note::resolve(object, data).await?;
    Ok(())
}

/// An activity a Mastodon-style relay forwarded: the post its `Create` or `Update` carries
/// is fetched afresh from its author's server (the forwarded copy is not read); other
/// activities are dropped.
pub async fn take_forwarded(
    activity: &Value,
    data: &FederationData,
) -> Result<(), FederationError> {
    let kind = activity.get("type").and_then(Value::as_str);
    if !matches!(kind, Some("Create" | "Update")) {
        return Ok(());
    }
    let Some(id) = activity.get("object").and_then(id_of) else {
        return Err(FederationError::BadRequest("object without id".into()));
    };
    let id = Url::parse(id)?;
    if kind == Some("Update") {
        // Known already: fetched again, so the change is the author's server's word.
        ObjectId::<note::ApubPost>::from(id)
            .dereference_forced(data)
            .await?;
        return Ok(());
    }
    take(&id, data).await
}
