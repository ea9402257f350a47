//! The admin pages: reports, domains, accounts and the audit log, for an instance's admins
//! and moderators, in any browser, without JavaScript. They call the same use cases as the
//! admin API and the `passage admin` command line.
//!
//! Safety:
//! - a login of its own ([`passage_core::moderation::sessions`]) in an `HttpOnly`,
//!   `SameSite=Strict` cookie limited to `/admin`, `Secure` on https;
//! - every form carries the session's CSRF token, and a form posted from another origin is
//!   refused before that;
//! - pages are never cached and never framed.

mod accounts;
mod audit;
mod domains;
mod reports;

use askama::Template;
use axum::{
    Form, Router,
    extract::{FromRequestParts, State},
    http::{HeaderMap, Method, StatusCode, header, request::Parts},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use passage_core::{Actor, Context, CoreError, moderation::sessions};
use serde::Deserialize;

const COOKIE: &str = "passage_admin";

pub fn routes(ctx: &Context) -> Router<Context> {
    let login_routes = Router::new()
        .route("/admin/login", get(login_page).post(login))
        .route_layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            crate::login_rate::limit,
        ));
    Router::new()
        .route("/admin", get(|| async { Redirect::to("/admin/reports") }))
        .merge(login_routes)
        .route("/admin/logout", post(logout))
        .merge(reports::routes())
        .merge(domains::routes())
        .merge(accounts::routes())
        .merge(audit::routes())
}

/// A logged-in admin or moderator, with the token their forms must carry.
pub struct Staff {
    pub actor: Actor,
    pub csrf: String,
}

/// A form posted by a logged-in admin or moderator, with this session's token checked: a
/// form from another site, or from before a logout, is refused before its handler runs.
pub struct StaffForm<T>(pub Staff, pub T);

/// A form's fields beside its token.
#[derive(Deserialize)]
struct Tokened<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: T,
}

/// A form with no fields but its token (the buttons of a list).
#[derive(Deserialize)]
pub struct NoFields {}

impl<T: serde::de::DeserializeOwned + Send> axum::extract::FromRequest<Context> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, ctx: &Context) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, ctx).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        let Form(form) = Form::<Tokened<T>>::from_request(req, ctx)
            .await
            .map_err(IntoResponse::into_response)?;
        if form.csrf != staff.csrf {
            return Err(refused("This form has expired; open the page again."));
        }
        Ok(Self(staff, form.fields))
    }
}

fn refused(why: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        no_store(),
        Html(format!("<p>{why}</p>")),
    )
        .into_response()
}

/// Whether a non-GET request comes from this site: `Origin` (or, without it, `Referer`)
/// must be our own address. Browsers send one of them with every form post.
fn same_origin(ctx: &Context, headers: &HeaderMap) -> bool {
    let base = ctx.urls.base();
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    from.is_some_and(|f| f == base || f.starts_with(&format!("{base}/")))
}

impl FromRequestParts<Context> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ctx: &Context) -> Result<Self, Response> {
        if parts.method != Method::GET && !same_origin(ctx, &parts.headers) {
            return Err(refused(
                "Forms are only accepted from this site's own pages.",
            ));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let to_login = || Redirect::to("/admin/login").into_response();
        let Some(secret) = jar.get(COOKIE).map(|c| c.value().to_owned()) else {
            return Err(to_login());
        };
        match sessions::staff_of(ctx, &secret).await {
            Ok(Some(actor)) => Ok(Self {
                actor,
                csrf: sessions::csrf_token(&secret),
            }),
            Ok(None) => Err(to_login()),
            Err(error) => Err(failed(&error)),
        }
    }
}

fn failed(error: &CoreError) -> Response {
    tracing::error!(%error, "admin page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        no_store(),
        Html("<p>Something went wrong; try again.</p>".to_owned()),
    )
        .into_response()
}

fn no_store() -> [(header::HeaderName, &'static str); 4] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // No scripts at all; forms post only here.
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::REFERRER_POLICY, "same-origin"),
    ]
}

