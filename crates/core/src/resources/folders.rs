//! Folders of resources, as Mobilizon groups keep them (`ResourceCollection`s). A folder
//! belongs to one host, may sit in another folder, and has its own visibility, which its
//! listing follows: a members-only folder is invisible to non-members. A folder is deleted
//! only when empty, so no resource is ever lost with it.

use super::Access;
use crate::{
    Actor, Context,
    error::{CoreError, CoreResult, OrNotFound},
    organisations,
};
use passage_db::{
    entities::{resource_folders, resources},
    now,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

pub type Folder = resource_folders::Model;

/// Longest folder name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Deepest nesting of folders.
pub const MAX_DEPTH: usize = 8;

/// Creates a folder of `host` (by its admins and moderators), at the top or in `parent`.
pub async fn create(
    ctx: &Context,
    by: &Actor,
    host: &Actor,
    name: &str,
    parent: Option<i64>,
    access: Access,
) -> CoreResult<Folder> {
    organisations::check_publisher(ctx, by, host).await?;
    let name = checked_name(name)?;
    if let Some(parent) = parent {
        of_host(ctx, host, parent).await?;
        if depth(ctx, parent).await? >= MAX_DEPTH {
            return Err(CoreError::Invalid(format!(
                "parent_id: folders nest at most {MAX_DEPTH} deep"
            )));
        }
    }
    let at = now();
    Ok(resource_folders::ActiveModel {
        id: Set(ctx.ids.next()),
        ap_id: Set(ctx.urls.resource_folder(&uuid::Uuid::now_v7().to_string())),
        owner_id: Set(host.id),
        parent_id: Set(parent),
        name: Set(name),
        visibility: Set(access.as_str().to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&ctx.db)
    .await?)
}

/// Renames a folder or changes who may see it.
pub async fn update(
    ctx: &Context,
    by: &Actor,
    id: i64,
    name: Option<&str>,
    access: Option<Access>,
) -> CoreResult<Folder> {
    let folder = managed(ctx, by, id).await?;
    let mut row: resource_folders::ActiveModel = folder.into();
    if let Some(name) = name {
        row.name = Set(checked_name(name)?);
    }
    if let Some(access) = access {
        row.visibility = Set(access.as_str().to_owned());
    }
    row.updated_at = Set(now());
    Ok(row.update(&ctx.db).await?)
}

/// Deletes an empty folder.
pub async fn delete(ctx: &Context, by: &Actor, id: i64) -> CoreResult<()> {
    let folder = managed(ctx, by, id).await?;
    let files = resources::Entity::find()
        .filter(resources::Column::FolderId.eq(folder.id))
        .count(&ctx.db)
        .await?;
    let folders = resource_folders::Entity::find()
        .filter(resource_folders::Column::ParentId.eq(folder.id))
        .count(&ctx.db)
        .await?;
    if files + folders > 0 {
        return Err(CoreError::Conflict(
            "the folder is not empty: move or delete what it holds first".into(),
        ));
    }
    resource_folders::Entity::delete_by_id(folder.id)
        .exec(&ctx.db)
        .await?;
    Ok(())
}

/// The folders of `host` that `viewer` may see, by name.
pub async fn list(ctx: &Context, viewer: Option<&Actor>, host: &Actor) -> CoreResult<Vec<Folder>> {
    let all = resource_folders::Entity::find()
        .filter(resource_folders::Column::OwnerId.eq(host.id))
        .order_by_asc(resource_folders::Column::Name)
        .all(&ctx.db)
        .await?;
    let member = organisations::is_insider(ctx, host, viewer).await?;
    Ok(all
        .into_iter()
        .filter(|f| member || f.visibility != Access::Members.as_str())
        .collect())
}

/// A folder by its federated id.
pub async fn by_ap_id(ctx: &Context, ap_id: &str) -> CoreResult<Option<Folder>> {
    Ok(resource_folders::Entity::find()
        .filter(resource_folders::Column::ApId.eq(ap_id))
        .one(&ctx.db)
        .await?)
}

/// A folder by id.
pub async fn find(ctx: &Context, id: i64) -> CoreResult<Option<Folder>> {
    Ok(resource_folders::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?)
}

/// A folder of `host`, or a clear error naming the field.
pub async fn of_host(ctx: &Context, host: &Actor, id: i64) -> CoreResult<Folder> {
    resource_folders::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|f| f.owner_id == host.id)
        .ok_or_else(|| CoreError::Invalid(format!("folder_id: {id} is not a folder of this host")))
}

async fn managed(ctx: &Context, by: &Actor, id: i64) -> CoreResult<Folder> {
    let folder = resource_folders::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .or_not_found()?;
    let host = crate::accounts::by_id(ctx, folder.owner_id).await?;
    organisations::check_publisher(ctx, by, &host).await?;
    Ok(folder)
}

async fn depth(ctx: &Context, mut id: i64) -> CoreResult<usize> {
    let mut depth = 1;
    while let Some(parent) = resource_folders::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .and_then(|f| f.parent_id)
    {
        depth += 1;
        id = parent;
        if depth > MAX_DEPTH {
            break;
        }
    }
    Ok(depth)
}

fn checked_name(name: &str) -> CoreResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(CoreError::Invalid(format!(
            "name: 1-{MAX_NAME_CHARS} characters"
        )));
    }
    Ok(name.to_owned())
}
