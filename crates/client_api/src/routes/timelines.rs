//! Timelines (home, public, local, hashtag) and the member's own lists of bookmarks and
//! favourites, plus markers (read positions).

use super::{keyed_status_page, status_page};
use crate::{
    ApiResult, ApiState,
    auth::{Auth, User},
    entities::{self, time},
    pagination::{PageParams, Paged},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::Uri,
    routing::get,
};
use passage_core::{bookmarks, markers, reactions, tags, timelines};
use passage_db::queries::posts::{PublicFilter, TagFilter};
use serde::Deserialize;
use serde_json::{Map, Value, json};

pub fn routes() -> Router<ApiState> {
    let empty = || async { Json(json!([])) };
    Router::new()
        .route("/api/v1/timelines/home", get(home))
        .route("/api/v1/timelines/public", get(public))
        .route("/api/v1/timelines/tag/{tag}", get(tag))
        .route("/api/v1/bookmarks", get(bookmarked))
        .route("/api/v1/favourites", get(favourited))
        .route("/api/v1/markers", get(get_markers).post(set_markers))
        // Not kept yet; valid empty answers so clients show empty screens, not errors.
        .route("/api/v1/domain_blocks", get(empty))
        .route("/api/v1/endorsements", get(empty))
        // Posts about a trending link (4.3); with no trends there are none.
        .route("/api/v1/timelines/link", get(empty))
}

async fn home(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Status>> {
    let viewer = user.require("read:statuses")?;
    let posts = timelines::home(&state.ctx, viewer, page.page()).await?;
    status_page(&state, Some(viewer), &uri, posts, "home").await
}

#[derive(Deserialize)]
struct PublicParams {
    #[serde(default, deserialize_with = "de::bool")]
    local: bool,
    #[serde(default, deserialize_with = "de::bool")]
    remote: bool,
    #[serde(flatten)]
    page: PageParams,
}

async fn public(
    State(state): State<ApiState>,
    auth: Auth,
    uri: Uri,
    Params(p): Params<PublicParams>,
) -> ApiResult<Paged<entities::Status>> {
    let filter = PublicFilter {
        local: match (p.local, p.remote) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            _ => None,
        },
        tags: None,
        hidden: Default::default(),
    };
    let posts = timelines::public(&state.ctx, &filter, p.page.page()).await?;
    status_page(&state, auth.viewer("read:statuses")?, &uri, posts, "public").await
}

#[derive(Deserialize)]
struct TagParams {
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    all: Vec<String>,
    #[serde(default)]
    none: Vec<String>,
    #[serde(flatten)]
    public: PublicParams,
}

async fn tag(
    State(state): State<ApiState>,
    auth: Auth,
    uri: Uri,
    Path(tag): Path<String>,
    Params(p): Params<TagParams>,
) -> ApiResult<Paged<entities::Status>> {
    let names = |list: Vec<String>| -> Vec<String> {
        list.iter()
            .filter_map(|n| tags::normalise(n).ok())
            .collect()
    };
    let mut any = names(vec![tag]);
    any.extend(names(p.any));
    let filter = PublicFilter {
        local: p.public.local.then_some(true),
        tags: Some(TagFilter {
            any,
            all: names(p.all),
            none: names(p.none),
        }),
        hidden: Default::default(),
    };
    let posts = timelines::public(&state.ctx, &filter, p.public.page.page()).await?;
    status_page(&state, auth.viewer("read:statuses")?, &uri, posts, "public").await
}

async fn bookmarked(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Status>> {
    let viewer = user.require("read:bookmarks")?;
    let rows = bookmarks::list(&state.ctx, viewer, page.page()).await?;
    keyed_status_page(&state, Some(viewer), &uri, rows).await
}

async fn favourited(
    State(state): State<ApiState>,
    user: User,
    uri: Uri,
    Params(page): Params<PageParams>,
) -> ApiResult<Paged<entities::Status>> {
    let viewer = user.require("read:favourites")?;
    let rows = reactions::favourites(&state.ctx, viewer, page.page()).await?;
    keyed_status_page(&state, Some(viewer), &uri, rows).await
}

#[derive(Deserialize)]
struct MarkerQuery {
    #[serde(default, deserialize_with = "de::list")]
    timeline: Vec<String>,
}

fn markers_json(list: &[markers::Marker]) -> Value {
    let mut map = Map::new();
    for m in list {
        map.insert(
            m.timeline.clone(),
            json!({
                "last_read_id": m.last_read_id.to_string(),
                "version": m.version,
                "updated_at": time(&m.updated_at),
            }),
        );
    }
    Value::Object(map)
}

async fn get_markers(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<MarkerQuery>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("read:statuses")?;
    let list = markers::get(&state.ctx, viewer, &q.timeline).await?;
    Ok(Json(markers_json(&list)))
}

#[derive(Deserialize)]
struct MarkerPosition {
    #[serde(default, deserialize_with = "de::opt_i64")]
    last_read_id: Option<i64>,
}

#[derive(Deserialize)]
struct MarkerUpdate {
    home: Option<MarkerPosition>,
    notifications: Option<MarkerPosition>,
}

async fn set_markers(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<MarkerUpdate>,
) -> ApiResult<Json<Value>> {
    let viewer = user.require("write:statuses")?;
    let mut changed = Vec::new();
    for (timeline, position) in [("home", form.home), ("notifications", form.notifications)] {
        if let Some(id) = position.and_then(|p| p.last_read_id) {
            changed.push(markers::set(&state.ctx, viewer, timeline, id).await?);
        }
    }
    Ok(Json(markers_json(&changed)))
}
