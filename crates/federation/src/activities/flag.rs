//! `Flag`: another server reports one of our accounts (Mastodon sends it from its instance
//! actor, so the reporter stays anonymous), naming the account and some of its posts in
//! `object`. It becomes a report for our moderators, unless our policy rejects that domain's
//! reports; then it is accepted and dropped.

use crate::{
    FederationData, FederationError,
    objects::actor,
    protocol::{one_or_many_ids, urls_lenient},
};
use activitypub_federation::{kinds::activity::FlagType, traits::Activity};
use passage_core::{Actor, Context, accounts, moderation, posts, reports};
use sea_orm::EntityTrait;
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
    #[serde(
        default,
        deserialize_with = "urls_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    /// The account reported, then the posts of its that are reported, as Mastodon sends it.
    pub object: Value,
    #[serde(default)]
    pub content: Option<String>,
}

impl Flag {
    /// `actor`'s report of `target` and its `posts`, to the target's server. Sent from the
    /// instance actor, so the member who reported stays unknown there.
    pub fn new(
        id: &str,
        actor: &str,
        target: &str,
        comment: &str,
        posts: Vec<String>,
    ) -> Result<Self, FederationError> {
        let object: Vec<String> = std::iter::once(target.to_owned()).chain(posts).collect();
        Ok(Self {
            id: Url::parse(id)?,
            kind: FlagType::Flag,
            actor: Url::parse(actor)?,
            to: vec![target.to_owned()],
            object: serde_json::to_value(object)?,
            content: Some(comment.to_owned()),
        })
    }

    /// Our report `report_id` forwarded by `actor` (with id `id`), and the account it is
    /// about; `None` once the report is gone. Of the reported posts only the account's own
    /// are named: a report cannot be used to point at someone else's.
    pub async fn forward(
        ctx: &Context,
        id: &str,
        actor: &str,
        report_id: i64,
    ) -> Result<Option<(Self, Actor)>, FederationError> {
        let Some(report) = passage_db::entities::reports::Entity::find_by_id(report_id)
            .one(&ctx.db)
            .await?
        else {
            return Ok(None);
        };
        let target = accounts::by_id(ctx, report.target_id).await?;
        let mut own = Vec::new();
        for id in report.status_ids.split_whitespace() {
            if let Ok(id) = id.parse::<i64>()
                && let Ok(post) = posts::by_id(ctx, id).await
                && post.author_id == target.id
            {
                own.push(post.ap_id);
            }
        }
        let flag = Self::new(id, actor, &target.ap_id, &report.comment, own)?;
        Ok(Some((flag, target)))
    }
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
