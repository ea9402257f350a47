//! Statuses: post (with `Idempotency-Key` and polls), read, thread, edit, delete, the
//! reactions (favourite, boost, bookmark) with who reacted, pins and muted threads.

use super::{id, keyed_account_page, status, statuses};
use crate::{
    ApiError, ApiResult, ApiState,
    auth::{Auth, User},
    entities::{self, time},
    pagination::{PageParams, Paged},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, Uri},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use passage_core::{
    Actor, Post, accounts, bookmarks, content, pins, polls, posts, reactions, scheduled, threads,
    timelines, visibility::Visibility,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/statuses", post(create).get(several))
        .route("/api/v1/statuses/{id}", get(show).put(edit).delete(delete))
        .route("/api/v1/statuses/{id}/context", get(context))
        .route("/api/v1/statuses/{id}/source", get(source))
        .route("/api/v1/statuses/{id}/history", get(history))
        .route("/api/v1/statuses/{id}/favourite", post(favourite))
        .route("/api/v1/statuses/{id}/unfavourite", post(unfavourite))
        .route("/api/v1/statuses/{id}/reblog", post(reblog))
        .route("/api/v1/statuses/{id}/unreblog", post(unreblog))
        .route("/api/v1/statuses/{id}/bookmark", post(bookmark))
        .route("/api/v1/statuses/{id}/unbookmark", post(unbookmark))
        .route("/api/v1/statuses/{id}/pin", post(pin))
        .route("/api/v1/statuses/{id}/unpin", post(unpin))
        .route("/api/v1/statuses/{id}/mute", post(mute))
        .route("/api/v1/statuses/{id}/unmute", post(unmute))
        .route("/api/v1/statuses/{id}/favourited_by", get(favourited_by))
        .route("/api/v1/statuses/{id}/reblogged_by", get(reblogged_by))
}

/// A post `viewer` may see, or 404 (never 403: the post's existence is not revealed).
async fn visible(state: &ApiState, viewer: Option<&Actor>, raw: &str) -> ApiResult<Post> {
    let post = posts::by_id(&state.ctx, id(raw)?).await?;
    if post.reblog_of_id.is_some() || !posts::can_view(&state.ctx, viewer, &post).await? {
        return Err(ApiError::not_found());
    }
    Ok(post)
}

#[derive(Deserialize)]
struct Ids {
    #[serde(default, deserialize_with = "de::list")]
    id: Vec<String>,
}

/// Several statuses by id (`id[]`, at most a page): those the viewer may see, in the order
/// asked; unknown or hidden ones are left out, as Mastodon does.
async fn several(
    State(state): State<ApiState>,
    auth: Auth,
    Params(form): Params<Ids>,
) -> ApiResult<Json<Vec<entities::Status>>> {
    let viewer = auth.viewer("read:statuses")?;
    if form.id.len() > passage_db::page::MAX_LIMIT as usize {
        return Err(ApiError::invalid(format!(
            "id: at most {} ids",
            passage_db::page::MAX_LIMIT
        )));
    }
    let mut found = Vec::with_capacity(form.id.len());
    for raw in &form.id {
        if let Ok(post) = visible(&state, viewer, raw).await {
            found.push(post);
        }
    }
    Ok(Json(statuses(&state, viewer, found, None).await?))
}

#[derive(Deserialize)]
struct NewStatus {
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    in_reply_to_id: Option<i64>,
    #[serde(default, deserialize_with = "de::bool")]
    sensitive: bool,
    spoiler_text: Option<String>,
    visibility: Option<String>,
    language: Option<String>,
    #[serde(default, deserialize_with = "de::list")]
    media_ids: Vec<String>,
    poll: Option<PollForm>,
    /// Publish later instead of now; the answer is then a ScheduledStatus.
    scheduled_at: Option<String>,
}

/// `poll[options][]`, `poll[expires_in]`, `poll[multiple]`, `poll[hide_totals]`.
#[derive(Deserialize)]
struct PollForm {
    #[serde(default, deserialize_with = "de::list")]
    options: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    expires_in: Option<i64>,
    #[serde(default, deserialize_with = "de::bool")]
    multiple: bool,
    #[serde(default, deserialize_with = "de::bool")]
    hide_totals: bool,
}

