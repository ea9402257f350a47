//! Drafts: blocks and allows that an import or a subscription proposes, applied only when an
//! admin accepts them. Reading a 10,000-line shared list first as drafts lets an admin see
//! and drop what does not fit this instance, then accept the rest in one step (GoToSocial
//! makes subscriptions draft by default for the same reason). A draft per kind and domain:
//! proposing again replaces it.

use super::{
    By,
    apply::{self, Applied, Kind, Source},
    audit::{self, Action},
    check_staff,
    excludes::{self, Screened},
    lists::{Bad, Entry},
    policy::{Flags, Severity},
};
use crate::{
    Context,
    error::{CoreError, CoreResult, OrNotFound},
};
use passage_db::{
    entities::{domain_drafts, domain_subscriptions},
    now,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, sea_query::OnConflict,
};
use serde_json::json;
use std::collections::BTreeMap;

pub type DomainDraft = domain_drafts::Model;

/// Rows written per statement: far below SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 500;

/// What proposing did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proposed {
    pub drafted: usize,
    pub excluded: usize,
    pub bad: Vec<Bad>,
}

/// Which drafts to list or accept.
#[derive(Clone, Copy, Debug, Default)]
pub struct Selection {
    pub kind: Option<Kind>,
    pub subscription_id: Option<i64>,
}

