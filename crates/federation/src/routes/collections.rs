//! Outbox, followers and following collections. Followers and following show only their size:
//! who belongs to an organisation, or follows a member, is not published (many members are
//! migrants and refugees). The outbox lists recent public posts.

use crate::{
    FederationData, FederationError, delivery::render::create_for_post, protocol::with_context,
};
use activitypub_federation::axum::json::FederationJson;
use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use passage_core::{accounts, follows, visibility::FOR_EVERYONE};
use serde_json::json;

/// Posts listed in the outbox document.
const OUTBOX_ITEMS: u64 = 20;

pub async fn outbox(
    Path(name): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let actor = accounts::local_by_username(&data, &name).await?;
    let posts = passage_db::queries::posts::public_by_author(
        &data.db,
        actor.id,
        &FOR_EVERYONE,
        OUTBOX_ITEMS,
    )
    .await?;
    let mut items = Vec::new();
    for post in posts.iter().filter(|p| p.reblog_of_id.is_none()) {
        items.push(create_for_post(&data, &actor, post).await?);
    }
    let doc = json!({
        "id": data.urls.outbox(&name),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    });
    Ok(FederationJson(with_context(doc)).into_response())
}

pub async fn followers(
    path: Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    count_only(path, data, true).await
}

pub async fn following(
    path: Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    count_only(path, data, false).await
}

async fn count_only(
    Path(name): Path<String>,
    data: FederationData,
    followers: bool,
) -> Result<Response, FederationError> {
    let actor = accounts::local_by_username(&data, &name).await?;
    let total = follows::count(&data, &actor, followers).await?;
    let id = if followers {
        data.urls.followers(&name)
    } else {
        data.urls.following(&name)
    };
    let doc = json!({ "id": id, "type": "OrderedCollection", "totalItems": total });
    Ok(FederationJson(with_context(doc)).into_response())
}
