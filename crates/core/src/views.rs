//! Posts and accounts with everything a reader is shown beside them (counts, mentions, media,
//! and what the viewer did with each post), gathered for a whole page in a fixed number of
//! queries. Edge crates turn these into their wire shapes.

use crate::{Actor, Context, Post, error::CoreResult};
use passage_db::{
    Timestamp,
    entities::media_attachments,
    queries::{actors, batch},
};
use std::{collections::HashMap, sync::Arc};

pub type Media = media_attachments::Model;

/// An account with its public counts.
#[derive(Clone, Debug)]
pub struct AccountView {
    pub actor: Actor,
    pub followers: i64,
    pub following: i64,
    pub statuses: i64,
    pub last_status_at: Option<Timestamp>,
    /// The account this one moved to, when it is known here (shown without its own `moved`).
    pub moved: Option<Box<AccountView>>,
}

/// A post as a reader sees it. A boost carries the boosted post in `reblog`.
#[derive(Clone, Debug)]
pub struct PostView {
    pub post: Post,
    pub author: Arc<AccountView>,
    pub reblog: Option<Box<PostView>>,
    pub in_reply_to_account_id: Option<i64>,
    pub mentions: Vec<Actor>,
    pub tags: Vec<String>,
    pub media: Vec<Media>,
    pub replies: i64,
    pub reblogs: i64,
    pub favourites: i64,
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    /// Pinned by the viewer (only their own posts can be).
    pub pinned: bool,
    /// The viewer muted this post's thread.
    pub muted: bool,
    pub poll: Option<crate::polls::PollView>,
    pub emojis: Vec<crate::emojis::Emoji>,
}

/// Accounts with their counts, in the order given, and the accounts moved ones went to.
pub async fn accounts(ctx: &Context, list: Vec<Actor>) -> CoreResult<Vec<AccountView>> {
    let targets: Vec<String> = list.iter().filter_map(|a| a.moved_to.clone()).collect();
    let mut views = counted(ctx, list).await?;
    if targets.is_empty() {
        return Ok(views);
    }
    let found = actors::by_ap_ids(&ctx.reader, &targets).await?;
    let moved: HashMap<String, AccountView> = counted(ctx, found)
        .await?
        .into_iter()
        .map(|v| (v.actor.ap_id.clone(), v))
        .collect();
    for view in &mut views {
        if let Some(target) = view.actor.moved_to.as_ref().and_then(|t| moved.get(t)) {
            view.moved = Some(Box::new(target.clone()));
        }
    }
    Ok(views)
}

/// Accounts with their counts only.
async fn counted(ctx: &Context, list: Vec<Actor>) -> CoreResult<Vec<AccountView>> {
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let followers = batch::follow_counts(&ctx.reader, &ids, true).await?;
    let following = batch::follow_counts(&ctx.reader, &ids, false).await?;
    let stats = batch::post_stats(&ctx.reader, &ids).await?;
    Ok(list
        .into_iter()
        .map(|actor| {
            let (statuses, last) = stats.get(&actor.id).copied().unwrap_or((0, None));
            AccountView {
                followers: followers.get(&actor.id).copied().unwrap_or(0),
                following: following.get(&actor.id).copied().unwrap_or(0),
                statuses,
                last_status_at: last,
                moved: None,
                actor,
            }
        })
        .collect())
}

pub async fn account(ctx: &Context, actor: Actor) -> CoreResult<AccountView> {
    let mut list = accounts(ctx, vec![actor]).await?;
    list.pop().ok_or(crate::CoreError::NotFound)
}

/// Posts for a reader's lists (timelines, threads, search, streams): as [`posts`], leaving
/// out posts (and boosts of posts) by accounts the viewer blocks, mutes or is blocked by (see
/// [`crate::blocks`]). A post asked for by id, or named by a notification, is not filtered.
pub async fn shown(
    ctx: &Context,
    viewer: Option<&Actor>,
    list: Vec<Post>,
) -> CoreResult<Vec<PostView>> {
    let views = posts(ctx, viewer, list).await?;
    let Some(viewer) = viewer else {
        return Ok(views);
    };
    let hidden = crate::blocks::hidden_from(ctx, viewer).await?.posts;
    Ok(views
        .into_iter()
        .filter(|v| {
            !hidden.contains(&v.post.author_id)
                && v.reblog
                    .as_ref()
                    .is_none_or(|r| !hidden.contains(&r.post.author_id))
        })
        .collect())
}

