//! Account actions, after Mastodon's: a moderator warns, freezes, marks sensitive, limits or
//! suspends an account, local or remote, and can lift it again. Nothing is deleted, so every
//! action is reversible:
//! - `none`: a warning only;
//! - `disable` (freeze; local accounts): the login works only to read warnings and appeal;
//! - `sensitive`: the account's media is always shown behind a warning;
//! - `silence` (a limit): its posts leave public timelines and streams; followers still see
//!   them;
//! - `suspend`: its follows with this instance end, its posts leave public timelines, its
//!   activities are refused at the inbox, and a local account can no longer log in.
//!
//! Each action is kept as a warning (Mastodon's strike) with the text the account is told,
//! and may end by itself at a set time. A local account is told through a
//! `moderation_warning` notification, and may appeal once ([`super::appeals`]).

use super::{
    By,
    audit::{self, Action},
    check_staff, staff_role,
};
use crate::{
    Actor, Context,
    error::{CoreError, CoreResult, OrNotFound},
    outbox::{self, Intent},
    streaming::Event,
};
use passage_db::{
    Timestamp,
    entities::{account_warnings, actors, follows, notifications, reports, users},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

pub type Warning = account_warnings::Model;

/// What a moderator does to an account, by Mastodon's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A warning only.
    None,
    Disable,
    Sensitive,
    Silence,
    Suspend,
}

impl Kind {
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "none" => Ok(Self::None),
            "disable" => Ok(Self::Disable),
            "sensitive" => Ok(Self::Sensitive),
            "silence" | "limit" => Ok(Self::Silence),
            "suspend" => Ok(Self::Suspend),
            other => Err(CoreError::Invalid(format!(
                "type: {other:?} is not none, disable, sensitive, silence or suspend"
            ))),
        }
    }

    /// Mastodon's name, as warnings carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Disable => "disable",
            Self::Sensitive => "sensitive",
            Self::Silence => "silence",
            Self::Suspend => "suspend",
        }
    }

    /// The audit log's name for taking it (`account.warn`...) and lifting it.
    fn taken(self) -> &'static str {
        match self {
            Self::None => "account.warn",
            Self::Disable => "account.disable",
            Self::Sensitive => "account.sensitive",
            Self::Silence => "account.silence",
            Self::Suspend => "account.suspend",
        }
    }

    fn lifted(self) -> &'static str {
        match self {
            Self::None => "account.warn",
            Self::Disable => "account.enable",
            Self::Sensitive => "account.unsensitive",
            Self::Silence => "account.unsilence",
            Self::Suspend => "account.unsuspend",
        }
    }
}

/// An action as a moderator asks for it.
#[derive(Clone, Debug)]
pub struct ActionInput {
    pub kind: Kind,
    /// What the account is told, and the log's reason.
    pub text: Option<String>,
    /// The report this action answers; it is resolved with it.
    pub report_id: Option<i64>,
    /// When the action lifts by itself.
    pub expires_at: Option<Timestamp>,
    /// Tell a local account (Mastodon's `send_email_notification`; here in the app).
    pub notify: bool,
}

impl ActionInput {
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            text: None,
            report_id: None,
            expires_at: None,
            notify: true,
        }
    }
}

/// Handle as the audit log names an account.
fn handle(target: &Actor) -> String {
    format!("@{}@{}", target.username, target.domain)
}

/// Moderators act on members and remote accounts, not on the instance's own staff.
async fn check_target(ctx: &Context, by: By<'_>, target: &Actor) -> CoreResult<()> {
    check_staff(ctx, by).await?;
    if staff_role(ctx, target).await?.is_some() {
        return Err(CoreError::Forbidden(
            "moderators do not act on the instance's staff".into(),
        ));
    }
    Ok(())
}

/// Puts `kind`'s effect on `target` (`on`) or takes it off.
async fn set_effect(
    db: &impl ConnectionTrait,
    target: &Actor,
    kind: Kind,
    on: bool,
) -> CoreResult<(Actor, u64)> {
    let at = on.then(now);
    let mut row: actors::ActiveModel = target.clone().into();
    let mut severed = 0;
    match kind {
        Kind::None => {}
        Kind::Disable => {
            users::Entity::update_many()
                .col_expr(users::Column::Disabled, on.into())
                .filter(users::Column::ActorId.eq(target.id))
                .exec(db)
                .await?;
        }
        Kind::Sensitive => row.sensitized_at = Set(at),
        Kind::Silence => row.silenced_at = Set(at),
        Kind::Suspend => {
            row.suspended_at = Set(at);
            if on {
                severed = follows::Entity::delete_many()
                    .filter(
                        Condition::any()
                            .add(follows::Column::FollowerId.eq(target.id))
                            .add(follows::Column::FolloweeId.eq(target.id)),
                    )
                    .exec(db)
                    .await?
                    .rows_affected;
            }
        }
    }
    Ok((row.update(db).await?, severed))
}

