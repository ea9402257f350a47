//! Shared lists through the admin API, in GoToSocial's shapes where it has them
//! (`/api/v1/admin/domain_permission_drafts`, `..._excludes`, `..._subscriptions`), plus
//! Passage's import of a whole list and accepting every draft in one step, under
//! `/api/passage/v1/admin/`. Blocks made from lists are the ordinary domain blocks.

use super::id;
use crate::{
    ApiError, ApiResult, ApiState,
    auth::User,
    entities::time,
    params::{Params, WithFiles, de},
};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};
use passage_core::moderation::{
    By,
    apply::{Applied, Kind, Source, apply},
    drafts::{self, DomainDraft, Selection},
    excludes::{self, DomainExclude},
    lists::{self, Bad, Entry, Format},
    policy::{Flags, Severity},
    subscriptions::{self, Subscription, SubscriptionInput, format_of},
};
use serde::Deserialize;
use serde_json::{Value, json};

const READ: &str = "admin:read:domain_blocks";
const WRITE: &str = "admin:write:domain_blocks";

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route(
            "/api/v1/admin/domain_permission_drafts",
            get(list_drafts).post(create_draft),
        )
        .route(
            "/api/v1/admin/domain_permission_drafts/{id}",
            get(show_draft),
        )
        .route(
            "/api/v1/admin/domain_permission_drafts/{id}/accept",
            post(accept_draft),
        )
        .route(
            "/api/v1/admin/domain_permission_drafts/{id}/remove",
            post(remove_draft),
        )
        .route(
            "/api/passage/v1/admin/domain_permission_drafts/accept",
            post(accept_all),
        )
        .route(
            "/api/v1/admin/domain_permission_excludes",
            get(list_excludes).post(create_exclude),
        )
        .route(
            "/api/v1/admin/domain_permission_excludes/{id}",
            get(show_exclude).delete(delete_exclude),
        )
        .route(
            "/api/v1/admin/domain_permission_subscriptions",
            get(list_subscriptions).post(create_subscription),
        )
        .route(
            "/api/v1/admin/domain_permission_subscriptions/{id}",
            get(show_subscription)
                .patch(update_subscription)
                .delete(delete_subscription),
        )
        .route(
            "/api/v1/admin/domain_permission_subscriptions/{id}/test",
            post(test_subscription),
        )
        .route(
            "/api/passage/v1/admin/domain_permission_subscriptions/{id}/refresh",
            post(refresh_subscription),
        )
}

/// The routes that take a whole list in their body, for a larger body limit.
pub fn import_routes() -> Router<ApiState> {
    Router::new().route(
        "/api/passage/v1/admin/domain_permissions/import",
        post(import),
    )
}

fn kind(s: Option<&str>) -> ApiResult<Option<Kind>> {
    s.map(Kind::parse).transpose().map_err(ApiError::from)
}

fn draft_json(d: &DomainDraft) -> Value {
    let severity = Severity::parse(&d.severity).unwrap_or(Severity::None);
    json!({
        "id": d.id.to_string(),
        "domain": d.domain,
        "permission_type": d.kind,
        "severity": severity.mastodon(),
        "policy_severity": severity.as_str(),
        "reject_media": d.reject_media,
        "reject_reports": d.reject_reports,
        "media_sensitive": d.media_sensitive,
        "strip_avatars": d.strip_avatars,
        "followers_only": d.followers_only,
        "obfuscate": d.obfuscate,
        "private_comment": d.private_comment,
        "public_comment": d.public_comment,
        "subscription_id": d.subscription_id.map(|s| s.to_string()),
        "created_at": time(&d.created_at),
    })
}

fn bad_json(bad: &[Bad]) -> Value {
    bad.iter()
        .map(|b| json!({"line": b.line, "error": b.why}))
        .collect()
}

fn applied_json(a: &Applied) -> Value {
    json!({
        "created": a.created,
        "updated": a.updated,
        "skipped": a.skipped,
        "follows_severed": a.follows_severed,
        "bad_lines": bad_json(&a.bad),
    })
}

#[derive(Deserialize)]
struct DraftQuery {
    permission_type: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    subscription_id: Option<i64>,
    /// Drafts after this id (they are listed oldest first).
    #[serde(default, deserialize_with = "de::opt_i64")]
    min_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    limit: Option<i64>,
}

