//! Conversations (direct messages by thread): list, mark read, remove.

use super::{accounts, cursors, id, statuses};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    pagination::{PageParams, Paged},
    params::Params,
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::{delete, get, post},
};
use passage_core::{Actor, conversations};
use serde::Serialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/conversations", get(list))
        .route("/api/v1/conversations/{id}", delete(remove))
        .route("/api/v1/conversations/{id}/read", post(read))
}

/// Mastodon's Conversation.
#[derive(Serialize)]
pub struct Conversation {
    id: String,
    unread: bool,
    accounts: Vec<crate::entities::Account>,
    last_status: Option<crate::entities::Status>,
}

async fn render(
    state: &ApiState,
    viewer: &Actor,
    c: conversations::Conversation,
) -> Result<Conversation, ApiError> {
    Ok(Conversation {
        id: c.id.to_string(),
        unread: c.unread,
        accounts: accounts(state, c.participants).await?,
        last_status: statuses(state, Some(viewer), vec![c.last], None)
            .await?
            .pop(),
    })
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<Conversation>> {
    let viewer = user.require("read:statuses")?;
    let found = conversations::list(&state.ctx, viewer, page.page()).await?;
    let cursors = cursors(found.iter().map(|c| c.last.id));
    let mut items = Vec::new();
    for c in found {
        items.push(render(&state, viewer, c).await?);
    }
    Ok(Paged::new(items, state.ctx.urls.base(), &uri, cursors))
}

async fn read(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Conversation>> {
    let viewer = user.require("write:conversations")?;
    let c = conversations::mark_read(&state.ctx, viewer, id(&raw)?).await?;
    Ok(Json(render(&state, viewer, c).await?))
}

async fn remove(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("write:conversations")?;
    conversations::remove(&state.ctx, viewer, id(&raw)?).await?;
    Ok(Json(json!({})))
}