/// Takes an action on `target`: its effect, its warning, the report it answers resolved,
/// the notice to a local account, and the audit entry, in one transaction.
pub async fn act(
    ctx: &Context,
    by: By<'_>,
    target: &Actor,
    input: ActionInput,
) -> CoreResult<Warning> {
    check_target(ctx, by, target).await?;
    let kind = input.kind;
    if kind == Kind::Disable && !target.local {
        return Err(CoreError::Invalid(
            "type: only local logins can be frozen; suspend a remote account instead".into(),
        ));
    }
    if input.expires_at.is_some_and(|at| at <= now()) {
        return Err(CoreError::Invalid(
            "expires_in: must be in the future".into(),
        ));
    }
    if input.expires_at.is_some() && kind == Kind::None {
        return Err(CoreError::Invalid(
            "expires_in: a warning has nothing to lift".into(),
        ));
    }
    let text = input.text.unwrap_or_default().trim().to_owned();
    if text.chars().count() > 5000 {
        return Err(CoreError::Invalid("text: at most 5000 characters".into()));
    }
    let txn = ctx.db.begin().await?;
    // The servers a local account was linked with hear of its suspension; who they are is
    // read before its follows are severed.
    let tell = if kind == Kind::Suspend && target.local {
        Some(passage_db::queries::follows::remote_relation_inboxes(&txn, target.id).await?)
    } else {
        None
    };
    let (_, severed) = set_effect(&txn, target, kind, true).await?;
    if let Some(inboxes) = tell {
        outbox::record(&txn, target.id, &Intent::SuspendActor { inboxes }).await?;
    }
    let warning = account_warnings::ActiveModel {
        target_id: Set(target.id),
        moderator_id: Set(by.moderator_id()),
        action: Set(kind.as_str().to_owned()),
        text: Set(text.clone()),
        report_id: Set(input.report_id),
        expires_at: Set(input.expires_at),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(report_id) = input.report_id {
        reports::Entity::update_many()
            .col_expr(reports::Column::ResolvedAt, Some(now()).into())
            .col_expr(reports::Column::ResolvedById, by.moderator_id().into())
            .filter(reports::Column::Id.eq(report_id))
            .filter(reports::Column::TargetId.eq(target.id))
            .exec(&txn)
            .await?;
    }
    let event = if input.notify && target.local {
        let note = notifications::ActiveModel {
            recipient_id: Set(target.id),
            from_actor_id: Set(target.id),
            kind: Set("moderation_warning".to_owned()),
            post_id: Set(None),
            warning_id: Set(Some(warning.id)),
            created_at: Set(now()),
            filtered: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Some(Event::Notification {
            id: note.id,
            recipient_id: target.id,
        })
    } else {
        None
    };
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: kind.taken(),
        target: &handle(target),
        reason: Some(&text).filter(|t| !t.is_empty()).map(String::as_str),
        detail: json!({"follows_severed": severed, "warning_id": warning.id,
                       "report_id": input.report_id, "expires_at": input.expires_at}),
    };
    audit::commit(txn, entry).await?;
    ctx.stream.publish(event);
    outbox::notify(ctx);
    Ok(warning)
}

/// Lifts `kind` from `target`; its open warnings are marked lifted. Severed follows stay
/// ended. Lifting a warning (`Kind::None`) changes nothing.
pub async fn lift(ctx: &Context, by: By<'_>, target: &Actor, kind: Kind) -> CoreResult<Actor> {
    check_target(ctx, by, target).await?;
    if kind == Kind::None {
        return Ok(target.clone());
    }
    if target.purged_at.is_some() {
        return Err(CoreError::Invalid(
            "this account was purged; there is nothing left to restore".into(),
        ));
    }
    let txn = ctx.db.begin().await?;
    let (actor, _) = set_effect(&txn, target, kind, false).await?;
    account_warnings::Entity::update_many()
        .col_expr(account_warnings::Column::LiftedAt, Some(now()).into())
        .filter(account_warnings::Column::TargetId.eq(target.id))
        .filter(account_warnings::Column::Action.eq(kind.as_str()))
        .filter(account_warnings::Column::LiftedAt.is_null())
        .exec(&txn)
        .await?;
    let entry = Action {
        moderator_id: by.moderator_id(),
        action: kind.lifted(),
        target: &handle(target),
        reason: None,
        detail: json!({}),
    };
    audit::commit(txn, entry).await?;
    Ok(actor)
}

/// How long a suspended local account can still be restored: then it is purged.
pub const PURGE_AFTER: chrono::TimeDelta = chrono::TimeDelta::days(30);

/// Purges ([`purge`]) the local accounts suspended for [`PURGE_AFTER`], as Mastodon does.
/// How many.
pub async fn purge_due(ctx: &Context) -> CoreResult<usize> {
    let due = actors::Entity::find()
        .filter(actors::Column::Local.eq(true))
        .filter(actors::Column::SuspendedAt.lte(now() - PURGE_AFTER))
        .filter(actors::Column::PurgedAt.is_null())
        .all(&ctx.db)
        .await?;
    for target in &due {
        purge(ctx, target, "account.purge").await?;
    }
    Ok(due.len())
}

/// Deletes a local account for good: its posts are tombstoned, its login removed, and a
/// `Delete` of the account goes to every known server, so the deletion reaches copies
/// anywhere. The actor stays (a tombstone answering 410), so the `Delete` can be signed and
/// its name is never taken again. Audited as `action`.
pub async fn purge(ctx: &Context, target: &Actor, action: &'static str) -> CoreResult<()> {
    let txn = ctx.db.begin().await?;
    let gone = crate::posts::tombstone_all_by(&txn, target.id).await?;
    users::Entity::delete_many()
        .filter(users::Column::ActorId.eq(target.id))
        .exec(&txn)
        .await?;
    let mut row: actors::ActiveModel = target.clone().into();
    row.purged_at = Set(Some(now()));
    row.update(&txn).await?;
    let inboxes = passage_db::queries::actors::every_remote_server_inbox(&txn).await?;
    outbox::record(&txn, target.id, &Intent::DeleteActor { inboxes }).await?;
    let entry = Action {
        moderator_id: None,
        action,
        target: &handle(target),
        reason: None,
        detail: json!({"posts": gone.len()}),
    };
    audit::commit(txn, entry).await?;
    ctx.stream.publish(gone.into_iter().map(Event::Deleted));
    outbox::notify(ctx);
    Ok(())
}

/// A remote account deleted itself (`Delete` of its actor): its posts are tombstoned and its
/// follows with this instance end, as its own server asked; the actor stays as a tombstone.
pub async fn receive_self_delete(ctx: &Context, actor: &Actor) -> CoreResult<()> {
    if actor.local || actor.purged_at.is_some() {
        return Ok(());
    }
    let txn = ctx.db.begin().await?;
    let gone = crate::posts::tombstone_all_by(&txn, actor.id).await?;
    follows::Entity::delete_many()
        .filter(
            Condition::any()
                .add(follows::Column::FollowerId.eq(actor.id))
                .add(follows::Column::FolloweeId.eq(actor.id)),
        )
        .exec(&txn)
        .await?;
    let mut row: actors::ActiveModel = actor.clone().into();
    row.purged_at = Set(Some(now()));
    row.update(&txn).await?;
    txn.commit().await?;
    ctx.stream.publish(gone.into_iter().map(Event::Deleted));
    Ok(())
}

/// Lifts the actions whose time is up, as the system; how many.
pub async fn expire_due(ctx: &Context) -> CoreResult<usize> {
    let due = account_warnings::Entity::find()
        .filter(account_warnings::Column::ExpiresAt.lte(now()))
        .filter(account_warnings::Column::LiftedAt.is_null())
        .all(&ctx.db)
        .await?;
    for warning in &due {
        let target = crate::accounts::by_id(ctx, warning.target_id).await?;
        lift(ctx, By::Operator, &target, Kind::parse(&warning.action)?).await?;
    }
    Ok(due.len())
}

/// One warning, for its account or for a moderator.
pub async fn warning(ctx: &Context, id: i64) -> CoreResult<Warning> {
    account_warnings::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()
}

/// The warnings an account received, newest first.
pub async fn warnings_of(ctx: &Context, target: &Actor) -> CoreResult<Vec<Warning>> {
    Ok(account_warnings::Entity::find()
        .filter(account_warnings::Column::TargetId.eq(target.id))
        .order_by_desc(account_warnings::Column::Id)
        .all(&ctx.db)
        .await?)
}

/// Where accounts come from, for [`search`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Local,
    Remote,
}

