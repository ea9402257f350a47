//! `Block` of one of our members by a remote account (Mastodon, GoToSocial and Pleroma send
//! it to the blocked account's inbox). Its `Undo` is handled in `undo.rs`.

use crate::{FederationData, FederationError, activities::local_actor, objects::actor};
use activitypub_federation::{kinds::activity::BlockType, traits::Activity};
use passage_core::blocks;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: BlockType,
    pub actor: Url,
    pub object: Url,
}

#[async_trait::async_trait]
impl Activity for Block {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let target = local_actor(&self.object, data).await?;
        let blocker = actor::resolve(self.actor.as_str(), data).await?;
        blocks::receive_block(data, &blocker, &target).await?;
        Ok(())
    }
}
