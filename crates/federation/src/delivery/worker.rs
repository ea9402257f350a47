//! Sending: claim due deliveries, sign, POST, record the outcome. Retries back off
//! exponentially (`retry_initial_secs * backoff_factor^n`) until `give_up_after_secs` have
//! passed since the activity was stored (about two days by default, like Mastodon's 16
//! retries). After `unreachable_after_failures` failures in a row an instance is marked
//! unreachable and gets no new deliveries until it answers again.

use crate::{
    Federation, FederationError, delivery::pending::render_pending, objects::actor::key_id,
    signatures,
};
use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use futures::StreamExt;
use passage_core::{accounts, config::SignatureFormat, keys};
use passage_db::{
    Timestamp,
    entities::{deliveries as drow, outgoing_activities},
    now,
    queries::deliveries as q,
};
use sea_orm::TransactionTrait;
use std::{collections::HashMap, sync::Arc, time::Duration};
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

/// One pass: render pending intents, then send every delivery that was due when the pass
/// began. A failure rescheduled without delay (tests retry at once) waits for the next pass.
pub async fn run_once(fed: &Federation) -> Result<DeliveryStats, FederationError> {
    let mut stats = DeliveryStats {
        rendered: render_pending(fed).await?,
        ..Default::default()
    };
    let due_by = now();
    loop {
        let batch = claim(fed, due_by).await?;
        if batch.is_empty() {
            return Ok(stats);
        }
        let signers = signers(fed, &batch).await?;
        let workers = fed.config.delivery.workers.max(1);
        // Each outcome is recorded as soon as its send ends: a sender killed mid-batch resends
        // only what was in flight, not the whole batch.
        let recorded: Vec<Result<bool, FederationError>> = futures::stream::iter(batch)
            .map(|(delivery, activity)| {
                let signer = signers.get(&activity.actor_id).cloned();
                async move {
                    let outcome = send(fed, signer, &delivery, &activity).await;
                    let ok = matches!(outcome, Outcome::Delivered);
                    record(fed, &delivery, &activity, outcome)
                        .await
                        .map(|()| ok)
                }
            })
            .buffer_unordered(workers)
            .collect()
            .await;
        for ok in recorded {
            if ok? {
                stats.delivered += 1
            } else {
                stats.failed += 1
            }
        }
    }
}

/// An actor's parsed signing key with its key id.
struct Signer {
    key: RsaKeyPair,
    key_id: String,
}

/// The signing key of every actor in a batch, loaded and parsed once however many inboxes
/// its activities go to. Actors without a usable private key are left out; their sends fail.
async fn signers(
    fed: &Federation,
    batch: &[(drow::Model, outgoing_activities::Model)],
) -> Result<HashMap<i64, Arc<Signer>>, FederationError> {
    let mut signers = HashMap::new();
    for (_, activity) in batch {
        if signers.contains_key(&activity.actor_id) {
            continue;
        }
        let actor = accounts::by_id(fed, activity.actor_id).await?;
        let Some(pem) = actor.private_key_pem.as_deref() else {
            continue;
        };
        let key = match keys::parse_private_pem(pem) {
            Ok(key) => key,
            Err(error) => {
                tracing::error!(actor = %actor.ap_id, %error, "unusable private key");
                continue;
            }
        };
        let signer = Signer {
            key,
            key_id: key_id(&actor.ap_id),
        };
        signers.insert(actor.id, Arc::new(signer));
    }
    Ok(signers)
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
    due_by: Timestamp,
) -> Result<Vec<(drow::Model, outgoing_activities::Model)>, FederationError> {
    let at = now();
    let lease = Duration::from_secs(fed.config.federation.request_timeout_secs * 3 + 60);
    let lease_until = at + chrono::Duration::from_std(lease).unwrap_or_default();
    let txn = fed.db.begin().await?;
    let batch = q::claim_due(&txn, due_by, lease_until, 100).await?;
    txn.commit().await?;
    Ok(batch)
}

async fn send(
    fed: &Federation,
    signer: Option<Arc<Signer>>,
    delivery: &drow::Model,
    activity: &outgoing_activities::Model,
) -> Outcome {
    let Some(signer) = signer else {
        return Outcome::Permanent("the sending actor has no signing key".into());
    };
    // An inbox written as a private address is never tried (a hostile actor document).
    if let Ok(url) = url::Url::parse(&delivery.inbox_url)
        && let Err(why) = fed.guard.check_url(&url)
    {
        return Outcome::Permanent(why);
    }
    // The policy may have changed since the activity was queued (a suspension).
    match passage_core::moderation::federates_with(fed, &delivery.host).await {
        Ok(true) => {}
        Ok(false) => return Outcome::Permanent("blocked by this instance's policy".into()),
        Err(e) => return Outcome::Retry(e.to_string()),
    }
    match try_send(fed, signer, delivery, activity).await {
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

/// Sends once in the format this server is known to take (or the configured one), and once
/// more in the other format when it answers 401: servers that moved to RFC 9421 and servers
/// that never left draft-cavage are both reached, and the one that worked is remembered.
async fn try_send(
    fed: &Federation,
    signer: Arc<Signer>,
    delivery: &drow::Model,
    activity: &outgoing_activities::Model,
) -> Result<http::StatusCode, String> {
    let known = fed.signature_formats.get(&delivery.host);
    let first = known.unwrap_or(fed.config.federation.sign_with);
    let status = post_signed(fed, signer.clone(), delivery, activity, first).await?;
    if status != http::StatusCode::UNAUTHORIZED {
        return Ok(status);
    }
    let other = first.other();
    let status = post_signed(fed, signer, delivery, activity, other).await?;
    if status.is_success() {
        fed.signature_formats.remember(&delivery.host, other);
    }
    Ok(status)
}

async fn post_signed(
    fed: &Federation,
    signer: Arc<Signer>,
    delivery: &drow::Model,
    activity: &outgoing_activities::Model,
    format: SignatureFormat,
) -> Result<http::StatusCode, String> {
    const CONTENT_TYPE: &str = "application/activity+json";
    let url = url::Url::parse(&delivery.inbox_url).map_err(|e| e.to_string())?;
    let body = activity.body.clone();
    // RSA signing is CPU work (about 0.7 ms): keep it off the async workers.
    let (headers, url, body) = tokio::task::spawn_blocking(move || {
        let bytes = Some(body.as_bytes());
        let headers = match format {
            SignatureFormat::Cavage => {
                let host = &url[url::Position::BeforeHost..url::Position::AfterPort];
                let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
                let key = &signer.key;
                signatures::sign(
                    key,
                    &signer.key_id,
                    "POST",
                    host,
                    path,
                    bytes,
                    &[("content-type", CONTENT_TYPE)],
                )
            }
            SignatureFormat::Rfc9421 => signatures::rfc9421::sign(
                &signer.key,
                &signer.key_id,
                "POST",
                &url,
                bytes,
                &[("content-type", CONTENT_TYPE)],
            ),
        };
        (headers, url, body)
    })
    .await
    .map_err(|e| e.to_string())?;
    let headers = headers.map_err(|e| e.to_string())?;
    let mut request = fed
        .http
        .post(url)
        .header("content-type", CONTENT_TYPE)
        .body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("request failed: {}", crate::error::with_causes(&e)))?;
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
        // On SQLite this process is the only sender, so claims still held were left by a run
        // that was killed: they are sent again now rather than when their lease runs out.
        if fed.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
            match q::release_claims(&fed.db, now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    deliveries = n,
                    "resuming deliveries a stopped run had claimed"
                ),
                Err(error) => tracing::error!(%error, "could not release delivery claims"),
            }
        }
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
