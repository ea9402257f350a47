//! Who hears about what, following Mastodon: posts go to the shared inboxes of the author's
//! followers (unless direct), to everyone mentioned and to everyone who answered the event it
//! is; boosts to the booster's followers and the original author; everything else to the one
//! other party it concerns (see `render`).

use crate::FederationError;
use passage_core::{Actor, Context, Post, visibility::Visibility};
use passage_db::queries::{actors::remote_participant_inboxes, follows as fq};

/// The actor's shared inbox when it has one, its own otherwise: one delivery per server.
pub fn inbox_of(actor: &Actor) -> String {
    actor
        .shared_inbox_url
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| actor.inbox_url.clone())
}

/// Followers' servers (unless the post is direct) and every remote actor it mentions.
pub async fn post_inboxes(
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
    inboxes.extend(remote_participant_inboxes(&ctx.db, post.id).await?);
    // Public posts reach the network through the relays we subscribe to.
    if post.visibility == Visibility::Public.as_str() {
        inboxes.extend(passage_core::relays::inboxes(ctx).await?);
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The booster's followers' servers and the original author's.
pub async fn boost_inboxes(
    ctx: &Context,
    booster: &Actor,
    original_author: &Actor,
) -> Result<Vec<String>, FederationError> {
    let mut inboxes = follower_inboxes(ctx, booster).await?;
    if !original_author.local {
        inboxes.push(inbox_of(original_author));
        inboxes.sort();
        inboxes.dedup();
    }
    Ok(inboxes)
}

/// The servers of the actor's remote followers.
pub async fn follower_inboxes(
    ctx: &Context,
    actor: &Actor,
) -> Result<Vec<String>, FederationError> {
    Ok(fq::remote_follower_inboxes(&ctx.db, actor.id).await?)
}
