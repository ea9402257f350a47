//! Many domain decisions applied at once: a list imported by an admin, drafts accepted, or a
//! subscription's latest list. They are written in one transaction, each with its own audit
//! entry (so the log still answers "who blocked this domain, and why"), and the policy is
//! rebuilt once at the end: a 10,000-line list takes one step, not 10,000.
//!
//! Ownership: a block or an allow remembers which subscription made it. A subscription may
//! change what it made, what a subscription of lower priority made, and, if it adopts
//! orphans, what was made by hand; an admin's own import may change anything. Excluded
//! domains (and their subdomains) are never touched by either.

use super::{
    By,
    audit::{self, Action},
    changed, check_staff,
    domains::{self, BlockInput, sever},
    excludes::{self, Screened},
    lists::{Bad, Entry},
    policy::Severity,
};
use crate::{
    Context,
    error::{CoreError, CoreResult},
};
use passage_db::{
    entities::{actors, domain_allows, domain_blocks, domain_subscriptions},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

/// Whether decisions block or allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Block,
    Allow,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Allow => "allow",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "block" => Ok(Self::Block),
            "allow" => Ok(Self::Allow),
            other => Err(CoreError::Invalid(format!(
                "permission_type: {other:?} is not block or allow"
            ))),
        }
    }
}

/// Where a batch comes from, as the audit log names it.
pub struct Source<'a> {
    /// The subscription whose list this is; none for an admin's own import.
    pub subscription: Option<&'a domain_subscriptions::Model>,
    /// In the audit entries' reason: "import", "drafts accepted", "subscription 3".
    pub why: &'a str,
}

/// What applying a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    /// Already so, excluded, or owned by a list that outranks this one.
    pub skipped: usize,
    pub follows_severed: u64,
    pub bad: Vec<Bad>,
}

/// Whether `source` may change a decision that `owner` made.
fn may_take(owner: Option<i64>, source: &Source<'_>, priorities: &HashMap<i64, i32>) -> bool {
    let Some(sub) = source.subscription else {
        return true;
    };
    match owner {
        None => sub.adopt_orphans,
        Some(id) if id == sub.id => true,
        Some(other) => priorities.get(&other).is_none_or(|p| sub.priority > *p),
    }
}

/// Whether `input` would leave the block `before` as it is.
fn unchanged(before: &domain_blocks::Model, input: &BlockInput, owner: Option<i64>) -> bool {
    before.severity == input.severity.as_str()
        && domains::flags(before) == input.flags
        && before.public_comment == input.public_comment
        && before.private_comment == input.private_comment
        && before.obfuscate == input.obfuscate
        && before.subscription_id == owner
}

/// Applies `entries` of one kind in one transaction; `progress` hears how many are done.
pub async fn apply(
    ctx: &Context,
    by: By<'_>,
    kind: Kind,
    entries: Vec<Entry>,
    source: Source<'_>,
    mut progress: impl FnMut(usize),
) -> CoreResult<Applied> {
    check_staff(ctx, by).await?;
    let excluded = excludes::domains(ctx).await?;
    let priorities: HashMap<i64, i32> = domain_subscriptions::Entity::find()
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.priority))
        .collect();
    let owner_id = source.subscription.map(|s| s.id);
    // Follows are severed only where this instance knows accounts: most lines of a shared
    // blocklist name servers never met, and need no query.
    let known: Vec<String> = actors::Entity::find()
        .select_only()
        .column(actors::Column::Domain)
        .filter(actors::Column::Local.eq(false))
        .distinct()
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let met = |domain: &str| known.iter().any(|k| excludes::under(k, domain));
    let txn = ctx.db.begin().await?;
    let mut blocks: HashMap<String, domain_blocks::Model> = domain_blocks::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| (b.domain.clone(), b))
        .collect();
    let mut allows: HashMap<String, domain_allows::Model> = domain_allows::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.domain.clone(), a))
        .collect();
    let mut done = Applied::default();
    for (n, e) in entries.into_iter().enumerate() {
        progress(n + 1);
        let domain = match excludes::screen(ctx, &excluded, e.line, &e.domain) {
            Screened::Domain(d) => d,
            Screened::Excluded => {
                done.skipped += 1;
                continue;
            }
            Screened::Bad(bad) => {
                done.bad.push(bad);
                continue;
            }
        };
        let mut input = BlockInput {
            flags: e.flags,
            public_comment: e.public_comment,
            private_comment: e.private_comment,
            obfuscate: e.obfuscate,
            ..BlockInput::new(&domain, e.severity)
        };
        input.domain = domain.clone();
        let at = now();
        let (action, detail) = match (kind, blocks.get(&domain), allows.get(&domain)) {
            (Kind::Block, Some(before), _) => {
                if !may_take(before.subscription_id, &source, &priorities) {
                    done.skipped += 1;
                    continue;
                }
                input.private_comment = input.private_comment.or(before.private_comment.clone());
                input.expires_at = before.expires_at;
                let owner = owner_id.or(before.subscription_id);
                if unchanged(before, &input, owner) {
                    done.skipped += 1;
                    continue;
                }
                let mut row = domains::write(&input, before.clone().into());
                row.subscription_id = Set(owner);
                row.updated_at = Set(at);
                let block = row.update(&txn).await?;
                let severed = if block.severity == Severity::Suspend.as_str()
                    && before.severity != block.severity
                    && met(&domain)
                {
                    sever(&txn, &domain).await?
                } else {
                    0
                };
                done.updated += 1;
                done.follows_severed += severed;
                let detail = domains::block_detail(&block, severed);
                blocks.insert(domain.clone(), block);
                ("domain_block.update", detail)
            }
            (Kind::Block, None, _) => {
                let mut row =
                    domains::write(&input, <domain_blocks::ActiveModel as Default>::default());
                row.domain = Set(domain.clone());
                row.subscription_id = Set(owner_id);
                row.created_at = Set(at);
                row.updated_at = Set(at);
                let block = row.insert(&txn).await?;
                let severed = if e.severity == Severity::Suspend && met(&domain) {
                    sever(&txn, &domain).await?
                } else {
                    0
                };
                done.created += 1;
                done.follows_severed += severed;
                let detail = domains::block_detail(&block, severed);
                blocks.insert(domain.clone(), block);
                ("domain_block.create", detail)
            }
            (Kind::Allow, _, Some(before)) => {
                if before.subscription_id == owner_id
                    || owner_id.is_none()
                    || !may_take(before.subscription_id, &source, &priorities)
                {
                    done.skipped += 1;
                    continue;
                }
                let mut row: domain_allows::ActiveModel = before.clone().into();
                row.subscription_id = Set(owner_id);
                let allow = row.update(&txn).await?;
                done.updated += 1;
                allows.insert(domain.clone(), allow);
                ("domain_allow.update", json!({"subscription_id": owner_id}))
            }
            (Kind::Allow, _, None) => {
                let allow = domain_allows::ActiveModel {
                    domain: Set(domain.clone()),
                    private_comment: Set(input.private_comment.clone()),
                    subscription_id: Set(owner_id),
                    created_at: Set(at),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                done.created += 1;
                allows.insert(domain.clone(), allow);
                ("domain_allow.create", json!({"subscription_id": owner_id}))
            }
        };
        let entry = Action {
            moderator_id: by.moderator_id(),
            action,
            target: &domain,
            reason: Some(source.why),
            detail,
        };
        audit::record(&txn, entry).await?;
    }
    txn.commit().await?;
    changed(ctx);
    Ok(done)
}
