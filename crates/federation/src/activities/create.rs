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
    kinds::{activity::CreateType, object::NoteType},
    traits::{Activity, Object},
};
use passage_core::{Context, Post, polls};
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
    /// `actor`'s Create `id` of `note`, addressed as the note is.
    pub fn of_note(id: &str, actor: &str, note: NoteDocument) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: CreateType::Create,
            actor: Url::parse(actor)?,
            to: note.to.clone(),
            cc: note.cc.clone(),
            published: note.published,
            object: note,
        })
    }

    /// The Create of `post` by its author `actor`, as sent and as listed in the outbox. Its
    /// id is the post's own with `/activity`: the same every time it is rendered.
    pub async fn of_post(ctx: &Context, actor: &str, post: &Post) -> Result<Self, FederationError> {
        let note = crate::objects::note::note_from_post(ctx, post).await?;
        Self::of_note(&format!("{}/activity", post.ap_id), actor, note)
    }

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

/// Our member's vote on a poll elsewhere, as Mastodon sends it: a `Create` of a `Note` named
/// after the chosen option, in reply to the `Question`, with no content, addressed to the
/// poll's author alone so who voted what stays between them. A [`Create`] cannot carry it:
/// its [`NoteDocument`] always writes `content`, `cc`, `tag` and `sensitive`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub actor: Url,
    pub to: Vec<String>,
    pub object: VoteNote,
}

/// The `Note` a [`Vote`] carries.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteNote {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: NoteType,
    pub name: String,
    pub attributed_to: Url,
    pub to: Vec<String>,
    pub in_reply_to: String,
}

impl Vote {
    /// `voter`'s choice of `option` in `question`, a poll by `author`. `note` is the vote's
    /// own id; the Create's is derived from it.
    pub fn new(
        note: &str,
        voter: &str,
        author: &str,
        option: &str,
        question: &str,
    ) -> Result<Self, FederationError> {
        let voter = Url::parse(voter)?;
        Ok(Self {
            id: Url::parse(&format!("{note}/activity"))?,
            kind: CreateType::Create,
            actor: voter.clone(),
            to: vec![author.to_owned()],
            object: VoteNote {
                id: Url::parse(note)?,
                kind: NoteType::Note,
                name: option.to_owned(),
                attributed_to: voter,
                to: vec![author.to_owned()],
                in_reply_to: question.to_owned(),
            },
        })
    }
}
