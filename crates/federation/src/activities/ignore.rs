//! `Ignore` of our member's `Join`: the event's server takes no registrations (FEP-8a8e,
//! WordPress Event Bridge). Our member's pending answer is withdrawn. See `accept`.

use crate::{
    FederationData, FederationError,
    activities::{
        accept::{Reply, answer},
        join::Join,
    },
    protocol::urls_lenient,
};
use activitypub_federation::{kinds::activity::IgnoreType, traits::Activity};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ignore {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: IgnoreType,
    pub actor: Url,
    /// Who the answer is for; peers may leave it out.
    #[serde(
        default,
        deserialize_with = "urls_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    pub object: Value,
}

impl Ignore {
    /// `host`'s answer to `join` when its event takes no registrations, to the one who
    /// joined, with the Join inline as in an `Accept`.
    pub fn of_join(id: &str, host: &str, join: &Join) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: IgnoreType::Ignore,
            actor: Url::parse(host)?,
            to: vec![join.actor.to_string()],
            object: serde_json::to_value(join)?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Ignore {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        answer(&self.actor, &self.object, Reply::No, data).await
    }
}
