//! `Move`: an account says it moved to another (`object` = itself, `target` = the new one), as
//! Mastodon, GoToSocial and Akkoma send it to the followers of the old account. Believed only
//! when the new account, fetched afresh from its own server, names the old one in its
//! `alsoKnownAs`; then our members who followed the old account follow the new one.

use crate::{FederationData, FederationError, activities::same_id, objects::actor};
use activitypub_federation::{kinds::activity::MoveType, traits::Activity};
use passage_core::{Actor, accounts::moves};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: MoveType,
    pub actor: Url,
    pub object: Url,
    pub target: Url,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
}

impl Move {
    /// The Move of local account `origin` to `target`, addressed to its `followers`.
    pub fn new(
        id: &str,
        origin: &str,
        followers: Option<&str>,
        target: &str,
    ) -> Result<Self, FederationError> {
        let origin = Url::parse(origin)?;
        Ok(Self {
            id: Url::parse(id)?,
            kind: MoveType::Move,
            actor: origin.clone(),
            object: origin,
            target: Url::parse(target)?,
            to: followers.map(Url::parse).transpose()?.into_iter().collect(),
        })
    }
}

/// The account someone wants to move to, fetched from its server now rather than read from
/// what we stored: the alias it must carry may have been added a minute ago.
pub async fn fetch_target(id: &str, data: &FederationData) -> Result<Actor, FederationError> {
    let url = Url::parse(id)?;
    Ok(
        activitypub_federation::fetch::object_id::ObjectId::<actor::ApubActor>::from(url)
            .dereference_forced(data)
            .await?
            .row,
    )
}

#[async_trait::async_trait]
impl Activity for Move {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        // Only an account moves itself; a server cannot move someone else's account.
        if !same_id(&self.actor, self.object.as_str()) {
            return Err(FederationError::Forbidden(
                "an account can only move itself".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let origin = actor::resolve(self.actor.as_str(), data).await?;
        let target = fetch_target(self.target.as_str(), data).await?;
        moves::receive(data, &origin, &target).await?;
        Ok(())
    }
}
