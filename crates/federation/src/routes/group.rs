//! The collections of an organisation (`Group`): moderators (FEP-1b12's `attributedTo`),
//! members, resources and upcoming events. Who the members and moderators are is listed only
//! when the organisation made its members public; otherwise only how many there are.

use crate::{FederationData, FederationError, objects::resource, protocol::with_context};
use activitypub_federation::axum::json::FederationJson;
use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use passage_core::{
    Actor,
    accounts::Role,
    events::{self, Filter},
    organisations, resources,
};
use serde_json::{Value, json};

/// Most items listed in one of these collections.
const ITEMS: u64 = 100;

pub async fn moderators(
    Path(name): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    people(name, data, true).await
}

pub async fn members(
    Path(name): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    people(name, data, false).await
}

async fn people(
    name: String,
    data: FederationData,
    moderators: bool,
) -> Result<Response, FederationError> {
    let org = organisations::local(&data, &name).await?;
    let (all, mods) = organisations::counts(&data, &org).await?;
    let id = format!(
        "{}/{}",
        org.ap_id,
        if moderators { "moderators" } else { "members" }
    );
    let mut doc = json!({
        "id": id,
        "type": "OrderedCollection",
        "totalItems": if moderators { mods } else { all },
    });
    if org.members_public {
        let listed = organisations::members(&data, None, &org).await?;
        let items: Vec<&str> = listed
            .iter()
            .filter(|(_, role)| !moderators || matches!(role, Role::Admin | Role::Moderator))
            .map(|(a, _)| a.ap_id.as_str())
            .collect();
        doc["orderedItems"] = json!(items);
    }
    Ok(FederationJson(with_context(doc)).into_response())
}

/// Upcoming public events, soonest first (FEP-8a8e's `upcomingEvents`).
pub async fn events(
    Path(name): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let org = organisations::local(&data, &name).await?;
    let filter = Filter {
        host_id: Some(org.id),
        after: Some(passage_db::now()),
        ..Filter::default()
    };
    let found = events::list(&data, &filter, ITEMS).await?;
    let items: Vec<&str> = found.iter().map(|(p, _)| p.ap_id.as_str()).collect();
    Ok(collection(&org, "events", items))
}

/// Public resources and folders at the top of the tree, as Mobilizon lists a group's: the
/// items written out in Mobilizon's shapes (`ResourceCollection`, `Document`).
pub async fn resources(
    Path(name): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let org = organisations::local(&data, &name).await?;
    let id = format!("{}/resources", org.ap_id);
    let folders = resources::folders::list(&data, None, &org).await?;
    let shared = resources::list(&data, None, &org, None, false, ITEMS).await?;
    let mut items: Vec<Value> = folders
        .iter()
        .filter(|f| f.parent_id.is_none())
        .map(|f| resource::mobilizon_folder(&org, f, &id))
        .collect();
    for one in &shared {
        items.push(resource::mobilizon_document(&data, &org, one, &id).await?);
    }
    Ok(collection(&org, "resources", items))
}

fn collection<T: serde::Serialize>(org: &Actor, path: &str, items: Vec<T>) -> Response {
    let doc: Value = json!({
        "id": format!("{}/{path}", org.ap_id),
        "type": "OrderedCollection",
        "attributedTo": org.ap_id,
        "totalItems": items.len(),
        "orderedItems": items,
    });
    FederationJson(with_context(doc)).into_response()
}
