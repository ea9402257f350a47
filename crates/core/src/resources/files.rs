//! The files of members-only resources. Every other upload is served at its `/media` address
//! to whoever holds the link (as Mastodon serves attachments); these are not (the `/media`
//! guard asks [`is_members_only`]) and are read through the resources API, by those who may
//! see the resource, so a forwarded link opens nothing. (A bucket with its own public address
//! serves its files itself: there, such files are as private as their unguessable names.)

use crate::{Actor, Context, CoreError, error::CoreResult, media::store::StoredFile};
use passage_db::entities::{media_attachments, resources};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

/// Whether the stored file `name` (a file or its thumbnail) belongs to a members-only resource.
pub async fn is_members_only(ctx: &Context, name: &str) -> CoreResult<bool> {
    let found = media_attachments::Entity::find()
        .filter(
            Condition::any()
                .add(media_attachments::Column::FileName.eq(name))
                .add(media_attachments::Column::ThumbnailName.eq(name)),
        )
        .one(&ctx.reader)
        .await?;
    let Some(post_id) = found.and_then(|m| m.post_id) else {
        return Ok(false);
    };
    let resource = resources::Entity::find_by_id(post_id)
        .one(&ctx.reader)
        .await?;
    Ok(resource.is_some_and(|r| r.visibility == super::Access::Members.as_str()))
}

/// The file `media_id` of the resource `post_id`, if `viewer` may see that resource: its row
/// (type, name) and its bytes.
pub async fn read(
    ctx: &Context,
    viewer: Option<&Actor>,
    post_id: i64,
    media_id: i64,
) -> CoreResult<(media_attachments::Model, StoredFile)> {
    super::get(ctx, viewer, post_id).await?;
    let media = media_attachments::Entity::find_by_id(media_id)
        .filter(media_attachments::Column::PostId.eq(post_id))
        .one(&ctx.reader)
        .await?
        .ok_or(CoreError::NotFound)?;
    let name = media.file_name.clone().ok_or(CoreError::NotFound)?;
    let file = ctx.media.get(&name).await?.ok_or(CoreError::NotFound)?;
    Ok((media, file))
}
