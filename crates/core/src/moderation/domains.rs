//! Domain blocks and allows: what admins decide about other servers. Every change is checked,
//! written with its audit entry in one transaction, and then the instance's policy is
//! rebuilt. A suspension severs the follows between this instance and the blocked domain in
//! both directions (Mastodon does the same); [`preview`] says beforehand how many.
//!
//! Nothing else is deleted: the domain's accounts and posts stay stored (hidden by the policy),
//! so lifting a suspension by mistake loses nothing but the severed follows.

use super::{
    By,
    audit::{self, Action},
    changed, check_staff,
    policy::{Flags, Severity, normalise},
};
use crate::{
    Context,
    error::{CoreError, CoreResult, OrNotFound},
};
use passage_db::{
    Timestamp,
    entities::{actors, domain_allows, domain_blocks, follows, posts},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::Query,
};
use serde_json::json;

pub type DomainBlock = domain_blocks::Model;
pub type DomainAllow = domain_allows::Model;

/// Longest comment kept, in characters.
const MAX_COMMENT_CHARS: usize = 1000;

/// A block as an admin writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockInput {
    pub domain: String,
    pub severity: Severity,
    pub flags: Flags,
    /// Seen by moderators only.
    pub private_comment: Option<String>,
    /// Shown with the block where blocks are public.
    pub public_comment: Option<String>,
    /// Shown with the middle of the name masked where blocks are public.
    pub obfuscate: bool,
    pub expires_at: Option<Timestamp>,
}

impl BlockInput {
    pub fn new(domain: &str, severity: Severity) -> Self {
        Self {
            domain: domain.to_owned(),
            severity,
            flags: Flags::default(),
            private_comment: None,
            public_comment: None,
            obfuscate: false,
            expires_at: None,
        }
    }

    fn check(&mut self, ctx: &Context) -> CoreResult<()> {
        self.domain = check_domain(ctx, &self.domain)?;
        for (field, comment) in [
            ("private_comment", &mut self.private_comment),
            ("public_comment", &mut self.public_comment),
        ] {
            *comment = comment.take().filter(|c| !c.trim().is_empty());
            if comment
                .as_ref()
                .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
            {
                return Err(CoreError::Invalid(format!(
                    "{field}: at most {MAX_COMMENT_CHARS} characters"
                )));
            }
        }
        if self.expires_at.is_some_and(|at| at <= now()) {
            return Err(CoreError::Invalid(
                "expires_at: must be in the future".into(),
            ));
        }
        Ok(())
    }
}

/// A domain name as rules are written: lowercase, no scheme, no path, not this instance.
pub(super) fn check_domain(ctx: &Context, domain: &str) -> CoreResult<String> {
    let domain = normalise(domain);
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'))
        && !domain.starts_with(['.', '-', ':']);
    if !valid {
        return Err(CoreError::Invalid(format!(
            "domain: {domain:?} is not a domain name"
        )));
    }
    if domain == normalise(ctx.domain()) {
        return Err(CoreError::Invalid("domain: that is this instance".into()));
    }
    Ok(domain)
}

/// What blocking a domain would cut: its accounts and posts stored here, and the follows
/// between it and this instance, each way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impact {
    pub accounts: u64,
    pub posts: u64,
    /// Their accounts following ours.
    pub followers: u64,
    /// Our accounts following theirs.
    pub following: u64,
}

/// The remote actors of `domain` and its subdomains.
fn in_domain(domain: &str) -> Condition {
    Condition::all().add(actors::Column::Local.eq(false)).add(
        Condition::any()
            .add(actors::Column::Domain.eq(domain))
            .add(actors::Column::Domain.like(format!("%.{domain}"))),
    )
}

fn actor_ids(domain: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(actors::Column::Id)
        .from(actors::Entity)
        .cond_where(in_domain(domain))
        .to_owned()
}

/// What blocking `domain` with a suspension would cut, before doing it.
pub async fn preview(ctx: &Context, by: By<'_>, domain: &str) -> CoreResult<Impact> {
    check_staff(ctx, by).await?;
    let domain = check_domain(ctx, domain)?;
    let db = &ctx.db;
    Ok(Impact {
        accounts: actors::Entity::find()
            .filter(in_domain(&domain))
            .count(db)
            .await?,
        posts: posts::Entity::find()
            .filter(posts::Column::AuthorId.in_subquery(actor_ids(&domain)))
            .count(db)
            .await?,
        followers: follows::Entity::find()
            .filter(follows::Column::FollowerId.in_subquery(actor_ids(&domain)))
            .count(db)
            .await?,
        following: follows::Entity::find()
            .filter(follows::Column::FolloweeId.in_subquery(actor_ids(&domain)))
            .count(db)
            .await?,
    })
}

