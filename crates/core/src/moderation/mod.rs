//! Federation moderation: what admins decide about other servers, enforced everywhere.
//!
//! - [`policy`]: the decisions as one pure function (`Policy::decide`);
//! - [`domains`]: blocks and allows, with a preview of what a block would sever;
//! - [`lists`]: shared blocklists in and out, and [`apply`], which applies many decisions in
//!   one step;
//! - [`drafts`]: decisions an import or a subscription proposes, for an admin to accept;
//! - [`subscriptions`]: shared lists fetched every day, with priorities;
//! - [`excludes`]: domains that imports and subscriptions leave alone;
//! - [`held`]: the probation queue, where unasked posts from domains on probation wait;
//! - [`accounts`]: actions on single accounts (warn, freeze, sensitive, limit, suspend), and
//!   [`appeals`] against them;
//! - [`reports`]: handling reports, and forwarding them to other servers;
//! - [`registrations`]: invitations, blocked email domains and sign-up limits;
//! - [`sessions`]: logins to the admin pages;
//! - [`audit`]: every moderation action, who took it, why and when.
//!
//! Each instance keeps its current [`Policy`] in its [`Context`] ([`PolicyCache`]), built
//! from the database on first use and rebuilt after every change, so the doors that ask it
//! (the URL verifier, the delivery worker, the use cases) never wait on the database.

pub mod accounts;
pub mod appeals;
pub mod apply;
pub mod audit;
pub mod domains;
pub mod drafts;
pub mod excludes;
pub mod held;
pub mod lists;
pub mod policy;
pub mod registrations;
pub mod reports;
pub mod sessions;
pub mod subscriptions;

use crate::{
    Actor, Context,
    accounts::Role,
    error::{CoreError, CoreResult},
};
use passage_db::entities::{domain_allows, domain_blocks};
use policy::{Policy, Rule, Severity, Verdict};
use sea_orm::EntityTrait;
use std::sync::{Arc, RwLock};

/// The current policy of one instance; empty until first asked.
#[derive(Clone, Default)]
pub struct PolicyCache(Arc<RwLock<Option<Arc<Policy>>>>);

impl PolicyCache {
    fn get(&self) -> Option<Arc<Policy>> {
        self.0.read().ok().and_then(|p| p.clone())
    }

    fn set(&self, policy: Option<Arc<Policy>>) {
        if let Ok(mut slot) = self.0.write() {
            *slot = policy;
        }
    }
}

/// The instance's current policy.
pub async fn policy(ctx: &Context) -> CoreResult<Arc<Policy>> {
    if let Some(policy) = ctx.policy.get() {
        return Ok(policy);
    }
    let policy = Arc::new(load(ctx).await?);
    ctx.policy.set(Some(policy.clone()));
    Ok(policy)
}

/// What the policy says about `host` now.
pub async fn verdict(ctx: &Context, host: &str) -> CoreResult<Verdict> {
    Ok(policy(ctx).await?.decide(host, passage_db::now()))
}

/// Whether this instance talks with `host` at all.
pub async fn federates_with(ctx: &Context, host: &str) -> CoreResult<bool> {
    Ok(verdict(ctx, host).await?.federates)
}

/// Forgets the cached policy after a change; the next question rebuilds it.
pub(crate) fn changed(ctx: &Context) {
    forget_policy(ctx);
    ctx.cluster.tell(crate::cluster::Signal::Policy);
}

/// Forgets the cached policy (a sibling process changed it).
pub fn forget_policy(ctx: &Context) {
    ctx.policy.set(None);
}

async fn load(ctx: &Context) -> CoreResult<Policy> {
    let mut policy = Policy::open(ctx.config.federation.mode, ctx.domain());
    for b in domain_blocks::Entity::find().all(&ctx.db).await? {
        let Some(severity) = Severity::parse(&b.severity) else {
            tracing::warn!(domain = %b.domain, severity = %b.severity, "unknown severity");
            continue;
        };
        policy.blocks.insert(
            b.domain.clone(),
            Rule {
                severity,
                flags: domains::flags(&b),
                expires_at: b.expires_at,
            },
        );
    }
    policy.allows = domain_allows::Entity::find()
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| a.domain)
        .collect();
    Ok(policy)
}

/// The instance role of a local account: admins and moderators moderate.
pub async fn staff_role(ctx: &Context, actor: &Actor) -> CoreResult<Option<Role>> {
    if !actor.local {
        return Ok(None);
    }
    let user = match crate::accounts::login_of(ctx, actor).await {
        Ok(user) => user,
        Err(CoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(match Role::parse(&user.role)? {
        Role::Member => None,
        staff => Some(staff),
    })
}

/// Who takes a moderation action: a staff member through the API or pages, or the operator
/// at the command line (who has the server itself, so needs no role).
#[derive(Clone, Copy, Debug)]
pub enum By<'a> {
    Staff(&'a Actor),
    Operator,
}

impl By<'_> {
    /// The moderator the audit log names; None for the operator.
    pub fn moderator_id(self) -> Option<i64> {
        match self {
            Self::Staff(actor) => Some(actor.id),
            Self::Operator => None,
        }
    }
}

/// Refuses a staff action by anyone who is not an admin or a moderator.
pub async fn check_staff(ctx: &Context, by: By<'_>) -> CoreResult<()> {
    match by {
        By::Staff(actor) => require_staff(ctx, actor).await.map(|_| ()),
        By::Operator => Ok(()),
    }
}

/// The instance's admins and moderators, admins first, as the about page lists them.
pub async fn staff(ctx: &Context) -> CoreResult<Vec<(Actor, Role)>> {
    use passage_db::entities::users;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let logins = users::Entity::find()
        .filter(users::Column::Role.is_in([Role::Admin.as_str(), Role::Moderator.as_str()]))
        .order_by_asc(users::Column::Id)
        .all(&ctx.db)
        .await?;
    let mut out = Vec::with_capacity(logins.len());
    for login in logins {
        out.push((
            crate::accounts::by_id(ctx, login.actor_id).await?,
            Role::parse(&login.role)?,
        ));
    }
    out.sort_by_key(|(_, role)| *role != Role::Admin);
    Ok(out)
}

/// Refuses anyone who is not an admin or a moderator of this instance.
pub async fn require_staff(ctx: &Context, actor: &Actor) -> CoreResult<Role> {
    staff_role(ctx, actor)
        .await?
        .ok_or_else(|| CoreError::Forbidden("this is for the instance's moderators".into()))
}
