//! Timelines: which posts a member sees.

use crate::{Actor, Context, Post, error::CoreResult, visibility::FOR_FOLLOWERS};
use passage_db::queries::posts as q;

/// The home timeline: the member's own posts, what the accounts they follow (accepted) post
/// for followers or everyone, and posts that mention them. Newest first.
pub async fn home(ctx: &Context, viewer: &Actor, limit: u64) -> CoreResult<Vec<Post>> {
    Ok(q::home(&ctx.db, viewer.id, &FOR_FOLLOWERS, limit).await?)
}
