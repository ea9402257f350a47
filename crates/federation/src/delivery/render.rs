//! Intents → activities and their recipients. The one place that decides who hears about
//! what, following Mastodon: posts go to the shared inboxes of the author's followers (unless
//! direct) and to everyone mentioned; follows and their answers go to the other party; likes
//! go to the post's author; boosts to followers and the original author; votes on a poll to
//! its author only, so who voted what stays between voter and author.

use crate::{
    Federation, FederationError,
    activities::{
        follow::Follow,
        like::Like,
        r#move::Move,
        undo::{Undo, Undone},
    },
    objects::{actor::actor_document, note::note_from_post},
    protocol::{PUBLIC, addressing::address, note::NoteDocument, with_context},
};
use passage_core::{
    Actor, Context, Post, accounts,
    db::{
        entities::outbox_intents,
        now,
        queries::{deliveries, follows as fq},
    },
    outbox::{FollowRef, Intent},
    polls, posts,
    urls::Urls,
    visibility::Visibility,
};
use sea_orm::{EntityTrait, TransactionTrait};
use serde_json::{Value, json};
use url::Url;

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
    Ok(Some(match intent {
        Intent::Follow(f) => {
            let (_, followee, follow) = follow_of(ctx, f).await?;
            Rendered {
                id: f.follow_ap_id.clone(),
                body: to_json(follow)?,
                inboxes: vec![followee.inbox_url],
            }
        }
        Intent::AcceptFollow(f) | Intent::RejectFollow(f) => {
            let (follower, followee, follow) = follow_of(ctx, f).await?;
            let kind = if matches!(intent, Intent::AcceptFollow(_)) {
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
        Intent::UndoFollow(f) => {
            let (follower, followee, follow) = follow_of(ctx, f).await?;
            let inboxes = vec![followee.inbox_url];
            undo(
                ctx,
                &follower,
                "Follow",
                &f.follow_ap_id,
                &follow.object,
                inboxes,
            )?
        }
        Intent::CreatePost { post_id }
        | Intent::UpdatePost { post_id }
        | Intent::DeletePost { post_id } => {
            let post = posts::by_id(ctx, *post_id).await?;
            if matches!(intent, Intent::CreatePost { .. }) && post.deleted_at.is_some() {
                return Ok(None);
            }
            let mentioned = posts::mentioned(ctx, &post).await?;
            let body = match intent {
                Intent::CreatePost { .. } => create_for_post(ctx, actor, &post).await?,
                Intent::UpdatePost { .. } => {
                    let note = note_from_post(ctx, &post).await?;
                    let id = ctx.urls.new_activity();
                    wrap_note("Update", &id, actor, note)?
                }
                _ => delete_for_post(actor, &post, &mentioned)?,
            };
            Rendered {
                id: body["id"].as_str().unwrap_or_default().to_owned(),
                body,
                inboxes: post_inboxes(ctx, actor, &post, &mentioned).await?,
            }
        }
        Intent::Like {
            like_ap_id,
            post_id,
        } => {
            let (post, author) = post_and_author(ctx, *post_id).await?;
            Rendered {
                id: like_ap_id.clone(),
                body: to_json(Like::new(like_ap_id, &actor.ap_id, &post.ap_id)?)?,
                inboxes: vec![inbox_of(&author)],
            }
        }
        Intent::UndoLike {
            like_ap_id,
            post_id,
        } => {
            let (post, author) = post_and_author(ctx, *post_id).await?;
            let object = Url::parse(&post.ap_id)?;
            undo(
                ctx,
                actor,
                "Like",
                like_ap_id,
                &object,
                vec![inbox_of(&author)],
            )?
        }
        Intent::Announce { boost_id } => {
            let Ok(boost) = posts::by_id(ctx, *boost_id).await else {
                return Ok(None);
            };
            let original_id = boost.reblog_of_id.ok_or(FederationError::NotFound)?;
            let (original, author) = post_and_author(ctx, original_id).await?;
            let body = to_json(json!({
                "id": boost.ap_id,
                "type": "Announce",
                "actor": actor.ap_id,
                "published": boost.published_at,
                "to": [PUBLIC],
                "cc": [author.ap_id, actor.followers_url],
                "object": original.ap_id,
            }))?;
            Rendered {
                id: boost.ap_id,
                body,
                inboxes: boost_inboxes(ctx, actor, &author).await?,
            }
        }
        Intent::UndoAnnounce {
            announce_ap_id,
            post_id,
        } => {
            let (original, author) = post_and_author(ctx, *post_id).await?;
            let object = Url::parse(&original.ap_id)?;
            let inboxes = boost_inboxes(ctx, actor, &author).await?;
            undo(ctx, actor, "Announce", announce_ap_id, &object, inboxes)?
        }
        Intent::PollVote { vote_id } => {
            let (vote, post, option) = polls::vote_by_id(ctx, *vote_id).await?;
            let author = accounts::by_id(ctx, post.author_id).await?;
            let note_id = vote.ap_id.ok_or(FederationError::NotFound)?;
            let id = format!("{note_id}/activity");
            let body = to_json(json!({
                "id": id,
                "type": "Create",
                "actor": actor.ap_id,
                "to": [author.ap_id],
                "object": {
                    "id": note_id,
                    "type": "Note",
                    "name": option,
                    "attributedTo": actor.ap_id,
                    "to": [author.ap_id],
                    "inReplyTo": post.ap_id,
                },
            }))?;
            Rendered {
                id,
                body,
                inboxes: vec![author.inbox_url],
            }
        }
        Intent::JoinEvent {
            post_id,
            join_ap_id,
        } => {
            let (event, host) = post_and_author(ctx, *post_id).await?;
            let body = to_json(json!({
                "id": join_ap_id,
                "type": "Join",
                "actor": actor.ap_id,
                "to": [host.ap_id],
                "object": event.ap_id,
            }))?;
            Rendered {
                id: join_ap_id.clone(),
                body,
                inboxes: vec![host.inbox_url],
            }
        }
        Intent::LeaveEvent {
            post_id,
            join_ap_id,
        } => {
            let (event, host) = post_and_author(ctx, *post_id).await?;
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Leave",
                "actor": actor.ap_id,
                "to": [host.ap_id],
                "object": event.ap_id,
                "instrument": join_ap_id,
            }))?;
            Rendered {
                id,
                body,
                inboxes: vec![host.inbox_url],
            }
        }
        Intent::AnswerJoin(answer) => {
            let Some(join_ap_id) = &answer.join_ap_id else {
                return Ok(None);
            };
            let event = posts::by_id(ctx, answer.post_id).await?;
            let participant = accounts::by_id(ctx, answer.participant_id).await?;
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": answer.reply,
                "actor": actor.ap_id,
                "to": [participant.ap_id],
                "object": {
                    "id": join_ap_id,
                    "type": "Join",
                    "actor": participant.ap_id,
                    "object": event.ap_id,
                },
            }))?;
            Rendered {
                id,
                body,
                inboxes: vec![participant.inbox_url],
            }
        }
        Intent::ForwardReport { report_id } => {
            let Some(report) = passage_core::db::entities::reports::Entity::find_by_id(*report_id)
                .one(&ctx.db)
                .await?
            else {
                return Ok(None);
            };
            let target = accounts::by_id(ctx, report.target_id).await?;
            // The account and the reported posts that are its own.
            let mut object = vec![target.ap_id.clone()];
            for id in report.status_ids.split_whitespace() {
                if let Ok(id) = id.parse::<i64>()
                    && let Ok(post) = posts::by_id(ctx, id).await
                    && post.author_id == target.id
                {
                    object.push(post.ap_id);
                }
            }
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Flag",
                "actor": actor.ap_id,
                "to": [target.ap_id],
                "content": report.comment,
                "object": object,
            }))?;
            Rendered {
                id,
                body,
                inboxes: vec![inbox_of(&target)],
            }
        }
        Intent::RefuseMembership {
            person_id,
            join_ap_id,
        } => {
            let person = accounts::by_id(ctx, *person_id).await?;
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Reject",
                "actor": actor.ap_id,
                "to": [person.ap_id],
                "object": {
                    "id": join_ap_id,
                    "type": "Join",
                    "actor": person.ap_id,
                    "object": actor.ap_id,
                },
            }))?;
            Rendered {
                id,
                body,
                inboxes: vec![person.inbox_url],
            }
        }
        Intent::SuspendActor { inboxes } => {
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Update",
                "actor": actor.ap_id,
                "to": [PUBLIC],
                "object": actor_document(actor)?,
            }))?;
            Rendered {
                id,
                body,
                inboxes: inboxes.clone(),
            }
        }
        Intent::Move { target_ap_id } => {
            let id = ctx.urls.new_activity();
            Rendered {
                body: to_json(Move::new(&id, actor, target_ap_id)?)?,
                id,
                inboxes: fq::remote_follower_inboxes(&ctx.db, actor.id).await?,
            }
        }
        Intent::DeleteActor { inboxes } => {
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Delete",
                "actor": actor.ap_id,
                "to": [PUBLIC],
                "object": actor.ap_id,
            }))?;
            Rendered {
                id,
                body,
                inboxes: inboxes.clone(),
            }
        }
        Intent::RelayFollow { relay_id } => {
            let relay = passage_core::relays::get(ctx, *relay_id).await?;
            let body = to_json(json!({
                "id": relay.follow_ap_id,
                "type": "Follow",
                "actor": actor.ap_id,
                "object": passage_core::relays::follow_object(&relay),
            }))?;
            Rendered {
                id: relay.follow_ap_id,
                body,
                inboxes: vec![relay.inbox_url],
            }
        }
        Intent::RelayUndo {
            inbox,
            follow_ap_id,
            object,
        } => {
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Undo",
                "actor": actor.ap_id,
                "object": {
                    "id": follow_ap_id,
                    "type": "Follow",
                    "actor": actor.ap_id,
                    "object": object,
                },
            }))?;
            Rendered {
                id,
                body,
                inboxes: vec![inbox.clone()],
            }
        }
        Intent::UpdateActor => {
            let id = ctx.urls.new_activity();
            let body = to_json(json!({
                "id": id,
                "type": "Update",
                "actor": actor.ap_id,
                "to": [PUBLIC],
                "cc": [actor.followers_url],
                "object": actor_document(actor)?,
            }))?;
            Rendered {
                id,
                body,
                inboxes: fq::remote_follower_inboxes(&ctx.db, actor.id).await?,
            }
        }
    }))
}

