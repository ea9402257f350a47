//! A member's archive, in the shape of Mastodon's "request your archive": a ZIP holding
//! `actor.json` (the account as peers see it), `outbox.json` (every post as the `Create`
//! peers received, boosts as `Announce`s), `likes.json` and `bookmarks.json` (the posts'
//! addresses), and each uploaded file under `media_attachments/`, named as in the posts.
//! Built in memory: a member's own posts and uploads are bounded by the instance's limits.

use crate::{
    FederationError,
    delivery::render::create_for_post,
    objects::actor::actor_document,
    protocol::{PUBLIC, with_context},
};
use passage_core::{Actor, Context};
use passage_db::entities::posts;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::io::Write;
use zip::{ZipWriter, write::SimpleFileOptions};

/// The archive of local `account`, as ZIP bytes.
pub async fn build(ctx: &Context, account: &Actor) -> Result<Vec<u8>, FederationError> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let actor = serde_json::to_value(with_context(actor_document(account)?))?;
    add(&mut zip, "actor.json", &serde_json::to_vec_pretty(&actor)?)?;

    let written: Vec<posts::Model> = posts::Entity::find()
        .filter(posts::Column::AuthorId.eq(account.id))
        .filter(posts::Column::DeletedAt.is_null())
        .order_by_asc(posts::Column::Id)
        .all(&ctx.db)
        .await?;
    let mut items = Vec::with_capacity(written.len());
    let mut files = Vec::new();
    for post in &written {
        match post.reblog_of_id {
            Some(original) => {
                let original = passage_core::posts::by_id(ctx, original).await?;
                items.push(json!({
                    "id": format!("{}/activity", post.ap_id),
                    "type": "Announce",
                    "actor": account.ap_id,
                    "published": post.published_at,
                    "to": [PUBLIC],
                    "object": original.ap_id,
                }));
            }
            None => {
                items.push(create_for_post(ctx, account, post).await?);
                for media in passage_core::media::of_post(ctx, post.id).await? {
                    files.extend(media.file_name);
                }
            }
        }
    }
    add(&mut zip, "outbox.json", &collection("outbox.json", items)?)?;

    let liked = passage_core::exports::liked(ctx, account).await?;
    add(
        &mut zip,
        "likes.json",
        &collection("likes.json", strings(liked))?,
    )?;
    let marked = passage_core::exports::bookmarked(ctx, account).await?;
    add(
        &mut zip,
        "bookmarks.json",
        &collection("bookmarks.json", strings(marked))?,
    )?;

    for name in files {
        if let Some(file) = ctx.media.get(&name).await? {
            add(&mut zip, &format!("media_attachments/{name}"), &file.bytes)?;
        }
    }
    let bytes = zip
        .finish()
        .map_err(|e| FederationError::Internal(format!("writing the archive: {e}")))?
        .into_inner();
    Ok(bytes)
}

fn add<W: Write + std::io::Seek>(
    zip: &mut ZipWriter<W>,
    name: &str,
    bytes: &[u8],
) -> Result<(), FederationError> {
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, options)
        .and_then(|()| zip.write_all(bytes).map_err(Into::into))
        .map_err(|e| FederationError::Internal(format!("writing the archive: {e}")))
}

fn collection(id: &str, items: Vec<Value>) -> Result<Vec<u8>, FederationError> {
    let doc = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    });
    Ok(serde_json::to_vec_pretty(&doc)?)
}

fn strings(items: Vec<String>) -> Vec<Value> {
    items.into_iter().map(Value::String).collect()
}