/// Writes `entries` as drafts of `kind`, in one transaction.
pub async fn propose(
    ctx: &Context,
    by: By<'_>,
    kind: Kind,
    entries: Vec<Entry>,
    subscription_id: Option<i64>,
    mut progress: impl FnMut(usize),
) -> CoreResult<Proposed> {
    check_staff(ctx, by).await?;
    let excluded = excludes::domains(ctx).await?;
    let mut done = Proposed::default();
    // The last line naming a domain wins, as it would when applied in order.
    let mut rows = BTreeMap::new();
    let at = now();
    for (n, e) in entries.into_iter().enumerate() {
        progress(n + 1);
        let domain = match excludes::screen(ctx, &excluded, e.line, &e.domain) {
            Screened::Domain(d) => d,
            Screened::Excluded => {
                done.excluded += 1;
                continue;
            }
            Screened::Bad(bad) => {
                done.bad.push(bad);
                continue;
            }
        };
        rows.insert(
            domain.clone(),
            domain_drafts::ActiveModel {
                kind: Set(kind.as_str().to_owned()),
                domain: Set(domain),
                severity: Set(e.severity.as_str().to_owned()),
                reject_media: Set(e.flags.reject_media),
                reject_reports: Set(e.flags.reject_reports),
                media_sensitive: Set(e.flags.media_sensitive),
                strip_avatars: Set(e.flags.strip_avatars),
                followers_only: Set(e.flags.followers_only),
                private_comment: Set(e.private_comment),
                public_comment: Set(e.public_comment),
                obfuscate: Set(e.obfuscate),
                subscription_id: Set(subscription_id),
                created_at: Set(at),
                ..Default::default()
            },
        );
    }
    done.drafted = rows.len();
    let rows: Vec<_> = rows.into_values().collect();
    let txn = ctx.db.begin().await?;
    for chunk in rows.chunks(CHUNK) {
        domain_drafts::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([domain_drafts::Column::Kind, domain_drafts::Column::Domain])
                    .update_columns([
                        domain_drafts::Column::Severity,
                        domain_drafts::Column::RejectMedia,
                        domain_drafts::Column::RejectReports,
                        domain_drafts::Column::MediaSensitive,
                        domain_drafts::Column::StripAvatars,
                        domain_drafts::Column::FollowersOnly,
                        domain_drafts::Column::PrivateComment,
                        domain_drafts::Column::PublicComment,
                        domain_drafts::Column::Obfuscate,
                        domain_drafts::Column::SubscriptionId,
                        domain_drafts::Column::CreatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_drafts.create",
        target: kind.as_str(),
        reason: None,
        detail: json!({"drafted": done.drafted, "excluded": done.excluded,
                       "bad": done.bad.len(), "subscription_id": subscription_id}),
    };
    audit::commit(txn, entry).await?;
    Ok(done)
}

fn selected(
    q: sea_orm::Select<domain_drafts::Entity>,
    s: Selection,
) -> sea_orm::Select<domain_drafts::Entity> {
    let q = match s.kind {
        Some(kind) => q.filter(domain_drafts::Column::Kind.eq(kind.as_str())),
        None => q,
    };
    match s.subscription_id {
        Some(id) => q.filter(domain_drafts::Column::SubscriptionId.eq(id)),
        None => q,
    }
}

/// Drafts, oldest first, after `after_id` when paging.
pub async fn list(
    ctx: &Context,
    by: By<'_>,
    selection: Selection,
    after_id: Option<i64>,
    limit: u64,
) -> CoreResult<Vec<DomainDraft>> {
    check_staff(ctx, by).await?;
    let mut q = selected(domain_drafts::Entity::find(), selection);
    if let Some(after) = after_id {
        q = q.filter(domain_drafts::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(domain_drafts::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}

pub async fn get(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<DomainDraft> {
    check_staff(ctx, by).await?;
    domain_drafts::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// One draft made by hand (GoToSocial's API offers this, to stage a decision).
pub async fn create(
    ctx: &Context,
    by: By<'_>,
    kind: Kind,
    entry: Entry,
) -> CoreResult<DomainDraft> {
    let domain = entry.domain.clone();
    let proposed = propose(ctx, by, kind, vec![entry], None, |_| {}).await?;
    if let Some(bad) = proposed.bad.first() {
        return Err(CoreError::Invalid(bad.why.clone()));
    }
    if proposed.excluded > 0 {
        return Err(CoreError::Invalid(format!("domain: {domain} is excluded")));
    }
    domain_drafts::Entity::find()
        .filter(domain_drafts::Column::Kind.eq(kind.as_str()))
        .filter(domain_drafts::Column::Domain.eq(super::policy::normalise(&domain)))
        .one(&ctx.db)
        .await?
        .or_not_found()
}

fn entry_of(d: &DomainDraft) -> Entry {
    Entry {
        line: 0,
        domain: d.domain.clone(),
        severity: Severity::parse(&d.severity).unwrap_or(Severity::Suspend),
        flags: Flags {
            reject_media: d.reject_media,
            reject_reports: d.reject_reports,
            media_sensitive: d.media_sensitive,
            strip_avatars: d.strip_avatars,
            followers_only: d.followers_only,
        },
        public_comment: d.public_comment.clone(),
        private_comment: d.private_comment.clone(),
        obfuscate: d.obfuscate,
    }
}

/// Accepts one draft: it becomes a block or an allow.
pub async fn accept(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Applied> {
    let draft = get(ctx, by, id).await?;
    accept_drafts(ctx, by, vec![draft]).await
}

/// Accepts every selected draft in one step.
pub async fn accept_all(ctx: &Context, by: By<'_>, selection: Selection) -> CoreResult<Applied> {
    check_staff(ctx, by).await?;
    let drafts = selected(domain_drafts::Entity::find(), selection)
        .order_by_asc(domain_drafts::Column::Id)
        .all(&ctx.db)
        .await?;
    accept_drafts(ctx, by, drafts).await
}

/// Applies drafts grouped by kind and subscription (each subscription's ownership rules
/// apply to its own drafts), then removes them.
async fn accept_drafts(ctx: &Context, by: By<'_>, drafts: Vec<DomainDraft>) -> CoreResult<Applied> {
    let mut groups: BTreeMap<(&str, Option<i64>), Vec<&DomainDraft>> = BTreeMap::new();
    for d in &drafts {
        groups
            .entry((d.kind.as_str(), d.subscription_id))
            .or_default()
            .push(d);
    }
    let mut total = Applied::default();
    for ((kind, subscription_id), group) in groups {
        let subscription = match subscription_id {
            Some(id) => {
                domain_subscriptions::Entity::find_by_id(id)
                    .one(&ctx.db)
                    .await?
            }
            None => None,
        };
        let why = match &subscription {
            Some(s) => format!("draft from subscription {} accepted", s.id),
            None => "draft accepted".to_owned(),
        };
        let source = Source {
            subscription: subscription.as_ref(),
            why: &why,
        };
        let entries = group.iter().map(|d| entry_of(d)).collect();
        let done = apply::apply(ctx, by, Kind::parse(kind)?, entries, source, |_| {}).await?;
        total.created += done.created;
        total.updated += done.updated;
        total.skipped += done.skipped;
        total.follows_severed += done.follows_severed;
        total.bad.extend(done.bad);
        remove_ids(ctx, group.iter().map(|d| d.id).collect()).await?;
    }
    Ok(total)
}

async fn remove_ids(ctx: &Context, ids: Vec<i64>) -> CoreResult<()> {
    for chunk in ids.chunks(CHUNK) {
        domain_drafts::Entity::delete_many()
            .filter(domain_drafts::Column::Id.is_in(chunk.iter().copied()))
            .exec(&ctx.db)
            .await?;
    }
    Ok(())
}

/// Drops a draft without applying it.
pub async fn remove(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<DomainDraft> {
    let draft = get(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    domain_drafts::Entity::delete_by_id(id).exec(&txn).await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: "domain_draft.destroy",
        target: &draft.domain,
        reason: None,
        detail: json!({"kind": draft.kind, "severity": draft.severity}),
    };
    audit::commit(txn, entry).await?;
    Ok(draft)
}

/// How many drafts wait.
pub async fn count(ctx: &Context, by: By<'_>) -> CoreResult<u64> {
    use sea_orm::PaginatorTrait;
    check_staff(ctx, by).await?;
    Ok(domain_drafts::Entity::find().count(&ctx.db).await?)
}
