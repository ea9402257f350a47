//! Intents → activities and their recipients. The one place that decides who hears about
//! what, following Mastodon: posts go to the shared inboxes of the author's followers (unless
//! direct) and to everyone mentioned; follows and their answers go to the other party; likes
//! go to the post's author; boosts to followers and the original author.

use crate::{
    Federation, FederationError,
    activities::{
        follow::Follow,
        like::Like,
        undo::{Undo, Undone},
    },
    objects::note::note_from_post,
    protocol::{PUBLIC, addressing::address, with_context},
};
use passage_core::{
    Actor, Context, Post, accounts,
    db::queries::{deliveries, follows as fq},
    outbox::Intent,
    posts,
    urls::Urls,
    visibility::Visibility,
};
use serde_json::{Value, json};

/// An activity ready to store: its id, JSON, and the inboxes it goes to.
pub struct Rendered {
    pub id: String,
    pub body: Value,
    pub inboxes: Vec<String>,
}

fn inbox_of(actor: &Actor) -> String {
    actor
        .shared_inbox_url
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| actor.inbox_url.clone())
}

fn to_json<T: serde::Serialize>(activity: T) -> Result<Value, FederationError> {
    Ok(serde_json::to_value(with_context(activity))?)
}

/// Renders one intent of `actor` (a local actor). `None`: nothing to send any more (the post
/// it named is gone).
pub async fn render(
    ctx: &Context,
    actor: &Actor,
    intent: &Intent,
) -> Result<Option<Rendered>, FederationError> {
    let follow_parts = |follow_ap_id: &str, follower_id: i64, followee_id: i64| {
        let (follow_ap_id, ctx) = (follow_ap_id.to_owned(), ctx.clone());
        async move {
            let follower = accounts::by_id(&ctx, follower_id).await?;
            let followee = accounts::by_id(&ctx, followee_id).await?;
            let follow = Follow::new(&follow_ap_id, &follower.ap_id, &followee.ap_id)?;
            Ok::<_, FederationError>((follower, followee, follow))
        }
    };
    let rendered = match intent {
        Intent::Follow {
            follow_ap_id,
            follower_id,
            followee_id,
        } => {
            let (_, followee, follow) =
                follow_parts(follow_ap_id, *follower_id, *followee_id).await?;
            Rendered {
                id: follow_ap_id.clone(),
                body: to_json(follow)?,
                inboxes: vec![followee.inbox_url],
            }
        }
        Intent::AcceptFollow {
            follow_ap_id,
            follower_id,
            followee_id,
        }
        | Intent::RejectFollow {
            follow_ap_id,
            follower_id,
            followee_id,
        } => {
            let (follower, followee, follow) =
                follow_parts(follow_ap_id, *follower_id, *followee_id).await?;
            let kind = if matches!(intent, Intent::AcceptFollow { .. }) {
                "Accept"
            } else {
                "Reject"
            };
            let id = ctx.urls.new_activity();
            let body = to_json(
                json!({ "id": id, "type": kind, "actor": followee.ap_id, "object": follow }),
            )?;
            Rendered {
                id,
                body,
                inboxes: vec![follower.inbox_url],
            }
        }
        Intent::UndoFollow {
            follow_ap_id,
            follower_id,
            followee_id,
        } => {
            let (follower, followee, follow) =
                follow_parts(follow_ap_id, *follower_id, *followee_id).await?;
            let id = ctx.urls.new_activity();
            let undone = Undone {
                id: follow.id,
                kind: "Follow".into(),
                actor: follow.actor,
                object: json!(follow.object),
            };
            Rendered {
                body: to_json(Undo::new(&id, &follower.ap_id, undone)?)?,
                id,
                inboxes: vec![followee.inbox_url],
            }
        }
        Intent::CreatePost { post_id }
        | Intent::UpdatePost { post_id }
        | Intent::DeletePost { post_id } => {
            let post = posts::by_id(ctx, *post_id).await?;
            let inboxes = post_inboxes(ctx, actor, &post).await?;
            let body = match intent {
                Intent::CreatePost { .. } if post.deleted_at.is_some() => return Ok(None),
                Intent::CreatePost { .. } => create_for_post(ctx, actor, &post).await?,
                Intent::UpdatePost { .. } => {
                    let note = note_from_post(ctx, &post).await?;
                    let id = ctx.urls.new_activity();
                    to_json(
                        json!({ "id": id, "type": "Update", "actor": actor.ap_id, "to": note.to, "cc": note.cc, "object": note }),
                    )?
                }
                _ => delete_for_post(ctx, actor, &post).await?,
            };
            let id = body["id"].as_str().unwrap_or_default().to_owned();
            Rendered { id, body, inboxes }
        }
        Intent::Like {
            like_ap_id,
            post_id,
        }
        | Intent::UndoLike {
            like_ap_id,
            post_id,
        } => {
            let post = posts::by_id(ctx, *post_id).await?;
            let author = accounts::by_id(ctx, post.author_id).await?;
            let like = Like::new(like_ap_id, &actor.ap_id, &post.ap_id)?;
            let (id, body) = if matches!(intent, Intent::Like { .. }) {
                (like_ap_id.clone(), to_json(like)?)
            } else {
                let id = ctx.urls.new_activity();
                let undone = Undone {
                    id: like.id,
                    kind: "Like".into(),
                    actor: like.actor,
                    object: json!(like.object),
                };
                (id.clone(), to_json(Undo::new(&id, &actor.ap_id, undone)?)?)
            };
            Rendered {
                id,
                body,
                inboxes: vec![inbox_of(&author)],
            }
        }
        Intent::Announce { boost_id } => {
            let Ok(boost) = posts::by_id(ctx, *boost_id).await else {
                return Ok(None);
            };
            let original = passage_core::reactions::boosted_post(ctx, &boost).await?;
            let body = announce(ctx, actor, &boost.ap_id, &original, boost.published_at).await?;
            let inboxes = boost_inboxes(ctx, actor, &original).await?;
            Rendered {
                id: boost.ap_id,
                body,
                inboxes,
            }
        }
        Intent::UndoAnnounce {
            announce_ap_id,
            post_id,
        } => {
            let original = posts::by_id(ctx, *post_id).await?;
            let id = ctx.urls.new_activity();
            let undone = Undone {
                id: url::Url::parse(announce_ap_id)?,
                kind: "Announce".into(),
                actor: url::Url::parse(&actor.ap_id)?,
                object: json!(original.ap_id),
            };
            let body = to_json(Undo::new(&id, &actor.ap_id, undone)?)?;
            Rendered {
                id,
                body,
                inboxes: boost_inboxes(ctx, actor, &original).await?,
            }
        }
    };
    Ok(Some(rendered))
}

