//! Posts: creation, edits and deletion by local authors, and the same operations arriving from
//! other servers. Deleted posts stay as tombstones (`deleted_at`) so their ids answer 410.

use crate::{
    Actor, Context, Post,
    content::{self, MentionLink},
    error::{CoreError, CoreResult, OrNotFound},
    notifications::{self, Kind},
    outbox::{self, Intent},
    streaming::Event,
    visibility::Visibility,
};
use passage_db::{
    Timestamp,
    entities::posts,
    now,
    queries::{follows as fq, posts as q},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, TransactionTrait};

mod remote;

pub use remote::{MAX_THREAD_DEPTH, RemotePost, upsert_remote};
pub(crate) use remote::{prepare as prepare_remote, remote_id};

/// Longest post text a local author may write, in characters.
pub const MAX_CHARS: usize = 5000;

/// A post a local author writes. Mentions are actors the caller has already resolved (remote
/// ones through federation's WebFinger lookup); they are linked in the text and addressed.
#[derive(Clone, Debug)]
pub struct NewPost {
    pub text: String,
    pub visibility: Visibility,
    pub in_reply_to: Option<i64>,
    pub language: Option<String>,
    pub summary: Option<String>,
    pub sensitive: bool,
    pub mentions: Vec<Actor>,
    /// Uploads of the author to attach, in order.
    pub media_ids: Vec<i64>,
    /// A client's `Idempotency-Key`: the same key from the same author returns the post it
    /// already made instead of a second one.
    pub idempotency_key: Option<String>,
    pub poll: Option<crate::polls::NewPoll>,
}

impl NewPost {
    pub fn public(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            visibility: Visibility::Public,
            in_reply_to: None,
            language: None,
            summary: None,
            sensitive: false,
            mentions: Vec::new(),
            media_ids: Vec::new(),
            idempotency_key: None,
            poll: None,
        }
    }
}

impl NewPost {
    /// What can be checked without the database: text, poll, and who a direct post is for.
    /// Scheduling checks the same, so a post never fails only when its time comes.
    pub(crate) fn check(&self) -> CoreResult<()> {
        if self.media_ids.is_empty() || !self.text.trim().is_empty() {
            check_text(&self.text)?;
        }
        if let Some(poll) = &self.poll {
            if !self.media_ids.is_empty() {
                return Err(CoreError::Invalid(
                    "a post cannot have both media and a poll".into(),
                ));
            }
            poll.check()?;
        }
        if self.visibility == Visibility::Direct && self.mentions.is_empty() {
            return Err(CoreError::Invalid(
                "a direct post must mention someone".into(),
            ));
        }
        Ok(())
    }
}

fn mention_links(ctx: &Context, mentions: &[Actor]) -> Vec<MentionLink> {
    mentions
        .iter()
        .flat_map(|a| {
            let url = a.url.clone().unwrap_or_else(|| a.ap_id.clone());
            let full = MentionLink {
                handle: format!("{}@{}", a.username, a.domain),
                url: url.clone(),
            };
            // Local actors may be written without their domain.
            let short = (a.domain == ctx.domain()).then(|| MentionLink {
                handle: a.username.clone(),
                url,
            });
            std::iter::once(full).chain(short)
        })
        .collect()
}

fn check_text(text: &str) -> CoreResult<()> {
    if text.trim().is_empty() {
        return Err(CoreError::Invalid("text can't be blank".into()));
    }
    if text.chars().count() > MAX_CHARS {
        return Err(CoreError::Invalid(format!(
            "text is longer than {MAX_CHARS} characters"
        )));
    }
    Ok(())
}

