//! `Leave` of one of our events (Mobilizon, FEP-8a8e): the person's answer is withdrawn and
//! a seat they held goes to the first person waiting.

use crate::{
    FederationData, FederationError,
    activities::local_event,
    objects::actor,
    protocol::{first_id_lenient, id_of, urls_lenient},
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
    #[serde(
        default,
        deserialize_with = "urls_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    pub object: Value,
    /// The Join being withdrawn.
    #[serde(
        default,
        deserialize_with = "first_id_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub instrument: Option<Url>,
}

impl Leave {
    /// `actor`'s Leave of `event`, withdrawing its Join `join`, to the event's `host`.
    pub fn new(
        id: &str,
        actor: &str,
        event: &str,
        host: &str,
        join: &str,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: LeaveType::Leave,
            actor: Url::parse(actor)?,
            to: vec![host.to_owned()],
            object: Value::String(event.to_owned()),
            instrument: Some(Url::parse(join)?),
        })
    }
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
