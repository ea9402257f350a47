//! Scheduled statuses: the member's posts waiting for their time (made through
//! `POST /api/v1/statuses` with `scheduled_at`), listed, moved and cancelled.

use super::{cursors, id};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::{self, scheduled_from},
    pagination::{PageParams, Paged},
    params::Params,
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::get,
};
use passage_core::scheduled;
use passage_db::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/scheduled_statuses", get(list))
        .route(
            "/api/v1/scheduled_statuses/{id}",
            get(show).put(reschedule).delete(cancel),
        )
}

/// `scheduled_at` as clients send it (RFC 3339, with or without fractions).
pub(super) fn parse_time(text: &str) -> ApiResult<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map_err(|_| ApiError::invalid(format!("scheduled_at: {text:?} is not an RFC 3339 time")))
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::ScheduledStatus>> {
    let owner = user.require("read:statuses")?;
    let rows = scheduled::list(&state.ctx, owner, page.page()).await?;
    let cursors = cursors(rows.iter().map(|s| s.id));
    let items = rows.iter().map(|s| scheduled_from(&state.ctx, s)).collect();
    Ok(Paged::new(items, state.ctx.urls.base(), &uri, cursors))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::ScheduledStatus>> {
    let owner = user.require("read:statuses")?;
    let s = scheduled::get(&state.ctx, owner, id(&raw)?).await?;
    Ok(Json(scheduled_from(&state.ctx, &s)))
}

#[derive(Deserialize)]
struct Reschedule {
    scheduled_at: Option<String>,
}

async fn reschedule(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<Reschedule>,
) -> ApiResult<Json<entities::ScheduledStatus>> {
    let owner = user.require("write:statuses")?;
    let at = form
        .scheduled_at
        .ok_or_else(|| ApiError::invalid("scheduled_at: required"))?;
    let s = scheduled::reschedule(&state.ctx, owner, id(&raw)?, parse_time(&at)?).await?;
    Ok(Json(scheduled_from(&state.ctx, &s)))
}

async fn cancel(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("write:statuses")?;
    scheduled::cancel(&state.ctx, owner, id(&raw)?).await?;
    Ok(Json(json!({})))
}
