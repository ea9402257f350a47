//! Moving an organisation to another server, by its admins, in three steps (see
//! `passage_federation::org_moves`): on the new server the new organisation names the old
//! one (`POST .../{name}/aliases`); on the old server the organisation moves
//! (`POST .../{name}/move`, with the admin's password), and its followers follow the new
//! one; then the new organisation adopts the old one's upcoming events, resources and
//! folders (`POST .../{name}/adopt`).

use super::account_moves::{AliasForm, MoveForm, account_address, alias_ids, move_as};
use crate::{ApiError, ApiResult, ApiState, auth::User, params::Params};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::post,
};
use passage_core::{accounts::moves, organisations};
use passage_federation::org_moves;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route(
            "/api/passage/v1/organisations/{name}/aliases",
            post(set_aliases),
        )
        .route("/api/passage/v1/organisations/{name}/move", post(move_org))
        .route("/api/passage/v1/organisations/{name}/adopt", post(adopt))
}

/// The organisation `name`, for one of its admins.
async fn administered(
    state: &ApiState,
    user: &User,
    name: &str,
) -> ApiResult<(passage_core::Actor, passage_core::Actor)> {
    let me = user.require("write:accounts")?.clone();
    let org = organisations::local(&state.ctx, name).await?;
    organisations::check_admin(&state.ctx, Some(&me), &org).await?;
    Ok((me, org))
}

async fn set_aliases(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
    Params(form): Params<AliasForm>,
) -> ApiResult<Json<Value>> {
    let (_, org) = administered(&state, &user, &name).await?;
    let uris = alias_ids(&state, &form.also_known_as_uris).await?;
    let saved = moves::set_aliases(&state.ctx, &org, uris).await?;
    Ok(Json(json!({"also_known_as": moves::aliases(&saved)})))
}

/// 202: the organisation now points to its new address; its followers move in their time.
async fn move_org(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
    Params(form): Params<MoveForm>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (me, org) = administered(&state, &user, &name).await?;
    move_as(&state, &me, &org, &form).await
}

#[derive(Deserialize)]
struct AdoptForm {
    #[serde(default)]
    from: String,
}

async fn adopt(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
    Params(form): Params<AdoptForm>,
) -> ApiResult<Json<Value>> {
    let (me, org) = administered(&state, &user, &name).await?;
    if form.from.trim().is_empty() {
        return Err(ApiError::invalid("from: the old organisation is missing"));
    }
    let old = account_address(&state, &form.from).await?;
    let adopted = org_moves::adopt(&state.data(), &me, &org, &old).await?;
    Ok(Json(json!({
        "events": adopted.events,
        "resources": adopted.resources,
        "folders": adopted.folders,
        "members": adopted.members,
        "skipped": adopted.skipped,
    })))
}
