//! Media attachments: images members upload, kept in the [`store`] (a directory or an S3
//! bucket), and the attachments of remote posts (kept as links to their origin).
//!
//! An upload is decoded and written again before it is stored: the stored file is always an
//! image of the type we detected (never what the client claimed, so an upload cannot pose as a
//! document of another kind), and metadata such as the GPS position a phone writes into a
//! photo is dropped, which matters for members who must not be located. A thumbnail and a
//! blurhash are made at the same time. Decoding is capped in bytes and pixels.
//!
//! Documents (PDF, OpenDocument, Office Open XML, EPUB), which resources carry, are recognised
//! from their bytes alone and stored as they are, under the extension of what they are; they
//! are served like every upload, never sniffed and sandboxed, and Mastodon clients get them
//! as attachments of type `unknown` (a link to the file). Audio and video go through
//! ffmpeg ([`av`]): remuxed without metadata, with a duration and a thumbnail.

use crate::{Actor, Context, CoreError, error::CoreResult};
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use passage_db::{entities::media_attachments, now};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::io::Cursor;

mod av;
pub mod store;

pub type Media = media_attachments::Model;

/// Most attachments on one post (Mastodon's limit, which clients assume).
pub const MAX_PER_POST: usize = 4;
/// Longest side of a thumbnail, in pixels.
const THUMBNAIL_SIDE: u32 = 640;
/// Longest image description, in characters.
const MAX_DESCRIPTION: usize = 1500;

/// A file as a client sent it, with what it says about it.
#[derive(Clone, Debug, Default)]
pub struct Upload {
    pub bytes: Vec<u8>,
    pub description: Option<String>,
    /// Focal point, each coordinate in -1.0..=1.0.
    pub focus: Option<(f64, f64)>,
    /// A picture to show for an audio or video file (Mastodon's `thumbnail`).
    pub thumbnail: Option<Vec<u8>>,
}

/// What processing an upload produced.
struct Processed {
    original: Vec<u8>,
    extension: &'static str,
    content_type: &'static str,
    thumbnail: Vec<u8>,
    width: u32,
    height: u32,
    blurhash: Option<String>,
}

fn check_size(ctx: &Context, bytes: &[u8]) -> CoreResult<()> {
    let max = ctx.config.media.max_bytes;
    if bytes.len() > max {
        return Err(CoreError::TooLarge(format!(
            "the file is larger than {max} bytes"
        )));
    }
    Ok(())
}

fn check_description(text: &Option<String>) -> CoreResult<()> {
    if text
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
    {
        return Err(CoreError::Invalid(format!(
            "description is longer than {MAX_DESCRIPTION} characters"
        )));
    }
    Ok(())
}

fn check_focus(focus: Option<(f64, f64)>) -> CoreResult<()> {
    if let Some((x, y)) = focus
        && !((-1.0..=1.0).contains(&x) && (-1.0..=1.0).contains(&y))
    {
        return Err(CoreError::Invalid(
            "focus must be two numbers between -1.0 and 1.0".into(),
        ));
    }
    Ok(())
}

/// Documents accepted, by the type their bytes show, with the extension they are stored under.
const DOCUMENTS: [(&str, &str); 8] = [
    ("application/pdf", "pdf"),
    ("application/vnd.oasis.opendocument.text", "odt"),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ("application/vnd.oasis.opendocument.presentation", "odp"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    ("application/epub+zip", "epub"),
];

/// The document type of `bytes`, if they are one of [`DOCUMENTS`].
fn document_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let found = infer::get(bytes)?;
    DOCUMENTS
        .iter()
        .find(|(mime, _)| *mime == found.mime_type())
        .copied()
}

/// Stores an upload of `actor`, not yet attached to a post.
pub async fn upload(ctx: &Context, actor: &Actor, upload: Upload) -> CoreResult<Media> {
    check_size(ctx, &upload.bytes)?;
    check_description(&upload.description)?;
    check_focus(upload.focus)?;
    if let Some(kind) = document_type(&upload.bytes) {
        return store_document(ctx, actor, upload, kind).await;
    }
    if av::is_av(&upload.bytes) {
        return av::store(ctx, actor, upload).await;
    }
    let max_pixels = ctx.config.media.max_pixels;
    let bytes = upload.bytes;
    let processed = blocking(move || process(&bytes, max_pixels)).await?;
    let row = media_attachments::ActiveModel {
        actor_id: Set(actor.id),
        kind: Set("image".into()),
        content_type: Set(processed.content_type.into()),
        description: Set(upload.description.filter(|d| !d.trim().is_empty())),
        focus_x: Set(upload.focus.map(|f| f.0)),
        focus_y: Set(upload.focus.map(|f| f.1)),
        width: Set(i32::try_from(processed.width).ok()),
        height: Set(i32::try_from(processed.height).ok()),
        blurhash: Set(processed.blurhash),
        ..Default::default()
    };
    let file = (processed.original, processed.extension);
    store_with_thumbnail(ctx, file, Some(processed.thumbnail), row).await
}

