//! Grouped notifications (Mastodon 4.3, `/api/v2/notifications`): a page of groups with the
//! accounts and statuses they name, one group by key, its accounts, dismissing a group, and
//! the unread counts both versions offer.

use super::{cursors, notifications::ListParams};
use crate::{
    ApiResult, ApiState,
    auth::User,
    entities::{self, grouped_from},
    pagination::Linked,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::{get, post},
};
use passage_core::{
    Actor, Context, filters,
    notification_groups::{self, DEFAULT_GROUPED, Group},
    notifications::{self, Subjects},
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v2/notifications", get(list))
        .route("/api/v2/notifications/unread_count", get(unread_grouped))
        .route("/api/v1/notifications/unread_count", get(unread))
        .route("/api/v2/notifications/{key}", get(show))
        .route("/api/v2/notifications/{key}/accounts", get(accounts))
        .route("/api/v2/notifications/{key}/dismiss", post(dismiss))
}

#[derive(Deserialize)]
struct GroupedParams {
    /// Types the client can show grouped; when absent, Mastodon's default three.
    #[serde(default, deserialize_with = "de::list")]
    grouped_types: Vec<String>,
    #[serde(flatten)]
    list: ListParams,
}

fn grouped_types(asked: Vec<String>) -> Vec<String> {
    if asked.is_empty() {
        DEFAULT_GROUPED.iter().map(|k| (*k).to_owned()).collect()
    } else {
        asked
    }
}

/// Accounts and posts the groups name, without posts the viewer's filters hide (their groups
/// are then left out, as notifications about them are in v1).
async fn subjects(ctx: &Context, viewer: &Actor, groups: &[Group]) -> ApiResult<Subjects> {
    let actor_ids = groups
        .iter()
        .flat_map(|g| g.sample_account_ids.iter().copied())
        .collect();
    let post_ids: Vec<i64> = groups.iter().filter_map(|g| g.post_id).collect();
    let (accounts, mut posts) =
        notifications::subjects_by_ids(ctx, viewer, actor_ids, &post_ids).await?;
    let active = filters::active(ctx, Some(viewer), "notifications").await?;
    posts.retain(|_, view| !active.matches(view).iter().any(filters::Match::hides));
    Ok((accounts, posts))
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(p): Params<GroupedParams>,
) -> ApiResult<Linked<entities::GroupedNotifications>> {
    let viewer = user.require("read:notifications")?;
    let grouped = grouped_types(p.grouped_types);
    let page = p.list.page.page();
    let (groups, read) =
        notification_groups::page(&state.ctx, viewer, &p.list.filter(), &grouped, page).await?;
    let (accounts, posts) = subjects(&state.ctx, viewer, &groups).await?;
    let body = grouped_from(&state.ctx, &groups, &accounts, &posts);
    let cursors = cursors(read.iter().map(|n| n.id));
    Ok(Linked::new(body, state.ctx.urls.base(), &uri, cursors))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(key): Path<String>,
) -> ApiResult<Json<entities::GroupedNotifications>> {
    let viewer = user.require("read:notifications")?;
    let (group, _) = notification_groups::get(&state.ctx, viewer, &key).await?;
    let groups = [group];
    let (accounts, posts) = subjects(&state.ctx, viewer, &groups).await?;
    Ok(Json(grouped_from(&state.ctx, &groups, &accounts, &posts)))
}

/// Everyone in a group, newest first (the sample shows at most eight).
async fn accounts(
    State(state): State<ApiState>,
    user: User,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<entities::Account>>> {
    let viewer = user.require("read:notifications")?;
    let (_, members) = notification_groups::get(&state.ctx, viewer, &key).await?;
    let (accounts, _) = notifications::subjects(&state.ctx, viewer, &members).await?;
    let mut seen = Vec::new();
    let list = members
        .iter()
        .filter(|n| {
            let new = !seen.contains(&n.from_actor_id);
            seen.push(n.from_actor_id);
            new
        })
        .filter_map(|n| accounts.get(&n.from_actor_id))
        .map(|v| entities::account_from(&state.ctx, v))
        .collect();
    Ok(Json(list))
}

async fn dismiss(
    State(state): State<ApiState>,
    user: User,
    Path(key): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("write:notifications")?;
    notification_groups::dismiss(&state.ctx, viewer, &key).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
struct UnreadParams {
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
    #[serde(default, deserialize_with = "de::list")]
    grouped_types: Vec<String>,
}

/// At most `limit` (default 100, at most 1000), as Mastodon counts.
fn unread_limit(asked: Option<i64>) -> u64 {
    asked.map_or(100, |l| l.clamp(1, 1000).unsigned_abs())
}

async fn unread(
    State(state): State<ApiState>,
    user: User,
    Params(p): Params<UnreadParams>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("read:notifications")?;
    let count =
        notification_groups::unread_count(&state.ctx, viewer, None, unread_limit(p.limit)).await?;
    Ok(Json(json!({ "count": count })))
}

async fn unread_grouped(
    State(state): State<ApiState>,
    user: User,
    Params(p): Params<UnreadParams>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("read:notifications")?;
    let grouped = grouped_types(p.grouped_types);
    let limit = unread_limit(p.limit);
    let count =
        notification_groups::unread_count(&state.ctx, viewer, Some(&grouped), limit).await?;
    Ok(Json(json!({ "count": count })))
}
