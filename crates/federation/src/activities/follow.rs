//! `Follow`: a remote actor asks to follow one of ours. Unlocked actors accept at once (an
//! `Accept` goes back); locked ones keep it pending (ActivityStreams Vocabulary §Follow,
//! Mastodon's `manuallyApprovesFollowers`).

use crate::{FederationData, FederationError, activities::local_actor, objects::actor};
use activitypub_federation::{kinds::activity::FollowType, traits::Activity};
use passage_core::follows;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: Url,
    pub object: Url,
}

impl Follow {
    pub fn new(id: &str, follower: &str, followee: &str) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: FollowType::Follow,
            actor: Url::parse(follower)?,
            object: Url::parse(followee)?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Follow {
    activity_basics!();

    async fn verify(&self, data: &FederationData) -> Result<(), FederationError> {
        if !data.urls.is_local(self.object.as_str()) {
            return Err(FederationError::BadRequest(
                "follow target is not on this instance".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let target = local_actor(&self.object, data).await?;
        let follower = actor::resolve(self.actor.as_str(), data).await?;
        follows::receive_request(data, &follower, &target, self.id.as_str()).await?;
        Ok(())
    }
}
