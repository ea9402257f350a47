//! Mastodon's admin API for single accounts: read one (`Admin::Account`), act on it (`none`,
//! `silence`, `suspend`) and lift a limit or a suspension. For admins and moderators.

use super::{account, id};
use crate::{ApiError, ApiResult, ApiState, auth::User, entities::time, params::Params};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{
    Actor, accounts,
    moderation::{
        By,
        accounts::{self as actions, Kind},
        require_staff,
    },
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/admin/accounts/{id}", get(show))
        .route("/api/v1/admin/accounts/{id}/action", post(act))
        .route("/api/v1/admin/accounts/{id}/unsilence", post(unsilence))
        .route("/api/v1/admin/accounts/{id}/unsuspend", post(unsuspend))
}

/// Mastodon's `Admin::Account`, with what moderators need to tell who it is and where it
/// stands.
pub(super) async fn admin_account(state: &ApiState, actor: Actor) -> ApiResult<Value> {
    Ok(json!({
        "id": actor.id.to_string(),
        "username": actor.username,
        "domain": (!actor.local).then(|| actor.domain.clone()),
        "created_at": time(&actor.created_at),
        "silenced": actor.silenced_at.is_some(),
        "suspended": actor.suspended_at.is_some(),
        "account": account(state, actor).await?,
    }))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(account_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require("admin:read:accounts")?;
    require_staff(&state.ctx, me).await?;
    let target = accounts::by_id(&state.ctx, id(&account_id)?).await?;
    Ok(Json(admin_account(&state, target).await?))
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<String>,
}

/// `POST .../action`: Mastodon answers an empty object.
async fn act(
    State(state): State<ApiState>,
    user: User,
    Path(account_id): Path<String>,
    Params(form): Params<ActionForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("admin:write:accounts")?;
    let kind = Kind::parse(form.kind.as_deref().unwrap_or("none"))?;
    let target = accounts::by_id(&state.ctx, id(&account_id)?).await?;
    if target.id == me.id {
        return Err(ApiError::invalid("type: not on your own account"));
    }
    let reason = form.text.filter(|t| !t.trim().is_empty());
    actions::act(&state.ctx, By::Staff(me), &target, kind, reason.as_deref()).await?;
    Ok(Json(json!({})))
}

async fn lift(
    state: ApiState,
    user: User,
    account_id: String,
    kind: Kind,
) -> ApiResult<Json<Value>> {
    let me = user.require("admin:write:accounts")?;
    let target = accounts::by_id(&state.ctx, id(&account_id)?).await?;
    let lifted = actions::lift(&state.ctx, By::Staff(me), &target, kind).await?;
    Ok(Json(admin_account(&state, lifted).await?))
}

async fn unsilence(
    State(state): State<ApiState>,
    user: User,
    Path(account_id): Path<String>,
) -> ApiResult<Json<Value>> {
    lift(state, user, account_id, Kind::Silence).await
}

async fn unsuspend(
    State(state): State<ApiState>,
    user: User,
    Path(account_id): Path<String>,
) -> ApiResult<Json<Value>> {
    lift(state, user, account_id, Kind::Suspend).await
}
