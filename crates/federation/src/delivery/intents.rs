//! One function per outbound intent: what it names is read, the activity is built with its
//! constructor in `activities/`, and its inboxes are chosen (`inboxes`). `None`: nothing to
//! send any more (what the intent named is gone).

use super::{
    inboxes::{boost_inboxes, inbox_of, post_inboxes},
    render::{Rendered, send},
};
use crate::{
    FederationError,
    activities::{
        accept::{Accept, JoinReply},
        announce::Announce,
        create::{Create, Vote},
        delete::Delete,
        follow::Follow,
        join::Join,
        leave::Leave,
        like::Like,
        reject::Reject,
        undo::Undo,
        update::Update,
    },
    objects::note::note_from_post,
};
use passage_core::{
    Actor, Context, Post, accounts,
    outbox::{FollowRef, Intent, JoinAnswer},
    polls, posts, relays,
    visibility::Visibility,
};

/// A Follow, its Accept or Reject by the followee, or its Undo by the follower; each goes to
/// the other party.
pub async fn follow(
    ctx: &Context,
    intent: &Intent,
    f: &FollowRef,
) -> Result<Rendered, FederationError> {
    let follower = accounts::by_id(ctx, f.follower_id).await?;
    let followee = accounts::by_id(ctx, f.followee_id).await?;
    let follow = Follow::new(&f.follow_ap_id, &follower.ap_id, &followee.ap_id)?;
    let id = || ctx.urls.new_activity();
    match intent {
        Intent::AcceptFollow(_) => {
            send(Accept::of_follow(&id(), &follow)?, vec![follower.inbox_url])
        }
        Intent::RejectFollow(_) => {
            send(Reject::of_follow(&id(), &follow)?, vec![follower.inbox_url])
        }
        Intent::UndoFollow(_) => send(Undo::of_follow(&id(), &follow)?, vec![followee.inbox_url]),
        _ => send(follow, vec![followee.inbox_url]),
    }
}

/// The Create, Update or Delete of a post, to its audience. A post deleted before its
/// Create was rendered is not announced at all.
pub async fn post(
    ctx: &Context,
    actor: &Actor,
    intent: &Intent,
    post_id: i64,
) -> Result<Option<Rendered>, FederationError> {
    let post = posts::by_id(ctx, post_id).await?;
    if matches!(intent, Intent::CreatePost { .. }) && post.deleted_at.is_some() {
        return Ok(None);
    }
    let mentioned = posts::mentioned(ctx, &post).await?;
    let inboxes = post_inboxes(ctx, actor, &post, &mentioned).await?;
    let me = actor.ap_id.as_str();
    Ok(Some(match intent {
        Intent::CreatePost { .. } => send(Create::of_post(ctx, me, &post).await?, inboxes)?,
        Intent::UpdatePost { .. } => {
            let note = note_from_post(ctx, &post).await?;
            send(
                Update::of_note(&ctx.urls.new_activity(), me, &note)?,
                inboxes,
            )?
        }
        _ => {
            let mentions: Vec<String> = mentioned.into_iter().map(|a| a.ap_id).collect();
            let followers = actor.followers_url.as_deref().unwrap_or_default();
            let visibility = Visibility::parse(&post.visibility)?;
            send(
                Delete::of_post(me, followers, &post.ap_id, visibility, &mentions)?,
                inboxes,
            )?
        }
    }))
}

/// A Like, to the post's author.
pub async fn like(
    ctx: &Context,
    actor: &Actor,
    like: &str,
    post_id: i64,
) -> Result<Rendered, FederationError> {
    let (post, author) = post_and_author(ctx, post_id).await?;
    send(
        Like::new(like, &actor.ap_id, &post.ap_id)?,
        vec![inbox_of(&author)],
    )
}

/// The Undo of a Like, to the post's author.
pub async fn undo_like(
    ctx: &Context,
    actor: &Actor,
    like: &str,
    post_id: i64,
) -> Result<Rendered, FederationError> {
    let (post, author) = post_and_author(ctx, post_id).await?;
    let id = ctx.urls.new_activity();
    let undo = Undo::of(&id, &actor.ap_id, "Like", like, &post.ap_id)?;
    send(undo, vec![inbox_of(&author)])
}

