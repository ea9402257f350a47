//! Sending: claim due deliveries, sign, POST, record the outcome. Retries back off
//! exponentially (`retry_initial_secs * backoff_factor^n`) until `give_up_after_secs` have
//! passed since the activity was stored (about two days by default, like Mastodon's 16
//! retries). After `unreachable_after_failures` failures in a row an instance is marked
//! unreachable and gets no new deliveries until it answers again.

use crate::{
    Federation, FederationError, delivery::render::render_pending, objects::actor::key_id,
    signatures,
};
use futures::StreamExt;
use passage_core::{
    accounts,
    db::{
        Timestamp,
        entities::{deliveries as drow, outgoing_activities},
        now,
        queries::deliveries as q,
    },
    keys,
};
use sea_orm::TransactionTrait;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryStats {
    pub rendered: usize,
    pub delivered: usize,
    pub failed: usize,
}

enum Outcome {
    Delivered,
    Retry(String),
    Permanent(String),
}

/// One pass: render pending intents, then send every delivery that is due.
pub async fn run_once(fed: &Federation) -> Result<DeliveryStats, FederationError> {
    let mut stats = DeliveryStats {
        rendered: render_pending(fed).await?,
        ..Default::default()
    };
    loop {
        let batch = claim(fed).await?;
        if batch.is_empty() {
            return Ok(stats);
        }
        let workers = fed.config.delivery.workers.max(1);
        let outcomes: Vec<_> = futures::stream::iter(batch)
            .map(|(delivery, activity)| async move {
                let outcome = send(fed, &delivery, &activity).await;
                (delivery, activity, outcome)
            })
            .buffer_unordered(workers)
            .collect()
            .await;
        for (delivery, activity, outcome) in outcomes {
            let ok = matches!(outcome, Outcome::Delivered);
            record(fed, &delivery, &activity, outcome).await?;
            if ok {
                stats.delivered += 1
            } else {
                stats.failed += 1
            }
        }
        // Failed deliveries due again at once (tests retry without delay) wait for the next pass.
        if stats.delivered == 0 {
            return Ok(stats);
        }
    }
}

/// Drains the queue: passes until one delivers nothing and renders nothing. Tests call this
/// (through each instance) instead of sleeping.
pub async fn deliver_all(fed: &Federation) -> Result<DeliveryStats, FederationError> {
    let mut total = DeliveryStats::default();
    loop {
        let pass = run_once(fed).await?;
        total.rendered += pass.rendered;
        total.delivered += pass.delivered;
        total.failed += pass.failed;
        if pass.rendered == 0 && pass.delivered == 0 {
            return Ok(total);
        }
    }
}

async fn claim(
    fed: &Federation,
) -> Result<Vec<(drow::Model, outgoing_activities::Model)>, FederationError> {
    let at = now();
    let lease = Duration::from_secs(fed.config.federation.request_timeout_secs * 3 + 60);
    let lease_until = at + chrono::Duration::from_std(lease).unwrap_or_default();
    let txn = fed.db.begin().await?;
    let batch = q::claim_due(&txn, at, lease_until, 100).await?;
    txn.commit().await?;
    Ok(batch)
}

async fn send(
    fed: &Federation,
    delivery: &drow::Model,
    activity: &outgoing_activities::Model,
) -> Outcome {
    match try_send(fed, delivery, activity).await {
        Ok(status) if status.is_success() => Outcome::Delivered,
        Ok(status)
            if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 =>
        {
            Outcome::Permanent(format!("refused with {status}"))
        }
        Ok(status) => Outcome::Retry(format!("answered {status}")),
        Err(e) => Outcome::Retry(e),
    }
}

async fn try_send(
    fed: &Federation,
    delivery: &drow::Model,
    activity: &outgoing_activities::Model,
) -> Result<http::StatusCode, String> {
    let actor = accounts::by_id(fed, activity.actor_id)
        .await
        .map_err(|e| e.to_string())?;
    let pem = actor
        .private_key_pem
        .as_deref()
        .ok_or("actor has no private key")?;
    let key = keys::parse_private_pem(pem).map_err(|e| e.to_string())?;
    let url = url::Url::parse(&delivery.inbox_url).map_err(|e| e.to_string())?;
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let content_type = "application/activity+json";
    let body = activity.body.as_bytes();
    let key_id = key_id(&actor.ap_id);
    let headers = tokio::task::spawn_blocking({
        let (host, path, body) = (host.clone(), path.clone(), body.to_vec());
        move || {
            signatures::sign(
                &key,
                &key_id,
                "POST",
                &host,
                &path,
                Some(&body),
                Some(content_type),
            )
        }
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    let mut request = fed
        .http
        .post(url)
        .header("content-type", content_type)
        .body(activity.body.clone());
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    Ok(response.status())
}

async fn record(
    fed: &Federation,
    delivery: &drow::Model,
    activity: &outgoing_activities::Model,
    outcome: Outcome,
) -> Result<(), FederationError> {
    let at = now();
    let cfg = &fed.config.delivery;
    match outcome {
        Outcome::Delivered => {
            q::record_attempt(&fed.db, delivery, None).await?;
            q::record_instance_success(&fed.db, &delivery.host, at).await?;
        }
        Outcome::Permanent(error) => {
            tracing::info!(inbox = %delivery.inbox_url, %error, "delivery refused; not retrying");
            q::record_attempt(&fed.db, delivery, Some((error, None))).await?;
        }
        Outcome::Retry(error) => {
            let next = next_attempt(cfg, delivery.attempts + 1, activity.created_at, at);
            if next.is_none() {
                tracing::warn!(inbox = %delivery.inbox_url, %error, "delivery given up");
            }
            q::record_attempt(&fed.db, delivery, Some((error, next))).await?;
            q::record_instance_failure(&fed.db, &delivery.host, cfg.unreachable_after_failures, at)
                .await?;
        }
    }
    Ok(())
}

/// When to try again after `failures` failed attempts, or `None` once the give-up horizon
/// (counted from when the activity was stored) would be passed.
pub fn next_attempt(
    cfg: &passage_core::config::DeliveryConfig,
    failures: i32,
    stored_at: Timestamp,
    now: Timestamp,
) -> Option<Timestamp> {
    let delay = cfg.retry_initial_secs as f64 * cfg.backoff_factor.powi(failures.saturating_sub(1));
    let delay = chrono::Duration::milliseconds((delay.min(1e12) * 1000.0) as i64);
    let next = now + delay;
    let horizon = stored_at + chrono::Duration::seconds(cfg.give_up_after_secs as i64);
    (next <= horizon).then_some(next)
}

/// Runs the queue in the background until `shutdown`: a pass whenever an intent is committed
/// or every `poll_interval_ms`.
pub fn spawn_background(
    fed: Federation,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let poll = Duration::from_millis(fed.config.delivery.poll_interval_ms.max(10));
        loop {
            if let Err(error) = run_once(&fed).await {
                tracing::error!(%error, "delivery pass failed");
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = fed.outbox_signal.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_for_about_two_days_then_stop() {
        let cfg = passage_core::config::DeliveryConfig::default();
        let stored = now();
        let mut at = stored;
        let mut attempts = 1;
        while let Some(next) = next_attempt(&cfg, attempts, stored, at) {
            assert!(next > at);
            at = next;
            attempts += 1;
        }
        let span = at - stored;
        assert!(attempts >= 8, "{attempts} attempts");
        assert!(
            span > chrono::Duration::hours(24) && span <= chrono::Duration::hours(48),
            "{span}"
        );
    }
}
