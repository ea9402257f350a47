//! Who may notify a member, as Mastodon 4.3's notification policy puts it: for accounts the
//! member does not follow, accounts not following them, new accounts, private mentions from
//! strangers and accounts moderators limited, each is accepted, filtered (held under
//! "requests" for the member to accept or dismiss) or dropped. For members who are targets of
//! harassment, unsolicited private messages from strangers wait by default.
//!
//! Accounts the member follows, and accounts whose request the member accepted, always get
//! through; so do replies to the member's own private posts.

use crate::{
    Actor, Context, CoreError, error::CoreResult, notifications::Kind, visibility::Visibility,
};
use passage_db::{
    Page,
    entities::{notification_permissions, notification_policies, notifications},
    now,
    queries::{actors as aq, follows as fq, posts as pq},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::OnConflict,
};

/// What happens to a notification a rule catches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Accept,
    Filter,
    Drop,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Filter => "filter",
            Self::Drop => "drop",
        }
    }

    pub fn parse(text: &str) -> CoreResult<Self> {
        match text {
            "accept" => Ok(Self::Accept),
            "filter" => Ok(Self::Filter),
            "drop" => Ok(Self::Drop),
            other => Err(CoreError::Invalid(format!(
                "{other:?} is not one of accept, filter, drop"
            ))),
        }
    }
}

/// A member's policy. The default is Mastodon's: private mentions from strangers and limited
/// accounts are filtered, the rest accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub for_not_following: Action,
    pub for_not_followers: Action,
    pub for_new_accounts: Action,
    pub for_private_mentions: Action,
    /// Accounts moderators limited (issue 5 brings limits; until then nothing is limited).
    pub for_limited_accounts: Action,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            for_not_following: Action::Accept,
            for_not_followers: Action::Accept,
            for_new_accounts: Action::Accept,
            for_private_mentions: Action::Filter,
            for_limited_accounts: Action::Filter,
        }
    }
}

/// What a member changes of their policy; None keeps a rule.
#[derive(Clone, Copy, Debug, Default)]
pub struct PolicyUpdate {
    pub for_not_following: Option<Action>,
    pub for_not_followers: Option<Action>,
    pub for_new_accounts: Option<Action>,
    pub for_private_mentions: Option<Action>,
    pub for_limited_accounts: Option<Action>,
}

/// How young an account counts as new.
const NEW_ACCOUNT_DAYS: i64 = 30;

fn from_row(row: &notification_policies::Model) -> Policy {
    let action = |s: &str| Action::parse(s).unwrap_or(Action::Accept);
    Policy {
        for_not_following: action(&row.for_not_following),
        for_not_followers: action(&row.for_not_followers),
        for_new_accounts: action(&row.for_new_accounts),
        for_private_mentions: action(&row.for_private_mentions),
        for_limited_accounts: action(&row.for_limited_accounts),
    }
}

async fn load(db: &impl ConnectionTrait, actor_id: i64) -> CoreResult<Policy> {
    Ok(notification_policies::Entity::find_by_id(actor_id)
        .one(db)
        .await?
        .map_or_else(Policy::default, |row| from_row(&row)))
}

pub async fn get(ctx: &Context, member: &Actor) -> CoreResult<Policy> {
    load(&ctx.db, member.id).await
}

