//! Resources as `Page`s: the title as `name`, the description with its link and licence as
//! `content`, every language version in `nameMap`/`contentMap`/`summaryMap` (primary first,
//! as Mastodon reads only the first), the files as attachments, the link as a `Link`
//! attachment (FEP-8967), the licence's address as `license`, the folder as `context`
//! (FEP-7888) and the organisation as `audience` (FEP-1b12). Mastodon turns a `Page` into
//! its name, its summary and a link, so the summary carries the same text as the content.

use crate::{FederationError, protocol::note::Attachment, protocol::note::NoteDocument};
use indexmap::IndexMap;
use passage_core::{
    Actor, Context, Post,
    accounts::ActorKind,
    resources::{self, Resource, Text},
};
use serde_json::{Value, json};

pub async fn set_resource(
    ctx: &Context,
    note: &mut NoteDocument,
    _post: &Post,
    host: &Actor,
    resource: &Resource,
    texts: &[Text],
) -> Result<(), FederationError> {
    let bodies: IndexMap<String, String> = texts
        .iter()
        .map(|t| {
            let body = resources::body_html(
                ctx,
                &t.description,
                resource.link_url.as_deref(),
                resource.licence.as_deref(),
            );
            (t.language.clone(), body)
        })
        .collect();
    note.kind = "Page".into();
    note.name = texts.first().map(|t| t.title.clone());
    note.name_map = Some(
        texts
            .iter()
            .map(|t| (t.language.clone(), t.title.clone()))
            .collect(),
    );
    if let Some(primary) = bodies.values().next() {
        note.content = primary.clone();
        note.summary = Some(primary.clone());
    }
    note.content_map = Some(bodies.clone());
    note.summary_map = Some(bodies);
    if let Some(link) = &resource.link_url {
        note.attachment.push(Attachment {
            kind: "Link".into(),
            media_type: Some("text/html".into()),
            url: Value::Null,
            href: Some(link.clone()),
            name: note.name.clone(),
            blurhash: None,
            focal_point: None,
            width: None,
            height: None,
        });
    }
    note.license = resource
        .licence
        .as_deref()
        .and_then(resources::licence_url)
        .map(str::to_owned);
    if let Some(folder) = resource.folder_id {
        note.context = resources::folders::find(ctx, folder)
            .await?
            .map(|f| Value::String(f.ap_id));
    }
    if ActorKind::parse(&host.kind).ok() == Some(ActorKind::Group) {
        note.audience = Some(Value::String(host.ap_id.clone()));
    }
    Ok(())
}

/// A resource as Mobilizon lists a group's (`Document`, with the link or the first file as
/// `url`), for the items of the resources and folder collections: Mobilizon reads those, while
/// the resource's own address serves the `Page` Mastodon renders.
pub async fn mobilizon_document(
    ctx: &Context,
    host: &Actor,
    shared: &resources::Shared,
    context: &str,
) -> Result<Value, FederationError> {
    let url = match &shared.resource.link_url {
        Some(link) => Some(link.clone()),
        None => passage_core::media::of_post(ctx, shared.post.id)
            .await?
            .into_iter()
            .find_map(|m| m.file_name)
            .map(|f| ctx.media.url(&ctx.urls, &f)),
    };
    let primary = shared.texts.first();
    Ok(json!({
        "id": shared.post.ap_id,
        "type": "Document",
        "name": primary.map(|t| t.title.as_str()),
        "summary": primary.map(|t| t.description.as_str()),
        "url": url,
        "actor": host.ap_id,
        "attributedTo": host.ap_id,
        "context": context,
        "published": shared.post.published_at,
        "updated": shared.resource.updated_at,
    }))
}

/// A folder as Mobilizon lists one (`ResourceCollection`, in its parent's `context`).
pub fn mobilizon_folder(host: &Actor, folder: &resources::folders::Folder, context: &str) -> Value {
    json!({
        "id": folder.ap_id,
        "type": "ResourceCollection",
        "name": folder.name,
        "actor": host.ap_id,
        "attributedTo": host.ap_id,
        "context": context,
        "published": folder.created_at,
        "updated": folder.updated_at,
    })
}