/// Ends every follow between this instance and `domain`, both ways; how many ended.
pub(super) async fn sever(db: &impl ConnectionTrait, domain: &str) -> CoreResult<u64> {
    let result = follows::Entity::delete_many()
        .filter(
            Condition::any()
                .add(follows::Column::FollowerId.in_subquery(actor_ids(domain)))
                .add(follows::Column::FolloweeId.in_subquery(actor_ids(domain))),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

pub(super) fn block_detail(b: &DomainBlock, severed: u64) -> serde_json::Value {
    json!({
        "severity": b.severity, "reject_media": b.reject_media,
        "reject_reports": b.reject_reports, "media_sensitive": b.media_sensitive,
        "strip_avatars": b.strip_avatars, "followers_only": b.followers_only,
        "expires_at": b.expires_at, "follows_severed": severed,
    })
}

/// Blocks a domain. A suspension severs the follows with it at once.
pub async fn block(ctx: &Context, by: By<'_>, mut input: BlockInput) -> CoreResult<DomainBlock> {
    check_staff(ctx, by).await?;
    input.check(ctx)?;
    if domain_blocks::Entity::find()
        .filter(domain_blocks::Column::Domain.eq(&input.domain))
        .one(&ctx.db)
        .await?
        .is_some()
    {
        return Err(CoreError::Invalid(format!(
            "domain: {} is already blocked; change that block instead",
            input.domain
        )));
    }
    let at = now();
    let txn = ctx.db.begin().await?;
    let mut row = write(&input, <domain_blocks::ActiveModel as Default>::default());
    row.domain = Set(input.domain.clone());
    row.created_at = Set(at);
    row.updated_at = Set(at);
    let block = row.insert(&txn).await?;
    let severed = if input.severity == Severity::Suspend {
        sever(&txn, &block.domain).await?
    } else {
        0
    };
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_block.create",
        target: &block.domain,
        reason: block.private_comment.as_deref(),
        detail: block_detail(&block, severed),
    };
    finish(ctx, txn, entry).await?;
    Ok(block)
}

/// Changes a block (its domain stays). Raising it to a suspension severs the follows.
pub async fn update_block(
    ctx: &Context,
    by: By<'_>,
    id: i64,
    mut input: BlockInput,
) -> CoreResult<DomainBlock> {
    check_staff(ctx, by).await?;
    let before = block_by_id(ctx, by, id).await?;
    input.domain.clone_from(&before.domain);
    input.check(ctx)?;
    let txn = ctx.db.begin().await?;
    let mut row = write(&input, before.clone().into());
    row.updated_at = Set(now());
    let block = row.update(&txn).await?;
    let severed = if input.severity == Severity::Suspend && before.severity != block.severity {
        sever(&txn, &block.domain).await?
    } else {
        0
    };
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_block.update",
        target: &block.domain,
        reason: block.private_comment.as_deref(),
        detail: block_detail(&block, severed),
    };
    finish(ctx, txn, entry).await?;
    Ok(block)
}

pub(super) fn write(
    input: &BlockInput,
    mut row: domain_blocks::ActiveModel,
) -> domain_blocks::ActiveModel {
    row.severity = Set(input.severity.as_str().to_owned());
    row.reject_media = Set(input.flags.reject_media);
    row.reject_reports = Set(input.flags.reject_reports);
    row.media_sensitive = Set(input.flags.media_sensitive);
    row.strip_avatars = Set(input.flags.strip_avatars);
    row.followers_only = Set(input.flags.followers_only);
    row.private_comment = Set(input.private_comment.clone());
    row.public_comment = Set(input.public_comment.clone());
    row.obfuscate = Set(input.obfuscate);
    row.expires_at = Set(input.expires_at);
    row
}

