//! Client API errors as Mastodon shapes them: `{"error": "..."}` with the matching status, as
//! JSON always (masto.js throws on any other content type, errors included). Internal causes
//! are logged, never sent.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use passage_core::{CoreError, oauth::OauthError};
use passage_federation::FederationError;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// OAuth endpoints answer with RFC 6749's `error` code and `error_description`.
    pub oauth_code: Option<&'static str>,
    /// Seconds to wait, for a 429.
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            oauth_code: None,
            retry_after: None,
        }
    }

    /// Over a rate limit: 429, and when to come back.
    pub fn too_many(wait_secs: u64) -> Self {
        Self {
            retry_after: Some(wait_secs),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests")
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Record not found")
    }

    pub fn not_found_with(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "The access token is invalid")
    }

    pub fn missing_scope(scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            format!("This action is outside the authorized scopes (needs {scope})"),
        )
    }

    /// 422: the request was understood but a field is wrong; the message names the field.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Validation failed: {}", message.into()),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 503: the database cannot take the work now (locked, full, unreachable); the app may
    /// try again, and nothing the member sent was half-kept.
    fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::warn!(%cause, "database unavailable");
        Self {
            retry_after: Some(30),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "The server is temporarily unavailable, try again later",
            )
        }
    }

    fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "client API request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => Self::not_found(),
            CoreError::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, m),
            CoreError::Invalid(m) => Self::invalid(m),
            CoreError::Conflict(m) => Self::invalid(m),
            CoreError::TooLarge(m) => Self::new(StatusCode::PAYLOAD_TOO_LARGE, m),
            CoreError::TooMany(wait) => Self::too_many(wait),
            CoreError::Unsupported(m) => Self::invalid(m),
            CoreError::Db(e) if passage_db::is_unavailable(&e) => Self::unavailable(e),
            CoreError::Db(e) => Self::internal(e),
            CoreError::Internal(m) => Self::internal(m),
        }
    }
}

impl From<OauthError> for ApiError {
    fn from(e: OauthError) -> Self {
        let status = match &e {
            OauthError::Core(CoreError::TooMany(wait)) => return Self::too_many(*wait),
            OauthError::Core(_) => return Self::internal(&e),
            OauthError::InvalidClient => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            status,
            message: e.to_string(),
            oauth_code: Some(e.code()),
            retry_after: None,
        }
    }
}

impl From<FederationError> for ApiError {
    fn from(e: FederationError) -> Self {
        match e {
            FederationError::NotFound | FederationError::Gone => Self::not_found(),
            FederationError::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, m),
            FederationError::BadRequest(m) => Self::invalid(m),
            // The remote side failed: for the client the account or post is not found.
            FederationError::Remote(m) | FederationError::Unauthorized(m) => {
                tracing::info!(cause = %m, "remote lookup failed");
                Self::not_found()
            }
            FederationError::PayloadTooLarge => Self::not_found(),
            FederationError::TooMany(wait) => Self::too_many(wait),
            FederationError::Unavailable(m) => Self::unavailable(m),
            FederationError::Internal(m) => Self::internal(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match self.oauth_code {
            Some(code) => json!({ "error": code, "error_description": self.message }),
            None => json!({ "error": self.message }),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(wait) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, wait.into());
        }
        response
    }
}
