//! Fetching the shared lists admins subscribe to (see
//! `passage_core::moderation::subscriptions`): a plain GET with this instance's HTTP client,
//! its time limit and no redirects, refusing error answers and lists over the size limit.

use crate::Federation;
use passage_core::{
    CoreResult,
    moderation::{
        By,
        subscriptions::{self, MAX_LIST_BYTES, Refreshed, Subscription, format_of},
    },
};

/// The list's text, or why it could not be had.
pub async fn fetch(federation: &Federation, sub: &Subscription) -> Result<String, String> {
    let accept = format_of(sub).map_or("text/csv, application/json;q=0.9, text/plain;q=0.8", |f| {
        f.media_type()
    });
    let url = url::Url::parse(&sub.uri).map_err(|e| e.to_string())?;
    federation.guard.check_url(&url)?;
    let mut response = federation
        .http
        .get(url)
        .header(reqwest::header::ACCEPT, accept)
        .send()
        .await
        .map_err(|e| format!("not reached: {}", crate::error::with_causes(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("answered {status}"));
    }
    let too_large = || format!("larger than {} MiB", MAX_LIST_BYTES / (1024 * 1024));
    if response
        .content_length()
        .is_some_and(|n| n > MAX_LIST_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("cut off: {e}"))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_LIST_BYTES {
            return Err(too_large());
        }
    }
    String::from_utf8(body).map_err(|_| "not UTF-8 text".to_owned())
}

/// Fetches one subscription's list now and applies it.
pub async fn refresh(
    federation: &Federation,
    by: By<'_>,
    sub: &Subscription,
) -> CoreResult<Refreshed> {
    let fetched = fetch(federation, sub).await;
    subscriptions::refresh(federation, by, sub, fetched).await
}

/// Fetches every list that is due; how many were fetched.
pub async fn refresh_due(federation: &Federation) -> CoreResult<usize> {
    let due = subscriptions::due(federation, passage_db::now()).await?;
    for sub in &due {
        refresh(federation, By::Operator, sub).await?;
    }
    Ok(due.len())
}
