//! Passage's extension API for resource shares and their folders, under
//! `/api/passage/v1/resources` and `/api/passage/v1/folders` (documented in the README).
//! Mastodon clients see public and followers-only resources as statuses with their files;
//! these endpoints give the rest: every language version, the licence, the folder, and the
//! members-only resources an organisation's members may read.
//!
//! The version shown as `title` and `description` is the reader's: the first language of
//! `?lang=` or `Accept-Language` the resource has, else its primary one.

use super::{account, id};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::{Auth, User},
    entities::{media_from, time},
    params::{Params, de, opt},
};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    routing::get,
};
use passage_core::{
    Actor, accounts as core_accounts, languages, media,
    resources::{self, Access, ResourceInput, Shared, Version, folders},
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/resources", get(list).post(create))
        .route(
            "/api/passage/v1/resources/{id}",
            get(show).patch(update).put(update).delete(delete),
        )
        .route(
            "/api/passage/v1/folders",
            get(list_folders).post(create_folder),
        )
        .route(
            "/api/passage/v1/folders/{id}",
            axum::routing::patch(update_folder).delete(delete_folder),
        )
}

/// The reader's languages, most wanted first: `?lang=` then `Accept-Language`.
fn wanted(lang: Option<&str>, headers: &HeaderMap) -> Vec<String> {
    let header = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    languages::preferred(lang, header)
}

async fn resource_json(
    state: &ApiState,
    shared: &Shared,
    languages: &[String],
) -> ApiResult<Value> {
    let ctx = &state.ctx;
    let host = core_accounts::by_id(ctx, shared.post.author_id).await?;
    let texts = &shared.texts;
    let available: Vec<&str> = texts.iter().map(|t| t.language.as_str()).collect();
    let shown = languages::pick(languages, &available)
        .and_then(|l| texts.iter().find(|t| t.language == l))
        .ok_or_else(ApiError::not_found)?;
    let files = media::of_post(ctx, shared.post.id).await?;
    let r = &shared.resource;
    Ok(json!({
        "id": shared.post.id.to_string(),
        "status_id": shared.post.id.to_string(),
        "uri": shared.post.ap_id,
        "url": shared.post.url.clone().unwrap_or_else(|| shared.post.ap_id.clone()),
        "title": shown.title,
        "description": shown.description,
        "language": shown.language,
        "versions": texts.iter().map(|t| json!({
            "language": t.language, "title": t.title, "description": t.description,
        })).collect::<Vec<_>>(),
        "link_url": r.link_url,
        "licence": r.licence,
        "licence_url": r.licence.as_deref().and_then(resources::licence_url),
        "category": r.category,
        "folder_id": r.folder_id.map(|f| f.to_string()),
        "visibility": r.visibility,
        "media_attachments": files.iter().map(|m| {
            let mut entity = media_from(ctx, m);
            // Members-only files are read through the API, not at their `/media` address.
            if r.visibility == Access::Members.as_str() {
                let address = super::resource_files::address(state, shared.post.id, m.id);
                entity.url = Some(address.clone());
                entity.preview_url = Some(address);
            }
            entity
        }).collect::<Vec<_>>(),
        "host": account(state, host).await?,
        "created_at": time(&shared.post.published_at),
        "updated_at": time(&r.updated_at),
    }))
}

#[derive(Deserialize, Default)]
struct VersionForm {
    language: Option<String>,
    title: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize, Default)]
struct ResourceForm {
    /// Username of the organisation publishing (the member themselves if absent).
    host: Option<String>,
    title: Option<String>,
    description: Option<String>,
    language: Option<String>,
    /// Further language versions.
    #[serde(default, deserialize_with = "de::opt_items")]
    translations: Option<Vec<VersionForm>>,
    #[serde(default, deserialize_with = "de::opt_string")]
    link_url: Option<String>,
    #[serde(default, deserialize_with = "de::list")]
    media_ids: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    licence: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    category: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    folder_id: Option<String>,
    visibility: Option<String>,
}

