//! The rendering pass: every pending intent becomes an activity and its deliveries, in the
//! transaction that deletes the intent.

use super::render::{Rendered, render};
use crate::{Federation, FederationError};
use passage_core::{accounts, urls::Urls};
use passage_db::{entities::outbox_intents, now, queries::deliveries};
use sea_orm::TransactionTrait;

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
            if store(fed, &row, activity).await? {
                rendered += 1;
            }
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

/// Deletes the intent and stores what it rendered to, with one delivery per reachable inbox.
/// `false`: another worker had taken the intent already.
async fn store(
    fed: &Federation,
    row: &outbox_intents::Model,
    activity: Option<Rendered>,
) -> Result<bool, FederationError> {
    // Read first, write after: on SQLite the pool's one connection is the transaction's.
    let txn = fed.db.begin().await?;
    // Whoever deletes the intent owns it; another worker may have rendered it already.
    if !deliveries::delete_intent(&txn, row.id).await? {
        return Ok(false);
    }
    if let Some(activity) = activity {
        let targets = reachable_targets(fed, &txn, activity.inboxes).await?;
        let body = serde_json::to_string(&activity.body)?;
        deliveries::insert_activity(&txn, &activity.id, row.actor_id, body, &targets, now())
            .await?;
    }
    txn.commit().await?;
    Ok(true)
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
