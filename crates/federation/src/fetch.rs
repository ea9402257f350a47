//! Plain GETs (documents that are not ActivityPub objects: NodeInfo, directories, files)
//! through the guarded client, which reaches public addresses only, read up to a limit.

use crate::{FederationData, FederationError};
use url::Url;

/// The body at `url`, refused past `limit` bytes.
pub async fn bounded(
    data: &FederationData,
    url: &Url,
    accept: &str,
    limit: usize,
) -> Result<Vec<u8>, FederationError> {
    data.guard
        .check_url(url)
        .map_err(FederationError::Forbidden)?;
    let mut response = data
        .http
        .get(url.clone())
        .header("accept", accept)
        .send()
        .await
        .map_err(|e| FederationError::Remote(crate::error::with_causes(&e)))?;
    if !response.status().is_success() {
        return Err(FederationError::Remote(format!(
            "answered {}",
            response.status()
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| FederationError::Remote(e.to_string()))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > limit {
            return Err(FederationError::Remote("answer too large".into()));
        }
    }
    Ok(body)
}