/// Lifts a block. Severed follows stay ended: people choose again whom to follow.
pub async fn unblock(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<()> {
    let block = block_by_id(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    domain_blocks::Entity::delete_by_id(block.id)
        .exec(&txn)
        .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_block.destroy",
        target: &block.domain,
        reason: None,
        detail: block_detail(&block, 0),
    };
    finish(ctx, txn, entry).await?;
    Ok(())
}

/// The end of every change here: its audit entry, in the same transaction, then the policy
/// rebuilt.
async fn finish(ctx: &Context, txn: DatabaseTransaction, entry: Action<'_>) -> CoreResult<()> {
    audit::commit(txn, entry).await?;
    changed(ctx);
    Ok(())
}

/// Every block, newest first.
pub async fn blocks(ctx: &Context, by: By<'_>) -> CoreResult<Vec<DomainBlock>> {
    check_staff(ctx, by).await?;
    Ok(domain_blocks::Entity::find()
        .order_by_desc(domain_blocks::Column::Id)
        .all(&ctx.db)
        .await?)
}

pub async fn block_by_id(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<DomainBlock> {
    check_staff(ctx, by).await?;
    domain_blocks::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// Allows a domain: in allow-list mode it may federate; in open mode it is an exception to
/// blocks. Allowing twice gives back the allow already there.
pub async fn allow(
    ctx: &Context,
    by: By<'_>,
    domain: &str,
    comment: Option<String>,
) -> CoreResult<DomainAllow> {
    check_staff(ctx, by).await?;
    let domain = check_domain(ctx, domain)?;
    if let Some(existing) = domain_allows::Entity::find()
        .filter(domain_allows::Column::Domain.eq(&domain))
        .one(&ctx.db)
        .await?
    {
        return Ok(existing);
    }
    let txn = ctx.db.begin().await?;
    let allow = domain_allows::ActiveModel {
        domain: Set(domain.clone()),
        private_comment: Set(comment.filter(|c| !c.trim().is_empty())),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_allow.create",
        target: &domain,
        reason: allow.private_comment.as_deref(),
        detail: json!({}),
    };
    finish(ctx, txn, entry).await?;
    Ok(allow)
}

/// Withdraws an allow.
pub async fn unallow(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<()> {
    let allow = allow_by_id(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    domain_allows::Entity::delete_by_id(allow.id)
        .exec(&txn)
        .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_allow.destroy",
        target: &allow.domain,
        reason: None,
        detail: json!({}),
    };
    finish(ctx, txn, entry).await?;
    Ok(())
}

/// Every allow, newest first.
pub async fn allows(ctx: &Context, by: By<'_>) -> CoreResult<Vec<DomainAllow>> {
    check_staff(ctx, by).await?;
    Ok(domain_allows::Entity::find()
        .order_by_desc(domain_allows::Column::Id)
        .all(&ctx.db)
        .await?)
}

pub async fn allow_by_id(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<DomainAllow> {
    check_staff(ctx, by).await?;
    domain_allows::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// The SHA-256 of a domain in hex, as Mastodon publishes it beside obfuscated blocks.
pub fn digest(domain: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, domain.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The flags of a stored block.
pub fn flags(b: &DomainBlock) -> Flags {
    Flags {
        reject_media: b.reject_media,
        reject_reports: b.reject_reports,
        media_sensitive: b.media_sensitive,
        strip_avatars: b.strip_avatars,
        followers_only: b.followers_only,
    }
}

/// Lifts the blocks whose time is up, each audited as the system's action; how many. The
/// policy already ignores them (it reads `expires_at`); this makes the lists say so too.
pub async fn expire_due(ctx: &Context) -> CoreResult<usize> {
    let due = domain_blocks::Entity::find()
        .filter(domain_blocks::Column::ExpiresAt.lte(now()))
        .all(&ctx.db)
        .await?;
    for block in &due {
        let txn = ctx.db.begin().await?;
        domain_blocks::Entity::delete_by_id(block.id)
            .exec(&txn)
            .await?;
        let entry = Action {
            moderator_id: None,
            action: "domain_block.expire",
            target: &block.domain,
            reason: None,
            detail: block_detail(block, 0),
        };
        finish(ctx, txn, entry).await?;
    }
    Ok(due.len())
}

/// A block as the public list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicBlock {
    /// With the middle of each label masked when the block says `obfuscate`.
    pub domain: String,
    /// SHA-256 of the real name, so those who know it can check.
    pub digest: String,
    pub severity: Severity,
    pub comment: Option<String>,
}

/// The blocks members see in Mastodon's public list (`/api/v1/instance/domain_blocks`):
/// those that limit or suspend, or refuse media. None when the configuration keeps the
/// list from this reader (`member`: logged in here).
pub async fn public_list(ctx: &Context, member: bool) -> CoreResult<Option<Vec<PublicBlock>>> {
    use crate::config::PublicBlocklist;
    let shown = match ctx.config.federation.public_blocklist {
        PublicBlocklist::Off => false,
        PublicBlocklist::Members => member,
        PublicBlocklist::All => true,
    };
    if !shown {
        return Ok(None);
    }
    let blocks = domain_blocks::Entity::find()
        .order_by_asc(domain_blocks::Column::Domain)
        .all(&ctx.db)
        .await?;
    Ok(Some(
        blocks
            .into_iter()
            .filter_map(|b| {
                let severity = Severity::parse(&b.severity)?;
                let user_facing =
                    matches!(severity, Severity::Suspend | Severity::Limit) || b.reject_media;
                user_facing.then(|| PublicBlock {
                    domain: if b.obfuscate {
                        obfuscated(&b.domain)
                    } else {
                        b.domain.clone()
                    },
                    digest: digest(&b.domain),
                    severity,
                    comment: b.public_comment,
                })
            })
            .collect(),
    ))
}

/// A domain with the middle of each label but the last masked: `sp**m.example`.
fn obfuscated(domain: &str) -> String {
    let labels: Vec<&str> = domain.split('.').collect();
    let last = labels.len().saturating_sub(1);
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let chars: Vec<char> = label.chars().collect();
            if i == last || chars.len() <= 2 {
                return (*label).to_owned();
            }
            let mut out = String::new();
            out.push(chars[0]);
            out.extend(std::iter::repeat_n('*', chars.len() - 2));
            out.push(chars[chars.len() - 1]);
            out
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    #[test]
    fn obfuscation_keeps_the_ends_of_each_label_and_the_top_level() {
        assert_eq!(super::obfuscated("spam.example"), "s**m.example");
        assert_eq!(
            super::obfuscated("bad.social.example"),
            "b*d.s****l.example"
        );
        assert_eq!(super::obfuscated("ab.example"), "ab.example");
    }
}
