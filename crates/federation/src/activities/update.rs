//! `Update` of a post (an edit) or of the sending actor's own profile. Only the author may
//! update a post, and an actor only itself.

use crate::{
    FederationData, FederationError,
    objects::{
        actor::ApubActor,
        note::{ApubPost, sent_by_author, verify_origin},
    },
    protocol::{actor::ActorDocument, note::NoteDocument},
};
use activitypub_federation::{
    kinds::activity::UpdateType,
    traits::{Activity, Object},
};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Update {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UpdateType,
    pub actor: Url,
    pub object: serde_json::Value,
}

enum Updated {
    Post(Box<NoteDocument>),
    Actor(Box<ActorDocument>),
    Other,
}

impl Update {
    fn updated(&self) -> Result<Updated, FederationError> {
        let kind = self
            .object
            .get("type")
            .map(NoteDocument::kind_of)
            .unwrap_or_default();
        Ok(if NoteDocument::KINDS.contains(&kind) {
            Updated::Post(Box::new(serde_json::from_value(self.object.clone())?))
        } else if ["Person", "Group", "Application", "Service", "Organization"].contains(&kind) {
            Updated::Actor(Box::new(serde_json::from_value(self.object.clone())?))
        } else {
            Updated::Other
        })
    }
}

#[async_trait::async_trait]
impl Activity for Update {
    activity_basics!();

    async fn verify(&self, data: &FederationData) -> Result<(), FederationError> {
        match self.updated()? {
            Updated::Post(note) => {
                let author = verify_origin(&note, &self.id)?;
                if !sent_by_author(&note, &author, &self.actor) {
                    return Err(FederationError::Forbidden(
                        "only the author may update a post".into(),
                    ));
                }
            }
            Updated::Actor(doc) => {
                if doc.id != self.actor {
                    return Err(FederationError::Forbidden(
                        "an actor may only update itself".into(),
                    ));
                }
                ApubActor::verify(&doc, &self.id, data).await?;
            }
            Updated::Other => {}
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        match self.updated()? {
            Updated::Post(note) => {
                if !crate::held::intercept(&note, data).await? {
                    ApubPost::from_json(*note, data).await?;
                }
            }
            Updated::Actor(doc) => {
                ApubActor::from_json(*doc, data).await?;
            }
            Updated::Other => {}
        }
        Ok(())
    }
}
