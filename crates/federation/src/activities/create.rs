//! `Create` of a `Note` (or `Article`/`Page`): a new post reaches us. The object must come
//! from the same origin as the activity and be attributed to its actor; other object types
//! are ignored until Passage handles them.

use crate::{
    FederationData, FederationError,
    objects::note::{ApubPost, verify_origin},
    protocol::{note::NoteDocument, urls_lenient},
};
use activitypub_federation::{
    kinds::activity::CreateType,
    traits::{Activity, Object},
};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Create {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub actor: Url,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub cc: Vec<String>,
    pub object: NoteDocument,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
}

#[async_trait::async_trait]
impl Activity for Create {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        let author = verify_origin(&self.object, &self.id)?;
        if author != self.actor {
            return Err(FederationError::Forbidden(
                "object is attributed to another actor".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        ApubPost::from_json(self.object, data).await?;
        Ok(())
    }
}
