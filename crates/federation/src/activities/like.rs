//! `Like` of a post we know (a favourite, in Mastodon's words).

use crate::{FederationData, FederationError, objects::actor};
use activitypub_federation::{kinds::activity::LikeType, traits::Activity};
use passage_core::{posts, reactions};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Like {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: LikeType,
    pub actor: Url,
    pub object: Url,
}

impl Like {
    pub fn new(id: &str, actor: &str, object: &str) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: LikeType::Like,
            actor: Url::parse(actor)?,
            object: Url::parse(object)?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Like {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        // Likes of posts we never saw are of no use here; drop them without fetching.
        let Some(post) = posts::by_ap_id(data, self.object.as_str()).await? else {
            return Ok(());
        };
        let liker = actor::resolve(self.actor.as_str(), data).await?;
        reactions::receive_like(data, &liker, &post, self.id.as_str()).await?;
        Ok(())
    }
}