impl DraftQuery {
    fn selection(&self) -> ApiResult<Selection> {
        Ok(Selection {
            kind: kind(self.permission_type.as_deref())?,
            subscription_id: self.subscription_id,
        })
    }
}

async fn list_drafts(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<DraftQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, READ).await?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000) as u64;
    let found = drafts::list(&state.ctx, By::Staff(me), q.selection()?, q.min_id, limit).await?;
    Ok(Json(found.iter().map(draft_json).collect()))
}

async fn show_draft(
    State(state): State<ApiState>,
    user: User,
    Path(draft_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, READ).await?;
    let draft = drafts::get(&state.ctx, By::Staff(me), id(&draft_id)?).await?;
    Ok(Json(draft_json(&draft)))
}

/// A draft as sent: GoToSocial's fields, and our severity and flags.
#[derive(Deserialize)]
struct DraftForm {
    domain: Option<String>,
    permission_type: Option<String>,
    severity: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    reject_media: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    reject_reports: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    obfuscate: Option<bool>,
    private_comment: Option<String>,
    public_comment: Option<String>,
}

async fn create_draft(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<DraftForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let domain = form
        .domain
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("domain: is missing"))?;
    let kind = kind(form.permission_type.as_deref())?
        .ok_or_else(|| ApiError::invalid("permission_type: is missing (block or allow)"))?;
    let severity = match form.severity {
        Some(s) => Severity::parse(&s)
            .ok_or_else(|| ApiError::invalid(format!("severity: {s:?} is not known")))?,
        None => Severity::Suspend,
    };
    let entry = Entry {
        line: 1,
        domain,
        severity,
        flags: Flags {
            reject_media: form.reject_media.unwrap_or(false),
            reject_reports: form.reject_reports.unwrap_or(false),
            ..Flags::default()
        },
        public_comment: form.public_comment,
        private_comment: form.private_comment,
        obfuscate: form.obfuscate.unwrap_or(false),
    };
    let draft = drafts::create(&state.ctx, By::Staff(me), kind, entry).await?;
    Ok(Json(draft_json(&draft)))
}

async fn accept_draft(
    State(state): State<ApiState>,
    user: User,
    Path(draft_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let draft = drafts::get(&state.ctx, By::Staff(me), id(&draft_id)?).await?;
    drafts::accept(&state.ctx, By::Staff(me), draft.id).await?;
    Ok(Json(draft_json(&draft)))
}

async fn remove_draft(
    State(state): State<ApiState>,
    user: User,
    Path(draft_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let draft = drafts::remove(&state.ctx, By::Staff(me), id(&draft_id)?).await?;
    Ok(Json(draft_json(&draft)))
}

/// Accepts every draft (of a kind, of a subscription) in one step.
async fn accept_all(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<DraftQuery>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let done = drafts::accept_all(&state.ctx, By::Staff(me), q.selection()?).await?;
    Ok(Json(applied_json(&done)))
}

#[derive(Deserialize)]
struct ImportForm {
    permission_type: Option<String>,
    /// Drafts (the default) or applied at once.
    #[serde(default, deserialize_with = "de::opt_bool")]
    draft: Option<bool>,
    format: Option<String>,
    /// The list as text, when not sent as a file.
    list: Option<String>,
}

/// Reads a whole list (a `file` in a multipart body, or `list` as text) and keeps it as
/// drafts, or applies it. Bad lines are named with their numbers; the rest is kept.
async fn import(
    State(state): State<ApiState>,
    user: User,
    WithFiles(form, mut files): WithFiles<ImportForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let kind = kind(form.permission_type.as_deref())?.unwrap_or(Kind::Block);
    let format = match form.format.as_deref() {
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            ApiError::invalid(format!("format: {f:?} is not csv, json or plain"))
        })?),
        None => None,
    };
    let text = match files.take("file") {
        Some(bytes) => {
            String::from_utf8(bytes).map_err(|_| ApiError::invalid("file: is not UTF-8 text"))?
        }
        None => form
            .list
            .ok_or_else(|| ApiError::invalid("file: is missing"))?,
    };
    let (entries, mut bad) = lists::parse_as(format, &text);
    let by = By::Staff(me);
    let body = if form.draft.unwrap_or(true) {
        let done = drafts::propose(&state.ctx, by, kind, entries, None, |_| {}).await?;
        bad.extend(done.bad);
        json!({"drafted": done.drafted, "excluded": done.excluded})
    } else {
        let source = Source {
            subscription: None,
            why: "import",
        };
        let done = apply(&state.ctx, by, kind, entries, source, |_| {}).await?;
        bad.extend(done.bad.iter().cloned());
        applied_json(&done)
    };
    let mut body = body;
    bad.sort_by_key(|b| b.line);
    body["bad_lines"] = bad_json(&bad);
    Ok(Json(body))
}

