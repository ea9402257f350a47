//! `Update` of a post (an edit) or of the sending actor's own profile. Only the author may
//! update a post, and an actor only itself.

use crate::{
    FederationData, FederationError,
    activities::urls_if_present,
    objects::{
        actor::ApubActor,
        note::{ApubPost, sent_by_author, verify_origin},
    },
    protocol::{PUBLIC, actor::ActorDocument, lenient, note::NoteDocument, urls_lenient},
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
    #[serde(default, deserialize_with = "urls_lenient")]
    pub to: Vec<String>,
    /// Left out of the Update of a suspended actor, which goes to named servers alone.
    #[serde(
        default,
        deserialize_with = "urls_if_present",
        skip_serializing_if = "Option::is_none"
    )]
    pub cc: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub object: serde_json::Value,
}

enum Updated {
    Post(Box<NoteDocument>),
    Actor(Box<ActorDocument>),
    Other,
}

impl Update {
    /// `actor`'s edit `id` of its post `note`, addressed as the note is.
    pub fn of_note(id: &str, actor: &str, note: &NoteDocument) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: UpdateType::Update,
            actor: Url::parse(actor)?,
            to: note.to.clone(),
            cc: Some(note.cc.clone()),
            published: note.published,
            object: serde_json::to_value(note)?,
        })
    }

    /// A local actor's own `document`, public. A profile change goes to its `followers`; a
    /// suspension (`None`) to the servers it was linked with, named by the caller.
    pub fn of_actor(
        id: &str,
        document: &ActorDocument,
        followers: Option<&str>,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: UpdateType::Update,
            actor: document.id.clone(),
            to: vec![PUBLIC.to_owned()],
            cc: followers.map(|f| vec![f.to_owned()]),
            published: None,
            object: serde_json::to_value(document)?,
        })
    }

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
