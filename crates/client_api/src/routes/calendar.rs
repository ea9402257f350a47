//! Passage's extension API for a member's private calendar feed, under
//! `/api/passage/v1/calendar`: the feed lists the events they answered, at a secret address a
//! calendar app can poll without logging in. Creating the address again replaces it (the old
//! one stops working); deleting it ends the feed. Public feeds need no API: see the README.

use crate::{ApiResult, ApiState, auth::User};
use axum::{Json, Router, extract::State, routing::post};
use passage_core::events::calendar;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new().route(
        "/api/passage/v1/calendar/answers_feed",
        post(issue).delete(revoke),
    )
}

/// A new secret address; it is shown this once.
async fn issue(State(state): State<ApiState>, user: User) -> ApiResult<Json<Value>> {
    let me = user.require("write:accounts")?;
    let token = calendar::issue_token(&state.ctx, me).await?;
    let url = state.ctx.urls.calendar_answers(&token);
    Ok(Json(json!({
        "url": url,
        "webcal_url": calendar::webcal(&url),
    })))
}

async fn revoke(State(state): State<ApiState>, user: User) -> ApiResult<Json<Value>> {
    let me = user.require("write:accounts")?;
    calendar::revoke_token(&state.ctx, me).await?;
    Ok(Json(json!({})))
}
