//! Media uploads (v1 answers when processed, v2 may answer 202 but images are processed at
//! once), and reading or describing an upload by id, which masto polls after every upload.

use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::{self, media_from},
    params::Params,
};
use axum::{
    Json, Router,
    extract::{FromRequest, Multipart, Path, Request, State},
    routing::{get, post},
};
use passage_core::media::{self, Upload};
use serde::Deserialize;

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/media", post(upload))
        .route("/api/v2/media", post(upload))
        .route("/api/v1/media/{id}", get(show).put(describe))
}

/// `"x,y"` with both in -1.0..=1.0.
fn parse_focus(text: &str) -> ApiResult<(f64, f64)> {
    let bad = || ApiError::invalid("focus: expected two numbers \"x,y\" between -1.0 and 1.0");
    let (x, y) = text.split_once(',').ok_or_else(bad)?;
    Ok((
        x.trim().parse().map_err(|_| bad())?,
        y.trim().parse().map_err(|_| bad())?,
    ))
}

async fn upload(
    State(state): State<ApiState>,
    user: User,
    request: Request,
) -> ApiResult<Json<entities::MediaAttachment>> {
    let actor = user.require("write:media")?;
    let mut form = Multipart::from_request(request, &state)
        .await
        .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let mut upload = Upload::default();
    let mut has_file = false;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::new(e.status(), e.body_text()))?
    {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "file" => {
                upload.bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::new(e.status(), e.body_text()))?
                    .to_vec();
                has_file = true;
            }
            "description" => upload.description = field.text().await.ok(),
            "focus" => {
                let text = field.text().await.unwrap_or_default();
                if !text.is_empty() {
                    upload.focus = Some(parse_focus(&text)?);
                }
            }
            // A picture for a video or an audio file (unused for images).
            "thumbnail" => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
                upload.thumbnail = Some(bytes.to_vec()).filter(|b| !b.is_empty());
            }
            _ => {}
        }
    }
    if !has_file {
        return Err(ApiError::invalid("file: is missing"));
    }
    let row = media::upload(&state.ctx, actor, upload).await?;
    Ok(Json(media_from(&state.ctx, &row)))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::MediaAttachment>> {
    let actor = user.require("write:media")?;
    let row = media::own(&state.ctx, actor, super::id(&raw)?).await?;
    Ok(Json(media_from(&state.ctx, &row)))
}

#[derive(Deserialize)]
struct Description {
    description: Option<String>,
    focus: Option<String>,
}

async fn describe(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<Description>,
) -> ApiResult<Json<entities::MediaAttachment>> {
    let actor = user.require("write:media")?;
    let focus = form
        .focus
        .as_deref()
        .filter(|f| !f.is_empty())
        .map(parse_focus)
        .transpose()?;
    let row = media::describe(&state.ctx, actor, super::id(&raw)?, form.description, focus).await?;
    Ok(Json(media_from(&state.ctx, &row)))
}
