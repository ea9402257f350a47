//! Conversations: a member's direct posts (written or received) grouped by thread, newest
//! first, each with its last post, the other participants and whether it is unread. A member
//! may mark one read or remove it from the list until a newer post arrives in it.

use crate::{Actor, Context, CoreError, Post, error::CoreResult};
use passage_db::{
    Page,
    entities::{conversation_states, post_mentions, posts as post_rows},
    queries::{actors, batch},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, sea_query::OnConflict,
};
use std::collections::HashMap;

/// How many of a member's most recent direct posts are grouped. Direct posts are the rare
/// kind; older conversations fall off the list rather than making every read slower.
const RECENT_DIRECT_POSTS: u64 = 2000;

#[derive(Clone, Debug)]
pub struct Conversation {
    /// The thread's id.
    pub id: i64,
    pub last: Post,
    /// Everyone in the last post but the viewer: its author and who it mentions.
    pub participants: Vec<Actor>,
    pub unread: bool,
}

/// `(post id, thread id)` of the member's recent direct posts, newest first.
async fn direct_posts(ctx: &Context, viewer: &Actor) -> CoreResult<Vec<(i64, Option<i64>)>> {
    let mentioned = post_mentions::Entity::find()
        .select_only()
        .column(post_mentions::Column::PostId)
        .filter(post_mentions::Column::ActorId.eq(viewer.id))
        .into_query();
    Ok(post_rows::Entity::find()
        .select_only()
        .column(post_rows::Column::Id)
        .column(post_rows::Column::ThreadId)
        .filter(post_rows::Column::Visibility.eq("direct"))
        .filter(post_rows::Column::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(post_rows::Column::AuthorId.eq(viewer.id))
                .add(post_rows::Column::Id.in_subquery(mentioned)),
        )
        .order_by_desc(post_rows::Column::Id)
        .limit(RECENT_DIRECT_POSTS)
        .into_tuple()
        .all(&ctx.db)
        .await?)
}

async fn states(
    ctx: &Context,
    viewer: &Actor,
) -> CoreResult<HashMap<i64, conversation_states::Model>> {
    Ok(conversation_states::Entity::find()
        .filter(conversation_states::Column::ActorId.eq(viewer.id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|s| (s.thread_id, s))
        .collect())
}

/// A page of the member's conversations, by their last post's id (Mastodon's cursor).
pub async fn list(ctx: &Context, viewer: &Actor, page: Page) -> CoreResult<Vec<Conversation>> {
    let states = states(ctx, viewer).await?;
    // The newest post of each thread, newest thread first.
    let mut last_of_thread: Vec<(i64, i64)> = Vec::new();
    for (post, thread) in direct_posts(ctx, viewer).await? {
        let thread = thread.unwrap_or(post);
        if !last_of_thread.iter().any(|(t, _)| *t == thread) {
            last_of_thread.push((thread, post));
        }
    }
    let mut shown: Vec<(i64, i64)> = last_of_thread
        .into_iter()
        .filter(|(thread, last)| states.get(thread).is_none_or(|s| *last > s.removed_up_to))
        .filter(|(_, last)| page.max_id.is_none_or(|max| *last < max))
        .filter(|(_, last)| page.since_id.is_none_or(|since| *last > since))
        .filter(|(_, last)| page.min_id.is_none_or(|min| *last > min))
        .collect();
    let limit = usize::try_from(page.limit()).unwrap_or(20);
    if page.min_id.is_some() {
        // The page right after `min_id`: the oldest ones above it.
        let skip = shown.len().saturating_sub(limit);
        shown.drain(..skip);
    } else {
        shown.truncate(limit);
    }
    let last_ids: Vec<i64> = shown.iter().map(|(_, last)| *last).collect();
    let lasts: HashMap<i64, Post> = batch::posts_by_ids(&ctx.db, &last_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mentions = batch::mentions(&ctx.db, &last_ids).await?;
    let mut people: Vec<i64> = mentions.iter().map(|(_, a)| *a).collect();
    people.extend(lasts.values().map(|p| p.author_id));
    people.sort_unstable();
    people.dedup();
    let actors: HashMap<i64, Actor> = actors::by_ids(&ctx.db, &people)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(shown
        .into_iter()
        .filter_map(|(thread, last_id)| {
            let last = lasts.get(&last_id)?.clone();
            let mut ids = vec![last.author_id];
            ids.extend(
                mentions
                    .iter()
                    .filter(|(p, _)| *p == last_id)
                    .map(|(_, a)| *a),
            );
            let mut participants: Vec<Actor> = Vec::new();
            for id in ids {
                if id != viewer.id
                    && !participants.iter().any(|a| a.id == id)
                    && let Some(actor) = actors.get(&id)
                {
                    participants.push(actor.clone());
                }
            }
            let read_up_to = states.get(&thread).map_or(0, |s| s.read_up_to);
            Some(Conversation {
                id: thread,
                unread: last.author_id != viewer.id && last.id > read_up_to,
                last,
                participants,
            })
        })
        .collect())
}

/// One of the member's conversations, as listed: the page of one that ends at its last post.
async fn find(ctx: &Context, viewer: &Actor, thread: i64) -> CoreResult<Conversation> {
    let last = direct_posts(ctx, viewer)
        .await?
        .into_iter()
        .find(|(post, t)| t.unwrap_or(*post) == thread)
        .map(|(post, _)| post)
        .ok_or(CoreError::NotFound)?;
    let page = Page {
        max_id: Some(last + 1),
        limit: 1,
        ..Page::default()
    };
    list(ctx, viewer, page)
        .await?
        .into_iter()
        .find(|c| c.id == thread)
        .ok_or(CoreError::NotFound)
}

/// Records that the member has read the conversation up to its last post.
pub async fn mark_read(ctx: &Context, viewer: &Actor, thread: i64) -> CoreResult<Conversation> {
    let mut conversation = find(ctx, viewer, thread).await?;
    save_state(ctx, viewer, thread, Some(conversation.last.id), None).await?;
    conversation.unread = false;
    Ok(conversation)
}

/// Removes the conversation from the member's list until someone writes in it again.
pub async fn remove(ctx: &Context, viewer: &Actor, thread: i64) -> CoreResult<()> {
    let conversation = find(ctx, viewer, thread).await?;
    let last = conversation.last.id;
    save_state(ctx, viewer, thread, Some(last), Some(last)).await
}

async fn save_state(
    ctx: &Context,
    viewer: &Actor,
    thread: i64,
    read_up_to: Option<i64>,
    removed_up_to: Option<i64>,
) -> CoreResult<()> {
    let before = conversation_states::Entity::find_by_id((viewer.id, thread))
        .one(&ctx.db)
        .await?;
    let row = conversation_states::ActiveModel {
        actor_id: Set(viewer.id),
        thread_id: Set(thread),
        read_up_to: Set(read_up_to
            .or(before.as_ref().map(|s| s.read_up_to))
            .unwrap_or(0)),
        removed_up_to: Set(removed_up_to
            .or(before.as_ref().map(|s| s.removed_up_to))
            .unwrap_or(0)),
    };
    conversation_states::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                conversation_states::Column::ActorId,
                conversation_states::Column::ThreadId,
            ])
            .update_columns([
                conversation_states::Column::ReadUpTo,
                conversation_states::Column::RemovedUpTo,
            ])
            .to_owned(),
        )
        .exec(&ctx.db)
        .await?;
    Ok(())
}
