//! What calendar feeds show: the public events of a host, an instance, a category or a
//! language, with recurring series gathered into one entry; and a member's own answers,
//! reached through a secret feed address that the member can replace or revoke.
//! Turning this into iCalendar text is the web's business.

use super::{Event, Filter, list, rsvp::State, series};
use crate::{
    Actor, Context, Post, accounts,
    error::{CoreError, CoreResult},
    secrets::{digest_of, random_token},
    visibility::FOR_EVERYONE,
};
use passage_db::{
    Timestamp,
    entities::{calendar_tokens, event_participants as ep, events, posts as post_rows},
    now,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::OnConflict,
};

/// Most entries one feed holds.
pub const FEED_LIMIT: u64 = 500;
/// How long an event stays in a feed after it ended, so a subscribed calendar keeps it.
pub const KEEP_PAST_DAYS: i64 = 30;

/// The `webcal:` form of a feed's address, which makes calendar apps subscribe rather than
/// download once.
pub fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.to_owned(),
    }
}

/// One entry of a feed.
#[derive(Clone, Debug)]
pub enum Entry {
    Single(Box<(Post, Event)>),
    /// A recurring series, with every occurrence it ever had: deleted ones (their post has
    /// `deleted_at`) and ones no longer public become exceptions of the rule.
    Series {
        id: String,
        rule: String,
        /// The start the rule began with, even if that occurrence is gone.
        first_start: Timestamp,
        occurrences: Vec<(Post, Event)>,
    },
}

impl Entry {
    /// Whether an occurrence of a series is shown in public feeds.
    pub fn listed(post: &Post) -> bool {
        post.deleted_at.is_none() && FOR_EVERYONE.contains(&post.visibility.as_str())
    }
}

/// The public and unlisted events matching `filter`, from a month ago on, soonest first.
pub async fn feed(ctx: &Context, mut filter: Filter) -> CoreResult<Vec<Entry>> {
    filter.after = Some(now() - chrono::Duration::days(KEEP_PAST_DAYS));
    let found = list(ctx, &filter, FEED_LIMIT).await?;
    let series_ids: Vec<String> = found
        .iter()
        .filter_map(|(_, e)| e.series_id.clone())
        .collect();
    let mut occurrences = series::occurrences(ctx, &series_ids).await?;
    let mut entries = Vec::with_capacity(found.len());
    for (post, event) in found {
        let Some(id) = event.series_id.clone() else {
            entries.push(Entry::Single(Box::new((post, event))));
            continue;
        };
        let Some(members) = occurrences.remove(&id) else {
            continue; // Its series is already in the feed.
        };
        let first_start = members
            .iter()
            .filter_map(|(_, e)| e.recurrence_id)
            .min()
            .unwrap_or(event.starts_at);
        entries.push(Entry::Series {
            id,
            rule: event.rrule.clone().unwrap_or_default(),
            first_start,
            occurrences: members,
        });
    }
    Ok(entries)
}

/// The events `actor` answered (going, maybe, waiting or pending), from a month ago on,
/// whatever their visibility: the feed is private to them.
pub async fn answered_by(ctx: &Context, actor: &Actor) -> CoreResult<Vec<(Post, Event, State)>> {
    let answers = ep::Entity::find()
        .filter(ep::Column::ActorId.eq(actor.id))
        .limit(FEED_LIMIT)
        .all(&ctx.db)
        .await?;
    let after = now() - chrono::Duration::days(KEEP_PAST_DAYS);
    let rows = events::Entity::find()
        .filter(events::Column::PostId.is_in(answers.iter().map(|a| a.event_id)))
        .filter(events::Column::StartsAt.gt(after))
        .order_by_asc(events::Column::StartsAt)
        .all(&ctx.db)
        .await?;
    let posts = post_rows::Entity::find()
        .filter(post_rows::Column::Id.is_in(rows.iter().map(|e| e.post_id)))
        .filter(post_rows::Column::DeletedAt.is_null())
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|event| {
            let post = posts.iter().find(|p| p.id == event.post_id)?.clone();
            let answer = answers.iter().find(|a| a.event_id == event.post_id)?;
            Some((post, event, State::parse(&answer.state).ok()?))
        })
        .collect())
}

/// A new secret for `actor`'s answers feed; the one before stops working. The secret is
/// shown once: only its digest is kept.
pub async fn issue_token(ctx: &Context, actor: &Actor) -> CoreResult<String> {
    if !actor.local {
        return Err(CoreError::Forbidden("only members here have a feed".into()));
    }
    let token = random_token()?;
    calendar_tokens::Entity::insert(calendar_tokens::ActiveModel {
        actor_id: Set(actor.id),
        token_digest: Set(digest_of(&token)),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(calendar_tokens::Column::ActorId)
            .update_columns([
                calendar_tokens::Column::TokenDigest,
                calendar_tokens::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(&ctx.db)
    .await?;
    Ok(token)
}

/// Ends `actor`'s answers feed.
pub async fn revoke_token(ctx: &Context, actor: &Actor) -> CoreResult<()> {
    calendar_tokens::Entity::delete_by_id(actor.id)
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// Whose answers feed `token` opens.
pub async fn holder_of(ctx: &Context, token: &str) -> CoreResult<Actor> {
    let row = calendar_tokens::Entity::find()
        .filter(calendar_tokens::Column::TokenDigest.eq(digest_of(token)))
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)?;
    accounts::by_id(ctx, row.actor_id).await
}
