//! Intents → activities and their recipients: the dispatch from each [`Intent`] to what
//! renders it (`intents`, which builds the activity with its constructor in `activities/`
//! and picks the inboxes with `inboxes`).

use super::{
    inboxes::{follower_inboxes, inbox_of},
    intents,
};
use crate::{
    FederationError,
    activities::{
        create::Create, delete::Delete, flag::Flag, follow::Follow, r#move::Move, undo::Undo,
        update::Update,
    },
    objects::actor::actor_document,
    protocol::with_context,
};
use passage_core::{Actor, Context, Post, outbox::Intent};
use serde::Serialize;
use serde_json::Value;

/// An activity ready to store: its id, JSON, and the inboxes it goes to.
pub struct Rendered {
    pub id: String,
    pub body: Value,
    pub inboxes: Vec<String>,
}

fn to_json(activity: impl Serialize) -> Result<Value, FederationError> {
    Ok(serde_json::to_value(with_context(activity))?)
}

/// `activity` with our `@context`, to `inboxes`; its id is the one it carries.
pub(super) fn send(
    activity: impl Serialize,
    inboxes: Vec<String>,
) -> Result<Rendered, FederationError> {
    let body = to_json(activity)?;
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    Ok(Rendered { id, body, inboxes })
}

/// Renders one intent of `actor` (a local actor). `None`: nothing to send any more (what it
/// named is gone).
pub async fn render(
    ctx: &Context,
    actor: &Actor,
    intent: &Intent,
) -> Result<Option<Rendered>, FederationError> {
    let id = || ctx.urls.new_activity();
    let (me, followers) = (actor.ap_id.as_str(), actor.followers_url.as_deref());
    Ok(Some(match intent {
        Intent::Follow(f)
        | Intent::AcceptFollow(f)
        | Intent::RejectFollow(f)
        | Intent::UndoFollow(f) => intents::follow(ctx, intent, f).await?,
        Intent::CreatePost { post_id }
        | Intent::UpdatePost { post_id }
        | Intent::DeletePost { post_id } => {
            return intents::post(ctx, actor, intent, *post_id).await;
        }
        Intent::Like {
            like_ap_id,
            post_id,
        } => intents::like(ctx, actor, like_ap_id, *post_id).await?,
        Intent::UndoLike {
            like_ap_id,
            post_id,
        } => intents::undo_like(ctx, actor, like_ap_id, *post_id).await?,
        Intent::Announce { boost_id } => return intents::announce(ctx, actor, *boost_id).await,
        Intent::UndoAnnounce {
            announce_ap_id,
            post_id,
        } => intents::undo_announce(ctx, actor, announce_ap_id, *post_id).await?,
        Intent::PollVote { vote_id } => intents::vote(ctx, actor, *vote_id).await?,
        Intent::JoinEvent {
            post_id,
            join_ap_id,
        } => intents::join_event(ctx, actor, *post_id, join_ap_id).await?,
        Intent::LeaveEvent {
            post_id,
            join_ap_id,
        } => intents::leave_event(ctx, actor, *post_id, join_ap_id).await?,
        Intent::AnswerJoin(answer) => return intents::answer_join(ctx, actor, answer).await,
        Intent::RefuseMembership {
            person_id,
            join_ap_id,
        } => intents::refuse_membership(ctx, actor, *person_id, join_ap_id).await?,
        Intent::ForwardReport { report_id } => {
            let Some((flag, target)) = Flag::forward(ctx, &id(), me, *report_id).await? else {
                return Ok(None);
            };
            send(flag, vec![inbox_of(&target)])?
        }
        Intent::UpdateActor => {
            let update = Update::of_actor(&id(), &actor_document(actor)?, followers)?;
            send(update, follower_inboxes(ctx, actor).await?)?
        }
        Intent::SuspendActor { inboxes } => {
            let update = Update::of_actor(&id(), &actor_document(actor)?, None)?;
            send(update, inboxes.clone())?
        }
        Intent::Move { target_ap_id } => {
            let moved = Move::new(&id(), me, followers, target_ap_id)?;
            send(moved, follower_inboxes(ctx, actor).await?)?
        }
        Intent::DeleteActor { inboxes } => send(Delete::of_actor(&id(), me)?, inboxes.clone())?,
        Intent::RelayFollow { relay_id } => intents::relay_follow(ctx, actor, *relay_id).await?,
        Intent::RelayUndo {
            inbox,
            follow_ap_id,
            object,
        } => {
            let follow = Follow::new(follow_ap_id, me, object)?;
            send(Undo::of_follow(&id(), &follow)?, vec![inbox.clone()])?
        }
    }))
}

/// The `Create` of a post, as sent and as listed in the outbox.
pub async fn create_for_post(
    ctx: &Context,
    actor: &Actor,
    post: &Post,
) -> Result<Value, FederationError> {
    to_json(Create::of_post(ctx, &actor.ap_id, post).await?)
}