/// Stores an upload's file and its thumbnail (if any) under one new name, then its `row`
/// (which gets their names and the time); nothing half-written remains when a step fails.
async fn store_with_thumbnail(
    ctx: &Context,
    (bytes, extension): (Vec<u8>, &str),
    thumbnail: Option<Vec<u8>>,
    mut row: media_attachments::ActiveModel,
) -> CoreResult<Media> {
    let stem = uuid::Uuid::new_v4().simple().to_string();
    let file_name = format!("{stem}.{extension}");
    let thumbnail_name = format!("{stem}_small.jpg");
    let content_type = match &row.content_type {
        Set(t) => t.clone(),
        _ => String::new(),
    };
    ctx.media.put(&file_name, bytes, &content_type).await?;
    let has_thumbnail = thumbnail.is_some();
    if let Some(thumbnail) = thumbnail
        && let Err(e) = ctx
            .media
            .put(&thumbnail_name, thumbnail, "image/jpeg")
            .await
    {
        ctx.media.delete(&file_name).await;
        return Err(e);
    }
    row.file_name = Set(Some(file_name.clone()));
    row.thumbnail_name = Set(has_thumbnail.then(|| thumbnail_name.clone()));
    row.created_at = Set(now());
    match row.insert(&ctx.db).await {
        Ok(row) => Ok(row),
        Err(e) => {
            ctx.media.delete(&file_name).await;
            ctx.media.delete(&thumbnail_name).await;
            Err(e.into())
        }
    }
}

/// Stores a document as it came: there is nothing in it to re-encode or preview.
async fn store_document(
    ctx: &Context,
    actor: &Actor,
    upload: Upload,
    (content_type, extension): (&str, &str),
) -> CoreResult<Media> {
    let file_name = format!("{}.{extension}", uuid::Uuid::new_v4().simple());
    ctx.media
        .put(&file_name, upload.bytes, content_type)
        .await?;
    let row = media_attachments::ActiveModel {
        actor_id: Set(actor.id),
        post_id: Set(None),
        kind: Set("unknown".into()),
        content_type: Set(content_type.into()),
        file_name: Set(Some(file_name.clone())),
        description: Set(upload.description.filter(|d| !d.trim().is_empty())),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&ctx.db)
    .await;
    if row.is_err() {
        ctx.media.delete(&file_name).await;
    }
    Ok(row?)
}

/// Stores a profile picture of at most `width`×`height` (cropped to that shape, as Mastodon
/// shows avatars square and headers 3:1), re-encoded like every upload so no metadata stays.
/// Returns the file name in the [`store`].
pub(crate) async fn store_picture(
    ctx: &Context,
    bytes: Vec<u8>,
    (width, height): (u32, u32),
) -> CoreResult<String> {
    check_size(ctx, &bytes)?;
    let max_pixels = ctx.config.media.max_pixels;
    let (encoded, extension) = blocking(move || {
        let (image, format) = decode(&bytes, max_pixels)?;
        let image = if image.width() > width || image.height() > height {
            image.resize_to_fill(width, height, image::imageops::FilterType::Lanczos3)
        } else {
            image
        };
        // GIFs lose their animation here: a still picture is what most clients show anyway.
        match format {
            ImageFormat::Jpeg => Ok((encode(&image, ImageFormat::Jpeg)?, "jpg")),
            ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif => {
                Ok((encode(&image, ImageFormat::Png)?, "png"))
            }
            _ => Err(unsupported()),
        }
    })
    .await?;
    let name = format!("{}.{extension}", uuid::Uuid::new_v4().simple());
    let content_type = if extension == "jpg" {
        "image/jpeg"
    } else {
        "image/png"
    };
    ctx.media.put(&name, encoded, content_type).await?;
    Ok(name)
}

/// A picture given for (or taken from) an audio or video file, made into a thumbnail and a
/// blurhash like every upload's.
async fn picture_and_thumbnail(ctx: &Context, bytes: Vec<u8>) -> CoreResult<Processed> {
    check_size(ctx, &bytes)?;
    let max_pixels = ctx.config.media.max_pixels;
    blocking(move || process(&bytes, max_pixels)).await
}