/// A post with its author.
async fn post_and_author(ctx: &Context, post_id: i64) -> Result<(Post, Actor), FederationError> {
    let post = posts::by_id(ctx, post_id).await?;
    let author = accounts::by_id(ctx, post.author_id).await?;
    Ok((post, author))
}

/// The Follow an intent names, with both of its parties.
async fn follow_of(
    ctx: &Context,
    f: &FollowRef,
) -> Result<(Actor, Actor, Follow), FederationError> {
    let follower = accounts::by_id(ctx, f.follower_id).await?;
    let followee = accounts::by_id(ctx, f.followee_id).await?;
    let follow = Follow::new(&f.follow_ap_id, &follower.ap_id, &followee.ap_id)?;
    Ok((follower, followee, follow))
}

/// `Undo` by `actor` of its activity `undone_id` (of type `kind`, about `object`).
fn undo(
    ctx: &Context,
    actor: &Actor,
    kind: &str,
    undone_id: &str,
    object: &Url,
    inboxes: Vec<String>,
) -> Result<Rendered, FederationError> {
    let undone = Undone {
        id: Url::parse(undone_id)?,
        kind: kind.to_owned(),
        actor: Url::parse(&actor.ap_id)?,
        object: json!(object),
    };
    let id = ctx.urls.new_activity();
    let body = to_json(Undo::new(&id, &actor.ap_id, undone)?)?;
    Ok(Rendered { id, body, inboxes })
}