pub async fn update(ctx: &Context, member: &Actor, change: PolicyUpdate) -> CoreResult<Policy> {
    let old = get(ctx, member).await?;
    let new = Policy {
        for_not_following: change.for_not_following.unwrap_or(old.for_not_following),
        for_not_followers: change.for_not_followers.unwrap_or(old.for_not_followers),
        for_new_accounts: change.for_new_accounts.unwrap_or(old.for_new_accounts),
        for_private_mentions: change
            .for_private_mentions
            .unwrap_or(old.for_private_mentions),
        for_limited_accounts: change
            .for_limited_accounts
            .unwrap_or(old.for_limited_accounts),
    };
    let row = notification_policies::ActiveModel {
        actor_id: Set(member.id),
        for_not_following: Set(new.for_not_following.as_str().into()),
        for_not_followers: Set(new.for_not_followers.as_str().into()),
        for_new_accounts: Set(new.for_new_accounts.as_str().into()),
        for_private_mentions: Set(new.for_private_mentions.as_str().into()),
        for_limited_accounts: Set(new.for_limited_accounts.as_str().into()),
        updated_at: Set(now()),
    };
    notification_policies::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification_policies::Column::ActorId)
                .update_columns([
                    notification_policies::Column::ForNotFollowing,
                    notification_policies::Column::ForNotFollowers,
                    notification_policies::Column::ForNewAccounts,
                    notification_policies::Column::ForPrivateMentions,
                    notification_policies::Column::ForLimitedAccounts,
                    notification_policies::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&ctx.db)
        .await?;
    Ok(new)
}

/// What the recipient's policy does with a notification of `kind` from `from_id`. Poll ends
/// and other notifications nobody sends unasked are always accepted.
pub(crate) async fn decide(
    db: &impl ConnectionTrait,
    recipient_id: i64,
    from_id: i64,
    kind: Kind,
    post_id: Option<i64>,
) -> CoreResult<Action> {
    if !matches!(
        kind,
        Kind::Mention | Kind::Follow | Kind::FollowRequest | Kind::Favourite | Kind::Reblog
    ) {
        return Ok(Action::Accept);
    }
    let policy = load(db, recipient_id).await?;
    if policy == Policy::default_accepting() {
        return Ok(Action::Accept);
    }
    let follows = |a: i64, b: i64| async move {
        Ok::<_, CoreError>(fq::find_pair(db, a, b).await?.is_some_and(|f| f.accepted))
    };
    if follows(recipient_id, from_id).await? || permitted(db, recipient_id, from_id).await? {
        return Ok(Action::Accept);
    }
    // The recipient does not follow the sender. Each further rule is looked up only when it
    // could make the outcome stricter.
    let mut action = policy.for_not_following;
    if policy.for_not_followers > action && !follows(from_id, recipient_id).await? {
        action = policy.for_not_followers;
    }
    if policy.for_new_accounts > action
        && let Some(sender) = aq::by_id(db, from_id).await?
        && now() - sender.created_at < chrono::Duration::days(NEW_ACCOUNT_DAYS)
    {
        action = policy.for_new_accounts;
    }
    if kind == Kind::Mention
        && policy.for_private_mentions > action
        && let Some(post) = match post_id {
            Some(id) => pq::by_id(db, id).await?,
            None => None,
        }
        && post.visibility == Visibility::Direct.as_str()
        && !replies_to(db, &post, recipient_id).await?
    {
        action = policy.for_private_mentions;
    }
    Ok(action)
}

impl Policy {
    /// A policy that lets everything through, whatever the sender (no lookups needed).
    fn default_accepting() -> Self {
        Self {
            for_not_following: Action::Accept,
            for_not_followers: Action::Accept,
            for_new_accounts: Action::Accept,
            for_private_mentions: Action::Accept,
            for_limited_accounts: Action::Accept,
        }
    }
}

/// Whether `post` answers a post of `author_id` (a reply in a private exchange they began).
async fn replies_to(
    db: &impl ConnectionTrait,
    post: &crate::Post,
    author_id: i64,
) -> CoreResult<bool> {
    Ok(match post.in_reply_to_id {
        Some(parent) => pq::by_id(db, parent)
            .await?
            .is_some_and(|p| p.author_id == author_id),
        None => false,
    })
}