/// Image work runs off the async threads: decoding a large picture takes a while.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> CoreResult<T> + Send + 'static,
) -> CoreResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| CoreError::Internal(format!("media task: {e}")))?
}

fn unsupported() -> CoreError {
    CoreError::Unsupported(
        "only JPEG, PNG, GIF and WebP images, MP4, WebM and MOV video, MP3, Ogg, Opus, M4A and \
         WAV audio, and PDF, OpenDocument, Office and EPUB documents are accepted"
            .into(),
    )
}

/// Decodes an image within the byte and pixel caps: the size is read from the header first,
/// so a small file claiming a huge picture is refused before anything is allocated.
fn decode(bytes: &[u8], max_pixels: u64) -> CoreResult<(DynamicImage, ImageFormat)> {
    let format = image::guess_format(bytes).map_err(|_| unsupported())?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(4));
    reader.limits(limits);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| CoreError::Invalid(format!("file: not a readable image ({e})")))?;
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(CoreError::TooLarge(format!(
            "the image has more than {max_pixels} pixels"
        )));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| CoreError::Invalid(format!("file: not a readable image ({e})")))?;
    Ok((image, format))
}

fn process(bytes: &[u8], max_pixels: u64) -> CoreResult<Processed> {
    let (image, format) = decode(bytes, max_pixels)?;
    let (width, height) = (image.width(), image.height());
    let (original, extension, content_type) = match format {
        // Animated GIFs would lose their frames if re-encoded, and carry no camera metadata.
        ImageFormat::Gif => (bytes.to_vec(), "gif", "image/gif"),
        ImageFormat::Jpeg => (encode(&image, ImageFormat::Jpeg)?, "jpg", "image/jpeg"),
        ImageFormat::Png | ImageFormat::WebP => {
            (encode(&image, ImageFormat::Png)?, "png", "image/png")
        }
        _ => return Err(unsupported()),
    };
    let small = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let thumbnail = encode(&DynamicImage::ImageRgb8(small.to_rgb8()), ImageFormat::Jpeg)?;
    let tiny = image.thumbnail(32, 32).to_rgba8();
    let blurhash = blurhash::encode(4, 3, tiny.width(), tiny.height(), tiny.as_raw()).ok();
    Ok(Processed {
        original,
        extension,
        content_type,
        thumbnail,
        width,
        height,
        blurhash,
    })
}

fn encode(image: &DynamicImage, format: ImageFormat) -> CoreResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let image = if format == ImageFormat::Jpeg {
        DynamicImage::ImageRgb8(image.to_rgb8())
    } else {
        image.clone()
    };
    image
        .write_to(&mut out, format)
        .map_err(|e| CoreError::Internal(format!("encoding an image: {e}")))?;
    Ok(out.into_inner())
}

/// One of `actor`'s uploads.
pub async fn own(ctx: &Context, actor: &Actor, id: i64) -> CoreResult<Media> {
    media_attachments::Entity::find_by_id(id)
        .filter(media_attachments::Column::ActorId.eq(actor.id))
        .one(&ctx.db)
        .await?
        .ok_or(CoreError::NotFound)
}

/// Changes the description or focal point of an upload.
pub async fn describe(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    description: Option<String>,
    focus: Option<(f64, f64)>,
) -> CoreResult<Media> {
    check_description(&description)?;
    check_focus(focus)?;
    let media = own(ctx, actor, id).await?;
    let mut row: media_attachments::ActiveModel = media.into();
    if let Some(d) = description {
        row.description = Set(Some(d).filter(|d| !d.trim().is_empty()));
    }
    if let Some((x, y)) = focus {
        row.focus_x = Set(Some(x));
        row.focus_y = Set(Some(y));
    }
    Ok(row.update(&ctx.db).await?)
}

/// Checks that `ids` are unattached uploads of `author` (at most [`MAX_PER_POST`]), in order.
pub(crate) async fn for_new_post(
    db: &impl sea_orm::ConnectionTrait,
    author: &Actor,
    ids: &[i64],
) -> CoreResult<Vec<Media>> {
    if ids.len() > MAX_PER_POST {
        return Err(CoreError::Invalid(format!(
            "media_ids: at most {MAX_PER_POST} attachments"
        )));
    }
    let rows = media_attachments::Entity::find()
        .filter(media_attachments::Column::Id.is_in(ids.iter().copied()))
        .filter(media_attachments::Column::ActorId.eq(author.id))
        .filter(media_attachments::Column::PostId.is_null())
        .filter(media_attachments::Column::ScheduledPostId.is_null())
        .all(db)
        .await?;
    ids.iter()
        .map(|id| {
            rows.iter().find(|m| m.id == *id).cloned().ok_or_else(|| {
                CoreError::Invalid(format!(
                    "media_ids: {id} is not an unattached upload of yours"
                ))
            })
        })
        .collect()
}