impl PollForm {
    /// A poll with no options is no poll (some clients always send the keys).
    fn into_poll(self) -> Option<polls::NewPoll> {
        (!self.options.is_empty()).then(|| polls::NewPoll {
            options: self.options,
            // Mastodon's web composer offers one day first; a client that omits it gets that.
            expires_in_secs: self.expires_in.unwrap_or(86_400),
            multiple: self.multiple,
            hide_totals: self.hide_totals,
        })
    }
}

async fn create(
    State(state): State<ApiState>,
    user: User,
    headers: HeaderMap,
    Params(form): Params<NewStatus>,
) -> ApiResult<Response> {
    let author = user.require("write:statuses")?;
    let text = form.status.unwrap_or_default();
    let settings = accounts::settings(&state.ctx, author).await?;
    let visibility = match form.visibility.as_deref() {
        Some(v) if !v.is_empty() => Visibility::parse(v)
            .map_err(|_| ApiError::invalid(format!("visibility: unknown value {v:?}")))?,
        _ => settings.default_visibility,
    };
    let mentions = resolve_mentions(&state, &text).await;
    let new = posts::NewPost {
        text,
        visibility,
        in_reply_to: form.in_reply_to_id,
        language: form
            .language
            .filter(|l| !l.is_empty())
            .or(settings.default_language),
        summary: form.spoiler_text,
        sensitive: form.sensitive || settings.default_sensitive,
        mentions,
        media_ids: form
            .media_ids
            .iter()
            .map(|id| {
                id.parse()
                    .map_err(|_| ApiError::invalid(format!("media_ids: {id:?} is not an id")))
            })
            .collect::<ApiResult<_>>()?,
        idempotency_key: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(|k| k.chars().take(200).collect()),
        poll: form.poll.and_then(PollForm::into_poll),
    };
    Ok(
        match form.scheduled_at.as_deref().filter(|t| !t.is_empty()) {
            Some(at) => {
                let at = super::scheduled_statuses::parse_time(at)?;
                let waiting = scheduled::schedule(&state.ctx, author, new, at).await?;
                Json(entities::scheduled_from(&state.ctx, &waiting)).into_response()
            }
            None => {
                let post = posts::create(&state.ctx, author, new).await?;
                Json(status(&state, Some(author), post).await?).into_response()
            }
        },
    )
}

/// The accounts `@user` and `@user@domain` in the text name: local ones directly, remote ones
/// through WebFinger. Handles that cannot be resolved stay plain text, as in Mastodon.
async fn resolve_mentions(state: &ApiState, text: &str) -> Vec<Actor> {
    let data = state.data();
    let mut found: Vec<Actor> = Vec::new();
    for handle in content::mentions_in(text) {
        let actor = match &handle.domain {
            Some(domain) if !domain.eq_ignore_ascii_case(state.ctx.domain()) => {
                passage_federation::resolve::handle(&data, &format!("{}@{domain}", handle.username))
                    .await
                    .ok()
            }
            _ => accounts::local_by_username(&state.ctx, &handle.username)
                .await
                .ok(),
        };
        if let Some(actor) = actor
            && !found.iter().any(|a| a.id == actor.id)
        {
            found.push(actor);
        }
    }
    found
}

