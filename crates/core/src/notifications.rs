//! Notifications of local members: mentions, follows and follow requests, favourites and
//! boosts of their posts, as the member's notification policy lets them through. Use cases
//! call [`record`] in the transaction of the change (local or arriving from another server
//! alike); undoing the change withdraws the notification.

use crate::{Actor, Context, error::CoreResult, notification_policy::Action, streaming::Event};
use passage_db::{Page, entities::notifications, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

pub type Notification = notifications::Model;

/// The notification types Passage produces, by their Mastodon names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Mention,
    Reblog,
    Favourite,
    Follow,
    FollowRequest,
    /// A poll one voted in, or wrote, has ended.
    Poll,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mention => "mention",
            Self::Reblog => "reblog",
            Self::Favourite => "favourite",
            Self::Follow => "follow",
            Self::FollowRequest => "follow_request",
            Self::Poll => "poll",
        }
    }
}

/// Records a notification for `recipient`, unless it is remote or `from_id` itself (only the
/// end of one's own poll is worth telling oneself). The event returned is for the caller to
/// publish once its transaction has committed.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    recipient: Recipient,
    from_id: i64,
    kind: Kind,
    post_id: Option<i64>,
) -> CoreResult<Option<Event>> {
    if !recipient.local || (recipient.id == from_id && kind != Kind::Poll) {
        return Ok(None);
    }
    if let Some(post_id) = post_id
        && crate::threads::is_muted(db, recipient.id, post_id).await?
    {
        return Ok(None);
    }
    let action =
        crate::notification_policy::decide(db, recipient.id, from_id, kind, post_id).await?;
    if action == Action::Drop {
        return Ok(None);
    }
    let row = notifications::ActiveModel {
        recipient_id: Set(recipient.id),
        from_actor_id: Set(from_id),
        kind: Set(kind.as_str().to_owned()),
        post_id: Set(post_id),
        created_at: Set(now()),
        filtered: Set(action == Action::Filter),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // A filtered notification waits under requests; nothing is streamed.
    if row.filtered {
        return Ok(None);
    }
    Ok(Some(Event::Notification {
        id: row.id,
        recipient_id: row.recipient_id,
    }))
}

/// Who a notification would be for: an actor id and whether it is one of ours.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Recipient {
    pub id: i64,
    pub local: bool,
}

impl From<&Actor> for Recipient {
    fn from(a: &Actor) -> Self {
        Self {
            id: a.id,
            local: a.local,
        }
    }
}

impl Recipient {
    /// The author of a post (a local post has a local author).
    pub fn author_of(post: &crate::Post) -> Self {
        Self {
            id: post.author_id,
            local: post.local,
        }
    }
}

/// Withdraws what [`record`] wrote (an unfavourite, an unboost, a withdrawn follow request).
pub(crate) async fn withdraw(
    db: &impl ConnectionTrait,
    recipient_id: Option<i64>,
    from_id: i64,
    kind: Kind,
    post_id: Option<i64>,
) -> CoreResult<()> {
    let mut delete = notifications::Entity::delete_many()
        .filter(notifications::Column::FromActorId.eq(from_id))
        .filter(notifications::Column::Kind.eq(kind.as_str()));
    if let Some(recipient_id) = recipient_id {
        delete = delete.filter(notifications::Column::RecipientId.eq(recipient_id));
    }
    if let Some(post_id) = post_id {
        delete = delete.filter(notifications::Column::PostId.eq(post_id));
    }
    delete.exec(db).await?;
    Ok(())
}

/// Which types to list: only `types` when given, never `exclude_types`.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub types: Vec<String>,
    pub exclude_types: Vec<String>,
    pub account_id: Option<i64>,
    /// List the notifications the member's policy filtered too.
    pub include_filtered: bool,
}

/// A page of `viewer`'s notifications, newest first.
pub async fn list(
    ctx: &Context,
    viewer: &Actor,
    filter: &Filter,
    page: Page,
) -> CoreResult<Vec<Notification>> {
    let mut select =
        notifications::Entity::find().filter(notifications::Column::RecipientId.eq(viewer.id));
    if !filter.include_filtered {
        select = select.filter(notifications::Column::Filtered.eq(false));
    }
    if !filter.types.is_empty() {
        select = select.filter(notifications::Column::Kind.is_in(filter.types.clone()));
    }
    if !filter.exclude_types.is_empty() {
        select = select.filter(notifications::Column::Kind.is_not_in(filter.exclude_types.clone()));
    }
    if let Some(account) = filter.account_id {
        select = select.filter(notifications::Column::FromActorId.eq(account));
    }
    let hidden = crate::blocks::hidden_from(ctx, viewer).await?.notifications;
    if !hidden.is_empty() {
        select = select.filter(notifications::Column::FromActorId.is_not_in(hidden));
    }
    let rows = page
        .apply(select, notifications::Column::Id)
        .all(&ctx.db)
        .await?;
    Ok(page.finish(rows))
}

pub async fn get(ctx: &Context, viewer: &Actor, id: i64) -> CoreResult<Notification> {
    notifications::Entity::find_by_id(id)
        .filter(notifications::Column::RecipientId.eq(viewer.id))
        .one(&ctx.db)
        .await?
        .ok_or(crate::CoreError::NotFound)
}

pub async fn dismiss(ctx: &Context, viewer: &Actor, id: i64) -> CoreResult<()> {
    let n = get(ctx, viewer, id).await?;
    notifications::Entity::delete_by_id(n.id)
        .exec(&ctx.db)
        .await?;
    Ok(())
}

pub async fn clear(ctx: &Context, viewer: &Actor) -> CoreResult<()> {
    notifications::Entity::delete_many()
        .filter(notifications::Column::RecipientId.eq(viewer.id))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The accounts and posts a page of notifications is about, loaded for the page at once.
pub async fn subjects(
    ctx: &Context,
    viewer: &Actor,
    rows: &[Notification],
) -> CoreResult<Subjects> {
    let actor_ids: Vec<i64> = rows.iter().map(|n| n.from_actor_id).collect();
    let post_ids: Vec<i64> = rows.iter().filter_map(|n| n.post_id).collect();
    subjects_by_ids(ctx, viewer, actor_ids, &post_ids).await
}

/// Accounts and posts by id, as notifications show them.
pub type Subjects = (
    std::collections::HashMap<i64, crate::views::AccountView>,
    std::collections::HashMap<i64, crate::views::PostView>,
);

/// The accounts and posts named (grouped notifications name sample accounts beyond the
/// page's own rows). Deleted posts are left out.
pub async fn subjects_by_ids(
    ctx: &Context,
    viewer: &Actor,
    mut actor_ids: Vec<i64>,
    post_ids: &[i64],
) -> CoreResult<Subjects> {
    use passage_db::queries::{actors, batch};
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let accounts = crate::views::accounts(ctx, actors::by_ids(&ctx.db, &actor_ids).await?)
        .await?
        .into_iter()
        .map(|v| (v.actor.id, v))
        .collect();
    let posts = crate::views::posts(
        ctx,
        Some(viewer),
        batch::posts_by_ids(&ctx.db, post_ids).await?,
    )
    .await?
    .into_iter()
    .filter(|v| v.post.deleted_at.is_none())
    .map(|v| (v.post.id, v))
    .collect();
    Ok((accounts, posts))
}
