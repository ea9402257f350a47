//! Server-rendered HTML: the front page, the OAuth login and consent page apps send members
//! to, and the default avatar and header images. Profile, post, event and admin pages come
//! with their issues.

mod oauth;
mod pages;

use axum::{
    Router,
    http::header,
    response::IntoResponse,
    routing::get,
};
use passage_core::Context;

pub fn router(ctx: Context) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/oauth/authorize", get(oauth::show).post(oauth::decide))
        .route("/static/avatar.png", get(|| png(include_bytes!("../static/avatar.png"))))
        .route("/static/header.png", get(|| png(include_bytes!("../static/header.png"))))
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