/// A local author publishes a post; followers and mentioned actors on other servers get a
/// Create. Direct posts must mention someone.
pub async fn create(ctx: &Context, author: &Actor, new: NewPost) -> CoreResult<Post> {
    if !author.local {
        return Err(CoreError::Forbidden(
            "only local actors post from here".into(),
        ));
    }
    if let Some(key) = &new.idempotency_key
        && let Some(done) = q::by_idempotency_key(&ctx.db, author.id, key).await?
    {
        return Ok(done);
    }
    new.check()?;
    let parent = match new.in_reply_to {
        Some(id) => {
            let parent = q::by_id(&ctx.db, id).await?.or_not_found()?;
            // Replying must not reveal a post the author cannot see.
            if !can_view(ctx, Some(author), &parent).await? {
                return Err(CoreError::NotFound);
            }
            Some(parent)
        }
        None => None,
    };
    let html = content::render_plain(
        &new.text,
        &mention_links(ctx, &new.mentions),
        &ctx.urls.tag(""),
    );
    let tags = content::hashtags_in(&new.text);
    let links = crate::links::in_text(ctx, &new.text).await?;
    let ap_id = ctx.urls.new_post();
    let language = new
        .language
        .or_else(|| ctx.config.instance.languages.first().cloned());
    let id = ctx.ids.next();
    let thread_id = parent.as_ref().map_or(id, |p| p.thread_id.unwrap_or(p.id));
    let txn = ctx.db.begin().await?;
    let media = crate::media::for_new_post(&txn, author, &new.media_ids).await?;
    let post = posts::ActiveModel {
        id: Set(id),
        ap_id: Set(ap_id),
        author_id: Set(author.id),
        url: Set(Some(ctx.urls.post_page(&author.username, id))),
        content: Set(html),
        source: Set(Some(new.text)),
        summary: Set(new.summary.filter(|s| !s.trim().is_empty())),
        // A moderator marked the author's media always sensitive.
        sensitive: Set(new.sensitive || (author.sensitized_at.is_some() && !media.is_empty())),
        language: Set(language),
        visibility: Set(new.visibility.as_str().to_owned()),
        in_reply_to_ap_id: Set(parent.as_ref().map(|p| p.ap_id.clone())),
        in_reply_to_id: Set(parent.map(|p| p.id)),
        reblog_of_id: Set(None),
        local: Set(true),
        published_at: Set(now()),
        edited_at: Set(None),
        deleted_at: Set(None),
        thread_id: Set(Some(thread_id)),
    }
    .insert(&txn)
    .await?;
    if let Some(poll) = &new.poll {
        crate::polls::insert(&txn, post.id, poll).await?;
    }
    let mention_ids: Vec<i64> = new.mentions.iter().map(|a| a.id).collect();
    q::set_mentions_and_tags(&txn, post.id, &mention_ids, &tags).await?;
    crate::links::replace(&txn, post.id, &links).await?;
    crate::emojis::set_local(&txn, post.id, &emoji_text(&post)).await?;
    crate::media::attach(&txn, media, post.id).await?;
    if let Some(key) = &new.idempotency_key {
        q::remember_idempotency_key(&txn, author.id, key, post.id).await?;
    }
    let mut events = vec![Event::Post(post.id)];
    for mentioned in &new.mentions {
        let to = mentioned.into();
        events.extend(
            notifications::record(&txn, to, author.id, Kind::Mention, Some(post.id)).await?,
        );
    }
    outbox::record(&txn, author.id, &Intent::CreatePost { post_id: post.id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish(events);
    crate::organisations::share_addressed(ctx, &post, &mention_ids).await;
    Ok(post)
}

/// Where a local post may use emoji: its text and its content warning.
fn emoji_text(post: &Post) -> String {
    format!(
        "{} {}",
        post.summary.as_deref().unwrap_or(""),
        post.source.as_deref().unwrap_or("")
    )
}

/// What an edit changes: the text, and the content warning and sensitivity when given.
#[derive(Clone, Debug, Default)]
pub struct Edit {
    pub text: String,
    pub summary: Option<String>,
    pub sensitive: Option<bool>,
}

impl Edit {
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            ..Default::default()
        }
    }
}

