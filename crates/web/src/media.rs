//! `/media/NAME`: uploaded files, served as what they were checked to be: no content
//! sniffing, and a sandbox so that a file opened directly can never run as a page of this
//! site. From the directory with range requests, or read from the S3 bucket when the bucket
//! has no public address of its own. Members-only resources' files are refused here
//! (`resources::files`).

use axum::{
    Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use passage_core::{Context, media::store::MediaStore};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn files(ctx: &Context) -> Router {
    let router = match &ctx.media {
        MediaStore::Directory(dir) => {
            Router::new().fallback_service(tower_http::services::ServeDir::new(dir))
        }
        MediaStore::Bucket(_) => Router::new()
            .route("/{name}", get(from_bucket))
            .with_state(ctx.clone()),
    };
    router
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            members_only_guard,
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

/// A members-only resource's files are not served here (they are read through the resources
/// API, by members): a forwarded link opens nothing.
async fn members_only_guard(
    State(ctx): State<Context>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let name = request.uri().path().trim_start_matches('/').to_owned();
    match passage_core::resources::files::is_members_only(&ctx, &name).await {
        Ok(false) => next.run(request).await,
        Ok(true) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(file = %name, error = %e, "cannot check a media file");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn from_bucket(State(ctx): State<Context>, Path(name): Path<String>) -> Response {
    match ctx.media.get(&name).await {
        Ok(Some(file)) => {
            // Stored with its type; the extension we named it by is the fallback.
            let content_type = file.content_type.unwrap_or_else(|| {
                mime_guess::from_path(&name)
                    .first_or_octet_stream()
                    .to_string()
            });
            (
                [(header::CONTENT_TYPE, content_type)],
                Body::from(file.bytes),
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(file = %name, error = %e, "cannot read a media file");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
