//! `TentativeAccept` of one of our `Event`s: Friendica's and Hubzilla's "maybe". The person
//! is listed as interested, without taking a seat. See `accept`.

use crate::{
    FederationData, FederationError,
    activities::accept::{Reply, answer},
};
use activitypub_federation::{kinds::activity::TentativeAcceptType, traits::Activity};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TentativeAccept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: TentativeAcceptType,
    pub actor: Url,
    pub object: Value,
}

#[async_trait::async_trait]
impl Activity for TentativeAccept {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        answer(&self.actor, &self.object, Reply::Maybe, data).await
    }
}