async fn show(
    State(state): State<ApiState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Status>> {
    let viewer = auth.viewer("read:statuses")?;
    let post = visible(&state, viewer, &raw).await?;
    Ok(Json(status(&state, viewer, post).await?))
}

async fn context(
    State(state): State<ApiState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = auth.viewer("read:statuses")?;
    let post = visible(&state, viewer, &raw).await?;
    let (ancestors, descendants) = timelines::context(&state.ctx, viewer, &post).await?;
    Ok(Json(json!({
        "ancestors": statuses(&state, viewer, ancestors, Some("thread")).await?,
        "descendants": statuses(&state, viewer, descendants, Some("thread")).await?,
    })))
}

#[derive(Deserialize)]
struct EditForm {
    status: Option<String>,
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    sensitive: Option<bool>,
}

async fn edit(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<EditForm>,
) -> ApiResult<Json<entities::Status>> {
    let author = user.require("write:statuses")?;
    let change = posts::Edit {
        text: form.status.unwrap_or_default(),
        summary: form.spoiler_text,
        sensitive: form.sensitive,
    };
    let post = posts::edit(&state.ctx, author, id(&raw)?, change).await?;
    Ok(Json(status(&state, Some(author), post).await?))
}

async fn delete(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Status>> {
    let author = user.require("write:statuses")?;
    let post = visible(&state, Some(author), &raw).await?;
    // Answered with the post as it was and its source, for "delete and redraft".
    let mut answer = status(&state, Some(author), post.clone()).await?;
    answer.text = Some(post.source.clone().unwrap_or_default());
    posts::delete(&state.ctx, author, post.id).await?;
    Ok(Json(answer))
}

async fn source(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("read:statuses")?;
    let post = visible(&state, Some(viewer), &raw).await?;
    if post.author_id != viewer.id {
        return Err(ApiError::not_found());
    }
    Ok(Json(json!({
        "id": post.id.to_string(),
        "text": post.source.unwrap_or_default(),
        "spoiler_text": post.summary.unwrap_or_default(),
    })))
}

/// Edit history: every version, oldest first, the current one last.
async fn history(
    State(state): State<ApiState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let viewer = auth.viewer("read:statuses")?;
    let post = visible(&state, viewer, &raw).await?;
    let current = status(&state, viewer, post.clone()).await?;
    let versions = posts::history(&state.ctx, &post).await?;
    Ok(Json(Value::Array(
        versions
            .iter()
            .map(|v| {
                json!({
                    "content": v.content,
                    "spoiler_text": v.summary.clone().unwrap_or_default(),
                    "sensitive": v.sensitive,
                    "created_at": time(&v.created_at),
                    "account": current.account,
                    "media_attachments": current.media_attachments,
                    "emojis": [],
                })
            })
            .collect(),
    )))
}

/// Runs a reaction on a visible post and answers with the post as the viewer now sees it.
macro_rules! reaction {
    ($name:ident, $scope:literal, $action:expr) => {
        async fn $name(
            State(state): State<ApiState>,
            user: User,
            Path(raw): Path<String>,
        ) -> ApiResult<Json<entities::Status>> {
            let actor = user.require($scope)?;
            let post = visible(&state, Some(actor), &raw).await?;
            $action(&state.ctx, actor, &post).await?;
            let post = posts::by_id(&state.ctx, post.id).await?;
            Ok(Json(status(&state, Some(actor), post).await?))
        }
    };
}

reaction!(favourite, "write:favourites", reactions::like);
reaction!(unfavourite, "write:favourites", reactions::unlike);
reaction!(unreblog, "write:statuses", reactions::unboost);
reaction!(bookmark, "write:bookmarks", bookmarks::add);
reaction!(unbookmark, "write:bookmarks", bookmarks::remove);
reaction!(pin, "write:accounts", pins::pin);
reaction!(unpin, "write:accounts", pins::unpin);
reaction!(mute, "write:mutes", threads::mute);
reaction!(unmute, "write:mutes", threads::unmute);

/// A boost answers with the boost itself (its own id), wrapping the original.
async fn reblog(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Status>> {
    let actor = user.require("write:statuses")?;
    // As Mastodon: reblogging a reblog (an app's timeline holds them) reblogs what it carries.
    let raw = match posts::by_id(&state.ctx, id(&raw)?).await {
        Ok(post) => post
            .reblog_of_id
            .map_or(raw, |original| original.to_string()),
        Err(_) => raw,
    };
    let post = visible(&state, Some(actor), &raw).await?;
    let boost = reactions::boost(&state.ctx, actor, &post).await?;
    Ok(Json(status(&state, Some(actor), boost).await?))
}

async fn favourited_by(
    state: State<ApiState>,
    auth: Auth,
    uri: Uri,
    raw: Path<String>,
    page: Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    reacted_by(state, auth, uri, raw, page, false).await
}

async fn reblogged_by(
    state: State<ApiState>,
    auth: Auth,
    uri: Uri,
    raw: Path<String>,
    page: Params<PageParams>,
) -> ApiResult<Paged<entities::Account>> {
    reacted_by(state, auth, uri, raw, page, true).await
}

/// Who favourited (or boosted) a post the caller may see.
async fn reacted_by(
    State(state): State<ApiState>,
    auth: Auth,
    uri: Uri,
    Path(raw): Path<String>,
    Params(page): Params<PageParams>,
    boosts: bool,
) -> ApiResult<Paged<entities::Account>> {
    let post = visible(&state, auth.viewer("read:statuses")?, &raw).await?;
    let rows = reactions::reacted_by(&state.ctx, &post, boosts, page.page()).await?;
    keyed_account_page(&state, &uri, rows).await
}
