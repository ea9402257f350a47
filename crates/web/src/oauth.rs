//! `/oauth/authorize`: the page an app opens so a member can log in and grant it access.
//!
//! Nothing is redirected until the request is checked (a known app, one of its registered
//! redirect URIs compared as exact strings), so the page cannot be used to bounce members to
//! arbitrary sites. The member logs in on every authorisation (there is no session cookie), so
//! `force_login` is always honoured. With the out-of-band URI the code is shown to copy;
//! otherwise the browser goes straight to `redirect_uri?code=...&state=...`, with no page in
//! between (iOS apps fail on intermediate pages).

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use passage_core::{
    Context, accounts,
    oauth::{self, AuthorizationRequest, OUT_OF_BAND, OauthError},
};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeParams {
    #[serde(default)]
    response_type: Option<String>,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    scope: Option<String>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    // Form submissions only.
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    decision: String,
}

#[derive(Template)]
#[template(path = "authorize.html")]
struct AuthorizePage<'a> {
    lang: &'a str,
    instance: &'a str,
    app_name: &'a str,
    app_website: Option<&'a str>,
    scopes: Vec<String>,
    client_id: &'a str,
    redirect_uri: &'a str,
    scope: String,
    state: &'a str,
    code_challenge: &'a str,
    code_challenge_method: &'a str,
    username: &'a str,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage<'a> {
    lang: &'a str,
    instance: &'a str,
    app_name: &'a str,
    code: &'a str,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    instance: &'a str,
    message: &'a str,
}

fn lang(ctx: &Context) -> &str {
    ctx.config
        .instance
        .languages
        .first()
        .map_or("en", String::as_str)
}

/// An HTML answer that may not be framed by other sites (clickjacking of the consent button)
/// and runs no script at all. No `form-action`: consent redirects to the app's own scheme.
fn page(status: StatusCode, html: Result<String, askama::Error>) -> Response {
    match html {
        Ok(body) => (
            status,
            [
                (header::X_FRAME_OPTIONS, "DENY"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                     frame-ancestors 'none'; base-uri 'none'",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Html(body),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering a template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn error_page(ctx: &Context, status: StatusCode, message: &str) -> Response {
    let html = ErrorPage {
        lang: lang(ctx),
        instance: &ctx.config.instance.name,
        message,
    }
    .render();
    page(status, html)
}

async fn check(ctx: &Context, p: &AuthorizeParams) -> Result<AuthorizationRequest, Response> {
    if p.response_type.as_deref().is_some_and(|t| t != "code") {
        return Err(error_page(
            ctx,
            StatusCode::BAD_REQUEST,
            "Only response_type=code is supported.",
        ));
    }
    let optional = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    oauth::check_authorization(
        ctx,
        &p.client_id,
        &p.redirect_uri,
        p.scope.as_deref(),
        optional(&p.code_challenge).as_deref(),
        optional(&p.code_challenge_method).as_deref(),
    )
    .await
    .map_err(|e| match e {
        OauthError::Core(e) => {
            tracing::error!(error = %e, "authorization check failed");
            error_page(
                ctx,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; try again.",
            )
        }
        OauthError::InvalidClient => error_page(
            ctx,
            StatusCode::BAD_REQUEST,
            "This application is not registered here.",
        ),
        other => error_page(ctx, StatusCode::BAD_REQUEST, &other.to_string()),
    })
}

fn form_page(
    ctx: &Context,
    request: &AuthorizationRequest,
    p: &AuthorizeParams,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let scope = request.scopes.to_string();
    let html = AuthorizePage {
        lang: lang(ctx),
        instance: &ctx.config.instance.name,
        app_name: &request.app.name,
        // Apps registered before websites were checked may hold anything: links are web only.
        app_website: request
            .app
            .website
            .as_deref()
            .filter(|w| passage_core::urls::Urls::web_address(w).is_some()),
        scopes: scope.split(' ').map(str::to_owned).collect(),
        client_id: &p.client_id,
        redirect_uri: &p.redirect_uri,
        scope: scope.clone(),
        state: &p.state,
        code_challenge: &p.code_challenge,
        code_challenge_method: &p.code_challenge_method,
        username: &p.username,
        error,
    }
    .render();
    page(status, html)
}

pub async fn show(State(ctx): State<Context>, Query(p): Query<AuthorizeParams>) -> Response {
    match check(&ctx, &p).await {
        Ok(request) => form_page(&ctx, &request, &p, None, StatusCode::OK),
        Err(response) => response,
    }
}

/// `redirect_uri` with the answer appended, the URI itself left exactly as registered (Elk's
/// carries a percent-encoded URL in its path, which must not be decoded).
fn redirect_with(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(k, v);
    }
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", query.finish())
}

pub async fn decide(State(ctx): State<Context>, Form(p): Form<AuthorizeParams>) -> Response {
    let request = match check(&ctx, &p).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    if p.decision == "deny" {
        if request.redirect_uri == OUT_OF_BAND {
            return error_page(&ctx, StatusCode::OK, "You denied the application access.");
        }
        let to = redirect_with(
            &request.redirect_uri,
            &[("error", "access_denied"), ("state", &p.state)],
        );
        return Redirect::to(&to).into_response();
    }
    let actor = match accounts::verify_login(&ctx, p.username.trim(), &p.password).await {
        Ok(actor) => actor,
        Err(passage_core::CoreError::TooMany(wait)) => {
            return crate::login_rate::too_many(wait);
        }
        Err(_) => {
            return form_page(
                &ctx,
                &request,
                &p,
                Some("Invalid username or password."),
                StatusCode::UNAUTHORIZED,
            );
        }
    };
    if let Err(e) = oauth::ensure_may_log_in(&ctx, &actor).await {
        return form_page(
            &ctx,
            &request,
            &p,
            Some(&e.to_string()),
            StatusCode::FORBIDDEN,
        );
    }
    let code = match oauth::issue_code(&ctx, &request, &actor).await {
        Ok(code) => code,
        Err(error) => {
            tracing::error!(%error, "issuing an authorization code failed");
            return error_page(
                &ctx,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; try again.",
            );
        }
    };
    if request.redirect_uri == OUT_OF_BAND {
        let html = CodePage {
            lang: lang(&ctx),
            instance: &ctx.config.instance.name,
            app_name: &request.app.name,
            code: &code,
        }
        .render();
        return page(StatusCode::OK, html);
    }
    let to = redirect_with(
        &request.redirect_uri,
        &[("code", &code), ("state", &p.state)],
    );
    Redirect::to(&to).into_response()
}
