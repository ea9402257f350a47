//! Federation errors and their one mapping to HTTP: peers get a status and a short JSON
//! `{"error": "..."}`; internal causes are logged, never sent.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use passage_core::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("payload too large")]
    PayloadTooLarge,
    /// Over a rate limit; the seconds to wait.
    #[error("too many requests; retry in {0} s")]
    TooMany(u64),
    #[error("remote error: {0}")]
    Remote(String),
    /// The database cannot take the work now (locked, full, unreachable): the peer keeps
    /// the activity and retries.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds a peer is asked to wait after a 503.
const RETRY_UNAVAILABLE_SECS: u64 = 30;

impl From<CoreError> for FederationError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => Self::NotFound,
            CoreError::Forbidden(m) => Self::Forbidden(m),
            CoreError::Invalid(m) | CoreError::Conflict(m) | CoreError::Unsupported(m) => {
                Self::BadRequest(m)
            }
            CoreError::TooLarge(_) => Self::PayloadTooLarge,
            CoreError::TooMany(wait) => Self::TooMany(wait),
            CoreError::Db(e) => e.into(),
            CoreError::Internal(m) => Self::Internal(m),
        }
    }
}

impl From<sea_orm::DbErr> for FederationError {
    fn from(e: sea_orm::DbErr) -> Self {
        if passage_db::is_unavailable(&e) {
            Self::Unavailable(e.to_string())
        } else {
            Self::Internal(e.to_string())
        }
    }
}

impl From<activitypub_federation::error::Error> for FederationError {
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as E;
        match e {
            E::NotFound => Self::NotFound,
            E::ObjectDeleted(_) => Self::Gone,
            E::ActivitySignatureInvalid | E::ActivityBodyDigestInvalid => {
                Self::Unauthorized(e.to_string())
            }
            E::UrlVerificationError(m) => Self::Forbidden(m.to_owned()),
            E::ParseReceivedActivity { .. } => Self::BadRequest(e.to_string()),
            other => Self::Remote(other.to_string()),
        }
    }
}

impl From<url::ParseError> for FederationError {
    fn from(e: url::ParseError) -> Self {
        Self::BadRequest(format!("invalid url: {e}"))
    }
}

impl From<serde_json::Error> for FederationError {
    fn from(e: serde_json::Error) -> Self {
        Self::BadRequest(format!("invalid JSON: {e}"))
    }
}

impl FederationError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Gone => StatusCode::GONE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Remote(_) => StatusCode::BAD_GATEWAY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for FederationError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::Internal(cause) => {
                tracing::error!(%cause, "federation request failed");
                "internal error".to_owned()
            }
            Self::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable; asked the peer to retry");
                "temporarily unavailable, try again later".to_owned()
            }
            other => {
                tracing::debug!(error = %other, "federation request refused");
                other.to_string()
            }
        };
        let mut response = (status, Json(serde_json::json!({ "error": message }))).into_response();
        let wait = match self {
            Self::TooMany(wait) => Some(wait),
            Self::Unavailable(_) => Some(RETRY_UNAVAILABLE_SECS),
            _ => None,
        };
        if let Some(wait) = wait {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, wait.into());
        }
        response
    }
}

/// An error with the errors that caused it, as one line: reqwest's own message leaves out
/// why a request failed (refused by the address guard, a TLS problem, a reset).
pub fn with_causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}
