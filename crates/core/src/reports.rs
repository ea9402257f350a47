//! Reports: a member tells the instance's moderators about an account and some of its posts.
//! Stored for the moderators; reviewing, resolving and forwarding to the account's own server
//! (as a `Flag` from the instance actor) belong to moderation.

use crate::{Actor, Context, CoreError, error::CoreResult};
use passage_db::{entities::reports, now, queries::batch};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

pub type Report = reports::Model;

/// Mastodon's report categories.
pub const CATEGORIES: [&str; 4] = ["spam", "legal", "violation", "other"];
/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 1000;

#[derive(Clone, Debug, Default)]
pub struct NewReport {
    pub category: Option<String>,
    pub comment: String,
    pub post_ids: Vec<i64>,
    pub rule_ids: Vec<i64>,
    /// Ask that the report also go to the account's server (remote accounts).
    pub forward: bool,
}

pub async fn file(
    ctx: &Context,
    reporter: &Actor,
    target: &Actor,
    new: NewReport,
) -> CoreResult<Report> {
    if reporter.id == target.id {
        return Err(CoreError::Invalid(
            "account_id: you cannot report yourself".into(),
        ));
    }
    let category = new.category.unwrap_or_else(|| {
        if new.rule_ids.is_empty() {
            "other"
        } else {
            "violation"
        }
        .to_owned()
    });
    if !CATEGORIES.contains(&category.as_str()) {
        return Err(CoreError::Invalid(format!(
            "category: one of {}",
            CATEGORIES.join(", ")
        )));
    }
    if new.comment.chars().count() > MAX_COMMENT {
        return Err(CoreError::Invalid(format!(
            "comment: at most {MAX_COMMENT} characters"
        )));
    }
    let rules = ctx.config.instance.rules.len() as i64;
    if let Some(unknown) = new.rule_ids.iter().find(|id| !(1..=rules).contains(*id)) {
        return Err(CoreError::Invalid(format!(
            "rule_ids: this instance has no rule {unknown}"
        )));
    }
    // Only posts of the reported account count.
    let posts = batch::posts_by_ids(&ctx.db, &new.post_ids).await?;
    if posts.len() != new.post_ids.len() || posts.iter().any(|p| p.author_id != target.id) {
        return Err(CoreError::Invalid(
            "status_ids: every post must be one of the reported account's".into(),
        ));
    }
    // A member reports what she can see: a post id she guessed tells her nothing here. (A
    // server's Flag names posts its members saw; that server answers for it.)
    if reporter.local {
        for post in &posts {
            if !crate::posts::can_view(ctx, Some(reporter), post).await? {
                return Err(CoreError::Invalid(
                    "status_ids: every post must be one of the reported account's".into(),
                ));
            }
        }
    }
    let join = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ");
    Ok(reports::ActiveModel {
        reporter_id: Set(reporter.id),
        target_id: Set(target.id),
        category: Set(category),
        comment: Set(new.comment),
        status_ids: Set(join(&new.post_ids)),
        rule_ids: Set(join(&new.rule_ids)),
        forward: Set(new.forward && !target.local),
        created_at: Set(now()),
        resolved_at: Set(None),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?)
}
