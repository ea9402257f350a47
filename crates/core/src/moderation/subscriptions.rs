//! Subscriptions to shared lists: an address serving a blocklist or an allow-list (the
//! network's shared allow-list is the natural first one), fetched every day. What a list
//! says becomes drafts for an admin to accept (the default) or is applied at once, with the
//! ownership rules of [`super::apply`]: the list of higher priority wins a domain, decisions
//! made by hand are left alone unless the subscription adopts orphans, and excluded domains
//! are never touched. Every severity a list names is kept, not only suspensions.
//!
//! A domain a list no longer names is retracted: its decision is removed if the subscription
//! says so, or else orphaned (kept, owned by nobody) so that a list losing a line by mistake
//! never lifts a block by itself. The fetching is the federation layer's (it owns the HTTP
//! client); this module decides what a fetched list changes.

use super::{
    By,
    apply::{self, Applied, Kind, Source},
    audit::{self, Action},
    changed, check_staff, drafts,
    lists::{self, Bad, Format},
};
use crate::{
    Context,
    error::{CoreError, CoreResult, OrNotFound},
};
use passage_db::{
    Timestamp,
    entities::{domain_allows, domain_blocks, domain_drafts, domain_subscriptions},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde_json::json;
use std::collections::HashSet;

pub type Subscription = domain_subscriptions::Model;

/// How often a list is fetched again.
pub const REFRESH: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Lists larger than this are refused (Mastodon's own import stops at 20,000 rows).
pub const MAX_LIST_BYTES: usize = 8 * 1024 * 1024;

/// A subscription as an admin writes it.
#[derive(Clone, Debug)]
pub struct SubscriptionInput {
    pub kind: Kind,
    pub uri: String,
    pub title: Option<String>,
    pub format: Option<Format>,
    /// 0 to 255; higher wins a domain two lists name.
    pub priority: i32,
    pub as_draft: bool,
    pub adopt_orphans: bool,
    pub remove_retracted: bool,
}

impl SubscriptionInput {
    pub fn new(kind: Kind, uri: &str) -> Self {
        Self {
            kind,
            uri: uri.to_owned(),
            title: None,
            format: None,
            priority: 0,
            as_draft: true,
            adopt_orphans: false,
            remove_retracted: false,
        }
    }

    fn check(&self) -> CoreResult<()> {
        let uri =
            url::Url::parse(&self.uri).map_err(|e| CoreError::Invalid(format!("uri: {e}")))?;
        if !matches!(uri.scheme(), "https" | "http") || uri.host_str().is_none() {
            return Err(CoreError::Invalid("uri: must be an http(s) address".into()));
        }
        if !(0..=255).contains(&self.priority) {
            return Err(CoreError::Invalid("priority: must be 0 to 255".into()));
        }
        if self.title.as_ref().is_some_and(|t| t.chars().count() > 200) {
            return Err(CoreError::Invalid("title: at most 200 characters".into()));
        }
        Ok(())
    }

    fn write(
        &self,
        mut row: domain_subscriptions::ActiveModel,
    ) -> domain_subscriptions::ActiveModel {
        row.kind = Set(self.kind.as_str().to_owned());
        row.uri = Set(self.uri.clone());
        row.title = Set(self.title.clone().filter(|t| !t.trim().is_empty()));
        row.format = Set(self.format.map(|f| f.as_str().to_owned()));
        row.priority = Set(self.priority);
        row.as_draft = Set(self.as_draft);
        row.adopt_orphans = Set(self.adopt_orphans);
        row.remove_retracted = Set(self.remove_retracted);
        row.updated_at = Set(now());
        row
    }
}

pub fn kind_of(s: &Subscription) -> Kind {
    Kind::parse(&s.kind).unwrap_or(Kind::Block)
}

pub fn format_of(s: &Subscription) -> Option<Format> {
    s.format.as_deref().and_then(Format::parse)
}

async fn audited(
    ctx: &Context,
    by: By<'_>,
    action: &str,
    sub: &Subscription,
    txn: sea_orm::DatabaseTransaction,
) -> CoreResult<()> {
    let entry = Action {
        moderator_id: by.moderator_id(),
        action,
        target: &sub.uri,
        reason: None,
        detail: json!({"id": sub.id, "kind": sub.kind, "priority": sub.priority,
                       "as_draft": sub.as_draft, "adopt_orphans": sub.adopt_orphans,
                       "remove_retracted": sub.remove_retracted}),
    };
    audit::commit(txn, entry).await?;
    changed(ctx);
    Ok(())
}

pub async fn create(
    ctx: &Context,
    by: By<'_>,
    input: SubscriptionInput,
) -> CoreResult<Subscription> {
    check_staff(ctx, by).await?;
    input.check()?;
    let txn = ctx.db.begin().await?;
    let mut row = input.write(<domain_subscriptions::ActiveModel as Default>::default());
    row.count = Set(0);
    row.created_at = Set(now());
    let sub = row.insert(&txn).await?;
    audited(ctx, by, "domain_subscription.create", &sub, txn).await?;
    Ok(sub)
}

pub async fn update(
    ctx: &Context,
    by: By<'_>,
    id: i64,
    input: SubscriptionInput,
) -> CoreResult<Subscription> {
    let before = get(ctx, by, id).await?;
    input.check()?;
    if input.kind.as_str() != before.kind {
        return Err(CoreError::Invalid(
            "permission_type: a subscription's kind cannot change; make a new one".into(),
        ));
    }
    let txn = ctx.db.begin().await?;
    let sub = input.write(before.into()).update(&txn).await?;
    audited(ctx, by, "domain_subscription.update", &sub, txn).await?;
    Ok(sub)
}

/// Subscriptions, highest priority first.
pub async fn list(ctx: &Context, by: By<'_>, kind: Option<Kind>) -> CoreResult<Vec<Subscription>> {
    check_staff(ctx, by).await?;
    let mut q = domain_subscriptions::Entity::find();
    if let Some(kind) = kind {
        q = q.filter(domain_subscriptions::Column::Kind.eq(kind.as_str()));
    }
    Ok(q.order_by_desc(domain_subscriptions::Column::Priority)
        .order_by_asc(domain_subscriptions::Column::Id)
        .all(&ctx.db)
        .await?)
}

pub async fn get(ctx: &Context, by: By<'_>, id: i64) -> CoreResult<Subscription> {
    check_staff(ctx, by).await?;
    domain_subscriptions::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// Ends a subscription. Its drafts go with it; what it made is removed with
/// `remove_children`, or else orphaned (kept, owned by nobody).
pub async fn remove(
    ctx: &Context,
    by: By<'_>,
    id: i64,
    remove_children: bool,
) -> CoreResult<Subscription> {
    let sub = get(ctx, by, id).await?;
    let txn = ctx.db.begin().await?;
    domain_drafts::Entity::delete_many()
        .filter(domain_drafts::Column::SubscriptionId.eq(id))
        .exec(&txn)
        .await?;
    let made = made_by(&txn, &sub).await?;
    retract(&txn, by, &sub, made, remove_children).await?;
    domain_subscriptions::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    audited(ctx, by, "domain_subscription.destroy", &sub, txn).await?;
    Ok(sub)
}

/// The domains this subscription's decisions are on.
async fn made_by(
    db: &impl sea_orm::ConnectionTrait,
    sub: &Subscription,
) -> CoreResult<Vec<String>> {
    Ok(match kind_of(sub) {
        Kind::Block => {
            domain_blocks::Entity::find()
                .select_only()
                .column(domain_blocks::Column::Domain)
                .filter(domain_blocks::Column::SubscriptionId.eq(sub.id))
                .into_tuple()
                .all(db)
                .await?
        }
        Kind::Allow => {
            domain_allows::Entity::find()
                .select_only()
                .column(domain_allows::Column::Domain)
                .filter(domain_allows::Column::SubscriptionId.eq(sub.id))
                .into_tuple()
                .all(db)
                .await?
        }
    })
}

/// Removes or orphans the decisions `sub` made on `domains`, each audited.
async fn retract(
    db: &impl sea_orm::ConnectionTrait,
    by: By<'_>,
    sub: &Subscription,
    domains: Vec<String>,
    remove: bool,
) -> CoreResult<()> {
    let kind = kind_of(sub);
    for domain in &domains {
        match (kind, remove) {
            (Kind::Block, true) => {
                domain_blocks::Entity::delete_many()
                    .filter(domain_blocks::Column::Domain.eq(domain))
                    .exec(db)
                    .await?;
            }
            (Kind::Block, false) => {
                domain_blocks::Entity::update_many()
                    .col_expr(
                        domain_blocks::Column::SubscriptionId,
                        Option::<i64>::None.into(),
                    )
                    .filter(domain_blocks::Column::Domain.eq(domain))
                    .exec(db)
                    .await?;
            }
            (Kind::Allow, true) => {
                domain_allows::Entity::delete_many()
                    .filter(domain_allows::Column::Domain.eq(domain))
                    .exec(db)
                    .await?;
            }
            (Kind::Allow, false) => {
                domain_allows::Entity::update_many()
                    .col_expr(
                        domain_allows::Column::SubscriptionId,
                        Option::<i64>::None.into(),
                    )
                    .filter(domain_allows::Column::Domain.eq(domain))
                    .exec(db)
                    .await?;
            }
        }
        let action = match (kind, remove) {
            (Kind::Block, true) => "domain_block.destroy",
            (Kind::Allow, true) => "domain_allow.destroy",
            (_, false) => "domain_subscription.orphan",
        };
        let why = format!("retracted by subscription {}", sub.id);
        let entry = Action {
            moderator_id: by.moderator_id(),
            action,
            target: domain,
            reason: Some(&why),
            detail: json!({"subscription_id": sub.id, "kind": kind.as_str()}),
        };
        audit::record(db, entry).await?;
    }
    Ok(())
}

/// Subscriptions not fetched for [`REFRESH`], or never.
pub async fn due(ctx: &Context, at: Timestamp) -> CoreResult<Vec<Subscription>> {
    let cutoff = at - REFRESH;
    Ok(domain_subscriptions::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(domain_subscriptions::Column::FetchedAt.is_null())
                .add(domain_subscriptions::Column::FetchedAt.lte(cutoff)),
        )
        .order_by_desc(domain_subscriptions::Column::Priority)
        .all(&ctx.db)
        .await?)
}

/// What one refresh of a list did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Entries the list holds.
    pub listed: usize,
    /// Drafts written (when the subscription drafts).
    pub drafted: usize,
    /// Decisions made or changed at once (when it does not).
    pub applied: Applied,
    /// Domains it no longer names that it had decided on.
    pub retracted: usize,
    pub bad: Vec<Bad>,
}

/// Applies what a fetch of `sub`'s list gave: its text, or why it failed (kept on the
/// subscription for the admin to see; nothing else changes then).
pub async fn refresh(
    ctx: &Context,
    by: By<'_>,
    sub: &Subscription,
    fetched: Result<String, String>,
) -> CoreResult<Refreshed> {
    check_staff(ctx, by).await?;
    let at = now();
    let mut row: domain_subscriptions::ActiveModel = sub.clone().into();
    row.fetched_at = Set(Some(at));
    let text = match fetched {
        Ok(text) => text,
        Err(why) => {
            tracing::warn!(uri = %sub.uri, %why, "shared list not fetched");
            row.error = Set(Some(why));
            row.update(&ctx.db).await?;
            return Ok(Refreshed::default());
        }
    };
    let kind = kind_of(sub);
    let (entries, mut bad) = lists::parse_as(format_of(sub), &text);
    let listed: HashSet<String> = entries
        .iter()
        .map(|e| super::policy::normalise(&e.domain))
        .collect();
    let mut done = Refreshed {
        listed: entries.len(),
        ..Refreshed::default()
    };
    if sub.as_draft {
        let proposed = drafts::propose(ctx, by, kind, entries, Some(sub.id), |_| {}).await?;
        done.drafted = proposed.drafted;
        bad.extend(proposed.bad);
        // Drafts of lines the list dropped go too.
        let stale: Vec<i64> = domain_drafts::Entity::find()
            .filter(domain_drafts::Column::SubscriptionId.eq(sub.id))
            .all(&ctx.db)
            .await?
            .into_iter()
            .filter(|d| !listed.contains(&d.domain))
            .map(|d| d.id)
            .collect();
        for chunk in stale.chunks(500) {
            domain_drafts::Entity::delete_many()
                .filter(domain_drafts::Column::Id.is_in(chunk.iter().copied()))
                .exec(&ctx.db)
                .await?;
        }
    } else {
        let why = format!("subscription {}", sub.id);
        let source = Source {
            subscription: Some(sub),
            why: &why,
        };
        done.applied = apply::apply(ctx, by, kind, entries, source, |_| {}).await?;
        bad.append(&mut done.applied.bad);
    }
    let txn = ctx.db.begin().await?;
    let retracted: Vec<String> = made_by(&txn, sub)
        .await?
        .into_iter()
        .filter(|d| !listed.contains(d))
        .collect();
    done.retracted = retracted.len();
    retract(&txn, by, sub, retracted, sub.remove_retracted).await?;
    row.succeeded_at = Set(Some(at));
    row.count = Set(i32::try_from(done.listed).unwrap_or(i32::MAX));
    row.error = Set((!bad.is_empty()).then(|| {
        let lines: Vec<String> = bad
            .iter()
            .take(20)
            .map(|b| format!("line {}: {}", b.line, b.why))
            .collect();
        format!("{} lines skipped: {}", bad.len(), lines.join("; "))
    }));
    row.update(&txn).await?;
    txn.commit().await?;
    changed(ctx);
    done.bad = bad;
    Ok(done)
}
