//! An organisation moving to another server takes its upcoming events, resources and folders
//! along, and the members who moved their own accounts there. It moves first as any account does (its new organisation names the old one as an
//! alias, the old one moves, its followers follow the new one); then an admin of the new
//! organisation *adopts* what the old one published, read from its public collections
//! (`events`, `resources` and each folder's items) with signed fetches, and published again
//! by the new organisation, with the files it shared copied here. The old organisation's
//! `movedTo` naming the new one is the proof that it consented: nobody else's content can
//! be adopted.

use crate::{FederationData, FederationError, objects::note};
use activitypub_federation::fetch::fetch_object_http;
use passage_core::{
    Actor, content, events,
    resources::{self, Access, ResourceInput, folders},
    texts::Version,
};
use serde_json::Value;
use url::Url;

/// Most items read from one collection, and deepest folders followed.
const MAX_ITEMS: usize = 500;
const MAX_DEPTH: usize = 8;

/// What was adopted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Adopted {
    pub events: usize,
    pub resources: usize,
    pub folders: usize,
    pub members: usize,
    /// Items that could not be taken, with why (the others are taken regardless).
    pub skipped: Vec<String>,
}

/// `by`, an admin of the local organisation `new_org`, adopts the upcoming events and the
/// resources of the organisation at `old_address`, which must have moved to `new_org`.
pub async fn adopt(
    data: &FederationData,
    by: &Actor,
    new_org: &Actor,
    old_address: &str,
) -> Result<Adopted, FederationError> {
    passage_core::organisations::check_admin(data, Some(by), new_org).await?;
    // Its own server's word, fetched now: the document names the new organisation.
    let document: Value = fetch_object_http(&Url::parse(old_address)?, data)
        .await?
        .object;
    let moved_to = document.get("movedTo").and_then(crate::protocol::id_of);
    if document["id"].as_str() != Some(old_address) || moved_to != Some(new_org.ap_id.as_str()) {
        return Err(FederationError::Forbidden(
            "the old organisation has not moved to this one".into(),
        ));
    }
    let mut adopted = Adopted::default();
    for id in collection_items(data, &format!("{}/events", old_address)).await? {
        match adopt_event(data, by, new_org, &id).await {
            Ok(()) => adopted.events += 1,
            Err(e) => adopted.skipped.push(format!("{}: {e}", id_text(&id))),
        }
    }
    let top = collection_items(data, &format!("{}/resources", old_address)).await?;
    adopt_resources(data, by, new_org, top, None, 0, &mut adopted).await;
    adopted.members = adopt_members(data, by, new_org, old_address).await?;
    Ok(adopted)
}

/// The members who came along: where the old organisation lists its members (it made them
/// public), each whose own account moved to an account here that names the old one is
/// made a member again, a moderator if they were one. Members are never read otherwise:
/// who belongs to an organisation is not published unless it chose so.
async fn adopt_members(
    data: &FederationData,
    by: &Actor,
    new_org: &Actor,
    old: &str,
) -> Result<usize, FederationError> {
    let listed = collection_items(data, &format!("{old}/members")).await?;
    let moderators = collection_items(data, &format!("{old}/moderators")).await?;
    let mut count = 0;
    for member in &listed {
        let Ok(url) = Url::parse(id_text(member)) else {
            continue;
        };
        let Ok(document) = fetch_object_http::<_, Value>(&url, data).await else {
            continue;
        };
        let Some(moved_to) = document
            .object
            .get("movedTo")
            .and_then(crate::protocol::id_of)
        else {
            continue;
        };
        let Some(here) = passage_core::accounts::by_ap_id(data, moved_to).await? else {
            continue;
        };
        let names_old = passage_core::accounts::moves::aliases(&here)
            .iter()
            .any(|a| a == url.as_str());
        if !here.local || !names_old {
            continue;
        }
        let role = if moderators.iter().any(|m| id_text(m) == url.as_str()) {
            passage_core::accounts::Role::Moderator
        } else {
            passage_core::accounts::Role::Member
        };
        if passage_core::organisations::role_of(data, new_org, &here)
            .await?
            .is_none()
        {
            passage_core::organisations::set_member(data, Some(by), new_org, &here, role).await?;
            count += 1;
        }
    }
    Ok(count)
}

