//! Mastodon's admin API for federation: `/api/v1/admin/domain_blocks` and
//! `/api/v1/admin/domain_allows`, for the instance's admins and moderators, plus Passage's
//! preview of what a block would sever and the audit log under `/api/passage/v1/admin/`.
//! Severities beyond Mastodon's (limit is its `silence`; probation) are given as
//! `policy_severity`, with `severity` in Mastodon's words for its clients.

use super::id;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    routing::get,
};
use passage_core::moderation::{
    By, audit,
    domains::{self, BlockInput, DomainAllow, DomainBlock},
    policy::Severity,
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route(
            "/api/v1/admin/domain_blocks",
            get(list_blocks).post(create_block),
        )
        .route(
            "/api/v1/admin/domain_blocks/{id}",
            get(show_block).put(update_block).delete(delete_block),
        )
        .route(
            "/api/v1/admin/domain_allows",
            get(list_allows).post(create_allow),
        )
        .route(
            "/api/v1/admin/domain_allows/{id}",
            get(show_allow).delete(delete_allow),
        )
        .route("/api/passage/v1/admin/domain_blocks/preview", get(preview))
        .route("/api/passage/v1/admin/audit_log", get(audit_log))
}

fn block_json(b: &DomainBlock) -> Value {
    let severity = Severity::parse(&b.severity).unwrap_or(Severity::None);
    json!({
        "id": b.id.to_string(),
        "domain": b.domain,
        "digest": domains::digest(&b.domain),
        "created_at": time(&b.created_at),
        "severity": severity.mastodon(),
        "policy_severity": severity.as_str(),
        "reject_media": b.reject_media,
        "reject_reports": b.reject_reports,
        "media_sensitive": b.media_sensitive,
        "strip_avatars": b.strip_avatars,
        "followers_only": b.followers_only,
        "private_comment": b.private_comment,
        "public_comment": b.public_comment,
        "obfuscate": b.obfuscate,
        "expires_at": b.expires_at.as_ref().map(time),
    })
}

fn allow_json(a: &DomainAllow) -> Value {
    json!({
        "id": a.id.to_string(),
        "domain": a.domain,
        "created_at": time(&a.created_at),
    })
}

/// A block as sent; fields not sent keep what the block had (or the defaults).
#[derive(Deserialize, Default)]
struct BlockForm {
    domain: Option<String>,
    severity: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    reject_media: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    reject_reports: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    media_sensitive: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    strip_avatars: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    followers_only: Option<bool>,
    private_comment: Option<String>,
    public_comment: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    obfuscate: Option<bool>,
    /// Seconds from now until the block lifts by itself.
    #[serde(default, deserialize_with = "de::opt_i64")]
    expires_in: Option<i64>,
}

impl BlockForm {
    fn apply(self, input: &mut BlockInput) -> ApiResult<()> {
        if let Some(severity) = self.severity {
            input.severity = Severity::parse(&severity).ok_or_else(|| {
                ApiError::invalid(format!(
                    "severity: {severity:?} is not suspend, silence (limit), probation or noop"
                ))
            })?;
        }
        let flags = &mut input.flags;
        for (field, value) in [
            (&mut flags.reject_media, self.reject_media),
            (&mut flags.reject_reports, self.reject_reports),
            (&mut flags.media_sensitive, self.media_sensitive),
            (&mut flags.strip_avatars, self.strip_avatars),
            (&mut flags.followers_only, self.followers_only),
            (&mut input.obfuscate, self.obfuscate),
        ] {
            if let Some(value) = value {
                *field = value;
            }
        }
        if let Some(comment) = self.private_comment {
            input.private_comment = Some(comment);
        }
        if let Some(comment) = self.public_comment {
            input.public_comment = Some(comment);
        }
        if let Some(seconds) = self.expires_in {
            if seconds <= 0 {
                return Err(ApiError::invalid("expires_in: a number of seconds above 0"));
            }
            input.expires_at = Some(passage_db::now() + chrono::Duration::seconds(seconds));
        }
        Ok(())
    }
}

async fn list_blocks(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let me = user
        .require_staff(&state, "admin:read:domain_blocks")
        .await?;
    let blocks = domains::blocks(&state.ctx, By::Staff(me)).await?;
    Ok(Json(blocks.iter().map(block_json).collect()))
}

