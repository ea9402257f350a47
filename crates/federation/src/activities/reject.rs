//! `Reject` of one of our `Follow`s (or removal of a follower), of our member's `Join` of an
//! event elsewhere, or of one of our `Event`s (Friendica's "not attending"). See `accept`.

use crate::{
    FederationData, FederationError,
    activities::{
        accept::{Reply, answer},
        follow::Follow,
        join::Join,
    },
    protocol::urls_lenient,
};
use activitypub_federation::{kinds::activity::RejectType, traits::Activity};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reject {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub actor: Url,
    /// Left out when answering a `Follow`, as Mastodon does.
    #[serde(
        default,
        deserialize_with = "urls_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    pub object: Value,
}

impl Reject {
    /// The followee's refusal of `follow` (or its removal of a follower), with the Follow
    /// inline as in an `Accept`.
    pub fn of_follow(id: &str, follow: &Follow) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: RejectType::Reject,
            actor: follow.object.clone(),
            to: Vec::new(),
            object: serde_json::to_value(follow)?,
        })
    }

    /// `host`'s refusal of `join` (a Join of its event, or of an organisation), to the one
    /// who joined, with the Join inline as in an `Accept`.
    pub fn of_join(id: &str, host: &str, join: &Join) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: RejectType::Reject,
            actor: Url::parse(host)?,
            to: vec![join.actor.to_string()],
            object: serde_json::to_value(join)?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Reject {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        answer(&self.actor, &self.object, Reply::No, data).await
    }
}
