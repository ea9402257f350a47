//! Server-rendered HTML: the front page, the OAuth login and consent page apps send members
//! to, the public pages of organisations, events and resources (chosen over ActivityPub
//! documents by [`negotiate`]), the default avatar and header images, and the iCalendar feeds
//! of events, and the admin pages for moderators.

mod admin;
mod calendar;
mod login_rate;
mod media;
mod oauth;
mod pages;
mod public;

pub use public::negotiate;

use axum::{Router, http::header, response::IntoResponse, routing::get};
use passage_core::Context;

pub fn router(ctx: Context) -> Router {
    Router::new()
        .nest_service("/media", media::files(&ctx))
        .route("/", get(pages::home))
        .merge(
            Router::new()
                .route("/oauth/authorize", get(oauth::show).post(oauth::decide))
                .route_layer(axum::middleware::from_fn_with_state(
                    ctx.clone(),
                    login_rate::limit,
                )),
        )
        .merge(calendar::routes())
        .merge(admin::routes(&ctx))
        .merge(public::routes())
        .route(
            "/static/avatar.png",
            get(|| png(include_bytes!("../static/avatar.png"))),
        )
        // Browsers ask every site for one; the default avatar serves until there is a logo.
        .route(
            "/favicon.ico",
            get(|| png(include_bytes!("../static/avatar.png"))),
        )
        .route(
            "/static/header.png",
            get(|| png(include_bytes!("../static/header.png"))),
        )
        .with_state(ctx)
}

async fn png(bytes: &'static [u8]) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
}
