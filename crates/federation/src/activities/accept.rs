//! `Accept`, and the shared handling of every answer-type activity (`Accept`, `Reject`,
//! `TentativeAccept`, `Ignore`). What is answered decides what it means:
//! - our `Follow`: the followee accepts or refuses it;
//! - our member's `Join` of an event elsewhere: its server seats them or refuses;
//! - one of our `Event`s itself: Friendica's RSVP (going, maybe, not going);
//! - an `Invite` to one of our events: Hubzilla's RSVP.
//!
//! The object may come inline or as an id.

use crate::{
    FederationData, FederationError,
    activities::{
        follow::Follow, ignore::Ignore, join::Join, local_event, reject::Reject, same_id,
    },
    objects::actor,
    protocol::{id_of, urls_lenient},
};
use activitypub_federation::{kinds::activity::AcceptType, traits::Activity};
use passage_core::{
    CoreError, accounts,
    events::rsvp::{self, Answer, Style},
    follows,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub actor: Url,
    /// Left out of the Accept of a `Follow`, as Mastodon sends it.
    #[serde(
        default,
        deserialize_with = "urls_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    pub object: Value,
}

impl Accept {
    /// The followee's Accept of `follow`. The Follow goes back inline, as Mastodon sends it:
    /// a server that does not know the Follow's id can still tell which follow is answered.
    pub fn of_follow(id: &str, follow: &Follow) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: AcceptType::Accept,
            actor: follow.object.clone(),
            to: Vec::new(),
            object: serde_json::to_value(follow)?,
        })
    }

    /// `host`'s Accept of `join` (someone's Join of its event), to the one who joined. The
    /// Join goes back inline, as a Follow does.
    pub fn of_join(id: &str, host: &str, join: &Join) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: AcceptType::Accept,
            actor: Url::parse(host)?,
            to: vec![join.actor.to_string()],
            object: serde_json::to_value(join)?,
        })
    }
}

/// The host's answer to someone's Join of its event: seated (`Accept`), refused (`Reject`),
/// or `Ignore`d when the event takes no registrations (FEP-8a8e).
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum JoinReply {
    Accept(Accept),
    Reject(Reject),
    Ignore(Ignore),
}

impl JoinReply {
    /// The answer of kind `reply` (`Accept`, `Reject` or `Ignore`), with `id`, by `host`.
    pub fn new(reply: &str, id: &str, host: &str, join: &Join) -> Result<Self, FederationError> {
        Ok(match reply {
            "Accept" => Self::Accept(Accept::of_join(id, host, join)?),
            "Reject" => Self::Reject(Reject::of_join(id, host, join)?),
            "Ignore" => Self::Ignore(Ignore::of_join(id, host, join)?),
            other => {
                return Err(FederationError::BadRequest(format!(
                    "{other:?} is no answer to a Join"
                )));
            }
        })
    }
}

#[async_trait::async_trait]
impl Activity for Accept {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        answer(&self.actor, &self.object, Reply::Yes, data).await
    }
}

/// What an answer-type activity says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    Yes,
    Maybe,
    No,
}

/// Applies an answer from `actor` to `object` (see the module comment).
pub(crate) async fn answer(
    actor: &Url,
    object: &Value,
    reply: Reply,
    data: &FederationData,
) -> Result<(), FederationError> {
    let id =
        id_of(object).ok_or_else(|| FederationError::BadRequest("object without id".into()))?;
    let kind = object.get("type").and_then(Value::as_str);
    if matches!(kind, None | Some("Follow"))
        && let Some(follow) = follows::by_ap_id(data, id).await?
    {
        let followee = accounts::by_id(data, follow.followee_id).await?;
        if !same_id(actor, &followee.ap_id) {
            return Err(FederationError::Forbidden(
                "only the followee answers a follow".into(),
            ));
        }
        let follower = accounts::by_id(data, follow.follower_id).await?;
        follows::receive_answer(data, &follower, &followee, reply == Reply::Yes).await?;
        return Ok(());
    }
    if matches!(kind, None | Some("Follow"))
        && let Some(relay) = passage_core::relays::by_follow(data, id).await?
    {
        passage_core::relays::answered(data, &relay, actor.as_str(), reply == Reply::Yes).await?;
        return Ok(());
    }
    // An object given by id alone is either one of our events (Friendica) or our Join.
    let names_our_event =
        kind == Some("Event") || (kind.is_none() && local_event(id, data).await.is_ok());
    if !names_our_event && matches!(kind, None | Some("Join")) {
        if !data.urls.is_local(id) {
            // Only a Join we sent has a local id; any other is not ours to settle.
            return Err(FederationError::NotFound);
        }
        let from = actor::resolve(actor.as_str(), data).await?;
        return match rsvp::receive_reply(data, &from, id, reply == Reply::Yes).await {
            Err(CoreError::NotFound) => Err(FederationError::NotFound),
            other => Ok(other?),
        };
    }
    let (event_id, style) = match kind {
        Some("Invite") => (
            object.get("object").and_then(id_of).unwrap_or_default(),
            Style::AcceptInvite,
        ),
        _ => (id, Style::AcceptEvent),
    };
    let event = local_event(event_id, data).await?;
    let participant = actor::resolve(actor.as_str(), data).await?;
    if reply == Reply::No {
        rsvp::leave(data, &participant, event.id).await?;
        return Ok(());
    }
    let answer = Answer {
        going: reply == Reply::Yes,
        style,
        activity_id: None,
        message: None,
    };
    match rsvp::answer(data, &participant, event.id, answer).await {
        // A refused answer (cancelled, over, no registrations) is settled, not an error.
        Ok(_) | Err(CoreError::Invalid(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
