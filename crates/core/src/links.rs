//! Object links (FEP-e232): a post or an event pointing to another object, most often a
//! resource ("the toolkit for this training"). Peers read them as `Link` tags whose media type
//! is ActivityStreams; readers here see them under the event, with their titles.
//!
//! Where links come from:
//! - an event names resources by id (`resource_ids`), each checked so the event never shows
//!   a title to someone who may not see the resource;
//! - a status that writes the address of one of our resources links it;
//! - a peer's post keeps the links it sent, tied to the post each names when it is known here.

use crate::{
    Actor, Context, Post,
    error::{CoreError, CoreResult},
    resources::{self, Access},
    visibility::Visibility,
};
use passage_db::entities::{post_links, posts as post_rows};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub type Link = post_links::Model;

/// Most links one post carries; further ones from peers are dropped.
pub const MAX_LINKS: usize = 10;

/// Longest link text kept from a peer, in characters.
const MAX_NAME_CHARS: usize = 200;

/// A link about to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLink {
    pub href: String,
    pub name: Option<String>,
    pub target_id: Option<i64>,
}

/// Links from an event of `host` (with `visibility`) to the resources `ids`, as `author` chose
/// them. A resource may be linked only if everyone who can see the event can see it:
/// public and unlisted ones from any event, followers-only ones from a followers-only event
/// of the same host, members-only ones never (an event is never for members only).
pub(crate) async fn to_resources(
    ctx: &Context,
    author: &Actor,
    host: &Actor,
    visibility: Visibility,
    ids: &[i64],
) -> CoreResult<Vec<NewLink>> {
    if ids.len() > MAX_LINKS {
        return Err(CoreError::Invalid(format!(
            "resource_ids: at most {MAX_LINKS}"
        )));
    }
    let mut links: Vec<NewLink> = Vec::with_capacity(ids.len());
    for &id in ids {
        let unknown = || CoreError::Invalid(format!("resource_ids: no resource {id}"));
        let shared = match resources::get(ctx, Some(author), id).await {
            Ok(shared) => shared,
            Err(CoreError::NotFound) => return Err(unknown()),
            Err(e) => return Err(e),
        };
        let fits = match Access::parse(&shared.resource.visibility)? {
            Access::Public | Access::Unlisted => true,
            Access::Followers => {
                visibility == Visibility::Private && shared.post.author_id == host.id
            }
            Access::Members => false,
        };
        if !fits {
            return Err(CoreError::Invalid(format!(
                "resource_ids: resource {id} is shared with fewer people than this event"
            )));
        }
        if links.iter().any(|l| l.target_id == Some(id)) {
            continue;
        }
        links.push(NewLink {
            href: shared.post.ap_id.clone(),
            name: shared.texts.first().map(|t| t.title.clone()),
            target_id: Some(id),
        });
    }
    Ok(links)
}

/// Links for the addresses of our own resources written in a status's text. The link text is
/// the address as written, so a link reveals nothing the text did not.
pub(crate) async fn in_text(ctx: &Context, text: &str) -> CoreResult<Vec<NewLink>> {
    let prefix = ctx.urls.resource("");
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    // Collected first: the finder cannot be held across an await.
    let found: Vec<String> = finder
        .links(text)
        .map(|l| l.as_str().to_owned())
        .filter(|href| href.starts_with(&prefix))
        .collect();
    let mut links: Vec<NewLink> = Vec::new();
    for href in &found {
        if links.iter().any(|l| &l.href == href) {
            continue;
        }
        let Some(post) = crate::posts::by_ap_id(ctx, href).await? else {
            continue;
        };
        if resources::of_post(&ctx.db, post.id).await?.is_some() {
            links.push(NewLink {
                href: href.clone(),
                name: Some(href.clone()),
                target_id: Some(post.id),
            });
        }
        if links.len() == MAX_LINKS {
            break;
        }
    }
    Ok(links)
}