/// Attaches checked uploads to a post.
pub(crate) async fn attach(
    db: &impl sea_orm::ConnectionTrait,
    media: Vec<Media>,
    post_id: i64,
) -> CoreResult<()> {
    for m in media {
        let mut row: media_attachments::ActiveModel = m.into();
        row.post_id = Set(Some(post_id));
        row.update(db).await?;
    }
    Ok(())
}

/// Holds checked uploads back for a scheduled post, so no other post takes them meanwhile.
pub(crate) async fn reserve(
    db: &impl sea_orm::ConnectionTrait,
    media: &[Media],
    scheduled_id: i64,
) -> CoreResult<()> {
    media_attachments::Entity::update_many()
        .col_expr(
            media_attachments::Column::ScheduledPostId,
            sea_orm::sea_query::Expr::value(scheduled_id),
        )
        .filter(media_attachments::Column::Id.is_in(media.iter().map(|m| m.id)))
        .exec(db)
        .await?;
    Ok(())
}

/// Frees the uploads a scheduled post held (it is published or cancelled).
pub(crate) async fn release(
    db: &impl sea_orm::ConnectionTrait,
    scheduled_id: i64,
) -> CoreResult<()> {
    media_attachments::Entity::update_many()
        .col_expr(
            media_attachments::Column::ScheduledPostId,
            sea_orm::sea_query::Expr::value(Option::<i64>::None),
        )
        .filter(media_attachments::Column::ScheduledPostId.eq(scheduled_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The uploads held by these scheduled posts.
pub(crate) async fn of_scheduled(
    db: &impl sea_orm::ConnectionTrait,
    scheduled_ids: &[i64],
) -> CoreResult<Vec<Media>> {
    use sea_orm::QueryOrder;
    Ok(media_attachments::Entity::find()
        .filter(media_attachments::Column::ScheduledPostId.is_in(scheduled_ids.iter().copied()))
        .order_by_asc(media_attachments::Column::Id)
        .all(db)
        .await?)
}

/// An attachment of a remote post, as its server describes it.
#[derive(Clone, Debug)]
pub struct RemoteMedia {
    pub url: String,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub blurhash: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub focus: Option<(f64, f64)>,
}

/// Replaces the attachments of a remote post (a `new_post` has none to replace).
pub(crate) async fn set_remote(
    db: &impl sea_orm::ConnectionTrait,
    author: &Actor,
    post_id: i64,
    new_post: bool,
    list: &[RemoteMedia],
) -> CoreResult<()> {
    if !new_post {
        media_attachments::Entity::delete_many()
            .filter(media_attachments::Column::PostId.eq(post_id))
            .exec(db)
            .await?;
    }
    for m in list.iter().take(MAX_PER_POST * 4) {
        let content_type = m.content_type.clone().unwrap_or_default();
        let kind = match content_type.split('/').next() {
            Some("image") if content_type == "image/gif" => "gifv",
            Some("image") => "image",
            Some("video") => "video",
            Some("audio") => "audio",
            _ => "unknown",
        };
        media_attachments::ActiveModel {
            actor_id: Set(author.id),
            post_id: Set(Some(post_id)),
            kind: Set(kind.into()),
            content_type: Set(content_type),
            file_name: Set(None),
            thumbnail_name: Set(None),
            remote_url: Set(Some(m.url.clone())),
            description: Set(m.description.clone()),
            focus_x: Set(m.focus.map(|f| f.0)),
            focus_y: Set(m.focus.map(|f| f.1)),
            width: Set(m.width),
            height: Set(m.height),
            blurhash: Set(m.blurhash.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The attachments of a post, in order.
pub async fn of_post(ctx: &Context, post_id: i64) -> CoreResult<Vec<Media>> {
    use sea_orm::QueryOrder;
    Ok(media_attachments::Entity::find()
        .filter(media_attachments::Column::PostId.eq(post_id))
        .order_by_asc(media_attachments::Column::Id)
        .all(&ctx.db)
        .await?)
}