impl ResourceForm {
    /// Applies the fields given onto `input` (a new resource, or one as it is).
    fn apply(self, input: &mut ResourceInput, default_language: &str) -> ApiResult<()> {
        if self.title.is_some() || self.description.is_some() || self.language.is_some() {
            let mut primary = input.versions.first().cloned().unwrap_or(Version {
                language: default_language.to_owned(),
                title: String::new(),
                description: String::new(),
            });
            if let Some(title) = self.title {
                primary.title = title;
            }
            if let Some(description) = self.description {
                primary.description = description;
            }
            if let Some(language) = opt(self.language) {
                primary.language = language;
            }
            if input.versions.is_empty() {
                input.versions.push(primary);
            } else {
                input.versions[0] = primary;
            }
        }
        if let Some(translations) = self.translations {
            input.versions.truncate(1);
            for (n, t) in translations.into_iter().enumerate() {
                input.versions.push(Version {
                    language: opt(t.language).ok_or_else(|| {
                        ApiError::invalid(format!("translations[{n}][language]: required"))
                    })?,
                    title: t.title.unwrap_or_default(),
                    description: t.description.unwrap_or_default(),
                });
            }
        }
        if let Some(url) = self.link_url {
            input.link_url = opt(Some(url));
        }
        input.media_ids = self
            .media_ids
            .iter()
            .map(|m| id(m))
            .collect::<ApiResult<_>>()?;
        if let Some(licence) = self.licence {
            input.licence = opt(Some(licence));
        }
        if let Some(category) = self.category {
            input.category = opt(Some(category));
        }
        if let Some(folder) = self.folder_id {
            input.folder_id = match opt(Some(folder)) {
                Some(f) => Some(id(&f)?),
                None => None,
            };
        }
        if let Some(visibility) = self.visibility {
            input.access = Access::parse(&visibility)?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ListQuery {
    host: String,
    #[serde(default, deserialize_with = "de::opt_string")]
    folder_id: Option<String>,
    /// Every resource of the host, whatever its folder.
    #[serde(default, deserialize_with = "de::opt_bool")]
    all: Option<bool>,
    lang: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

/// A host's resources the viewer may see, newest first: at the top, in a folder, or all.
async fn list(
    State(state): State<ApiState>,
    auth: Auth,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let viewer = auth.viewer("read:statuses")?;
    let host = core_accounts::local_by_username(&state.ctx, q.host.trim_start_matches('@')).await?;
    let folder = q.folder_id.as_deref().map(id).transpose()?;
    let limit = q.limit.unwrap_or(40).clamp(1, 200) as u64;
    let found = resources::list(
        &state.ctx,
        viewer,
        &host,
        folder,
        q.all.unwrap_or(false),
        limit,
    )
    .await?;
    let languages = wanted(q.lang.as_deref(), &headers);
    let mut out = Vec::with_capacity(found.len());
    for shared in &found {
        out.push(resource_json(&state, shared, &languages).await?);
    }
    Ok(Json(out))
}

async fn create(
    State(state): State<ApiState>,
    user: User,
    headers: HeaderMap,
    Params(form): Params<ResourceForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let host = match opt(form.host.clone()) {
        Some(name) => core_accounts::local_by_username(&state.ctx, &name).await?,
        None => me.clone(),
    };
    let default_language = state
        .ctx
        .config
        .instance
        .languages
        .first()
        .cloned()
        .unwrap_or_else(|| "en".into());
    let mut input = ResourceInput {
        versions: Vec::new(),
        link_url: None,
        media_ids: Vec::new(),
        licence: None,
        category: None,
        folder_id: None,
        access: Access::Public,
    };
    form.apply(&mut input, &default_language)?;
    let shared = resources::create(&state.ctx, me, &host, input).await?;
    Ok(Json(
        resource_json(&state, &shared, &wanted(None, &headers)).await?,
    ))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn show(
    State(state): State<ApiState>,
    auth: Auth,
    headers: HeaderMap,
    Path(resource_id): Path<String>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Json<Value>> {
    let viewer = auth.viewer("read:statuses")?;
    let shared = resources::get(&state.ctx, viewer, id(&resource_id)?).await?;
    Ok(Json(
        resource_json(&state, &shared, &wanted(q.lang.as_deref(), &headers)).await?,
    ))
}

async fn update(
    State(state): State<ApiState>,
    user: User,
    headers: HeaderMap,
    Path(resource_id): Path<String>,
    Params(form): Params<ResourceForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    if !form.media_ids.is_empty() {
        return Err(ApiError::invalid(
            "media_ids: files are given when a resource is created",
        ));
    }
    let (shared, _) = resources::managed(&state.ctx, me, id(&resource_id)?).await?;
    let mut input = resources::input_of(&shared);
    form.apply(&mut input, "en")?;
    let shared = resources::update(&state.ctx, me, shared.post.id, input).await?;
    Ok(Json(
        resource_json(&state, &shared, &wanted(None, &headers)).await?,
    ))
}

async fn delete(
    State(state): State<ApiState>,
    user: User,
    Path(resource_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    resources::delete(&state.ctx, me, id(&resource_id)?).await?;
    Ok(Json(json!({})))
}

fn folder_json(folder: &folders::Folder) -> Value {
    json!({
        "id": folder.id.to_string(),
        "uri": folder.ap_id,
        "name": folder.name,
        "parent_id": folder.parent_id.map(|p| p.to_string()),
        "visibility": folder.visibility,
        "created_at": time(&folder.created_at),
    })
}

#[derive(Deserialize)]
struct HostQuery {
    host: String,
}

async fn list_folders(
    State(state): State<ApiState>,
    auth: Auth,
    Query(q): Query<HostQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let viewer = auth.viewer("read:statuses")?;
    let host = core_accounts::local_by_username(&state.ctx, q.host.trim_start_matches('@')).await?;
    let found = folders::list(&state.ctx, viewer, &host).await?;
    Ok(Json(found.iter().map(folder_json).collect()))
}

#[derive(Deserialize)]
struct FolderForm {
    host: Option<String>,
    name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    parent_id: Option<String>,
    visibility: Option<String>,
}

async fn create_folder(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<FolderForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let host: Actor = match opt(form.host) {
        Some(name) => core_accounts::local_by_username(&state.ctx, &name).await?,
        None => me.clone(),
    };
    let parent = opt(form.parent_id).as_deref().map(id).transpose()?;
    let access = match form.visibility {
        Some(v) => Access::parse(&v)?,
        None => Access::Public,
    };
    let folder = folders::create(
        &state.ctx,
        me,
        &host,
        form.name.as_deref().unwrap_or_default(),
        parent,
        access,
    )
    .await?;
    Ok(Json(folder_json(&folder)))
}

async fn update_folder(
    State(state): State<ApiState>,
    user: User,
    Path(folder_id): Path<String>,
    Params(form): Params<FolderForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    let access = form.visibility.as_deref().map(Access::parse).transpose()?;
    let folder = folders::update(
        &state.ctx,
        me,
        id(&folder_id)?,
        form.name.as_deref(),
        access,
    )
    .await?;
    Ok(Json(folder_json(&folder)))
}

async fn delete_folder(
    State(state): State<ApiState>,
    user: User,
    Path(folder_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:statuses")?;
    folders::delete(&state.ctx, me, id(&folder_id)?).await?;
    Ok(Json(json!({})))
}
