//! HTTP routes of the federation surface. Handlers stay thin: extract, call, render.

mod actor;
mod collections;
mod group;
mod inbox;
mod nodeinfo;
mod objects;
mod webfinger;

use crate::{Federation, FederationData, FederationError, objects::actor::resolve, signatures};
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{
    Router,
    routing::{get, post},
};
use passage_core::Actor;
use std::time::{Duration, SystemTime};

/// The ActivityPub, WebFinger and NodeInfo routes of one instance.
pub fn router(config: FederationConfig<Federation>) -> Router {
    Router::new()
        .route("/users/{name}", get(actor::get_user))
        .route("/actor", get(actor::get_instance_actor))
        .route("/users/{name}/inbox", post(inbox::post_inbox))
        .route("/actor/inbox", post(inbox::post_inbox))
        .route("/inbox", post(inbox::post_inbox))
        .route("/users/{name}/outbox", get(collections::outbox))
        .route("/users/{name}/followers", get(collections::followers))
        .route("/users/{name}/following", get(collections::following))
        .route("/users/{name}/moderators", get(group::moderators))
        .route("/users/{name}/members", get(group::members))
        .route("/users/{name}/events", get(group::events))
        .route("/users/{name}/resources", get(group::resources))
        .route("/posts/{id}", get(objects::get_post))
        .route("/events/{id}", get(objects::get_event))
        .route("/events/{id}/ask", axum::routing::post(objects::ask))
        .route("/events/series/{id}", get(objects::get_series))
        .route("/resources/{id}", get(objects::get_resource))
        .route("/resources/folders/{id}", get(objects::get_folder))
        .route("/emojis/{id}", get(objects::get_emoji))
        .route("/.well-known/webfinger", get(webfinger::webfinger))
        .route("/.well-known/host-meta", get(webfinger::host_meta))
        .route("/.well-known/nodeinfo", get(nodeinfo::discovery))
        .route("/nodeinfo/{version}", get(nodeinfo::nodeinfo))
        .layer(FederationMiddleware::new(config))
}

/// Verifies the HTTP signature of a request and returns the actor that signed it. The key is
/// fetched with the actor it names (the keyId without `#main-key`), through the same checked
/// fetch path as every other remote object.
pub(crate) async fn signer(
    data: &FederationData,
    method: &http::Method,
    uri: &http::Uri,
    headers: &http::HeaderMap,
    body: Option<&[u8]>,
) -> Result<Actor, FederationError> {
    let unauthorized = |e: signatures::SignatureError| FederationError::Unauthorized(e.to_string());
    let value = headers
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .ok_or(FederationError::Unauthorized(
            "request is not signed".into(),
        ))?;
    let header = signatures::SignatureHeader::parse(value).map_err(unauthorized)?;
    let actor = resolve(&header.key_owner_hint(), data)
        .await
        .map_err(|e| FederationError::Unauthorized(format!("signing key unavailable: {e}")))?;
    let mut map = signatures::header_map(headers);
    map.entry("host".into())
        .or_insert_with(|| data.domain().to_owned());
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let request = signatures::IncomingRequest {
        method: method.as_str(),
        path_and_query: path,
        headers: &map,
        body,
    };
    let max_age = Duration::from_secs(data.config.federation.signature_max_age_secs);
    signatures::verify(
        &request,
        &header,
        &actor.public_key_pem,
        SystemTime::now(),
        max_age,
    )
    .map_err(unauthorized)?;
    Ok(actor)
}
