//! Posts from other servers: read and checked ([`prepare`]), then written in one transaction
//! with their mentions, tags, links, emoji, media and poll ([`PreparedRemote::write`]), alone
//! ([`upsert_remote`]) or with the event they carry (`events::upsert_remote`).

use super::keep_version;
use crate::{
    Actor, Context, Post, content,
    error::{CoreError, CoreResult},
    notifications::{self, Kind},
    streaming::Event,
    visibility::Visibility,
};
use passage_db::{Timestamp, entities::posts, queries::posts as q};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};

/// A post from another server, checked for origin by federation; `content_html` is not yet
/// sanitised.
#[derive(Clone, Debug)]
pub struct RemotePost {
    pub ap_id: String,
    pub url: Option<String>,
    pub content_html: String,
    pub summary: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    pub visibility: Visibility,
    pub in_reply_to_ap_id: Option<String>,
    pub published: Timestamp,
    pub edited: Option<Timestamp>,
    pub mentions: Vec<i64>,
    pub tags: Vec<String>,
    pub media: Vec<crate::media::RemoteMedia>,
    pub poll: Option<crate::polls::RemotePoll>,
    pub emojis: Vec<crate::emojis::RemoteEmoji>,
    /// Object links (FEP-e232): each address with the text it was given.
    pub links: Vec<(String, Option<String>)>,
}

/// Stores a remote post, or refreshes it when the id is already known (Update, re-fetch).
/// Only its author may change it; a tombstoned post stays deleted.
pub async fn upsert_remote(ctx: &Context, author: &Actor, remote: RemotePost) -> CoreResult<Post> {
    let prepared = match prepare(ctx, author, remote).await? {
        Ok(prepared) => prepared,
        Err(tombstone) => return Ok(tombstone),
    };
    let txn = ctx.db.begin().await?;
    let (post, events) = prepared.write(&txn).await?;
    txn.commit().await?;
    ctx.stream.publish(events);
    Ok(post)
}

/// A remote post read and checked, its row built: all the reads are done, so it can be
/// written inside a transaction together with what a richer object adds (an event).
pub(crate) struct PreparedRemote {
    author: Actor,
    existing: Option<Post>,
    row: posts::ActiveModel,
    html: String,
    edited: Option<Timestamp>,
    mentions: Vec<i64>,
    tags: Vec<String>,
    links: Vec<crate::links::NewLink>,
    emojis: Vec<crate::emojis::RemoteEmoji>,
    media: Vec<crate::media::RemoteMedia>,
    poll: Option<crate::polls::RemotePoll>,
}

/// Reads what writing `remote` needs. Err holds the post when it is a tombstone: it stays so.
pub(crate) async fn prepare(
    ctx: &Context,
    author: &Actor,
    remote: RemotePost,
) -> CoreResult<Result<PreparedRemote, Post>> {
    if author.local || ctx.urls.is_local(&remote.ap_id) {
        return Err(CoreError::Forbidden(
            "remote posts cannot use local ids".into(),
        ));
    }
    let existing = q::by_ap_id(&ctx.reader, &remote.ap_id).await?;
    if let Some(post) = &existing {
        if post.author_id != author.id {
            return Err(CoreError::Forbidden(
                "only the author may change a post".into(),
            ));
        }
        if post.deleted_at.is_some() {
            return Ok(Err(post.clone()));
        }
    }
    let parent = match &remote.in_reply_to_ap_id {
        Some(id) => q::by_ap_id(&ctx.reader, id).await?,
        None => None,
    };
    let id_for_new = match &existing {
        Some(post) => post.id,
        None => remote_id(ctx, remote.published, &remote.ap_id).await?,
    };
    // A reply to itself, or to one of its own replies, would make a loop of the thread.
    let parent = match parent {
        Some(p) if replies_lead_to(ctx, &p, id_for_new).await? => None,
        other => other,
    };
    let thread_id = parent
        .as_ref()
        .map_or(id_for_new, |p| p.thread_id.unwrap_or(p.id));
    let mut row = match &existing {
        Some(post) => posts::ActiveModel::from(post.clone()),
        None => posts::ActiveModel {
            id: Set(id_for_new),
            ap_id: Set(remote.ap_id.clone()),
            author_id: Set(author.id),
            local: Set(false),
            reblog_of_id: Set(None),
            deleted_at: Set(None),
            source: Set(None),
            published_at: Set(remote.published),
            thread_id: Set(Some(thread_id)),
            ..Default::default()
        },
    };
    row.url = Set(remote
        .url
        .as_deref()
        .and_then(crate::urls::Urls::web_address));
    let html = content::sanitize(&remote.content_html);
    row.content = Set(html.clone());
    row.summary = Set(remote
        .summary
        .map(|s| content::sanitize(&s))
        .filter(|s| !s.is_empty()));
    row.sensitive = Set(remote.sensitive);
    row.language = Set(remote.language);
    row.visibility = Set(remote.visibility.as_str().to_owned());
    row.in_reply_to_ap_id = Set(remote.in_reply_to_ap_id);
    row.in_reply_to_id = Set(parent.map(|p| p.id));
    row.edited_at = Set(remote.edited);
    // The domain's policy: media and emoji dropped, media marked sensitive, or its public
    // posts kept to followers (as Akkoma's `followers_only`).
    let flags = crate::moderation::verdict(ctx, &author.domain).await?.flags;
    if flags.followers_only && remote.visibility.is_public() {
        row.visibility = Set(Visibility::Private.as_str().to_owned());
    }
    let (media, emojis) = if flags.reject_media {
        (Vec::new(), Vec::new())
    } else {
        (remote.media, remote.emojis)
    };
    if flags.media_sensitive && !media.is_empty() {
        row.sensitive = Set(true);
    }
    let links = crate::links::from_peer(&ctx.db, &remote.links).await?;
    Ok(Ok(PreparedRemote {
        author: author.clone(),
        existing,
        row,
        html,
        edited: remote.edited,
        mentions: remote.mentions,
        tags: remote.tags,
        links,
        emojis,
        media,
        poll: remote.poll,
    }))
}

