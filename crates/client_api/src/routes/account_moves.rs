//! Moving an account, with GoToSocial's endpoints (Mastodon offers the same only in its web
//! settings): the new account names the old one among its aliases
//! (`POST /api/v1/accounts/alias`), then the old one moves (`POST /api/v1/accounts/move`, with
//! its password). An account may be named by its address or by its handle.

use super::accounts::credentials;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities,
    params::{Params, de},
};
use axum::{Json, Router, extract::State, http::StatusCode, routing::post};
use passage_core::{CoreError, accounts as core_accounts, accounts::moves};
use passage_federation::{activities::r#move::fetch_target, resolve};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/accounts/alias", post(set_aliases))
        .route("/api/v1/accounts/move", post(move_account))
}

#[derive(Deserialize)]
pub(super) struct AliasForm {
    #[serde(default, deserialize_with = "de::list")]
    pub(super) also_known_as_uris: Vec<String>,
}

/// Replaces the caller's aliases; an empty list removes them all.
async fn set_aliases(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<AliasForm>,
) -> ApiResult<Json<entities::CredentialAccount>> {
    let me = user.require("write:accounts")?.clone();
    let uris = alias_ids(&state, &form.also_known_as_uris).await?;
    let saved = moves::set_aliases(&state.ctx, &me, uris).await?;
    credentials(&state, saved).await
}

#[derive(Deserialize)]
pub(super) struct MoveForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    moved_to_uri: String,
}

/// Moves the caller's account. 202: the followers elsewhere are told, and move in their time.
async fn move_account(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<MoveForm>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let me = user.require("write:accounts")?.clone();
    move_as(&state, &me, &me, &form).await
}

/// Moves `account` (the caller `me`, or an organisation `me` administers) as `form` asks,
/// once `me`'s password is confirmed. 202: the followers elsewhere are told, and move in
/// their time.
pub(super) async fn move_as(
    state: &ApiState,
    me: &passage_core::Actor,
    account: &passage_core::Actor,
    form: &MoveForm,
) -> ApiResult<(StatusCode, Json<Value>)> {
    confirm_password(state, me, &form.password).await?;
    if form.moved_to_uri.trim().is_empty() {
        return Err(ApiError::invalid("moved_to_uri is missing"));
    }
    let address = account_address(state, &form.moved_to_uri).await?;
    let target = fetch_target(&address, &state.data())
        .await
        .map_err(|e| ApiError::invalid(format!("the new account was not found: {e}")))?;
    moves::move_local(&state.ctx, account, &target).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({}))))
}

/// The actor ids of accounts named by address or handle, for aliases.
pub(super) async fn alias_ids(state: &ApiState, named: &[String]) -> ApiResult<Vec<String>> {
    let mut uris = Vec::with_capacity(named.len());
    for one in named {
        uris.push(account_address(state, one).await?);
    }
    Ok(uris)
}

/// The password again: a stolen token alone must not carry an account's (or an
/// organisation's) followers away.
async fn confirm_password(
    state: &ApiState,
    me: &passage_core::Actor,
    password: &str,
) -> ApiResult<()> {
    match core_accounts::verify_login(&state.ctx, &me.username, password).await {
        Ok(actor) if actor.id == me.id => Ok(()),
        Err(CoreError::TooMany(wait)) => Err(CoreError::TooMany(wait).into()),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "the password is not right",
        )),
    }
}

/// The actor id of an account named by address (kept as given) or by handle (looked up).
pub(super) async fn account_address(state: &ApiState, named: &str) -> ApiResult<String> {
    resolve::actor_id(&state.data(), named)
        .await
        .map_err(|e| ApiError::invalid(format!("no account {:?}: {e}", named.trim())))
}
