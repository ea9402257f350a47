//! The Mastodon-compatible client API (issue 3 builds it out). For now it answers what every
//! client asks first, `GET /api/v1/instance`, and gives unknown API paths Mastodon's JSON
//! error shape instead of an HTML 404.

mod error;

use axum::{Json, Router, extract::State, routing::get};
use passage_core::Context;
use serde_json::{Value, json};

pub use error::ApiError;

pub fn router(ctx: Context) -> Router {
    Router::new()
        .route("/api/v1/instance", get(instance))
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { ApiError::NotFound }),
        )
        .with_state(ctx)
}

async fn instance(State(ctx): State<Context>) -> Json<Value> {
    let c = &ctx.config.instance;
    Json(json!({
        "uri": c.domain,
        "title": c.name,
        "short_description": c.description,
        "description": c.description,
        "version": concat!("4.2.0 (compatible; Passage ", env!("CARGO_PKG_VERSION"), ")"),
        "languages": c.languages,
        "registrations": c.registrations == passage_core::config::Registrations::Open,
    }))
}
