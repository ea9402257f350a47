//! `/admin/audit`: the latest moderation actions, who took them, on what and why.

use super::{Frame, Staff, failed, page};
use askama::Template;
use axum::{Router, extract::State, http::StatusCode, response::Response, routing::get};
use passage_core::{Context, accounts, moderation::audit};

pub fn routes() -> Router<Context> {
    Router::new().route("/admin/audit", get(list))
}

pub struct Row {
    pub at: String,
    pub who: String,
    pub action: String,
    pub target: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    frame: Frame,
    entries: Vec<Row>,
}

async fn list(State(ctx): State<Context>, staff: Staff) -> Response {
    let entries = match audit::list(&ctx, None, 200).await {
        Ok(e) => e,
        Err(e) => return failed(&e),
    };
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let who = match e.moderator_id {
            Some(id) => match accounts::by_id(&ctx, id).await {
                Ok(a) => format!("@{}", a.username),
                Err(_) => format!("account {id}"),
            },
            None => "the system".to_owned(),
        };
        rows.push(Row {
            at: e.created_at.format("%Y-%m-%d %H:%M").to_string(),
            who,
            action: e.action,
            target: e.target,
            reason: e.reason.unwrap_or_default(),
        });
    }
    let frame = Frame::new(&ctx, &staff, "audit");
    page(
        StatusCode::OK,
        AuditPage {
            frame,
            entries: rows,
        }
        .render(),
    )
}
