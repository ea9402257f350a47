//! Notifications: list (with `types[]`, `exclude_types[]`, `account_id`), one, dismiss, clear.

use crate::{
    ApiResult, ApiState,
    auth::User,
    entities::{self, notification_from},
    pagination::{PageParams, Paged},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::{get, post},
};
use passage_core::{
    Actor, Context, filters,
    notifications::{self, Filter, Notification},
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/notifications", get(list))
        .route("/api/v1/notifications/clear", post(clear))
        .route("/api/v1/notifications/{id}", get(show))
        .route("/api/v1/notifications/{id}/dismiss", post(dismiss))
}

/// What v1 and v2 lists take alike.
#[derive(Deserialize)]
pub(super) struct ListParams {
    #[serde(default, deserialize_with = "de::list")]
    types: Vec<String>,
    #[serde(default, deserialize_with = "de::list")]
    exclude_types: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    account_id: Option<i64>,
    #[serde(default, deserialize_with = "de::bool")]
    include_filtered: bool,
    #[serde(flatten)]
    pub page: PageParams,
}

impl ListParams {
    pub(super) fn filter(&self) -> Filter {
        Filter {
            types: self.types.clone(),
            exclude_types: self.exclude_types.clone(),
            account_id: self.account_id,
            include_filtered: self.include_filtered,
        }
    }
}

async fn render(
    ctx: &Context,
    viewer: &Actor,
    rows: &[Notification],
) -> ApiResult<Vec<entities::Notification>> {
    let (accounts, posts) = notifications::subjects(ctx, viewer, rows).await?;
    let warnings = entities::warnings_for(ctx, rows, &accounts).await?;
    let active = filters::active(ctx, Some(viewer), "notifications").await?;
    Ok(rows
        .iter()
        .filter_map(|n| {
            let mut note = notification_from(ctx, n, &accounts, &posts, &warnings)?;
            // A notification about a post the viewer's filters hide is not shown either.
            if let (Some(status), Some(view)) = (
                note.status.as_mut(),
                n.post_id.and_then(|id| posts.get(&id)),
            ) {
                let matches = active.matches(view);
                if matches.iter().any(filters::Match::hides) {
                    return None;
                }
                status.filtered = matches.iter().map(entities::filter_result_from).collect();
            }
            Some(note)
        })
        .collect())
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(p): Params<ListParams>,
) -> ApiResult<Paged<entities::Notification>> {
    let viewer = user.require("read:notifications")?;
    let rows = notifications::list(&state.ctx, viewer, &p.filter(), p.page.page()).await?;
    let cursors = super::cursors(rows.iter().map(|n| n.id));
    let items = render(&state.ctx, viewer, &rows).await?;
    Ok(Paged::new(items, state.ctx.urls.base(), &uri, cursors))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Notification>> {
    let viewer = user.require("read:notifications")?;
    let row = notifications::get(&state.ctx, viewer, super::id(&raw)?).await?;
    let mut items = render(&state.ctx, viewer, &[row]).await?;
    items.pop().map(Json).ok_or_else(crate::ApiError::not_found)
}

async fn dismiss(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("write:notifications")?;
    notifications::dismiss(&state.ctx, viewer, super::id(&raw)?).await?;
    Ok(Json(json!({})))
}

async fn clear(State(state): State<ApiState>, user: User) -> ApiResult<Json<Value>> {
    let viewer = user.require("write:notifications")?;
    notifications::clear(&state.ctx, viewer).await?;
    Ok(Json(json!({})))
}
