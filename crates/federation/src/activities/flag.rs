//! `Flag`: another server reports one of our accounts (Mastodon sends it from its instance
//! actor, so the reporter stays anonymous), naming the account and some of its posts in
//! `object`. It becomes a report for our moderators, unless our policy rejects that domain's
//! reports; then it is accepted and dropped.

use crate::{FederationData, FederationError, objects::actor, protocol::one_or_many_ids};
use activitypub_federation::{kinds::activity::FlagType, traits::Activity};
use passage_core::{accounts, moderation, posts, reports};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Most objects read from one Flag: the account and its posts.
const MAX_OBJECTS: usize = 100;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    pub actor: Url,
    pub object: Value,
    #[serde(default)]
    pub content: Option<String>,
}

#[async_trait::async_trait]
impl Activity for Flag {
    activity_basics!();

    async fn verify(&self, _data: &FederationData) -> Result<(), FederationError> {
        Ok(())
    }

    async fn receive(self, data: &FederationData) -> Result<(), FederationError> {
        let host = crate::verify::host_of(&self.actor).unwrap_or_default();
        if moderation::verdict(data, &host).await?.flags.reject_reports {
            tracing::info!(%host, "report from a domain whose reports are rejected; dropped");
            return Ok(());
        }
        let ids = one_or_many_ids(&self.object);
        let mut target = None;
        let mut post_ids = Vec::new();
        for id in ids.iter().take(MAX_OBJECTS) {
            if !data.urls.is_local(id) {
                continue;
            }
            if let Some(account) = accounts::by_ap_id(data, id).await? {
                target.get_or_insert(account);
            } else if let Some(post) = posts::by_ap_id(data, id).await? {
                post_ids.push((post.id, post.author_id));
            }
        }
        let target = target.ok_or(FederationError::NotFound)?;
        let reporter = actor::resolve(self.actor.as_str(), data).await?;
        let new = reports::NewReport {
            category: None,
            comment: self
                .content
                .map(|c| passage_core::content::plain_text(&c))
                .unwrap_or_default()
                .trim()
                .chars()
                .take(reports::MAX_COMMENT)
                .collect(),
            post_ids: post_ids
                .into_iter()
                .filter(|(_, author)| *author == target.id)
                .map(|(id, _)| id)
                .collect(),
            rule_ids: Vec::new(),
            forward: false,
        };
        reports::file(data, &reporter, &target, new).await?;
        Ok(())
    }
}
