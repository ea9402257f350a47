//! Closing an instance for good (`passage admin shutdown`): from the start it takes no new
//! accounts; its accounts move to their successors or are deleted (see
//! `passage_federation::shutdown`); it keeps answering, so moved accounts' documents and
//! pages point on, until a set time, after which `passage serve` stops.

use crate::{Context, CoreError, error::CoreResult};
use passage_db::{entities::shutdowns, now};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};

pub type Shutdown = shutdowns::Model;

/// The shutdown under way, if the instance is closing.
pub async fn current(ctx: &Context) -> CoreResult<Option<Shutdown>> {
    Ok(shutdowns::Entity::find()
        .order_by_desc(shutdowns::Column::Id)
        .one(&ctx.db)
        .await?)
}

/// Starts closing the instance, answering with redirects for `redirect_days`; a shutdown
/// already under way keeps its start and takes the new end.
pub async fn begin(ctx: &Context, redirect_days: u32) -> CoreResult<Shutdown> {
    let until = (chrono::Utc::now() + chrono::Duration::days(redirect_days.into())).fixed_offset();
    Ok(match current(ctx).await? {
        Some(existing) => {
            let mut row: shutdowns::ActiveModel = existing.into();
            row.redirect_until = Set(until);
            row.update(&ctx.db).await?
        }
        None => {
            shutdowns::ActiveModel {
                started_at: Set(now()),
                redirect_until: Set(until),
                ..Default::default()
            }
            .insert(&ctx.db)
            .await?
        }
    })
}

/// What a closing instance says of `what` it no longer takes; None while it is not closing.
pub async fn notice(ctx: &Context, what: &str) -> CoreResult<Option<String>> {
    Ok(current(ctx).await?.map(|shutdown| {
        format!(
            "this server is closing (until {}); it takes no {what}",
            shutdown.redirect_until.format("%Y-%m-%d")
        )
    }))
}

/// Refuses what a closing instance no longer does (new accounts).
pub async fn refuse_if_closing(ctx: &Context, what: &str) -> CoreResult<()> {
    match notice(ctx, what).await? {
        Some(message) => Err(CoreError::Forbidden(message)),
        None => Ok(()),
    }
}

/// Whether the time of redirects is over: the server should not serve any longer.
pub fn is_over(shutdown: &Shutdown) -> bool {
    shutdown.redirect_until <= chrono::Utc::now()
}

/// Returns when the instance's time of redirects is over (never, if it is not closing),
/// looking again every minute, as a shutdown may begin or be extended from the CLI while
/// the server runs.
pub async fn over(ctx: &Context) {
    loop {
        let wait = match current(ctx).await {
            Ok(Some(shutdown)) if is_over(&shutdown) => return,
            Ok(Some(shutdown)) => (shutdown.redirect_until.to_utc() - chrono::Utc::now())
                .to_std()
                .unwrap_or_default()
                .min(MINUTE),
            _ => MINUTE,
        };
        tokio::time::sleep(wait).await;
    }
}

const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);
