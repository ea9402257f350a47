//! The directory: this instance's organisations and cities in Mastodon's shape
//! (`GET /api/v1/directory`), the servers it recognises as its network
//! (`GET /api/passage/v1/network/peers`, read by other instances), and the organisations and
//! cities of the whole network as last visited (`GET /api/passage/v1/network`). All public:
//! they list only what their owners publish.

use super::accounts;
use crate::{
    ApiResult, ApiState, entities,
    entities::time,
    params::{Params, de},
};
use axum::{Json, Router, extract::State, routing::get};
use passage_core::network;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/directory", get(directory))
        .route("/api/passage/v1/network/peers", get(peers))
        .route("/api/passage/v1/network", get(whole_network))
}

#[derive(Deserialize)]
struct DirectoryParams {
    #[serde(default, deserialize_with = "de::opt_i64")]
    offset: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
    #[serde(default, deserialize_with = "de::bool")]
    local: bool,
}

async fn directory(
    State(state): State<ApiState>,
    Params(p): Params<DirectoryParams>,
) -> ApiResult<Json<Vec<entities::Account>>> {
    let limit = p.limit.unwrap_or(40).clamp(1, 80) as u64;
    let offset = p.offset.unwrap_or(0).max(0) as u64;
    let found = network::directory(&state.ctx, p.local, offset, limit).await?;
    Ok(Json(accounts(&state, found).await?))
}

async fn peers(State(state): State<ApiState>) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(network::peers(&state.ctx).await?))
}

#[derive(Deserialize)]
struct NetworkParams {
    domain: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    offset: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

async fn whole_network(
    State(state): State<ApiState>,
    Params(p): Params<NetworkParams>,
) -> ApiResult<Json<Value>> {
    let limit = p.limit.unwrap_or(40).clamp(1, 200) as u64;
    let offset = p.offset.unwrap_or(0).max(0) as u64;
    let servers: Vec<Value> = network::servers(&state.ctx)
        .await?
        .iter()
        .map(|s| {
            json!({
                "domain": s.domain,
                "name": s.name,
                "software": s.software,
                "users": s.users,
                "via": s.via,
                "error": s.error,
                "visited_at": time(&s.fetched_at),
            })
        })
        .collect();
    let listed: Vec<Value> = network::listed(&state.ctx, p.domain.as_deref(), offset, limit)
        .await?
        .iter()
        .map(|a| {
            json!({
                "uri": a.ap_id,
                "acct": format!("{}@{}", a.username, a.domain),
                "username": a.username,
                "display_name": a.display_name,
                "note": a.note,
                "url": a.url,
                "avatar": a.avatar,
                "domain": a.domain,
            })
        })
        .collect();
    Ok(Json(json!({"servers": servers, "organisations": listed})))
}
