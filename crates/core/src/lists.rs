//! Lists: a member's own groupings of accounts they follow, each with its timeline. Private to
//! their owner; nothing about them federates.

use crate::{
    Actor, Context, CoreError, Post,
    error::CoreResult,
    visibility::{FOR_EVERYONE, FOR_FOLLOWERS},
};
use passage_db::{
    Page,
    entities::{follows, list_accounts, lists, posts},
    now,
    queries::follows as fq,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Query,
};

pub type List = lists::Model;

/// Which replies a list shows, as Mastodon names the choices.
pub const REPLIES_POLICIES: [&str; 3] = ["followed", "list", "none"];

fn check(title: &str, replies_policy: &str) -> CoreResult<()> {
    if title.trim().is_empty() || title.chars().count() > 100 {
        return Err(CoreError::Invalid("title: 1-100 characters".into()));
    }
    if !REPLIES_POLICIES.contains(&replies_policy) {
        return Err(CoreError::Invalid(format!(
            "replies_policy: one of {}",
            REPLIES_POLICIES.join(", ")
        )));
    }
    Ok(())
}

pub async fn create(
    ctx: &Context,
    owner: &Actor,
    title: &str,
    replies_policy: &str,
    exclusive: bool,
) -> CoreResult<List> {
    check(title, replies_policy)?;
    Ok(lists::ActiveModel {
        actor_id: Set(owner.id),
        title: Set(title.trim().to_owned()),
        replies_policy: Set(replies_policy.to_owned()),
        exclusive: Set(exclusive),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await?)
}

/// One of the owner's lists (another member's list does not exist for them).
pub async fn get(ctx: &Context, owner: &Actor, id: i64) -> CoreResult<List> {
    lists::Entity::find_by_id(id)
        .filter(lists::Column::ActorId.eq(owner.id))
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)
}

pub async fn all(ctx: &Context, owner: &Actor) -> CoreResult<Vec<List>> {
    Ok(lists::Entity::find()
        .filter(lists::Column::ActorId.eq(owner.id))
        .order_by_asc(lists::Column::Id)
        .all(&ctx.db)
        .await?)
}

/// Changes what is given (None keeps a field).
pub async fn update(
    ctx: &Context,
    owner: &Actor,
    id: i64,
    title: Option<&str>,
    replies_policy: Option<&str>,
    exclusive: Option<bool>,
) -> CoreResult<List> {
    let list = get(ctx, owner, id).await?;
    let title = title.unwrap_or(&list.title).to_owned();
    let policy = replies_policy.unwrap_or(&list.replies_policy).to_owned();
    check(&title, &policy)?;
    let mut row: lists::ActiveModel = list.into();
    row.title = Set(title.trim().to_owned());
    row.replies_policy = Set(policy);
    if let Some(e) = exclusive {
        row.exclusive = Set(e);
    }
    Ok(row.update(&ctx.db).await?)
}

pub async fn delete(ctx: &Context, owner: &Actor, id: i64) -> CoreResult<()> {
    let list = get(ctx, owner, id).await?;
    lists::Entity::delete_by_id(list.id).exec(&ctx.db).await?;
    Ok(())
}

/// The owner's list of that title (any case), made if there is none (imports name lists by
/// title).
pub async fn named(ctx: &Context, owner: &Actor, title: &str) -> CoreResult<List> {
    let wanted = title.trim().to_lowercase();
    let found = all(ctx, owner)
        .await?
        .into_iter()
        .find(|l| l.title.to_lowercase() == wanted);
    match found {
        Some(list) => Ok(list),
        None => create(ctx, owner, title, "list", false).await,
    }
}

