//! `Delete` of a post: it becomes a tombstone here too. Only its author may delete it; the
//! object may be an id or a `Tombstone`. Deletion of the actor itself is accepted and left for
//! account removal to handle.

use crate::{
    FederationData, FederationError,
    protocol::{IdOr, note::Tombstone},
};
use activitypub_federation::{kinds::activity::DeleteType, traits::Activity};
use passage_core::posts;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: Url,
    #[serde(default, deserialize_with = "crate::protocol::urls_lenient")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "crate::protocol::urls_lenient")]
    pub cc: Vec<String>,
    pub object: IdOr<Tombstone>,
}

impl Delete {
    fn object_id(&self) -> &Url {
        match &self.object {
            IdOr::Id(id) => id,
            IdOr::Object(t) => &t.id,
        }
    }
}

#[async_trait::async_trait]
impl Activity for Delete {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        crate::protocol::verify_same_origin(self.object_id(), &self.actor)?;
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        if self.object_id() == &self.actor {
            if let Some(gone) = passage_core::accounts::by_ap_id(data, self.actor.as_str()).await? {
                passage_core::moderation::accounts::receive_self_delete(data, &gone).await?;
            }
            return Ok(());
        }
        let Some(deleter) = passage_core::accounts::by_ap_id(data, self.actor.as_str()).await?
        else {
            // We never stored anything of this actor: nothing to delete.
            return Ok(());
        };
        let object_id = self.object_id().as_str();
        if passage_core::moderation::held::forget(data, deleter.id, object_id).await? {
            return Ok(());
        }
        posts::receive_delete(data, &deleter, object_id).await?;
        Ok(())
    }
}