/// A rendered page.
fn page(status: StatusCode, html: Result<String, askama::Error>) -> Response {
    match html {
        Ok(body) => (status, no_store(), Html(body)).into_response(),
        Err(e) => failed(&CoreError::Internal(e.to_string())),
    }
}

/// What every admin page shows around its content.
pub struct Frame {
    pub instance: String,
    pub me: String,
    pub csrf: String,
    /// Which page of the menu this is.
    pub section: &'static str,
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl Frame {
    fn new(ctx: &Context, staff: &Staff, section: &'static str) -> Self {
        Self {
            instance: ctx.config.instance.name.clone(),
            me: format!("@{}", staff.actor.username),
            csrf: staff.csrf.clone(),
            section,
            notice: None,
            error: None,
        }
    }
}

/// What the outcome of a form was, as the page it redirects to shows it.
#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    /// The message for a known outcome code (codes only: the address cannot put words on
    /// the page).
    fn message(&self) -> Option<String> {
        let text = match self.done.as_deref()? {
            "resolved" => "The report is resolved.",
            "reopened" => "The report is open again.",
            "assigned" => "The report is yours.",
            "forwarded" => "The report is forwarded to the account's server.",
            "noted" => "The note is added to the report.",
            "blocked" => "The domain is blocked.",
            "unblocked" => "The block is lifted.",
            "allowed" => "The domain is allowed.",
            "disallowed" => "The allow is withdrawn.",
            "accepted" => "The drafts are applied.",
            "acted" => "The action is taken and the account told.",
            "lifted" => "The action is lifted.",
            _ => return None,
        };
        Some(text.to_owned())
    }
}

/// The answer to a form: back to `to` with the outcome `done`, or, for an error the
/// moderator can act on, the page again (`again`) with it.
async fn answer<Again>(
    result: Result<(), CoreError>,
    to: &str,
    done: &str,
    again: impl FnOnce(String) -> Again,
) -> Response
where
    Again: Future<Output = Response>,
{
    match result {
        Ok(()) => Redirect::to(&format!("{to}?done={done}")).into_response(),
        Err(e) => match explain(&e) {
            Some(why) => again(why).await,
            None => failed(&e),
        },
    }
}

/// An error a moderator can act on (bad input, not allowed) as words; others logged.
fn explain(e: &CoreError) -> Option<String> {
    match e {
        CoreError::Invalid(m) | CoreError::Conflict(m) | CoreError::Forbidden(m) => Some(m.clone()),
        CoreError::NotFound => Some("That is gone already.".into()),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    instance: String,
    error: Option<String>,
}

async fn login_page(State(ctx): State<Context>) -> Response {
    let html = LoginPage {
        instance: ctx.config.instance.name.clone(),
        error: None,
    }
    .render();
    page(StatusCode::OK, html)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(ctx): State<Context>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    if !same_origin(&ctx, &headers) {
        return refused("Forms are only accepted from this site's own pages.");
    }
    match sessions::open(&ctx, form.username.trim(), &form.password).await {
        Ok(secret) => {
            let cookie = Cookie::build((COOKIE, secret))
                .path("/admin")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(ctx.urls.base().starts_with("https://"))
                .max_age(time::Duration::seconds(sessions::LIFETIME.num_seconds()));
            (jar.add(cookie), Redirect::to("/admin/reports")).into_response()
        }
        Err(CoreError::TooMany(wait)) => crate::login_rate::too_many(wait),
        Err(CoreError::Forbidden(why)) => {
            let html = LoginPage {
                instance: ctx.config.instance.name.clone(),
                error: Some(why),
            }
            .render();
            page(StatusCode::UNAUTHORIZED, html)
        }
        Err(e) => failed(&e),
    }
}

async fn logout(
    State(ctx): State<Context>,
    jar: CookieJar,
    StaffForm(_, NoFields {}): StaffForm<NoFields>,
) -> Response {
    if let Some(secret) = jar.get(COOKIE).map(|c| c.value().to_owned())
        && let Err(e) = sessions::close(&ctx, &secret).await
    {
        return failed(&e);
    }
    let gone = Cookie::build((COOKIE, "")).path("/admin");
    (jar.remove(gone), Redirect::to("/admin/login")).into_response()
}
