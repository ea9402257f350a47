//! Bearer secrets (OAuth tokens and codes, calendar feed tokens): random, URL-safe, and kept
//! in the database only as a digest, so a copy of the database opens nothing.

use crate::error::{CoreError, CoreResult};
use aws_lc_rs::digest;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// 256 random bits, URL-safe base64.
pub(crate) fn random_token() -> CoreResult<String> {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes)
        .map_err(|_| CoreError::Internal("no randomness for a token".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a secret.
pub(crate) fn digest_of(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, secret.as_bytes()))
}