impl PreparedRemote {
    /// Writes the post with its mentions, tags, links, emoji, media and poll in `txn`; the
    /// live events to publish once `txn` commits.
    pub(crate) async fn write(
        self,
        txn: &sea_orm::DatabaseTransaction,
    ) -> CoreResult<(Post, Vec<Event>)> {
        let Self {
            author,
            existing,
            row,
            html,
            edited,
            mentions,
            tags,
            links,
            emojis,
            media,
            poll,
        } = self;
        let mut events = Vec::new();
        let post = if let Some(before) = &existing {
            // A re-fetch of the same version is not an edit.
            if before.content != html || edited != before.edited_at {
                keep_version(txn, before).await?;
            }
            let post = row.update(txn).await?;
            events.push(Event::Edited(post.id));
            post
        } else {
            let post = row.insert(txn).await?;
            events.push(Event::Post(post.id));
            for mentioned in passage_db::queries::actors::by_ids(txn, &mentions).await? {
                let to = (&mentioned).into();
                events.extend(
                    notifications::record(txn, to, author.id, Kind::Mention, Some(post.id)).await?,
                );
            }
            post
        };
        let new_post = existing.is_none();
        if new_post {
            q::add_mentions_and_tags(txn, post.id, &mentions, &tags).await?;
            crate::links::add(txn, post.id, &links).await?;
        } else {
            q::set_mentions_and_tags(txn, post.id, &mentions, &tags).await?;
            crate::links::replace(txn, post.id, &links).await?;
        }
        let text = format!("{} {}", post.summary.as_deref().unwrap_or(""), post.content);
        crate::emojis::set_remote(txn, post.id, new_post, &author.domain, &text, &emojis).await?;
        crate::media::set_remote(txn, &author, post.id, new_post, &media).await?;
        if let Some(poll) = &poll {
            crate::polls::set_remote(txn, post.id, poll).await?;
        }
        Ok((post, events))
    }
}

/// Whether walking up from `post` through what it replies to reaches `target` (or loops, or
/// runs past [`MAX_THREAD_DEPTH`]): then `target` may not reply to `post`.
async fn replies_lead_to(ctx: &Context, post: &Post, target: i64) -> CoreResult<bool> {
    let mut seen = std::collections::HashSet::new();
    let mut at = Some(post.clone());
    while let Some(p) = at {
        if p.id == target || !seen.insert(p.id) || seen.len() > MAX_THREAD_DEPTH {
            return Ok(true);
        }
        at = match p.in_reply_to_id {
            Some(parent) => q::by_id(&ctx.reader, parent).await?,
            None => None,
        };
    }
    Ok(false)
}

/// The longest chain of replies kept: deeper ones start a thread of their own.
pub const MAX_THREAD_DEPTH: usize = 1024;

/// The id of a post (or boost) that arrives from elsewhere: placed at its publication time,
/// so timelines ordered by id stay in publication order. A taken id moves to the next free one.
pub(crate) async fn remote_id(ctx: &Context, published: Timestamp, ap_id: &str) -> CoreResult<i64> {
    // FNV-1a: a stable spread of same-millisecond posts, no cryptographic need.
    let salt = ap_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut id = ctx.ids.at(published, salt);
    while q::by_id(&ctx.reader, id).await?.is_some() {
        id += 1;
    }
    Ok(id)
}
