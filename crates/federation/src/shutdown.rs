//! Closing an instance (`passage admin shutdown`): each account with a successor moves to
//! it (`Move` to its followers' servers, followers here redirected at once), as a member
//! would move herself; the others are deleted if the admin chose so (`Delete` of the actor
//! to every known server). The instance takes no new accounts from the start and keeps
//! answering with redirects for the time chosen (`passage_core::shutdown`).

use crate::{Federation, FederationError, activities::r#move::fetch_target, resolve};
use activitypub_federation::config::FederationConfig;
use passage_core::{Actor, accounts, accounts::moves, moderation, shutdown};
use std::collections::HashSet;

/// What the admin chose.
pub struct Plan {
    /// Local username → its successor, by address (`user@domain`) or actor URL.
    pub successors: Vec<(String, String)>,
    /// Delete the accounts with no successor (otherwise they stay, answering as they are).
    pub delete_others: bool,
    pub redirect_days: u32,
}

/// What came of it, account by account.
#[derive(Debug, Default)]
pub struct Report {
    /// Username and the successor's actor id.
    pub moved: Vec<(String, String)>,
    /// Username and why it could not move (it stays, neither moved nor deleted).
    pub refused: Vec<(String, String)>,
    pub deleted: Vec<String>,
    /// Accounts left as they are: no successor and no deletion asked, or moved before.
    pub kept: Vec<String>,
    pub shutdown: Option<shutdown::Shutdown>,
}

pub async fn run(
    config: &FederationConfig<Federation>,
    plan: Plan,
) -> Result<Report, FederationError> {
    let data = config.to_request_data();
    let ctx = &data.ctx;
    let mut report = Report {
        shutdown: Some(shutdown::begin(ctx, plan.redirect_days).await?),
        ..Report::default()
    };
    let mut named = HashSet::new();
    for (username, successor) in &plan.successors {
        named.insert(username.to_lowercase());
        match move_one(config, username, successor).await {
            Ok(target) => report.moved.push((username.clone(), target)),
            Err(why) => report.refused.push((username.clone(), why)),
        }
    }
    for account in accounts::list_local(ctx).await? {
        if named.contains(&account.username.to_lowercase()) || account.purged_at.is_some() {
            continue;
        }
        if plan.delete_others && account.moved_to.is_none() {
            moderation::accounts::purge(ctx, &account, "instance.shutdown.delete").await?;
            report.deleted.push(account.username);
        } else {
            report.kept.push(account.username);
        }
    }
    Ok(report)
}

/// Moves one account to its successor, fetched afresh (it must name the account among its
/// aliases, as every receiving server will check); the successor's actor id.
async fn move_one(
    config: &FederationConfig<Federation>,
    username: &str,
    successor: &str,
) -> Result<String, String> {
    let data = config.to_request_data();
    let account: Actor = accounts::local_by_username(&data.ctx, username)
        .await
        .map_err(|e| format!("no account here: {e}"))?;
    let address = resolve::actor_id(&data, successor)
        .await
        .map_err(|e| format!("{successor:?} was not found: {e}"))?;
    if account.moved_to.as_deref() == Some(address.as_str()) {
        return Ok(address);
    }
    let target = fetch_target(&address, &data)
        .await
        .map_err(|e| format!("{successor:?} was not found: {e}"))?;
    moves::move_local(&data.ctx, &account, &target)
        .await
        .map_err(|e| e.to_string())?;
    Ok(target.ap_id)
}
