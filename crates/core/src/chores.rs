//! Work that falls due with time rather than with a request: polls that end, scheduled
//! posts, domain blocks and account actions that expire, and suspended accounts to purge. The server runs [`run_due`] every few seconds; tests call it
//! directly, so nothing here sleeps.

use crate::{Context, error::CoreResult};

/// How often the server looks for due work. Poll ends and schedules are shown to the minute
/// in clients; a quarter of that is prompt enough and costs one indexed query per kind of
/// work when nothing is due.
pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// Does whatever is due now; returns how many things it handled.
pub async fn run_due(ctx: &Context) -> CoreResult<usize> {
    ctx.limits.forget_quiet();
    Ok(crate::polls::end_due(ctx).await?
        + crate::scheduled::publish_due(ctx).await?
        + crate::moderation::domains::expire_due(ctx).await?
        + crate::moderation::accounts::expire_due(ctx).await?
        + crate::moderation::accounts::purge_due(ctx).await?)
}
