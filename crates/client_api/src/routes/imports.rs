//! Taking a member's follows, blocks, mutes, lists and bookmarks to and from other servers,
//! as CSV files in Mastodon's formats, through GoToSocial's endpoints (Mastodon offers the
//! same only in its web settings): `GET /api/v1/exports/{following,followers,lists,blocks,
//! mutes,bookmarks}.csv` and `POST /api/v1/import` (multipart `data`, `type`, `mode`).
//! An import is worked through in the background; its progress and bad lines are at
//! `GET /api/passage/v1/imports/{id}`. The whole archive (posts, likes, bookmarks, uploads)
//! is `GET /api/passage/v1/exports/archive.zip`.

use super::id;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, WithFiles},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::{StatusCode, header},
    response::IntoResponse,
    routing::{get, post},
};
use passage_core::{
    exports::{self, Export},
    imports::{self, Import, Kind, Mode},
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/exports/{file}", get(export))
        .route("/api/passage/v1/exports/archive.zip", get(archive))
        .route("/api/passage/v1/imports", get(index))
        .route("/api/passage/v1/imports/{id}", get(show))
}

/// The route that takes a whole file in its body, for a larger body limit.
pub fn upload_routes() -> Router<ApiState> {
    Router::new().route("/api/v1/import", post(start))
}

/// The scope a kind of data is read or written under, as for its own endpoints.
fn scope(access: &str, kind: &str) -> String {
    let family = match kind {
        "following" | "followers" => "follows",
        other => other,
    };
    format!("{access}:{family}")
}

async fn export(
    State(state): State<ApiState>,
    user: User,
    Path(file): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let name = file.strip_suffix(".csv").ok_or_else(ApiError::not_found)?;
    let what = Export::parse(name).map_err(|_| ApiError::not_found())?;
    let me = user.require(&scope("read", name))?;
    let text = exports::csv(&state.ctx, me, what).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        text,
    ))
}

/// The member's archive: posts as ActivityPub JSON, likes, bookmarks and uploads, in the
/// shape of Mastodon's (see `passage_federation::archive`).
async fn archive(State(state): State<ApiState>, user: User) -> ApiResult<impl IntoResponse> {
    let me = user.require("read")?;
    let bytes = passage_federation::archive::build(&state.ctx, me).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-archive.zip\"", me.username),
            ),
        ],
        bytes,
    ))
}

#[derive(Deserialize)]
struct ImportForm {
    #[serde(rename = "type", default)]
    kind: String,
    mode: Option<String>,
}

/// Stores the file's lines and starts working through them; 202 with the import, whose
/// `id` shows its progress.
async fn start(
    State(state): State<ApiState>,
    user: User,
    WithFiles(form, mut files): WithFiles<ImportForm>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let kind = Kind::parse(&form.kind)?;
    let me = user.require(&scope("write", kind.as_str()))?.clone();
    let mode = Mode::parse(form.mode.as_deref().unwrap_or("merge"))?;
    let file = files
        .take("data")
        .or_else(|| files.take("file"))
        .ok_or_else(|| ApiError::invalid("data: the CSV file is missing"))?;
    let import = imports::start(&state.ctx, &me, kind, mode, &file).await?;
    let body = import_json(&state, &import).await?;
    passage_federation::imports::spawn(state.federation.clone(), import);
    Ok((StatusCode::ACCEPTED, Json(body)))
}

#[derive(Deserialize)]
struct ListParams {
    limit: Option<u64>,
}

async fn index(
    State(state): State<ApiState>,
    user: User,
    Params(params): Params<ListParams>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require("read")?;
    let limit = params.limit.unwrap_or(20).clamp(1, 40);
    let mut out = Vec::new();
    for import in imports::list(&state.ctx, me, limit).await? {
        out.push(import_json(&state, &import).await?);
    }
    Ok(Json(out))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("read")?;
    let import = imports::get(&state.ctx, me, id(&raw)?).await?;
    Ok(Json(import_json(&state, &import).await?))
}

/// An import with its progress and the lines that failed, each with its number and reason.
async fn import_json(state: &ApiState, import: &Import) -> ApiResult<Value> {
    let bad: Vec<Value> = imports::failures(&state.ctx, import)
        .await?
        .iter()
        .map(|row| json!({"line": row.line, "error": row.error}))
        .collect();
    Ok(json!({
        "id": import.id.to_string(),
        "type": import.kind,
        "mode": import.mode,
        "state": import.state,
        "total": import.total,
        "processed": import.processed,
        "failed": import.failed,
        "created_at": time(&import.created_at),
        "finished_at": import.finished_at.as_ref().map(time),
        "bad_lines": bad,
    }))
}