/// One upcoming event, published again by the new organisation.
async fn adopt_event(
    data: &FederationData,
    by: &Actor,
    new_org: &Actor,
    id: &Value,
) -> Result<(), FederationError> {
    let url = Url::parse(id_text(id))?;
    let post = note::resolve(&url, data).await?;
    let event = events::of_posts(&data.db, &[post.id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| FederationError::BadRequest("not an event".into()))?;
    let texts = passage_core::texts::of_post(&data.db, post.id).await?;
    let mut input = events::input_of(&post, &event, &texts, &[]);
    // A copy held here has its text as HTML only.
    input.description = content::plain_text(&post.content);
    events::create(data, by, new_org, input).await?;
    Ok(())
}

/// Resources and folders (Mobilizon's `Document`s and `ResourceCollection`s), into `parent`.
async fn adopt_resources(
    data: &FederationData,
    by: &Actor,
    new_org: &Actor,
    items: Vec<Value>,
    parent: Option<i64>,
    depth: usize,
    adopted: &mut Adopted,
) {
    for item in items {
        let outcome = match item["type"].as_str() {
            Some("ResourceCollection") if depth < MAX_DEPTH => {
                adopt_folder(data, by, new_org, &item, parent, depth, adopted).await
            }
            Some("Document") => adopt_resource(data, by, new_org, &item, parent)
                .await
                .map(|()| adopted.resources += 1),
            _ => Ok(()),
        };
        if let Err(e) = outcome {
            adopted.skipped.push(format!("{}: {e}", id_text(&item)));
        }
    }
}

async fn adopt_folder(
    data: &FederationData,
    by: &Actor,
    new_org: &Actor,
    item: &Value,
    parent: Option<i64>,
    depth: usize,
    adopted: &mut Adopted,
) -> Result<(), FederationError> {
    let name = item["name"].as_str().unwrap_or("Folder");
    let folder = folders::create(data, by, new_org, name, parent, Access::Public).await?;
    adopted.folders += 1;
    let inner = collection_items(data, id_text(item)).await?;
    Box::pin(adopt_resources(
        data,
        by,
        new_org,
        inner,
        Some(folder.id),
        depth + 1,
        adopted,
    ))
    .await;
    Ok(())
}

/// A resource, shared again: a file on the old server is copied here (it goes when that
/// server closes); a link elsewhere stays a link.
async fn adopt_resource(
    data: &FederationData,
    by: &Actor,
    new_org: &Actor,
    item: &Value,
    folder: Option<i64>,
) -> Result<(), FederationError> {
    let text = |key: &str| item[key].as_str().unwrap_or_default().to_owned();
    let url = item["url"].as_str().and_then(|u| Url::parse(u).ok());
    let id = Url::parse(id_text(item)).ok();
    let on_old_server = match (&url, &id) {
        (Some(url), Some(id)) => url.origin() == id.origin() && url.path().starts_with("/media/"),
        _ => false,
    };
    let (link_url, media_ids) = match url {
        Some(url) if on_old_server => {
            let limit = data.config.media.max_bytes;
            let bytes = crate::fetch::bounded(data, &url, "*/*", limit).await?;
            let upload = passage_core::media::Upload {
                bytes,
                ..Default::default()
            };
            let media = passage_core::media::upload(data, by, upload).await?;
            (None, vec![media.id])
        }
        other => (other.map(String::from), Vec::new()),
    };
    let input = ResourceInput {
        versions: vec![Version {
            language: data
                .config
                .instance
                .languages
                .first()
                .cloned()
                .unwrap_or_else(|| "en".into()),
            title: text("name"),
            description: text("summary"),
        }],
        link_url,
        media_ids,
        licence: None,
        category: None,
        folder_id: folder,
        access: Access::Public,
    };
    resources::create(data, by, new_org, input).await?;
    Ok(())
}

/// The items of a collection (ids or embedded objects), read with a signed fetch.
async fn collection_items(data: &FederationData, url: &str) -> Result<Vec<Value>, FederationError> {
    let url = Url::parse(url)?;
    let fetched: Value = fetch_object_http(&url, data).await?.object;
    let items = fetched
        .get("orderedItems")
        .or_else(|| fetched.get("items"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(items.into_iter().take(MAX_ITEMS).collect())
}

/// An item's id, whether given as a string or an object.
fn id_text(item: &Value) -> &str {
    item.as_str()
        .or_else(|| item["id"].as_str())
        .unwrap_or_default()
}