/// Links a peer sent (address and text): web addresses only, at most [`MAX_LINKS`], each tied
/// to the post it names when that post is known here.
pub async fn from_peer(
    db: &impl ConnectionTrait,
    sent: &[(String, Option<String>)],
) -> CoreResult<Vec<NewLink>> {
    let mut links: Vec<NewLink> = Vec::new();
    for (href, name) in sent {
        if links.len() == MAX_LINKS {
            break;
        }
        let web = url::Url::parse(href).is_ok_and(|u| matches!(u.scheme(), "https" | "http"));
        if !web || href.len() > 2048 || links.iter().any(|l| &l.href == href) {
            continue;
        }
        let target = post_rows::Entity::find()
            .filter(post_rows::Column::ApId.eq(href.as_str()))
            .one(db)
            .await?;
        links.push(NewLink {
            href: href.clone(),
            name: name
                .as_deref()
                .map(|n| n.trim().chars().take(MAX_NAME_CHARS).collect::<String>())
                .filter(|n| !n.is_empty()),
            target_id: target.filter(|p| p.deleted_at.is_none()).map(|p| p.id),
        });
    }
    Ok(links)
}

/// The links as the last lines of a text, one per line ("📎 title"), for readers that show
/// only text (Mastodon shows an event's `summary`). Empty when there are none.
pub fn lines_html<'a>(links: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let lines: Vec<String> = links
        .into_iter()
        .map(|(href, name)| {
            let (href, name) = (
                crate::content::escape(href),
                crate::content::escape(name.unwrap_or(href)),
            );
            format!("📎 <a href=\"{href}\">{name}</a>")
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("<p>{}</p>", lines.join("<br>"))
}

/// Replaces the links of `post_id` with `links`, in order.
pub(crate) async fn replace(
    db: &impl ConnectionTrait,
    post_id: i64,
    links: &[NewLink],
) -> CoreResult<()> {
    post_links::Entity::delete_many()
        .filter(post_links::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    add(db, post_id, links).await
}

/// Records the links of a post that has none yet (just inserted).
pub(crate) async fn add(
    db: &impl ConnectionTrait,
    post_id: i64,
    links: &[NewLink],
) -> CoreResult<()> {
    if links.is_empty() {
        return Ok(());
    }
    let rows = links
        .iter()
        .enumerate()
        .map(|(n, l)| post_links::ActiveModel {
            post_id: sea_orm::ActiveValue::Set(post_id),
            position: sea_orm::ActiveValue::Set(n as i32),
            href: sea_orm::ActiveValue::Set(l.href.clone()),
            name: sea_orm::ActiveValue::Set(l.name.clone()),
            target_id: sea_orm::ActiveValue::Set(l.target_id),
        });
    post_links::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The links of each post, in order.
pub async fn of_posts(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> CoreResult<HashMap<i64, Vec<Link>>> {
    let mut by_post: HashMap<i64, Vec<Link>> = HashMap::new();
    if post_ids.is_empty() {
        return Ok(by_post);
    }
    for link in post_links::Entity::find()
        .filter(post_links::Column::PostId.is_in(post_ids.iter().copied()))
        .order_by_asc(post_links::Column::PostId)
        .order_by_asc(post_links::Column::Position)
        .all(db)
        .await?
    {
        by_post.entry(link.post_id).or_default().push(link);
    }
    Ok(by_post)
}

/// The links of one post, in order.
pub async fn of_post(db: &impl ConnectionTrait, post_id: i64) -> CoreResult<Vec<Link>> {
    Ok(of_posts(db, &[post_id])
        .await?
        .remove(&post_id)
        .unwrap_or_default())
}

/// The resources an event of ours links, by id, as the API takes them back.
pub fn resource_ids(links: &[Link]) -> Vec<i64> {
    links.iter().filter_map(|l| l.target_id).collect()
}

/// The links `viewer` may see, each with the post it names when that is stored here. A link
/// to a post the viewer may not see (or that is gone) is left out, so a title never reaches
/// someone the object is hidden from.
pub async fn visible_to(
    ctx: &Context,
    viewer: Option<&Actor>,
    links: Vec<Link>,
) -> CoreResult<Vec<(Link, Option<Post>)>> {
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        let Some(id) = link.target_id else {
            out.push((link, None));
            continue;
        };
        let post = crate::posts::by_id(ctx, id).await?;
        // Members-only resources are hidden from post rules but open to members.
        let seen = crate::posts::can_view(ctx, viewer, &post).await?
            || (post.deleted_at.is_none() && resources::get(ctx, viewer, id).await.is_ok());
        if seen {
            out.push((link, Some(post)));
        }
    }
    Ok(out)
}
