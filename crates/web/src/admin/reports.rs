//! `/admin/reports`: open (or resolved) reports, with what was reported and by whom, and
//! the steps a moderator takes on each: take it on, resolve, reopen, forward.

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
    Context, CoreError, accounts,
    moderation::{By, reports},
};
use serde::Deserialize;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/admin/reports", get(list))
        .route("/admin/reports/{id}/note", post(note))
        .route("/admin/reports/{id}/{step}", post(step))
}

/// One report as the page shows it.
pub struct Row {
    pub id: i64,
    pub target: String,
    pub target_local: bool,
    pub reporter: String,
    pub category: String,
    pub comment: String,
    pub rules: String,
    pub statuses: usize,
    pub created_at: String,
    pub assigned_to: Option<String>,
    pub forwarded: bool,
    pub resolved: bool,
    /// Moderators' notes: who, and what.
    pub notes: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsPage {
    frame: Frame,
    resolved: bool,
    reports: Vec<Row>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    resolved: Option<String>,
    #[serde(flatten)]
    done: Done,
}

fn handle(a: &passage_core::Actor) -> String {
    format!("@{}@{}", a.username, a.domain)
}

async fn rows(ctx: &Context, staff: &Staff, resolved: bool) -> Result<Vec<Row>, CoreError> {
    let mut out = Vec::new();
    for r in reports::list(ctx, By::Staff(&staff.actor), resolved, 200).await? {
        let target = accounts::by_id(ctx, r.target_id).await?;
        let reporter = accounts::by_id(ctx, r.reporter_id).await?;
        let assigned_to = match r.assigned_to_id {
            Some(id) => Some(handle(&accounts::by_id(ctx, id).await?)),
            None => None,
        };
        let mut notes = Vec::new();
        for n in reports::notes(ctx, By::Staff(&staff.actor), r.id).await? {
            let who = match n.author_id {
                Some(id) => format!("@{}", accounts::by_id(ctx, id).await?.username),
                None => "operator".to_owned(),
            };
            notes.push((who, n.text));
        }
        out.push(Row {
            id: r.id,
            target: handle(&target),
            target_local: target.local,
            reporter: handle(&reporter),
            category: r.category,
            comment: r.comment,
            rules: r.rule_ids.split_whitespace().collect::<Vec<_>>().join(", "),
            statuses: r.status_ids.split_whitespace().count(),
            created_at: r.created_at.format("%Y-%m-%d %H:%M").to_string(),
            assigned_to,
            forwarded: r.forwarded_at.is_some(),
            resolved: r.resolved_at.is_some(),
            notes,
        });
    }
    Ok(out)
}

async fn render(ctx: &Context, staff: &Staff, q: &ListQuery, error: Option<String>) -> Response {
    let resolved = q.resolved.is_some();
    let reports = match rows(ctx, staff, resolved).await {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut frame = Frame::new(ctx, staff, "reports");
    frame.notice = q.done.message();
    frame.error = error;
    page(
        status,
        ReportsPage {
            frame,
            resolved,
            reports,
        }
        .render(),
    )
}

async fn list(State(ctx): State<Context>, staff: Staff, Query(q): Query<ListQuery>) -> Response {
    render(&ctx, &staff, &q, None).await
}

async fn step(
    State(ctx): State<Context>,
    Path((id, step)): Path<(i64, String)>,
    StaffForm(staff, NoFields {}): StaffForm<NoFields>,
) -> Response {
    let by = By::Staff(&staff.actor);
    let (result, done) = match step.as_str() {
        "resolve" => (reports::resolve(&ctx, by, id).await, "resolved"),
        "reopen" => (reports::reopen(&ctx, by, id).await, "reopened"),
        "assign" => (reports::assign_to_self(&ctx, by, id).await, "assigned"),
        "forward" => (reports::forward(&ctx, by, id).await, "forwarded"),
        _ => (Err(CoreError::NotFound), ""),
    };
    let open = ListQuery::default();
    let again = |why| render(&ctx, &staff, &open, Some(why));
    answer(result.map(|_| ()), "/admin/reports", done, again).await
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    text: String,
}

async fn note(
    State(ctx): State<Context>,
    Path(id): Path<i64>,
    StaffForm(staff, form): StaffForm<NoteForm>,
) -> Response {
    let result = reports::add_note(&ctx, By::Staff(&staff.actor), id, &form.text).await;
    let open = ListQuery::default();
    let again = |why| render(&ctx, &staff, &open, Some(why));
    answer(result.map(|_| ()), "/admin/reports", "noted", again).await
}
