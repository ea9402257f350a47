//! The login forms (the OAuth page apps send members to, and the admin pages) count against
//! the client's address, so one address cannot guess passwords across many accounts; each
//! account is limited as well, whichever way in (`accounts::verify_login`).

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use passage_core::Context;
use std::net::SocketAddr;

/// Middleware for login routes: posts over the address's limit get 429 with `Retry-After`.
/// Where the server was not given the connection's address, nothing is counted.
pub async fn limit(State(ctx): State<Context>, request: Request, next: Next) -> Response {
    if request.method() == Method::POST
        && let Some(peer) = request.extensions().get::<ConnectInfo<SocketAddr>>()
    {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        if let Err(wait) = ctx.limits.login_address(peer.0.ip(), forwarded) {
            return too_many(wait);
        }
    }
    next.run(request).await
}

/// The page shown to a login over a limit (by address here, by account on the forms).
pub fn too_many(wait: u64) -> Response {
    let text = format!(
        "<!doctype html><title>Too many attempts</title>\
         <p>Too many login attempts. Try again in {wait} seconds.</p>"
    );
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, wait.to_string())],
        Html(text),
    )
        .into_response()
}
