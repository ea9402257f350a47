//! Post documents at `/posts/{id}`. Public and unlisted posts are served to anyone; other
//! posts only to a signed fetch by an actor allowed to see them; deleted posts answer 410
//! with a Tombstone. Our custom emoji at `/emojis/{id}`, public like Mastodon's.

use crate::{
    FederationData, FederationError,
    objects::{note::note_from_post, resource},
    protocol::with_context,
    routes::signer,
};
use activitypub_federation::axum::json::FederationJson;
use axum::{
    extract::{Path, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use passage_core::{accounts, emojis, events, posts, resources, visibility::Visibility};

pub async fn get_post(
    Path(id): Path<String>,
    data: FederationData,
    request: Request,
) -> Result<Response, FederationError> {
    let ap_id = data.urls.post(&id);
    serve_post(ap_id, data, request).await
}

/// An event at `/events/{id}`: the same post document, rendered as an `Event`.
pub async fn get_event(
    Path(id): Path<String>,
    data: FederationData,
    request: Request,
) -> Result<Response, FederationError> {
    let ap_id = data.urls.event(&id);
    serve_post(ap_id, data, request).await
}

/// A resource at `/resources/{id}`: the post document, rendered as a `Page`.
pub async fn get_resource(
    Path(id): Path<String>,
    data: FederationData,
    request: Request,
) -> Result<Response, FederationError> {
    let ap_id = data.urls.resource(&id);
    serve_post(ap_id, data, request).await
}

/// A folder at `/resources/folders/{id}`, as Mobilizon writes one (`ResourceCollection`),
/// with the public resources it holds, written out as Mobilizon's `Document`s. Members-only folders are not served: 404, so their
/// existence is not revealed.
pub async fn get_folder(
    Path(id): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let ap_id = data.urls.resource_folder(&id);
    let folder = resources::folders::by_ap_id(&data, &ap_id)
        .await?
        .filter(|f| f.visibility != resources::Access::Members.as_str())
        .ok_or(FederationError::NotFound)?;
    let host = accounts::by_id(&data, folder.owner_id).await?;
    let parent = match folder.parent_id {
        Some(id) => resources::folders::find(&data, id).await?.map(|p| p.ap_id),
        None => None,
    };
    let held = resources::list(&data, None, &host, Some(folder.id), false, 200).await?;
    let mut items: Vec<serde_json::Value> = resources::folders::list(&data, None, &host)
        .await?
        .iter()
        .filter(|f| f.parent_id == Some(folder.id))
        .map(|f| resource::mobilizon_folder(&host, f, &folder.ap_id))
        .collect();
    for one in &held {
        items.push(resource::mobilizon_document(&data, &host, one, &folder.ap_id).await?);
    }
    let doc = serde_json::json!({
        "id": folder.ap_id,
        "type": "ResourceCollection",
        "name": folder.name,
        "attributedTo": host.ap_id,
        "context": parent,
        "published": folder.created_at,
        "updated": folder.updated_at,
        "totalItems": items.len(),
        "items": items,
    });
    Ok(FederationJson(with_context(doc)).into_response())
}

/// What the event page's "answer from Mastodon" form sends.
#[derive(serde::Deserialize)]
pub struct AskForm {
    handle: String,
}

/// `POST /events/{id}/ask` from the event's page: someone on a server without event answers
/// gives their handle, and the organisation sends them its question as a direct poll
/// (`events::by_poll`). Back to the page, saying whether it was sent.
pub async fn ask(
    Path(id): Path<String>,
    data: FederationData,
    axum::Form(form): axum::Form<AskForm>,
) -> Response {
    let page = data.urls.event(&id);
    let sent = async {
        let post = posts::by_ap_id(&data, &page)
            .await?
            .ok_or(FederationError::NotFound)?;
        let invitee = crate::resolve::handle(&data, &form.handle).await?;
        events::by_poll::ask(&data, post.id, &invitee).await?;
        Ok::<_, FederationError>(())
    }
    .await;
    let outcome = match sent {
        Ok(()) => "asked=1".to_owned(),
        Err(e) => {
            let why = e.to_string();
            let why: String = why.chars().take(200).collect();
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("ask_error", &why)
                .finish()
        }
    };
    axum::response::Redirect::to(&format!("{page}?{outcome}#answer")).into_response()
}

/// A recurring series at `/events/series/{id}`: the collection of its public occurrences,
/// which each name it as their `context` (FEP-7888), so a peer can find the others.
pub async fn get_series(
    Path(id): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let series_id = data.urls.event_series(&id);
    let mut all = events::series::occurrences(&data, std::slice::from_ref(&series_id)).await?;
    let occurrences = all.remove(&series_id).ok_or(FederationError::NotFound)?;
    let host = occurrences.first().map(|(p, _)| p.author_id);
    let items: Vec<&str> = occurrences
        .iter()
        .filter(|(post, _)| events::calendar::Entry::listed(post))
        .map(|(post, _)| post.ap_id.as_str())
        .collect();
    let host = match host {
        Some(id) => Some(accounts::by_id(&data, id).await?.ap_id),
        None => None,
    };
    let doc = serde_json::json!({
        "id": series_id,
        "type": "OrderedCollection",
        "attributedTo": host,
        "totalItems": items.len(),
        "orderedItems": items,
    });
    Ok(FederationJson(with_context(doc)).into_response())
}

async fn serve_post(
    ap_id: String,
    data: FederationData,
    request: Request,
) -> Result<Response, FederationError> {
    let post = posts::by_ap_id(&data, &ap_id)
        .await?
        .ok_or(FederationError::NotFound)?;
    if post.deleted_at.is_some() {
        let tombstone = serde_json::json!({ "id": ap_id, "type": "Tombstone" });
        return Ok((StatusCode::GONE, FederationJson(with_context(tombstone))).into_response());
    }
    if post.reblog_of_id.is_some() {
        return Err(FederationError::NotFound);
    }
    if !Visibility::parse(&post.visibility)?.is_public() {
        let (parts, _) = request.into_parts();
        // Unsigned or not allowed: 404, so the post's existence is not revealed.
        let viewer = signer(&data, &parts.method, &parts.uri, &parts.headers, None)
            .await
            .map_err(|_| FederationError::NotFound)?;
        if !posts::can_view(&data, Some(&viewer), &post).await? {
            return Err(FederationError::NotFound);
        }
    }
    Ok(FederationJson(with_context(note_from_post(&data, &post).await?)).into_response())
}

pub async fn get_emoji(
    Path(id): Path<String>,
    data: FederationData,
) -> Result<Response, FederationError> {
    let id = id.parse().map_err(|_| FederationError::NotFound)?;
    let emoji = emojis::local_by_id(&data, id).await?;
    let doc = serde_json::json!({
        "id": emoji.ap_id,
        "type": "Emoji",
        "name": format!(":{}:", emoji.shortcode),
        "updated": emoji.updated_at,
        "icon": crate::protocol::actor::image(&emoji.image_url),
    });
    Ok(FederationJson(with_context(doc)).into_response())
}