async fn show_block(
    State(state): State<ApiState>,
    user: User,
    Path(block_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:read:domain_blocks")
        .await?;
    let block = domains::block_by_id(&state.ctx, By::Staff(me), id(&block_id)?).await?;
    Ok(Json(block_json(&block)))
}

async fn create_block(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<BlockForm>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:domain_blocks")
        .await?;
    let domain = form
        .domain
        .clone()
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("domain: is missing"))?;
    // Mastodon's default severity is silence.
    let mut input = BlockInput::new(&domain, Severity::Limit);
    form.apply(&mut input)?;
    let block = domains::block(&state.ctx, By::Staff(me), input).await?;
    Ok(Json(block_json(&block)))
}

async fn update_block(
    State(state): State<ApiState>,
    user: User,
    Path(block_id): Path<String>,
    Params(form): Params<BlockForm>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:domain_blocks")
        .await?;
    let before = domains::block_by_id(&state.ctx, By::Staff(me), id(&block_id)?).await?;
    let mut input = BlockInput {
        severity: Severity::parse(&before.severity).unwrap_or(Severity::None),
        flags: domains::flags(&before),
        private_comment: before.private_comment.clone(),
        public_comment: before.public_comment.clone(),
        obfuscate: before.obfuscate,
        expires_at: before.expires_at,
        ..BlockInput::new(&before.domain, Severity::None)
    };
    form.apply(&mut input)?;
    let block = domains::update_block(&state.ctx, By::Staff(me), before.id, input).await?;
    Ok(Json(block_json(&block)))
}

async fn delete_block(
    State(state): State<ApiState>,
    user: User,
    Path(block_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:domain_blocks")
        .await?;
    domains::unblock(&state.ctx, By::Staff(me), id(&block_id)?).await?;
    Ok(Json(json!({})))
}

async fn list_allows(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let me = user
        .require_staff(&state, "admin:read:domain_allows")
        .await?;
    let allows = domains::allows(&state.ctx, By::Staff(me)).await?;
    Ok(Json(allows.iter().map(allow_json).collect()))
}

async fn show_allow(
    State(state): State<ApiState>,
    user: User,
    Path(allow_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:read:domain_allows")
        .await?;
    let allow = domains::allow_by_id(&state.ctx, By::Staff(me), id(&allow_id)?).await?;
    Ok(Json(allow_json(&allow)))
}

#[derive(Deserialize)]
struct AllowForm {
    domain: Option<String>,
    private_comment: Option<String>,
}

async fn create_allow(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<AllowForm>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:domain_allows")
        .await?;
    let domain = form
        .domain
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("domain: is missing"))?;
    let allow = domains::allow(&state.ctx, By::Staff(me), &domain, form.private_comment).await?;
    Ok(Json(allow_json(&allow)))
}

async fn delete_allow(
    State(state): State<ApiState>,
    user: User,
    Path(allow_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:domain_allows")
        .await?;
    domains::unallow(&state.ctx, By::Staff(me), id(&allow_id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
struct PreviewQuery {
    domain: Option<String>,
}

/// What suspending a domain would sever, before doing it.
async fn preview(
    State(state): State<ApiState>,
    user: User,
    Query(q): Query<PreviewQuery>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:read:domain_blocks")
        .await?;
    let domain = q
        .domain
        .ok_or_else(|| ApiError::invalid("domain: is missing"))?;
    let impact = domains::preview(&state.ctx, By::Staff(me), &domain).await?;
    Ok(Json(json!({
        "domain": domain,
        "accounts": impact.accounts,
        "statuses": impact.posts,
        "followers": impact.followers,
        "following": impact.following,
    })))
}

#[derive(Deserialize)]
struct AuditQuery {
    #[serde(default, deserialize_with = "de::opt_i64")]
    max_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

/// The audit log, newest first (admins and moderators).
async fn audit_log(
    State(state): State<ApiState>,
    user: User,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    user.require_staff(&state, "admin:read").await?;
    let limit = q.limit.unwrap_or(40).clamp(1, 200) as u64;
    let entries = audit::list(&state.ctx, q.max_id, limit).await?;
    Ok(Json(
        entries
            .iter()
            .map(|e| {
                json!({
                    "id": e.id.to_string(),
                    "action": e.action,
                    "target": e.target,
                    "reason": e.reason,
                    "moderator_id": e.moderator_id.map(|m| m.to_string()),
                    "detail": serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
                    "created_at": time(&e.created_at),
                })
            })
            .collect(),
    ))
}
