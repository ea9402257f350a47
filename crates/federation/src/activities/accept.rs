//! `Accept` of one of our `Follow`s: the relation becomes active. Only the followee may
//! accept; the Follow may come inline (Mastodon) or as an id (some others).

use crate::{
    FederationData, FederationError,
    activities::{follow::Follow, same_id},
    protocol::IdOr,
};
use activitypub_federation::{kinds::activity::AcceptType, traits::Activity};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub actor: Url,
    pub object: IdOr<Follow>,
}

#[async_trait::async_trait]
impl Activity for Accept {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        answer(&self.actor, &self.object, true, data).await
    }
}

/// Shared by Accept and Reject: find our Follow the answer refers to, check the answering
/// actor is its followee, and record the answer.
pub(crate) async fn answer(
    actor: &Url,
    object: &IdOr<Follow>,
    accepted: bool,
    data: &FederationData,
) -> Result<(), FederationError> {
    use passage_core::{accounts, follows};
    let follow_id = match object {
        IdOr::Id(id) => id.clone(),
        IdOr::Object(follow) => follow.id.clone(),
    };
    let follow = follows::by_ap_id(data, follow_id.as_str())
        .await?
        .ok_or(FederationError::NotFound)?;
    let followee = accounts::by_id(data, follow.followee_id).await?;
    if !same_id(actor, &followee.ap_id) {
        return Err(FederationError::Forbidden(
            "only the followee answers a follow".into(),
        ));
    }
    let follower = accounts::by_id(data, follow.follower_id).await?;
    follows::receive_answer(data, &follower, &followee, accepted).await?;
    Ok(())
}
