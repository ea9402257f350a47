//! `Create` of a `Note` (or `Article`/`Page`/`Question`): a new post reaches us, or a vote on
//! one of our polls. The object must come from the same origin as the activity and be
//! attributed to its actor; other object types are refused.

use crate::{
    FederationData, FederationError,
    objects::{
        actor,
        note::{ApubPost, sent_by_author, verify_origin},
    },
    protocol::{note::NoteDocument, urls_lenient},
};
use activitypub_federation::{
    kinds::activity::CreateType,
    traits::{Activity, Object},
};
use passage_core::polls;
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
        if !sent_by_author(&self.object, &author, &self.actor) {
            return Err(FederationError::Forbidden(
                "object is attributed to another actor".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        if self.is_vote(data).await? || crate::held::intercept(&self.object, data).await? {
            return Ok(());
        }
        ApubPost::from_json(self.object, data).await?;
        Ok(())
    }
}

impl Create {
    /// A vote on one of our polls: Mastodon sends each choice as a `Note` with the option's
    /// title as `name`, no content, in reply to the `Question`.
    async fn is_vote(&self, data: &FederationData) -> Result<bool, FederationError> {
        let note = &self.object;
        let (Some(option), Some(question)) = (&note.name, &note.in_reply_to) else {
            return Ok(false);
        };
        if !note.content.is_empty() || !data.urls.is_local(question.as_str()) {
            return Ok(false);
        }
        let voter = actor::resolve(self.actor.as_str(), data).await?;
        Ok(polls::receive_vote(data, &voter, question.as_str(), option, note.id.as_str()).await?)
    }
}
