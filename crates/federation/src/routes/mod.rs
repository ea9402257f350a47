//! HTTP routes of the federation surface. Handlers stay thin: extract, call, render.

mod actor;
mod collections;
mod group;
mod inbox;
mod nodeinfo;
mod objects;
mod signer;
mod webfinger;

use crate::Federation;
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{
    Router,
    routing::{get, post},
};

pub(crate) use signer::signer;

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
