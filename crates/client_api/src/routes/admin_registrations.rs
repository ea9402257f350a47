//! Sign-up safety through the API: invitations (Passage's, for staff; and Mastodon 4.3's
//! public `GET /api/v1/invites/:code`, which apps ask before signing up with a code) and
//! Mastodon's `/api/v1/admin/email_domain_blocks`.

use super::id;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};
use passage_core::moderation::{
    By,
    registrations::{self, EmailDomainBlock, Invite},
};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/invites/{code}", get(show_invite))
        .route(
            "/api/passage/v1/admin/invites",
            get(list_invites).post(create_invite),
        )
        .route(
            "/api/passage/v1/admin/invites/{id}",
            axum::routing::delete(revoke_invite),
        )
        .route(
            "/api/v1/admin/email_domain_blocks",
            get(list_email_blocks).post(create_email_block),
        )
        .route(
            "/api/v1/admin/email_domain_blocks/{id}",
            get(show_email_block).delete(delete_email_block),
        )
}

/// Whether a code can be used here, as Mastodon 4.3 answers apps.
async fn show_invite(
    State(state): State<ApiState>,
    Path(code): Path<String>,
) -> ApiResult<Json<Value>> {
    let invite = registrations::valid_invite(&state.ctx, &code)
        .await
        .map_err(|_| ApiError::not_found())?;
    Ok(Json(json!({
        "invite_code": invite.code,
        "instance_api_url": state.ctx.urls.base(),
    })))
}

fn invite_json(state: &ApiState, i: &Invite) -> Value {
    json!({
        "id": i.id.to_string(),
        "code": i.code,
        "url": format!("{}/api/v1/invites/{}", state.ctx.urls.base(), i.code),
        "uses": i.uses,
        "max_uses": i.max_uses,
        "expires_at": i.expires_at.as_ref().map(time),
        "usable": registrations::usable(i),
        "created_at": time(&i.created_at),
    })
}

async fn list_invites(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, "admin:read:accounts").await?;
    let found = registrations::invites(&state.ctx, By::Staff(me)).await?;
    Ok(Json(found.iter().map(|i| invite_json(&state, i)).collect()))
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default, deserialize_with = "de::opt_i64")]
    max_uses: Option<i64>,
    /// Seconds until the invitation expires.
    #[serde(default, deserialize_with = "de::opt_i64")]
    expires_in: Option<i64>,
}

async fn create_invite(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<InviteForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:accounts").await?;
    let max_uses = form
        .max_uses
        .map(|m| i32::try_from(m).map_err(|_| ApiError::invalid("max_uses: too large")))
        .transpose()?;
    let expires_at = match form.expires_in {
        Some(s) if s <= 0 => {
            return Err(ApiError::invalid("expires_in: a number of seconds above 0"));
        }
        Some(s) => Some(passage_db::now() + chrono::Duration::seconds(s)),
        None => None,
    };
    let made = registrations::invite(&state.ctx, By::Staff(me), max_uses, expires_at).await?;
    Ok(Json(invite_json(&state, &made)))
}

async fn revoke_invite(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, "admin:write:accounts").await?;
    let gone = registrations::revoke_invite(&state.ctx, By::Staff(me), id(&raw)?).await?;
    Ok(Json(invite_json(&state, &gone)))
}

/// Mastodon's `Admin::EmailDomainBlock` (Passage keeps no sign-up history per domain).
fn email_block_json(b: &EmailDomainBlock) -> Value {
    json!({
        "id": b.id.to_string(),
        "domain": b.domain,
        "created_at": time(&b.created_at),
        "history": [],
    })
}

async fn list_email_blocks(
    State(state): State<ApiState>,
    user: User,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user
        .require_staff(&state, "admin:read:email_domain_blocks")
        .await?;
    let found = registrations::email_domain_blocks(&state.ctx, By::Staff(me)).await?;
    Ok(Json(found.iter().map(email_block_json).collect()))
}

async fn show_email_block(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:read:email_domain_blocks")
        .await?;
    let found = registrations::email_domain_block(&state.ctx, By::Staff(me), id(&raw)?).await?;
    Ok(Json(email_block_json(&found)))
}

#[derive(Deserialize)]
struct EmailBlockForm {
    domain: Option<String>,
}

async fn create_email_block(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<EmailBlockForm>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:email_domain_blocks")
        .await?;
    let domain = form
        .domain
        .ok_or_else(|| ApiError::invalid("domain: is missing"))?;
    let made = registrations::block_email_domain(&state.ctx, By::Staff(me), &domain).await?;
    Ok(Json(email_block_json(&made)))
}

async fn delete_email_block(
    State(state): State<ApiState>,
    user: User,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user
        .require_staff(&state, "admin:write:email_domain_blocks")
        .await?;
    registrations::unblock_email_domain(&state.ctx, By::Staff(me), id(&raw)?).await?;
    Ok(Json(json!({})))
}
