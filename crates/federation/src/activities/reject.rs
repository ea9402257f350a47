//! `Reject` of one of our `Follow`s (or removal of a follower), of our member's `Join` of an
//! event elsewhere, or of one of our `Event`s (Friendica's "not attending"). See `accept`.

use crate::{
    FederationData, FederationError,
    activities::accept::{Reply, answer},
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
    pub object: Value,
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
