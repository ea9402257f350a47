//! The Mastodon-compatible client API: what Tusky, Ivory, Elk, Phanpy, toot, Mastodon.py,
//! masto.js and megalodon call, with the shapes and quirks they depend on (see
//! `../shared/reference/client-api.md`).
//!
//! This crate is the only one that knows Mastodon JSON. Handlers are thin: they read
//! parameters ([`params`]), check the token and its scope ([`auth`]), call a `core` use case
//! and convert the result ([`entities`]). Remote lookups go through `passage_federation`.

pub mod auth;
pub mod entities;
pub mod error;
pub mod pagination;
pub mod params;
mod routes;
mod state;

pub use error::{ApiError, ApiResult};
pub use state::ApiState;

/// The client API routes of one instance. The server wraps the whole app so trailing slashes
/// are tolerated (`/api/v1/instance/` is what Mastodon.py asks for).
pub fn router(state: ApiState) -> axum::Router {
    let config = &state.ctx.config;
    // Room for the multipart framing and text fields around the file.
    let max_upload = config.media.max_bytes + 64 * 1024;
    routes::router(config.http.max_body_bytes, max_upload)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            anonymous_rate,
        ))
        .with_state(state)
}

/// Calls without a bearer token count against the client's address (members' calls count
/// against their account, and calls with a token that is not valid against the address, in
/// [`auth::Auth`]). An `Authorization` header of another scheme is no token: it is counted
/// here. Where the server was not given the connection's address (a test calling the router
/// directly), nothing is counted.
async fn anonymous_rate(
    axum::extract::State(state): axum::extract::State<ApiState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    if auth::bearer(&parts).is_none()
        && let Err(wait) = auth::charge_address(&state, &parts)
    {
        return ApiError::too_many(wait).into_response();
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}