/// The `Create` of a post, as sent and as listed in the outbox.
pub async fn create_for_post(
    ctx: &Context,
    actor: &Actor,
    post: &Post,
) -> Result<Value, FederationError> {
    let note = note_from_post(ctx, post).await?;
    to_json(json!({
        "id": format!("{}/activity", post.ap_id),
        "type": "Create",
        "actor": actor.ap_id,
        "published": note.published,
        "to": note.to,
        "cc": note.cc,
        "object": note,
    }))
}

async fn delete_for_post(
    ctx: &Context,
    actor: &Actor,
    post: &Post,
) -> Result<Value, FederationError> {
    let mentions = mention_ids(ctx, post).await?;
    let followers = actor.followers_url.clone().unwrap_or_default();
    let (to, cc) = address(Visibility::parse(&post.visibility)?, &followers, &mentions);
    to_json(json!({
        "id": format!("{}#delete", post.ap_id),
        "type": "Delete",
        "actor": actor.ap_id,
        "to": to,
        "cc": cc,
        "object": { "id": post.ap_id, "type": "Tombstone" },
    }))
}

async fn announce(
    ctx: &Context,
    actor: &Actor,
    id: &str,
    original: &Post,
    published: passage_core::db::Timestamp,
) -> Result<Value, FederationError> {
    let author = accounts::by_id(ctx, original.author_id).await?;
    to_json(json!({
        "id": id,
        "type": "Announce",
        "actor": actor.ap_id,
        "published": published,
        "to": [PUBLIC],
        "cc": [author.ap_id, actor.followers_url],
        "object": original.ap_id,
    }))
}

async fn mention_ids(ctx: &Context, post: &Post) -> Result<Vec<String>, FederationError> {
    let mut ids = Vec::new();
    for id in posts::mentions(ctx, post).await? {
        ids.push(accounts::by_id(ctx, id).await?.ap_id);
    }
    Ok(ids)
}

async fn post_inboxes(
    ctx: &Context,
    author: &Actor,
    post: &Post,
) -> Result<Vec<String>, FederationError> {
    let mut inboxes = if post.visibility == Visibility::Direct.as_str() {
        Vec::new()
    } else {
        fq::remote_follower_inboxes(&ctx.db, author.id).await?
    };
    for id in posts::mentions(ctx, post).await? {
        let mentioned = accounts::by_id(ctx, id).await?;
        if !mentioned.local {
            inboxes.push(inbox_of(&mentioned));
        }
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

async fn boost_inboxes(
    ctx: &Context,
    booster: &Actor,
    original: &Post,
) -> Result<Vec<String>, FederationError> {
    let mut inboxes = fq::remote_follower_inboxes(&ctx.db, booster.id).await?;
    let author = accounts::by_id(ctx, original.author_id).await?;
    if !author.local {
        inboxes.push(inbox_of(&author));
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// Renders and stores every pending intent; returns how many were rendered.
pub async fn render_pending(fed: &Federation) -> Result<usize, FederationError> {
    use sea_orm::TransactionTrait;
    let mut rendered = 0;
    loop {
        let txn = fed.db.begin().await?;
        let intents = deliveries::oldest_intents(&txn, 50).await?;
        if intents.is_empty() {
            txn.commit().await?;
            return Ok(rendered);
        }
        // Rendering reads through the pool; on SQLite the pool has one connection, which the
        // transaction holds. So read what we need first, then write in a second transaction.
        txn.commit().await?;
        for row in intents {
            let intent = passage_core::outbox::parse(&row.intent)?;
            let actor = accounts::by_id(fed, row.actor_id).await?;
            let activity = render(fed, &actor, &intent).await?;
            let txn = fed.db.begin().await?;
            // Whoever deletes the intent owns it; another worker may have rendered it already.
            if !deliveries::delete_intent(&txn, row.id).await? {
                continue;
            }
            if let Some(activity) = activity {
                let mut targets: Vec<(String, String)> = Vec::new();
                for inbox in activity
                    .inboxes
                    .into_iter()
                    .filter(|inbox| !fed.urls.is_local(inbox))
                {
                    let Some(host) = Urls::host_of(&inbox) else {
                        continue;
                    };
                    let unreachable = deliveries::instance(&txn, &host)
                        .await?
                        .and_then(|i| i.unreachable_since);
                    if unreachable.is_some() {
                        tracing::info!(%host, "instance unreachable; not delivering");
                        continue;
                    }
                    targets.push((inbox, host));
                }
                let body = serde_json::to_string(&activity.body)?;
                deliveries::insert_activity(
                    &txn,
                    &activity.id,
                    actor.id,
                    body,
                    &targets,
                    passage_core::db::now(),
                )
                .await?;
            }
            txn.commit().await?;
            rendered += 1;
        }
    }
}