/// A local author edits a post; the version before is kept for its history, and recipients
/// get an Update.
pub async fn edit(ctx: &Context, author: &Actor, post_id: i64, change: Edit) -> CoreResult<Post> {
    let text = change.text.as_str();
    check_text(text)?;
    let post = own_post(ctx, author, post_id).await?;
    if !crate::events::of_posts(&ctx.db, &[post.id])
        .await?
        .is_empty()
    {
        return Err(CoreError::Invalid(
            "events are changed through /api/passage/v1/events".into(),
        ));
    }
    if crate::resources::of_post(&ctx.db, post.id).await?.is_some() {
        return Err(CoreError::Invalid(
            "resources are changed through /api/passage/v1/resources".into(),
        ));
    }
    let mentions = mentioned(ctx, &post).await?;
    let mention_ids: Vec<i64> = mentions.iter().map(|a| a.id).collect();
    let html = content::render_plain(text, &mention_links(ctx, &mentions), &ctx.urls.tag(""));
    let tags = content::hashtags_in(text);
    let links = crate::links::in_text(ctx, text).await?;
    let txn = ctx.db.begin().await?;
    keep_version(&txn, &post).await?;
    let mut row: posts::ActiveModel = post.into();
    row.content = Set(html);
    row.source = Set(Some(text.to_owned()));
    if let Some(summary) = change.summary {
        row.summary = Set(Some(summary).filter(|s| !s.trim().is_empty()));
    }
    if let Some(sensitive) = change.sensitive {
        row.sensitive = Set(sensitive);
    }
    row.edited_at = Set(Some(now()));
    let post = row.update(&txn).await?;
    q::set_mentions_and_tags(&txn, post.id, &mention_ids, &tags).await?;
    crate::links::replace(&txn, post.id, &links).await?;
    crate::emojis::set_local(&txn, post.id, &emoji_text(&post)).await?;
    outbox::record(&txn, author.id, &Intent::UpdatePost { post_id: post.id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([Event::Edited(post.id)]);
    Ok(post)
}

/// A local author deletes a post: it becomes a tombstone and recipients get a Delete.
pub async fn delete(ctx: &Context, author: &Actor, post_id: i64) -> CoreResult<()> {
    let post = own_post(ctx, author, post_id).await?;
    let txn = ctx.db.begin().await?;
    tombstone(&txn, post).await?;
    outbox::record(&txn, author.id, &Intent::DeletePost { post_id }).await?;
    txn.commit().await?;
    outbox::notify(ctx);
    ctx.stream.publish([Event::Deleted(post_id)]);
    Ok(())
}

async fn own_post(ctx: &Context, author: &Actor, post_id: i64) -> CoreResult<Post> {
    let post = q::by_id(&ctx.db, post_id).await?.or_not_found()?;
    if post.author_id != author.id || !author.local {
        return Err(CoreError::Forbidden("not the author of this post".into()));
    }
    if post.deleted_at.is_some() || post.reblog_of_id.is_some() {
        return Err(CoreError::NotFound);
    }
    Ok(post)
}

pub(crate) async fn tombstone(db: &impl ConnectionTrait, post: Post) -> CoreResult<Post> {
    let mut row: posts::ActiveModel = post.into();
    row.content = Set(String::new());
    row.source = Set(None);
    row.summary = Set(None);
    row.deleted_at = Set(Some(now()));
    let post = row.update(db).await?;
    // Mentions stay: they are who the Delete must reach (a direct post has no other audience).
    q::clear_tags(db, post.id).await?;
    Ok(post)
}

/// Stores `post` as it is now, before an edit changes it.
pub(super) async fn keep_version(db: &impl ConnectionTrait, post: &Post) -> CoreResult<()> {
    use passage_db::entities::post_versions;
    post_versions::ActiveModel {
        post_id: Set(post.id),
        content: Set(post.content.clone()),
        summary: Set(post.summary.clone()),
        sensitive: Set(post.sensitive),
        created_at: Set(post.edited_at.unwrap_or(post.published_at)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A post's versions, oldest first, ending with the current one (Mastodon's edit history).
pub async fn history(
    ctx: &Context,
    post: &Post,
) -> CoreResult<Vec<passage_db::entities::post_versions::Model>> {
    use passage_db::entities::post_versions;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mut versions = post_versions::Entity::find()
        .filter(post_versions::Column::PostId.eq(post.id))
        .order_by_asc(post_versions::Column::Id)
        .all(&ctx.db)
        .await?;
    versions.push(post_versions::Model {
        id: 0,
        post_id: post.id,
        content: post.content.clone(),
        summary: post.summary.clone(),
        sensitive: post.sensitive,
        created_at: post.edited_at.unwrap_or(post.published_at),
    });
    Ok(versions)
}

/// A remote actor deleted one of its posts (or boosts).
pub async fn receive_delete(ctx: &Context, actor: &Actor, ap_id: &str) -> CoreResult<()> {
    let Some(post) = q::by_ap_id(&ctx.db, ap_id).await? else {
        return remember_deleted(ctx, actor, ap_id).await;
    };
    if post.author_id != actor.id {
        return Err(CoreError::Forbidden(
            "only the author may delete a post".into(),
        ));
    }
    if post.deleted_at.is_none() {
        let id = post.id;
        tombstone(&ctx.db, post).await?;
        ctx.stream.publish([Event::Deleted(id)]);
    }
    Ok(())
}

/// Delete wins: a `Delete` that overtakes its `Create` (queues and retries reorder them)
/// leaves an empty tombstone, so the late `Create` or `Update` finds the post already deleted
/// ([`upsert_remote`] keeps tombstones). Federation has checked that the id is on the actor's
/// own server, so nobody can pre-empt another server's posts.
async fn remember_deleted(ctx: &Context, actor: &Actor, ap_id: &str) -> CoreResult<()> {
    use sea_orm::EntityTrait;
    if actor.local || ctx.urls.is_local(ap_id) {
        return Ok(());
    }
    let at = now();
    let id = remote_id(ctx, at, ap_id).await?;
    let row = posts::ActiveModel {
        // Never listed anywhere; `direct` keeps it out of every public query by construction.
        visibility: Set(Visibility::Direct.as_str().to_owned()),
        deleted_at: Set(Some(at)),
        thread_id: Set(Some(id)),
        ..contentless_row(id, ap_id, actor.id, false, at)
    };
    match posts::Entity::insert(row)
        .exec_without_returning(&ctx.db)
        .await
    {
        Ok(_) => Ok(()),
        // The post arrived meanwhile: delete it the usual way.
        Err(e) if passage_db::is_unique_violation(&e) => match q::by_ap_id(&ctx.db, ap_id).await? {
            Some(post) if post.author_id == actor.id && post.deleted_at.is_none() => {
                let id = post.id;
                tombstone(&ctx.db, post).await?;
                ctx.stream.publish([Event::Deleted(id)]);
                Ok(())
            }
            _ => Ok(()),
        },
        Err(e) => Err(e.into()),
    }
}

/// A post row without text or links, public and live: a boost sets what it boosts, a
/// tombstone when it was deleted.
pub(crate) fn contentless_row(
    id: i64,
    ap_id: &str,
    author_id: i64,
    local: bool,
    at: Timestamp,
) -> posts::ActiveModel {
    posts::ActiveModel {
        id: Set(id),
        ap_id: Set(ap_id.to_owned()),
        author_id: Set(author_id),
        url: Set(None),
        content: Set(String::new()),
        source: Set(None),
        summary: Set(None),
        sensitive: Set(false),
        language: Set(None),
        visibility: Set(Visibility::Public.as_str().to_owned()),
        in_reply_to_ap_id: Set(None),
        in_reply_to_id: Set(None),
        reblog_of_id: Set(None),
        local: Set(local),
        published_at: Set(at),
        edited_at: Set(None),
        deleted_at: Set(None),
        thread_id: Set(None),
    }
}

/// Live posts written here, for instance statistics.
pub async fn count_local(ctx: &Context) -> CoreResult<u64> {
    Ok(q::count_local(&ctx.db).await?)
}

pub async fn by_id(ctx: &Context, id: i64) -> CoreResult<Post> {
    q::by_id(&ctx.db, id).await?.or_not_found()
}

pub async fn by_ap_id(ctx: &Context, ap_id: &str) -> CoreResult<Option<Post>> {
    Ok(q::by_ap_id(&ctx.reader, ap_id).await?)
}

/// The actors a post mentions (one query for all of them).
pub async fn mentioned(ctx: &Context, post: &Post) -> CoreResult<Vec<Actor>> {
    let ids = q::mention_ids(&ctx.db, post.id).await?;
    Ok(passage_db::queries::actors::by_ids(&ctx.db, &ids).await?)
}

pub async fn tags(ctx: &Context, post: &Post) -> CoreResult<Vec<String>> {
    Ok(q::tags(&ctx.db, post.id).await?)
}

/// May `viewer` (None: anonymous or an unverified fetcher) see `post`? Public and unlisted
/// posts: everyone but those its author blocks. Followers-only: the author, accepted
/// followers and mentioned actors. Direct: the author and mentioned actors.
///
/// This is the one place that decides; every read path (API, pages, documents, timelines,
/// lists, bookmarks, streams, exports) asks it or filters by the same rule in its query.
pub async fn can_view(ctx: &Context, viewer: Option<&Actor>, post: &Post) -> CoreResult<bool> {
    if post.deleted_at.is_some() {
        return Ok(false);
    }
    let visibility = Visibility::parse(&post.visibility)?;
    let Some(viewer) = viewer else {
        return Ok(visibility.is_public());
    };
    if viewer.id != post.author_id
        && crate::blocks::blocks_viewer(&ctx.db, post.author_id, viewer.id).await?
    {
        return Ok(false);
    }
    if visibility.is_public() {
        return Ok(true);
    }
    if viewer.id == post.author_id || q::mention_ids(&ctx.db, post.id).await?.contains(&viewer.id) {
        return Ok(true);
    }
    if visibility == Visibility::Private {
        let follow = fq::find_pair(&ctx.db, viewer.id, post.author_id).await?;
        return Ok(follow.is_some_and(|f| f.accepted));
    }
    Ok(false)
}

/// Tombstones every live post of an author (a purged account); their ids, for the streams.
pub(crate) async fn tombstone_all_by(
    db: &impl ConnectionTrait,
    author_id: i64,
) -> CoreResult<Vec<i64>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let live = posts::Entity::find()
        .filter(posts::Column::AuthorId.eq(author_id))
        .filter(posts::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let mut ids = Vec::with_capacity(live.len());
    for post in live {
        ids.push(tombstone(db, post).await?.id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{context, person};

    #[tokio::test]
    async fn replies_need_a_visible_parent_and_direct_posts_a_recipient() {
        let ctx = context().await;
        let (ana, bea, cem) = (
            person(&ctx, "ana").await,
            person(&ctx, "bea").await,
            person(&ctx, "cem").await,
        );
        let mut dm = NewPost::public("for bea only");
        dm.visibility = Visibility::Direct;
        assert!(matches!(
            create(&ctx, &ana, dm.clone()).await,
            Err(CoreError::Invalid(_))
        ));
        dm.mentions = vec![bea.clone()];
        let dm = create(&ctx, &ana, dm).await.unwrap();

        let mut reply = NewPost::public("replying");
        reply.in_reply_to = Some(dm.id);
        assert!(matches!(
            create(&ctx, &cem, reply.clone()).await,
            Err(CoreError::NotFound)
        ));
        let answer = create(&ctx, &bea, reply).await.unwrap();
        assert_eq!(answer.in_reply_to_ap_id.as_deref(), Some(dm.ap_id.as_str()));
    }

    #[tokio::test]
    async fn only_the_author_edits_or_deletes_and_tombstones_keep_their_audience() {
        let ctx = context().await;
        let (ana, bea) = (person(&ctx, "ana").await, person(&ctx, "bea").await);
        let mut dm = NewPost::public("hello #policy");
        dm.visibility = Visibility::Direct;
        dm.mentions = vec![bea.clone()];
        let post = create(&ctx, &ana, dm).await.unwrap();
        assert!(matches!(
            edit(&ctx, &bea, post.id, Edit::text("mine now")).await,
            Err(CoreError::Forbidden(_))
        ));
        assert!(matches!(
            delete(&ctx, &bea, post.id).await,
            Err(CoreError::Forbidden(_))
        ));

        delete(&ctx, &ana, post.id).await.unwrap();
        let gone = by_id(&ctx, post.id).await.unwrap();
        assert!(gone.deleted_at.is_some() && gone.content.is_empty());
        assert!(tags(&ctx, &gone).await.unwrap().is_empty());
        assert_eq!(
            mentioned(&ctx, &gone).await.unwrap().len(),
            1,
            "the Delete's audience"
        );
        assert!(!can_view(&ctx, Some(&bea), &gone).await.unwrap());
    }
}
