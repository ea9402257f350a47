//! `Join` of one of our events (Mobilizon, FEP-8a8e): the person is seated, put on the
//! waiting list, or held for the organisers, and answered with `Accept` once seated. A Join
//! we cannot take is answered with `Reject`, or `Ignore` when the event takes no
//! registrations; either way the Join itself was handled, so the inbox answers 2xx.
//! `participationMessage` (Mobilizon) is kept for the organisers.
//!
//! A `Join` of one of our organisations (Mobilizon's membership request) is turned down with
//! a `Reject` (see `organisations::refuse_join`).

use crate::{
    FederationData, FederationError,
    activities::local_event,
    objects::actor,
    protocol::{id_of, urls_lenient},
};
use activitypub_federation::{kinds::activity::JoinType, traits::Activity};
use passage_core::{
    CoreError, accounts,
    events::rsvp::{self, Answer, Style},
    organisations,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Join {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: JoinType,
    pub actor: Url,
    /// Left out of a Join given inline in an answer to it.
    #[serde(
        default,
        deserialize_with = "urls_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    pub object: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation_message: Option<String>,
}

impl Join {
    /// `actor`'s Join of `object` (an event, or an organisation), to `to`. The object goes by
    /// id, as Mobilizon sends it.
    pub fn new(
        id: &str,
        actor: &str,
        object: &str,
        to: Vec<String>,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: JoinType::Join,
            actor: Url::parse(actor)?,
            to,
            object: Value::String(object.to_owned()),
            participation_message: None,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Join {
    activity_basics!();

    async fn verify(&self, data: &FederationData) -> Result<(), FederationError> {
        let object = id_of(&self.object).unwrap_or_default();
        if !data.urls.is_local(object) {
            return Err(FederationError::BadRequest(
                "the joined object is not on this instance".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let object = id_of(&self.object).unwrap_or_default();
        let participant = actor::resolve(self.actor.as_str(), data).await?;
        if let Some(org) = accounts::by_ap_id(data, object).await?
            && org.local
        {
            organisations::refuse_join(data, &org, &participant, self.id.as_str()).await?;
            return Ok(());
        }
        let event = local_event(object, data).await?;
        let answer = Answer {
            going: true,
            style: Style::Join,
            activity_id: Some(self.id.to_string()),
            message: self.participation_message,
        };
        match rsvp::answer(data, &participant, event.id, answer).await {
            Ok(_) | Err(CoreError::Invalid(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
