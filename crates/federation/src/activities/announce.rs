//! `Announce` (a boost) of a post. The boosted post is looked up by id and fetched from its
//! own origin when unknown: an inline copy from the booster's server is not trusted.

use crate::{
    FederationData, FederationError,
    objects::{actor, note},
    protocol::{PUBLIC, urls_lenient},
};
use activitypub_federation::{kinds::activity::AnnounceType, traits::Activity};
use passage_core::reactions;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub actor: Url,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "urls_lenient")]
    pub cc: Vec<String>,
    /// The boosted object's id (inline objects are reduced to their id).
    #[serde(deserialize_with = "object_id")]
    pub object: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Announce {
    /// `actor`'s boost `id` of `object`, a post by `author`: public, and copied to the author
    /// and to the booster's `followers`.
    pub fn new(
        id: &str,
        actor: &str,
        followers: Option<&str>,
        author: &str,
        object: &str,
        published: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Self, FederationError> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: AnnounceType::Announce,
            actor: Url::parse(actor)?,
            to: vec![PUBLIC.to_owned()],
            cc: std::iter::once(author)
                .chain(followers)
                .map(str::to_owned)
                .collect(),
            object: Url::parse(object)?,
            published: Some(published),
        })
    }
}

fn object_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Url::parse(crate::protocol::id_of(&value).unwrap_or_default()).map_err(serde::de::Error::custom)
}

#[async_trait::async_trait]
impl Activity for Announce {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        // A LitePub relay passes posts on as its own Announces: the post is fetched from its
        // author's server and kept, and the relay boosts nothing.
        if passage_core::relays::is_relay(data, self.actor.as_str()).await? {
            crate::relays::take(&self.object, data).await?;
            return Ok(());
        }
        let booster = actor::resolve(self.actor.as_str(), data).await?;
        let post = match note::resolve(&self.object, data).await {
            Ok(post) => post,
            Err(e @ FederationError::Unavailable(_)) => return Err(e),
            // What the boosted post's own server will not give us (gone, not public, never
            // there) is not stored, and the booster's delivery is no fault: dropped.
            Err(error) => {
                tracing::debug!(%error, object = %self.object, "boosted post not fetched");
                return Ok(());
            }
        };
        let published = self.published.unwrap_or_else(passage_db::now);
        reactions::receive_announce(data, &booster, &post, self.id.as_str(), published).await?;
        Ok(())
    }
}
