//! Filters: v2 (filters with `keywords_attributes`, and their keywords and statuses as
//! resources of their own) and v1 (each keyword seen as one filter), over the same store.

use super::id;
use crate::{
    ApiResult, ApiState,
    auth::User,
    entities::{self, filter_from, filter_status_from, filters_v1_from, keyword_from},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};
use passage_core::{
    Actor, Context,
    filters::{self, FilterChange, KeywordChange},
};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v2/filters", get(list).post(create))
        .route("/api/v2/filters/{id}", get(show).put(update).delete(delete))
        .route(
            "/api/v2/filters/{id}/keywords",
            get(keywords).post(add_keyword),
        )
        .route(
            "/api/v2/filters/keywords/{id}",
            get(keyword).put(update_keyword).delete(delete_keyword),
        )
        .route("/api/v2/filters/{id}/statuses", get(posts).post(add_post))
        .route(
            "/api/v2/filters/statuses/{id}",
            get(filtered_post).delete(remove_post),
        )
        .route("/api/v1/filters", get(list_v1).post(create_v1))
        .route(
            "/api/v1/filters/{id}",
            get(show_v1).put(update_v1).delete(delete_v1),
        )
}

/// `expires_in`: absent leaves the end as it is; empty or null means "never".
fn expiry<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Some(None)),
        Value::String(s) if s.trim().is_empty() => Ok(Some(None)),
        other => de::opt_i64(other)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

fn some_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    de::list(d).map(Some)
}

#[derive(Deserialize)]
struct KeywordForm {
    #[serde(default, deserialize_with = "de::opt_i64")]
    id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_string")]
    keyword: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    whole_word: Option<bool>,
    #[serde(default, rename = "_destroy", deserialize_with = "de::bool")]
    destroy: bool,
}

impl From<KeywordForm> for KeywordChange {
    fn from(k: KeywordForm) -> Self {
        Self {
            id: k.id,
            keyword: k.keyword,
            whole_word: k.whole_word,
            destroy: k.destroy,
        }
    }
}

#[derive(Deserialize)]
struct FilterForm {
    #[serde(default, deserialize_with = "de::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "some_list")]
    context: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de::opt_string")]
    filter_action: Option<String>,
    #[serde(default, deserialize_with = "expiry")]
    expires_in: Option<Option<i64>>,
    #[serde(default)]
    keywords_attributes: Vec<KeywordForm>,
}

impl From<FilterForm> for FilterChange {
    fn from(f: FilterForm) -> Self {
        Self {
            title: f.title,
            contexts: f.context,
            action: f.filter_action,
            expires_in: f.expires_in,
            keywords: f.keywords_attributes.into_iter().map(Into::into).collect(),
        }
    }
}

