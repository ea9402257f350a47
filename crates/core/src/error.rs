//! The errors use cases return. Edge crates map them to HTTP statuses; `Db` and `Internal`
//! causes are logged there and never shown to clients or peers.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Over a rate limit; the seconds to wait.
    #[error("too many attempts; try again in {0} s")]
    TooMany(u64),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type CoreResult<T> = Result<T, CoreError>;

/// A database error as a core error, or `taken` when a unique constraint refused a
/// duplicate (a name, address or subscription that exists already).
pub fn duplicate_as(e: DbErr, taken: impl FnOnce() -> CoreError) -> CoreError {
    if passage_db::is_unique_violation(&e) {
        taken()
    } else {
        e.into()
    }
}

/// `Option` → `NotFound`, for lookups that must succeed.
pub trait OrNotFound<T> {
    fn or_not_found(self) -> CoreResult<T>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self) -> CoreResult<T> {
        self.ok_or(CoreError::NotFound)
    }
}