/// A Create or Update carrying `note`, addressed as the note is.
fn wrap_note(
    kind: &str,
    id: &str,
    actor: &Actor,
    note: NoteDocument,
) -> Result<Value, FederationError> {
    to_json(json!({
        "id": id,
        "type": kind,
        "actor": actor.ap_id,
        "published": note.published,
        "to": note.to,
        "cc": note.cc,
        "object": note,
    }))
}

/// The `Create` of a post, as sent and as listed in the outbox.
pub async fn create_for_post(
    ctx: &Context,
    actor: &Actor,
    post: &Post,
) -> Result<Value, FederationError> {
    let note = note_from_post(ctx, post).await?;
    wrap_note("Create", &format!("{}/activity", post.ap_id), actor, note)
}

/// The `Delete` of a post, addressed to the audience the post had.
fn delete_for_post(
    actor: &Actor,
    post: &Post,
    mentioned: &[Actor],
) -> Result<Value, FederationError> {
    let mentions: Vec<String> = mentioned.iter().map(|a| a.ap_id.clone()).collect();
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

/// Followers' servers (unless the post is direct) and every remote actor it mentions.
async fn post_inboxes(
    ctx: &Context,
    author: &Actor,
    post: &Post,
    mentioned: &[Actor],
) -> Result<Vec<String>, FederationError> {
    let mut inboxes = if post.visibility == Visibility::Direct.as_str() {
        Vec::new()
    } else {
        fq::remote_follower_inboxes(&ctx.db, author.id).await?
    };
    inboxes.extend(mentioned.iter().filter(|a| !a.local).map(inbox_of));
    // Everyone who answered an event hears of its changes, followers or not.
    inboxes.extend(
        passage_core::db::queries::actors::remote_participant_inboxes(&ctx.db, post.id).await?,
    );
    // Public posts reach the network through the relays we subscribe to.
    if post.visibility == Visibility::Public.as_str() {
        inboxes.extend(passage_core::relays::inboxes(ctx).await?);
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The booster's followers' servers and the original author's.
async fn boost_inboxes(
    ctx: &Context,
    booster: &Actor,
    original_author: &Actor,
) -> Result<Vec<String>, FederationError> {
    let mut inboxes = fq::remote_follower_inboxes(&ctx.db, booster.id).await?;
    if !original_author.local {
        inboxes.push(inbox_of(original_author));
        inboxes.sort();
        inboxes.dedup();
    }
    Ok(inboxes)
}

/// Renders and stores every pending intent; returns how many were rendered. An intent that
/// cannot be rendered (what it names is gone) is logged and dropped, so it cannot block the
/// queue; database errors stop the pass and the intent is tried again.
pub async fn render_pending(fed: &Federation) -> Result<usize, FederationError> {
    let mut rendered = 0;
    loop {
        let intents = deliveries::oldest_intents(&fed.db, 50).await?;
        if intents.is_empty() {
            return Ok(rendered);
        }
        for row in intents {
            let activity = match render_row(fed, &row).await {
                Ok(activity) => activity,
                Err(FederationError::Internal(cause)) => {
                    return Err(FederationError::Internal(cause));
                }
                Err(error) => {
                    tracing::warn!(intent = %row.intent, %error, "dropping an intent that cannot be rendered");
                    None
                }
            };
            // Read first, write after: on SQLite the pool's one connection is the transaction's.
            let txn = fed.db.begin().await?;
            // Whoever deletes the intent owns it; another worker may have rendered it already.
            if !deliveries::delete_intent(&txn, row.id).await? {
                continue;
            }
            if let Some(activity) = activity {
                let targets = reachable_targets(fed, &txn, activity.inboxes).await?;
                let body = serde_json::to_string(&activity.body)?;
                deliveries::insert_activity(
                    &txn,
                    &activity.id,
                    row.actor_id,
                    body,
                    &targets,
                    now(),
                )
                .await?;
            }
            txn.commit().await?;
            rendered += 1;
        }
    }
}

async fn render_row(
    fed: &Federation,
    row: &outbox_intents::Model,
) -> Result<Option<Rendered>, FederationError> {
    let intent = passage_core::outbox::parse(&row.intent)?;
    let actor = accounts::by_id(fed, row.actor_id).await?;
    render(fed, &actor, &intent).await
}

/// `(inbox, host)` for each remote inbox whose instance is not marked unreachable.
async fn reachable_targets(
    fed: &Federation,
    db: &impl sea_orm::ConnectionTrait,
    inboxes: Vec<String>,
) -> Result<Vec<(String, String)>, FederationError> {
    let targets: Vec<(String, String)> = inboxes
        .into_iter()
        .filter(|inbox| !fed.urls.is_local(inbox))
        .filter_map(|inbox| Urls::host_of(&inbox).map(|host| (inbox, host)))
        .collect();
    let hosts: Vec<String> = targets.iter().map(|(_, host)| host.clone()).collect();
    let unreachable = deliveries::unreachable_among(db, &hosts).await?;
    for host in &unreachable {
        tracing::info!(%host, "instance unreachable; not delivering");
    }
    Ok(targets
        .into_iter()
        .filter(|(_, host)| !unreachable.contains(host))
        .collect())
}
