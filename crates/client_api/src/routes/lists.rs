//! Lists: CRUD, their accounts, their timeline, and which lists hold an account.

use super::{id, keyed_account_page, status_page};
use crate::{
    ApiResult, ApiState,
    auth::User,
    entities,
    pagination::{PageParams, Paged},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::get,
};
use passage_core::lists::{self, List};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/lists", get(index).post(create))
        .route("/api/v1/lists/{id}", get(show).put(update).delete(delete))
        .route(
            "/api/v1/lists/{id}/accounts",
            get(members).post(add).delete(remove),
        )
        .route("/api/v1/timelines/list/{id}", get(timeline))
        .route("/api/v1/accounts/{id}/lists", get(containing))
}

fn list_json(l: &List) -> Value {
    json!({
        "id": l.id.to_string(),
        "title": l.title,
        "replies_policy": l.replies_policy,
        "exclusive": l.exclusive,
    })
}

async fn index(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let owner = user.require("read:lists")?;
    let all = lists::all(&state.ctx, owner).await?;
    Ok(Json(all.iter().map(list_json).collect()))
}

#[derive(Deserialize)]
struct ListForm {
    title: Option<String>,
    replies_policy: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    exclusive: Option<bool>,
}

async fn create(
    State(state): State<ApiState>,
    user: User,
    Params(f): Params<ListForm>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("write:lists")?;
    let list = lists::create(
        &state.ctx,
        owner,
        f.title.as_deref().unwrap_or(""),
        f.replies_policy.as_deref().unwrap_or("list"),
        f.exclusive.unwrap_or(false),
    )
    .await?;
    Ok(Json(list_json(&list)))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("read:lists")?;
    Ok(Json(list_json(
        &lists::get(&state.ctx, owner, id(&raw)?).await?,
    )))
}

async fn update(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(f): Params<ListForm>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("write:lists")?;
    let list = lists::update(
        &state.ctx,
        owner,
        id(&raw)?,
        f.title.as_deref(),
        f.replies_policy.as_deref(),
        f.exclusive,
    )
    .await?;
    Ok(Json(list_json(&list)))
}

async fn delete(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("write:lists")?;
    lists::delete(&state.ctx, owner, id(&raw)?).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
struct Accounts {
    #[serde(default, deserialize_with = "de::list")]
    account_ids: Vec<String>,
}

impl Accounts {
    fn ids(&self) -> Vec<i64> {
        self.account_ids
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect()
    }
}

async fn members(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Path(raw): Path<String>,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    let owner = user.require("read:lists")?;
    let rows = lists::accounts(&state.ctx, owner, id(&raw)?, page.page()).await?;
    keyed_account_page(&state, &uri, rows).await
}

async fn add(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(a): Params<Accounts>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("write:lists")?;
    lists::add(&state.ctx, owner, id(&raw)?, &a.ids()).await?;
    Ok(Json(json!({})))
}

async fn remove(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(a): Params<Accounts>,
) -> ApiResult<Json<Value>> {
    let owner = user.require("write:lists")?;
    lists::remove(&state.ctx, owner, id(&raw)?, &a.ids()).await?;
    Ok(Json(json!({})))
}

async fn timeline(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Path(raw): Path<String>,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Status>> {
    let owner = user.require("read:lists")?;
    let posts = lists::timeline(&state.ctx, owner, id(&raw)?, page.page()).await?;
    status_page(&state, Some(owner), &uri, posts, "home").await
}

async fn containing(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<Value>>> {
    let owner = user.require("read:lists")?;
    let found = lists::containing(&state.ctx, owner, id(&raw)?).await?;
    Ok(Json(found.iter().map(list_json).collect()))
}
