//! `Reject` of one of our `Follow`s (or removal of a follower): the relation is dropped.

use crate::{
    FederationData, FederationError,
    activities::{accept::answer, follow::Follow},
    protocol::IdOr,
};
use activitypub_federation::{kinds::activity::RejectType, traits::Activity};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reject {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub actor: Url,
    pub object: IdOr<Follow>,
}

#[async_trait::async_trait]
impl Activity for Reject {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        answer(&self.actor, &self.object, false, data).await
    }
}
