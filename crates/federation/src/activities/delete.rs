//! `Delete` of a post: it becomes a tombstone here too. Only its author may delete it; the
//! object may be an id or a `Tombstone`. Deletion of the actor itself is accepted and left for
//! account removal to handle.

use crate::{
    FederationData, FederationError,
    activities::urls_if_present,
    protocol::{IdOr, PUBLIC, addressing::address, note::Tombstone},
};
use activitypub_federation::{kinds::activity::DeleteType, traits::Activity};
use passage_core::{posts, visibility::Visibility};
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
    /// Left out of the Delete of an actor; empty, but there, in that of a direct post.
    #[serde(
        default,
        deserialize_with = "urls_if_present",
        skip_serializing_if = "Option::is_none"
    )]
    pub cc: Option<Vec<String>>,
    pub object: IdOr<Tombstone>,
}

impl Delete {
    /// `actor`'s Delete of its post `post`, addressed to the audience the post had (its
    /// `visibility`, `followers` and `mentions`), so it reaches every copy. Its id is the
    /// post's with `#delete`: the same however often it is rendered.
    pub fn of_post(
        actor: &str,
        followers: &str,
        post: &str,
        visibility: Visibility,
        mentions: &[String],
    ) -> Result<Self, FederationError> {
        let (to, cc) = address(visibility, followers, mentions);
        Ok(Self {
            id: Url::parse(&format!("{post}#delete"))?,
            kind: DeleteType::Delete,
            actor: Url::parse(actor)?,
            to,
            cc: Some(cc),
            object: IdOr::Object(Box::new(Tombstone {
                id: Url::parse(post)?,
                kind: "Tombstone".into(),
            })),
        })
    }

    /// The Delete of the local `actor` itself (its account is purged), to everyone.
    pub fn of_actor(id: &str, actor: &str) -> Result<Self, FederationError> {
        let actor = Url::parse(actor)?;
        Ok(Self {
            id: Url::parse(id)?,
            kind: DeleteType::Delete,
            to: vec![PUBLIC.to_owned()],
            cc: None,
            object: IdOr::Id(actor.clone()),
            actor,
        })
    }

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
