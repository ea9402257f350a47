//! Passage's probation queue for moderators (`/api/passage/v1/admin/held_posts`): what
//! domains on probation sent unasked, waiting to be let in or turned down. Mastodon has no
//! such queue, so the paths are ours; the scopes are those of reports, the other queue.

use super::{admin_accounts::admin_account, id, status};
use crate::{
    ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{
    accounts, content,
    moderation::{By, held},
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/admin/held_posts", get(list))
        .route("/api/passage/v1/admin/held_posts/{id}", get(show))
        .route(
            "/api/passage/v1/admin/held_posts/{id}/approve",
            post(approve),
        )
        .route("/api/passage/v1/admin/held_posts/{id}/reject", post(reject))
}

/// A held post as a moderator reads it: who sent it, why it waits, and what it says
/// (sanitised, as any remote text).
async fn held_json(state: &ApiState, h: held::HeldPost) -> ApiResult<Value> {
    let object: Value = serde_json::from_str(&h.object).unwrap_or_default();
    let text = |key: &str| object[key].as_str().map(content::sanitize);
    Ok(json!({
        "id": h.id.to_string(),
        "uri": h.ap_id,
        "type": object["type"],
        "reason": h.reason,
        "received_at": time(&h.received_at),
        "account": admin_account(state, accounts::by_id(&state.ctx, h.author_id).await?).await?,
        "spoiler_text": text("summary").unwrap_or_default(),
        "content": text("content").unwrap_or_default(),
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, "admin:read:reports").await?;
    let limit = q.limit.unwrap_or(100).clamp(1, 200) as u64;
    let mut out = Vec::new();
    for h in held::list(&state.ctx, By::Staff(me), limit).await? {
        out.push(held_json(&state, h).await?);
    }
    Ok(Json(out))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(held_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:read:reports").await?;
    let h = held::get(&state.ctx, By::Staff(me), id(&held_id)?).await?;
    Ok(Json(held_json(&state, h).await?))
}

/// Lets the post in; answers with it as a status, as members will now see it.
async fn approve(
    State(state): State<ApiState>,
    user: User,
    Path(held_id): Path<String>,
) -> ApiResult<Json<crate::entities::Status>> {
    let me = user.require_staff(&state, "admin:write:reports").await?;
    let post =
        passage_federation::held::release(&state.data(), By::Staff(me), id(&held_id)?).await?;
    Ok(Json(status(&state, Some(me), post).await?))
}

/// Turns the post down; answers with what was dropped.
async fn reject(
    State(state): State<ApiState>,
    user: User,
    Path(held_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:reports").await?;
    let h = held::reject(&state.ctx, By::Staff(me), id(&held_id)?).await?;
    Ok(Json(held_json(&state, h).await?))
}
