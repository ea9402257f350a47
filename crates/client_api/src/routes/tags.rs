//! Hashtags: look one up, follow and unfollow, list the followed ones.

use crate::{ApiResult, ApiState, auth::User};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::tags;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/tags/{name}", get(show))
        .route("/api/v1/tags/{name}/follow", post(follow))
        .route("/api/v1/tags/{name}/unfollow", post(unfollow))
        .route("/api/v1/followed_tags", get(followed))
}

fn tag_json(state: &ApiState, name: &str, following: Option<bool>) -> Value {
    json!({
        "name": name,
        "url": format!("{}/tags/{name}", state.ctx.urls.base()),
        "history": [],
        "following": following,
    })
}

async fn show(
    State(state): State<ApiState>,
    user: Option<User>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let name = tags::normalise(&name)?;
    let following = match &user {
        Some(u) => Some(tags::is_followed(&state.ctx, &u.actor, &name).await?),
        None => None,
    };
    Ok(Json(tag_json(&state, &name, following)))
}

async fn follow(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:follows")?;
    let name = tags::follow(&state.ctx, actor, &name).await?;
    Ok(Json(tag_json(&state, &name, Some(true))))
}

async fn unfollow(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:follows")?;
    let name = tags::unfollow(&state.ctx, actor, &name).await?;
    Ok(Json(tag_json(&state, &name, Some(false))))
}

async fn followed(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let actor = user.require("read:follows")?;
    let names = tags::followed(&state.ctx, actor).await?;
    Ok(Json(
        names
            .iter()
            .map(|n| tag_json(&state, n, Some(true)))
            .collect(),
    ))
}
