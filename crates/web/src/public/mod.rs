//! Public pages of what organisations publish: an organisation (`/@name`), an event and a
//! resource, and the instance's own (`/about`, its rules and moderators), server-rendered, readable on a phone, with no script. Events and resources are
//! served at their federated address: browsers get these pages, ActivityPub clients the JSON
//! document, chosen by [`negotiate`] before routing. Only what is public or unlisted has a
//! page; anything else is "not found", so its existence is not revealed.

mod about;
mod event;
mod labels;
mod network;
mod organisation;
mod post;
mod resource;

use askama::Template;
use axum::{
    Router,
    http::{HeaderMap, Request, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
};
use passage_core::{Actor, Context, languages};

/// Where the pages live behind the addresses they share with ActivityPub documents.
const HTML: &str = "/_html";

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/@{name}", get(organisation::show))
        .route("/@{name}/{id}", get(post::show))
        .route("/about", get(about::show))
        .route("/network", get(network::show))
        .route(&format!("{HTML}/events/{{id}}"), get(event::show))
        .route(&format!("{HTML}/resources/{{id}}"), get(resource::show))
        .route(
            &format!("{HTML}/users/{{name}}"),
            get(
                |axum::extract::Path(name): axum::extract::Path<String>| async move {
                    Redirect::to(&format!("/@{name}"))
                },
            ),
        )
}

/// Content negotiation, before routing: a browser asking for an event, a resource or an actor
/// gets its page; an ActivityPub client asking for `/@name` gets the actor.
pub fn negotiate<B>(mut request: Request<B>) -> Request<B> {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let wants_json = accept.contains("activity+json") || accept.contains("ld+json");
    let wants_html = accept.contains("text/html") && !wants_json;
    let path = request.uri().path();
    let one_segment = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
    };
    let new_path = if wants_html
        && (one_segment("/events/") || one_segment("/resources/") || one_segment("/users/"))
    {
        Some(format!("{HTML}{path}"))
    } else if wants_json && one_segment("/@") {
        Some(format!("/users/{}", &path[2..]))
    } else {
        None
    };
    if let Some(new_path) = new_path {
        let query = request
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        if let Ok(uri) = format!("{new_path}{query}").parse() {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// What every page shows, and the words it shows them with.
struct Frame {
    lang: String,
    instance: String,
    t: &'static labels::Labels,
}

impl Frame {
    fn new(ctx: &Context, lang: &str) -> Self {
        Self {
            lang: lang.to_owned(),
            instance: ctx.config.instance.name.clone(),
            t: labels::of(lang),
        }
    }
}

/// The reader's languages: `?lang=` then `Accept-Language`.
fn wanted(chosen: Option<&str>, headers: &HeaderMap) -> Vec<String> {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    languages::preferred(chosen, header)
}

/// `@name@domain`, as people type it to follow.
fn handle(ctx: &Context, actor: &Actor) -> String {
    format!("@{}@{}", actor.username, ctx.domain())
}

/// A page: not framed by other sites, no script, images from anywhere (avatars, banners).
fn page(html: Result<String, askama::Error>) -> Response {
    match html {
        Ok(body) => (
            [
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; \
                     frame-ancestors 'none'",
                ),
                (header::VARY, "Accept, Accept-Language"),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            Html(body),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering a page failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound {
    lang: String,
    instance: String,
    t: &'static labels::Labels,
}

fn not_found(ctx: &Context) -> Response {
    let frame = Frame::new(ctx, "en");
    let mut response = page(
        NotFound {
            lang: frame.lang,
            instance: frame.instance,
            t: frame.t,
        }
        .render(),
    );
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
