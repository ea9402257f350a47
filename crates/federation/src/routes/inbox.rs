//! `POST` to an inbox (personal or shared). Order matters, cheapest refusal first:
//! size (413), signature present (401), JSON syntax and shape limits (400), origin of the activity id
//! (400/403), the moderation policy on the sender's domain (403), the sending address's rate
//! (429), signature valid and made by the activity's actor (401/403; or by a relay we
//! subscribe to, whose forwarded posts are fetched from their origin), the domain's rate
//! (429), the sender's account not suspended (403), already seen (202), then the activity.

use crate::{FederationData, FederationError, activities, routes::signer};
use axum::{body::Body, extract::Request, http::StatusCode};
use passage_db::{entities::received_activities, now};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::Value;
use url::Url;

pub async fn post_inbox(
    data: FederationData,
    request: Request<Body>,
) -> Result<StatusCode, FederationError> {
    let (parts, body) = request.into_parts();
    let limit = data.config.http.max_body_bytes;
    let body = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| FederationError::PayloadTooLarge)?;
    if !parts.headers.contains_key("signature") {
        return Err(FederationError::Unauthorized(
            "request is not signed".into(),
        ));
    }
    let value: Value = serde_json::from_slice(&body)?;
    crate::protocol::limits::check(&value).map_err(FederationError::BadRequest)?;
    let id = url_field(&value, "id")?;
    let actor_id = url_field(&value, "actor")?;
    if id.origin() != actor_id.origin() {
        return Err(FederationError::Forbidden(
            "activity id and actor are on different servers".into(),
        ));
    }
    if data.urls.is_local(id.as_str()) || data.urls.is_local(actor_id.as_str()) {
        return Err(FederationError::Forbidden(
            "activity claims to come from this instance".into(),
        ));
    }
    // Before the signature: a refused domain costs no key fetch and no RSA verification.
    let host = crate::verify::host_of(&actor_id).unwrap_or_default();
    if !passage_core::moderation::federates_with(&data, &host).await? {
        return Err(FederationError::Forbidden(
            "this instance does not federate with yours".into(),
        ));
    }
    let signer = verified_signer(&data, &parts, &body).await?;
    // One busy or hostile server cannot take the machine: the signing server's verified
    // activities per minute (a relay's, for what it forwards).
    let signing_host = crate::verify::host_of(&Url::parse(&signer.ap_id)?).unwrap_or(host);
    data.limits
        .inbox(&signing_host)
        .map_err(FederationError::TooMany)?;
    if signer.ap_id != actor_id.as_str() {
        // A Mastodon-style relay forwards its subscribers' activities under its own
        // signature: what they point at is fetched from its author's server instead. A post
        // that server will not give us (gone, not public) is no fault of the relay's
        // delivery: accepted and dropped.
        if passage_core::relays::is_relay(&data, &signer.ap_id).await? {
            match crate::relays::take_forwarded(&value, &data).await {
                Err(e @ FederationError::Unavailable(_)) => return Err(e),
                Err(error) => tracing::debug!(%error, "a relayed post was not fetched"),
                Ok(()) => {}
            }
            return Ok(StatusCode::ACCEPTED);
        }
        return Err(FederationError::Forbidden(
            "signed by a key that is not the actor's".into(),
        ));
    }
    // The signer is the account already read: no second lookup on this path.
    if signer.suspended_at.is_some() {
        return Err(FederationError::Forbidden(
            "this account is suspended here".into(),
        ));
    }
    if let Some(host) = passage_core::urls::Urls::host_of(actor_id.as_str()) {
        passage_db::queries::deliveries::clear_unreachable(&data.db, &data.reader, &host).await?;
    }
    if !first_time(&data, id.as_str()).await? {
        return Ok(StatusCode::ACCEPTED);
    }
    match activities::receive(value, &data).await {
        Ok(activities::Received::Processed) => Ok(StatusCode::ACCEPTED),
        Ok(activities::Received::Ignored) => {
            tracing::debug!(activity = %id, "activity type not handled; accepted and dropped");
            Ok(StatusCode::ACCEPTED)
        }
        // Something the activity points at could not be fetched from its server: that server's
        // fault, not the sender's, and retrying would not help. Accepted and dropped.
        Err(FederationError::Remote(error)) => {
            tracing::debug!(activity = %id, %error, "a referenced object was not fetched; dropped");
            Ok(StatusCode::ACCEPTED)
        }
        Err(e) => {
            // Let the sender retry later: forget that we saw it.
            received_activities::Entity::delete_by_id(id.to_string())
                .exec(&data.db)
                .await?;
            Err(e)
        }
    }
}

/// The account whose signature the request carries, checked. An address that keeps failing
/// signatures is refused before any key fetch or RSA work; what it fails is charged to it,
/// never to the server the activity names.
async fn verified_signer(
    data: &FederationData,
    parts: &axum::http::request::Parts,
    body: &[u8],
) -> Result<passage_core::Actor, FederationError> {
    let client = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|peer| {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok());
            (peer.0.ip(), forwarded)
        });
    if let Some((peer, forwarded)) = client {
        data.limits
            .inbox_address(peer, forwarded)
            .map_err(FederationError::TooMany)?;
    }
    let checked = signer(data, &parts.method, &parts.uri, &parts.headers, Some(body)).await;
    if let (
        Err(FederationError::Unauthorized(_) | FederationError::Forbidden(_)),
        Some((peer, forwarded)),
    ) = (&checked, client)
    {
        data.limits
            .inbox_failed(peer, forwarded)
            .map_err(FederationError::TooMany)?;
    }
    checked
}

fn url_field(value: &Value, name: &str) -> Result<Url, FederationError> {
    let text = value
        .get(name)
        .and_then(crate::protocol::id_of)
        .unwrap_or_default();
    Url::parse(text)
        .map_err(|_| FederationError::BadRequest(format!("activity has no valid {name}")))
}

/// Records the activity id; false when it was already received (peers deliver at least once).
async fn first_time(data: &FederationData, id: &str) -> Result<bool, FederationError> {
    let row = received_activities::ActiveModel {
        ap_id: Set(id.to_owned()),
        received_at: Set(now()),
    };
    match received_activities::Entity::insert(row)
        .exec(&data.db)
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if passage_db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
