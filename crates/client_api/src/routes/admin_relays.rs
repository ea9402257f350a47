//! Relays through the admin API (Mastodon keeps them in its admin pages only):
//! `GET`/`POST /api/passage/v1/admin/relays` (`url`: a relay's inbox, Mastodon's style, or
//! its actor, LitePub's) and `DELETE /api/passage/v1/admin/relays/{id}`.

use super::id;
use crate::{ApiResult, ApiState, auth::User, entities::time, params::Params};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{delete, get},
};
use passage_core::relays::{self, Relay};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/admin/relays", get(index).post(create))
        .route("/api/passage/v1/admin/relays/{id}", delete(remove))
}

fn relay_json(relay: &Relay) -> Value {
    json!({
        "id": relay.id.to_string(),
        "url": relay.url,
        "inbox_url": relay.inbox_url,
        "actor": relay.actor_ap_id,
        "style": relay.style,
        "state": relay.state,
        "created_at": time(&relay.created_at),
    })
}

async fn index(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    user.require_staff(&state, "admin:read").await?;
    let all = relays::list(&state.ctx).await?;
    Ok(Json(all.iter().map(relay_json).collect()))
}

#[derive(Deserialize)]
struct NewRelay {
    #[serde(default)]
    url: String,
}

async fn create(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<NewRelay>,
) -> ApiResult<Json<Value>> {
    user.require_staff(&state, "admin:write").await?;
    let relay = passage_federation::relays::subscribe(&state.data(), &form.url).await?;
    Ok(Json(relay_json(&relay)))
}

async fn remove(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    user.require_staff(&state, "admin:write").await?;
    relays::unsubscribe(&state.ctx, id(&raw)?).await?;
    Ok(Json(json!({})))
}
