//! The notification policy (v2 with accept/filter/drop, v1 with booleans) and the requests
//! it fills: filtered notifications by account, accepted or dismissed one by one or together.

use super::{cursors, id};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::{account_from, status_from, time},
    pagination::{PageParams, Paged},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::{get, post},
};
use passage_core::{
    Actor, Context,
    notification_policy::{self as policy, Action, Policy, PolicyUpdate, Request},
    notifications, views,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route(
            "/api/v2/notifications/policy",
            get(show_v2).patch(update_v2).put(update_v2),
        )
        .route(
            "/api/v1/notifications/policy",
            get(show_v1).patch(update_v1).put(update_v1),
        )
        .route("/api/v1/notifications/requests", get(list))
        .route("/api/v1/notifications/requests/merged", get(merged))
        .route("/api/v1/notifications/requests/accept", post(accept_many))
        .route("/api/v1/notifications/requests/dismiss", post(dismiss_many))
        .route("/api/v1/notifications/requests/{id}", get(show))
        .route("/api/v1/notifications/requests/{id}/accept", post(accept))
        .route("/api/v1/notifications/requests/{id}/dismiss", post(dismiss))
}

async fn summary(ctx: &Context, member: &Actor) -> ApiResult<Value> {
    let (requests, notifications) = policy::summary(ctx, member).await?;
    Ok(json!({
        "pending_requests_count": requests,
        "pending_notifications_count": notifications,
    }))
}

async fn v2_json(ctx: &Context, member: &Actor, p: Policy) -> ApiResult<Json<Value>> {
    Ok(Json(json!({
        "for_not_following": p.for_not_following.as_str(),
        "for_not_followers": p.for_not_followers.as_str(),
        "for_new_accounts": p.for_new_accounts.as_str(),
        "for_private_mentions": p.for_private_mentions.as_str(),
        "for_limited_accounts": p.for_limited_accounts.as_str(),
        "summary": summary(ctx, member).await?,
    })))
}

/// v1 speaks booleans: anything but accept is "filtered".
async fn v1_json(ctx: &Context, member: &Actor, p: Policy) -> ApiResult<Json<Value>> {
    let on = |a: Action| a != Action::Accept;
    Ok(Json(json!({
        "filter_not_following": on(p.for_not_following),
        "filter_not_followers": on(p.for_not_followers),
        "filter_new_accounts": on(p.for_new_accounts),
        "filter_private_mentions": on(p.for_private_mentions),
        "summary": summary(ctx, member).await?,
    })))
}

async fn show_v2(State(state): State<ApiState>, user: User) -> ApiResult<Json<Value>> {
    let member = user.require("read:notifications")?;
    let p = policy::get(&state.ctx, member).await?;
    v2_json(&state.ctx, member, p).await
}

async fn show_v1(State(state): State<ApiState>, user: User) -> ApiResult<Json<Value>> {
    let member = user.require("read:notifications")?;
    let p = policy::get(&state.ctx, member).await?;
    v1_json(&state.ctx, member, p).await
}

#[derive(Deserialize)]
struct V2Form {
    for_not_following: Option<String>,
    for_not_followers: Option<String>,
    for_new_accounts: Option<String>,
    for_private_mentions: Option<String>,
    for_limited_accounts: Option<String>,
}

fn action(field: &str, value: Option<String>) -> ApiResult<Option<Action>> {
    value
        .map(|v| Action::parse(&v).map_err(|e| ApiError::invalid(format!("{field}: {e}"))))
        .transpose()
}

async fn update_v2(
    State(state): State<ApiState>,
    user: User,
    Params(f): Params<V2Form>,
) -> ApiResult<Json<Value>> {
    let member = user.require("write:notifications")?;
    let change = PolicyUpdate {
        for_not_following: action("for_not_following", f.for_not_following)?,
        for_not_followers: action("for_not_followers", f.for_not_followers)?,
        for_new_accounts: action("for_new_accounts", f.for_new_accounts)?,
        for_private_mentions: action("for_private_mentions", f.for_private_mentions)?,
        for_limited_accounts: action("for_limited_accounts", f.for_limited_accounts)?,
    };
    let p = policy::update(&state.ctx, member, change).await?;
    v2_json(&state.ctx, member, p).await
}

