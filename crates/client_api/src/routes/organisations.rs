//! Passage's extension API for organisations, under `/api/passage/v1/organisations`: the
//! organisations a member belongs to, and for their admins the members and roles. Member
//! lists are shown to members, and to others only when the organisation made them public.

use super::{account, id};
use crate::{
    ApiResult, ApiState,
    auth::{Auth, User},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{delete, get},
};
use passage_core::{accounts, accounts::Role, organisations};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/passage/v1/organisations", get(mine))
        .route(
            "/api/passage/v1/organisations/{name}",
            get(show).patch(settings),
        )
        .route(
            "/api/passage/v1/organisations/{name}/members",
            get(members).post(set_member),
        )
        .route(
            "/api/passage/v1/organisations/{name}/members/{account_id}",
            delete(remove_member),
        )
}

async fn org_json(
    state: &ApiState,
    org: passage_core::Actor,
    role: Option<Role>,
) -> ApiResult<Value> {
    let members_public = org.members_public;
    Ok(json!({
        "account": account(state, org).await?,
        "members_public": members_public,
        "role": role.map(Role::as_str),
    }))
}

/// The organisations the member belongs to, with their role in each.
async fn mine(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require("read:accounts")?;
    let mut out = Vec::new();
    for (org, role) in organisations::of_member(&state.ctx, me).await? {
        out.push(org_json(&state, org, Some(role)).await?);
    }
    Ok(Json(out))
}

async fn show(
    State(state): State<ApiState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = auth.viewer("read:accounts")?;
    let org = organisations::local(&state.ctx, &name).await?;
    let role = match viewer {
        Some(viewer) => organisations::role_of(&state.ctx, &org, viewer).await?,
        None => None,
    };
    Ok(Json(org_json(&state, org, role).await?))
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default, deserialize_with = "de::opt_bool")]
    members_public: Option<bool>,
}

async fn settings(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
    Params(form): Params<SettingsForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:accounts")?;
    let mut org = organisations::local(&state.ctx, &name).await?;
    if let Some(public) = form.members_public {
        org = organisations::set_members_public(&state.ctx, Some(me), &org, public).await?;
    }
    let role = organisations::role_of(&state.ctx, &org, me).await?;
    Ok(Json(org_json(&state, org, role).await?))
}

async fn members(
    State(state): State<ApiState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<Value>>> {
    let viewer = auth.viewer("read:accounts")?;
    let org = organisations::local(&state.ctx, &name).await?;
    let mut out = Vec::new();
    for (member, role) in organisations::members(&state.ctx, viewer, &org).await? {
        out.push(json!({ "account": account(&state, member).await?, "role": role.as_str() }));
    }
    Ok(Json(out))
}

#[derive(Deserialize)]
struct MemberForm {
    account_id: Option<String>,
    role: Option<String>,
}

/// Adds a member or changes their role (admins of the organisation only).
async fn set_member(
    State(state): State<ApiState>,
    user: User,
    Path(name): Path<String>,
    Params(form): Params<MemberForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:accounts")?;
    let org = organisations::local(&state.ctx, &name).await?;
    let member_id = id(form.account_id.as_deref().unwrap_or_default())?;
    let member = accounts::by_id(&state.ctx, member_id).await?;
    let role = Role::parse(form.role.as_deref().unwrap_or("member"))?;
    organisations::set_member(&state.ctx, Some(me), &org, &member, role).await?;
    Ok(Json(
        json!({ "account": account(&state, member).await?, "role": role.as_str() }),
    ))
}

async fn remove_member(
    State(state): State<ApiState>,
    user: User,
    Path((name, account_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let me = user.require("write:accounts")?;
    let org = organisations::local(&state.ctx, &name).await?;
    let member = accounts::by_id(&state.ctx, id(&account_id)?).await?;
    organisations::remove_member(&state.ctx, Some(me), &org, &member).await?;
    Ok(Json(json!({})))
}
