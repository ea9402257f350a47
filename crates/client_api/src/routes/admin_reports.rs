//! Mastodon's admin API for reports (`/api/v1/admin/reports`), for the instance's admins and
//! moderators: list, read, take on, resolve, reopen; plus Passage's forward, which sends a
//! report about a remote account to its server as a `Flag` from this instance.

use super::{admin_accounts::admin_account, id, status};
use crate::{
    ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::{
    Actor, accounts,
    moderation::{By, reports},
    posts,
    reports::Report,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/admin/reports", get(list))
        .route("/api/v1/admin/reports/{id}", get(show))
        .route(
            "/api/v1/admin/reports/{id}/assign_to_self",
            post(assign_to_self),
        )
        .route("/api/v1/admin/reports/{id}/unassign", post(unassign))
        .route("/api/v1/admin/reports/{id}/resolve", post(resolve))
        .route("/api/v1/admin/reports/{id}/reopen", post(reopen))
        .route("/api/passage/v1/admin/reports/{id}/forward", post(forward))
        .route("/api/passage/v1/admin/reports/{id}/notes", post(add_note))
}

async fn optional_account(state: &ApiState, id: Option<i64>) -> ApiResult<Value> {
    Ok(match id {
        Some(id) => admin_account(state, accounts::by_id(&state.ctx, id).await?).await?,
        None => Value::Null,
    })
}

/// Mastodon's `Admin::Report`.
async fn report_json(state: &ApiState, viewer: &Actor, r: Report) -> ApiResult<Value> {
    let ctx = &state.ctx;
    let mut statuses = Vec::new();
    for post_id in r
        .status_ids
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
    {
        if let Ok(post) = posts::by_id(ctx, post_id).await {
            statuses.push(status(state, Some(viewer), post).await?);
        }
    }
    let rules: Vec<&str> = r.rule_ids.split_whitespace().collect();
    let mut notes = Vec::new();
    for n in reports::notes(ctx, By::Staff(viewer), r.id).await? {
        notes.push(json!({
            "id": n.id.to_string(),
            "text": n.text,
            "account": optional_account(state, n.author_id).await?,
            "created_at": time(&n.created_at),
        }));
    }
    Ok(json!({
        "id": r.id.to_string(),
        "action_taken": r.resolved_at.is_some(),
        "action_taken_at": r.resolved_at.as_ref().map(time),
        "category": r.category,
        "comment": r.comment,
        "forwarded": r.forwarded_at.is_some(),
        "forward_requested": r.forward,
        "created_at": time(&r.created_at),
        "updated_at": time(&r.forwarded_at.or(r.resolved_at).unwrap_or(r.created_at)),
        "account": admin_account(state, accounts::by_id(ctx, r.reporter_id).await?).await?,
        "target_account": admin_account(state, accounts::by_id(ctx, r.target_id).await?).await?,
        "assigned_account": optional_account(state, r.assigned_to_id).await?,
        "action_taken_by_account": optional_account(state, r.resolved_by_id).await?,
        "statuses": statuses,
        "rules": rules.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
        // Passage's: moderators' notes, oldest first.
        "notes": notes,
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default, deserialize_with = "de::opt_bool")]
    resolved: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

async fn list(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<ListQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, "admin:read:reports").await?;
    let limit = q.limit.unwrap_or(100).clamp(1, 200) as u64;
    let found = reports::list(
        &state.ctx,
        By::Staff(me),
        q.resolved.unwrap_or(false),
        limit,
    )
    .await?;
    let mut out = Vec::with_capacity(found.len());
    for r in found {
        out.push(report_json(&state, me, r).await?);
    }
    Ok(Json(out))
}

async fn show(
    State(state): State<ApiState>,
    user: User,
    Path(report_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:read:reports").await?;
    let r = reports::get(&state.ctx, By::Staff(me), id(&report_id)?).await?;
    Ok(Json(report_json(&state, me, r).await?))
}

/// The steps a moderator takes on a report, one handler each.
macro_rules! report_step {
    ($name:ident) => {
        async fn $name(
            State(state): State<ApiState>,
            user: User,
            Path(report_id): Path<String>,
        ) -> ApiResult<Json<Value>> {
            let me = user.require_staff(&state, "admin:write:reports").await?;
            let r = reports::$name(&state.ctx, By::Staff(me), id(&report_id)?).await?;
            Ok(Json(report_json(&state, me, r).await?))
        }
    };
}

#[derive(Deserialize)]
struct NoteForm {
    text: Option<String>,
}

/// A moderator's note on the report; answers with the report and its notes.
async fn add_note(
    State(state): State<ApiState>,
    user: User,
    Path(report_id): Path<String>,
    Params(form): Params<NoteForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:reports").await?;
    let id = id(&report_id)?;
    reports::add_note(
        &state.ctx,
        By::Staff(me),
        id,
        form.text.as_deref().unwrap_or(""),
    )
    .await?;
    let r = reports::get(&state.ctx, By::Staff(me), id).await?;
    Ok(Json(report_json(&state, me, r).await?))
}

report_step!(assign_to_self);
report_step!(unassign);
report_step!(resolve);
report_step!(reopen);
report_step!(forward);
