//! `/admin/accounts`: find accounts (local or remote, by name, by standing) and act on one
//! (warn, freeze, mark sensitive, limit, suspend, with a text the account is told), or lift
//! what was done.

use super::{Done, Frame, Staff, StaffForm, answer, failed, page};
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
    moderation::{
        By,
        accounts::{self as actions, AccountQuery, ActionInput, Kind, Origin, Standing},
    },
};
use serde::Deserialize;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/admin/accounts", get(list))
        .route("/admin/accounts/{id}/action", post(act))
        .route("/admin/accounts/{id}/lift", post(lift))
}

pub struct Row {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub email: String,
    /// What is in force: "frozen", "sensitive", "limited", "suspended".
    pub standing: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    frame: Frame,
    q: SearchQuery,
    accounts: Vec<Row>,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub status: String,
    #[serde(flatten)]
    done: Done,
}

impl SearchQuery {
    fn query(&self) -> AccountQuery {
        AccountQuery {
            username: Some(self.username.clone()),
            origin: match self.origin.as_str() {
                "local" => Some(Origin::Local),
                "remote" => Some(Origin::Remote),
                _ => None,
            },
            standing: match self.status.as_str() {
                "disabled" => Some(Standing::Disabled),
                "sensitized" => Some(Standing::Sensitized),
                "silenced" => Some(Standing::Silenced),
                "suspended" => Some(Standing::Suspended),
                "pending" => Some(Standing::Pending),
                _ => None,
            },
            limit: 100,
            ..AccountQuery::default()
        }
    }
}

async fn render(ctx: &Context, staff: &Staff, q: SearchQuery, error: Option<String>) -> Response {
    let found = match actions::search(ctx, By::Staff(&staff.actor), &q.query()).await {
        Ok(f) => f,
        Err(e) => return failed(&e),
    };
    let accounts = found
        .into_iter()
        .map(|(a, login)| {
            let mut standing = Vec::new();
            if login.as_ref().is_some_and(|u| u.disabled) {
                standing.push(("frozen", "disable"));
            }
            if a.sensitized_at.is_some() {
                standing.push(("media sensitive", "sensitive"));
            }
            if a.silenced_at.is_some() {
                standing.push(("limited", "silence"));
            }
            if a.suspended_at.is_some() {
                standing.push(("suspended", "suspend"));
            }
            Row {
                id: a.id,
                handle: format!("@{}@{}", a.username, a.domain),
                name: a.display_name,
                email: login.map(|u| u.email).unwrap_or_default(),
                standing,
            }
        })
        .collect();
    let mut frame = Frame::new(ctx, staff, "accounts");
    frame.notice = q.done.message();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    frame.error = error;
    page(status, AccountsPage { frame, q, accounts }.render())
}

async fn list(State(ctx): State<Context>, staff: Staff, Query(q): Query<SearchQuery>) -> Response {
    render(&ctx, &staff, q, None).await
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    text: String,
}

/// The end of every form here: back to the list, or the list with the error.
async fn back(ctx: &Context, staff: &Staff, result: Result<(), CoreError>, done: &str) -> Response {
    answer(result, "/admin/accounts", done, |why| {
        render(ctx, staff, SearchQuery::default(), Some(why))
    })
    .await
}

async fn act(
    State(ctx): State<Context>,
    Path(id): Path<i64>,
    StaffForm(staff, form): StaffForm<ActionForm>,
) -> Response {
    let result = async {
        let kind = Kind::parse(&form.kind)?;
        let target = accounts::by_id(&ctx, id).await?;
        let input = ActionInput {
            text: Some(form.text.clone()),
            ..ActionInput::new(kind)
        };
        actions::act(&ctx, By::Staff(&staff.actor), &target, input)
            .await
            .map(|_| ())
    };
    let result = result.await;
    back(&ctx, &staff, result, "acted").await
}

async fn lift(
    State(ctx): State<Context>,
    Path(id): Path<i64>,
    StaffForm(staff, form): StaffForm<ActionForm>,
) -> Response {
    let result = async {
        let kind = Kind::parse(&form.kind)?;
        let target = accounts::by_id(&ctx, id).await?;
        actions::lift(&ctx, By::Staff(&staff.actor), &target, kind)
            .await
            .map(|_| ())
    };
    let result = result.await;
    back(&ctx, &staff, result, "lifted").await
}