async fn list(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<entities::Filter>>> {
    let actor = user.require("read:filters")?;
    let all = filters::list(&state.ctx, actor).await?;
    Ok(Json(all.iter().map(filter_from).collect()))
}

async fn create(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<FilterForm>,
) -> ApiResult<Json<entities::Filter>> {
    let actor = user.require("write:filters")?;
    let filter = filters::create(&state.ctx, actor, form.into()).await?;
    Ok(Json(filter_from(&filter)))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Filter>> {
    let actor = user.require("read:filters")?;
    let filter = filters::get(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(filter_from(&filter)))
}

async fn update(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<FilterForm>,
) -> ApiResult<Json<entities::Filter>> {
    let actor = user.require("write:filters")?;
    let filter = filters::update(&state.ctx, actor, id(&raw)?, form.into()).await?;
    Ok(Json(filter_from(&filter)))
}

async fn delete(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:filters")?;
    filters::delete(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(json!({})))
}

async fn keywords(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<entities::FilterKeyword>>> {
    let actor = user.require("read:filters")?;
    let filter = filters::get(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(filter.keywords.iter().map(keyword_from).collect()))
}

async fn add_keyword(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<KeywordForm>,
) -> ApiResult<Json<entities::FilterKeyword>> {
    let actor = user.require("write:filters")?;
    let text = form.keyword.unwrap_or_default();
    let whole_word = form.whole_word.unwrap_or(false);
    let keyword = filters::add_keyword(&state.ctx, actor, id(&raw)?, &text, whole_word).await?;
    Ok(Json(keyword_from(&keyword)))
}

async fn keyword(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::FilterKeyword>> {
    let actor = user.require("read:filters")?;
    let keyword = filters::keyword(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(keyword_from(&keyword)))
}

async fn update_keyword(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<KeywordForm>,
) -> ApiResult<Json<entities::FilterKeyword>> {
    let actor = user.require("write:filters")?;
    let keyword = filters::update_keyword(&state.ctx, actor, id(&raw)?, form.into()).await?;
    Ok(Json(keyword_from(&keyword)))
}

async fn delete_keyword(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:filters")?;
    filters::delete_keyword(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(json!({})))
}

async fn posts(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<entities::FilterStatus>>> {
    let actor = user.require("read:filters")?;
    let filter = filters::get(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(filter.posts.iter().map(filter_status_from).collect()))
}

#[derive(Deserialize)]
struct PostForm {
    #[serde(default, deserialize_with = "de::opt_i64")]
    status_id: Option<i64>,
}

async fn add_post(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<PostForm>,
) -> ApiResult<Json<entities::FilterStatus>> {
    let actor = user.require("write:filters")?;
    let post_id = form
        .status_id
        .ok_or_else(|| crate::ApiError::invalid("status_id is required"))?;
    let row = filters::add_post(&state.ctx, actor, id(&raw)?, post_id).await?;
    Ok(Json(filter_status_from(&row)))
}

async fn filtered_post(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::FilterStatus>> {
    let actor = user.require("read:filters")?;
    let row = filters::filtered_post(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(filter_status_from(&row)))
}

async fn remove_post(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:filters")?;
    filters::remove_post(&state.ctx, actor, id(&raw)?).await?;
    Ok(Json(json!({})))
}

// v1: a filter is one keyword; its id is the keyword's.

#[derive(Deserialize)]
struct FilterV1Form {
    #[serde(default, deserialize_with = "de::opt_string")]
    phrase: Option<String>,
    #[serde(default, deserialize_with = "some_list")]
    context: Option<Vec<String>>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    irreversible: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    whole_word: Option<bool>,
    #[serde(default, deserialize_with = "expiry")]
    expires_in: Option<Option<i64>>,
}

impl FilterV1Form {
    fn action(&self) -> Option<String> {
        self.irreversible
            .map(|hide| if hide { "hide" } else { "warn" }.to_owned())
    }
}

/// The v1 view of the keyword `keyword_id`.
async fn v1_of(ctx: &Context, actor: &Actor, keyword_id: i64) -> ApiResult<entities::FilterV1> {
    let keyword = filters::keyword(ctx, actor, keyword_id).await?;
    let filter = filters::get(ctx, actor, keyword.filter_id).await?;
    filters_v1_from(&filter)
        .into_iter()
        .find(|f| f.id == keyword_id.to_string())
        .ok_or_else(crate::ApiError::not_found)
}

async fn list_v1(
    State(state): State<ApiState>,
    user: User,
) -> ApiResult<Json<Vec<entities::FilterV1>>> {
    let actor = user.require("read:filters")?;
    let all = filters::list(&state.ctx, actor).await?;
    Ok(Json(all.iter().flat_map(filters_v1_from).collect()))
}

async fn create_v1(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<FilterV1Form>,
) -> ApiResult<Json<entities::FilterV1>> {
    let actor = user.require("write:filters")?;
    let phrase = form.phrase.clone().unwrap_or_default();
    let change = FilterChange {
        title: Some(phrase.clone()),
        contexts: form.context.clone(),
        action: form.action(),
        expires_in: form.expires_in,
        keywords: vec![KeywordChange {
            keyword: Some(phrase),
            whole_word: Some(form.whole_word.unwrap_or(true)),
            ..Default::default()
        }],
    };
    let filter = filters::create(&state.ctx, actor, change).await?;
    let keyword_id = filter.keywords.first().map(|k| k.id).unwrap_or_default();
    Ok(Json(v1_of(&state.ctx, actor, keyword_id).await?))
}

async fn show_v1(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::FilterV1>> {
    let actor = user.require("read:filters")?;
    Ok(Json(v1_of(&state.ctx, actor, id(&raw)?).await?))
}

async fn update_v1(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<FilterV1Form>,
) -> ApiResult<Json<entities::FilterV1>> {
    let actor = user.require("write:filters")?;
    let keyword_id = id(&raw)?;
    let keyword = filters::keyword(&state.ctx, actor, keyword_id).await?;
    let change = FilterChange {
        contexts: form.context.clone(),
        action: form.action(),
        expires_in: form.expires_in,
        keywords: vec![KeywordChange {
            id: Some(keyword_id),
            keyword: form.phrase.clone(),
            whole_word: form.whole_word,
            destroy: false,
        }],
        ..Default::default()
    };
    filters::update(&state.ctx, actor, keyword.filter_id, change).await?;
    Ok(Json(v1_of(&state.ctx, actor, keyword_id).await?))
}

/// Removes the keyword, and its filter when nothing is left in it.
async fn delete_v1(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let actor = user.require("write:filters")?;
    let keyword = filters::keyword(&state.ctx, actor, id(&raw)?).await?;
    filters::delete_keyword(&state.ctx, actor, keyword.id).await?;
    let filter = filters::get(&state.ctx, actor, keyword.filter_id).await?;
    if filter.keywords.is_empty() && filter.posts.is_empty() {
        filters::delete(&state.ctx, actor, filter.row.id).await?;
    }
    Ok(Json(json!({})))
}
