//! Server-rendered HTML: the front page, the OAuth login and consent page apps send members
//! to, the public pages of organisations, events and resources (chosen over ActivityPub
//! documents by [`negotiate`]), the default avatar and header images, and the iCalendar feeds
//! of events, and the admin pages for moderators.

mod admin;
mod calendar;
mod login_rate;
mod oauth;
mod pages;
mod public;

pub use public::negotiate;

use axum::{Router, http::header, response::IntoResponse, routing::get};
use passage_core::Context;

pub fn router(ctx: Context) -> Router {
    Router::new()
        .nest_service("/media", media_files(&ctx))
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

/// Uploaded files, served as the images they were checked to be: no content sniffing, and a
/// sandbox so that a file opened directly can never run as a page of this site.
fn media_files(ctx: &Context) -> Router {
    use axum::http::HeaderValue;
    use tower_http::set_header::SetResponseHeaderLayer;
    Router::new()
        .fallback_service(tower_http::services::ServeDir::new(
            passage_core::media::media_dir(ctx),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=604800, immutable"),
        ))
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
