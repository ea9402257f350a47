//! `GET /api/passage/v1/resources/{id}/files/{media_id}`: a members-only resource's file, to
//! those who may see the resource (its `/media` address answers 404). Served as stored files
//! are: never sniffed, sandboxed, and downloaded rather than opened as a page.

use super::id;
use crate::{ApiResult, ApiState, auth::Auth};
use axum::{
    Router,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use passage_core::resources::files;

pub fn routes() -> Router<ApiState> {
    Router::new().route("/api/passage/v1/resources/{id}/files/{media_id}", get(read))
}

/// Where a members-only resource's file is read.
pub fn address(state: &ApiState, resource_id: i64, media_id: i64) -> String {
    format!(
        "{}/api/passage/v1/resources/{resource_id}/files/{media_id}",
        state.ctx.urls.base()
    )
}

async fn read(
    State(state): State<ApiState>,
    auth: Auth,
    Path((resource, media)): Path<(String, String)>,
) -> ApiResult<Response> {
    let viewer = auth.viewer("read:statuses")?;
    let (row, file) = files::read(&state.ctx, viewer, id(&resource)?, id(&media)?).await?;
    let content_type = file.content_type.unwrap_or(row.content_type);
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, "attachment".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        file.bytes,
    )
        .into_response())
}