/// Where accounts stand, for [`search`] (Mastodon's `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Active,
    Pending,
    Disabled,
    Sensitized,
    Silenced,
    Suspended,
}

/// What moderators look for among accounts (Mastodon's admin account filters).
#[derive(Clone, Debug, Default)]
pub struct AccountQuery {
    pub origin: Option<Origin>,
    pub standing: Option<Standing>,
    /// Admins and moderators only.
    pub staff: bool,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub by_domain: Option<String>,
    pub email: Option<String>,
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub limit: u64,
}

/// Accounts matching `q`, newest first, with their login when local. The instance's own
/// actor is left out: it is no one's account.
pub async fn search(
    ctx: &Context,
    by: By<'_>,
    q: &AccountQuery,
) -> CoreResult<Vec<(Actor, Option<users::Model>)>> {
    use sea_orm::{QuerySelect, sea_query::Query};
    check_staff(ctx, by).await?;
    let logins = |cond: Condition| {
        Query::select()
            .column(users::Column::ActorId)
            .from(users::Entity)
            .cond_where(cond)
            .to_owned()
    };
    let mut find = actors::Entity::find().filter(actors::Column::Kind.ne("Application"));
    find = match q.origin {
        Some(Origin::Local) => find.filter(actors::Column::Local.eq(true)),
        Some(Origin::Remote) => find.filter(actors::Column::Local.eq(false)),
        None => find,
    };
    find = match q.standing {
        None => find,
        Some(Standing::Active) => find.filter(actors::Column::SuspendedAt.is_null()).filter(
            actors::Column::Id.not_in_subquery(logins(
                Condition::any()
                    .add(users::Column::Disabled.eq(true))
                    .add(users::Column::Approved.eq(false)),
            )),
        ),
        Some(Standing::Pending) => find.filter(actors::Column::Id.in_subquery(logins(
            Condition::all().add(users::Column::Approved.eq(false)),
        ))),
        Some(Standing::Disabled) => find.filter(actors::Column::Id.in_subquery(logins(
            Condition::all().add(users::Column::Disabled.eq(true)),
        ))),
        Some(Standing::Sensitized) => find.filter(actors::Column::SensitizedAt.is_not_null()),
        Some(Standing::Silenced) => find.filter(actors::Column::SilencedAt.is_not_null()),
        Some(Standing::Suspended) => find.filter(actors::Column::SuspendedAt.is_not_null()),
    };
    if q.staff {
        find = find.filter(actors::Column::Id.in_subquery(logins(
            Condition::all().add(users::Column::Role.is_in(["admin", "moderator"])),
        )));
    }
    if let Some(email) = q.email.as_deref().filter(|e| !e.is_empty()) {
        find = find.filter(actors::Column::Id.in_subquery(logins(
            Condition::all().add(users::Column::Email.contains(email.to_lowercase())),
        )));
    }
    if let Some(name) = q.username.as_deref().filter(|n| !n.is_empty()) {
        find = find.filter(actors::Column::Username.contains(name));
    }
    if let Some(name) = q.display_name.as_deref().filter(|n| !n.is_empty()) {
        find = find.filter(actors::Column::DisplayName.contains(name));
    }
    if let Some(domain) = q.by_domain.as_deref().filter(|d| !d.is_empty()) {
        find = find.filter(actors::Column::Domain.eq(super::policy::normalise(domain)));
    }
    if let Some(max) = q.max_id {
        find = find.filter(actors::Column::Id.lt(max));
    }
    if let Some(since) = q.since_id {
        find = find.filter(actors::Column::Id.gt(since));
    }
    let found = find
        .order_by_desc(actors::Column::Id)
        .limit(q.limit)
        .all(&ctx.db)
        .await?;
    let ids: Vec<i64> = found.iter().filter(|a| a.local).map(|a| a.id).collect();
    let mut logins: std::collections::HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::ActorId.is_in(ids))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.actor_id, u))
        .collect();
    Ok(found
        .into_iter()
        .map(|a| {
            let login = logins.remove(&a.id);
            (a, login)
        })
        .collect())
}

