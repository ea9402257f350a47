//! A member's own warnings and the one appeal each allows (`/api/passage/v1/
//! moderation_warnings`). Mastodon shows these on its web pages only; here apps and pages
//! share them. A frozen login may still use these, and nothing else.

use super::id;
use crate::{ApiError, ApiResult, ApiState, auth::User, entities, params::Params};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{
    Actor,
    moderation::{accounts as actions, appeals},
    views,
};
use serde::Deserialize;
use serde_json::Value;

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/moderation_warnings", get(list))
        .route("/api/passage/v1/moderation_warnings/{id}", get(show))
        .route(
            "/api/passage/v1/moderation_warnings/{id}/appeal",
            post(appeal),
        )
}

async fn rendered(
    state: &ApiState,
    me: &Actor,
    warnings: Vec<actions::Warning>,
) -> ApiResult<Vec<Value>> {
    let me_view = views::accounts(&state.ctx, vec![me.clone()])
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    let mut out = Vec::with_capacity(warnings.len());
    for w in warnings {
        let appeal = appeals::of_warning(&state.ctx, w.id).await?;
        out.push(entities::warning_from(
            &state.ctx,
            &w,
            appeal.as_ref(),
            &me_view,
        ));
    }
    Ok(out)
}

async fn list(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_even_frozen("read:accounts")?;
    let warnings = actions::warnings_of(&state.ctx, me).await?;
    Ok(Json(rendered(&state, me, warnings).await?))
}

/// One of the member's own warnings (others' are not found).
async fn own(state: &ApiState, me: &Actor, raw: &str) -> ApiResult<actions::Warning> {
    let w = actions::warning(&state.ctx, id(raw)?).await?;
    if w.target_id != me.id {
        return Err(ApiError::not_found());
    }
    Ok(w)
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_even_frozen("read:accounts")?;
    let w = own(&state, me, &raw).await?;
    let mut one = rendered(&state, me, vec![w]).await?;
    one.pop().map(Json).ok_or_else(ApiError::not_found)
}

#[derive(Deserialize)]
struct AppealForm {
    text: Option<String>,
}

async fn appeal(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<AppealForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_even_frozen("write:accounts")?;
    let w = own(&state, me, &raw).await?;
    appeals::appeal(&state.ctx, me, w.id, form.text.as_deref().unwrap_or("")).await?;
    let mut one = rendered(&state, me, vec![w]).await?;
    one.pop().map(Json).ok_or_else(ApiError::not_found)
}
