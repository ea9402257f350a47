//! The probation queue at the door (see `passage_core::moderation::held`): posts that arrive
//! in a `Create` or an `Update` from a domain on probation, unasked, are kept as they came
//! instead of stored; a moderator's approval stores them then, as they would have been.

use crate::{
    FederationData, FederationError,
    objects::note::{ApubPost, remote_post},
    protocol::note::NoteDocument,
    verify::host_of,
};
use activitypub_federation::traits::Object;
use passage_core::{
    Post,
    moderation::{self, By, held},
    posts,
};

/// Holds `note` if it must wait for a moderator; whether it did. An edit of a held post
/// replaces the copy that waits; posts already let in, and posts members asked for, pass.
pub async fn intercept(
    note: &NoteDocument,
    data: &FederationData,
) -> Result<bool, FederationError> {
    let ap_id = note.id.as_str();
    if held::is_held(data, ap_id).await? {
        held::replace(data, ap_id, &json_of(note)?).await?;
        return Ok(true);
    }
    let on_probation = match host_of(&note.id) {
        Some(host) => moderation::verdict(data, &host).await?.probation,
        None => false,
    };
    if !on_probation || posts::by_ap_id(data, ap_id).await?.is_some() {
        return Ok(false);
    }
    let read = remote_post(note, data).await?;
    let Some(reason) = held::unsolicited(data, read.author.id, &read.post.mentions).await? else {
        return Ok(false);
    };
    held::hold(data, read.author.id, ap_id, &json_of(note)?, reason).await?;
    Ok(true)
}

fn json_of(note: &NoteDocument) -> Result<serde_json::Value, FederationError> {
    serde_json::to_value(note).map_err(|e| FederationError::Internal(e.to_string()))
}

/// Lets a held post in: stores it as it arrived (mentions notify, timelines show it), then
/// takes it out of the queue. Refused if its domain has been suspended since.
pub async fn release(data: &FederationData, by: By<'_>, id: i64) -> Result<Post, FederationError> {
    let waiting = held::get(data, by, id).await?;
    let note: NoteDocument = serde_json::from_str(&waiting.object)
        .map_err(|e| FederationError::Internal(format!("held post {id}: {e}")))?;
    let federates = match host_of(&note.id) {
        Some(host) => moderation::federates_with(data, &host).await?,
        None => false,
    };
    if !federates {
        return Err(FederationError::BadRequest(
            "its domain is suspended now; reject it instead".into(),
        ));
    }
    let post = ApubPost::from_json(note, data).await?;
    held::approve(data, by, id).await?;
    Ok(post.row)
}