/// The login of a local account, as moderators see it (email, role, standing).
pub async fn login_of(
    ctx: &Context,
    by: By<'_>,
    actor: &Actor,
) -> CoreResult<Option<users::Model>> {
    check_staff(ctx, by).await?;
    if !actor.local {
        return Ok(None);
    }
    Ok(users::Entity::find()
        .filter(users::Column::ActorId.eq(actor.id))
        .one(&ctx.db)
        .await?)
}

/// Warnings by id with their appeals, as notifications show them.
pub async fn warnings_by_ids(
    ctx: &Context,
    ids: &[i64],
) -> CoreResult<Vec<(Warning, Option<passage_db::entities::appeals::Model>)>> {
    use passage_db::entities::appeals;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let warnings = account_warnings::Entity::find()
        .filter(account_warnings::Column::Id.is_in(ids.iter().copied()))
        .all(&ctx.db)
        .await?;
    let mut appeals: std::collections::HashMap<i64, appeals::Model> = appeals::Entity::find()
        .filter(appeals::Column::WarningId.is_in(ids.iter().copied()))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| (a.warning_id, a))
        .collect();
    Ok(warnings
        .into_iter()
        .map(|w| {
            let appeal = appeals.remove(&w.id);
            (w, appeal)
        })
        .collect())
}