/// A boost, to the booster's followers and the original author; `None` once it is gone.
pub async fn announce(
    ctx: &Context,
    actor: &Actor,
    boost_id: i64,
) -> Result<Option<Rendered>, FederationError> {
    let Ok(boost) = posts::by_id(ctx, boost_id).await else {
        return Ok(None);
    };
    let original_id = boost.reblog_of_id.ok_or(FederationError::NotFound)?;
    let (post, author) = post_and_author(ctx, original_id).await?;
    let followers = actor.followers_url.as_deref();
    let (id, at) = (&boost.ap_id, boost.published_at);
    let announce = Announce::new(id, &actor.ap_id, followers, &author.ap_id, &post.ap_id, at)?;
    Ok(Some(send(
        announce,
        boost_inboxes(ctx, actor, &author).await?,
    )?))
}

/// The Undo of a boost, to whoever heard of the boost.
pub async fn undo_announce(
    ctx: &Context,
    actor: &Actor,
    boost: &str,
    post_id: i64,
) -> Result<Rendered, FederationError> {
    let (post, author) = post_and_author(ctx, post_id).await?;
    let id = ctx.urls.new_activity();
    let undo = Undo::of(&id, &actor.ap_id, "Announce", boost, &post.ap_id)?;
    send(undo, boost_inboxes(ctx, actor, &author).await?)
}

/// A vote on a poll elsewhere, to the poll's author alone.
pub async fn vote(ctx: &Context, actor: &Actor, vote_id: i64) -> Result<Rendered, FederationError> {
    let (vote, poll, option) = polls::vote_by_id(ctx, vote_id).await?;
    let author = accounts::by_id(ctx, poll.author_id).await?;
    let note = vote.ap_id.ok_or(FederationError::NotFound)?;
    let vote = Vote::new(&note, &actor.ap_id, &author.ap_id, &option, &poll.ap_id)?;
    send(vote, vec![author.inbox_url])
}

/// Our member's Join of an event elsewhere, to the event's host.
pub async fn join_event(
    ctx: &Context,
    actor: &Actor,
    post_id: i64,
    join: &str,
) -> Result<Rendered, FederationError> {
    let (event, host) = post_and_author(ctx, post_id).await?;
    let join = Join::new(join, &actor.ap_id, &event.ap_id, vec![host.ap_id])?;
    send(join, vec![host.inbox_url])
}

/// Our member's Leave of an event elsewhere, withdrawing its Join, to the event's host.
pub async fn leave_event(
    ctx: &Context,
    actor: &Actor,
    post_id: i64,
    join: &str,
) -> Result<Rendered, FederationError> {
    let (event, host) = post_and_author(ctx, post_id).await?;
    let id = ctx.urls.new_activity();
    let leave = Leave::new(&id, &actor.ap_id, &event.ap_id, &host.ap_id, join)?;
    send(leave, vec![host.inbox_url])
}

/// The host's answer to someone's Join of its event, to that person. A Join that came
/// without an id cannot be answered.
pub async fn answer_join(
    ctx: &Context,
    actor: &Actor,
    answer: &JoinAnswer,
) -> Result<Option<Rendered>, FederationError> {
    let Some(join) = &answer.join_ap_id else {
        return Ok(None);
    };
    let event = posts::by_id(ctx, answer.post_id).await?;
    let person = accounts::by_id(ctx, answer.participant_id).await?;
    let join = Join::new(join, &person.ap_id, &event.ap_id, Vec::new())?;
    let reply = JoinReply::new(&answer.reply, &ctx.urls.new_activity(), &actor.ap_id, &join)?;
    Ok(Some(send(reply, vec![person.inbox_url])?))
}

/// An organisation's refusal of someone's Join of it, to that person.
pub async fn refuse_membership(
    ctx: &Context,
    org: &Actor,
    person_id: i64,
    join: &str,
) -> Result<Rendered, FederationError> {
    let person = accounts::by_id(ctx, person_id).await?;
    let join = Join::new(join, &person.ap_id, &org.ap_id, Vec::new())?;
    let reject = Reject::of_join(&ctx.urls.new_activity(), &org.ap_id, &join)?;
    send(reject, vec![person.inbox_url])
}

/// The instance's Follow of a relay, to the relay.
pub async fn relay_follow(
    ctx: &Context,
    actor: &Actor,
    relay_id: i64,
) -> Result<Rendered, FederationError> {
    let relay = relays::get(ctx, relay_id).await?;
    let object = relays::follow_object(&relay);
    let follow = Follow::new(&relay.follow_ap_id, &actor.ap_id, &object)?;
    send(follow, vec![relay.inbox_url])
}

/// A post with its author.
async fn post_and_author(ctx: &Context, post_id: i64) -> Result<(Post, Actor), FederationError> {
    let post = posts::by_id(ctx, post_id).await?;
    let author = accounts::by_id(ctx, post.author_id).await?;
    Ok((post, author))
}
