//! `Ignore` of our member's `Join`: the event's server takes no registrations (FEP-8a8e,
//! WordPress Event Bridge). Our member's pending answer is withdrawn. See `accept`.

use crate::{
    FederationData, FederationError,
    activities::accept::{Reply, answer},
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
    pub object: Value,
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
