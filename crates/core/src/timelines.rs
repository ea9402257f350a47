//! Timelines: which posts a member sees, page by page (keyset pagination by post id, which
//! follows publication time because post ids are snowflakes).

use crate::{
    Actor, Context, Post,
    error::CoreResult,
    posts::can_view,
    visibility::{FOR_EVERYONE, FOR_FOLLOWERS},
};
use passage_db::{
    Page,
    queries::{
        follows as fq,
        posts::{self as q, AuthorFilter, PublicFilter},
    },
};

/// The home timeline: the member's own posts, what the accounts they follow (accepted) post
/// for followers or everyone, and posts that mention them. Newest first.
pub async fn home(ctx: &Context, viewer: &Actor, page: Page) -> CoreResult<Vec<Post>> {
    Ok(q::home(&ctx.reader, viewer.id, &FOR_FOLLOWERS, page).await?)
}

/// The public timeline (the whole known network, or only this instance), or one hashtag.
pub async fn public(ctx: &Context, filter: &PublicFilter, page: Page) -> CoreResult<Vec<Post>> {
    // Limited and suspended domains stay off public timelines (their followers still see
    // limited ones at home), and so does anything not allowed in allow-list mode.
    let mut filter = filter.clone();
    filter.hidden = crate::moderation::policy(ctx)
        .await?
        .off_public_timelines(passage_db::now());
    Ok(q::public(&ctx.reader, &filter, page).await?)
}

/// An account's posts as `viewer` may see them: followers-only posts to its accepted
/// followers and itself, direct posts only to itself (a direct post shows in the home
/// timeline of those it mentions instead).
pub async fn by_author(
    ctx: &Context,
    viewer: Option<&Actor>,
    author: &Actor,
    filter: &AuthorFilter,
    page: Page,
) -> CoreResult<Vec<Post>> {
    let visibilities: &[&str] = match viewer {
        Some(v) if v.id == author.id => &["public", "unlisted", "private", "direct"],
        Some(v) => match fq::find_pair(&ctx.reader, v.id, author.id).await? {
            Some(f) if f.accepted => &FOR_FOLLOWERS,
            _ => &FOR_EVERYONE,
        },
        None => &FOR_EVERYONE,
    };
    Ok(q::by_author(&ctx.reader, author.id, visibilities, filter, page).await?)
}

/// How far a thread is followed each way.
const MAX_THREAD: usize = 4096;

/// The thread around a post: the chain of parents (oldest first) and every reply below it,
/// level by level, leaving out what `viewer` may not see.
pub async fn context(
    ctx: &Context,
    viewer: Option<&Actor>,
    post: &Post,
) -> CoreResult<(Vec<Post>, Vec<Post>)> {
    // Every walk is bounded in steps and remembers where it has been, so a loop in stored
    // data (which writes refuse, but older rows may hold) costs at most MAX_THREAD reads.
    let mut seen = std::collections::HashSet::from([post.id]);
    let mut ancestors = Vec::new();
    let mut parent = post.in_reply_to_id;
    while let Some(id) = parent {
        if seen.len() > MAX_THREAD || !seen.insert(id) {
            break;
        }
        let Some(p) = q::by_id(&ctx.reader, id).await? else {
            break;
        };
        parent = p.in_reply_to_id;
        if can_view(ctx, viewer, &p).await? {
            ancestors.push(p);
        }
    }
    ancestors.reverse();

    let mut descendants = Vec::new();
    let mut level = vec![post.id];
    let mut steps = 0;
    while !level.is_empty() && steps < MAX_THREAD {
        let replies = q::replies_to(&ctx.reader, &level, (MAX_THREAD - steps) as u64).await?;
        level.clear();
        for reply in replies {
            steps += 1;
            if !seen.insert(reply.id) {
                continue;
            }
            level.push(reply.id);
            if can_view(ctx, viewer, &reply).await? {
                descendants.push(reply);
            }
        }
    }
    Ok((ancestors, descendants))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{context, person};
    use passage_db::entities::{follows, posts};
    use sea_orm::{ActiveValue::Set, EntityTrait};

    /// A public post by `author`, `days` ago, with the id of its time.
    async fn post_days_ago(ctx: &Context, author: &Actor, days: i64) -> i64 {
        let at = chrono::Utc::now().fixed_offset() - chrono::Duration::days(days);
        let id = ctx.ids.at(at, days as u64);
        posts::Entity::insert(posts::ActiveModel {
            id: Set(id),
            ap_id: Set(format!("{}/statuses/{id}", author.ap_id)),
            author_id: Set(author.id),
            url: Set(None),
            content: Set(format!("{days} days ago")),
            source: Set(None),
            summary: Set(None),
            sensitive: Set(false),
            language: Set(None),
            visibility: Set("public".into()),
            in_reply_to_ap_id: Set(None),
            in_reply_to_id: Set(None),
            reblog_of_id: Set(None),
            local: Set(true),
            published_at: Set(at),
            edited_at: Set(None),
            deleted_at: Set(None),
            thread_id: Set(Some(id)),
        })
        .exec(&ctx.db)
        .await
        .unwrap();
        id
    }

    #[tokio::test]
    async fn home_reaches_past_the_recent_window_when_it_holds_too_little() {
        let ctx = context().await;
        let (ana, bea, cem) = (
            person(&ctx, "ana").await,
            person(&ctx, "bea").await,
            person(&ctx, "cem").await,
        );
        follows::Entity::insert(follows::ActiveModel {
            ap_id: Set("https://example.org/follows/1".into()),
            follower_id: Set(ana.id),
            followee_id: Set(bea.id),
            accepted: Set(true),
            created_at: Set(passage_db::now()),
            ..Default::default()
        })
        .exec(&ctx.db)
        .await
        .unwrap();
        let old = post_days_ago(&ctx, &bea, 30).await;
        let older = post_days_ago(&ctx, &bea, 60).await;
        let recent = post_days_ago(&ctx, &bea, 1).await;
        post_days_ago(&ctx, &cem, 2).await; // not followed
        let page = |max_id, limit| Page {
            max_id,
            limit,
            ..Default::default()
        };
        let ids = |posts: Vec<Post>| posts.iter().map(|p| p.id).collect::<Vec<_>>();
        let full = home(&ctx, &ana, page(None, 20)).await.unwrap();
        assert_eq!(ids(full), [recent, old, older]);
        let two = home(&ctx, &ana, page(None, 2)).await.unwrap();
        assert_eq!(ids(two), [recent, old]);
        let scrolled = home(&ctx, &ana, page(Some(old), 20)).await.unwrap();
        assert_eq!(ids(scrolled), [older]);
    }
}
