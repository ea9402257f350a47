//! `Undo` of a `Follow`, `Like`, `Announce` or `Block`. Only the actor of the undone activity may undo
//! it (FEP-fe34 same-owner rule); the object may be inline or an id.

use crate::{
    FederationData, FederationError,
    activities::{follow::Follow, local_event, same_id},
    objects::actor,
    protocol::{IdOr, id_of},
};
use activitypub_federation::{kinds::activity::UndoType, traits::Activity};
use passage_core::{accounts, blocks, follows, reactions};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undo {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub actor: Url,
    pub object: IdOr<Undone>,
}

/// The activity being undone, as far as we need it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undone {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Url,
    pub object: serde_json::Value,
}

impl Undo {
    /// `actor`'s Undo of its own activity `undone` (a `kind`, about `object`). The undone
    /// activity goes inline, so a receiver that has no record of its id can still tell
    /// what is undone.
    pub fn of(
        id: &str,
        actor: &str,
        kind: &str,
        undone: &str,
        object: &str,
    ) -> Result<Self, FederationError> {
        let undone = Undone {
            id: Url::parse(undone)?,
            kind: kind.to_owned(),
            actor: Url::parse(actor)?,
            object: serde_json::Value::String(object.to_owned()),
        };
        Self::new(id, actor, undone)
    }

    /// The follower's Undo of `follow` (an unfollow, or leaving a relay).
    pub fn of_follow(id: &str, follow: &Follow) -> Result<Self, FederationError> {
        let undone = Undone {
            id: follow.id.clone(),
            kind: "Follow".into(),
            actor: follow.actor.clone(),
            object: serde_json::Value::String(follow.object.to_string()),
        };
        Self::new(id, follow.actor.as_str(), undone)
    }

    pub fn new(id: &str, actor: &str, undone: Undone) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: UndoType::Undo,
            actor: Url::parse(actor)?,
            object: IdOr::Object(Box::new(undone)),
        })
    }
}

#[async_trait::async_trait]
impl Activity for Undo {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        if let IdOr::Object(undone) = &self.object
            && undone.actor != self.actor
        {
            return Err(FederationError::Forbidden(
                "only its actor may undo an activity".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let undoer = actor::resolve(self.actor.as_str(), data).await?;
        let (id, kind) = match &self.object {
            IdOr::Object(undone) => (undone.id.clone(), Some(undone.kind.as_str())),
            IdOr::Id(id) => (id.clone(), None),
        };
        if matches!(kind, None | Some("Follow"))
            && let Some(follow) = follows::by_ap_id(data, id.as_str()).await?
        {
            let follower = accounts::by_id(data, follow.follower_id).await?;
            if !same_id(&self.actor, &follower.ap_id) {
                return Err(FederationError::Forbidden(
                    "only the follower may undo a follow".into(),
                ));
            }
            let followee = accounts::by_id(data, follow.followee_id).await?;
            return Ok(follows::receive_undo(data, &follower, &followee).await?);
        }
        if matches!(kind, None | Some("Like")) {
            reactions::receive_undo_like(data, &undoer, id.as_str()).await?;
        }
        if matches!(kind, None | Some("Announce")) {
            reactions::receive_undo_announce(data, &undoer, id.as_str()).await?;
        }
        // Undo of a Join: the person leaves one of our events.
        if let IdOr::Object(undone) = &self.object
            && undone.kind == "Join"
        {
            let event = local_event(id_of(&undone.object).unwrap_or_default(), data).await?;
            passage_core::events::rsvp::leave(data, &undoer, event.id).await?;
            return Ok(());
        }
        // A Block names no row of ours by id: the undone object (its target) says whom.
        if let IdOr::Object(undone) = &self.object
            && undone.kind == "Block"
            && let Some(target) = undone.object.as_str()
            && let Some(target) = accounts::by_ap_id(data, target).await?
        {
            blocks::unblock(data, &undoer, &target).await?;
        }
        Ok(())
    }
}