#[derive(Deserialize)]
struct V1Form {
    #[serde(default, deserialize_with = "de::opt_bool")]
    filter_not_following: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    filter_not_followers: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    filter_new_accounts: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    filter_private_mentions: Option<bool>,
}

async fn update_v1(
    State(state): State<ApiState>,
    user: User,
    Params(f): Params<V1Form>,
) -> ApiResult<Json<Value>> {
    let member = user.require("write:notifications")?;
    let flag = |on: Option<bool>| on.map(|on| if on { Action::Filter } else { Action::Accept });
    let change = PolicyUpdate {
        for_not_following: flag(f.filter_not_following),
        for_not_followers: flag(f.filter_not_followers),
        for_new_accounts: flag(f.filter_new_accounts),
        for_private_mentions: flag(f.filter_private_mentions),
        for_limited_accounts: None,
    };
    let p = policy::update(&state.ctx, member, change).await?;
    v1_json(&state.ctx, member, p).await
}

/// Mastodon's NotificationRequest; its id is the account's, as one request exists per account.
async fn request_json(ctx: &Context, member: &Actor, r: Request) -> ApiResult<Value> {
    let account = views::account(ctx, r.from).await?;
    let last_status = match r.last_post_id {
        Some(post_id) => {
            let (_, posts) =
                notifications::subjects_by_ids(ctx, member, Vec::new(), &[post_id]).await?;
            posts.get(&post_id).map(|v| status_from(ctx, v))
        }
        None => None,
    };
    Ok(json!({
        "id": account.actor.id.to_string(),
        "created_at": time(&r.created_at),
        "updated_at": time(&r.updated_at),
        "account": account_from(ctx, &account),
        // A string in Mastodon's entity.
        "notifications_count": r.count.to_string(),
        "last_status": last_status,
    }))
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<Value>> {
    let member = user.require("read:notifications")?;
    let requests = policy::requests(&state.ctx, member, page.page()).await?;
    let cursors = cursors(requests.iter().map(|r| r.newest_id));
    let mut items = Vec::with_capacity(requests.len());
    for r in requests {
        items.push(request_json(&state.ctx, member, r).await?);
    }
    Ok(Paged::new(items, state.ctx.urls.base(), &uri, cursors))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let member = user.require("read:notifications")?;
    let r = policy::request(&state.ctx, member, id(&raw)?).await?;
    Ok(Json(request_json(&state.ctx, member, r).await?))
}

async fn accept(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let member = user.require("write:notifications")?;
    policy::accept(&state.ctx, member, id(&raw)?).await?;
    Ok(Json(json!({})))
}

async fn dismiss(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let member = user.require("write:notifications")?;
    policy::dismiss(&state.ctx, member, id(&raw)?).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
struct Ids {
    #[serde(default, deserialize_with = "de::list")]
    id: Vec<String>,
}

/// Applies `act` to each request named; unknown ones are skipped, as Mastodon does for bulk
/// actions.
async fn each<'a, F, Fut>(ids: &[String], act: F) -> ApiResult<Json<Value>>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = passage_core::CoreResult<()>> + 'a,
{
    for from in ids.iter().filter_map(|i| i.parse().ok()) {
        match act(from).await {
            Ok(()) | Err(passage_core::CoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(json!({})))
}

async fn accept_many(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<Ids>,
) -> ApiResult<Json<Value>> {
    let member = user.require("write:notifications")?;
    each(&form.id, |from| policy::accept(&state.ctx, member, from)).await
}

async fn dismiss_many(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<Ids>,
) -> ApiResult<Json<Value>> {
    let member = user.require("write:notifications")?;
    each(&form.id, |from| policy::dismiss(&state.ctx, member, from)).await
}

/// Accepting a request takes effect at once, so the merge Mastodon runs later is always done.
async fn merged(user: User) -> ApiResult<Json<Value>> {
    user.require("read:notifications")?;
    Ok(Json(json!({ "merged": true })))
}
