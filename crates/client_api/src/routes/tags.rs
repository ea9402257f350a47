//! Hashtags: look one up, follow and unfollow, list the followed ones, and the ones a member
//! features on her profile.

use crate::{
    ApiResult, ApiState,
    auth::{Auth, User},
    entities::time,
    params::Params,
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{delete, get, post},
};
use passage_core::tags::{self, featured};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/tags/{name}", get(show))
        .route("/api/v1/tags/{name}/follow", post(follow))
        .route("/api/v1/tags/{name}/unfollow", post(unfollow))
        .route("/api/v1/followed_tags", get(followed))
        .route("/api/v1/featured_tags", get(featured_list).post(feature))
        .route("/api/v1/featured_tags/suggestions", get(suggestions))
        .route("/api/v1/featured_tags/{id}", delete(unfeature))
        .route("/api/v1/accounts/{id}/featured_tags", get(featured_of))
}

pub(super) fn tag_json(state: &ApiState, name: &str, following: Option<bool>) -> Value {
    json!({
        "name": name,
        "url": state.ctx.urls.tag(name),
        "history": [],
        "following": following,
    })
}

async fn show(
    State(state): State<ApiState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let name = tags::normalise(&name)?;
    let following = match auth.viewer("read:follows")? {
        Some(viewer) => Some(tags::is_followed(&state.ctx, viewer, &name).await?),
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

/// Mastodon's `FeaturedTag`.
fn featured_json(state: &ApiState, f: &featured::Featured) -> Value {
    json!({
        "id": f.id.to_string(),
        "name": f.name,
        "url": state.ctx.urls.tag(&f.name),
        "statuses_count": f.statuses.to_string(),
        "last_status_at": f.last_status_at.as_ref().map(|t| time(t)[..10].to_owned()),
    })
}

async fn featured_list(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let actor = user.require("read:accounts")?;
    let list = featured::of(&state.ctx, actor).await?;
    Ok(Json(
        list.iter().map(|f| featured_json(&state, f)).collect(),
    ))
}

/// Anyone may see what an account features: it is on her public profile.
async fn featured_of(
    State(state): State<ApiState>,
    _auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Value>>> {
    let owner = super::accounts::target(&state, &raw).await?;
    let list = featured::of(&state.ctx, &owner).await?;
    Ok(Json(
        list.iter().map(|f| featured_json(&state, f)).collect(),
    ))
}

#[derive(Deserialize)]
struct FeatureForm {
    #[serde(default)]
    name: String,
}

async fn feature(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<FeatureForm>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:accounts")?;
    let added = featured::add(&state.ctx, actor, &form.name).await?;
    Ok(Json(featured_json(&state, &added)))
}

async fn unfeature(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:accounts")?;
    featured::remove(&state.ctx, actor, super::id(&raw)?).await?;
    Ok(Json(json!({})))
}

async fn suggestions(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let actor = user.require("read:accounts")?;
    let names = featured::suggestions(&state.ctx, actor).await?;
    Ok(Json(
        names.iter().map(|n| tag_json(&state, n, None)).collect(),
    ))
}