/// Adds accounts the owner follows or has asked to follow (others are refused, as in
/// Mastodon).
pub async fn add(ctx: &Context, owner: &Actor, id: i64, account_ids: &[i64]) -> CoreResult<()> {
    let list = get(ctx, owner, id).await?;
    for &account in account_ids {
        if fq::find_pair(&ctx.db, owner.id, account).await?.is_none() {
            return Err(CoreError::NotFound);
        }
        let row = list_accounts::ActiveModel {
            list_id: Set(list.id),
            actor_id: Set(account),
        };
        match row.insert(&ctx.db).await {
            Err(e) if passage_db::is_unique_violation(&e) => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

pub async fn remove(ctx: &Context, owner: &Actor, id: i64, account_ids: &[i64]) -> CoreResult<()> {
    let list = get(ctx, owner, id).await?;
    list_accounts::Entity::delete_many()
        .filter(list_accounts::Column::ListId.eq(list.id))
        .filter(list_accounts::Column::ActorId.is_in(account_ids.iter().copied()))
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The accounts of a list (paginated by account id).
pub async fn accounts(
    ctx: &Context,
    owner: &Actor,
    id: i64,
    page: Page,
) -> CoreResult<Vec<(i64, Actor)>> {
    let list = get(ctx, owner, id).await?;
    let select = list_accounts::Entity::find().filter(list_accounts::Column::ListId.eq(list.id));
    let pairs = page
        .pairs(
            &ctx.db,
            select,
            list_accounts::Column::ActorId,
            list_accounts::Column::ActorId,
        )
        .await?;
    crate::accounts::with_cursors(ctx, pairs).await
}

/// The owner's lists that hold `account_id`.
pub async fn containing(ctx: &Context, owner: &Actor, account_id: i64) -> CoreResult<Vec<List>> {
    let holding = Query::select()
        .column(list_accounts::Column::ListId)
        .from(list_accounts::Entity)
        .and_where(list_accounts::Column::ActorId.eq(account_id))
        .to_owned();
    Ok(lists::Entity::find()
        .filter(lists::Column::ActorId.eq(owner.id))
        .filter(lists::Column::Id.in_subquery(holding))
        .all(&ctx.db)
        .await?)
}

/// A list's timeline: what its accounts post for their followers or everyone, newest first.
pub async fn timeline(ctx: &Context, owner: &Actor, id: i64, page: Page) -> CoreResult<Vec<Post>> {
    let list = get(ctx, owner, id).await?;
    let members = Query::select()
        .column(list_accounts::Column::ActorId)
        .from(list_accounts::Entity)
        .and_where(list_accounts::Column::ListId.eq(list.id))
        .to_owned();
    // A list may hold an account whose follow request is still pending (as in Mastodon):
    // its followers-only posts show only once the owner is an accepted follower.
    let followed = Query::select()
        .column(follows::Column::FolloweeId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(owner.id))
        .and_where(follows::Column::Accepted.eq(true))
        .to_owned();
    let mut select = posts::Entity::find()
        .filter(posts::Column::AuthorId.in_subquery(members))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(posts::Column::Visibility.is_in(FOR_EVERYONE))
                .add(
                    Condition::all()
                        .add(posts::Column::Visibility.is_in(FOR_FOLLOWERS))
                        .add(posts::Column::AuthorId.in_subquery(followed)),
                ),
        );
    if list.replies_policy == "none" {
        select = select.filter(posts::Column::InReplyToApId.is_null());
    }
    let rows = page.apply(select, posts::Column::Id).all(&ctx.db).await?;
    Ok(page.finish(rows))
}

/// Takes `account_id` out of every list of `owner`'s: she no longer follows it (unfollowed,
/// refused, removed, blocked), so its posts have no place there.
pub(crate) async fn forget(
    db: &impl sea_orm::ConnectionTrait,
    owner_id: i64,
    account_id: i64,
) -> CoreResult<()> {
    let owned = Query::select()
        .column(lists::Column::Id)
        .from(lists::Entity)
        .and_where(lists::Column::ActorId.eq(owner_id))
        .to_owned();
    list_accounts::Entity::delete_many()
        .filter(list_accounts::Column::ActorId.eq(account_id))
        .filter(list_accounts::Column::ListId.in_subquery(owned))
        .exec(db)
        .await?;
    Ok(())
}

/// Is `author` in the owner's list `id` (for live list streams)?
pub async fn holds(ctx: &Context, owner: &Actor, id: i64, author_id: i64) -> CoreResult<bool> {
    let list = get(ctx, owner, id).await?;
    Ok(list_accounts::Entity::find_by_id((list.id, author_id))
        .one(&ctx.db)
        .await?
        .is_some())
}
