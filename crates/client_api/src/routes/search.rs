//! Search (v2, and v1 for clients that believe the server old): accounts by name or handle,
//! posts and accounts by URL, and with `resolve=true` (signed-in callers only, as in Mastodon)
//! remote ones are fetched through WebFinger or their ActivityPub id.

use super::{accounts, statuses};
use crate::{
    ApiResult, ApiState,
    auth::Auth,
    params::{Params, de},
};
use axum::{Json, Router, extract::State, routing::get};
use passage_core::{Actor, Post, accounts as core_accounts, posts, tags};
use passage_federation::{objects, resolve};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v2/search", get(search))
        .route("/api/v1/search", get(search))
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "de::bool")]
    resolve: bool,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    offset: Option<i64>,
}

async fn search(
    State(state): State<ApiState>,
    auth: Auth,
    Params(p): Params<SearchParams>,
) -> ApiResult<Json<Value>> {
    let viewer = auth.viewer("read:search")?;
    let resolve = p.resolve && viewer.is_some();
    let limit = p.limit.unwrap_or(20).clamp(1, 40) as u64;
    let q = p.q.trim();
    let want = |k: &str| p.kind.as_deref().is_none_or(|t| t == k);
    // Only the first page has results: there is no full-text index to page through.
    let first_page = p.offset.unwrap_or(0) == 0;
    let found_accounts = if want("accounts") && first_page && !q.is_empty() {
        find_accounts(&state, resolve, q, limit).await?
    } else {
        Vec::new()
    };
    let found_posts = if want("statuses") && first_page {
        find_post(&state, viewer, resolve, q)
            .await?
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    // As Mastodon: the tags that start with the query, with or without its `#`.
    let hashtags: Vec<Value> = if want("hashtags") && first_page && !q.is_empty() {
        tags::starting_with(&state.ctx, q, limit as usize)
            .await?
            .into_iter()
            .map(|name| super::tags::tag_json(&state, &name, None))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(json!({
        "accounts": accounts(&state, found_accounts).await?,
        "statuses": statuses(&state, viewer, found_posts, None).await?,
        "hashtags": hashtags,
    })))
}

/// Accounts for a query: a handle (`user@domain`, fetched when `resolve`), an actor URL, or the
/// start of a name among known accounts.
pub async fn find_accounts(
    state: &ApiState,
    resolve: bool,
    q: &str,
    limit: u64,
) -> ApiResult<Vec<Actor>> {
    let handle = q.trim_start_matches('@');
    if let Some((user, domain)) = handle.split_once('@')
        && !user.is_empty()
        && !domain.is_empty()
    {
        let known = if domain.eq_ignore_ascii_case(state.ctx.domain()) {
            core_accounts::local_by_username(&state.ctx, user)
                .await
                .ok()
        } else {
            core_accounts::remote_by_handle(&state.ctx, user, domain).await?
        };
        let found = match known {
            Some(a) => Some(a),
            None if resolve => resolve::handle(&state.data(), handle).await.ok(),
            None => None,
        };
        return Ok(found.into_iter().collect());
    }
    if q.starts_with("https://") || q.starts_with("http://") {
        let known = core_accounts::by_ap_id(&state.ctx, q).await?;
        let found = match known {
            Some(a) => Some(a),
            None if resolve => objects::actor::resolve(q, &state.data()).await.ok(),
            None => None,
        };
        return Ok(found.into_iter().collect());
    }
    Ok(core_accounts::search(&state.ctx, handle, limit).await?)
}

/// A post by its URL or id, fetched when `resolve`; only if the viewer may see it.
async fn find_post(
    state: &ApiState,
    viewer: Option<&Actor>,
    resolve: bool,
    q: &str,
) -> ApiResult<Option<Post>> {
    let Ok(url) = url::Url::parse(q) else {
        return Ok(None);
    };
    if !matches!(url.scheme(), "https" | "http") {
        return Ok(None);
    }
    let post = match posts::by_ap_id(&state.ctx, q).await? {
        Some(p) => Some(p),
        None if resolve => objects::note::resolve(&url, &state.data()).await.ok(),
        None => None,
    };
    Ok(match post {
        Some(p) if posts::can_view(&state.ctx, viewer, &p).await? => Some(p),
        _ => None,
    })
}
