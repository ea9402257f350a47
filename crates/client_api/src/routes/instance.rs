//! What the server tells clients about itself (instance v1 and v2, preferences-free), custom
//! emoji, and the empty-but-valid answers for features Passage does not have (trends,
//! suggestions, announcements): clients get `200 []`, never a 404 (old Tusky crashed on it).

use crate::{ApiResult, ApiState, entities};
use axum::{Json, Router, extract::State, routing::get};
use passage_core::{accounts, config::Registrations, emojis, posts};
use serde_json::{Value, json};

/// `4.3.0`, the Mastodon API level whose client-visible features Passage implements; clients
/// parse three numeric parts before the space (see the reference, §B.1).
pub const VERSION: &str = concat!(
    "4.3.0 (compatible; Passage ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

pub fn routes() -> Router<ApiState> {
    let empty = || async { Json(json!([])) };
    Router::new()
        .route("/api/v1/instance", get(v1))
        .route("/api/v2/instance", get(v2))
        .route("/api/v1/instance/peers", get(empty))
        .route("/api/v1/instance/activity", get(empty))
        .route(
            "/api/v1/instance/rules",
            get(|State(state): State<ApiState>| async move { Json(rules(&state)) }),
        )
        .route("/api/v1/instance/domain_blocks", get(domain_blocks))
        .route("/api/v1/custom_emojis", get(custom_emojis))
        .route("/api/v1/trends", get(empty))
        .route("/api/v1/trends/tags", get(empty))
        .route("/api/v1/trends/statuses", get(empty))
        .route("/api/v1/trends/links", get(empty))
        .route("/api/v1/suggestions", get(empty))
        .route("/api/v2/suggestions", get(empty))
        .route("/api/v1/announcements", get(empty))
}

/// The instance's rules as Mastodon lists them (ids are their numbers, from 1).
fn rules(state: &ApiState) -> Value {
    state
        .ctx
        .config
        .instance
        .rules
        .iter()
        .enumerate()
        .map(|(n, text)| json!({"id": (n + 1).to_string(), "text": text, "hint": ""}))
        .collect()
}

/// The servers this instance limits or suspends, where the configuration shows them
/// (`federation.public_blocklist`): Mastodon's `DomainBlock`.
async fn domain_blocks(
    State(state): State<ApiState>,
    auth: crate::auth::Auth,
) -> ApiResult<Json<Vec<Value>>> {
    use passage_core::config::PublicBlocklist;
    let member = auth.has_member();
    match passage_core::moderation::domains::public_list(&state.ctx, member).await? {
        Some(list) => Ok(Json(
            list.into_iter()
                .map(|b| {
                    json!({"domain": b.domain, "digest": b.digest,
                           "severity": b.severity.mastodon(), "comment": b.comment})
                })
                .collect(),
        )),
        None if state.ctx.config.federation.public_blocklist == PublicBlocklist::Members => {
            Err(crate::ApiError::unauthorized())
        }
        None => Err(crate::ApiError::not_found()),
    }
}

/// Our emoji for clients' pickers (public, like Mastodon's).
async fn custom_emojis(
    State(state): State<ApiState>,
) -> ApiResult<Json<Vec<entities::CustomEmoji>>> {
    let list = emojis::listed(&state.ctx).await?;
    Ok(Json(list.iter().map(entities::emoji_from).collect()))
}

fn limits() -> Value {
    json!({
        "statuses": {
            "max_characters": posts::MAX_CHARS,
            "max_media_attachments": 4,
            "characters_reserved_per_url": 23
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp"],
            "image_size_limit": 10_485_760,
            "image_matrix_limit": 16_777_216,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0
        },
        "polls": {
            "max_options": 4,
            "max_characters_per_option": 50,
            "min_expiration": 300,
            "max_expiration": 2_629_746
        },
        "accounts": {"max_featured_tags": passage_core::tags::featured::MAX, "max_pinned_statuses": 5},
        "translation": {"enabled": false}
    })
}

fn streaming_url(state: &ApiState) -> String {
    state.ctx.urls.base().replacen("http", "ws", 1)
}

/// The notice of a closing instance, which takes no new accounts whatever its mode.
async fn closing(state: &ApiState) -> ApiResult<Option<String>> {
    Ok(passage_core::shutdown::notice(&state.ctx, "new accounts").await?)
}

async fn v1(State(state): State<ApiState>) -> ApiResult<Json<Value>> {
    let c = &state.ctx.config.instance;
    let closing = closing(&state).await?;
    let users = accounts::count_people(&state.ctx).await?;
    let statuses = posts::count_local(&state.ctx).await?;
    Ok(Json(json!({
        "uri": c.domain,
        "title": c.name,
        "short_description": c.description,
        "description": c.description,
        "email": "",
        "version": VERSION,
        "urls": {"streaming_api": streaming_url(&state)},
        "stats": {"user_count": users, "status_count": statuses, "domain_count": 0},
        "thumbnail": null,
        "languages": c.languages,
        "registrations": c.registrations != Registrations::Closed && closing.is_none(),
        "approval_required": c.registrations == Registrations::Approval,
        "invites_enabled": c.registrations == Registrations::Invite,
        "configuration": limits(),
        "contact_account": null,
        "rules": rules(&state),
    })))
}

async fn v2(State(state): State<ApiState>) -> ApiResult<Json<Value>> {
    let c = &state.ctx.config.instance;
    let closing = closing(&state).await?;
    let users = accounts::count_people(&state.ctx).await?;
    let mut configuration = limits();
    configuration["urls"] = json!({"streaming": streaming_url(&state)});
    configuration["vapid"] = json!({"public_key": ""});
    Ok(Json(json!({
        "domain": c.domain,
        "title": c.name,
        "version": VERSION,
        "source_url": "https://github.com/passage-network/passage",
        "description": c.description,
        "usage": {"users": {"active_month": users}},
        "thumbnail": {"url": state.ctx.urls.static_file("header.png")},
        "languages": c.languages,
        "configuration": configuration,
        "registrations": {
            "enabled": c.registrations != Registrations::Closed && closing.is_none(),
            "approval_required": c.registrations == Registrations::Approval,
            "message": closing,
            "url": null
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": "", "account": null},
        "rules": rules(&state),
    })))
}