/// Posts as `viewer` sees them, in the order given. Boosted originals are loaded alongside.
pub async fn posts(
    ctx: &Context,
    viewer: Option<&Actor>,
    list: Vec<Post>,
) -> CoreResult<Vec<PostView>> {
    let original_ids: Vec<i64> = list.iter().filter_map(|p| p.reblog_of_id).collect();
    let originals = batch::posts_by_ids(&ctx.reader, &original_ids).await?;
    let all: Vec<&Post> = list.iter().chain(originals.iter()).collect();
    let ids: Vec<i64> = all.iter().map(|p| p.id).collect();

    let parent_ids: Vec<i64> = all.iter().filter_map(|p| p.in_reply_to_id).collect();
    let parent_authors: HashMap<i64, i64> = batch::authors_of(&ctx.reader, &parent_ids)
        .await?
        .into_iter()
        .collect();
    let mention_pairs = batch::mentions(&ctx.reader, &ids).await?;

    let mut actor_ids: Vec<i64> = all.iter().map(|p| p.author_id).collect();
    actor_ids.extend(mention_pairs.iter().map(|(_, a)| *a));
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let actors_by_id: HashMap<i64, Actor> = actors::by_ids(&ctx.reader, &actor_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut author_list: Vec<Actor> = all
        .iter()
        .filter_map(|p| actors_by_id.get(&p.author_id).cloned())
        .collect();
    author_list.sort_by_key(|a| a.id);
    author_list.dedup_by_key(|a| a.id);
    let authors: HashMap<i64, Arc<AccountView>> = accounts(ctx, author_list)
        .await?
        .into_iter()
        .map(|v| (v.actor.id, Arc::new(v)))
        .collect();

    let mut mentions: HashMap<i64, Vec<Actor>> = HashMap::new();
    for (post, actor) in mention_pairs {
        if let Some(a) = actors_by_id.get(&actor) {
            mentions.entry(post).or_default().push(a.clone());
        }
    }
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for (post, tag) in batch::tags(&ctx.reader, &ids).await? {
        tags.entry(post).or_default().push(tag);
    }
    let mut media: HashMap<i64, Vec<Media>> = HashMap::new();
    for m in batch::media(&ctx.reader, &ids).await? {
        if let Some(post) = m.post_id {
            media.entry(post).or_default().push(m);
        }
    }
    for list in media.values_mut() {
        list.sort_by_key(|m| m.id);
    }
    let favourites = batch::favourite_counts(&ctx.reader, &ids).await?;
    let reblogs = batch::child_counts(&ctx.reader, &ids, false).await?;
    let replies = batch::child_counts(&ctx.reader, &ids, true).await?;
    let (favourited, reblogged, bookmarked, pinned) = match viewer {
        Some(v) => (
            batch::favourited_by(&ctx.reader, v.id, &ids).await?,
            batch::reblogged_by(&ctx.reader, v.id, &ids).await?,
            batch::bookmarked_by(&ctx.reader, v.id, &ids).await?,
            crate::pins::pinned_among(ctx, v, &ids).await?,
        ),
        None => Default::default(),
    };
    let muted = match viewer {
        Some(v) => {
            let threads: Vec<i64> = all.iter().map(|p| crate::threads::of(p)).collect();
            crate::threads::muted_among(ctx, v, &threads).await?
        }
        None => Vec::new(),
    };
    let with_authors: Vec<(i64, i64)> = all.iter().map(|p| (p.id, p.author_id)).collect();
    let polls = crate::polls::views(ctx, viewer, &with_authors).await?;
    let emojis = crate::emojis::of_posts(&ctx.reader, &ids).await?;

    let view = |post: &Post| -> Option<PostView> {
        let id = post.id;
        Some(PostView {
            author: authors.get(&post.author_id)?.clone(),
            reblog: None,
            in_reply_to_account_id: post
                .in_reply_to_id
                .and_then(|p| parent_authors.get(&p).copied()),
            mentions: mentions.get(&id).cloned().unwrap_or_default(),
            tags: tags.get(&id).cloned().unwrap_or_default(),
            media: media.get(&id).cloned().unwrap_or_default(),
            replies: replies.get(&id).copied().unwrap_or(0),
            reblogs: reblogs.get(&id).copied().unwrap_or(0),
            favourites: favourites.get(&id).copied().unwrap_or(0),
            favourited: favourited.contains(&id),
            reblogged: reblogged.contains(&id),
            bookmarked: bookmarked.contains(&id),
            pinned: pinned.contains(&id),
            muted: muted.contains(&crate::threads::of(post)),
            poll: polls.get(&id).cloned(),
            emojis: emojis.get(&id).cloned().unwrap_or_default(),
            post: post.clone(),
        })
    };
    let originals: HashMap<i64, &Post> = originals.iter().map(|p| (p.id, p)).collect();
    Ok(list
        .iter()
        .filter_map(|post| {
            let mut v = view(post)?;
            if let Some(original) = post.reblog_of_id {
                // A boost of a post that is gone is not shown.
                let original = originals.get(&original)?;
                if original.deleted_at.is_some() {
                    return None;
                }
                let original = view(original)?;
                // As Mastodon: a boost shows what the viewer did to the boosted post.
                v.reblogged = original.reblogged;
                v.favourited = original.favourited;
                v.bookmarked = original.bookmarked;
                v.reblog = Some(Box::new(original));
            }
            Some(v)
        })
        .collect())
}

pub async fn post(ctx: &Context, viewer: Option<&Actor>, post: Post) -> CoreResult<PostView> {
    let mut list = posts(ctx, viewer, vec![post]).await?;
    list.pop().ok_or(crate::CoreError::NotFound)
}
