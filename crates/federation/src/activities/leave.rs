//! `Leave` of one of our events (Mobilizon, FEP-8a8e): the person's answer is withdrawn and
//! a seat they held goes to the first person waiting.

use crate::{
    FederationData, FederationError, activities::local_event, objects::actor, protocol::id_of,
};
use activitypub_federation::{kinds::activity::LeaveType, traits::Activity};
use passage_core::events::rsvp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leave {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: LeaveType,
    pub actor: Url,
    pub object: Value,
}

#[async_trait::async_trait]
impl Activity for Leave {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let event = local_event(id_of(&self.object).unwrap_or_default(), data).await?;
        let participant = actor::resolve(self.actor.as_str(), data).await?;
        rsvp::leave(data, &participant, event.id).await?;
        Ok(())
    }
}
