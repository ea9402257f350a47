//! Appeals for moderators (`/api/passage/v1/admin/appeals`): read them with the warning
//! they contest, approve (the action is lifted) or reject. Mastodon has these on its admin
//! pages only; the scopes are those of accounts.

use super::{admin_accounts::admin_account, id};
use crate::{
    ApiResult, ApiState,
    auth::User,
    entities,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{
    accounts,
    moderation::{By, accounts as actions, appeals},
    views,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/admin/appeals", get(list))
        .route("/api/passage/v1/admin/appeals/{id}/approve", post(approve))
        .route("/api/passage/v1/admin/appeals/{id}/reject", post(reject))
}

async fn appeal_json(state: &ApiState, a: appeals::Appeal) -> ApiResult<Value> {
    let warning = actions::warning(&state.ctx, a.warning_id).await?;
    let target = accounts::by_id(&state.ctx, warning.target_id).await?;
    let target_view = views::accounts(&state.ctx, vec![target.clone()]).await?;
    let warning_json = target_view
        .first()
        .map(|v| entities::warning_from(&state.ctx, &warning, Some(&a), v));
    Ok(json!({
        "id": a.id.to_string(),
        "text": a.text,
        "state": appeals::state(&a),
        "created_at": entities::time(&a.created_at),
        "account": admin_account(state, target).await?,
        "warning": warning_json,
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    /// Decided ones too.
    #[serde(default, deserialize_with = "de::opt_bool")]
    all: Option<bool>,
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, "admin:read:accounts").await?;
    let pending_only = !q.all.unwrap_or(false);
    let mut out = Vec::new();
    for a in appeals::list(&state.ctx, By::Staff(me), pending_only).await? {
        out.push(appeal_json(&state, a).await?);
    }
    Ok(Json(out))
}

async fn approve(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:accounts").await?;
    let a = appeals::approve(&state.ctx, By::Staff(me), id(&raw)?).await?;
    Ok(Json(appeal_json(&state, a).await?))
}

async fn reject(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:accounts").await?;
    let a = appeals::reject(&state.ctx, By::Staff(me), id(&raw)?).await?;
    Ok(Json(appeal_json(&state, a).await?))
}
