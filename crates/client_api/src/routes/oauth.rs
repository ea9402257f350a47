//! OAuth endpoints apps call directly: registration (`/api/v1/apps`), tokens, revocation and
//! the server metadata (RFC 8414). The login and consent page is in the `web` crate.

use crate::{
    ApiError, ApiResult, ApiState,
    auth::Auth,
    params::{Params, de},
};
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, header::AUTHORIZATION},
    routing::{get, post},
};
use passage_core::oauth::{self, NewApp, Scopes};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<ApiState> {
    Router::new()
        .route("/api/v1/apps", post(register))
        .route("/api/v1/apps/verify_credentials", get(verify_app))
        .route("/oauth/token", post(token))
        .route("/oauth/revoke", post(revoke))
        .route("/.well-known/oauth-authorization-server", get(metadata))
}

#[derive(Deserialize)]
struct AppForm {
    client_name: Option<String>,
    /// A list, or one string with one URI per line (Mastodon accepts both).
    #[serde(default, deserialize_with = "de::list")]
    redirect_uris: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    scopes: Option<String>,
    website: Option<String>,
}

async fn register(
    State(state): State<ApiState>,
    Params(form): Params<AppForm>,
) -> ApiResult<Json<Value>> {
    let redirect_uris: Vec<String> = form
        .redirect_uris
        .iter()
        .flat_map(|u| u.lines())
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .collect();
    let app = oauth::register_app(
        &state.ctx,
        NewApp {
            name: form.client_name.unwrap_or_default(),
            website: form.website,
            redirect_uris,
            scopes: Scopes::parse(form.scopes.as_deref().unwrap_or(""))?,
        },
    )
    .await
    .map_err(invalid_field)?;
    Ok(Json(app_json(&app, true)))
}

/// Registration errors are validation errors (422) for the client, not OAuth errors.
fn invalid_field(e: oauth::OauthError) -> ApiError {
    match e {
        oauth::OauthError::InvalidRequest(m) => ApiError::invalid(m),
        oauth::OauthError::InvalidScope => ApiError::invalid("scopes: unknown scope"),
        other => other.into(),
    }
}

fn app_json(app: &oauth::App, secrets: bool) -> Value {
    let uris = oauth::redirect_uris(app);
    let scopes: Vec<&str> = app.scopes.split(' ').collect();
    let mut v = json!({
        "id": app.id.to_string(),
        "name": app.name,
        "website": app.website,
        "scopes": scopes,
        "redirect_uri": uris.join("\n"),
        "redirect_uris": uris,
        "vapid_key": "",
    });
    if secrets {
        v["client_id"] = json!(app.client_id);
        v["client_secret"] = json!(app.client_secret);
        v["client_secret_expires_at"] = json!(0);
    }
    v
}

async fn verify_app(Auth(grant): Auth) -> ApiResult<Json<Value>> {
    let grant = grant.ok_or_else(ApiError::unauthorized)?;
    Ok(Json(app_json(&grant.app, false)))
}

#[derive(Default, Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    client_secret: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    username: Option<String>,
    password: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    scope: Option<String>,
    refresh_token: Option<String>,
    token: Option<String>,
}

/// The client's id and secret from the body, or from HTTP Basic authentication.
async fn client(state: &ApiState, headers: &HeaderMap, form: &TokenForm) -> ApiResult<oauth::App> {
    let basic = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| basic_credentials(b.trim()));
    let (id, secret) = match (&form.client_id, &form.client_secret, basic) {
        (Some(id), Some(secret), _) => (id.clone(), secret.clone()),
        (_, _, Some(pair)) => pair,
        _ => return Err(oauth::OauthError::InvalidClient.into()),
    };
    Ok(oauth::authenticate_client(&state.ctx, &id, &secret).await?)
}

/// `Basic` credentials: base64 of `id:secret`, each part form-encoded (RFC 6749 §2.3.1).
fn basic_credentials(text: &str) -> Option<(String, String)> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

async fn token(
    State(state): State<ApiState>,
    headers: HeaderMap,
    Params(form): Params<TokenForm>,
) -> ApiResult<Json<Value>> {
    let app = client(&state, &headers, &form).await?;
    let ctx = &state.ctx;
    let missing = |field: &str| oauth::OauthError::InvalidRequest(format!("{field} is missing"));
    let issued = match form.grant_type.as_deref() {
        Some("authorization_code") => {
            let code = form.code.as_deref().ok_or_else(|| missing("code"))?;
            oauth::exchange_code(
                ctx,
                &app,
                code,
                form.redirect_uri.as_deref(),
                form.code_verifier.as_deref(),
            )
            .await?
        }
        Some("password") => {
            let username = form
                .username
                .as_deref()
                .ok_or_else(|| missing("username"))?;
            let password = form
                .password
                .as_deref()
                .ok_or_else(|| missing("password"))?;
            oauth::password_grant(ctx, &app, username, password, form.scope.as_deref()).await?
        }
        Some("client_credentials") => {
            oauth::client_credentials(ctx, &app, form.scope.as_deref()).await?
        }
        Some("refresh_token") => {
            let refresh = form
                .refresh_token
                .as_deref()
                .ok_or_else(|| missing("refresh_token"))?;
            oauth::refresh(ctx, &app, refresh).await?
        }
        Some(_) => return Err(oauth::OauthError::UnsupportedGrantType.into()),
        None => return Err(missing("grant_type").into()),
    };
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scopes.to_string(),
        "created_at": issued.created_at,
    });
    if let Some(refresh) = issued.refresh_token {
        body["refresh_token"] = json!(refresh);
    }
    Ok(Json(body))
}

async fn revoke(
    State(state): State<ApiState>,
    headers: HeaderMap,
    Params(form): Params<TokenForm>,
) -> ApiResult<Json<Value>> {
    let app = client(&state, &headers, &form).await?;
    let token = form
        .token
        .ok_or_else(|| oauth::OauthError::InvalidRequest("token is missing".into()))?;
    oauth::revoke(&state.ctx, &app, &token).await?;
    Ok(Json(json!({})))
}

async fn metadata(State(state): State<ApiState>) -> Json<Value> {
    let base = state.ctx.urls.base();
    let mut grants = vec!["authorization_code", "client_credentials", "refresh_token"];
    if state.ctx.config.accounts.password_grant {
        grants.push("password");
    }
    Json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": oauth::scopes_supported(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": grants,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}
