//! Polls: read one, and vote (`choices[]` are option indexes, as in Mastodon).

use super::id;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::{Auth, User},
    entities::{self, poll_from},
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{polls, posts};
use serde::Deserialize;

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/polls/{id}", get(show))
        .route("/api/v1/polls/{id}/votes", post(vote))
}

async fn show(
    State(state): State<ApiState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<Json<entities::Poll>> {
    let viewer = auth.viewer("read:statuses")?;
    let post = posts::by_id(&state.ctx, id(&raw)?).await?;
    let poll = polls::view(&state.ctx, viewer, &post).await?;
    Ok(Json(poll_from(&poll)))
}

#[derive(Deserialize)]
struct Votes {
    #[serde(default, deserialize_with = "de::list")]
    choices: Vec<String>,
}

async fn vote(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
    Params(form): Params<Votes>,
) -> ApiResult<Json<entities::Poll>> {
    let voter = user.require("write:statuses")?;
    let choices = form
        .choices
        .iter()
        .map(|c| {
            c.trim()
                .parse()
                .map_err(|_| ApiError::invalid(format!("choices: {c:?} is not an option number")))
        })
        .collect::<ApiResult<Vec<usize>>>()?;
    let post = posts::by_id(&state.ctx, id(&raw)?).await?;
    let poll = polls::vote(&state.ctx, voter, &post, &choices).await?;
    Ok(Json(poll_from(&poll)))
}
