//! `POST /api/v1/reports`: a member reports an account (and some of its posts).

use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, de},
};
use axum::{Json, Router, extract::State, routing::post};
use passage_core::{accounts, reports};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new().route("/api/v1/reports", post(file))
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default, deserialize_with = "de::opt_i64")]
    account_id: Option<i64>,
    #[serde(default, deserialize_with = "de::list")]
    status_ids: Vec<String>,
    #[serde(default)]
    comment: String,
    #[serde(default, deserialize_with = "de::bool")]
    forward: bool,
    category: Option<String>,
    #[serde(default, deserialize_with = "de::list")]
    rule_ids: Vec<String>,
}

fn ids(field: &str, list: &[String]) -> ApiResult<Vec<i64>> {
    list.iter()
        .map(|s| {
            s.parse()
                .map_err(|_| ApiError::invalid(format!("{field}: {s:?} is not an id")))
        })
        .collect()
}

async fn file(
    State(state): State<ApiState>,
    user: User,
    Params(f): Params<ReportForm>,
) -> ApiResult<Json<Value>> {
    let reporter = user.require("write:reports")?;
    let target_id = f
        .account_id
        .ok_or_else(|| ApiError::invalid("account_id: is missing"))?;
    let target = accounts::by_id(&state.ctx, target_id).await?;
    let new = reports::NewReport {
        category: f.category,
        comment: f.comment,
        post_ids: ids("status_ids", &f.status_ids)?,
        rule_ids: ids("rule_ids", &f.rule_ids)?,
        forward: f.forward,
    };
    let report = reports::file(&state.ctx, reporter, &target, new).await?;
    let ids = |text: &str| {
        text.split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    Ok(Json(json!({
        "id": report.id.to_string(),
        "action_taken": false,
        "action_taken_at": null,
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forward,
        "created_at": time(&report.created_at),
        "status_ids": ids(&report.status_ids),
        "rule_ids": ids(&report.rule_ids),
        "target_account": super::account(&state, target).await?,
    })))
}
