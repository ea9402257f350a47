//! `/admin/domains`: the instance's decisions about other servers. Blocks with their
//! severity and flags, allows, and drafts waiting from imports and subscriptions; forms to
//! block, lift, allow, withdraw and accept the drafts.

use super::{Done, Frame, NoFields, Staff, StaffForm, answer, failed, page};
use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
};
use passage_core::{
    Context, CoreError,
    moderation::{
        By,
        domains::{self, BlockInput},
        drafts::{self, Selection},
        policy::Severity,
    },
};
use serde::Deserialize;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/admin/domains", get(list))
        .route("/admin/domains/block", post(block))
        .route("/admin/domains/blocks/{id}/lift", post(unblock))
        .route("/admin/domains/allow", post(allow))
        .route("/admin/domains/allows/{id}/withdraw", post(unallow))
        .route("/admin/domains/drafts/accept", post(accept_drafts))
}

pub struct BlockRow {
    pub id: i64,
    pub domain: String,
    pub severity: String,
    pub flags: String,
    pub comment: String,
    pub expires_at: String,
}

pub struct AllowRow {
    pub id: i64,
    pub domain: String,
}

#[derive(Template)]
#[template(path = "admin/domains.html")]
struct DomainsPage {
    frame: Frame,
    mode: String,
    blocks: Vec<BlockRow>,
    allows: Vec<AllowRow>,
    drafts: u64,
}

async fn render(ctx: &Context, staff: &Staff, done: &Done, error: Option<String>) -> Response {
    let by = By::Staff(&staff.actor);
    let loaded = async {
        Ok::<_, CoreError>((
            domains::blocks(ctx, by).await?,
            domains::allows(ctx, by).await?,
            drafts::count(ctx, by).await?,
        ))
    };
    let (blocks, allows, drafts) = match loaded.await {
        Ok(x) => x,
        Err(e) => return failed(&e),
    };
    let blocks = blocks
        .into_iter()
        .map(|b| {
            let f = domains::flags(&b);
            let flags: Vec<&str> = [
                (f.reject_media, "reject media"),
                (f.reject_reports, "reject reports"),
                (f.media_sensitive, "media sensitive"),
                (f.strip_avatars, "strip avatars"),
                (f.followers_only, "followers only"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
            BlockRow {
                id: b.id,
                domain: b.domain,
                severity: b.severity,
                flags: flags.join(", "),
                comment: b.private_comment.or(b.public_comment).unwrap_or_default(),
                expires_at: b
                    .expires_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let allows = allows
        .into_iter()
        .map(|a| AllowRow {
            id: a.id,
            domain: a.domain,
        })
        .collect();
    let mut frame = Frame::new(ctx, staff, "domains");
    frame.notice = done.message();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    frame.error = error;
    let mode = format!("{:?}", ctx.config.federation.mode).to_lowercase();
    page(
        status,
        DomainsPage {
            frame,
            mode,
            blocks,
            allows,
            drafts,
        }
        .render(),
    )
}

async fn list(State(ctx): State<Context>, staff: Staff, Query(done): Query<Done>) -> Response {
    render(&ctx, &staff, &done, None).await
}

/// The end of every form here: back to the list, or the list with the error.
async fn back(ctx: &Context, staff: &Staff, result: Result<(), CoreError>, done: &str) -> Response {
    let none = Done::default();
    answer(result, "/admin/domains", done, |why| {
        render(ctx, staff, &none, Some(why))
    })
    .await
}

#[derive(Deserialize)]
struct BlockForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    severity: String,
    reject_media: Option<String>,
    reject_reports: Option<String>,
    #[serde(default)]
    private_comment: String,
    #[serde(default)]
    public_comment: String,
}

async fn block(
    State(ctx): State<Context>,
    StaffForm(staff, form): StaffForm<BlockForm>,
) -> Response {
    let result = async {
        let severity = Severity::parse(&form.severity)
            .ok_or_else(|| CoreError::Invalid("severity: choose one".into()))?;
        let mut input = BlockInput::new(&form.domain, severity);
        input.flags.reject_media = form.reject_media.is_some();
        input.flags.reject_reports = form.reject_reports.is_some();
        input.private_comment = Some(form.private_comment.clone());
        input.public_comment = Some(form.public_comment.clone());
        domains::block(&ctx, By::Staff(&staff.actor), input)
            .await
            .map(|_| ())
    };
    let result = result.await;
    back(&ctx, &staff, result, "blocked").await
}

async fn unblock(
    State(ctx): State<Context>,
    Path(id): Path<i64>,
    StaffForm(staff, NoFields {}): StaffForm<NoFields>,
) -> Response {
    let result = domains::unblock(&ctx, By::Staff(&staff.actor), id).await;
    back(&ctx, &staff, result, "unblocked").await
}

#[derive(Deserialize)]
struct AllowForm {
    #[serde(default)]
    domain: String,
}

async fn allow(
    State(ctx): State<Context>,
    StaffForm(staff, form): StaffForm<AllowForm>,
) -> Response {
    let result = domains::allow(&ctx, By::Staff(&staff.actor), &form.domain, None)
        .await
        .map(|_| ());
    back(&ctx, &staff, result, "allowed").await
}

async fn unallow(
    State(ctx): State<Context>,
    Path(id): Path<i64>,
    StaffForm(staff, NoFields {}): StaffForm<NoFields>,
) -> Response {
    let result = domains::unallow(&ctx, By::Staff(&staff.actor), id).await;
    back(&ctx, &staff, result, "disallowed").await
}

async fn accept_drafts(
    State(ctx): State<Context>,
    StaffForm(staff, NoFields {}): StaffForm<NoFields>,
) -> Response {
    let result = drafts::accept_all(&ctx, By::Staff(&staff.actor), Selection::default())
        .await
        .map(|_| ());
    back(&ctx, &staff, result, "accepted").await
}