fn exclude_json(x: &DomainExclude) -> Value {
    json!({
        "id": x.id.to_string(),
        "domain": x.domain,
        "private_comment": x.private_comment,
        "created_at": time(&x.created_at),
    })
}

async fn list_excludes(State(state): State<ApiState>, user: User) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, READ).await?;
    let found = excludes::list(&state.ctx, By::Staff(me)).await?;
    Ok(Json(found.iter().map(exclude_json).collect()))
}

async fn show_exclude(
    State(state): State<ApiState>,
    user: User,
    Path(exclude_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, READ).await?;
    let found = excludes::get(&state.ctx, By::Staff(me), id(&exclude_id)?).await?;
    Ok(Json(exclude_json(&found)))
}

#[derive(Deserialize)]
struct ExcludeForm {
    domain: Option<String>,
    private_comment: Option<String>,
}

async fn create_exclude(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<ExcludeForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let domain = form
        .domain
        .ok_or_else(|| ApiError::invalid("domain: is missing"))?;
    let made = excludes::create(&state.ctx, By::Staff(me), &domain, form.private_comment).await?;
    Ok(Json(exclude_json(&made)))
}

async fn delete_exclude(
    State(state): State<ApiState>,
    user: User,
    Path(exclude_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let gone = excludes::remove(&state.ctx, By::Staff(me), id(&exclude_id)?).await?;
    Ok(Json(exclude_json(&gone)))
}

fn subscription_json(s: &Subscription) -> Value {
    json!({
        "id": s.id.to_string(),
        "priority": s.priority,
        "title": s.title.clone().unwrap_or_default(),
        "permission_type": s.kind,
        "as_draft": s.as_draft,
        "adopt_orphans": s.adopt_orphans,
        "remove_retracted": s.remove_retracted,
        "uri": s.uri,
        "content_type": format_of(s).map(Format::media_type),
        "created_at": time(&s.created_at),
        "fetched_at": s.fetched_at.as_ref().map(time),
        "successfully_fetched_at": s.succeeded_at.as_ref().map(time),
        "error": s.error,
        "count": s.count,
    })
}

/// A subscription as sent (GoToSocial's fields); fields not sent keep what it had.
#[derive(Deserialize)]
struct SubscriptionForm {
    uri: Option<String>,
    permission_type: Option<String>,
    title: Option<String>,
    content_type: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    priority: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    as_draft: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    adopt_orphans: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    remove_retracted: Option<bool>,
}

impl SubscriptionForm {
    fn apply(self, input: &mut SubscriptionInput) -> ApiResult<()> {
        if let Some(uri) = self.uri {
            input.uri = uri;
        }
        if let Some(kind) = kind(self.permission_type.as_deref())? {
            input.kind = kind;
        }
        if let Some(title) = self.title {
            input.title = Some(title);
        }
        if let Some(ct) = self.content_type.filter(|c| !c.is_empty()) {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            input.format = Some(Format::parse(&essence).ok_or_else(|| {
                ApiError::invalid("content_type: text/csv, application/json or text/plain")
            })?);
        }
        if let Some(p) = self.priority {
            input.priority = i32::try_from(p).unwrap_or(i32::MAX);
        }
        for (field, value) in [
            (&mut input.as_draft, self.as_draft),
            (&mut input.adopt_orphans, self.adopt_orphans),
            (&mut input.remove_retracted, self.remove_retracted),
        ] {
            if let Some(value) = value {
                *field = value;
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct SubscriptionQuery {
    permission_type: Option<String>,
}

async fn list_subscriptions(
    State(state): State<ApiState>,
    user: User,
    Params(q): Params<SubscriptionQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let me = user.require_staff(&state, READ).await?;
    let kind = kind(q.permission_type.as_deref())?;
    let found = subscriptions::list(&state.ctx, By::Staff(me), kind).await?;
    Ok(Json(found.iter().map(subscription_json).collect()))
}

async fn show_subscription(
    State(state): State<ApiState>,
    user: User,
    Path(sub_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, READ).await?;
    let found = subscriptions::get(&state.ctx, By::Staff(me), id(&sub_id)?).await?;
    Ok(Json(subscription_json(&found)))
}

async fn create_subscription(
    State(state): State<ApiState>,
    user: User,
    Params(form): Params<SubscriptionForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    if form.uri.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::invalid("uri: is missing"));
    }
    let kind = kind(form.permission_type.as_deref())?
        .ok_or_else(|| ApiError::invalid("permission_type: is missing (block or allow)"))?;
    let mut input = SubscriptionInput::new(kind, "");
    form.apply(&mut input)?;
    let made = subscriptions::create(&state.ctx, By::Staff(me), input).await?;
    Ok(Json(subscription_json(&made)))
}

async fn update_subscription(
    State(state): State<ApiState>,
    user: User,
    Path(sub_id): Path<String>,
    Params(form): Params<SubscriptionForm>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let before = subscriptions::get(&state.ctx, By::Staff(me), id(&sub_id)?).await?;
    let mut input = SubscriptionInput {
        title: before.title.clone(),
        format: format_of(&before),
        priority: before.priority,
        as_draft: before.as_draft,
        adopt_orphans: before.adopt_orphans,
        remove_retracted: before.remove_retracted,
        ..SubscriptionInput::new(subscriptions::kind_of(&before), &before.uri)
    };
    form.apply(&mut input)?;
    let changed = subscriptions::update(&state.ctx, By::Staff(me), before.id, input).await?;
    Ok(Json(subscription_json(&changed)))
}

#[derive(Deserialize)]
struct DeleteQuery {
    #[serde(default, deserialize_with = "de::opt_bool")]
    remove_children: Option<bool>,
}

async fn delete_subscription(
    State(state): State<ApiState>,
    user: User,
    Path(sub_id): Path<String>,
    Params(q): Params<DeleteQuery>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let gone = subscriptions::remove(
        &state.ctx,
        By::Staff(me),
        id(&sub_id)?,
        q.remove_children.unwrap_or(false),
    )
    .await?;
    Ok(Json(subscription_json(&gone)))
}

/// Fetches the list without applying it: what it would propose, and its bad lines.
async fn test_subscription(
    State(state): State<ApiState>,
    user: User,
    Path(sub_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let sub = subscriptions::get(&state.ctx, By::Staff(me), id(&sub_id)?).await?;
    let data = state.data();
    match passage_federation::subscriptions::fetch(&data, &sub).await {
        Err(why) => Ok(Json(json!({"error": why}))),
        Ok(text) => {
            let (entries, bad) = lists::parse_as(format_of(&sub), &text);
            let domains: Vec<Value> = entries
                .iter()
                .map(|e| {
                    json!({"domain": e.domain, "severity": e.severity.mastodon(),
                                "policy_severity": e.severity.as_str()})
                })
                .collect();
            Ok(Json(
                json!({"count": domains.len(), "domains": domains, "bad_lines": bad_json(&bad)}),
            ))
        }
    }
}

/// Fetches the list now and applies it (as drafts, if the subscription drafts).
async fn refresh_subscription(
    State(state): State<ApiState>,
    user: User,
    Path(sub_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let me = user.require_staff(&state, WRITE).await?;
    let by = By::Staff(me);
    let sub = subscriptions::get(&state.ctx, by, id(&sub_id)?).await?;
    let data = state.data();
    let done = passage_federation::subscriptions::refresh(&data, by, &sub).await?;
    let after = subscriptions::get(&state.ctx, by, sub.id).await?;
    Ok(Json(json!({
        "subscription": subscription_json(&after),
        "listed": done.listed,
        "drafted": done.drafted,
        "applied": applied_json(&done.applied),
        "retracted": done.retracted,
        "bad_lines": bad_json(&done.bad),
    })))
}