async fn permitted(db: &impl ConnectionTrait, recipient_id: i64, from_id: i64) -> CoreResult<bool> {
    Ok(
        notification_permissions::Entity::find_by_id((recipient_id, from_id))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Filtered notifications from one account: a request the member may accept or dismiss.
#[derive(Clone, Debug)]
pub struct Request {
    pub from: Actor,
    pub count: u64,
    /// The newest filtered notification (the request's cursor) and the post it was about.
    pub newest_id: i64,
    pub last_post_id: Option<i64>,
    pub created_at: passage_db::Timestamp,
    pub updated_at: passage_db::Timestamp,
}

fn filtered_from(member: &Actor) -> sea_orm::Select<notifications::Entity> {
    notifications::Entity::find()
        .filter(notifications::Column::RecipientId.eq(member.id))
        .filter(notifications::Column::Filtered.eq(true))
}

/// The member's requests, newest first (at most a page's worth of accounts).
pub async fn requests(ctx: &Context, member: &Actor, page: Page) -> CoreResult<Vec<Request>> {
    let senders: Vec<i64> = filtered_from(member)
        .select_only()
        .column(notifications::Column::FromActorId)
        .distinct()
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut out = Vec::new();
    for sender in senders {
        out.push(request(ctx, member, sender).await?);
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.newest_id));
    out.retain(|r| {
        page.max_id.is_none_or(|m| r.newest_id < m)
            && page.since_id.is_none_or(|s| r.newest_id > s)
            && page.min_id.is_none_or(|s| r.newest_id > s)
    });
    out.truncate(usize::try_from(page.limit()).unwrap_or(usize::MAX));
    Ok(out)
}

/// The request of one account (its id is the account's).
pub async fn request(ctx: &Context, member: &Actor, from_id: i64) -> CoreResult<Request> {
    let rows = filtered_from(member)
        .filter(notifications::Column::FromActorId.eq(from_id))
        .order_by_desc(notifications::Column::Id)
        .all(&ctx.db)
        .await?;
    let (Some(newest), Some(oldest)) = (rows.first(), rows.last()) else {
        return Err(CoreError::NotFound);
    };
    let from = aq::by_id(&ctx.db, from_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    Ok(Request {
        from,
        count: rows.len() as u64,
        newest_id: newest.id,
        last_post_id: rows.iter().find_map(|n| n.post_id),
        created_at: oldest.created_at,
        updated_at: newest.created_at,
    })
}

/// Accepts a request: its notifications join the others, and the account gets through from
/// now on.
pub async fn accept(ctx: &Context, member: &Actor, from_id: i64) -> CoreResult<()> {
    request(ctx, member, from_id).await?;
    let txn = ctx.db.begin().await?;
    notifications::Entity::update_many()
        .col_expr(
            notifications::Column::Filtered,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(notifications::Column::RecipientId.eq(member.id))
        .filter(notifications::Column::FromActorId.eq(from_id))
        .exec(&txn)
        .await?;
    notification_permissions::Entity::insert(notification_permissions::ActiveModel {
        recipient_id: Set(member.id),
        from_actor_id: Set(from_id),
        created_at: Set(now()),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Dismisses a request: its notifications are deleted; later ones are filtered again.
pub async fn dismiss(ctx: &Context, member: &Actor, from_id: i64) -> CoreResult<()> {
    request(ctx, member, from_id).await?;
    notifications::Entity::delete_many()
        .filter(notifications::Column::RecipientId.eq(member.id))
        .filter(notifications::Column::FromActorId.eq(from_id))
        .filter(notifications::Column::Filtered.eq(true))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// How many requests wait, and how many notifications they hold.
pub async fn summary(ctx: &Context, member: &Actor) -> CoreResult<(u64, u64)> {
    let notifications = filtered_from(member).count(&ctx.db).await?;
    let requests = filtered_from(member)
        .select_only()
        .column(notifications::Column::FromActorId)
        .distinct()
        .into_tuple::<i64>()
        .all(&ctx.db)
        .await?
        .len() as u64;
    Ok((requests, notifications))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strictest_rule_wins() {
        assert_eq!(Action::Accept.max(Action::Filter), Action::Filter);
        assert_eq!(Action::Drop.max(Action::Filter), Action::Drop);
        for text in ["accept", "filter", "drop"] {
            assert_eq!(Action::parse(text).unwrap().as_str(), text);
        }
        assert!(Action::parse("ignore").is_err());
    }
}
